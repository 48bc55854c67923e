import { types } from "pg";
import { fastInstantTypes, parseTimestamptz, TIMESTAMPTZ_OID } from "../../src/db/pg-instants";

// node-postgres's own reading of a timestamptz: what the fast path must agree with.
const pgParse = types.getTypeParser(TIMESTAMPTZ_OID, "text") as (text: string) => Date;

function pgText(ms: number, offsetMinutes: number, fractionDigits: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString();
  let fraction = local.slice(20, 23) + "123456".slice(0, Math.max(0, fractionDigits - 3));
  fraction = fraction.slice(0, fractionDigits).replace(/0+$/, "");
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = abs % 60 ? `:${String(abs % 60).padStart(2, "0")}` : "";
  return `${local.slice(0, 10)} ${local.slice(11, 19)}${fraction ? `.${fraction}` : ""}${sign}${hh}${mm}`;
}

describe("reading PostgreSQL instants", () => {
  it("gives node-postgres's instant for what PostgreSQL sends, in any zone and precision", () => {
    let seed = 7;
    const next = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    for (let i = 0; i < 5000; i++) {
      const ms = Math.floor(Date.UTC(1970, 0, 1) + next() * (Date.UTC(2100, 0, 1) - Date.UTC(1970, 0, 1)));
      const offset = [0, 0, 420, 330, -300, 545, -570][i % 7]!;
      const text = pgText(ms, offset, i % 7);
      const fast = parseTimestamptz(text);
      expect({ text, ms: fast?.getTime() }).toEqual({ text, ms: pgParse(text).getTime() });
      // The same instant as PostgreSQL's JSON writes it (rows read as one JSON value): a T, and the offset's minutes always.
      const json = `${text.slice(0, 10)}T${text.slice(11)}`.replace(/([+-]\d\d)$/, "$1:00");
      expect({ json, ms: parseTimestamptz(json)?.getTime() }).toEqual({ json, ms: pgParse(text).getTime() });
    }
    expect(parseTimestamptz("2026-11-28 00:41:37.825+00")!.toISOString()).toBe("2026-11-28T00:41:37.825Z");
    expect(parseTimestamptz("2026-11-28 07:41:37+07")!.toISOString()).toBe("2026-11-28T00:41:37.000Z");
    expect(parseTimestamptz("1900-01-01 00:00:00+00:09:21")!.toISOString()).toBe(pgParse("1900-01-01 00:00:00+00:09:21").toISOString());
  });

  it("leaves other shapes to node-postgres's parser", () => {
    for (const text of ["infinity", "-infinity", "0044-03-15 12:00:00+00 BC", "0099-01-01 00:00:00+00", "12026-01-01 00:00:00+00", "2026-11-28 00:41:37.+00", "2026-11-28T00:41:37Z"]) {
      expect(parseTimestamptz(text)).toBeNull();
    }
    const parse = fastInstantTypes(types).getTypeParser(TIMESTAMPTZ_OID, "text");
    expect(parse("infinity")).toBe(Infinity);
    expect((parse("0044-03-15 12:00:00+00 BC") as Date).getTime()).toBe(pgParse("0044-03-15 12:00:00+00 BC").getTime());
    // Other types keep node-postgres's parsers.
    expect(fastInstantTypes(types).getTypeParser(23, "text")).toBe(types.getTypeParser(23, "text"));
  });
});
