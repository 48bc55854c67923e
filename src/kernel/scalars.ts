import { GraphQLScalarType, Kind } from "graphql";

function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === "string" || typeof value === "number") return new Date(value);
  return new Date(Number.NaN);
}

// RFC 3339's date-time (section 5.6), as the scalar's specification profiles it: seconds
// required, fractions optional, upper-case T and Z, an offset always given.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/;

function parseInstant(value: unknown): Date {
  const m = typeof value === "string" ? DATE_TIME.exec(value) : null;
  if (!m || !isRealDateTime(m)) {
    throw new TypeError(`DateTime must be an RFC 3339 date-time with a time zone, e.g. 2025-10-09T08:00:00Z; got ${JSON.stringify(value)}.`);
  }
  return new Date(m[0]);
}

/** Date.parse rolls 2025-02-30 over to March; the specification wants it refused, so the fields are checked. */
function isRealDateTime(m: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const offsetOk = m[9] === undefined || (Number(m[9]) <= 23 && Number(m[10]) <= 59);
  // A leap second (:60) cannot be held by a Date, so it is refused rather than silently moved.
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59 && offsetOk && !Number.isNaN(Date.parse(m[0]));
}

/** The scalar's specification, which GraphQL tools read from `@specifiedBy` (codegen, GraphiQL). */
export const DATE_TIME_SPECIFIED_BY = "https://scalars.graphql.org/andimarek/date-time";

/** An instant, written as ISO-8601 in UTC (`2025-10-09T08:00:00.000Z`). */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: "DateTime",
  description: "An instant in time, an RFC 3339 date-time with a time zone (responses are in UTC).",
  specifiedByURL: DATE_TIME_SPECIFIED_BY,
  serialize: (value) => {
    const date = toDate(value);
    if (Number.isNaN(date.getTime())) throw new TypeError(`DateTime cannot represent ${String(value)}.`);
    return date.toISOString();
  },
  parseValue: (value) => parseInstant(value),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new TypeError(`DateTime must be a string, got a ${ast.kind}.`);
    return parseInstant(ast.value);
  },
});
