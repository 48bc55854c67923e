import { MixLane, UniqueTerms } from "./lib/mix-traffic";
import type { Catalog } from "./lib/mix-traffic";
import { Random } from "./lib/random";
import { StaleReadChecker } from "./lib/stale-reads";
import { ZipfPicker } from "./lib/zipf";
import { regionalNewsroom } from "../helpers/scenarios";
import { dataOf, startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import { mintToken } from "../helpers/tokens";

/*
 * The pieces of `npm run bench -- --mix` (tests/bench/mix.ts), briefly and untimed: the Zipf
 * picker, the stale-read rule, the unique search terms, and one short step of the whole traffic
 * against a real server. The figures are the bench's business; this proves its parts do what
 * the report says they do.
 */

describe("the mix bench's Zipf picker", () => {
  it("draws rank r with probability proportional to 1 / (r + 1)", () => {
    const zipf = new ZipfPicker(100, 1, 7);
    const harmonic = Array.from({ length: 100 }, (_, r) => 1 / (r + 1)).reduce((a, b) => a + b, 0);
    expect(zipf.probability(0)).toBeCloseTo(1 / harmonic, 10);
    expect(zipf.probability(1)).toBeCloseTo(zipf.probability(0) / 2, 10);
    const counts = new Array<number>(100).fill(0);
    const draws = 50_000;
    for (let i = 0; i < draws; i++) counts[zipf.next()]!++;
    expect(counts.every((c) => c >= 0)).toBe(true);
    // 50,000 draws: rank 0 (p ≈ 0.193) within a few standard deviations (~0.0018) of its share.
    expect(Math.abs(counts[0]! / draws - zipf.probability(0))).toBeLessThan(0.01);
    expect(Math.abs(counts[9]! / draws - zipf.probability(9))).toBeLessThan(0.005);
    expect(counts[0]! / counts[1]!).toBeGreaterThan(1.8);
    expect(counts[0]! / counts[1]!).toBeLessThan(2.2);
  });

  it("gives the same sequence for the same seed", () => {
    const a = new ZipfPicker(10_000, 1, 3);
    const b = new ZipfPicker(10_000, 1, 3);
    expect(Array.from({ length: 50 }, () => a.next())).toEqual(Array.from({ length: 50 }, () => b.next()));
  });
});

describe("the stale-read rule", () => {
  it("owes a read the latest write to its key that answered before the read was sent", () => {
    const checker = new StaleReadChecker();
    checker.answered("front", 0, 100);
    checker.answered("front", 1, 200);
    expect(checker.read("front", -1, 50)).toBe(true); // sent before any write answered
    expect(checker.read("front", 0, 150)).toBe(true);
    expect(checker.read("front", 0, 199)).toBe(true); // write #1 had not answered yet
    expect(checker.read("front", 1, 201)).toBe(true);
    expect(checker.read("front", 2, 201)).toBe(true); // newer than owed is fine
    expect(checker.read("other", -1, 500)).toBe(true); // nothing written to it
    expect(checker.read("front", 0, 201)).toBe(false);
    expect(checker.read("front", -1, 120)).toBe(false);
    expect(checker.violations).toBe(2);
    expect(checker.checked).toBe(8);
    expect(checker.examples()[0]).toMatch(/sent 1\.0 ms after write #1 answered showed #0/);
  });
});

describe("the mix bench's searches", () => {
  it("never repeat a search text", () => {
    const terms = new UniqueTerms(new Random(5));
    const seen = new Set(Array.from({ length: 3000 }, () => terms.next()));
    expect(seen.size).toBe(3000);
  });
});

describe("one short step of the mix against a real server", () => {
  let t: TestServer;
  let lane: MixLane | undefined;

  beforeAll(async () => {
    // As the bench does for its servers: every comment comes from 127.0.0.1.
    t = await startTestServer({ seed: false, config: { comments: { rateLimit: 1000, addressRateLimit: 1000 } } });
    await regionalNewsroom(t.server.db);
  });
  afterAll(async () => {
    await lane?.close();
    await t.close();
  });

  it("reads in every form, publishes, edits and comments, and its subscribers and checks see it all", async () => {
    const token = await mintToken(t, "EDITOR");
    const listed = dataOf(
      await t.gql<{ articles: { nodes: Array<{ id: string; slug: string; summary: string | null }> }; tags: Array<{ name: string; slug: string }>; institutions: { nodes: Array<{ slug: string }> } }>(
        `{ articles(first: 40) { nodes { id slug summary } } tags { name slug } institutions { nodes { slug } } }`,
      ),
    );
    const catalog: Catalog = { stories: listed.articles.nodes, tags: listed.tags, institutions: listed.institutions.nodes.map((n) => n.slug) };
    lane = new MixLane("test", { url: `http://127.0.0.1:${t.server.port}/graphql`, port: t.server.port }, token, catalog, {
      subscribers: 5,
      sockets: 4,
      writeEveryMs: 250,
      commentEveryMs: 250,
      maxOutstanding: 1000,
      seed: 9,
      tickers: "worker",
    });
    const moderator = { authorization: `Bearer ${await mintToken(t, "MODERATOR")}` };
    const pendingCount = async () => dataOf(await t.gql<{ comments: { nodes: unknown[] } }>(`{ comments(first: 100, filter: { status: PENDING }) { nodes { id } } }`, {}, moderator)).comments.nodes.length;
    const pendingBefore = await pendingCount();
    await lane.prepare(4);
    await lane.prime(10);
    const step = await lane.step(60, 1.5, 0.25, 60_000);

    expect(step.errorExamples).toEqual([]);
    expect(step.writeErrors).toEqual([]);
    expect(step.commentErrors).toEqual([]);
    expect(lane.tickerErrors).toEqual([]);
    expect(step.answered).toBe(step.offered);
    expect(step.offered).toBeGreaterThan(30);
    expect(step.writes).toBeGreaterThanOrEqual(4);
    expect(step.comments).toBeGreaterThanOrEqual(4);
    // The front page and the edited stories' pages were read after writes had answered, and showed them.
    expect(step.staleChecked).toBeGreaterThan(0);
    expect(step.stale).toBe(0);
    // Primed: the most read pages were stored before the step, so some reads are hits.
    expect(step.hits).toBeGreaterThan(0);
    expect(step.misses).toBeGreaterThan(0);
    // Every subscriber received every publish and every edit.
    const deadline = Date.now() + 5000;
    do {
      await new Promise((r) => setTimeout(r, 100));
      await lane.collectReceipts();
    } while (lane.receipts().latencies.length < lane.receipts().expected && Date.now() < deadline);
    expect(lane.receipts().expected).toBe(step.writes * 5);
    expect(lane.receipts().latencies.length).toBe(lane.receipts().expected);
    // The comments wait for a moderator, so no reader sees them.
    expect(await pendingCount()).toBe(pendingBefore + step.comments);
  });
});
