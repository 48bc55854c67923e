import type { StatementTally } from "../kernel/request-scope";
import { decodeCursor, encodeCursor } from "../kernel/page-args";
import type { KeyValue, Ordering, PageArgs } from "../kernel/page-args";
import { jsonInstant, readRows } from "./rows";
import type { Select } from "./select";

function normalizeKeyValue(value: unknown): KeyValue {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number" || typeof value === "string") return value;
  if (typeof value === "bigint") return Number(value);
  throw new Error(`sort key has no usable value: ${String(value)}`);
}

/** The same keys in the opposite directions: what reading a list from its end walks. */
function reversed(ordering: Ordering): Ordering {
  return { name: ordering.name, keys: ordering.keys.map((k) => ({ ...k, dir: k.dir === "ASC" ? "DESC" : "ASC" })) };
}

/**
 * `(k0, k1, …) > (v0, v1, …)` in the ordering's own directions (`>=` unless `strict`), spelled
 * out for SQL without row values; its parameters are named after `prefix`.
 */
function afterCondition(ordering: Ordering, values: KeyValue[], params: Record<string, KeyValue>, strict: boolean, prefix: string): string {
  const clauses = ordering.keys.map((key, i) => {
    const equal = ordering.keys.slice(0, i).map((prev, j) => `${prev.sql} = :${prefix}${j}`);
    const isLast = i === ordering.keys.length - 1;
    const op = key.dir === "ASC" ? (isLast && !strict ? ">=" : ">") : isLast && !strict ? "<=" : "<";
    return `(${[...equal, `${key.sql} ${op} :${prefix}${i}`].join(" AND ")})`;
  });
  values.forEach((v, i) => (params[`${prefix}${i}`] = v));
  return `(${clauses.join(" OR ")})`;
}

/** One page of primary keys, with what a connection needs to answer lazily. */
export interface Page {
  readonly pks: number[];
  /** The rows themselves, when the page query read them too (then no second read is needed). */
  readonly rows?: readonly unknown[];
  /** The cursor of the `index`-th row shown; encoded only when a client asks for it. */
  cursor(index: number): string;
  readonly hasNextPage: () => Promise<boolean>;
  readonly hasPreviousPage: () => Promise<boolean>;
  readonly totalCount: () => Promise<number>;
}

/** A list query: rows of `select` (filters applied, no ordering) identified by `pkSql`. */
export interface ListSpec {
  readonly select: Select;
  readonly pkSql: string;
  readonly ordering: Ordering;
  /** Also read the listed entities in the page query: their select items and how to build one from a row. */
  readonly entity?: {
    readonly columns: string;
    /** The names `columns` gives, in order, when the rows may travel as JSON ({@link readRows}). */
    readonly names?: readonly string[] | null;
    /** Those of `names` that hold JSON values ({@link readRows}' `json`). */
    readonly json?: ReadonlySet<string>;
    hydrate(row: Record<string, unknown>): unknown;
  };
}

function memo<T>(compute: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= compute());
}

/** Fetches one keyset page of a list (never OFFSET), its statements counted into `tally`. Counts run only when asked for. */
export async function fetchPage(spec: ListSpec, args: PageArgs, tally: StatementTally | null): Promise<Page> {
  const pages = await fetchPartitionedPages({ ...spec, partitionSql: "0" }, [0], args, tally);
  return pages.get(0)!;
}

/**
 * Fetches the same page of many lists at once, one list per partition value (e.g. the first
 * 10 articles of each of 20 institutions), in a constant number of statements: a window
 * function numbers the rows of each partition. This is what keeps nested connections free of N+1.
 *
 * A backward page (`last`) reads the window from its end, in the reversed ordering, and turns
 * what it read round, so its rows come in the list's order like a forward page's. Cursors hold
 * a row's keys, not a direction: any cursor of a list serves as its `after` or its `before`.
 * The side the page was read towards says from the extra row read whether more lie beyond it;
 * the other side (rows at or beyond the cursor the page started from) is asked only when a
 * client selects it, as the Relay spec allows, in one statement for every partition.
 */
