/** PostgreSQL's type id of `timestamp with time zone`, the type of every instant column here. */
export const TIMESTAMPTZ_OID = 1184;

const ZERO = 48;

/** The decimal number in `text` from `from` to `to`, or NaN when a character there is not a digit (instants on both databases are read with it). */
export function digits(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return Number.NaN;
    value = value * 10 + d;
  }
  return value;
}

/**
 * A `timestamptz` as PostgreSQL sends it in text (`2026-11-28 00:41:37.825+00`, or in JSON
 * `2026-11-28T00:41:37.825+00:00`: a four-digit year,
 * 0–6 fraction digits, an offset of hours and optionally minutes and seconds), read without
 * regular expressions; null for any other shape (BC years, years past 9999, `infinity`), which
 * node-postgres's own parser then reads. node-postgres's parser runs three regular expressions
 * an instant (about 1 µs): a front page reads 120 of them.
 */
export function parseTimestamptz(text: string): Date | null {
  const n = text.length;
  if (n < 22 || text[4] !== "-" || text[7] !== "-" || (text[10] !== " " && text[10] !== "T") || text[13] !== ":" || text[16] !== ":") return null;
  let i = 19;
  let ms = 0;
  if (text[i] === ".") {
    let end = i + 1;
    while (end < n && end - i <= 6 && text.charCodeAt(end) >= ZERO && text.charCodeAt(end) <= ZERO + 9) end++;
    const fraction = end - i - 1;
    if (fraction === 0) return null;
    // Milliseconds, truncated as node-postgres's parser (and Date) truncate the microseconds.
    ms = digits(text, i + 1, i + 1 + Math.min(fraction, 3)) * (fraction === 1 ? 100 : fraction === 2 ? 10 : 1);
    i = end;
  }
  const sign = text[i] === "+" ? 1 : text[i] === "-" ? -1 : 0;
  if (sign === 0) return null;
  // The offset: ±HH, ±HH:MM or ±HH:MM:SS, and nothing after it.
  const rest = n - i - 1;
  if (rest !== 2 && rest !== 5 && rest !== 8) return null;
  if (rest >= 5 && text[i + 3] !== ":") return null;
  if (rest === 8 && text[i + 6] !== ":") return null;
  const offsetSeconds = digits(text, i + 1, i + 3) * 3600 + (rest >= 5 ? digits(text, i + 4, i + 6) * 60 : 0) + (rest === 8 ? digits(text, i + 7, i + 9) : 0);
  const year = digits(text, 0, 4);
  // Date.UTC reads years 0–99 as 1900–1999; such instants are left to node-postgres's parser.
  if (year < 100) return null;
  const utc = Date.UTC(year, digits(text, 5, 7) - 1, digits(text, 8, 10), digits(text, 11, 13), digits(text, 14, 16), digits(text, 17, 19), ms) - sign * offsetSeconds * 1000;
  return Number.isNaN(utc) ? null : new Date(utc);
}

/** node-postgres's `types` option: its own parsers, with {@link parseTimestamptz} first for text instants. */
export interface PgTypes {
  getTypeParser(oid: number, format?: string): (value: string) => unknown;
}

export function fastInstantTypes(defaults: PgTypes): PgTypes {
  return {
    getTypeParser(oid, format) {
      const parser = defaults.getTypeParser(oid, format);
      if (oid !== TIMESTAMPTZ_OID || (format !== undefined && format !== "text")) return parser;
      return (value: string) => parseTimestamptz(value) ?? parser(value);
    },
  };
}
