import { X509Certificate } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import proxyAddr from "proxy-addr";
import { terminalText } from "./kernel/terminal-text";

/** Where the data lives: the embedded SQLite file, or a PostgreSQL server. */
export type DatabaseConfig =
  | {
      readonly kind: "sqlite";
      readonly file: string;
      /** Worker threads reading on better-sqlite3 (SQLITE_READ_WORKERS); 0 or absent: node-sqlite3's reader connection. */
      readonly readWorkers?: number;
      /** Where better-sqlite3 is when it is not in the project's node_modules (SQLITE_READ_DRIVER). */
      readonly readDriver?: string;
      /** False: hot reads take their rows cell by cell from the driver, not as one JSON text (SQLITE_JSON_ROWS). */
      readonly jsonRows?: boolean;
    }
  | {
      readonly kind: "postgres";
      readonly url: string;
      /** False: hot reads take their rows from node-postgres cell by cell, not as one JSON value (POSTGRES_JSON_ROWS). */
      readonly jsonRows?: boolean;
    };

/**
 * Which proxies in front may write the client's address into X-Forwarded-For: none (the socket
 * address is the client), the nearest `n` hops, or the listed addresses, subnets and proxy-addr's
 * names (`loopback`, `linklocal`, `uniquelocal`). The client is the right-most hop not trusted.
 */
export type TrustProxy = false | number | readonly string[];

/** The cost limits every operation must keep, over HTTP and WebSocket alike. */
export interface QueryLimits {
  /** Deepest field nesting (introspection has its own rule, the policy's introspectionShapeRule). */
  readonly maxDepth: number;
  /** Most aliases in one operation, counted through fragments (a fragment spread twice counts twice). */
  readonly maxAliases: number;
  /** Most selections of one field in one selection set once its fragments are merged in (aliased or repeated). */
  readonly maxFieldRepeats: number;
  /** Most directives on one field. */
  readonly maxDirectivesPerField: number;
  /** Highest estimated cost (see the policy's estimateCost). */
  readonly maxComplexity: number;
  /** Most lexical tokens in a document (graphql-js `maxTokens`), which bounds parsing and validation work. */
  readonly maxTokens: number;
}

/** The defaults, documented in the README with the measurements they rest on. */
export const DEFAULT_LIMITS: QueryLimits = { maxDepth: 10, maxAliases: 100, maxFieldRepeats: 100, maxDirectivesPerField: 5, maxComplexity: 5000, maxTokens: 5000 };

/** The public HTTP listener and what it lets clients hold and send. */
export interface HttpConfig {
  readonly port: number;
  readonly host: string;
  /** Which proxies' X-Forwarded-For entries to believe for the client address (HTTP and WebSocket). */
  readonly trustProxy: TrustProxy;
  /** Largest HTTP request body in bytes (larger: 413). */
  readonly maxBodyBytes: number;
  /** Time a client has to send a request's headers, from its first byte (or from connecting); slower: 408 and closed. */
  readonly headersTimeoutMs: number;
  /** Time a client has to send a whole request, headers and body; slower: 408 and closed. Not the time to answer it. */
  readonly requestTimeoutMs: number;
  /** How long a kept-alive connection may sit idle between requests. */
  readonly keepAliveTimeoutMs: number;
  /** TCP connections (HTTP and WebSocket) the server holds at once; more are closed on accept. */
  readonly maxConnections: number;
  /** TCP connections one peer address may hold at once (HTTP and WebSocket); trusted proxies are exempt. */
  readonly maxConnectionsPerAddress: number;
}

/** Cross-origin access from browsers. */
export interface CorsConfig {
  /** Origins allowed to call the API from browsers; empty: no cross-origin access; ["*"]: any. */
  readonly origins: readonly string[];
  /** Request headers a cross-origin page may send: {@link DEFAULT_CORS_ALLOW_HEADERS} and CORS_ALLOW_HEADERS' extras, lower case. */
  readonly allowHeaders: readonly string[];
  /** How long browsers may cache a preflight's answer (Access-Control-Max-Age), seconds; 0: they ask before every request. */
  readonly maxAgeSeconds: number;
}

/**
 * Where `/metrics` is served: with a null `port`, on the public port with everything else;
 * otherwise on a port of its own (0 picks a free one) on `host`, and not on the public port at all.
 */
export interface MetricsConfig {
  readonly port: number | null;
  /** The interface the metrics port listens on (loopback unless a private network needs it). */
  readonly host: string;
}

export interface LogConfig {
  readonly level: string;
}

/** Who may post comments how often, and how many may wait for moderation. */
export interface CommentsConfig {
  /** New comments are APPROVED at once instead of waiting as PENDING. */
  readonly autoApprove: boolean;
  /** Comments one client may post to one story per window. */
  readonly rateLimit: number;
  readonly rateWindowSeconds: number;
  /** Comments one client may post across all stories per window of its own (a flood spread over many stories). */
  readonly addressRateLimit: number;
  readonly addressRateWindowSeconds: number;
  /** Comments one story may hold waiting for moderation; past it, new ones are refused until moderators act. */
  readonly maxPendingPerStory: number;
}

/** Preview links: how many wrong secrets one client may try. */
export interface PreviewsConfig {
  /**
   * Wrong, revoked or expired preview tokens one client address may present per window; past it,
   * every preview read from that address is refused until the window ends.
   */
  readonly rateLimit: number;
  readonly rateWindowSeconds: number;
}

