import { createClient } from "graphql-ws";
import type { Client } from "graphql-ws";
import WebSocket from "ws";
import { mustGql } from "./gql";
import type { Proc } from "./proc";
import { CREATE_DRAFT, PUBLISH, SUBSCRIBE_PUBLISHED } from "./queries";
import { monotonicUs } from "../profile";
import type { TimeWindow } from "../profile";
import { quantile } from "./random";

interface PublishedEvent {
  articlePublished: { cursor: string; type: string; article: { id: string; slug: string; title: string; publishedAt: string } };
}

/** A graphql-ws client with one `articlePublished` subscription that notes when each story arrived. */
export interface Ticker {
  client: Client;
  /** performance.now() at which each story id arrived. */
  arrivals: Map<string, number>;
  errors: string[];
  /** Resolves on connection_ack; rejects if the socket closes or errs first. */
  connected: Promise<void>;
  onArrival?: (id: string) => void;
}

export function wsUrlOf(server: Proc): string {
  return `ws://127.0.0.1:${server.port}/graphql`;
}

/** Opens one socket, subscribes once (graphql-ws sends the subscribe right after the ack). */
export function openTicker(url: string): Ticker {
  let ack!: () => void;
  let fail!: (error: Error) => void;
  const connected = new Promise<void>((resolve, reject) => {
    ack = resolve;
    fail = reject;
  });
  const ticker: Ticker = { client: undefined as unknown as Client, arrivals: new Map(), errors: [], connected };
  ticker.client = createClient({
    url,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    on: {
      connected: () => ack(),
      closed: (event) => fail(new Error(`socket closed before connection_ack: ${(event as { code?: number }).code ?? "?"}`)),
      error: (error) => fail(error instanceof Error ? error : new Error(String((error as { message?: string }).message ?? error))),
    },
  });
  ticker.client.subscribe<PublishedEvent>(
    { query: SUBSCRIBE_PUBLISHED },
    {
      next: (value) => {
        const at = performance.now();
        const id = value.data?.articlePublished.article.id;
        if (value.errors || !id) {
          ticker.errors.push(JSON.stringify(value.errors ?? value));
          return;
        }
        if (!ticker.arrivals.has(id)) ticker.arrivals.set(id, at);
        ticker.onArrival?.(id);
      },
      error: (error) => ticker.errors.push(error instanceof Error ? error.message : JSON.stringify(error)),
      complete: () => undefined,
    },
  );
  return ticker;
}

/** Opens `count` tickers, at most `concurrency` handshakes at a time; resolves when all are acknowledged. */
export async function openTickers(url: string, count: number, concurrency: number): Promise<Ticker[]> {
  const tickers: Ticker[] = [];
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started++;
      const ticker = openTicker(url);
      tickers.push(ticker);
      await ticker.connected;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return tickers;
}

export async function closeTickers(tickers: readonly Ticker[]): Promise<void> {
  // dispose() rejects for a socket that never got its ack; that was reported when it happened.
  for (let i = 0; i < tickers.length; i += 500) await Promise.all(tickers.slice(i, i + 500).map((t) => Promise.resolve(t.client.dispose()).catch(() => undefined)));
}

/** A new draft (no event yet), ready to be published. */
export async function createDraft(server: Proc, token: string, title: string): Promise<string> {
  const data = await mustGql<{ createArticle: { id: string } }>(
    server.url,
    CREATE_DRAFT,
    { input: { title, summary: "Berita uji siaran langsung.", body: `${title}.\n\nParagraf kedua berita uji siaran langsung.`, tags: ["Pemasyarakatan"] } },
    token,
  );
  return data.createArticle.id;
}

/** Publishes `id`; returns performance.now() just before the mutation was sent, and its round trip. */
export async function publish(server: Proc, token: string, id: string): Promise<{ sentAt: number; roundTripMs: number }> {
  const sentAt = performance.now();
  await mustGql(server.url, PUBLISH, { id }, token);
  return { sentAt, roundTripMs: performance.now() - sentAt };
}

/** Resolves when every ticker has `id`, or after `timeoutMs` (then some have not). */
export async function waitForArrivals(tickers: readonly Ticker[], id: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && tickers.some((t) => !t.arrivals.has(id))) await new Promise((r) => setTimeout(r, 10));
}

/** How many subscribers received the event, and when (ms from the publish): the first, the median, the 99th percentile, the last. */
export interface Arrivals {
  received: number;
  first: number;
  p50: number;
  p99: number;
  max: number;
}

