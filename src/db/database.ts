import "reflect-metadata";
import { AsyncLocalStorage } from "node:async_hooks";
import { DataSource, QueryFailedError } from "typeorm";
import type { DataSourceOptions, EntityManager, Logger, QueryRunner } from "typeorm";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { types as pgTypes } from "pg";
import sqlite3 from "sqlite3";
import path from "node:path";
import { ConfigError } from "../config";
import type { DatabaseConfig } from "../config";
import type { StatementTally } from "../kernel/request-scope";
import { useInstantType } from "./column-types";
import { migrations } from "./migrations";
import { fastInstantTypes } from "./pg-instants";
import { findReadDriver, ReadWorkers } from "./read-workers";

// List queries differ by filter and ordering, not by values, so a few hundred shapes cover them all.
const MAX_PREPARED = 500;

// Any constant: the advisory lock that serializes write transactions on PostgreSQL.
const WRITE_LOCK_KEY = 7_212_000;

/** The part of node-postgres's pool the read path uses: a query given as a config, so it can carry a statement name. */
interface PgPool {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: Array<Record<string, unknown>> }>;
}

/** A statement kept prepared on SQLite (sqlite3's own type is not importable from CommonJS here). */
interface PreparedStatement {
  all(params: unknown[], callback: (error: Error | null, rows: Array<Record<string, unknown>>) => void): void;
  finalize(callback: () => void): void;
}

/** A kept statement: finalized only once it is out of the cache and no call is using it. */
interface PreparedEntry {
  readonly ready: Promise<PreparedStatement>;
  inUse: number;
  evicted: boolean;
}

function hasNul(value: unknown): boolean {
  return typeof value === "string" ? value.includes("\u0000") : Array.isArray(value) && value.some(hasNul);
}

function finalizeStatement(entry: PreparedEntry): void {
  entry.ready.then((statement) => statement.finalize(() => undefined)).catch(() => undefined);
}

/** Receives every SQL statement a data source runs; the N+1 guard counts them. */
export type QueryListener = (sql: string) => void;

/** What a write transaction's query runner carries: the tally of the request that opened it, and the tables it writes. */
interface RunnerData {
  tally?: StatementTally;
  written?: Set<string>;
  /** Tables whose writes in this transaction no reader can see (see {@link unseenByReaders}). */
  unseen?: Set<string>;
  /** Tables written at least once outside an {@link attributeWrites} scope that covers them. */
  unattributed?: Set<string>;
  /** What each {@link attributeWrites} scope of the transaction said its writes change. */
  attributions?: Attribution[];
}

/** One {@link attributeWrites} scope: the tables it covers and the rows (as tags) its writes change. */
interface Attribution {
  readonly tables: ReadonlySet<string>;
  readonly tags: Set<string>;
}

/**
 * The scopes a statement runs inside, innermost first. Each names its transaction by the
 * transaction's own list of attributions, not by the runner: SQLite's writer has one runner for
 * every transaction, and work a scope left running (a timer it set) may write in a later one.
 */
interface ScopeChain {
  readonly transaction: Attribution[];
  readonly attribution: Attribution;
  readonly outer: ScopeChain | undefined;
}

/*
 * On Node 20 and 22 an enabled AsyncLocalStorage keeps promise hooks on for every promise of the
 * process, reads included: after a server's first write each uncached front page cost 4–8 % more
 * CPU than with the storage off (measured side by side, docs/performance.md). So the storage is enabled only while an attribution scope is open
 * and disabled when the last one closes. A statement that runs after its scope closed (work
 * left running past it) is then seen as unattributed: its table's whole kind is dropped, the
 * safe side.
 */
const scopes = new AsyncLocalStorage<ScopeChain>();
let openScopes = 0;

/** How many {@link attributeWrites} scopes are running now (0 between writes: the storage, and its promise hooks, are off). */
export function openAttributionScopes(): number {
  return openScopes;
}