/** The event log and the scheduler that writes to it when scheduled stories come due. */
export interface EventsConfig {
  /** How often each instance reads the event log even without a notification. */
  readonly pollIntervalMs: number;
  /** How long events stay resumable. */
  readonly retentionMs: number;
  /** How often the scheduler looks for scheduled stories that are due. */
  readonly schedulerIntervalMs: number;
}

/** Redis for telling other instances about new events (and sharing rate limits). */
export interface RedisConfig {
  /** Unset on one instance. */
  readonly url: string | null;
  /** While Redis is down, how often a summary line says it still is (the first failure and the recovery are logged at once). */
  readonly outageLogMs: number;
}

/** The graphql-ws endpoint's limits. */
export interface WebSocketConfig {
  readonly maxSubscriptionsPerConnection: number;
  /** Connections one client address may hold at once. */
  readonly maxConnectionsPerAddress: number;
  /** Subscriptions all connections of one client address may hold at once. */
  readonly maxSubscriptionsPerAddress: number;
  readonly maxMessageBytes: number;
  readonly keepAliveMs: number;
  readonly initTimeoutMs: number;
  /** Browser origins whose pages may open a WebSocket; null: any (see websocket.ts for why that is safe). */
  readonly origins: readonly string[] | null;
}

/** What the GraphQL endpoint admits and offers, over HTTP and WebSocket alike. */
export interface GraphQLConfig {
  /** Cost limits of every operation. */
  readonly limits: QueryLimits;
  readonly introspection: boolean;
  readonly playground: boolean;
  /** What the automatic persisted queries' store may hold, in bytes. */
  readonly persistedQueriesBytes: number;
  /**
   * Anonymous POSTed queries run before Express and Apollo, and with the response cache on their
   * answers are stored as the full path stores them (EARLY_EXECUTION;
   * src/transport/early-execution.ts); false: every request takes the full path.
   */
  readonly earlyExecution: boolean;
  /**
   * The early path runs documents it has admitted twice through graphql-jit's compiled execution,
   * graphql-js answering whenever that has errors (COMPILED_EXECUTION;
   * src/transport/compiled-execution.ts); false: graphql-js runs every one.
   */
  readonly compiledExecution: boolean;
}

/** The in-memory response cache, the Cache-Control of anonymous GET answers, and the HTTP cache in front. */
export interface CacheConfig {
  /** Anonymous queries answered from memory, dropped by what changes (RESPONSE_CACHE=false turns it off). */
  readonly enabled: boolean;
  /** What the response cache may hold, in bytes. */
  readonly bytes: number;
  /** Sightings of an answer's key (lately) before its answer may push others out of a full response cache (while there is room, every answer is kept). */
  readonly admitAfter: number;
  /** Cache-Control max-age of anonymous GET answers, seconds. */
  readonly maxAgeSeconds: number;
  /** Cache-Control stale-while-revalidate of anonymous GET answers, seconds. */
  readonly staleSeconds: number;
  /** Where to purge changed tags at the HTTP cache in front (Varnish, deploy/varnish); null: nothing in front to purge. */
  readonly purgeUrl: string | null;
  /**
   * CACHE_TAGS: `row` (default) tags answers with the records and lists they show and drops
   * them by the rows a write changed (a write whose rows are not known drops its whole kind);
   * `type` tags and drops by kind of record only.
   */
  readonly tags: "row" | "type";
}

/** The embeddable headline ticker. */
export interface TickerConfig {
  /** Where a ticker headline links: a URL or absolute path with `{slug}` standing for the story's slug. */
  readonly storyUrl: string;
  /** The CSP `frame-ancestors` sources of the ticker page: who may show it in an iframe. */
  readonly frameAncestors: string;
  /**
   * TICKER_IMAGE_ORIGINS: the origins (`https://cdn.koran.example`) a ticker shows lead images
   * from, each opened in the page's CSP `img-src`; an image elsewhere is not shown. Empty (the
   * default): no thumbnails.
   */
  readonly imageOrigins: readonly string[];
}

/**
 * Feeds (RSS, Atom, JSON Feed) and sitemaps. Their story links come from the ticker's one
 * setting ({@link TickerConfig.storyUrl}), so a headline links to the same page everywhere.
 */
export interface FeedsConfig {
  /** The public origin of this server (`https://api.koran.example`), for the feeds' and sitemaps' own addresses and for a story URL given as a path; null: the request's own. */
  readonly publicUrl: string | null;
  /** The publication's name: the feeds' title, the Google News sitemap's publication name. */
  readonly siteName: string;
  /** The stories' language (ISO 639, two or three letters, or zh-cn / zh-tw). */
  readonly language: string;
  /** Whether a feed item carries the story's full text or its summary alone. */
  readonly content: "full" | "summary";
  /** Stories in a feed, newest first. */
  readonly items: number;
}

