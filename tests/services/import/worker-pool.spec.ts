import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import type { ImportConfig } from "../../../src/config";
import { extractStory } from "../../../src/services/import/import.extract";
import { ImportPool } from "../../../src/services/import/import.pool";
import { ADVERSARIAL_STORIES, LEAD } from "../../bench/lib/adversarial-stories";
import { dataOf, startTestServer, tempSqliteFile } from "../../helpers/server";
import type { GraphQLResponse, TestServer } from "../../helpers/server";
import { bearer, mintToken } from "../../helpers/tokens";

/*
 * Stories are read in the import pool's worker threads: within a time budget (past it the worker
 * is stopped and replaced, and the story refused), with a bounded number waiting (past it,
 * RATE_LIMITED). Each limit is proven here by what a client sees.
 */

const STORIES = path.join(__dirname, "stories");

/** A long story of ordinary paragraphs (those of the test stories, over and over): about 190,000 characters. */
function longStory(): string {
  const paragraphs = fs
    .readdirSync(STORIES)
    .filter((f) => f.endsWith(".txt"))
    .sort()
    .flatMap((f) => fs.readFileSync(path.join(STORIES, f), "utf8").split(/\n{2,}/).slice(2))
    .filter((p) => p.length > 120);
  const body: string[] = [];
  for (let size = 0, i = 0; size < 190_000; i++) {
    const p = paragraphs[i % paragraphs.length]!;
    body.push(p);
    size += p.length + 2;
  }
  return ["Berita Panjang Uji Anggaran Waktu", `SURABAYA, Contoh.id – ${body[0]}`, ...body.slice(1)].join("\n\n");
}

async function serverWith(config: ImportConfig, options: { file?: string; keepFile?: boolean } = {}): Promise<{ t: TestServer; editor: Record<string, string> }> {
  const t = await startTestServer({ seed: false, ...options, config: { import: config } });
  return { t, editor: bearer(await mintToken(t, "EDITOR")) };
}

async function totals(t: TestServer, editor: Record<string, string>): Promise<Record<string, number>> {
  const data = dataOf(await t.gql<Record<string, { totalCount: number }>>(TOTALS, {}, editor));
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.totalCount]));
}

/** The one error of a refused operation. */
function refusal(res: GraphQLResponse): { message: string; extensions?: Record<string, unknown> } {
  expect(res.body.errors).toHaveLength(1);
  expect(res.body.data ?? null).toBeNull();
  return res.body.errors![0]!;
}

describe("the import pool", () => {
  const opened: TestServer[] = [];
  afterEach(async () => {
    for (const t of opened.splice(0)) await t.close();
  });

  it("a story that takes longer than IMPORT_TIME_BUDGET_MS is refused BAD_USER_INPUT naming the budget; nothing is stored, the server answers, the worker is replaced, and the story imports under a budget it fits", async () => {
    const file = tempSqliteFile();
    const text = longStory();
    const { t, editor } = await serverWith({ workers: 1, timeBudgetMs: 1, maxQueued: 8 }, { file, keepFile: true });
    opened.push(t);
    const before = await totals(t, editor);
    // Each attempt after the first is read by the worker that replaced the one stopped before it.
    for (const [query, variables] of [
      [PREVIEW, { text }],
      [IMPORT, { text }],
      [PREVIEW, { text }],
    ] as const) {
      const error = refusal(await t.gql(query, variables, editor));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "text" });
      expect(error.message).toContain("took too long to read");
      expect(error.message).toContain("1 ms (IMPORT_TIME_BUDGET_MS)");
      expect(dataOf(await t.gql<{ articles: { totalCount: number } }>(SIMPLE, {}, editor)).articles.totalCount).toBe(before.articles);
    }
    expect(await totals(t, editor)).toEqual(before);
    await t.close();
    opened.pop();

    // The same store under a budget the story fits: it imports (had any of it been stored, it would be refused as already stored).
    const again = await serverWith({ workers: 1, timeBudgetMs: 60_000, maxQueued: 8 }, { file });
    opened.push(again.t);
    const { importArticle } = dataOf(await again.t.gql<{ importArticle: { title: string } }>(IMPORT, { text }, again.editor));
    expect(importArticle.title).toBe("Berita Panjang Uji Anggaran Waktu");
    expect((await totals(again.t, again.editor)).articles).toBe(before.articles! + 1);
  }, 120_000);

  it("at most IMPORT_QUEUE stories wait for a worker: one more is refused RATE_LIMITED, and as many are all read", async () => {
    const text = fs.readFileSync(path.join(STORIES, "01-seed-remention.txt"), "utf8");
    const { t, editor } = await serverWith({ workers: 1, timeBudgetMs: 60_000, maxQueued: 2 });
    opened.push(t);
    const previews = (count: number) => Promise.all(Array.from({ length: count }, () => t.gql<{ previewImport: { title: string } }>(PREVIEW, { text }, editor)));

    // One read and two waiting (its worker starts with the first story, so all four are there before any is read): the fourth is one too many.
    const over = await previews(4);
    const refused = over.filter((res) => res.body.errors !== undefined);
    expect(refused).toHaveLength(1);
    const error = refusal(refused[0]!);
    expect(error.extensions).toMatchObject({ code: "RATE_LIMITED" });
    expect(error.extensions!.retryAfterSeconds).toBeGreaterThan(0);
    expect(error.message).toContain("at most 2 may wait, IMPORT_QUEUE");
    for (const res of over.filter((r) => r.body.errors === undefined)) expect(dataOf(res).previewImport.title).toBeTruthy();

    const under = await previews(3);
    for (const res of under) expect(dataOf(res).previewImport.title).toBeTruthy();
  });

  it("a story's reading comes back from the worker (packed, its numbers' buffer moved) exactly as extractStory reads it on this thread", async () => {
    const texts = [STORIES, path.join(__dirname, "corpus")].flatMap((dir) =>
      fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".txt"))
        .map((f) => fs.readFileSync(path.join(dir, f), "utf8")),
    );
    // And stories at the body limit with thousands of records, warnings, quotes and unit lists, and a soup of everything.
    const shapes = /Kapolsek|then 'Kalapas|Kasi Binadik <name>|each with its speaker|by a short name many|unpaired|units listed|in paragraphs/;
    for (const [name, make] of ADVERSARIAL_STORIES) if (shapes.test(name)) texts.push(LEAD + make());
    const pool = new ImportPool({ workers: 1, timeBudgetMs: 60_000, maxQueued: texts.length });
    try {
      const read = await Promise.all(texts.map((text) => pool.extract(text)));
      read.forEach((story, i) => expect(story).toStrictEqual(extractStory(texts[i]!)));
    } finally {
      await pool.close();
    }
  }, 120_000);
});

const PREVIEW = `query Preview($text: String!) { previewImport(text: $text) { title } }`;
const IMPORT = `mutation Import($text: String!) { importArticle(text: $text) { title } }`;
const SIMPLE = `{ articles(first: 1) { totalCount } }`;
const TOTALS = `{ articles { totalCount } institutions { totalCount } people { totalCount } quotes { totalCount } }`;
