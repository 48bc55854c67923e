import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ConfigError, loadConfig } from "../../src/config";
import { makeTestCertificates } from "../helpers/tls";

/** The message loading `env` is refused with. */
function refusal(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error(`${JSON.stringify(env)} was accepted`);
}

const INTEGERS = [
  "PORT",
  "COMMENT_RATE_LIMIT",
  "COMMENT_RATE_WINDOW_SECONDS",
  "SCHEDULER_INTERVAL_MS",
  "REDIS_OUTAGE_LOG_SECONDS",
  "EVENT_POLL_INTERVAL_MS",
  "EVENT_RETENTION_DAYS",
  "WS_MAX_SUBSCRIPTIONS",
  "WS_MAX_CONNECTIONS_PER_ADDRESS",
  "WS_MAX_SUBSCRIPTIONS_PER_ADDRESS",
  "WS_MAX_MESSAGE_BYTES",
  "WS_KEEPALIVE_MS",
  "WS_INIT_TIMEOUT_MS",
  "MAX_QUERY_DEPTH",
  "MAX_QUERY_ALIASES",
  "MAX_FIELD_REPEATS",
  "MAX_DIRECTIVES_PER_FIELD",
  "MAX_QUERY_COMPLEXITY",
  "MAX_QUERY_TOKENS",
  "MAX_BODY_BYTES",
  "CORS_MAX_AGE",
  "RESPONSE_CACHE_MB",
  "PERSISTED_QUERIES_MB",
  "CACHE_MAX_AGE",
  "FEED_ITEMS",
  "CACHE_STALE_WHILE_REVALIDATE",
  "COMMENT_ADDRESS_RATE_LIMIT",
  "COMMENT_ADDRESS_RATE_WINDOW_SECONDS",
  "COMMENT_MAX_PENDING_PER_STORY",
  "HTTP_HEADERS_TIMEOUT_MS",
  "HTTP_REQUEST_TIMEOUT_MS",
  "HTTP_KEEPALIVE_TIMEOUT_MS",
  "HTTP_MAX_CONNECTIONS_PER_ADDRESS",
  "HTTP_MAX_CONNECTIONS",
  "RESPONSE_CACHE_ADMIT_AFTER",
  "WEBHOOK_TIMEOUT_MS",
  "WEBHOOK_MAX_RESPONSE_BYTES",
  "WEBHOOK_DISABLE_AFTER_MS",
  "WEBHOOK_CONCURRENCY",
  "WEBHOOK_POLL_INTERVAL_MS",
  "WEBHOOK_LOG_RETENTION_DAYS",
  "PREVIEW_RATE_LIMIT",
  "PREVIEW_RATE_WINDOW_SECONDS",
  "IMPORT_WORKERS",
  "IMPORT_TIME_BUDGET_MS",
  "IMPORT_QUEUE",
];

const BOOLEANS = ["SEED", "AUTO_APPROVE_COMMENTS", "INTROSPECTION", "RESPONSE_CACHE", "PLAYGROUND"];

