import "reflect-metadata";
import { ConfigError, loadConfig } from "../../src/config";

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
    ["CORS_ORIGINS", "https://portal.example/", "got 'https://portal.example/'; did you mean 'https://portal.example'?"],
    ["CORS_ALLOW_HEADERS", "x-edition, x bad", "got 'x bad'"],
    ["WS_ORIGINS", "*", "got '*'"],
    ["TICKER_STORY_URL", "/\\evil.example/{slug}", "got '/\\\\evil.example/{slug}'"],
    ["TICKER_FRAME_ANCESTORS", "self", "got 'self'"],
  ])("refuses %s=%s, naming the variable and the value", (name, value, shown) => {
    const message = refusal({ [name]: value });
    expect(message.startsWith(name)).toBe(true);
    expect(message).toContain(shown);
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
