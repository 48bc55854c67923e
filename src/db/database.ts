import "reflect-metadata";
import { DataSource } from "typeorm";
import type { DataSourceOptions, EntityManager, Logger, QueryRunner } from "typeorm";
import fs from "node:fs";
import BetterSqlite3 from "better-sqlite3";
import type { Statement } from "better-sqlite3";
import sqlite3 from "sqlite3";
import path from "node:path";
import type { DatabaseConfig } from "../config";
import { entities } from "./entities";
import { migrations } from "./migrations";

// List queries differ by filter and ordering, not by values, so a few hundred shapes cover them all.
const MAX_PREPARED = 500;

// Any constant: the advisory lock that serializes write transactions on PostgreSQL.
const WRITE_LOCK_KEY = 7_212_000;

/**
 * Values as node-sqlite3 binds them (what the rest of the code was written against):
 * better-sqlite3 refuses booleans, dates and undefined.
 */
function bindable(value: unknown): unknown {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return value.getTime();
  return value === undefined ? null : value;
}

function hasNul(value: unknown): boolean {
  return typeof value === "string" ? value.includes("\u0000") : Array.isArray(value) && value.some(hasNul);
}

/** Receives every SQL statement a data source runs; the N+1 guard counts them. */
export type QueryListener = (sql: string) => void;

/** Where one request's SQL statements are counted (its log line and `graphql_sql_statements_per_request`). */
export interface StatementTally {
  statements: number;
}

/** What a write transaction's query runner carries: the tally of the request that opened it, and the tables it writes. */
interface RunnerData {
  tally?: StatementTally;
  written?: Set<string>;
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
      if (table) data.written.add(table);
    }
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/** Options of one data source, shared by the app, the TypeORM CLI (ormconfig.ts) and tests. */
export function dataSourceOptions(config: DatabaseConfig, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  const common = { entities, migrations, synchronize: false, migrationsRun: false } as const;
  if (config.kind === "postgres") {
    return { type: "postgres", url: config.url, ...common, ...extra } as DataSourceOptions;
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

/** Told, inside a write transaction that wrote something and just before it commits, which tables it wrote. */
export type BeforeCommitListener = (manager: EntityManager, written: ReadonlySet<string>) => Promise<void>;

/**
 * The store the services use: a reader and a writer. On SQLite they are two connections to the
 * same file, because TypeORM's SQLite driver funnels everything through one connection, where a
 * read issued during another request's open transaction would see (and could publish) rows that
 * are later rolled back; the hot reads ({@link Database.readPrepared}) run on a third, read-only
 * connection through better-sqlite3, whose synchronous statements cost a fraction of
 * node-sqlite3's thread hop and per-cell conversion (README, Performance). On PostgreSQL reader
 * and writer are the same pooled data source.
 */
export class Database {
  private readonly commitListeners = new Set<(written: ReadonlySet<string>) => void>();
  private readonly beforeCommitListeners = new Set<BeforeCommitListener>();
  private readonly prepared = new Map<string, Statement>();
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
    /** On SQLite, the read-only connection {@link readPrepared} runs its kept statements on. */
    private readonly fastReader: BetterSqlite3.Database | null,
  ) {}

  get isPostgres(): boolean {
    return this.config.kind === "postgres";
  }

  /** Opens the connections and runs pending migrations. */
  static async open(config: DatabaseConfig): Promise<Database> {
    const listeners = new Set<QueryListener>();
    const logger = new ListeningLogger(listeners);
    if (config.kind === "sqlite") fs.mkdirSync(path.dirname(config.file), { recursive: true });
    const writer = new DataSource(dataSourceOptions(config, { logger, logging: ["query"] }));
    await writer.initialize();
    await writer.runMigrations({ transaction: "each" });
    let reader = writer;
    let fastReader: BetterSqlite3.Database | null = null;
    if (config.kind === "sqlite") {
      reader = new DataSource(dataSourceOptions(config, { logger, logging: ["query"] }));
      await reader.initialize();
      fastReader = new BetterSqlite3(config.file, { readonly: true, fileMustExist: true });
      fastReader.pragma("busy_timeout = 5000");
    }
    return new Database(config, reader, writer, listeners, fastReader);
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
    const written = new Set<string>();
    const result = await this.runTransaction(async (manager) => {
      const value = await work(manager);
      if (written.size > 0) for (const listener of this.beforeCommitListeners) await listener(manager, written);
      return value;
    }, written, tally);
    // Before the caller goes on (a mutation answers): what this instance caches about those tables is dropped now.
    for (const listener of this.commitListeners) listener(written);
    return result;
  }

  /** Calls `listener` after every committed write transaction, with the tables it wrote (the event bus looks for new events then). */
  onCommit(listener: (written: ReadonlySet<string>) => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /** Calls `listener` inside every write transaction that wrote rows, before it commits (the outbox records the change there). */
  beforeCommit(listener: BeforeCommitListener): () => void {
    this.beforeCommitListeners.add(listener);
    return () => this.beforeCommitListeners.delete(listener);
  }

  private async runTransaction<T>(work: (manager: EntityManager) => Promise<T>, written: Set<string>, tally: StatementTally | null): Promise<T> {
    if (this.isPostgres) {
      return this.writer.transaction(async (manager) => {
        // One writer at a time across every instance, as on SQLite: slug choice, tag creation and
        // quote renumbering read before they write, and under READ COMMITTED two of them could
        // both decide on the same slug or position. Held until commit, the lock also makes event
        // numbers follow commit order, so a reader that saw event n saw all before it.
        if (manager.queryRunner) Object.assign(manager.queryRunner.data as RunnerData, { tally: tally ?? undefined, written });
        await manager.query("SELECT pg_advisory_xact_lock($1)", [WRITE_LOCK_KEY]);
        return work(manager);
      });
    }
    const run = async (): Promise<T> => {
      const runner: QueryRunner = this.writer.createQueryRunner();
      // SQLite's writer has one runner for everything; transactions run one at a time, so it carries this one's tally until it ends.
      Object.assign(runner.data as RunnerData, { tally: tally ?? undefined, written });
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
        await runner.release();
      }
    };
    const next = this.state.writeChain.then(run, run);
    this.state.writeChain = next.catch(() => undefined);
    return next;
  }

  /**
   * A read on the reader with a constant SQL text: on SQLite the statement is prepared once and
   * kept (TypeORM prepares every query afresh); on PostgreSQL it is an ordinary query. Listeners
   * hear it like any other statement; `tally` (a request's, or null) counts it.
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
    if (!this.fastReader) return this.reader.query(sql, params);
    for (const listener of this.listeners) listener(sql);
    let statement = this.prepared.get(sql);
    if (statement) {
      // Most recently used last, so the statement dropped below is the least recently used.
      this.prepared.delete(sql);
    } else {
      if (this.prepared.size >= MAX_PREPARED) this.prepared.delete(this.prepared.keys().next().value!);
      statement = this.fastReader.prepare(sql);
    }
    this.prepared.set(sql, statement);
    return statement.all(...params.map(bindable)) as Array<Record<string, unknown>>;
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
    this.prepared.clear();
    this.fastReader?.close();
    if (this.reader !== this.writer && this.reader.isInitialized) await this.reader.destroy();
    if (this.writer.isInitialized) await this.writer.destroy();
  }
}
