import { execFile } from "node:child_process";
import path from "node:path";

const SCRIPTS = path.resolve(__dirname, "..", "clients", "scripts");

/** What a fetch-based client put on the wire, as tests/clients/scripts/record-fetch.mjs records it. */
export interface SentRequest {
  method: string;
  url: string;
  contentType: string | null;
  status: number | null;
}

/**
 * Runs one of tests/clients/scripts/*.mjs in its own Node process (the ESM-only clients cannot
 * load in jest's CommonJS) and returns the JSON it printed last; fails with its output when it
 * exits non-zero or prints no JSON.
 */
export function runClientScript<T>(script: string, args: string[], timeoutMs = 60_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    execFile(process.execPath, [path.join(SCRIPTS, script), ...args], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const last = stdout.trim().split("\n").pop() ?? "";
      if (error) return reject(new Error(`${script} failed: ${error.message}\nstdout: ${stdout}\nstderr: ${stderr}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${script} printed no JSON\nstdout: ${stdout}\nstderr: ${stderr}`));
      }
    });
  });
}