/** Each ticker's arrival of event `id`, in ms after `sentAt`, sorted (tickers it never reached left out). */
function arrivalsSince(tickers: ReadonlyArray<{ arrivals: ReadonlyMap<string, number> }>, id: string, sentAt: number): number[] {
  return tickers
    .map((t) => t.arrivals.get(id))
    .filter((at): at is number => at !== undefined)
    .map((at) => at - sentAt)
    .sort((a, b) => a - b);
}

function arrivalSummary(sorted: readonly number[]): Arrivals {
  return { received: sorted.length, first: sorted[0] ?? Number.NaN, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

/**
 * Publishes each side's fan-out gets before the measured ones, unmeasured: the first message of
 * a kind runs the receiving clients' code (and the sender's) cold. The server's fan-out ran
 * first with a cold driver and the ceiling's after it with a warm one; the driver then spent
 * 1.3–1.6 × the CPU per message on the server's run.
 */
export const FANOUT_WARMUPS = 1;
/** Measured fan-outs per side: a single one swung by a third from run to run, on both sides. */
export const FANOUT_ROUNDS = 5;

/** One measured fan-out round: arrivals from the trigger sent to the event received, per subscriber. */
export interface FanoutRound extends Arrivals {
  /** Server (or ceiling) CPU (user + system) from just before the trigger to the last arrival, in ms (10 ms ticks). */
  serverCpuMs: number;
  /** This process's CPU over the same span (the clients' work on the messages), in ms. */
  driverCpuMs: number;
  /** From sending the trigger to the last arrival (to cut a CPU profile to it). */
  window: TimeWindow;
}

/** The server's round: the publish's round trip, and the arrivals from its answer. */
export interface ServerFanoutRound extends FanoutRound {
  /**
   * The same arrivals from the publish's answer (received here) instead of from sending it: the
   * fan-out starts at the publish's commit, a moment before its answer, so this takes out the
   * write transaction that the bare ws server's trigger (a POST doing nothing) does not have.
   */
  fromAnswer: Arrivals;
  mutationMs: number;
}

/**
 * The round whose `p99Of` is the median of the rounds (the lower middle one for an even count),
 * reported whole so that its figures belong together; every round's p99 is kept beside it.
 */
function medianRound<R>(rounds: readonly R[], p99Of: (round: R) => number): R {
  const sorted = [...rounds].sort((a, b) => p99Of(a) - p99Of(b));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** A fan-out to `subscribers`, {@link FANOUT_ROUNDS} times: the median round's figures, and every round's p99. */
export interface FanoutResult extends ServerFanoutRound {
  subscribers: number;
  /** Each measured round's p99 from the publish's answer, in the order run. */
  roundsP99: number[];
  /** The unmeasured warm-up rounds' p99 from the publish's answer (the first fan-out after the subscribers came: cold code on both ends). */
  warmupsP99: number[];
  /** How long opening all the sockets took. */
  connectMs: number;
  rssBefore: number;
  rssAfter: number;
  peakRss: number;
  errors: string[];
}

/**
 * N subscribers (one socket and one subscription each), {@link FANOUT_WARMUPS} unmeasured
 * publishes and then {@link FANOUT_ROUNDS} measured ones, each waited for by every subscriber:
 * per subscriber, the time from sending the publish mutation (and from its answer) to receiving
 * the event; and the server's RSS afterwards.
 */
export async function runFanout(server: Proc, token: string, subscribers: number, log: (line: string) => void): Promise<FanoutResult> {
  const ids: string[] = [];
  for (let i = 0; i < FANOUT_WARMUPS + FANOUT_ROUNDS; i++) ids.push(await createDraft(server, token, `Uji siaran ke ${subscribers} pelanggan ${i + 1} ${Date.now()}`));
  const connectStarted = performance.now();
  const tickers = await openTickers(wsUrlOf(server), subscribers, 100);
  const connectMs = performance.now() - connectStarted;
  // The server sends no ack for a subscribe: give it time to take the last ones in.
  const settleMs = 1500 + Math.round(subscribers / 5);
  log(`  ${subscribers} sockets acknowledged in ${(connectMs / 1000).toFixed(1)} s; waiting ${settleMs} ms for the subscriptions to settle`);
  await new Promise((r) => setTimeout(r, settleMs));
  const rssBefore = server.rss();
  const rounds: ServerFanoutRound[] = [];
  const warmupsP99: number[] = [];
  for (const [i, id] of ids.entries()) {
    let roundTripMs = 0;
    const { latencies, ...spent } = await timeRound(server, tickers, id, async () => {
      const published = await publish(server, token, id);
      roundTripMs = published.roundTripMs;
      return published.sentAt;
    });
    if (i >= FANOUT_WARMUPS) {
      rounds.push({ ...arrivalSummary(latencies), fromAnswer: arrivalSummary(latencies.map((ms) => ms - roundTripMs)), mutationMs: roundTripMs, ...spent });
    } else {
      warmupsP99.push(quantile(latencies.map((ms) => ms - roundTripMs), 0.99));
    }
    await pause(ROUND_GAP_MS);
  }
  const rssAfter = server.rss();
  const errors = tickers.flatMap((t) => t.errors);
  await closeTickers(tickers);
  const median = medianRound(rounds, (r) => r.fromAnswer.p99);
  // Received: by every subscriber in every round, or the fewest that were.
  return { subscribers, ...median, received: Math.min(...rounds.map((r) => r.received)), roundsP99: rounds.map((r) => r.fromAnswer.p99), warmupsP99, connectMs, rssBefore, rssAfter, peakRss: server.peakRss(), errors };
}

/**
 * One round of a fan-out: `trigger` sends its cause and says when (performance.now()); then every
 * ticker's arrival of `id` after that, in ms, sorted, and what the target and this process spent
 * meanwhile, with the span as a window on the CPU profiles' clock.
 */
async function timeRound(target: Proc, tickers: readonly Ticker[], id: string, trigger: () => Promise<number>): Promise<{ latencies: number[]; serverCpuMs: number; driverCpuMs: number; window: TimeWindow }> {
  // performance.now() → the monotonic clock of CPU profiles.
  const monoOffsetUs = monotonicUs() - performance.now() * 1000;
  const serverCpu = target.cpuMs();
  const driverCpu = driverCpuMs();
  const sentAt = await trigger();
  await waitForArrivals(tickers, id, 15_000);
  const driverCpuSpent = driverCpuMs() - driverCpu;
  const serverCpuSpent = target.cpuMs() - serverCpu;
  const latencies = arrivalsSince(tickers, id, sentAt);
  const lastUs = (sentAt + (latencies[latencies.length - 1] ?? 0)) * 1000;
  return { latencies, serverCpuMs: serverCpuSpent, driverCpuMs: driverCpuSpent, window: { fromUs: monoOffsetUs + sentAt * 1000, toUs: monoOffsetUs + lastUs } };
}

/** Between rounds: the sockets' write callbacks and the clients' last messages settle before the next trigger. */
const ROUND_GAP_MS = 300;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface SingleResult {
  /** Publish mutation sent → event received, each publish in turn, in ms. */
  latencies: number[];
  mutationMs: number[];
  p50: number;
  max: number;
}

/** One subscriber, `repeats` publishes one after another: the push latency of one instance. */
export async function runSingle(server: Proc, token: string, repeats: number): Promise<SingleResult> {
  const [ticker] = await openTickers(wsUrlOf(server), 1, 1);
  await new Promise((r) => setTimeout(r, 300));
  const latencies: number[] = [];
  const mutationMs: number[] = [];
  try {
    for (let i = 0; i < repeats; i++) {
      const id = await createDraft(server, token, `Uji satu pelanggan ${i} ${Date.now()}`);
      await new Promise((r) => setTimeout(r, 50));
      const { sentAt, roundTripMs } = await publish(server, token, id);
      await waitForArrivals([ticker!], id, 5000);
      const at = ticker!.arrivals.get(id);
      if (at === undefined) throw new Error(`the single subscriber did not receive story ${id} within 5 s`);
      latencies.push(at - sentAt);
      mutationMs.push(roundTripMs);
    }
  } finally {
    await closeTickers([ticker!]);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  return { latencies, mutationMs, p50: quantile(sorted, 0.5), max: sorted[sorted.length - 1]! };
}

/** This process's CPU time so far (user + system), in ms. */
function driverCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** What the fan-out ceiling measured: a bare `ws` server sending one message to every socket. */
export interface CeilingFanoutResult extends Arrivals {
  subscribers: number;
  /** "plain": ws clients that JSON.parse; "graphql-ws": graphql-ws clients, as the server's subscribers. */
  clients: "plain" | "graphql-ws";
  rssAfter: number;
  /** The ceiling's CPU from just before the POST to the last arrival, in ms (10 ms ticks). */
  serverCpuMs: number;
  /** This process's CPU over the same span, in ms. */
  driverCpuMs: number;
  /** From sending the POST to the last arrival (to cut a CPU profile to it; the graphql-ws run's). */
  window?: TimeWindow;
  /** Each measured round's p99 in the order run (the graphql-ws run's; the plain run has one round). */
  roundsP99?: number[];
  /** The unmeasured warm-up rounds' p99 (the graphql-ws run's). */
  warmupsP99?: number[];
}

/** The `articlePublished` payload the ceiling sends, shaped like the server's (cursor, type, the article's four fields). */
function ceilingPayload(id: string, subscribers: number): { data: PublishedEvent } {
  return { data: { articlePublished: { cursor: "0000000000010001", type: "PUBLISHED", article: { id, slug: `uji-siaran-ke-${subscribers}-pelanggan`, title: `Uji siaran ke ${subscribers} pelanggan`, publishedAt: new Date().toISOString() } } } };
}

/**
 * The server's fan-out, but against the ws ceiling speaking the least of graphql-ws: the same
 * graphql-ws clients as {@link runFanout} (parse, validate, the sink), so that the two sides'
 * receiving work is the same, and the same rounds (warm-ups, then measured ones); per client,
 * from sending the POST to the `next` received.
 */
export async function runCeilingFanoutGraphqlWs(ceiling: Proc, subscribers: number): Promise<CeilingFanoutResult> {
  const tickers = await openTickers(wsUrlOf(ceiling), subscribers, 100);
  // As for the server: the subscribes have no answer; give the ceiling time to note the last ones.
  await new Promise((r) => setTimeout(r, 500 + Math.round(subscribers / 20)));
  const rounds: FanoutRound[] = [];
  const warmupsP99: number[] = [];
  for (let i = 0; i < FANOUT_WARMUPS + FANOUT_ROUNDS; i++) {
    const id = `QXJ0aWNsZTo${Date.now()}${i}`;
    const { latencies, ...spent } = await timeRound(ceiling, tickers, id, async () => {
      const sentAt = performance.now();
      const response = await fetch(ceiling.url, { method: "POST", body: JSON.stringify(ceilingPayload(id, subscribers)) });
      await response.arrayBuffer();
      return sentAt;
    });
    if (i >= FANOUT_WARMUPS) {
      rounds.push({ ...arrivalSummary(latencies), ...spent });
    } else {
      warmupsP99.push(quantile(latencies, 0.99));
    }
    await pause(ROUND_GAP_MS);
  }
  const rssAfter = ceiling.rss();
  const errors = tickers.flatMap((t) => t.errors);
  await closeTickers(tickers);
  if (errors.length > 0) throw new Error(`graphql-ws clients of the ws ceiling erred: ${errors.slice(0, 3).join("; ")}`);
  const median = medianRound(rounds, (r) => r.p99);
  return { subscribers, clients: "graphql-ws", ...median, received: Math.min(...rounds.map((r) => r.received)), rssAfter, roundsP99: rounds.map((r) => r.p99), warmupsP99 };
}

/**
 * The same fan-out against the ws ceiling (tests/bench/ws-ceiling.ts): `subscribers` plain ws
 * clients, one message shaped like the server's `next` for `articlePublished`, sent by
 * `POST /graphql`; per client, from sending that POST to receiving and parsing the message.
 */
export async function runCeilingFanout(ceiling: Proc, subscribers: number): Promise<CeilingFanoutResult> {
  const id = `QXJ0aWNsZTo${Date.now()}`;
  const arrivals = new Map<WebSocket, number>();
  const sockets: WebSocket[] = [];
  let opened = 0;
  const open = async () => {
    while (opened < subscribers) {
      opened++;
      const socket = new WebSocket(wsUrlOf(ceiling));
      sockets.push(socket);
      socket.on("message", (data: Buffer) => {
        const at = performance.now();
        // Parse as a client would, and keep only the story it waits for.
        const message = JSON.parse(data.toString("utf8")) as { payload?: { data?: PublishedEvent } };
        if (message.payload?.data?.articlePublished.article.id === id && !arrivals.has(socket)) arrivals.set(socket, at);
      });
      await new Promise<void>((resolve, reject) => {
        socket.once("open", () => resolve());
        socket.once("error", reject);
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(100, subscribers) }, open));
  const message = JSON.stringify({ id: "0b9c2c8e-6f0e-4a4e-9d8e-2f9d3d6c1a7b", type: "next", payload: ceilingPayload(id, subscribers) });
  const serverCpu = ceiling.cpuMs();
  const driverCpu = driverCpuMs();
  const sentAt = performance.now();
  const response = await fetch(ceiling.url, { method: "POST", body: message });
  await response.arrayBuffer();
  const deadline = Date.now() + 15_000;
  while (arrivals.size < subscribers && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const driverCpuSpent = driverCpuMs() - driverCpu;
  const serverCpuSpent = ceiling.cpuMs() - serverCpu;
  const rssAfter = ceiling.rss();
  const latencies = [...arrivals.values()].map((at) => at - sentAt).sort((a, b) => a - b);
  for (const socket of sockets) socket.terminate();
  return { subscribers, clients: "plain", ...arrivalSummary(latencies), rssAfter, serverCpuMs: serverCpuSpent, driverCpuMs: driverCpuSpent };
}
