import { BadUserInputError, quoted } from "./errors";

/*
 * The contract of a connection's page arguments: `first`/`after` and `last`/`before` checked
 * before any query runs, and the cursors, which name their ordering and hold its key values.
 */

/** Largest page a client may ask for, paging forward (`first`) or backward (`last`) alike. */
export const MAX_PAGE_SIZE = 100;

/** The page size a connection shows when neither `first` nor `last` is given (the contract's `first: Int = 20`). */
export const DEFAULT_PAGE_SIZE = 20;

/**
 * The page a client asked for: `count` rows after `after` and before `before`, the first ones
 * of that window (`first`), or, `backward`, the last ones (`last`).
 */
export interface PageArgs {
  readonly count: number;
  readonly backward: boolean;
  readonly after: string | null;
  readonly before: string | null;
}

/** The page arguments of a connection field as a resolver receives them. */
export interface PageArgsValues {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

function checkSize(name: "first" | "last", value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`${name} must be from 0 to ${MAX_PAGE_SIZE}, got ${String(value)}.`, name);
  }
  return value;
}

/**
 * Checks the page arguments before any query runs. `firstGiven` says whether the client wrote
 * `first` itself: the schema fills in `first: 20` when it is left out, and that default gives way
 * to a `last`; a `first` and a `last` both written are refused (the Relay spec discourages them
 * together, and a page of the first n rows' last m is not one a cache can place).
 */
export function checkPageArgs(args: PageArgsValues, firstGiven: boolean): PageArgs {
  const after = args.after ?? null;
  const before = args.before ?? null;
  if (args.last != null) {
    if (firstGiven && args.first != null) {
      throw new BadUserInputError(`first (${String(args.first)}) and last (${String(args.last)}) cannot be used together: page forward with first/after, or backward with last/before.`, "last");
    }
    return { count: checkSize("last", args.last), backward: true, after, before };
  }
  return { count: checkSize("first", args.first ?? DEFAULT_PAGE_SIZE), backward: false, after, before };
}

/** One column of a keyset ordering; the last key of an ordering must be unique. */
export interface SortKey {
  readonly sql: string;
  readonly dir: "ASC" | "DESC";
  /** What a cursor may hold for this key; a cursor with anything else is refused before it reaches SQL. */
  readonly type: "int" | "number" | "time" | "text";
}

const INSTANT = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:?\d{2})?$/;

function fitsKey(key: SortKey, value: unknown): boolean {
  switch (key.type) {
    case "int":
      return typeof value === "number" && Number.isSafeInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "time":
      return typeof value === "string" && INSTANT.test(value) && !Number.isNaN(Date.parse(value.replace(" ", "T")));
    case "text":
      return typeof value === "string" && !value.includes("\u0000") && value.length <= 1000;
  }
}

/**
 * How a list is ordered. `name` is written into every cursor, so a cursor from one ordering
 * is refused by another instead of silently skipping rows.
 */
export interface Ordering {
  readonly name: string;
  readonly keys: readonly SortKey[];
}

/** One key's value in a cursor. */
export type KeyValue = string | number;

/** The cursor of the row whose keys in `ordering` are `values`. */
export function encodeCursor(ordering: Ordering, values: readonly KeyValue[]): string {
  return Buffer.from(JSON.stringify([ordering.name, ...values]), "utf8").toString("base64url");
}

/** The key values a cursor of `ordering` holds; BAD_USER_INPUT naming the cursor when it is not one of this list. */
export function decodeCursor(ordering: Ordering, cursor: string, field: "after" | "before"): KeyValue[] {
  let parsed: unknown;
  try {
    parsed = /^[A-Za-z0-9_-]{1,2000}$/.test(cursor) ? JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) : undefined;
  } catch {
    parsed = undefined;
  }
  const valid =
    Array.isArray(parsed) &&
    parsed.length === ordering.keys.length + 1 &&
    parsed[0] === ordering.name &&
    ordering.keys.every((key, i) => fitsKey(key, parsed[i + 1]));
  if (!valid) throw new BadUserInputError(`${quoted(cursor)} is not a cursor of this list.`, field);
  return (parsed as KeyValue[]).slice(1);
}
