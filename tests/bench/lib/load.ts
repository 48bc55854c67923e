import type autocannonModule from "autocannon";
import { autocannon as loadAutocannon } from "./tools";
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
  /**
   * GET sends each body as the query string a CDN-friendly client sends (query, operationName,
   * variables as JSON), without a body; POST (the default) sends it as it is.
   */
  method?: "GET" | "POST";
}

/** A POST body as the GET request path that carries the same operation. */
export function getPathOf(url: string, body: string): string {
  const { query, operationName, variables } = JSON.parse(body) as { query: string; operationName?: string; variables?: unknown };
  const params = new URLSearchParams({ query, ...(operationName ? { operationName } : {}), variables: JSON.stringify(variables ?? {}) });
  return `${new URL(url).pathname}?${params.toString()}`;
}

/** Loads `target` with autocannon for `seconds`, sending `bodies` in turn. */
export async function runLoad({ target, bodies, seconds, connections, method = "POST" }: LoadOptions): Promise<LoadResult> {
  let next = 0;
  const headers: Record<string, string> = method === "POST" ? { "content-type": "application/json" } : {};
  // What varies per request: the body of a POST, the path (query string) of a GET.
  const field = method === "GET" ? "path" : "body";
  const payloads = method === "GET" ? bodies.map((body) => getPathOf(target.url, body)) : bodies;
  const requests: autocannonModule.Request[] =
    payloads.length === 1
      ? [{ method, headers, [field]: payloads[0]! }]
      : [
          {
            method,
            headers,
            setupRequest: (request) => {
              request[field] = payloads[next++ % payloads.length]!;
              return request;
            },
          },
        ];
  const cpuBefore = target.cpuMs();
  const machineBefore = machineCpuMs();
  const driverBefore = process.cpuUsage();
  const startedAt = performance.now();
  const fromUs = monotonicUs();
  const result = await loadAutocannon()({ url: target.url, connections, duration: seconds, pipelining: 1, timeout: 10, requests });
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
