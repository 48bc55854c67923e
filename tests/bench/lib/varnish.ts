import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./paths";
import { freePort, startExecutable } from "./proc";
import type { Proc } from "./proc";

/** Where Debian's varnish package puts the daemon. */
export const VARNISHD = "/usr/sbin/varnishd";
/** The project's VCL (deploy/varnish/, issue 11 item 3). */
export const VCL_FILE = path.join(ROOT, "deploy", "varnish", "default.vcl");

/** Why the "through Varnish" rows cannot run here, or null when they can. */
export function varnishMissing(): string | null {
  if (!fs.existsSync(VARNISHD)) return "varnishd missing";
  if (!fs.existsSync(VCL_FILE)) return `${path.relative(ROOT, VCL_FILE)} missing`;
  return null;
}

/**
 * varnishd in the foreground with the project's VCL, in front of `backend`: a copy of the VCL
 * whose first `.host` and `.port` (the backend's) point at the server under test, a working
 * directory under `dir`, malloc storage, listening on a free port of 127.0.0.1. Ready when
 * GET /healthz answers through it.
 */
export async function startVarnish(backend: Proc, dir: string): Promise<Proc> {
  const workdir = path.join(dir, "varnish");
  fs.mkdirSync(workdir, { recursive: true });
  const vcl = fs
    .readFileSync(VCL_FILE, "utf8")
    .replace(/\.host\s*=\s*"[^"]*"\s*;/, `.host = "127.0.0.1";`)
    .replace(/\.port\s*=\s*"[^"]*"\s*;/, `.port = "${backend.port}";`);
  const vclFile = path.join(workdir, "bench.vcl");
  fs.writeFileSync(vclFile, vcl);
  const port = await freePort();
  // -j none: the bench runs as whoever runs it; no jail user needs to read the working directory.
  return startExecutable("varnish", VARNISHD, ["-F", "-j", "none", "-n", workdir, "-a", `127.0.0.1:${port}`, "-f", vclFile, "-s", "malloc,256m"], {}, { kind: "healthz", port });
}
