import "reflect-metadata";
import { ConfigError, loadConfig } from "../../src/config";
import { regionalNewsroom } from "../helpers/scenarios";
import { dataOf, metricOf, startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import { bearer, mintToken } from "../helpers/tokens";

/*
 * The response cache keeps every answer while it has room, and once it is full keeps an answer
 * only when it is worth the room it takes (src/cache/admission.ts): asked for at least twice
 * lately, and in place of answers read less often. Walked as readers: one reader asking for
 * thousands of distinct pages, once or twice each, cannot push the front page out.
 */

/** A cache of this many bytes holds the front page and a few dozen of the flood's pages. */
const CACHE_BYTES = 256 * 1024;

/** The seed story and the regional newsroom, behind a response cache of {@link CACHE_BYTES}. */
async function startSmallCache(): Promise<TestServer> {
  const t = await startTestServer({ seed: true, config: { cache: { bytes: CACHE_BYTES } } });
  await regionalNewsroom(t.server.db);
  return t;
}

const hits = (t: TestServer) => metricOf(t, "response_cache_hits_total");
const evictions = (t: TestServer) => metricOf(t, "response_cache_evictions_total");
const held = (t: TestServer) => metricOf(t, "response_cache_bytes");

function get(t: TestServer, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Response> {
  const url = new URL(`http://127.0.0.1:${t.server.port}/graphql`);
  url.searchParams.set("query", query);
  url.searchParams.set("variables", JSON.stringify(variables));
  return fetch(url, { headers });
}

/** Reads a page of the flood: a large answer whose key no one else asks for (a distinct `before`). */
async function floodPage(t: TestServer, n: number): Promise<number> {
  const res = await get(t, PAGE, { before: new Date(Date.UTC(2030, 0, 1) + n * 1000).toISOString() });
  expect(res.status).toBe(200);
  return (await res.text()).length;
}

/** Reads the front page and says whether the response cache answered it. */
async function frontIsHit(t: TestServer): Promise<boolean> {
  const before = await hits(t);
  const res = await get(t, FRONT);
  expect(res.status).toBe(200);
  await res.text();
  return (await hits(t)) === before + 1;
}

describe("response cache admission", () => {
  let t: TestServer;
  let editor: Record<string, string>;
  beforeAll(async () => {
    t = await startSmallCache();
    editor = bearer(await mintToken(t, "EDITOR"));
  });
  afterAll(async () => {
    await t.close();
  });

  it("stores a page on its first read while there is room, answers the second from memory, and after a write stores it again at once", async () => {
    const page = `{ institutions(first: 3) { nodes { name } } }`;
    const bytes = await held(t);
    const first = await get(t, page);
    const firstBody = await first.text();
    expect(await held(t)).toBeGreaterThan(bytes);
    expect(first.headers.get("cache-control")).toBe("public, max-age=5, stale-while-revalidate=30");
    // The institutions it shows, by the rows read (CACHE_TAGS=row, the default), or their kind (type).
    expect(first.headers.get("xkey")).toMatch(/^Institution$|^(Institution:\d+ ){3}Institution:list Institution:rows$/);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);

    const hitsBefore = await hits(t);
    const second = await get(t, page);
    expect(await second.text()).toBe(firstBody);
    expect(second.headers.get("etag")).toBe(etag);
    expect(await hits(t)).toBe(hitsBefore + 1);

    const revalidated = await get(t, page, {}, { "if-none-match": etag! });
    expect(revalidated.status).toBe(304);
    expect(await hits(t)).toBe(hitsBefore + 2);

    // A write drops the answer; the page's count outlives it, so its next answer is stored at once.
    const cursorBefore = dataOf<{ liveCursor: string }>(await t.gql(`{ liveCursor }`, {}, editor)).liveCursor;
    dataOf(await t.gql(`mutation { createInstitution(input: { name: "Lembaga Baru Sekali", kind: MINISTRY }) { id } }`, {}, editor));
    // The instance drops the write's tags again when its bus delivers the write's event; on
    // PostgreSQL that comes a moment later, so the reads below wait for it (else an answer stored
    // in between is dropped by it and the count starts over).
    for (let tries = 0; dataOf<{ liveCursor: string }>(await t.gql(`{ liveCursor }`, {}, editor)).liveCursor === cursorBefore; tries++) {
      if (tries > 200) throw new Error("the write's event was never delivered");
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const hitsAfterWrite = await hits(t);
    await (await get(t, page)).text();
    expect(await hits(t)).toBe(hitsAfterWrite);
    await (await get(t, page)).text();
    expect(await hits(t)).toBe(hitsAfterWrite + 1);
    expect(await metricOf(t, "response_cache_admissions_total", 'outcome="admitted"')).toBeGreaterThanOrEqual(2);
  });
});

describe("a flood of distinct pages", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startSmallCache();
  });
  afterAll(async () => {
    await t.close();
  });

  it("read once each, fills the free room, pushes nothing out and leaves the front page a hit throughout", async () => {
    for (let i = 0; i < 3; i++) await get(t, FRONT).then((res) => res.text());
    expect(await frontIsHit(t)).toBe(true);
    const evictedBefore = await evictions(t);
    let n = 0;
    // Each round alone reads more bytes than the whole cache holds.
    for (let round = 0; round < 4; round++) {
      let read = 0;
      while (read < CACHE_BYTES) read += await floodPage(t, n++);
      expect(await frontIsHit(t)).toBe(true);
    }
    expect(await evictions(t)).toBe(evictedBefore);
    expect(await held(t)).toBeGreaterThan(CACHE_BYTES * 0.8);
    expect(await held(t)).toBeLessThanOrEqual(CACHE_BYTES);
    expect(await metricOf(t, "response_cache_admissions_total", 'outcome="rejected"')).toBeGreaterThan(0);
    // Each page was small enough to be stored (at most a tenth of the cache): more than ten per round.
    expect(n).toBeGreaterThan(4 * 10);
  });
});

