import { GraphQLScalarType, Kind } from "graphql";

function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === "string" || typeof value === "number") return new Date(value);
  return new Date(Number.NaN);
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseInstant(value: unknown): Date {
  if (typeof value !== "string" || !ISO_INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
    throw new TypeError(`DateTime must be an ISO-8601 instant with a time zone, e.g. 2025-10-09T08:00:00Z; got ${JSON.stringify(value)}.`);
  }
  return new Date(value);
}

/** An instant, written as ISO-8601 in UTC (`2025-10-09T08:00:00.000Z`). */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: "DateTime",
  description: "An instant in time, ISO-8601 with a time zone (responses are in UTC).",
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