export async function fetchPartitionedPages(spec: ListSpec & { partitionSql: string }, partitions: readonly number[], args: PageArgs, tally: StatementTally | null): Promise<Map<number, Page>> {
  const { ordering, pkSql, partitionSql } = spec;
  const db = spec.select.db;
  const single = partitionSql === "0";
  const afterValues = args.after ? decodeCursor(ordering, args.after, "after") : null;
  const beforeValues = args.before ? decodeCursor(ordering, args.before, "before") : null;
  const base = spec.select.clone();
  if (!single) base.whereIn(partitionSql, partitions);

  const read = args.backward ? reversed(ordering) : ordering;
  const keyColumns = ordering.keys.map((key, i) => `${key.sql} AS _k${i}`).join(", ") + (spec.entity ? `, ${spec.entity.columns}` : "");
  const orderSql = read.keys.map((k) => `${k.sql} ${k.dir}`).join(", ");
  const windowParams: Record<string, KeyValue> = {};
  const windowConditions = [
    ...(afterValues ? [afterCondition(ordering, afterValues, windowParams, true, "_a")] : []),
    ...(beforeValues ? [afterCondition(reversed(ordering), beforeValues, windowParams, true, "_b")] : []),
  ];
  // Cell by cell through the driver when an entity's names are unknown, or a key is a floating-point
  // number (a relevance rank): JSON prints those with 15 digits, and the cursor must hold the exact value.
  const jsonKeys = ordering.keys.every((key) => key.type !== "number");
  const names = jsonKeys && (spec.entity === undefined || spec.entity.names) ? ["_pk", "_p", ...ordering.keys.map((_, i) => `_k${i}`), ...(spec.entity?.names ?? [])] : null;
  const readPage = (sql: string, values: unknown[], order: string, extra: string[] = []) => (names ? readRows(db, { sql, params: values, names: [...names, ...extra], order, json: spec.entity?.json }, tally) : db.readPrepared(sql, values, tally));
  // Through JSON PostgreSQL's instants arrive as JSON's text (`…T02:00:00.123456+00:00`); a cursor
  // holds an instant as read cell by cell (a Date, to the millisecond), so a page's cursors do not
  // depend on how its rows travelled.
  const keyOf = (key: Ordering["keys"][number], value: unknown) => (names && db.isPostgres && key.type === "time" && typeof value === "string" ? jsonInstant(value) : value);
  let rows: Array<Record<string, unknown>>;
  if (single) {
    const { sql, values } = base.compile(`${pkSql} AS _pk, 0 AS _p, ${keyColumns}`, ` ORDER BY ${orderSql} LIMIT ${args.count + 1}`, { conditions: windowConditions, params: windowParams });
    rows = await readPage(sql, values, read.keys.map((k, i) => `_k${i} ${k.dir}`).join(", "));
  } else {
    const inner = base.compile(`${pkSql} AS _pk, ${partitionSql} AS _p, ${keyColumns}, ROW_NUMBER() OVER (PARTITION BY ${partitionSql} ORDER BY ${orderSql}) AS _rn`, "", { conditions: windowConditions, params: windowParams });
    rows = await readPage(`SELECT * FROM (${inner.sql}) _page WHERE _page._rn <= ${args.count + 1} ORDER BY _page._p, _page._rn`, inner.values, "_p, _rn", ["_rn"]);
  }

  const byPartition = new Map<number, Array<Record<string, unknown>>>();
  for (const row of rows) {
    const p = Number(row._p);
    const list = byPartition.get(p) ?? [];
    list.push(row);
    byPartition.set(p, list);
  }

  const totals = memo(async () => {
    const { sql, values } = base.compile(`${partitionSql} AS _p, COUNT(*) AS _n`, single ? "" : ` GROUP BY ${partitionSql}`);
    const counted = await db.readPrepared(sql, values, tally);
    return new Map(counted.map((r) => [single ? 0 : Number(r._p), Number(r._n)]));
  });
  // The cursor the page starts from, and the partitions with a row at it or beyond it (away from the page).
  const origin = args.backward ? beforeValues : afterValues;
  const beyondOrigin = memo(async () => {
    if (!origin) return new Set<number>();
    const params: Record<string, KeyValue> = {};
    const away = args.backward ? ordering : reversed(ordering);
    const { sql, values } = base.compile(`DISTINCT ${partitionSql} AS _p`, "", { conditions: [afterCondition(away, origin, params, false, "_o")], params });
    const found = await db.readPrepared(sql, values, tally);
    return new Set(found.map((r) => (single ? 0 : Number(r._p))));
  });

  const result = new Map<number, Page>();
  for (const p of partitions) {
    const list = byPartition.get(p) ?? [];
    const shown = list.slice(0, args.count);
    if (args.backward) shown.reverse();
    const more = list.length > args.count;
    const towards = async () => more;
    const away = async () => (await beyondOrigin()).has(p);
    result.set(p, {
      pks: shown.map((r) => Number(r._pk)),
      rows: spec.entity ? shown.map((r) => spec.entity!.hydrate(r)) : undefined,
      cursor: (index) => encodeCursor(ordering, ordering.keys.map((key, i) => normalizeKeyValue(keyOf(key, shown[index]![`_k${i}`])))),
      hasNextPage: args.backward ? away : towards,
      hasPreviousPage: args.backward ? towards : away,
      totalCount: async () => (await totals()).get(p) ?? 0,
    });
  }
  return result;
}
