import { Writable } from "node:stream";
import { createLogger } from "../../src/kernel/logger";
import type { Logger } from "../../src/kernel/logger";

/** A logger whose lines a test reads back: each parsed in `lines`, and as written in `raw`. */
export interface CapturedLogs {
  readonly logger: Logger;
  readonly lines: Array<Record<string, unknown>>;
  readonly raw: string[];
}

/** A logger at `level` that keeps every line it writes (hand it to the test server as `logger`). */
export function capturingLogger(level: "debug" | "info" = "info"): CapturedLogs {
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { logger: createLogger(level, sink), lines, raw };
}
