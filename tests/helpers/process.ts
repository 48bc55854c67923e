import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

/** A server running in its own process, started from the TypeScript sources as `npm start` would run it. */
export interface ServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  output: () => string;
  /** Sends a signal and resolves with the exit code. */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** `startMs`: how long it may take to say it is ready (transpiling the sources on a busy machine takes a while). */
export async function startServerProcess(env: Record<string, string>, startMs = 30_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["-r", path.join(ROOT, "tests", "helpers", "ts-register.js"), path.join(ROOT, "src", "main.ts")], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${startMs / 1000} s:\n${output}`)), startMs);
    const look = () => {
      const match = /"url":"http:\/\/[^:]+:(\d+)\/graphql"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on("data", look);
    void exited.then((code) => reject(new Error(`server exited with ${code} before it started:\n${output}`)));
  });
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}/graphql`,
    output: () => output,
    async kill(signal = "SIGTERM") {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