/** Signed webhooks: which addresses they may reach, and how their deliveries are paced. */
export interface WebhooksConfig {
  /**
   * Host names, addresses and subnets a webhook may reach although they are private, loopback,
   * link-local or otherwise not public (WEBHOOK_ALLOW_HOSTS); empty: public addresses only.
   */
  readonly allowHosts: readonly string[];
  /** One attempt's whole time: resolving, connecting, sending, and the response's headers and (capped) body. */
  readonly timeoutMs: number;
  /** Response bytes read (and thrown away) before the connection is dropped; never stored. */
  readonly maxResponseBytes: number;
  /** The first retry's delay; each later one doubles, up to `retryMaxMs`, then jittered. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** An endpoint whose deliveries have failed without a success for this long is disabled. */
  readonly disableAfterMs: number;
  /** Deliveries one instance sends at once. */
  readonly concurrency: number;
  /** How often an instance looks for deliveries due for a retry. */
  readonly pollIntervalMs: number;
  /** How long delivered (and withdrawn) deliveries stay in an endpoint's log. */
  readonly logRetentionMs: number;
  /** 32 bytes that seal endpoint secrets in the database (AES-256-GCM); null: they are stored as they are. */
  readonly secretKey: Buffer | null;
  /**
   * Certificates (PEM) an HTTPS receiver's chain may end in beside Node's own roots: a private
   * CA's (WEBHOOK_CA_FILE, read at start); empty: Node's roots alone.
   */
  readonly extraCaCertificates: readonly string[];
}

/** The editor's desk: the page at /desk where editors review, correct and import stories. */
export interface DeskConfig {
  /** DESK=false serves no /desk (the API it uses stays as it is). */
  readonly enabled: boolean;
}

/**
 * The worker threads that read imported stories (previewImport, importArticle, the seed, `npm run
 * import`), so that a story slow to read holds up no other request.
 */
export interface ImportConfig {
  /** Worker threads reading stories at once (IMPORT_WORKERS, default 1). */
  readonly workers: number;
  /** Longest one story may take to read, ms (IMPORT_TIME_BUDGET_MS, default 2000): past it its worker is stopped and replaced, and the story refused. */
  readonly timeBudgetMs: number;
  /** Stories that may wait for a worker (IMPORT_QUEUE, default 8): past it, more are refused RATE_LIMITED. */
  readonly maxQueued: number;
}

/** Everything the server reads from its environment, validated once at start, by subsystem. */
export interface AppConfig {
  readonly http: HttpConfig;
  readonly cors: CorsConfig;
  readonly metrics: MetricsConfig;
  readonly database: DatabaseConfig;
  /** Load the seed story into an empty database on start. */
  readonly seed: boolean;
  readonly log: LogConfig;
  /** NODE_ENV=production: error answers give no hints about the schema. */
  readonly production: boolean;
  readonly comments: CommentsConfig;
  readonly previews: PreviewsConfig;
  readonly events: EventsConfig;
  readonly redis: RedisConfig;
  readonly websocket: WebSocketConfig;
  readonly graphql: GraphQLConfig;
  readonly cache: CacheConfig;
  readonly ticker: TickerConfig;
  readonly feeds: FeedsConfig;
  readonly webhooks: WebhooksConfig;
  readonly desk: DeskConfig;
  readonly import: ImportConfig;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

function parsePort(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer from 0 to 65535, got '${raw}'`);
  }
  return port;
}

function parseMetricsPort(raw: string | undefined): number | null {
  if (raw === undefined || raw === "") return null;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) throw new ConfigError(`METRICS_PORT must be an integer from 0 to 65535 (or unset: /metrics on the public port), got '${terminalText(raw)}'`);
  return port;
}

function parseInteger(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  return value;
}

const MAX_PROXY_HOPS = 100;

function parseTrustProxy(raw: string | undefined): TrustProxy {
  if (raw === undefined || raw === "" || /^(0|false|no|off)$/i.test(raw)) return false;
  if (/^(true|yes|on)$/i.test(raw)) {
    // Express's `true` takes the leftmost entry, which is whatever the client sent: every
    // per-address limit would be the client's to choose.
    throw new ConfigError(
      `TRUST_PROXY='${raw}' is refused: it would take the leftmost X-Forwarded-For address as the client's, and the client writes that entry itself, so anyone could pick their address. ` +
        `Set the hop count, how many proxies stand in front of this server (TRUST_PROXY=1 behind one load balancer), or their addresses or subnets (TRUST_PROXY=loopback,10.0.0.0/8).`,
    );
  }
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > MAX_PROXY_HOPS) throw new ConfigError(`TRUST_PROXY must be a hop count from 0 to ${MAX_PROXY_HOPS} or a list of addresses, got '${raw}'`);
    return hops;
  }
  const addresses = raw.split(",").map((entry) => entry.trim());
  try {
    if (addresses.includes("")) throw new Error("an empty entry");
    proxyAddr.compile(addresses);
  } catch (error) {
    throw new ConfigError(
      `TRUST_PROXY must be a hop count or a comma-separated list of addresses, subnets, loopback, linklocal or uniquelocal, got '${raw}' (${(error as Error).message})`,
    );
  }
  return addresses;
}

/**
 * The two request time limits. Node refuses a headers limit longer than the whole request's; the
 * ranges meet at the other's default, so either one set alone is always admitted.
 */
function parseRequestTimeouts(env: NodeJS.ProcessEnv): { headersMs: number; requestMs: number } {
  const headersMs = parseInteger("HTTP_HEADERS_TIMEOUT_MS", env.HTTP_HEADERS_TIMEOUT_MS, 10_000, 100, 30_000);
  const requestMs = parseInteger("HTTP_REQUEST_TIMEOUT_MS", env.HTTP_REQUEST_TIMEOUT_MS, 30_000, 10_000, 3_600_000);
  if (headersMs > requestMs) {
    throw new ConfigError(`HTTP_HEADERS_TIMEOUT_MS (${headersMs}) must not be longer than HTTP_REQUEST_TIMEOUT_MS (${requestMs}): the headers are part of the request`);
  }
  return { headersMs, requestMs };
}

