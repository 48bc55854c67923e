import autocannon from "autocannon";
import { monotonicUs } from "../profile";
import type { TimeWindow } from "../profile";
import { machineCpuMs } from "./proc";
import type { Proc } from "./proc";

/** One autocannon run against one target. */
export interface LoadResult {
  requestsPerSec: number;
  /** Latency percentiles, in milliseconds. */
  p50: number;
  p99: number;
  max: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Response bytes per second. */
  bytesPerSec: number;
  /** CPU the target used during the run (100 = one core). */
  targetCpu: number;
  /** CPU this driver (autocannon) used during the run (100 = one core). */
  driverCpu: number;
  /** CPU everything else on the machine used meanwhile (100 = one core): other people's work skews the figures. */
  otherCpu: number;
  /** When the run went on (to cut a CPU profile to it). */
  window: TimeWindow;
}

export interface LoadOptions {
  target: Proc;
  /** POST bodies, sent round-robin across all connections (one alone: always the same). */
  bodies: readonly string[];
  seconds: number;
  connections: number;
}

/** Loads `target` with autocannon for `seconds`, POSTing `bodies` in turn. */
export async function runLoad({ target, bodies, seconds, connections }: LoadOptions): Promise<LoadResult> {
  let next = 0;
  const headers = { "content-type": "application/json" };
  const requests: autocannon.Request[] =
    bodies.length === 1
      ? [{ method: "POST", headers, body: bodies[0]! }]
      : [
          {
            method: "POST",
            headers,
            setupRequest: (request) => {
              request.body = bodies[next++ % bodies.length]!;
              return request;
            },
          },
        ];
  const cpuBefore = target.cpuMs();
  const machineBefore = machineCpuMs();
  const driverBefore = process.cpuUsage();
  const startedAt = performance.now();
  const fromUs = monotonicUs();
  const result = await autocannon({ url: target.url, connections, duration: seconds, pipelining: 1, timeout: 10, requests });
  const elapsedMs = performance.now() - startedAt;
  const toUs = monotonicUs();
  const driver = process.cpuUsage(driverBefore);
  const targetMs = target.cpuMs() - cpuBefore;
  const driverMs = (driver.user + driver.system) / 1000;
  const machineMs = machineCpuMs() - machineBefore;
  return {
    requestsPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    bytesPerSec: result.throughput.average,
    targetCpu: (targetMs / elapsedMs) * 100,
    driverCpu: (driverMs / elapsedMs) * 100,
    otherCpu: (Math.max(0, machineMs - targetMs - driverMs) / elapsedMs) * 100,
    window: { fromUs, toUs },
  };
}
