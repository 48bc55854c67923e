import { BadUserInputError } from "../kernel/errors";
import type { Database } from "./database";

/**
 * An instant as a query parameter that compares correctly with stored timestamps: PostgreSQL
 * takes the Date itself; on SQLite TypeORM stores `YYYY-MM-DD HH:MM:SS.SSS` (UTC) text, so the
 * parameter must be that same text.
 */
export function timeParam(db: Database, date: Date): Date | string {
  if (db.isPostgres) return date;
  return date.toISOString().replace("T", " ").replace("Z", "");
}

/** Groups rows by a numeric key, keeping their order. */
export function groupBy<T>(rows: readonly T[], key: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/** Orders loaded rows to match the keys a DataLoader asked for; missing rows become null. */
export function alignByPk<T extends { pk: number }>(pks: readonly number[], rows: readonly T[]): Array<T | null> {
  const byPk = new Map(rows.map((r) => [r.pk, r]));
  return pks.map((pk) => byPk.get(pk) ?? null);
}

/** Case-insensitive substring match: SQLite's LIKE already folds ASCII case, PostgreSQL needs ILIKE. */
export function containsSql(db: Database, column: string, param: string): string {
  return db.isPostgres ? `${column} ILIKE :${param}` : `${column} LIKE :${param} ESCAPE '\\'`;
}

/** Longest `filter.search` of the name and text searches. */
export const MAX_SEARCH_LENGTH = 200;

/**
 * A LIKE pattern that finds `text` anywhere, with the wildcard characters of `text` taken
 * literally. Longer text than {@link MAX_SEARCH_LENGTH} is BAD_USER_INPUT (SQLite also refuses
 * patterns over 50,000 bytes).
 */
export function containsPattern(text: string, field = "filter.search"): string {
  if (text.length > MAX_SEARCH_LENGTH) throw new BadUserInputError(`${field} must be at most ${MAX_SEARCH_LENGTH} characters, got ${text.length}.`, field);
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