function parseRedisUrl(raw: string | undefined): string | null {
  if (raw === undefined || raw === "") return null;
  if (!/^rediss?:\/\//.test(raw)) throw new ConfigError(`REDIS_URL must start with redis:// or rediss://, got '${raw.replace(/:[^:@/]*@/, ":***@")}'`);
  return raw;
}

function parsePurgeUrl(raw: string | undefined): string | null {
  if (raw === undefined || raw === "") return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`CACHE_PURGE_URL must be an http:// or https:// URL, got '${raw.replace(/:[^:@/]*@/, ":***@")}'`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new ConfigError(`CACHE_PURGE_URL must be an http:// or https:// URL, got '${url.protocol}' in '${raw.replace(/:[^:@/]*@/, ":***@")}'`);
  return raw;
}

/**
 * What browsers' GraphQL clients send besides the body: the API's own headers, the preflight
 * header Apollo's CSRF rule asks for, Apollo's client awareness, and the tracing headers of W3C
 * Trace Context (OpenTelemetry) and Sentry. A header missing here fails the whole request in the
 * browser, before it reaches the server.
 */
export const DEFAULT_CORS_ALLOW_HEADERS: readonly string[] = [
  "content-type",
  "authorization",
  "x-request-id",
  "apollo-require-preflight",
  "x-apollo-operation-name",
  "apollographql-client-name",
  "apollographql-client-version",
  "traceparent",
  "tracestate",
  "baggage",
  "sentry-trace",
];

/** An HTTP field name (RFC 9110's token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function parseList(raw: string | undefined): string[] {
  return (raw ?? "").split(",").map((entry) => entry.trim()).filter((entry) => entry !== "");
}

function parseAllowHeaders(raw: string | undefined): string[] {
  const extra = parseList(raw);
  const bad = extra.find((name) => !HEADER_NAME.test(name));
  if (bad !== undefined) throw new ConfigError(`CORS_ALLOW_HEADERS must be a comma-separated list of header names, got '${bad}'`);
  return [...new Set([...DEFAULT_CORS_ALLOW_HEADERS, ...extra.map((name) => name.toLowerCase())])];
}

/**
 * A list of origins exactly as browsers send them in Origin (`https://koran.example`, no path,
 * lower case): anything else would silently never match.
 */
function parseOrigins(name: string, raw: string | undefined, options: { wildcard: boolean }): string[] {
  const origins = parseList(raw);
  for (const origin of origins) {
    if (origin === "*" && options.wildcard) continue;
    let shown: string | null = null;
    try {
      const url = new URL(origin);
      if (url.protocol === "http:" || url.protocol === "https:") shown = url.origin;
    } catch {
      // not a URL: reported below
    }
    if (shown !== origin) {
      throw new ConfigError(
        `${name} must list origins as browsers send them (scheme://host[:port], no path${options.wildcard ? ", or * for any" : ""}), got '${origin}'` + (shown ? `; did you mean '${shown}'?` : ""),
      );
    }
  }
  return origins;
}

function parseBool(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === "") return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got '${raw}'`);
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

function parseLogLevel(raw: string | undefined): string {
  if (raw === undefined || raw === "") return "info";
  // pino's own refusal names neither the variable nor the accepted levels.
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got '${raw}'`);
  return raw;
}

/**
 * TICKER_STORY_URL becomes every headline's href, on the ticker page and on embedding sites: an
 * http(s) URL, or a path on the page's own site. Browsers read a backslash as a slash in such URLs
 * (`/\evil.example` is `//evil.example`, another site) and drop tabs and newlines from them
 * (`/<tab>/evil.example` likewise), so neither may appear anywhere.
 */
function isStoryUrl(raw: string): boolean {
  if (!raw.includes("{slug}") || /[\\\s\p{Cc}]/u.test(raw)) return false;
  if (/^\/(?!\/)/.test(raw)) return true;
  if (!/^https?:\/\/[^/]/i.test(raw)) return false;
  return URL.canParse(raw);
}

function parseStoryUrl(raw: string | undefined): string {
  if (raw === undefined || raw === "") return "/articles/{slug}";
  if (!isStoryUrl(raw)) {
    throw new ConfigError(
      `TICKER_STORY_URL must be an http:// or https:// URL or a path starting with a single /, containing {slug}, with no backslashes, spaces or control characters, got '${terminalText(raw)}'`,
    );
  }
  return raw;
}

