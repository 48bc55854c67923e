import "reflect-metadata";
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

/** Runs `src/main.ts` as `npm start` would, to its exit (bounded), with its output. */
function start(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-r", path.join(ROOT, "tests", "helpers", "ts-register.js"), path.join(ROOT, "src", "main.ts")], {
      cwd: ROOT,
      env: { ...process.env, HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", DATABASE_URL: "", REDIS_URL: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`still running after 30 s:\n${stdout}\n${stderr}`));
    }, 30_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A fresh data folder that does not exist yet: a start that fails must not create it. */
function dataFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "newsroom-start-")), "data", "newsroom.sqlite");
}

describe("a start that cannot succeed says why in one line and writes nothing", () => {
  it.each([
    ["LOG_LEVEL", "verbose", /LOG_LEVEL must be one of .*got 'verbose'/],
    ["DATABASE_URL", "garbage", /DATABASE_URL must start with postgres:\/\/ or postgresql:\/\/, got 'garbage'/],
  ])("%s=%s", async (name, value, message) => {
    const file = dataFile();
    const run = await start({ SQLITE_FILE: file, [name]: value });
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^cannot start: /);
    expect(lines[0]).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.dirname(file))).toBe(false);
  });

  it("a port already in use", async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const file = dataFile();
      const run = await start({ SQLITE_FILE: file, PORT: String(port) });
      expect(run.code).toBe(1);
      const lines = run.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toBe(`cannot start: PORT ${port} on 127.0.0.1 is already in use (set PORT to a free port, or stop what listens there)`);
      expect(fs.existsSync(path.dirname(file))).toBe(false);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