/**
 * Runs `work` inside the write transaction of `manager`, saying which rows its writes to `tables`
 * change: `tag` adds them (as cache tags, `Article:12`, `Article:list`), during or after the
 * writes. A statement that writes one of `tables` inside `work` (also in functions it awaits) is
 * attributed to these tags; a write to any other table, or to these tables outside such a scope,
 * is not, and the commit listeners hear that table as written without rows
 * ({@link WrittenRows.unattributed}), so a path nobody attributed still drops everything of its
 * kind. Only the service knows which rows a write means; the SQL shows only the table.
 */
export async function attributeWrites<T>(manager: EntityManager, tables: readonly string[], work: (tag: (...tags: string[]) => void) => Promise<T>): Promise<T> {
  const data = manager.queryRunner?.data as RunnerData | undefined;
  // Outside Database.transaction (a migration's backfill) no commit listener hears the writes at all: nothing to attribute.
  if (!data?.attributions) return work(() => undefined);
  const attribution: Attribution = { tables: new Set(tables), tags: new Set() };
  data.attributions.push(attribution);
  const tag = (...tags: string[]): void => {
    for (const t of tags) attribution.tags.add(t);
  };
  openScopes++;
  try {
    return await scopes.run({ transaction: data.attributions, attribution, outer: scopes.getStore() }, () => work(tag));
  } finally {
    if (--openScopes === 0) scopes.disable();
  }
}

/** Whether a statement writing `table` for the transaction of `data` runs inside a scope that attributes it. */
function attributed(data: RunnerData, table: string): boolean {
  for (let scope = scopes.getStore(); scope; scope = scope.outer) if (scope.transaction === data.attributions && scope.attribution.tables.has(table)) return true;
  return false;
}

/**
 * What a committed write transaction changed that readers can see: the tables it wrote (less
 * those {@link unseenByReaders} took out), which of them were written outside any
 * {@link attributeWrites} scope, and the row tags the scopes of the others named.
 */
export interface WrittenRows {
  readonly unattributed: ReadonlySet<string>;
  readonly tags: ReadonlySet<string>;
}

/**
 * Tells the write transaction `manager` belongs to that its writes to `table` change nothing a
 * reader (a request without a token) can see, such as a comment that waits for moderation: the
 * commit listeners are not told of that table, so no cached answer is dropped, no other instance
 * is told and nothing is purged at the edge. Only the service knows what a write means; the SQL
 * shows only that the table was written.
 */
export function unseenByReaders(manager: EntityManager, table: string): void {
  const data = manager.queryRunner?.data as RunnerData | undefined;
  if (!data?.unseen) throw new Error(`unseenByReaders('${table}') needs the manager of a write transaction (Database.transaction).`);
  data.unseen.add(table);
}

/** The tables a transaction wrote, less those its service said readers cannot see. */
function seenByReaders(written: ReadonlySet<string>, unseen: ReadonlySet<string>): Set<string> {
  return new Set([...written].filter((table) => !unseen.has(table)));
}

/** The rows a transaction's seen tables changed: the tags of every scope that covers one of them, and the tables written outside any. */
function rowsOf(seen: ReadonlySet<string>, tables: { unattributed: Set<string>; attributions: Attribution[] }): WrittenRows {
  const tags = new Set<string>();
  for (const a of tables.attributions) if ([...a.tables].some((t) => seen.has(t))) for (const t of a.tags) tags.add(t);
  return { unattributed: new Set([...tables.unattributed].filter((t) => seen.has(t))), tags };
}

const WRITE = /^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?/i;

