import path from "node:path";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { createClient } from "graphql-ws";
import type { Client } from "graphql-ws";
import WebSocket from "ws";

/*
 * The ticker subscribers of `bench -- --mix`, in a worker thread of their own. In the driver's
 * main thread, 2,000 sockets receiving one event each in a burst kept its event loop busy for
 * tens of milliseconds per write, and the reads that ended meanwhile were timed late: the
 * server's p99 would have carried the driver's work. Arrivals are stamped on the shared clock
 * (performance.timeOrigin + performance.now()) and handed over when asked.
 */

/** The ticker page's own subscription (src/ticker/assets/ticker.js). */
export const TICKER_EVENTS = `subscription TickerEvents($filter: ArticleSubscriptionFilter, $after: String) {
  articleEvents(filter: $filter, after: $after) { cursor type article { id slug title publishedAt authors { name } } }
}`;

/** Milliseconds since the epoch with sub-millisecond precision, the same in every thread. */
export const clockNow = () => performance.timeOrigin + performance.now();

interface HostData {
  tickerHost: true;
  url: string;
  count: number;
}

type ToWorker = { type: "arrivals" } | { type: "close" };
type FromWorker =
  | { type: "ready"; subscribed: number }
  | { type: "error"; message: string }
  | { type: "arrivals"; arrivals: Array<[string, number[]]> }
  | { type: "closed" };

/**
 * `count` graphql-ws clients, one socket and one `articleEvents` subscription each; every event
 * noted under `TYPE:article id` with when it arrived (the shared clock).
 */
async function openTickers(url: string, count: number, arrivals: Map<string, number[]>, onError: (message: string) => void): Promise<Client[]> {
  const clients: Client[] = [];
  let opened = 0;
  const open = async () => {
    while (opened < count) {
      opened++;
      await new Promise<void>((resolve, reject) => {
        const client = createClient({
          url,
          webSocketImpl: WebSocket,
          retryAttempts: 0,
          lazy: true,
          on: {
            connected: () => resolve(),
            closed: (event) => reject(new Error(`a ticker's socket closed before connection_ack: ${(event as { code?: number }).code ?? "?"}`)),
            error: (error) => reject(error instanceof Error ? error : new Error(String(error))),
          },
        });
        clients.push(client);
        client.subscribe<{ articleEvents: { type: string; article: { id: string } } }>(
          { query: TICKER_EVENTS, variables: {} },
          {
            next: (value) => {
              const at = clockNow();
              const event = value.data?.articleEvents;
              if (!event || value.errors) return onError(JSON.stringify(value.errors ?? value).slice(0, 300));
              const key = `${event.type}:${event.article.id}`;
              let list = arrivals.get(key);
              if (!list) arrivals.set(key, (list = []));
              list.push(at);
            },
            error: (error) => onError(error instanceof Error ? error.message : JSON.stringify(error).slice(0, 300)),
            complete: () => undefined,
          },
        );
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(50, count) }, open));
  return clients;
}

async function closeClients(clients: readonly Client[]): Promise<void> {
  for (let i = 0; i < clients.length; i += 500) await Promise.all(clients.slice(i, i + 500).map((c) => Promise.resolve(c.dispose()).catch(() => undefined)));
}

/** The subscribers, wherever they run: connected, asked for their arrivals, closed. */
export interface TickerPool {
  readonly subscribed: number;
  /** Every arrival so far, by `TYPE:article id`, on the shared clock. */
  arrivals(): Promise<Map<string, number[]>>;
  /** Errors the subscriptions reported. */
  readonly errors: string[];
  close(): Promise<void>;
}

/** The subscribers in this thread (for a few of them, as in the jest test of the mix's pieces). */
export async function inlineTickers(url: string, count: number): Promise<TickerPool> {
  const arrivals = new Map<string, number[]>();
  const errors: string[] = [];
  const clients = await openTickers(url, count, arrivals, (m) => errors.push(m));
  return { subscribed: clients.length, errors, arrivals: async () => new Map(arrivals), close: () => closeClients(clients) };
}

/** The subscribers in a worker thread (the bench's 2,000). */
export function workerTickers(url: string, count: number): Promise<TickerPool> {
  const data: HostData = { tickerHost: true, url, count };
  // Compiled (dist/…/ticker-host.js) the worker runs this file; from the sources (ts-jest) it registers the TypeScript loader first.
  const worker = __filename.endsWith(".ts")
    ? new Worker(`require(${JSON.stringify(path.join(__dirname, "..", "..", "helpers", "ts-register.js"))}); require(${JSON.stringify(__filename)});`, { eval: true, workerData: data })
    : new Worker(__filename, { workerData: data });
  const errors: string[] = [];
  const waiting: Array<(message: FromWorker) => void> = [];
  let failed: Error | null = null;
  return new Promise<TickerPool>((resolve, reject) => {
    worker.on("error", (error) => {
      failed = error;
      reject(error);
    });
    worker.on("message", (message: FromWorker) => {
      if (message.type === "error") errors.push(message.message);
      else if (message.type === "ready")
        resolve({
          subscribed: message.subscribed,
          errors,
          arrivals: () => ask({ type: "arrivals" }).then((m) => new Map(m.type === "arrivals" ? m.arrivals : [])),
          close: async () => {
            await ask({ type: "close" });
            await worker.terminate();
          },
        });
      else waiting.shift()?.(message);
    });
  });
  function ask(message: ToWorker): Promise<FromWorker> {
    if (failed) return Promise.reject(failed);
    return new Promise((resolve) => {
      waiting.push(resolve);
      worker.postMessage(message);
    });
  }
}

if (!isMainThread && (workerData as HostData | null)?.tickerHost) {
  const { url, count } = workerData as HostData;
  const arrivals = new Map<string, number[]>();
  const port = parentPort!;
  openTickers(url, count, arrivals, (message) => port.postMessage({ type: "error", message } satisfies FromWorker)).then(
    (clients) => {
      port.postMessage({ type: "ready", subscribed: clients.length } satisfies FromWorker);
      port.on("message", (message: ToWorker) => {
        if (message.type === "arrivals") port.postMessage({ type: "arrivals", arrivals: [...arrivals] } satisfies FromWorker);
        else
          void closeClients(clients).then(() => {
            port.postMessage({ type: "closed" } satisfies FromWorker);
            port.close();
          });
      });
    },
    (error: unknown) => {
      throw error;
    },
  );
}