// A CSP source expression: a keyword, a scheme, or a host with optional scheme, wildcard subdomain, port and path.
const FRAME_SOURCE = /^(?:'self'|'none'|\*|[a-z][a-z0-9+.-]*:|(?:[a-z][a-z0-9+.-]*:\/\/)?(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::(?:\d{1,5}|\*))?(?:\/[^\s;,']*)?)$/i;

function parseFrameAncestors(raw: string | undefined): string {
  if (raw === undefined || raw.trim() === "") return "'self'";
  const sources = raw.split(/[\s,]+/).filter((source) => source !== "");
  for (const source of sources) {
    // Unquoted, these are host names, which is never what was meant.
    if (/^(self|none)$/i.test(source)) throw new ConfigError(`TICKER_FRAME_ANCESTORS: write '${source.toLowerCase()}' with its single quotes, got '${raw}'`);
    if (!FRAME_SOURCE.test(source)) {
      throw new ConfigError(`TICKER_FRAME_ANCESTORS must list CSP sources ('self', 'none', https://news.example, https://*.example.org), separated by spaces or commas, got '${source}' in '${raw}'`);
    }
  }
  if (sources.includes("'none'") && sources.length > 1) throw new ConfigError(`TICKER_FRAME_ANCESTORS: 'none' cannot be combined with other sources, got '${raw}'`);
  return sources.join(" ");
}

/** A plain host (letters, digits, dots, hyphens) or a bracketed IPv6 address, and a port: nothing that could end or widen a CSP source. */
const PLAIN_ORIGIN = /^https?:\/\/(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

/**
 * TICKER_IMAGE_ORIGINS goes into the ticker page's CSP and into ticker.js, which compares each
 * image's origin with it: every entry must be an origin exactly as a URL's `origin` reads
 * (lower case, no path, no default port), or nothing would match, and a plain host, since a
 * character such as `;` or `'` parses as a host but would change the policy. Wildcards are not
 * taken: the ticker could not tell which hosts they mean.
 */
function parseImageOrigins(raw: string | undefined): string[] {
  const origins = (raw ?? "").split(/[\s,]+/).filter((entry) => entry !== "");
  for (const origin of origins) {
    let shown: string | null = null;
    try {
      const url = new URL(origin);
      if (url.protocol === "http:" || url.protocol === "https:") shown = url.origin;
    } catch {
      // not a URL: reported below
    }
    if (shown !== origin || !PLAIN_ORIGIN.test(origin)) {
      const hint = shown !== null && shown !== origin && PLAIN_ORIGIN.test(shown) ? `; did you mean '${shown}'?` : "";
      throw new ConfigError(`TICKER_IMAGE_ORIGINS must list origins (http:// or https://, a plain host, an optional port, no path and no wildcard), separated by spaces or commas, got '${terminalText(origin)}'${hint}`);
    }
  }
  return [...new Set(origins)];
}

/** Reads the database choice alone (the command-line tools and the migration CLI need no more). */
export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const url = env.DATABASE_URL;
  if (url !== undefined && url !== "") {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql://, got '${url.replace(/:[^:@/]*@/, ":***@")}'`);
    }
    return { kind: "postgres", url, ...(parseBool("POSTGRES_JSON_ROWS", env.POSTGRES_JSON_ROWS, true) ? {} : { jsonRows: false }) };
  }
  const readWorkers = parseInteger("SQLITE_READ_WORKERS", env.SQLITE_READ_WORKERS, 0, 0, 16);
  const readDriver = env.SQLITE_READ_DRIVER ? { readDriver: path.resolve(env.SQLITE_READ_DRIVER) } : {};
  const jsonRows = parseBool("SQLITE_JSON_ROWS", env.SQLITE_JSON_ROWS, true) ? {} : { jsonRows: false };
  return { kind: "sqlite", file: path.resolve(env.SQLITE_FILE ?? path.join("data", "newsroom.sqlite")), ...(readWorkers > 0 ? { readWorkers } : {}), ...readDriver, ...jsonRows };
}

export function parseHttpConfig(env: NodeJS.ProcessEnv): HttpConfig {
  const timeouts = parseRequestTimeouts(env);
  return {
    port: parsePort(env.PORT, 4000),
    host: env.HOST ?? "0.0.0.0",
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    maxBodyBytes: parseInteger("MAX_BODY_BYTES", env.MAX_BODY_BYTES, 1_048_576, 1024, 104_857_600),
    headersTimeoutMs: timeouts.headersMs,
    requestTimeoutMs: timeouts.requestMs,
    // Above the 60 s idle timeout of nginx's upstream keepalive, Varnish's backends and cloud load
    // balancers: closing a connection they are about to reuse fails that request with a 502.
    keepAliveTimeoutMs: parseInteger("HTTP_KEEPALIVE_TIMEOUT_MS", env.HTTP_KEEPALIVE_TIMEOUT_MS, 65_000, 100, 3_600_000),
    maxConnections: parseInteger("HTTP_MAX_CONNECTIONS", env.HTTP_MAX_CONNECTIONS, 16_000, 1, 10_000_000),
    maxConnectionsPerAddress: parseInteger("HTTP_MAX_CONNECTIONS_PER_ADDRESS", env.HTTP_MAX_CONNECTIONS_PER_ADDRESS, 64, 1, 1_000_000),
  };
}

export function parseCorsConfig(env: NodeJS.ProcessEnv): CorsConfig {
  return {
    origins: parseOrigins("CORS_ORIGINS", env.CORS_ORIGINS, { wildcard: true }),
    allowHeaders: parseAllowHeaders(env.CORS_ALLOW_HEADERS),
    // Chromium caps it at 7200 s, Firefox at 86400 s.
    maxAgeSeconds: parseInteger("CORS_MAX_AGE", env.CORS_MAX_AGE, 7200, 0, 86_400),
  };
}

export function parseMetricsConfig(env: NodeJS.ProcessEnv): MetricsConfig {
  return { port: parseMetricsPort(env.METRICS_PORT), host: env.METRICS_HOST || "127.0.0.1" };
}

export function parseLogConfig(env: NodeJS.ProcessEnv): LogConfig {
  return { level: parseLogLevel(env.LOG_LEVEL) };
}

export function parseCommentsConfig(env: NodeJS.ProcessEnv): CommentsConfig {
  return {
    autoApprove: parseBool("AUTO_APPROVE_COMMENTS", env.AUTO_APPROVE_COMMENTS, false),
    rateLimit: parseInteger("COMMENT_RATE_LIMIT", env.COMMENT_RATE_LIMIT, 5, 1, 1_000_000),
    rateWindowSeconds: parseInteger("COMMENT_RATE_WINDOW_SECONDS", env.COMMENT_RATE_WINDOW_SECONDS, 60, 1, 86_400),
    addressRateLimit: parseInteger("COMMENT_ADDRESS_RATE_LIMIT", env.COMMENT_ADDRESS_RATE_LIMIT, 20, 1, 1_000_000),
    addressRateWindowSeconds: parseInteger("COMMENT_ADDRESS_RATE_WINDOW_SECONDS", env.COMMENT_ADDRESS_RATE_WINDOW_SECONDS, 600, 1, 86_400),
    maxPendingPerStory: parseInteger("COMMENT_MAX_PENDING_PER_STORY", env.COMMENT_MAX_PENDING_PER_STORY, 100, 1, 1_000_000),
  };
}

export function parsePreviewsConfig(env: NodeJS.ProcessEnv): PreviewsConfig {
  return {
    rateLimit: parseInteger("PREVIEW_RATE_LIMIT", env.PREVIEW_RATE_LIMIT, 10, 1, 1_000_000),
    rateWindowSeconds: parseInteger("PREVIEW_RATE_WINDOW_SECONDS", env.PREVIEW_RATE_WINDOW_SECONDS, 600, 1, 86_400),
  };
}

export function parseEventsConfig(env: NodeJS.ProcessEnv): EventsConfig {
  return {
    pollIntervalMs: parseInteger("EVENT_POLL_INTERVAL_MS", env.EVENT_POLL_INTERVAL_MS, 1000, 20, 600_000),
    retentionMs: parseInteger("EVENT_RETENTION_DAYS", env.EVENT_RETENTION_DAYS, 7, 1, 3650) * 86_400_000,
    schedulerIntervalMs: parseInteger("SCHEDULER_INTERVAL_MS", env.SCHEDULER_INTERVAL_MS, 1000, 50, 3_600_000),
  };
}

export function parseRedisConfig(env: NodeJS.ProcessEnv): RedisConfig {
  return {
    url: parseRedisUrl(env.REDIS_URL),
    outageLogMs: parseInteger("REDIS_OUTAGE_LOG_SECONDS", env.REDIS_OUTAGE_LOG_SECONDS, 60, 1, 86_400) * 1000,
  };
}

export function parseWebSocketConfig(env: NodeJS.ProcessEnv): WebSocketConfig {
  return {
    maxSubscriptionsPerConnection: parseInteger("WS_MAX_SUBSCRIPTIONS", env.WS_MAX_SUBSCRIPTIONS, 50, 1, 10_000),
    maxConnectionsPerAddress: parseInteger("WS_MAX_CONNECTIONS_PER_ADDRESS", env.WS_MAX_CONNECTIONS_PER_ADDRESS, 32, 1, 1_000_000),
    maxSubscriptionsPerAddress: parseInteger("WS_MAX_SUBSCRIPTIONS_PER_ADDRESS", env.WS_MAX_SUBSCRIPTIONS_PER_ADDRESS, 256, 1, 10_000_000),
    maxMessageBytes: parseInteger("WS_MAX_MESSAGE_BYTES", env.WS_MAX_MESSAGE_BYTES, 65_536, 1024, 16_777_216),
    keepAliveMs: parseInteger("WS_KEEPALIVE_MS", env.WS_KEEPALIVE_MS, 12_000, 100, 600_000),
    initTimeoutMs: parseInteger("WS_INIT_TIMEOUT_MS", env.WS_INIT_TIMEOUT_MS, 3000, 100, 600_000),
    origins: env.WS_ORIGINS === undefined || env.WS_ORIGINS.trim() === "" ? null : parseOrigins("WS_ORIGINS", env.WS_ORIGINS, { wildcard: false }),
  };
}

export function parseGraphQLConfig(env: NodeJS.ProcessEnv): GraphQLConfig {
  return {
    limits: {
      maxDepth: parseInteger("MAX_QUERY_DEPTH", env.MAX_QUERY_DEPTH, DEFAULT_LIMITS.maxDepth, 1, 100),
      maxAliases: parseInteger("MAX_QUERY_ALIASES", env.MAX_QUERY_ALIASES, DEFAULT_LIMITS.maxAliases, 0, 10_000),
      maxFieldRepeats: parseInteger("MAX_FIELD_REPEATS", env.MAX_FIELD_REPEATS, DEFAULT_LIMITS.maxFieldRepeats, 1, 10_000),
      maxDirectivesPerField: parseInteger("MAX_DIRECTIVES_PER_FIELD", env.MAX_DIRECTIVES_PER_FIELD, DEFAULT_LIMITS.maxDirectivesPerField, 0, 100),
      maxComplexity: parseInteger("MAX_QUERY_COMPLEXITY", env.MAX_QUERY_COMPLEXITY, DEFAULT_LIMITS.maxComplexity, 1, 10_000_000),
      maxTokens: parseInteger("MAX_QUERY_TOKENS", env.MAX_QUERY_TOKENS, DEFAULT_LIMITS.maxTokens, 100, 1_000_000),
    },
    introspection: parseBool("INTROSPECTION", env.INTROSPECTION, true),
    playground: parseBool("PLAYGROUND", env.PLAYGROUND, true),
    persistedQueriesBytes: parseInteger("PERSISTED_QUERIES_MB", env.PERSISTED_QUERIES_MB, 16, 1, 4096) * 1_048_576,
    earlyExecution: parseBool("EARLY_EXECUTION", env.EARLY_EXECUTION, true),
    compiledExecution: parseBool("COMPILED_EXECUTION", env.COMPILED_EXECUTION, true),
  };
}

export function parseCacheConfig(env: NodeJS.ProcessEnv): CacheConfig {
  return {
    enabled: parseBool("RESPONSE_CACHE", env.RESPONSE_CACHE, true),
    bytes: parseInteger("RESPONSE_CACHE_MB", env.RESPONSE_CACHE_MB, 64, 1, 65_536) * 1_048_576,
    // The admission's counts go up to 16 (src/cache/admission.ts).
    admitAfter: parseInteger("RESPONSE_CACHE_ADMIT_AFTER", env.RESPONSE_CACHE_ADMIT_AFTER, 2, 1, 15),
    maxAgeSeconds: parseInteger("CACHE_MAX_AGE", env.CACHE_MAX_AGE, 5, 0, 86_400),
    staleSeconds: parseInteger("CACHE_STALE_WHILE_REVALIDATE", env.CACHE_STALE_WHILE_REVALIDATE, 30, 0, 86_400),
    purgeUrl: parsePurgeUrl(env.CACHE_PURGE_URL),
    tags: parseCacheTags(env.CACHE_TAGS),
  };
}

function parseCacheTags(raw: string | undefined): "row" | "type" {
  const value = raw?.trim() ?? "";
  if (value === "") return "row";
  if (value === "row" || value === "type") return value;
  throw new ConfigError(`CACHE_TAGS must be row or type, got '${terminalText(value)}'`);
}

export function parseTickerConfig(env: NodeJS.ProcessEnv): TickerConfig {
  return { storyUrl: parseStoryUrl(env.TICKER_STORY_URL), frameAncestors: parseFrameAncestors(env.TICKER_FRAME_ANCESTORS), imageOrigins: parseImageOrigins(env.TICKER_IMAGE_ORIGINS) };
}

function parsePublicUrl(raw: string | undefined): string | null {
  if (raw === undefined || raw === "") return null;
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.origin !== raw.replace(/\/$/, "")) {
    throw new ConfigError(`PUBLIC_URL must be this server's public origin, scheme://host[:port] with no path (https://api.koran.example), got '${terminalText(raw)}'`);
  }
  return url.origin;
}

function parseLanguage(raw: string | undefined): string {
  if (raw === undefined || raw === "") return "id";
  // What the Google News sitemap schema accepts, which RSS and JSON Feed accept too.
  if (!/^(?:[a-z]{2,3}|zh-cn|zh-tw)$/.test(raw)) throw new ConfigError(`SITE_LANGUAGE must be an ISO 639 code of two or three lowercase letters (id, en), or zh-cn / zh-tw, got '${terminalText(raw)}'`);
  return raw;
}

export function parseFeedsConfig(env: NodeJS.ProcessEnv): FeedsConfig {
  const siteName = (env.SITE_NAME ?? "").trim();
  if (siteName.length > 200 || /\p{Cc}/u.test(siteName)) throw new ConfigError(`SITE_NAME must be at most 200 characters with no control characters, got '${terminalText(siteName.slice(0, 60))}'`);
  const content = env.FEED_CONTENT === undefined || env.FEED_CONTENT === "" ? "full" : env.FEED_CONTENT;
  if (content !== "full" && content !== "summary") throw new ConfigError(`FEED_CONTENT must be full or summary, got '${terminalText(content)}'`);
  return {
    publicUrl: parsePublicUrl(env.PUBLIC_URL),
    siteName: siteName || "Newsroom",
    language: parseLanguage(env.SITE_LANGUAGE),
    content,
    items: parseInteger("FEED_ITEMS", env.FEED_ITEMS, 20, 1, 100),
  };
}

// Digits and dots that are not an address (10.0.0) would be read as one by URLs, never as a name.
const DOTTED_DIGITS = /^[0-9.]+$/;
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** WEBHOOK_ALLOW_HOSTS: addresses (`127.0.0.1`, `::1`), subnets (`10.0.0.0/8`, `fd00::/8`) or host names (`hooks.internal`). */
function parseAllowHosts(raw: string | undefined): string[] {
  const entries = parseList(raw).map((entry) => entry.toLowerCase());
  for (const entry of entries) {
    const [address, bits, extra] = entry.split("/");
    const family = net.isIP(address!);
    const ok =
      extra === undefined &&
      (family !== 0 ? bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)) : bits === undefined && !DOTTED_DIGITS.test(address!) && HOST_NAME.test(address!));
    if (!ok) throw new ConfigError(`WEBHOOK_ALLOW_HOSTS must list addresses, subnets (10.0.0.0/8) or host names, separated by commas, got '${terminalText(entry)}'`);
  }
  return entries;
}

