import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startDaemon } from "./daemon";
import { metricOf } from "./server";
import type { TestServer } from "./server";

/** Debian's varnishd (apt-get install varnish varnish-modules). */
export const VARNISHD = "/usr/sbin/varnishd";
export const hasVarnish = fs.existsSync(VARNISHD);

const VCL = path.resolve(__dirname, "..", "..", "deploy", "varnish", "default.vcl");

export interface Varnish {
  port: number;
  url: string;
  stop(): Promise<void>;
}

/**
 * varnishd in the foreground, in a process group of its own (manager and cache child), with a
 * work directory of its own, in front of `backendPort` with deploy/varnish/default.vcl: the copy
 * it runs differs from the shipped file in the backend port alone.
 */
export async function startVarnish(port: number, backendPort: number): Promise<Varnish> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsroom-varnish-"));
  // Run as root, varnishd reads the VCL as its unprivileged user (Debian's jail: varnish, vcache).
  fs.chmodSync(dir, 0o755);
  const shipped = fs.readFileSync(VCL, "utf8");
  const vcl = shipped.replace(/(backend origin \{[^}]*\.port = )"4000";/, `$1"${backendPort}";`);
  if (vcl === shipped) throw new Error(`${VCL} no longer names port "4000" in backend origin; the test cannot point it at its server`);
  fs.writeFileSync(path.join(dir, "default.vcl"), vcl, { mode: 0o644 });
  const daemon = await startDaemon({
    name: "varnishd",
    command: VARNISHD,
    args: ["-F", "-a", `127.0.0.1:${port}`, "-f", path.join(dir, "default.vcl"), "-n", path.join(dir, "work"), "-s", "malloc,32m"],
    dir,
    url: `http://127.0.0.1:${port}`,
  });
  return { port, url: daemon.url, stop: daemon.stop };
}

/** Waits for a counter to reach `value`, failing after `ms`. */
export async function counterReaches(t: TestServer, name: string, labels: string, value: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while ((await metricOf(t, name, labels)) < value) {
    if (Date.now() > deadline) throw new Error(`${name}{${labels}} stayed at ${await metricOf(t, name, labels)}, below ${value}, for ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Purges the server has sent to the cache in front, and that went through. */
export const purgesSent = (t: TestServer) => metricOf(t, "edge_cache_purges_total", 'outcome="sent"');
