import "reflect-metadata";
import { Institution } from "../../src/entities/institution.entity";
import { Person } from "../../src/entities/person.entity";
import { InstitutionKind } from "../../src/kernel/institution-kind";
import { REALISTIC_OPERATIONS, SAMPLES_QUERY, samplesFrom } from "../bench/lib/calibration";
import { Q1_ARTICLE_PAGE, Q2_FRONT_PAGE } from "../bench/lib/queries";
import { addAuthor, addByline, addInstitution, addPerson, addQuote, addStory, BASE_TIME, HOUR, regionalNewsroom } from "../helpers/scenarios";
import { dataOf, startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import { bearer, mintToken } from "../helpers/tokens";

/*
 * Rows as one JSON value on PostgreSQL (POSTGRES_JSON_ROWS, rows.ts readRows) against the same
 * reads cell by cell, over one database: two uncached servers, one with JSON rows off and one
 * with them on, asked the realistic operations, the bench's reads and list pages forwards and
 * backwards, anonymously and as an editor; status and body bytes must be the same. The newest
 * story has its institutions, people, tags and quotes in an order that is neither their ids' nor
 * their reverse (two quotes share a position, so the id breaks the tie), and a proposed
 * institution and person readers must not see, so an order lost in an aggregate or a visibility
 * rule skipped on one path shows as a difference.
 */

// PostgreSQL only (the postgres-api project); on SQLite the JSON rows have a differential test of their own (tests/transport/early-execution.spec.ts).
const onPostgres = process.env.TEST_DATABASE === "postgres" && Boolean(process.env.DATABASE_URL);
/** Where two texts first differ, a little before it (for a readable failure). */
function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return Math.max(0, i - 120);
}

const STORY_LISTS = `institutions { name slug } people { name } tags { name } authors { name } quotes { text position speaker { name } institution { name } }`;

const pgDescribe = onPostgres ? describe : describe.skip;

