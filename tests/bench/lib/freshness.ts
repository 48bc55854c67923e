import http from "node:http";
import { createDraft, publish } from "./live";
import type { Proc } from "./proc";
import { q2Body } from "./queries";
import { quantile } from "./random";
import { StaleReadChecker } from "./stale-reads";

/** What the freshness check saw: every read, every publish, and the reads that were stale. */
export interface FreshnessResult {
  publishes: number;
  reads: number;
  readsPerSec: number;
  /** Reads sent after a publish's mutation had answered whose front page showed neither that story nor a newer one. */
  violations: number;
  /** A few of them, described. */
  examples: string[];
  readP50: number;
  readP99: number;
  mutationP50: number;
  mutationMax: number;
}

interface Read {
  sentAt: number;
  /** The newest bench-published story the answer shows (its index in publish order), -1 for none. */
  newest: number;
}

/**
 * Readers load Q2 (the front page, anonymous: the cached path) as fast as `readers` keep-alive
 * connections go, while an editor publishes a fresh story every `intervalMs` for `seconds`.
 * Every read is stamped when it is sent; once a publish's mutation has answered, every read
 * sent after that moment must show that story or a newer one. The drafts are written before
 * the readers start, so the publishes are the only writes under load.
 */
export async function runFreshness(server: Proc, token: string, options: { seconds: number; intervalMs: number; readers: number }): Promise<FreshnessResult> {
  const count = Math.round((options.seconds * 1000) / options.intervalMs);
  const drafts: string[] = [];
  for (let i = 0; i < count; i++) drafts.push(await createDraft(server, token, `Uji kesegaran ${i} ${Date.now()}`));
  const indexOf = new Map(drafts.map((id, i) => [id, i]));
  const answeredAt: number[] = [];
  const mutationMs: number[] = [];
  const reads: Read[] = [];
  const latencies: number[] = [];
  const failures: string[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.readers });
  const body = q2Body();
  const url = new URL(server.url);
  let reading = true;

  const readOnce = () =>
    new Promise<void>((resolve) => {
      const sentAt = performance.now();
      const req = http.request(
        { agent, host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const at = performance.now();
            try {
              const answer = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { data?: { articles: { nodes: Array<{ id: string }> } }; errors?: unknown };
              if (res.statusCode !== 200 || answer.errors || !answer.data) throw new Error(`HTTP ${res.statusCode}: ${JSON.stringify(answer.errors ?? answer).slice(0, 200)}`);
              const ids = answer.data.articles.nodes.map((n) => n.id);
              reads.push({ sentAt, newest: Math.max(-1, ...ids.map((id) => indexOf.get(id) ?? -1)) });
              latencies.push(at - sentAt);
            } catch (error) {
              failures.push(String(error));
            }
            resolve();
          });
        },
      );
      req.on("error", (error) => {
        failures.push(String(error));
        resolve();
      });
      req.end(body);
    });
  const reader = async () => {
    while (reading && failures.length === 0) await readOnce();
  };

  const readingFrom = performance.now();
  const readersDone = Promise.all(Array.from({ length: options.readers }, reader));
  await new Promise((r) => setTimeout(r, 300));
  const startedAt = performance.now();
  for (let i = 0; i < count; i++) {
    const due = startedAt + i * options.intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const { sentAt, roundTripMs } = await publish(server, token, drafts[i]!);
    answeredAt.push(sentAt + roundTripMs);
    mutationMs.push(roundTripMs);
  }
  await new Promise((r) => setTimeout(r, 300));
  reading = false;
  await readersDone;
  const endedAt = performance.now();
  agent.destroy();
  if (failures.length > 0) throw new Error(`freshness check: a read failed: ${failures[0]}`);

  // Publish #i makes the front page's version i; a read shows the newest bench-published story it lists.
  const checker = new StaleReadChecker();
  answeredAt.forEach((at, i) => checker.answered("front page", i, at));
  for (const read of reads) checker.read("front page", read.newest, read.sentAt);
  const sortedReads = [...latencies].sort((a, b) => a - b);
  const sortedMutations = [...mutationMs].sort((a, b) => a - b);
  return {
    publishes: count,
    reads: reads.length,
    readsPerSec: reads.length / ((endedAt - readingFrom) / 1000),
    violations: checker.violations,
    examples: checker.examples(),
    readP50: quantile(sortedReads, 0.5),
    readP99: quantile(sortedReads, 0.99),
    mutationP50: quantile(sortedMutations, 0.5),
    mutationMax: sortedMutations[sortedMutations.length - 1] ?? Number.NaN,
  };
}
