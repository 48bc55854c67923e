import { DateTimeScalar, utcIso } from "../../src/kernel/scalars";

/*
 * The DateTime scalar's own ISO writer against Date#toISOString, which it replaces for speed: the
 * same text for every instant a Date can hold, years 0–999 and beyond 9999 and before 0 included,
 * read twice (the second from its cache of recent instants).
 */

/** A small seeded PRNG (mulberry32), so a failure replays. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("utcIso", () => {
  const MAX = 8.64e15;
  const instants: number[] = [0, -1, 1, MAX, -MAX, Date.UTC(999, 11, 31, 23, 59, 59, 999), Date.UTC(1000, 0, 1), Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1), Date.UTC(-1, 0, 1), Date.UTC(2024, 1, 29, 12, 0, 0, 7), Date.UTC(2026, 11, 6, 9, 5, 3, 40)];
  // Years 0–99: Date.UTC reads them as 1900–1999, setUTCFullYear does not.
  for (const year of [0, 1, 9, 10, 99, 100, 999]) instants.push(new Date(0).setUTCFullYear(year, 5, 15));
  const next = random(21);
  for (let i = 0; i < 20_000; i++) instants.push(Math.round((next() * 2 - 1) * MAX));
  for (let i = 0; i < 20_000; i++) instants.push(Math.round(Date.UTC(1970, 0, 1) + next() * (Date.UTC(2100, 0, 1) - Date.UTC(1970, 0, 1))));
  for (let i = 0; i < 5_000; i++) instants.push(Math.round(new Date(0).setUTCFullYear(0) + next() * (Date.UTC(1000, 0, 1) - new Date(0).setUTCFullYear(0))));

  it("writes every instant as Date#toISOString does, first and again", () => {
    const differences: string[] = [];
    for (const round of [1, 2])
      for (const time of instants) {
        const date = new Date(time);
        if (utcIso(date) !== date.toISOString()) differences.push(`${time} (read ${round}): ${utcIso(date)} ≠ ${date.toISOString()}`);
      }
    expect(differences.slice(0, 10)).toEqual([]);
  });

  it("serializes DateTime through it and still refuses what is not an instant", () => {
    expect(DateTimeScalar.serialize(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)))).toBe("2026-01-02T03:04:05.006Z");
    expect(DateTimeScalar.serialize("2026-01-02T03:04:05+07:00")).toBe("2026-01-01T20:04:05.000Z");
    expect(() => DateTimeScalar.serialize(new Date(Number.NaN))).toThrow(TypeError);
  });
});