pgDescribe("rows as JSON on PostgreSQL answer as rows cell by cell", () => {
  let jsonRows: TestServer;
  let cellRows: TestServer;
  let editor: string;
  let moderator: string;
  const cases: Array<{ name: string; query: string; variables?: Record<string, unknown>; moderator?: boolean; only?: "anonymously" | "with an editor's token" }> = [];

  beforeAll(async () => {
    const common = { cache: { enabled: false } } as const;
    jsonRows = await startTestServer({ seed: false, config: common });
    const scenario = await regionalNewsroom(jsonRows.server.db);
    const story = await jsonRows.server.db.transaction(async (em) => {
      const unit = await addInstitution(em, { name: "Unit Usulan", kind: InstitutionKind.LAPAS });
      await em.update(Institution, unit.pk, { visible: false });
      const proposed = await addPerson(em, "Orang Usulan");
      await em.update(Person, proposed.pk, { visible: false });
      // Ids: ministry < surabaya < denpasar < unit; sari < budi < proposed; korupsi < pendidikan.
      const { ministry, surabaya, denpasar, sari, budi, korupsi, pendidikan } = scenario;
      const newest = await addStory(em, {
        title: "Berita dengan urutan sendiri",
        publishedAt: new Date(BASE_TIME + 100 * HOUR),
        institutions: [surabaya, unit, denpasar, ministry],
        people: [budi, proposed, sari],
        tags: [pendidikan, korupsi],
      });
      await addByline(em, newest, [await addAuthor(em, "Penulis Kedua"), await addAuthor(em, "Penulis Pertama")].reverse());
      // Inserted (ids rising) in positions 2, 0, 3, 1, 3: by position then id, neither insertion order nor its reverse.
      await addQuote(em, newest, sari, "Kutipan ketiga", 2, surabaya);
      await addQuote(em, newest, budi, "Kutipan pertama", 0, denpasar);
      await addQuote(em, newest, budi, "Kutipan keempat, unit usulan", 3, unit);
      await addQuote(em, newest, budi, "Kutipan kedua", 1);
      await addQuote(em, newest, sari, "Kutipan kelima, posisi sama", 3, ministry);
      return newest;
    });
    const database = jsonRows.server.db.config;
    if (database.kind !== "postgres") throw new Error("expected PostgreSQL");
    cellRows = await startTestServer({ seed: false, database: { ...database, jsonRows: false }, config: common });
    editor = await mintToken(jsonRows, "EDITOR");
    moderator = await mintToken(jsonRows, "MODERATOR");

    const samples = samplesFrom(dataOf(await jsonRows.gql(SAMPLES_QUERY)) as Parameters<typeof samplesFrom>[0]);
    // The samples come from the newest story with an institution and a person: the one above.
    expect(samples.articleSlug).toBe(story.slug);
    for (const op of REALISTIC_OPERATIONS) if (op.name !== "standard introspection query") cases.push({ name: op.name, query: op.query, variables: op.variables(samples), moderator: op.role === "MODERATOR" });
    const slugs = [story.slug, scenario.published[0]!.slug, scenario.drafts[0]!.slug];
    for (const slug of slugs) cases.push({ name: `Q1 ${slug}`, query: Q1_ARTICLE_PAGE, variables: { slug } });
    // By slug the page is read in one statement (ArticleService.bySlugWith); by id through the loaders.
    cases.push({ name: "story's lists", query: `query($slug: String!) { article(slug: $slug) { ${STORY_LISTS} } }`, variables: { slug: story.slug } });
    cases.push({ name: "story's lists by id", query: `query($id: ID!) { article(id: $id) { ${STORY_LISTS} } }`, variables: { id: (dataOf(await jsonRows.gql(`query($s: String!) { article(slug: $s) { id } }`, { s: story.slug })) as { article: { id: string } }).article.id } });
    cases.push({ name: "Q2", query: Q2_FRONT_PAGE });
    const list = `slug publishedAt institutions { name } people { name } tags { name } authors { name }`;
    cases.push({ name: "front page, backwards", query: `{ articles(last: 7) { nodes { ${list} } pageInfo { startCursor hasPreviousPage } } }` });
    // An editor's list has drafts in it and cursors of its own.
    for (const [only, headers] of [["anonymously", {}], ["with an editor's token", bearer(editor)]] as const) {
      const second = (dataOf(await jsonRows.gql(`{ articles(first: 5) { pageInfo { endCursor } } }`, {}, headers)) as { articles: { pageInfo: { endCursor: string } } }).articles.pageInfo.endCursor;
      cases.push({ name: "second page", query: `query($a: String!) { articles(first: 5, after: $a) { nodes { ${list} } pageInfo { startCursor endCursor } } }`, variables: { a: second }, only });
      cases.push({ name: "before a cursor", query: `query($b: String!) { articles(last: 3, before: $b) { nodes { slug } pageInfo { startCursor } } }`, variables: { b: second }, only });
    }
    cases.push({ name: "oldest first", query: `{ articles(first: 10, orderBy: PUBLISHED_AT_ASC) { nodes { ${list} } } }` });
    cases.push({ name: "every status", query: `{ articles(first: 50, filter: { status: DRAFT }) { nodes { slug status institutions { name } } } }` });
    cases.push({ name: "tags", query: `{ tags { name slug } }` });
    cases.push({ name: "institutions with their stories, partitioned", query: `{ institutions(first: 10) { nodes { name articles(first: 4) { nodes { slug } } quotes(first: 3) { nodes { text } } } } }` });
    cases.push({ name: "people with their quotes, partitioned, backwards", query: `{ people(first: 10) { nodes { name positions { title current } quotes(last: 2) { nodes { text } } articles(last: 3) { nodes { slug } } } } }` });
  });

  afterAll(async () => {
    await cellRows?.close();
    await jsonRows?.close();
  });

  it.each([
    ["anonymously", false],
    ["with an editor's token", true],
  ])("answers every read %s with the same status and bytes", async (how, withToken) => {
    expect(cases.length).toBeGreaterThan(20);
    const differences: string[] = [];
    for (const { name, query, variables, moderator: needsModerator } of cases.filter((c) => c.only === undefined || c.only === how)) {
      const headers = needsModerator ? bearer(moderator) : withToken ? bearer(editor) : {};
      const [off, on] = [await cellRows.gql(query, variables, headers), await jsonRows.gql(query, variables, headers)];
      if (off.status !== on.status) differences.push(`${name}: status ${off.status} → ${on.status}`);
      if (off.text !== on.text) differences.push(`${name}: body from ${firstDifference(off.text, on.text)}\n  ${off.text.slice(firstDifference(off.text, on.text), firstDifference(off.text, on.text) + 300)}\n  ${on.text.slice(firstDifference(off.text, on.text), firstDifference(off.text, on.text) + 300)}`);
      // A read that errs on both would compare equal and prove nothing.
      expect([name, off.body.errors ?? []]).toEqual([name, []]);
    }
    expect(differences).toEqual([]);
  });

  it("reads the story's lists in their stored order, not by id, by slug (one statement) as by id", async () => {
    const read = async (name: string, headers: Record<string, string>) => {
      const { query, variables } = cases.find((c) => c.name === name)!;
      return dataOf(await jsonRows.gql(query, variables, headers)) as {
        article: { institutions: Array<{ name: string }>; people: Array<{ name: string }>; tags: Array<{ name: string }>; authors: Array<{ name: string }>; quotes: Array<{ text: string }> };
      };
    };
    for (const headers of [{}, bearer(editor)]) expect(await read("story's lists", headers)).toEqual(await read("story's lists by id", headers));
    const page = await read("story's lists", bearer(editor));
    expect(page.article.institutions.map((i) => i.name)).toEqual(["Lembaga Pemasyarakatan Kelas I Surabaya", "Unit Usulan", "Rumah Tahanan Negara Kelas IIB Denpasar", "Kementerian Imigrasi dan Pemasyarakatan"]);
    expect(page.article.people.map((p) => p.name)).toEqual(["Budi Santoso", "Orang Usulan", "Sari Dewi"]);
    expect(page.article.tags.map((t) => t.name)).toEqual(["Pendidikan", "Korupsi"]);
    expect(page.article.authors.map((a) => a.name)).toEqual(["Penulis Pertama", "Penulis Kedua"]);
    expect(page.article.quotes.map((q) => q.text)).toEqual(["Kutipan pertama", "Kutipan kedua", "Kutipan ketiga", "Kutipan keempat, unit usulan", "Kutipan kelima, posisi sama"]);
  });
});
