import path from "node:path";
import proxyAddr from "proxy-addr";
import { terminalText } from "./common/terminal-text";
import { DEFAULT_LIMITS } from "./policy/limits";
import type { QueryLimits } from "./policy/limits";

/** Where the data lives: the embedded SQLite file, or a PostgreSQL server. */
export type DatabaseConfig =
  | { readonly kind: "sqlite"; readonly file: string }
  | { readonly kind: "postgres"; readonly url: string };

/**
 * Which proxies in front may write the client's address into X-Forwarded-For: none (the socket
 * address is the client), the nearest `n` hops, or the listed addresses, subnets and proxy-addr's
 * names (`loopback`, `linklocal`, `uniquelocal`). The client is the right-most hop not trusted.
 */
export type TrustProxy = false | number | readonly string[];

/** Everything the server reads from its environment, validated once at start. */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  /**
   * Where `/metrics` is served: null, on the public port with everything else; otherwise on a
   * port of its own (0 picks a free one) on `metricsHost`, and not on the public port at all.
   */
  readonly metricsPort: number | null;
  /** The interface the metrics port listens on (loopback unless a private network needs it). */
  readonly metricsHost: string;
  readonly database: DatabaseConfig;
  /** Load the seed story into an empty database on start. */
  readonly seed: boolean;
  readonly logLevel: string;
  readonly production: boolean;
  /** New comments are APPROVED at once instead of waiting as PENDING. */
  readonly autoApproveComments: boolean;
  /** Comments one client may post to one story per window. */
  readonly commentRateLimit: number;
  readonly commentRateWindowSeconds: number;
  /** Comments one client may post across all stories per window of its own (a flood spread over many stories). */
  readonly commentAddressRateLimit: number;
  readonly commentAddressRateWindowSeconds: number;
  /** Comments one story may hold waiting for moderation; past it, new ones are refused until moderators act. */
  readonly commentMaxPendingPerStory: number;
  /** Which proxies' X-Forwarded-For entries to believe for the client address (HTTP and WebSocket). */
  readonly trustProxy: TrustProxy;
  /** How often the scheduler looks for scheduled stories that are due. */
  readonly schedulerIntervalMs: number;
  /** Redis for telling other instances about new events (and sharing rate limits); unset on one instance. */
  readonly redisUrl: string | null;
  /** While Redis is down, how often a summary line says it still is (the first failure and the recovery are logged at once). */
  readonly redisOutageLogMs: number;
  /** How often each instance reads the event log even without a notification. */
  readonly eventPollIntervalMs: number;
  /** How long events stay resumable. */
  readonly eventRetentionMs: number;
  readonly wsMaxSubscriptions: number;
  /** Connections one client address may hold at once. */
  readonly wsMaxConnectionsPerAddress: number;
  /** Subscriptions all connections of one client address may hold at once. */
  readonly wsMaxSubscriptionsPerAddress: number;
  readonly wsMaxMessageBytes: number;
  readonly wsKeepAliveMs: number;
  readonly wsInitTimeoutMs: number;
  /** Cost limits of every operation, HTTP and WebSocket alike. */
  readonly limits: QueryLimits;
  /** Largest HTTP request body in bytes (larger: 413). */
  readonly maxBodyBytes: number;
  /** Time a client has to send a request's headers, from its first byte (or from connecting); slower: 408 and closed. */
  readonly httpHeadersTimeoutMs: number;
  /** Time a client has to send a whole request, headers and body; slower: 408 and closed. Not the time to answer it. */
  readonly httpRequestTimeoutMs: number;
  /** How long a kept-alive connection may sit idle between requests. */
  readonly httpKeepAliveTimeoutMs: number;
  /** TCP connections (HTTP and WebSocket) the server holds at once; more are closed on accept. */
  readonly httpMaxConnections: number;
  /** TCP connections one peer address may hold at once (HTTP and WebSocket); trusted proxies are exempt. */
  readonly httpMaxConnectionsPerAddress: number;
  /** Origins allowed to call the API from browsers (CORS); empty: no cross-origin access; ["*"]: any. */
  readonly corsOrigins: readonly string[];
  /** Request headers a cross-origin page may send: {@link DEFAULT_CORS_ALLOW_HEADERS} and CORS_ALLOW_HEADERS' extras, lower case. */
  readonly corsAllowHeaders: readonly string[];
  /** How long browsers may cache a preflight's answer (Access-Control-Max-Age), seconds; 0: they ask before every request. */
  readonly corsMaxAgeSeconds: number;
  /** Browser origins whose pages may open a WebSocket; null: any (see websocket.ts for why that is safe). */
  readonly wsOrigins: readonly string[] | null;
  readonly introspection: boolean;
  /** Anonymous queries answered from memory, dropped by what changes (RESPONSE_CACHE=false turns it off). */
  readonly responseCache: boolean;
  /** What the response cache may hold, in bytes. */
  readonly responseCacheBytes: number;
  /** What the automatic persisted queries' store may hold, in bytes. */
  readonly persistedQueriesBytes: number;
  /** Cache-Control max-age of anonymous GET answers, seconds. */
  readonly cacheMaxAgeSeconds: number;
  /** Cache-Control stale-while-revalidate of anonymous GET answers, seconds. */
  readonly cacheStaleSeconds: number;
  /** Where to purge changed tags at the HTTP cache in front (Varnish, deploy/varnish); null: nothing in front to purge. */
  readonly cachePurgeUrl: string | null;
  readonly playground: boolean;
  /** Where a ticker headline links: a URL or absolute path with `{slug}` standing for the story's slug. */
  readonly tickerStoryUrl: string;
  /** The CSP `frame-ancestors` sources of the ticker page: who may show it in an iframe. */
  readonly tickerFrameAncestors: string;
  /** How imported stories are read: off the main thread, within a time budget (IMPORT_WORKERS, IMPORT_TIME_BUDGET_MS, IMPORT_QUEUE). */
  readonly importPool: ImportPoolConfig;
}

