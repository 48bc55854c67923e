import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";

/** A port free on 127.0.0.1 now (for a daemon a test starts, or for nothing to listen on). */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A daemon a test runs in the foreground, answering `url`. */
export interface Daemon {
  readonly url: string;
  /** Stops its whole process group and removes its directory. */
  stop(): Promise<void>;
}

/**
 * Starts `command` in the foreground, in a process group of its own (so its workers stop with
 * it), and waits until `url`/healthz answers 200 through it. `dir` is the daemon's own directory,
 * removed on stop; `extraLog` reads what it logs to files there. Fails with everything it
 * printed when it exits early or does not answer within 30 s.
 */
export async function startDaemon(options: { name: string; command: string; args: string[]; dir: string; url: string; extraLog?: () => string }): Promise<Daemon> {
  const { name, dir, url } = options;
  const child = spawn(options.command, options.args, { detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const log = () => output + (options.extraLog?.() ?? "");
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid!, "SIGTERM");
      const killer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 5000);
      await exited;
      clearTimeout(killer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      const printed = log();
      await stop();
      throw new Error(`${name} exited with ${child.exitCode}:\n${printed}`);
    }
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) return { url, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      const printed = log();
      await stop();
      throw new Error(`${name} did not answer within 30 s:\n${printed}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
