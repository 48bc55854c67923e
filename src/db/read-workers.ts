import { Worker } from "node:worker_threads";

/** Kept prepared per worker; the same bound as the main thread's cache (Database's MAX_PREPARED). */
const MAX_PREPARED = 500;

/** What a worker is asked: one statement and its positional values. */
interface Ask {
  readonly id: number;
  readonly sql: string;
  readonly params: unknown[];
}

/** What a worker answers: the rows, or the error SQLite gave. */
type Answer = { readonly id: number; readonly rows: Array<Record<string, unknown>> } | { readonly id: number; readonly error: { readonly message: string; readonly code?: string } };

/**
 * The worker's whole program (plain JavaScript, evaluated, so it runs the same from `dist/` and
 * under ts-jest). Values are bound as node-sqlite3 binds them (booleans as 1/0, a Date as its
 * milliseconds, undefined as NULL), so a statement finds the same rows on either driver.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Driver = require(workerData.driver);
const db = new Driver(workerData.file, { fileMustExist: true });
// Writes go through the main thread's writer connection only.
db.pragma("query_only = ON");
db.pragma("busy_timeout = 5000");
const statements = new Map();
function bind(value) {
  if (value === undefined) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return value.getTime();
  return value;
}
parentPort.on("message", (ask) => {
  try {
    let statement = statements.get(ask.sql);
    if (statement) {
      statements.delete(ask.sql);
    } else {
      statement = db.prepare(ask.sql);
      if (statements.size >= workerData.maxPrepared) statements.delete(statements.keys().next().value);
    }
    statements.set(ask.sql, statement);
    parentPort.postMessage({ id: ask.id, rows: statement.all(ask.params.map(bind)) });
  } catch (error) {
    parentPort.postMessage({ id: ask.id, error: { message: String(error && error.message), code: error && error.code } });
  }
});
`;

interface Pending {
  resolve(rows: Array<Record<string, unknown>>): void;
  reject(error: Error): void;
}

interface Slot {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
  /** Set when the worker stopped on its own (a crash): its place is taken by a new one. */
  dead: boolean;
}

/** Where better-sqlite3 is, or null when it is not installed. */
export function findReadDriver(paths: readonly string[] = [process.cwd()]): string | null {
  try {
    return require.resolve("better-sqlite3", { paths: [...paths, __dirname] });
  } catch {
    return null;
  }
}

/**
 * SQLite reads on better-sqlite3 connections in worker threads (SQLITE_READ_WORKERS). Measured
 * against node-sqlite3 (docs/performance.md): node-sqlite3 hops to libuv's pool for every
 * statement and turns every cell into a JS value on the main thread, through N-API, which was the
 * largest single cost of an uncached read; better-sqlite3 is much cheaper per row but runs on the
 * thread that calls it, so it lives in workers here: a costly search holds up its worker, never
 * the event loop. The rows come back by structured clone (one copy, made natively). Each worker
 * is one more reader connection to the same WAL file, as node-sqlite3's reader is: a statement
 * sees what was committed when it starts.
 */
export class ReadWorkers {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closed = false;

  private constructor(
    private readonly file: string,
    private readonly driver: string,
  ) {}

  /** Starts `count` workers on `file`, each opening it with the driver at `driver`; resolves once all are open. */
  static async open(file: string, count: number, driver: string): Promise<ReadWorkers> {
    const pool = new ReadWorkers(file, driver);
    try {
      for (let i = 0; i < count; i++) pool.slots.push(await pool.start());
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /** Runs one SELECT on the least busy worker. */
  read(sql: string, params: unknown[]): Promise<Array<Record<string, unknown>>> {
    if (this.closed) return Promise.reject(new Error("The database is closing."));
    let slot: Slot | null = null;
    for (const candidate of this.slots) if (!candidate.dead && (slot === null || candidate.pending.size < slot.pending.size)) slot = candidate;
    if (slot === null) return Promise.reject(new Error("No SQLite read worker is running."));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, sql, params } satisfies Ask);
    });
  }

  /** Starts a worker; one that stops on its own later is replaced (its reads in flight fail). */
  private async start(): Promise<Slot> {
    const slot = await startSlot(this.file, this.driver);
    slot.worker.once("exit", () => {
      slot.dead = true;
      if (this.closed) return;
      this.start().then(
        (fresh) => this.slots.splice(this.slots.indexOf(slot), 1, fresh),
        () => undefined,
      );
    });
    return slot;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }
}

function startSlot(file: string, driver: string): Promise<Slot> {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, maxPrepared: MAX_PREPARED } });
  const slot: Slot = { worker, pending: new Map(), dead: false };
  worker.on("message", (answer: Answer) => {
    const waiting = slot.pending.get(answer.id);
    if (!waiting) return;
    slot.pending.delete(answer.id);
    if ("rows" in answer) return waiting.resolve(answer.rows);
    const code = answer.error.code ?? "SQLITE_ERROR";
    // node-sqlite3's messages start with the code; keep that shape for the logs.
    waiting.reject(Object.assign(new Error(answer.error.message.startsWith(code) ? answer.error.message : `${code}: ${answer.error.message}`), { code }));
  });
  const failAll = (error: Error) => {
    for (const waiting of slot.pending.values()) waiting.reject(error);
    slot.pending.clear();
  };
  worker.on("error", failAll);
  worker.on("exit", () => failAll(new Error("The database is closing.")));
  // A round trip proves the file opened (an error there fails open()).
  return new Promise((resolve, reject) => {
    slot.pending.set(0, { resolve: () => resolve(slot), reject });
    worker.postMessage({ id: 0, sql: "SELECT 1", params: [] } satisfies Ask);
    worker.once("error", reject);
  });
}