describe("a flood of distinct pages read twice each", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startSmallCache();
  });
  afterAll(async () => {
    await t.close();
  });

  it("fills the room left but pushes out nothing read more often: the front page stays a hit", async () => {
    for (let i = 0; i < 4; i++) await get(t, FRONT).then((res) => res.text());
    let n = 0;
    for (let round = 0; round < 4; round++) {
      let read = 0;
      while (read < CACHE_BYTES) {
        read += await floodPage(t, n);
        read += await floodPage(t, n++);
      }
      expect(await frontIsHit(t)).toBe(true);
    }
    expect(await evictions(t)).toBe(0);
    // The flood's pages did fill the room: the cache is close to full.
    expect(await held(t)).toBeGreaterThan(CACHE_BYTES * 0.8);
  });
});

describe("RESPONSE_CACHE_ADMIT_AFTER", () => {
  it("defaults to 2 and takes 1 to 15", () => {
    expect(loadConfig({}).cache.admitAfter).toBe(2);
    expect(loadConfig({ RESPONSE_CACHE_ADMIT_AFTER: "1" }).cache.admitAfter).toBe(1);
    expect(loadConfig({ RESPONSE_CACHE_ADMIT_AFTER: "15" }).cache.admitAfter).toBe(15);
    for (const value of ["0", "16", "two"]) {
      expect(() => loadConfig({ RESPONSE_CACHE_ADMIT_AFTER: value })).toThrow(ConfigError);
      expect(() => loadConfig({ RESPONSE_CACHE_ADMIT_AFTER: value })).toThrow(`RESPONSE_CACHE_ADMIT_AFTER must be an integer from 1 to 15, got '${value}'`);
    }
  });
});

const FRONT = `{ articles(first: 3) { nodes { title } } }`;
const PAGE = `query Page($before: DateTime) { articles(first: 100, filter: { publishedBefore: $before }) { nodes { title summary body } } }`;