/** WEBHOOK_SECRET_KEY: 32 bytes, as 64 hexadecimal digits or in base64 (e.g. `openssl rand -base64 32`). */
function parseSecretKey(raw: string | undefined): Buffer | null {
  if (raw === undefined || raw.trim() === "") return null;
  const text = raw.trim();
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, "hex") : /^[A-Za-z0-9+/]{43}=$/.test(text) ? Buffer.from(text, "base64") : null;
  // The key itself is never echoed: its length says enough.
  if (key === null || key.length !== 32) throw new ConfigError(`WEBHOOK_SECRET_KEY must be 32 bytes as 64 hexadecimal digits or 44 characters of base64 (openssl rand -base64 32), got ${text.length} characters`);
  return key;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** WEBHOOK_CA_FILE: a PEM file of one or more CA certificates, read once at start. */
function parseCaFile(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === "") return [];
  const file = path.resolve(raw.trim());
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`WEBHOOK_CA_FILE must name a readable file of PEM certificates, got '${terminalText(file)}' (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`);
  }
  const certificates = text.match(PEM_CERTIFICATE) ?? [];
  if (certificates.length === 0) throw new ConfigError(`WEBHOOK_CA_FILE must hold PEM certificates (-----BEGIN CERTIFICATE-----), '${terminalText(file)}' has none`);
  certificates.forEach((pem, index) => {
    try {
      new X509Certificate(pem);
    } catch {
      throw new ConfigError(`WEBHOOK_CA_FILE: certificate ${index + 1} of '${terminalText(file)}' is not a valid certificate`);
    }
  });
  return certificates;
}