/**
 * The worker threads that read imported stories (previewImport, importArticle, the seed, `npm run
 * import`), so that a story slow to read holds up no other request.
 */
export interface ImportPoolConfig {
  /** Worker threads reading stories at once (IMPORT_WORKERS, default 1). */
  readonly workers: number;
  /** Longest one story may take to read, in ms (IMPORT_TIME_BUDGET_MS, default 2000): past it its worker is stopped and replaced, and the import refused. */
  readonly timeBudgetMs: number;
  /** Stories that may wait for a worker (IMPORT_QUEUE, default 8): past it, more are refused RATE_LIMITED. */
  readonly maxQueued: number;
}

/** The import pool's settings when none is set (and the seed's, loaded without a server). */
export const DEFAULT_IMPORT_POOL: ImportPoolConfig = { workers: 1, timeBudgetMs: 2000, maxQueued: 8 };

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

/** Reads the database choice alone; entity decorators need it before the rest of the config. */
export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const url = env.DATABASE_URL;
  if (url !== undefined && url !== "") {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql://, got '${url.replace(/:[^:@/]*@/, ":***@")}'`);
    }
    return { kind: "postgres", url };
  }
  return { kind: "sqlite", file: path.resolve(env.SQLITE_FILE ?? path.join("data", "newsroom.sqlite")) };
}

/** Reads the import pool's settings alone, for the import command (which reads no other setting but the database). */
export function importPoolConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ImportPoolConfig {
  return {
    workers: parseInteger("IMPORT_WORKERS", env.IMPORT_WORKERS, DEFAULT_IMPORT_POOL.workers, 1, 16),
    timeBudgetMs: parseInteger("IMPORT_TIME_BUDGET_MS", env.IMPORT_TIME_BUDGET_MS, DEFAULT_IMPORT_POOL.timeBudgetMs, 1, 600_000),
    maxQueued: parseInteger("IMPORT_QUEUE", env.IMPORT_QUEUE, DEFAULT_IMPORT_POOL.maxQueued, 0, 1000),
  };
}

