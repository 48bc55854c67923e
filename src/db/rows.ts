import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import type { Database } from "./database";
import type { StatementTally } from "../kernel/request-scope";
import { types as pgTypes } from "pg";
import { digits, parseTimestamptz, TIMESTAMPTZ_OID } from "./pg-instants";

/**
 * Reads rows of one entity by a list of keys with a constant SQL text (the key list travels as
 * one JSON parameter on SQLite, as an array with `= ANY($1)` on PostgreSQL), through
 * {@link Database.readPrepared}, counted into the tally each call is given (a request's), then hydrates them the way TypeORM would. The request path's loaders use it:
 * building and preparing each of these through TypeORM's query builder cost more than the
 * query itself (measured with `npm run bench -- --profile`; README, Performance).
 */
export class RowReader<T extends object> {
  private readonly columns: ColumnMetadata[];
  /** Per column: turn the driver's raw value into the entity's, or null where it is the same value. */
  private readonly converters: Array<((raw: unknown) => unknown) | null>;
  private readonly table: string;
  private readonly selectList: string;
  /** The column names, for {@link readRows}; null when a column could not travel through JSON unchanged. */
  private readonly names: string[] | null;
  private readonly hydrators = new Map<string, (row: Record<string, unknown>) => T>();

  /**
   * @param target the entity class.
   * @param omit property names left out (e.g. a story's body, which lists do not show); a
   * column with `select: false` is always left out.
   */
  constructor(
    db: Database,
    private readonly target: { prototype: T },
    omit: readonly string[] = [],
  ) {
    const metadata = db.reader.getMetadata(target as unknown as Function);
    this.table = metadata.tableName;
    this.columns = metadata.columns.filter((c) => c.isSelect && !omit.includes(c.propertyName));
    this.selectList = this.columns.map((c) => `"${c.databaseName}"`).join(", ");
    this.names = this.columns.every((c) => jsonExact(c, db.isPostgres)) ? this.columns.map((c) => c.databaseName) : null;
    // Text and numbers come back from both drivers as they are stored; only instants and
    // booleans need TypeORM's conversion, so the others skip it (it showed in the profile).
    const driver = db.reader.driver;
    this.converters = this.columns.map((column) => {
      const type = String(column.type).toLowerCase();
      const needsConversion = /date|time|bool/.test(type) || column.type === Date || column.type === Boolean;
      if (!needsConversion) return null;
      const typeorm = (raw: unknown) => driver.prepareHydratedValue(raw, column);
      // Through JSON (readRows) PostgreSQL's instants arrive as ISO text, not as node-postgres's Dates.
      if (db.isPostgres) return /time/.test(type) ? (raw: unknown) => (typeof raw === "string" ? jsonInstant(raw) : typeorm(raw)) : typeorm;
      if (type !== "datetime" && column.type !== Date) return typeorm;
      return (raw: unknown) => (typeof raw === "string" ? (sqliteUtcInstant(raw) ?? typeorm(raw)) : typeorm(raw));
    });
  }

  /** Rows whose `column` is one of `keys` (in any order), ordered by `orderBy` (this table's columns) when given. */
  async byKeys(db: Database, tally: StatementTally | null, column: string, keys: readonly (number | string)[], orderBy = ""): Promise<T[]> {
    if (keys.length === 0) return [];
    const order = orderBy ? ` ORDER BY ${orderBy}` : "";
    const sql = `SELECT ${this.selectList} FROM "${this.table}" WHERE ${keyListCondition(db, `"${column}"`)}${order}`;
    const raw = this.names ? await readRows(db, { sql, params: [keyListParam(db, keys)], names: this.names, order: orderBy }, tally) : await db.readPrepared(sql, [keyListParam(db, keys)], tally);
    return raw.map((row) => this.hydrate(row));
  }

  /** Every row, ordered by `orderBy` (for small tables such as tags). */
  async all(db: Database, tally: StatementTally | null, orderBy: string): Promise<T[]> {
    const sql = `SELECT ${this.selectList} FROM "${this.table}" ORDER BY ${orderBy}`;
    const raw = this.names ? await readRows(db, { sql, params: [], names: this.names, order: orderBy }, tally) : await db.readPrepared(sql, [], tally);
    return raw.map((row) => this.hydrate(row));
  }

  /** This entity's columns as select items of `alias`, each named `<prefix><column>` so they travel beside other columns. */
  columnsOf(alias: string, prefix = "_e_"): string {
    return this.columns.map((c) => `${alias}."${c.databaseName}" AS "${prefix}${c.databaseName}"`).join(", ");
  }