export function parseWebhooksConfig(env: NodeJS.ProcessEnv): WebhooksConfig {
  const retryBaseMs = parseInteger("WEBHOOK_RETRY_BASE_MS", env.WEBHOOK_RETRY_BASE_MS, 10_000, 10, 3_600_000);
  const retryMaxMs = parseInteger("WEBHOOK_RETRY_MAX_MS", env.WEBHOOK_RETRY_MAX_MS, 3_600_000, 10, 86_400_000);
  if (retryBaseMs > retryMaxMs) throw new ConfigError(`WEBHOOK_RETRY_BASE_MS (${retryBaseMs}) must not be longer than WEBHOOK_RETRY_MAX_MS (${retryMaxMs})`);
  return {
    allowHosts: parseAllowHosts(env.WEBHOOK_ALLOW_HOSTS),
    timeoutMs: parseInteger("WEBHOOK_TIMEOUT_MS", env.WEBHOOK_TIMEOUT_MS, 10_000, 100, 120_000),
    maxResponseBytes: parseInteger("WEBHOOK_MAX_RESPONSE_BYTES", env.WEBHOOK_MAX_RESPONSE_BYTES, 65_536, 0, 10_485_760),
    retryBaseMs,
    retryMaxMs,
    disableAfterMs: parseInteger("WEBHOOK_DISABLE_AFTER_MS", env.WEBHOOK_DISABLE_AFTER_MS, 86_400_000, 1000, 2_592_000_000),
    concurrency: parseInteger("WEBHOOK_CONCURRENCY", env.WEBHOOK_CONCURRENCY, 4, 1, 64),
    pollIntervalMs: parseInteger("WEBHOOK_POLL_INTERVAL_MS", env.WEBHOOK_POLL_INTERVAL_MS, 1000, 20, 600_000),
    logRetentionMs: parseInteger("WEBHOOK_LOG_RETENTION_DAYS", env.WEBHOOK_LOG_RETENTION_DAYS, 30, 1, 3650) * 86_400_000,
    secretKey: parseSecretKey(env.WEBHOOK_SECRET_KEY),
    extraCaCertificates: parseCaFile(env.WEBHOOK_CA_FILE),
  };
}