describe("loadConfig", () => {
  it("starts with nothing set", () => {
    expect(() => loadConfig({})).not.toThrow();
  });

  describe.each(INTEGERS)("%s", (name) => {
    it("is refused when not an integer, naming the variable, its range and the value", () => {
      for (const value of ["many", "1.5", "-"]) expect(refusal({ [name]: value })).toMatch(new RegExp(`^${name} must be an integer from \\d+ to \\d+, got '${value}'$`));
    });

    it("admits both ends of the range it names and refuses just outside them", () => {
      const [, min, max] = /from (\d+) to (\d+)/.exec(refusal({ [name]: "many" }))!.map(Number) as [number, number, number];
      for (const value of [min, max]) expect(() => loadConfig({ [name]: String(value) })).not.toThrow();
      for (const value of [min - 1, max + 1]) expect(refusal({ [name]: String(value) })).toBe(`${name} must be an integer from ${min} to ${max}, got '${value}'`);
    });
  });

  it.each(BOOLEANS)("refuses %s other than true or false, naming it and the value", (name) => {
    expect(refusal({ [name]: "maybe" })).toBe(`${name} must be true or false, got 'maybe'`);
    for (const value of ["1", "true", "Yes", "on", "0", "false", "No", "off"]) expect(() => loadConfig({ [name]: value })).not.toThrow();
  });

  it.each([
    ["TRUST_PROXY", "true", "TRUST_PROXY='true' is refused"],
    ["TRUST_PROXY", "101", "got '101'"],
    ["TRUST_PROXY", "10.0.0.0/99", "got '10.0.0.0/99'"],
    ["TRUST_PROXY", "loopback,,10.0.0.1", "got 'loopback,,10.0.0.1'"],
    ["CACHE_PURGE_URL", "ftp://varnish.internal/", "got 'ftp:' in 'ftp://varnish.internal/'"],
    ["CACHE_PURGE_URL", "varnish.internal", "got 'varnish.internal'"],
    ["CACHE_TAGS", "rows", "got 'rows'"],
    ["CORS_ORIGINS", "https://portal.example/", "got 'https://portal.example/'; did you mean 'https://portal.example'?"],
    ["CORS_ALLOW_HEADERS", "x-edition, x bad", "got 'x bad'"],
    ["WS_ORIGINS", "*", "got '*'"],
    ["TICKER_STORY_URL", "/\\evil.example/{slug}", "got '/\\\\evil.example/{slug}'"],
    ["TICKER_FRAME_ANCESTORS", "self", "got 'self'"],
    ["PUBLIC_URL", "https://api.koran.example/feeds", "got 'https://api.koran.example/feeds'"],
    ["PUBLIC_URL", "api.koran.example", "got 'api.koran.example'"],
    ["SITE_LANGUAGE", "Indonesian", "got 'Indonesian'"],
    ["SITE_LANGUAGE", "id-ID", "got 'id-ID'"],
    ["FEED_CONTENT", "excerpt", "got 'excerpt'"],
    ["WEBHOOK_ALLOW_HOSTS", "127.0.0.1, 10.0.0", "got '10.0.0'"],
    ["WEBHOOK_ALLOW_HOSTS", "10.0.0.0/33", "got '10.0.0.0/33'"],
    ["WEBHOOK_ALLOW_HOSTS", "hooks.internal:8080", "got 'hooks.internal:8080'"],
    ["WEBHOOK_ALLOW_HOSTS", "http://hooks.internal", "got 'http://hooks.internal'"],
  ])("refuses %s=%s, naming the variable and the value", (name, value, shown) => {
    const message = refusal({ [name]: value });
    expect(message.startsWith(name)).toBe(true);
    expect(message).toContain(shown);
  });

  it("refuses a first webhook retry longer than the longest", () => {
    expect(refusal({ WEBHOOK_RETRY_BASE_MS: "60000", WEBHOOK_RETRY_MAX_MS: "30000" })).toBe("WEBHOOK_RETRY_BASE_MS (60000) must not be longer than WEBHOOK_RETRY_MAX_MS (30000)");
    expect(refusal({ WEBHOOK_RETRY_MAX_MS: "many" })).toBe("WEBHOOK_RETRY_MAX_MS must be an integer from 10 to 86400000, got 'many'");
    expect(loadConfig({ WEBHOOK_RETRY_BASE_MS: "50", WEBHOOK_RETRY_MAX_MS: "200" }).webhooks).toMatchObject({ retryBaseMs: 50, retryMaxMs: 200 });
  });

  it("reads WEBHOOK_SECRET_KEY as 32 bytes in hex or base64, and never echoes a bad one", () => {
    expect(loadConfig({ WEBHOOK_SECRET_KEY: "ab".repeat(32) }).webhooks.secretKey).toEqual(Buffer.alloc(32, 0xab));
    expect(loadConfig({ WEBHOOK_SECRET_KEY: Buffer.alloc(32, 7).toString("base64") }).webhooks.secretKey).toEqual(Buffer.alloc(32, 7));
    expect(loadConfig({}).webhooks.secretKey).toBeNull();
    const message = refusal({ WEBHOOK_SECRET_KEY: "hunter2-not-a-key" });
    expect(message).toBe("WEBHOOK_SECRET_KEY must be 32 bytes as 64 hexadecimal digits or 44 characters of base64 (openssl rand -base64 32), got 17 characters");
  });

  it("reads WEBHOOK_CA_FILE's PEM certificates once, and refuses a file that is missing or holds none", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsroom-ca-"));
    try {
      const { ca } = makeTestCertificates();
      const other = makeTestCertificates().ca;
      const file = path.join(dir, "cas.pem");
      fs.writeFileSync(file, `# the newsroom's private CAs\n${ca}\n${other}`);
      expect(loadConfig({ WEBHOOK_CA_FILE: file }).webhooks.extraCaCertificates.map((pem) => pem.trim())).toEqual([ca.trim(), other.trim()]);
      expect(loadConfig({}).webhooks.extraCaCertificates).toEqual([]);
      const missing = path.join(dir, "none.pem");
      expect(refusal({ WEBHOOK_CA_FILE: missing })).toBe(`WEBHOOK_CA_FILE must name a readable file of PEM certificates, got '${missing}' (ENOENT)`);
      const empty = path.join(dir, "empty.pem");
      fs.writeFileSync(empty, "not a certificate\n");
      expect(refusal({ WEBHOOK_CA_FILE: empty })).toBe(`WEBHOOK_CA_FILE must hold PEM certificates (-----BEGIN CERTIFICATE-----), '${empty}' has none`);
      const broken = path.join(dir, "broken.pem");
      fs.writeFileSync(broken, `${ca}\n-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n`);
      expect(refusal({ WEBHOOK_CA_FILE: broken })).toBe(`WEBHOOK_CA_FILE: certificate 2 of '${broken}' is not a valid certificate`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads WEBHOOK_ALLOW_HOSTS as addresses, subnets and host names", () => {
    expect(loadConfig({ WEBHOOK_ALLOW_HOSTS: "127.0.0.1, ::1,10.0.5.0/24 , fd00::/8,Hooks.Internal" }).webhooks.allowHosts).toEqual(["127.0.0.1", "::1", "10.0.5.0/24", "fd00::/8", "hooks.internal"]);
    expect(loadConfig({}).webhooks.allowHosts).toEqual([]);
  });

  it.each([
    ["REDIS_URL", "http://user:s3cret@cache.internal:6379", "got 'http://user:***@cache.internal:6379'"],
    ["DATABASE_URL", "mysql://news:s3cret@db.internal/news", "got 'mysql://news:***@db.internal/news'"],
    ["CACHE_PURGE_URL", "ftp://purger:s3cret@varnish.internal/", "in 'ftp://purger:***@varnish.internal/'"],
  ])("refuses %s=%s, naming the value with its password hidden", (name, value, shown) => {
    const message = refusal({ [name]: value });
    expect(message.startsWith(name)).toBe(true);
    expect(message).toContain(shown);
    expect(message).not.toContain("s3cret");
  });
});

describe("feeds settings", () => {
  it("default to the request's own origin, full text, twenty items, Indonesian", () => {
    expect(loadConfig({}).feeds).toEqual({ publicUrl: null, siteName: "Newsroom", language: "id", content: "full", items: 20 });
  });

  it("take a public origin with or without its trailing slash, and the publication's name and language", () => {
    expect(loadConfig({ PUBLIC_URL: "https://api.koran.example/", SITE_NAME: " Koran Contoh ", SITE_LANGUAGE: "zh-tw", FEED_CONTENT: "summary" }).feeds).toEqual({
      publicUrl: "https://api.koran.example",
      siteName: "Koran Contoh",
      language: "zh-tw",
      content: "summary",
      items: 20,
    });
  });
});