/** Reads and validates the environment. Throws {@link ConfigError} naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const timeouts = parseRequestTimeouts(env);
  return {
    port: parsePort(env.PORT, 4000),
    host: env.HOST ?? "0.0.0.0",
    metricsPort: parseMetricsPort(env.METRICS_PORT),
    metricsHost: env.METRICS_HOST || "127.0.0.1",
    database: databaseConfigFromEnv(env),
    seed: parseBool("SEED", env.SEED, true),
    logLevel: parseLogLevel(env.LOG_LEVEL),
    production: env.NODE_ENV === "production",
    autoApproveComments: parseBool("AUTO_APPROVE_COMMENTS", env.AUTO_APPROVE_COMMENTS, false),
    commentRateLimit: parseInteger("COMMENT_RATE_LIMIT", env.COMMENT_RATE_LIMIT, 5, 1, 1_000_000),
    commentRateWindowSeconds: parseInteger("COMMENT_RATE_WINDOW_SECONDS", env.COMMENT_RATE_WINDOW_SECONDS, 60, 1, 86_400),
    commentAddressRateLimit: parseInteger("COMMENT_ADDRESS_RATE_LIMIT", env.COMMENT_ADDRESS_RATE_LIMIT, 20, 1, 1_000_000),
    commentAddressRateWindowSeconds: parseInteger("COMMENT_ADDRESS_RATE_WINDOW_SECONDS", env.COMMENT_ADDRESS_RATE_WINDOW_SECONDS, 600, 1, 86_400),
    commentMaxPendingPerStory: parseInteger("COMMENT_MAX_PENDING_PER_STORY", env.COMMENT_MAX_PENDING_PER_STORY, 100, 1, 1_000_000),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    schedulerIntervalMs: parseInteger("SCHEDULER_INTERVAL_MS", env.SCHEDULER_INTERVAL_MS, 1000, 50, 3_600_000),
    redisUrl: parseRedisUrl(env.REDIS_URL),
    redisOutageLogMs: parseInteger("REDIS_OUTAGE_LOG_SECONDS", env.REDIS_OUTAGE_LOG_SECONDS, 60, 1, 86_400) * 1000,
    eventPollIntervalMs: parseInteger("EVENT_POLL_INTERVAL_MS", env.EVENT_POLL_INTERVAL_MS, 1000, 20, 600_000),
    eventRetentionMs: parseInteger("EVENT_RETENTION_DAYS", env.EVENT_RETENTION_DAYS, 7, 1, 3650) * 86_400_000,
    wsMaxSubscriptions: parseInteger("WS_MAX_SUBSCRIPTIONS", env.WS_MAX_SUBSCRIPTIONS, 50, 1, 10_000),
    wsMaxConnectionsPerAddress: parseInteger("WS_MAX_CONNECTIONS_PER_ADDRESS", env.WS_MAX_CONNECTIONS_PER_ADDRESS, 32, 1, 1_000_000),
    wsMaxSubscriptionsPerAddress: parseInteger("WS_MAX_SUBSCRIPTIONS_PER_ADDRESS", env.WS_MAX_SUBSCRIPTIONS_PER_ADDRESS, 256, 1, 10_000_000),
    wsMaxMessageBytes: parseInteger("WS_MAX_MESSAGE_BYTES", env.WS_MAX_MESSAGE_BYTES, 65_536, 1024, 16_777_216),
    wsKeepAliveMs: parseInteger("WS_KEEPALIVE_MS", env.WS_KEEPALIVE_MS, 12_000, 100, 600_000),
    wsInitTimeoutMs: parseInteger("WS_INIT_TIMEOUT_MS", env.WS_INIT_TIMEOUT_MS, 3000, 100, 600_000),
    limits: {
      maxDepth: parseInteger("MAX_QUERY_DEPTH", env.MAX_QUERY_DEPTH, DEFAULT_LIMITS.maxDepth, 1, 100),
      maxAliases: parseInteger("MAX_QUERY_ALIASES", env.MAX_QUERY_ALIASES, DEFAULT_LIMITS.maxAliases, 0, 10_000),
      maxFieldRepeats: parseInteger("MAX_FIELD_REPEATS", env.MAX_FIELD_REPEATS, DEFAULT_LIMITS.maxFieldRepeats, 1, 10_000),
      maxDirectivesPerField: parseInteger("MAX_DIRECTIVES_PER_FIELD", env.MAX_DIRECTIVES_PER_FIELD, DEFAULT_LIMITS.maxDirectivesPerField, 0, 100),
      maxComplexity: parseInteger("MAX_QUERY_COMPLEXITY", env.MAX_QUERY_COMPLEXITY, DEFAULT_LIMITS.maxComplexity, 1, 10_000_000),
      maxTokens: parseInteger("MAX_QUERY_TOKENS", env.MAX_QUERY_TOKENS, DEFAULT_LIMITS.maxTokens, 100, 1_000_000),
    },
    maxBodyBytes: parseInteger("MAX_BODY_BYTES", env.MAX_BODY_BYTES, 1_048_576, 1024, 104_857_600),
    httpHeadersTimeoutMs: timeouts.headersMs,
    httpRequestTimeoutMs: timeouts.requestMs,
    // Above the 60 s idle timeout of nginx's upstream keepalive, Varnish's backends and cloud load
    // balancers: closing a connection they are about to reuse fails that request with a 502.
    httpKeepAliveTimeoutMs: parseInteger("HTTP_KEEPALIVE_TIMEOUT_MS", env.HTTP_KEEPALIVE_TIMEOUT_MS, 65_000, 100, 3_600_000),
    httpMaxConnections: parseInteger("HTTP_MAX_CONNECTIONS", env.HTTP_MAX_CONNECTIONS, 16_000, 1, 10_000_000),
    httpMaxConnectionsPerAddress: parseInteger("HTTP_MAX_CONNECTIONS_PER_ADDRESS", env.HTTP_MAX_CONNECTIONS_PER_ADDRESS, 64, 1, 1_000_000),
    corsOrigins: parseOrigins("CORS_ORIGINS", env.CORS_ORIGINS, { wildcard: true }),
    corsAllowHeaders: parseAllowHeaders(env.CORS_ALLOW_HEADERS),
    // Chromium caps it at 7200 s, Firefox at 86400 s.
    corsMaxAgeSeconds: parseInteger("CORS_MAX_AGE", env.CORS_MAX_AGE, 7200, 0, 86_400),
    wsOrigins: env.WS_ORIGINS === undefined || env.WS_ORIGINS.trim() === "" ? null : parseOrigins("WS_ORIGINS", env.WS_ORIGINS, { wildcard: false }),
    introspection: parseBool("INTROSPECTION", env.INTROSPECTION, true),
    responseCache: parseBool("RESPONSE_CACHE", env.RESPONSE_CACHE, true),
    responseCacheBytes: parseInteger("RESPONSE_CACHE_MB", env.RESPONSE_CACHE_MB, 64, 1, 65_536) * 1_048_576,
    persistedQueriesBytes: parseInteger("PERSISTED_QUERIES_MB", env.PERSISTED_QUERIES_MB, 16, 1, 4096) * 1_048_576,
    cacheMaxAgeSeconds: parseInteger("CACHE_MAX_AGE", env.CACHE_MAX_AGE, 5, 0, 86_400),
    cacheStaleSeconds: parseInteger("CACHE_STALE_WHILE_REVALIDATE", env.CACHE_STALE_WHILE_REVALIDATE, 30, 0, 86_400),
    cachePurgeUrl: parsePurgeUrl(env.CACHE_PURGE_URL),
    playground: parseBool("PLAYGROUND", env.PLAYGROUND, true),
    tickerStoryUrl: parseStoryUrl(env.TICKER_STORY_URL),
    tickerFrameAncestors: parseFrameAncestors(env.TICKER_FRAME_ANCESTORS),
    importPool: importPoolConfigFromEnv(env),
  };
}
