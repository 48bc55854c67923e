import { execFile, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { ROOT, childEnv, distFile } from "./paths";

/** A server process (the GraphQL server or the ceiling) on an ephemeral port of 127.0.0.1. */
export interface Proc {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly url: string;
  readonly port: number;
  /** Everything it printed so far. */
  output(): string;
  /** Resident set size now, in bytes (VmRSS), or NaN once it is gone. */
  rss(): number;
  /** Peak resident set size (VmHWM), in bytes. */
  peakRss(): number;
  /** CPU time used so far (user + system), in milliseconds. */
  cpuMs(): number;
  /** SIGTERM (or `signal`), then how it ended: its exit code, or the signal that ended it. */
  stop(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals | null>;
}

function statusField(pid: number, field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

const TICKS_PER_SECOND = 100;

function cpuMsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at ") ": utime and stime are the 14th and 15th fields.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** The processes `pid` started that still run (varnishd's manager runs its cache in a child). */
function childrenOf(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((task) => fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** CPU time of `pid` and of the processes under it that still run, in milliseconds. */
function cpuMsOfTree(pid: number): number {
  return cpuMsOf(pid) + childrenOf(pid).reduce((sum, child) => sum + (cpuMsOfTree(child) || 0), 0);
}

/** A port that was free a moment ago on 127.0.0.1 (the server is then started on it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** How a started process says it is ready: a `"url":"http://…:PORT/graphql"` line, or GET /healthz answering 200 on `port`. */
export type Readiness = { kind: "url-line" } | { kind: "healthz"; port: number };

async function healthy(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Every process started here that has not ended yet: killed if this driver exits or dies first. */
const running = new Set<ChildProcess>();
let reaperInstalled = false;

function killRunning(): void {
  for (const child of running) child.kill("SIGKILL");
}

function installReaper(): void {
  if (reaperInstalled) return;
  reaperInstalled = true;
  process.on("exit", killRunning);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      killRunning();
      process.exit(130);
    });
  }
}

/** CPU time the whole machine has spent busy since boot (all cores, from /proc/stat), in milliseconds. */
export function machineCpuMs(): number {
  const fields = /^cpu\s+(.*)$/m.exec(fs.readFileSync("/proc/stat", "utf8"))![1]!.split(/\s+/).map(Number);
  // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return ((user + nice + system + irq + softirq + steal) * 1000) / TICKS_PER_SECOND;
}

/** Starts `node <script>` and waits until it is ready. `nodeArgs` go before the script (e.g. --cpu-prof). */
export function startProcess(name: string, script: string, env: Record<string, string>, ready: Readiness, nodeArgs: string[] = []): Promise<Proc> {
  return startExecutable(name, process.execPath, [...nodeArgs, script], env, ready);
}

/** Starts `command args…` and waits until it is ready; its CPU counts the processes it starts too. */
export async function startExecutable(name: string, command: string, args: string[], env: Record<string, string>, ready: Readiness): Promise<Proc> {
  installReaper();
  const child = spawn(command, args, { cwd: ROOT, env: childEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  child.once("exit", () => running.delete(child));
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-200_000)));
  child.stderr!.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-200_000)));
  let ended: number | NodeJS.Signals | null | undefined;
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once("exit", (code, signal) => {
      ended = code ?? signal;
      resolve(ended);
    }),
  );
  const deadline = Date.now() + 60_000;
  let port = 0;
  while (port === 0) {
    if (ended !== undefined) throw new Error(`${name} exited (${String(ended)}) before it was ready:\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${name} was not ready within 60 s:\n${output}`);
    }
    if (ready.kind === "url-line") {
      const match = /"url":"http:\/\/[^:"]+:(\d+)\/graphql"/.exec(output);
      if (match) port = Number(match[1]);
    } else if (await healthy(ready.port)) {
      port = ready.port;
    }
    if (port === 0) await new Promise((r) => setTimeout(r, 50));
  }
  const pid = child.pid!;
  return {
    name,
    child,
    pid,
    port,
    url: `http://127.0.0.1:${port}/graphql`,
    output: () => output,
    rss: () => statusField(pid, "VmRSS"),
    peakRss: () => statusField(pid, "VmHWM"),
    cpuMs: () => cpuMsOfTree(pid),
    async stop(signal = "SIGTERM") {
      if (ended === undefined) child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      const how = await exited;
      clearTimeout(timer);
      return how;
    },
  };
}

/**
 * The Node flags `npm start` runs the server with (package.json's start script), so that what is
 * measured is what operators run.
 */
