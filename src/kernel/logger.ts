import pino from "pino";
import type { Logger } from "pino";

export type { Logger };

/**
 * Errors are logged by name, message, code and stack only: a failed query carries its SQL
 * parameters, which may hold a commenter's email, and those must never reach the logs.
 */
function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { type: error.name, message: error.message, ...(code === undefined ? {} : { code }), stack: error.stack };
}

/** The process's structured logger (stdout unless `destination` is given). Authorization headers and emails are redacted wherever they appear. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options = {
    level,
    serializers: { err: serializeError },
    redact: { paths: ["req.headers.authorization", "*.authorEmail", "*.*.authorEmail", "authorization"], censor: "[redacted]" },
  };
  return destination ? pino(options, destination) : pino(options);
}