export function parseDeskConfig(env: NodeJS.ProcessEnv): DeskConfig {
  return { enabled: parseBool("DESK", env.DESK, true) };
}

/** The import pool's settings; the import command reads them alone, with the database's. */
export function parseImportConfig(env: NodeJS.ProcessEnv): ImportConfig {
  return {
    workers: parseInteger("IMPORT_WORKERS", env.IMPORT_WORKERS, 1, 1, 16),
    timeBudgetMs: parseInteger("IMPORT_TIME_BUDGET_MS", env.IMPORT_TIME_BUDGET_MS, 2000, 1, 600_000),
    maxQueued: parseInteger("IMPORT_QUEUE", env.IMPORT_QUEUE, 8, 0, 1000),
  };
}

/**
 * Reads and validates the environment. Throws {@link ConfigError} naming the bad variable.
 * `loadConfig({})` is the product's defaults (the test servers start from it too).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    http: parseHttpConfig(env),
    cors: parseCorsConfig(env),
    metrics: parseMetricsConfig(env),
    database: databaseConfigFromEnv(env),
    seed: parseBool("SEED", env.SEED, true),
    log: parseLogConfig(env),
    production: env.NODE_ENV === "production",
    comments: parseCommentsConfig(env),
    previews: parsePreviewsConfig(env),
    events: parseEventsConfig(env),
    redis: parseRedisConfig(env),
    websocket: parseWebSocketConfig(env),
    graphql: parseGraphQLConfig(env),
    cache: parseCacheConfig(env),
    ticker: parseTickerConfig(env),
    feeds: parseFeedsConfig(env),
    webhooks: parseWebhooksConfig(env),
    desk: parseDeskConfig(env),
    import: parseImportConfig(env),
  };
}
