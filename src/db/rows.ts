import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import type { Database } from "./database";
import type { StatementTally } from "../kernel/request-scope";

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
    // Text and numbers come back from both drivers as they are stored; only instants and
    // booleans need TypeORM's conversion, so the others skip it (it showed in the profile).
    const driver = db.reader.driver;
    this.converters = this.columns.map((column) => {
      const type = String(column.type).toLowerCase();
      const needsConversion = /date|time|bool/.test(type) || column.type === Date || column.type === Boolean;
      if (!needsConversion) return null;
      const typeorm = (raw: unknown) => driver.prepareHydratedValue(raw, column);
      if (db.isPostgres || (type !== "datetime" && column.type !== Date)) return typeorm;
      return (raw: unknown) => (typeof raw === "string" ? (sqliteUtcInstant(raw) ?? typeorm(raw)) : typeorm(raw));
    });
  }

  /** Rows whose `column` is one of `keys` (in any order), ordered by `orderBy` when given. */
  async byKeys(db: Database, tally: StatementTally | null, column: string, keys: readonly (number | string)[], orderBy = ""): Promise<T[]> {
    if (keys.length === 0) return [];
    const order = orderBy ? ` ORDER BY ${orderBy}` : "";
    const raw = await db.readPrepared(`SELECT ${this.selectList} FROM "${this.table}" WHERE ${keyListCondition(db, `"${column}"`)}${order}`, [keyListParam(db, keys)], tally);
    return raw.map((row) => this.hydrate(row));
  }

  /** Every row, ordered by `orderBy` (for small tables such as tags). */
  async all(db: Database, tally: StatementTally | null, orderBy: string): Promise<T[]> {
    const raw = await db.readPrepared(`SELECT ${this.selectList} FROM "${this.table}" ORDER BY ${orderBy}`, [], tally);
    return raw.map((row) => this.hydrate(row));
  }

  /** This entity's columns as select items of `alias`, each named `<prefix><column>` so they travel beside other columns. */
  columnsOf(alias: string, prefix = "_e_"): string {
    return this.columns.map((c) => `${alias}."${c.databaseName}" AS "${prefix}${c.databaseName}"`).join(", ");
  }

  /** The entity in a row read with {@link columnsOf}. */
  hydrate(row: Record<string, unknown>, prefix = ""): T {
    const entity = Object.create(this.target.prototype) as Record<string, unknown>;
    for (let i = 0; i < this.columns.length; i++) {
      const column = this.columns[i]!;
      const raw = row[prefix + column.databaseName];
      const convert = this.converters[i];
      entity[column.propertyName] = convert && raw !== null && raw !== undefined ? convert(raw) : raw;
    }
    return entity as T;
  }
}

const ZERO = 48;

function digits(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return Number.NaN;
    value = value * 10 + d;
  }
  return value;
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