  /**
   * The hydration of rows whose keys carry `prefix`, made once as a function that names every key
   * and property in its text: a loop over the columns reads and writes properties by computed
   * names, which V8 serves through its slow (megamorphic) lookups, and those showed in the
   * front page's profile. Column and property names come from the entity's metadata, quoted as
   * JSON strings.
   */
  private hydratorOf(prefix: string): (row: Record<string, unknown>) => T {
    let hydrator = this.hydrators.get(prefix);
    if (!hydrator) {
      const lines = this.columns.map((column, i) => {
        const key = JSON.stringify(prefix + column.databaseName);
        const property = JSON.stringify(column.propertyName);
        return this.converters[i] ? `v = row[${key}]; e[${property}] = v !== null && v !== undefined ? convert[${i}](v) : v;` : `e[${property}] = row[${key}];`;
      });
      const make = new Function("prototype", "convert", `return function hydrate(row) { const e = Object.create(prototype); let v; ${lines.join(" ")} return e; };`) as (prototype: object, convert: RowReader<T>["converters"]) => (row: Record<string, unknown>) => T;
      hydrator = make(this.target.prototype, this.converters);
      this.hydrators.set(prefix, hydrator);
    }
    return hydrator;
  }

  /** This entity's columns of `alias` as a plain list (for `json_build_array`), in the order {@link namesOf} names them. */
  valuesOf(alias: string): string {
    return this.columns.map((c) => `${alias}."${c.databaseName}"`).join(", ");
  }

  /** The names {@link columnsOf} gives this entity's columns (for {@link readRows}); null when one of them cannot travel through JSON. */
  namesOf(prefix = "_e_"): string[] | null {
    return this.names ? this.names.map((name) => prefix + name) : null;
  }

  /** The entity in a row read with {@link columnsOf}. */
  hydrate(row: Record<string, unknown>, prefix = ""): T {
    return this.hydratorOf(prefix)(row);
  }
}

const pgInstant = pgTypes.getTypeParser(TIMESTAMPTZ_OID, "text") as (text: string) => unknown;

/** A PostgreSQL instant as its JSON writes it, read as node-postgres reads the same instant sent as text (`infinity` included). */
export function jsonInstant(text: string): unknown {
  return parseTimestamptz(text) ?? pgInstant(text.length > 10 && text[10] === "T" ? `${text.slice(0, 10)} ${text.slice(11)}` : text);
}

/**
 * Whether the database's JSON gives back a column's values exactly as its driver does: text,
 * integers (ids, counts, flags), booleans and instants do (an instant as text, converted like the
 * driver's: microseconds truncated to milliseconds); floating-point numbers (printed with 15
 * digits by SQLite) and blobs (refused) would not, nor on PostgreSQL 64-bit integers (strings
 * from node-postgres, numbers in JSON) or dates (node-postgres makes them local-midnight Dates).
 * No hot read has any of these.
 */
function jsonExact(column: ColumnMetadata, postgres: boolean): boolean {
  const type = typeof column.type === "function" ? column.type.name.toLowerCase() : String(column.type).toLowerCase();
  if (postgres && (/bigint|int8|bigserial|json/.test(type) || type === "date")) return false;
  return !/float|real|double|decimal|numeric|blob|binary|buffer/.test(type);
}

/** A statement {@link readRows} runs: its text and parameters, and what it needs to know of its result columns. */
export interface RowsStatement {
  readonly sql: string;
  readonly params: unknown[];
  /** The statement's result columns, in order, as it names them. */
  readonly names: readonly string[];
  /** The statement's ORDER BY again, over its result columns ("" when it has none). */
  readonly order: string;
  /** The result columns holding JSON values (arrays the statement builds). */
  readonly json?: ReadonlySet<string> | null;
}

/**
 * A read whose rows the database hands over as one JSON value that is parsed here at once, in
 * place of the driver making every cell a JS value: on SQLite (`json_group_array(json_array(…))`)
 * node-sqlite3 does it through N-API on the main thread (about 0.4 µs a cell, the largest single
 * cost of an uncached front page: docs/performance.md); on PostgreSQL
 * (`json_agg(json_build_array(…))`) node-postgres parses each row's message, field by field. `names` are the statement's result columns, in order, as it names them;
 * the rows come back as objects with those keys, as {@link Database.readPrepared} gives them.
 * `order` is the statement's ORDER BY again, over its result columns ("" when it has none): on
 * PostgreSQL the aggregate sorts by it, since a plain aggregate over a sorted subquery keeps the
 * order only "usually" (its manual, Aggregate Expressions); SQLite does not flatten an ordered
 * subquery into an aggregate. With SQLITE_JSON_ROWS or POSTGRES_JSON_ROWS=false the statement
 * runs as it is (tests/db/json-rows-postgres.spec.ts compares both on PostgreSQL). `json` names
 * the columns that hold JSON values (arrays built by the statement), which come back parsed.
 */