export function startFlags(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts?: Record<string, string> };
  const start = pkg.scripts?.start ?? "";
  const match = /^node((?:\s+--[^\s]+)*)\s+dist\/src\/main\.js$/.exec(start.trim());
  if (match) return match[1]!.trim().split(/\s+/).filter(Boolean);
  // `npm start` builds when stale first (scripts/run-built.mjs), passing the Node flags as --node-arg=X.
  const launcher = /^node\s+scripts\/run-built\.mjs((?:\s+--node-arg=[^\s]+)*)\s+src\/main\.js$/.exec(start.trim());
  if (launcher) return launcher[1]!.trim().split(/\s+/).filter(Boolean).map((arg) => arg.slice("--node-arg=".length));
  throw new Error(`package.json's start script is neither "node [--flags] dist/src/main.js" nor "node scripts/run-built.mjs [--node-arg=--flag…] src/main.js": ${start}`);
}

/**
 * The GraphQL server, `node dist/src/main.js` with {@link startFlags}, over `file` (or over the
 * PostgreSQL database `env.DATABASE_URL` names, which the server prefers), in production
 * posture. LOG_LEVEL is warn: at info the server logs every request, which would be measured too.
 * So the port is chosen here and readiness is GET /healthz.
 */
export async function startServer(file: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<Proc> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    // Every bench client comes from 127.0.0.1: the per-address connection and WebSocket limits would refuse the fan-out.
    const settings = { SQLITE_FILE: file, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn", SEED: "false", NODE_ENV: "production", HTTP_MAX_CONNECTIONS_PER_ADDRESS: "1000000", WS_MAX_CONNECTIONS_PER_ADDRESS: "1000000", WS_MAX_SUBSCRIPTIONS_PER_ADDRESS: "10000000", ...env };
    try {
      return await startProcess("server", distFile("src", "main.js"), settings, { kind: "healthz", port }, [...startFlags(), ...nodeArgs]);
    } catch (error) {
      // Someone took the port between the probe and the start: try another.
      if (attempt >= 3 || !String(error).includes("EADDRINUSE")) throw error;
    }
  }
}

/** The node-sqlite3 ceiling (tests/bench/ceiling.ts, compiled) over `file`, read-only. */
export function startCeiling(file: string): Promise<Proc> {
  return startProcess("node-sqlite3 ceiling", distFile("tests", "bench", "ceiling.js"), { SQLITE_FILE: file, PORT: "0" }, { kind: "url-line" });
}

/** The better-sqlite3 ceiling (tests/bench/ceiling-better.ts, compiled) over `file`, read-only. */
export function startBetterCeiling(file: string): Promise<Proc> {
  return startProcess("better-sqlite3 ceiling", distFile("tests", "bench", "ceiling-better.js"), { SQLITE_FILE: file, PORT: "0" }, { kind: "url-line" });
}

/** The fan-out ceiling (tests/bench/ws-ceiling.ts, compiled): a bare ws server. */
export function startWsCeiling(nodeArgs: string[] = []): Promise<Proc> {
  return startProcess("ws ceiling", distFile("tests", "bench", "ws-ceiling.js"), { PORT: "0" }, { kind: "url-line" }, nodeArgs);
}

/**
 * Mints an API token with `node dist/src/tools/token.js create` on `file` (or on the database
 * `env.DATABASE_URL` names, as for {@link startServer}); the token is its last line.
 */
export function mintToken(file: string, role: "EDITOR" | "ADMIN" | "MODERATOR", name: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [distFile("src", "tools", "token.js"), "create", "--name", name, "--role", role], { cwd: ROOT, env: childEnv({ SQLITE_FILE: file, ...env }) }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`token.js failed: ${error.message}\n${stdout}${stderr}`));
      const token = stdout.trim().split("\n").pop()?.trim();
      if (!token) return reject(new Error(`token.js printed no token:\n${stdout}`));
      resolve(token);
    });
  });
}

/** This process's soft limit of open files (`ulimit -n`), read from /proc. */
export function openFileLimit(): { soft: number; hard: number } {
  const line = /^Max open files\s+(\S+)\s+(\S+)/m.exec(fs.readFileSync("/proc/self/limits", "utf8"));
  const parse = (v: string | undefined) => (v === undefined || v === "unlimited" ? Number.POSITIVE_INFINITY : Number(v));
  return { soft: parse(line?.[1]), hard: parse(line?.[2]) };
}

/** Bytes as decimal megabytes (1 MB = 10^6 bytes), the stricter reading of a "400 MB" target. */
export function mb(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / 1e6).toFixed(0)} MB` : "n/a";
}