class ListeningLogger implements Logger {
  constructor(private readonly listeners: Set<QueryListener>) {}
  logQuery(query: string, _parameters?: unknown[], runner?: QueryRunner): void {
    for (const listener of this.listeners) listener(query);
    const data = runner?.data as RunnerData | undefined;
    if (data?.tally) data.tally.statements++;
    if (data?.written) {
      const table = WRITE.exec(query)?.[1];
      if (table) {
        data.written.add(table);
        if (data.unattributed && !attributed(data, table)) data.unattributed.add(table);
      }
    }
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/** The entity classes a data source maps (the entities layer's list: `entities/entities.ts`). */
export type EntityList = NonNullable<DataSourceOptions["entities"]>;

/**
 * Options of one data source, shared by the app, the TypeORM CLI (ormconfig.ts) and tests. The
 * entities' instant columns take this dialect's type here, before the data source reads them.
 */
export function dataSourceOptions(config: DatabaseConfig, entities: EntityList, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  useInstantType(config.kind);
  const common = { entities, migrations, synchronize: false, migrationsRun: false } as const;
  if (config.kind === "postgres") {
    // Sent in the startup packet, so it costs no round trip. The reads are named prepared
    // statements over key lists (`= ANY($1)`); PostgreSQL's default (auto) compares a generic plan
    // costed for an array of unknown length with custom plans for the one key sent, never picks
    // the generic one and so plans every execution again (measured: 0 generic plans in 8
    // executions). Forced, it plans each statement once per connection. The statements here are
    // key lookups and keyset pages whose best plan does not depend on the values.
    // Instants are read without node-postgres's regular expressions (src/db/pg-instants.ts).
    const connection = { options: "-c plan_cache_mode=force_generic_plan", types: fastInstantTypes(pgTypes) };
    return { type: "postgres", url: config.url, ...common, ...extra, extra: { ...connection, ...(extra.extra as object | undefined) } } as DataSourceOptions;
  }
  return {
    type: "sqlite",
    database: config.file,
    // TypeORM calls verbose() on the driver it is given; that mode builds a stack trace and an
    // inspected copy of the SQL for every query (measured: 27 → 59 µs a query). Hand it the
    // plain module instead.
    driver: { verbose: () => sqlite3 },
    // WAL lets the reader connection see committed data while the writer works.
    enableWAL: true,
    busyTimeout: 5000,
    ...common,
    ...extra,
  } as DataSourceOptions;
}

/**
 * Told, inside a write transaction that wrote something readers can see and just before it
 * commits, which tables it wrote (less those {@link unseenByReaders} took out).
 */
export type BeforeCommitListener = (manager: EntityManager, written: ReadonlySet<string>, rows: WrittenRows) => Promise<void>;

/**
 * Work a request asks to run last inside each of its write transactions, before commit, with the
 * transaction's result (the audit trail writes a mutation's row there, so it commits or rolls
 * back with the change).
 */
export type TransactionHook = (manager: EntityManager, result: unknown) => Promise<void>;

/**
 * The store the services use: a reader and a writer. On SQLite they are two connections to the
 * same file, because TypeORM's SQLite driver funnels everything through one connection, where a
 * read issued during another request's open transaction would see (and could publish) rows that
 * are later rolled back. On PostgreSQL both are the same pooled data source.
 */
export class Database {
  private readonly commitListeners = new Set<(written: ReadonlySet<string>, rows: WrittenRows) => void>();
  private readonly beforeCommitListeners = new Set<BeforeCommitListener>();
  /** Per request (its tally, which every write of it hands over), the hook its transactions run. */
  private readonly requestHooks = new WeakMap<StatementTally, TransactionHook>();
  private readonly prepared = new Map<string, PreparedEntry>();
  /**
   * PostgreSQL: the name each read's SQL text is prepared under. node-postgres prepares a named
   * statement on a connection the first time that connection runs it and afterwards sends only
   * Bind and Execute, so PostgreSQL skips parsing and, with the plans kept (see
   * dataSourceOptions), planning: its CPU per uncached article page went from 0.85–1.2 ms to
   * 0.43–0.53 ms (docs/performance.md). The names are fixed for the process, so every pooled
   * connection holds at most {@link MAX_PREPARED} statements; texts beyond them run unnamed.
   */
  private readonly pgNames = new Map<string, string>();
  /** Everything that changes after opening: the write queue, and the reads close() waits for. */
  private readonly state = {
    writeChain: Promise.resolve() as Promise<unknown>,
    /** Reads through {@link readPrepared} that have not finished; close() waits for them. */
    readsInFlight: 0,
    readsDone: null as (() => void) | null,
    closing: false,
  };
  private constructor(
    readonly config: DatabaseConfig,
    readonly reader: DataSource,
    readonly writer: DataSource,
    /** Called with every statement either connection runs. */
    readonly listeners: Set<QueryListener>,
    /** SQLite only, with SQLITE_READ_WORKERS: where {@link readPrepared} runs its statements. */
    private readonly workers: ReadWorkers | null = null,
  ) {}

  get isPostgres(): boolean {
    return this.config.kind === "postgres";
  }

  /** Whether hot reads take their rows as one JSON value from the database (rows.ts readRows); SQLITE_JSON_ROWS / POSTGRES_JSON_ROWS=false: cell by cell. */
  get rowsAsJson(): boolean {
    return this.config.jsonRows !== false;
  }

  /** Opens the connections over `entities` and runs pending migrations. */
  static async open(config: DatabaseConfig, entities: EntityList): Promise<Database> {
    const listeners = new Set<QueryListener>();
    const logger = new ListeningLogger(listeners);
    if (config.kind === "sqlite") fs.mkdirSync(path.dirname(config.file), { recursive: true });
    const writer = new DataSource(dataSourceOptions(config, entities, { logger, logging: ["query"] }));
    await writer.initialize();
    const ran = await writer.runMigrations({ transaction: "each" });
    // A migration can create tables and indexes or rewrite rows, and PostgreSQL plans by the
    // statistics it gathered last: until autovacuum gets round to it, a new table has none and
    // the planner guesses from its size on disk, a rewritten one keeps its old row counts.
    if (config.kind === "postgres" && ran.length > 0) await writer.query("ANALYZE");
    let reader = writer;
    let workers: ReadWorkers | null = null;
    if (config.kind === "sqlite") {
      reader = new DataSource(dataSourceOptions(config, entities, { logger, logging: ["query"] }));
      await reader.initialize();
      if (config.readWorkers) {
        const driver = config.readDriver ?? findReadDriver();
        if (driver === null) {
          await reader.destroy();
          await writer.destroy();
          throw new ConfigError(`SQLITE_READ_WORKERS=${config.readWorkers} needs better-sqlite3, which is not installed (npm install better-sqlite3, or set SQLITE_READ_WORKERS=0)`);
        }
        workers = await ReadWorkers.open(config.file, config.readWorkers, driver);
      }
    }
    return new Database(config, reader, writer, listeners, workers);
  }

  /**
   * Runs `work` in one write transaction. Write transactions run one at a time: on SQLite the
   * writer is a single connection, where two interleaved transactions would share fate (a
   * rollback of one undoes the other), so they queue here and `BEGIN IMMEDIATE` takes the write
   * lock up front; on PostgreSQL an advisory lock does the same across instances.
   *
   * `tally` is the request's, when a request writes: every statement of the transaction is
   * counted into it (null for the server's own work: the scheduler, pruning, seeding).
   */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>, tally: StatementTally | null = null): Promise<T> {
    const tables = { written: new Set<string>(), unseen: new Set<string>(), unattributed: new Set<string>(), attributions: [] as Attribution[] };
    const result = await this.runTransaction(async (manager) => {
      const value = await work(manager);
      const hook = tally === null ? undefined : this.requestHooks.get(tally);
      if (hook) await hook(manager, value);
      const seen = seenByReaders(tables.written, tables.unseen);
      if (seen.size > 0) for (const listener of this.beforeCommitListeners) await listener(manager, seen, rowsOf(seen, tables));
      return value;
    }, tables, tally);
    // Before the caller goes on (a mutation answers): what this instance caches about those tables is dropped now.
    const seen = seenByReaders(tables.written, tables.unseen);
    const rows = rowsOf(seen, tables);
    for (const listener of this.commitListeners) listener(seen, rows);
    return result;
  }

  /**
   * Calls `listener` after every committed write transaction, with the tables it wrote less those
   * readers cannot see (the event bus looks for new events then).
   */
  onCommit(listener: (written: ReadonlySet<string>, rows: WrittenRows) => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /**
   * Runs `hook` inside every write transaction opened with `tally` (one request's) until the
   * returned function is called: last, after the transaction's own work, before it commits.
   * A request holds one hook at a time (its mutations run one after another).
   */
  hookTransactionsOf(tally: StatementTally, hook: TransactionHook): () => void {
    this.requestHooks.set(tally, hook);
    return () => {
      if (this.requestHooks.get(tally) === hook) this.requestHooks.delete(tally);
    };
  }

  /** Calls `listener` inside every write transaction that wrote rows, before it commits (the outbox records the change there). */
  beforeCommit(listener: BeforeCommitListener): () => void {
    this.beforeCommitListeners.add(listener);
    return () => this.beforeCommitListeners.delete(listener);
  }

  private async runTransaction<T>(work: (manager: EntityManager) => Promise<T>, tables: { written: Set<string>; unseen: Set<string>; unattributed: Set<string>; attributions: Attribution[] }, tally: StatementTally | null): Promise<T> {
    if (this.isPostgres) {
      return this.writer.transaction(async (manager) => {
        // One writer at a time across every instance, as on SQLite: slug choice, tag creation and
        // quote renumbering read before they write, and under READ COMMITTED two of them could
        // both decide on the same slug or position. Held until commit, the lock also makes event
        // numbers follow commit order, so a reader that saw event n saw all before it.
        if (manager.queryRunner) Object.assign(manager.queryRunner.data as RunnerData, { tally: tally ?? undefined, ...tables });
        await manager.query("SELECT pg_advisory_xact_lock($1)", [WRITE_LOCK_KEY]);
        return work(manager);
      });
    }
    const run = async (): Promise<T> => {
      const runner: QueryRunner = this.writer.createQueryRunner();
      // SQLite's writer has one runner for everything; transactions run one at a time, so it carries this one's tally until it ends.
      Object.assign(runner.data as RunnerData, { tally: tally ?? undefined, ...tables });
      await runner.query("BEGIN IMMEDIATE");
      // TypeORM only knows a transaction is open when it started it itself.
      (runner as { isTransactionActive: boolean }).isTransactionActive = true;
      try {
        const result = await work(runner.manager);
        await runner.query("COMMIT");
        return result;
      } catch (error) {
        await runner.query("ROLLBACK");
        throw error;
      } finally {
        (runner as { isTransactionActive: boolean }).isTransactionActive = false;
        delete (runner.data as RunnerData).tally;
        delete (runner.data as RunnerData).written;
        delete (runner.data as RunnerData).unseen;
        delete (runner.data as RunnerData).unattributed;
        delete (runner.data as RunnerData).attributions;
        await runner.release();
      }
    };
    const next = this.state.writeChain.then(run, run);
    this.state.writeChain = next.catch(() => undefined);
    return next;
  }

  /**
   * A read on the reader with a constant SQL text: on SQLite the statement is prepared once and
   * kept (TypeORM prepares every query afresh); on PostgreSQL it is a named prepared statement,
   * prepared once per pooled connection. Listeners hear it like any other statement; `tally` (a
   * request's, or null) counts it.
   */
  async readPrepared(sql: string, params: unknown[], tally: StatementTally | null = null): Promise<Array<Record<string, unknown>>> {
    // A request whose client has gone can still be executing while the server stops; its next
    // read gets a plain error instead of SQLite's "statement already finalized".
    const { state } = this;
    if (state.closing) throw new Error("The database is closing.");
    if (tally) tally.statements++;
    state.readsInFlight++;
    try {
      return await this.readPreparedNow(sql, params);
    } finally {
      if (--state.readsInFlight === 0) state.readsDone?.();
    }
  }

  private async readPreparedNow(sql: string, params: unknown[]): Promise<Array<Record<string, unknown>>> {
    // TypeORM's logger tells the listeners about its own queries; statements run here past it are told by hand.
    // No stored text holds a NUL (writes strip control characters, and PostgreSQL cannot store
    // one), so a value with one matches no row. Answer that directly: PostgreSQL would refuse the
    // value with an error, and SQLite's LIKE would read the pattern only up to the NUL.
    if (params.some(hasNul)) return [];
    if (this.isPostgres) return this.readPostgres(sql, params);
    for (const listener of this.listeners) listener(sql);
    if (this.workers) return this.workers.read(sql, params);
    let entry = this.prepared.get(sql);
    if (entry) {
      // Most recently used last, so the statement evicted below is the least recently used.
      this.prepared.delete(sql);
      this.prepared.set(sql, entry);
    } else {
      if (this.prepared.size >= MAX_PREPARED) {
        const [oldestSql, oldest] = this.prepared.entries().next().value!;
        this.prepared.delete(oldestSql);
        oldest.evicted = true;
        if (oldest.inUse === 0) finalizeStatement(oldest);
      }
      const connection = (this.reader.driver as unknown as { databaseConnection: { prepare(sql: string, callback: (error: Error | null) => void): PreparedStatement } }).databaseConnection;
      const ready = new Promise<PreparedStatement>((resolve, reject) => {
        const statement = connection.prepare(sql, (error) => {
          if (!error) return resolve(statement);
          // sqlite3 reports a failed prepare as a bare { errno, code } object; give operators an Error with the statement.
          const code = (error as { code?: string }).code ?? "SQLITE_ERROR";
          reject(error instanceof Error && error.message ? error : Object.assign(new Error(`${code}: could not prepare ${sql}`), { code }));
        });
      });
      const created: PreparedEntry = { ready, inUse: 0, evicted: false };
      entry = created;
      this.prepared.set(sql, created);
      // A statement that fails to prepare (say its table is gone) is forgotten, so a later call tries again.
      ready.catch(() => {
        if (this.prepared.get(sql) === created) this.prepared.delete(sql);
      });
    }
    // Counted before the first await, so an eviction meanwhile waits for this use to finish.
    const used = entry;
    used.inUse++;
    try {
      const statement = await used.ready;
      return await new Promise((resolve, reject) => statement.all(params, (error, rows) => (error ? reject(error) : resolve(rows))));
    } finally {
      used.inUse--;
      if (used.evicted && used.inUse === 0) finalizeStatement(used);
    }
  }

  /**
   * A read straight on the reader's pool as a named prepared statement (TypeORM's query runner
   * cannot name one). Outside any transaction, like TypeORM's own reads on the data source: one
   * pooled connection for this statement alone, no BEGIN or SET around it.
   */
  private async readPostgres(sql: string, params: unknown[]): Promise<Array<Record<string, unknown>>> {
    for (const listener of this.listeners) listener(sql);
    let name = this.pgNames.get(sql);
    if (name === undefined && this.pgNames.size < MAX_PREPARED) {
      name = `nwr_${createHash("sha1").update(sql).digest("base64url").slice(0, 20)}`;
      this.pgNames.set(sql, name);
    }
    const pool = (this.reader.driver as unknown as { master: PgPool }).master;
    try {
      return (await pool.query({ name, text: sql, values: params })).rows;
    } catch (error) {
      // As TypeORM reports a failed query, so callers and logs see the same error either way.
      throw new QueryFailedError(sql, params, error as Error);
    }
  }

  /**
   * Brings the planner's statistics up to date after a bulk write (the seed story, an import of
   * many stories): on PostgreSQL `ANALYZE`, which autovacuum would otherwise run only some time
   * later, planning with stale row counts meanwhile. SQLite plans without gathered statistics
   * here, so it is left as it is.
   */
  async analyze(): Promise<void> {
    if (this.isPostgres) await this.writer.query("ANALYZE");
  }

  /** True when the database answers a trivial query. */
  async ping(): Promise<boolean> {
    try {
      await this.reader.query("SELECT 1");
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    const { state } = this;
    state.closing = true;
    if (state.readsInFlight > 0) await new Promise<void>((resolve) => (state.readsDone = resolve));
    await state.writeChain.catch(() => undefined);
    // SQLite will not close a connection with statements still prepared on it.
    const statements = await Promise.allSettled([...this.prepared.values()].map((e) => e.ready));
    await Promise.all(statements.map((s) => (s.status === "fulfilled" ? new Promise<void>((resolve) => s.value.finalize(resolve)) : undefined)));
    this.prepared.clear();
    await this.workers?.close();
    if (this.reader !== this.writer && this.reader.isInitialized) await this.reader.destroy();
    if (this.writer.isInitialized) await this.writer.destroy();
  }
}
