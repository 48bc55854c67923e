import path from "node:path";

/** Where the data lives: the embedded SQLite file, or a PostgreSQL server. */
export type DatabaseConfig =
  | { readonly kind: "sqlite"; readonly file: string }
  | { readonly kind: "postgres"; readonly url: string };

/** Everything the server reads from its environment, validated once at start. */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
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
  /** Express's `trust proxy`: which proxies' X-Forwarded-For to believe for the client address. */
  readonly trustProxy: boolean | number | string;
  /** How often the scheduler looks for scheduled stories that are due. */
  readonly schedulerIntervalMs: number;
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

function parseInteger(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  return value;
}

function parseTrustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === "" || /^(0|false|no|off)$/i.test(raw)) return false;
  if (/^(true|yes|on)$/i.test(raw)) return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}

function parseBool(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === "") return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got '${raw}'`);
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

/** Reads and validates the environment. Throws {@link ConfigError} naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    port: parsePort(env.PORT, 4000),
    host: env.HOST ?? "0.0.0.0",
    database: databaseConfigFromEnv(env),
    seed: parseBool("SEED", env.SEED, true),
    logLevel: env.LOG_LEVEL ?? "info",
    production: env.NODE_ENV === "production",
    autoApproveComments: parseBool("AUTO_APPROVE_COMMENTS", env.AUTO_APPROVE_COMMENTS, false),
    commentRateLimit: parseInteger("COMMENT_RATE_LIMIT", env.COMMENT_RATE_LIMIT, 5, 1, 1_000_000),
    commentRateWindowSeconds: parseInteger("COMMENT_RATE_WINDOW_SECONDS", env.COMMENT_RATE_WINDOW_SECONDS, 60, 1, 86_400),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    schedulerIntervalMs: parseInteger("SCHEDULER_INTERVAL_MS", env.SCHEDULER_INTERVAL_MS, 1000, 50, 3_600_000),
  };
}