export async function readRows(db: Database, statement: RowsStatement, tally: StatementTally | null): Promise<Array<Record<string, unknown>>> {
  const { sql, params, names, order, json } = statement;
  if (!db.rowsAsJson) return db.readPrepared(sql, params, tally);
  // A JSON column (a nested list) is read again as JSON on SQLite, which forgets out of a subquery that it was JSON and would embed it as text.
  const list = names.map((name) => (json?.has(name) && !db.isPostgres ? `json("${name}")` : `"${name}"`)).join(", ");
  const wrapped = db.isPostgres ? `SELECT json_agg(json_build_array(${list})${order ? ` ORDER BY ${order}` : ""}) AS _rows FROM (${sql}) _r` : `SELECT json_group_array(json_array(${list})) AS _rows FROM (${sql})`;
  const [row] = await db.readPrepared(wrapped, params, tally);
  if (row === undefined || row._rows === null) return [];
  // node-postgres has parsed the json value already; node-sqlite3 hands over its text.
  return rowsOfArrays(typeof row._rows === "string" ? JSON.parse(row._rows) : row._rows, names);
}

type RowOfArray = (values: unknown[]) => Record<string, unknown>;

/** Per list of names (the statements' own, a bounded set): a function that builds a row as one object literal. */
const rowBuilders = new Map<string, RowOfArray>();
/** The same by the list itself, for a caller that hands the same list for many rows (a page's stories' institutions). */
const rowBuildersByList = new WeakMap<readonly string[], RowOfArray>();

/**
 * The row builder of `names`: an object literal with every key in its text, which V8 builds with
 * one shape, where keys set one by one from a list go through its slow (megamorphic) stores (they
 * showed in the front page's profile). Names are the statements' column names, quoted as JSON strings.
 */
function rowBuilderOf(names: readonly string[]): RowOfArray {
  let build = rowBuildersByList.get(names);
  if (build) return build;
  const key = names.join("\u0000");
  build = rowBuilders.get(key);
  if (!build) {
    build = new Function("values", `return { ${names.map((name, i) => `${JSON.stringify(name)}: values[${i}]`).join(", ")} };`) as RowOfArray;
    rowBuilders.set(key, build);
  }
  rowBuildersByList.set(names, build);
  return build;
}

/** Rows given as JSON arrays of values in `names`' order (null: none), as objects with those keys. */
export function rowsOfArrays(value: unknown, names: readonly string[]): Array<Record<string, unknown>> {
  if (value === null || value === undefined) return [];
  const arrays = value as unknown[][];
  const build = rowBuilderOf(names);
  const rows = new Array<Record<string, unknown>>(arrays.length);
  for (let r = 0; r < arrays.length; r++) rows[r] = build(arrays[r]!);
  return rows;
}

/**
 * An instant as TypeORM writes it on SQLite (`2026-11-28 00:41:37.825`, UTC), read without
 * TypeORM's regular expressions and string rewriting (a front page converts 80 of them; it
 * showed in the profile); null for any other shape, which TypeORM then reads.
 */
export function sqliteUtcInstant(text: string): Date | null {
  if (text.length !== 23 || text[4] !== "-" || text[7] !== "-" || text[10] !== " " || text[13] !== ":" || text[16] !== ":" || text[19] !== ".") return null;
  const ms = Date.UTC(digits(text, 0, 4), digits(text, 5, 7) - 1, digits(text, 8, 10), digits(text, 11, 13), digits(text, 14, 16), digits(text, 17, 19), digits(text, 20, 23));
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** `"column" IN (<the key list parameter>)` in the reader's dialect, with the parameter at `$n`/`?`. */
export function keyListCondition(db: Database, column: string, index = 1): string {
  return db.isPostgres ? `${column} = ANY($${index})` : `${column} IN (SELECT value FROM json_each(?))`;
}

/** The key list as the one parameter {@link keyListCondition} expects. */
export function keyListParam(db: Database, keys: readonly (number | string)[]): unknown {
  return db.isPostgres ? [...keys] : JSON.stringify(keys);
}
