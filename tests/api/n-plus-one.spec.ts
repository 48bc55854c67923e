import "reflect-metadata";
import { DEFAULT_LIMITS } from "../../src/config";
import { addAuthor, addByline, addImage, regionalNewsroom } from "../helpers/scenarios";
import { AuthorRole } from "../../src/entities/author.entity";
import { dataOf, startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";

/** The shape of a statement: the same query with other keys counts as the same shape. */
function shapeOf(sql: string): string {
  return sql.replace(/IN \([^)]*\)/g, "IN (…)").replace(/\$\d+|\?|\b\d+\b/g, "?").replace(/\s+/g, " ");
}

/** Counts the SQL statements one GraphQL request runs, through the store's query listener. */
async function statementsOf(t: TestServer, query: string, variables: Record<string, unknown>): Promise<{ count: number; perShape: number; data: unknown; seen: string[] }> {
  const seen: string[] = [];
  const listener = (sql: string) => void seen.push(sql);
  t.server.db.listeners.add(listener);
  try {
    const data = dataOf(await t.gql(query, variables));
    const shapes = new Map<string, number>();
    for (const sql of seen) shapes.set(shapeOf(sql), (shapes.get(shapeOf(sql)) ?? 0) + 1);
    return { count: seen.length, perShape: Math.max(...shapes.values()), data, seen };
  } finally {
    t.server.db.listeners.delete(listener);
  }
}

describe("no N+1", () => {
  let t: TestServer;
  beforeAll(async () => {
    // The deepest page here costs more than the default ceiling; the ceiling has its own tests.
    // No background polling: the statement counts below must see the request alone.
    t = await startTestServer({ seed: true, config: { graphql: { limits: { ...DEFAULT_LIMITS, maxComplexity: 100_000 } }, events: { schedulerIntervalMs: 3_600_000, pollIntervalMs: 600_000 } } });
    await regionalNewsroom(t.server.db);
  });
  afterAll(async () => {
    await t.close();
  });

  /*
   * A loader reached along several paths (institutions of a story, their parents, the
   * institutions of positions and quotes) dispatches one batch or a few depending on when the
   * database answers, so the exact count varies a little between runs (measured 11–15 here);
   * what it never does is follow the number of rows. An N+1 would run one statement shape once
   * per story: 40 times for 40 stories. So: no statement shape runs more than a few times, and
   * the total stays under a ceiling far below the page size.
   */
  it("runs a bounded number of statements for 1, 5, 20 and 40 stories with all their relations", async () => {
    for (const first of [1, 5, 20, 40]) {
      const { count, perShape, data } = await statementsOf(t, FRONT_PAGE_DEEP, { first });
      expect((data as { articles: { nodes: unknown[] } }).articles.nodes).toHaveLength(first);
      expect(perShape).toBeLessThanOrEqual(6);
      expect(count).toBeLessThanOrEqual(24);
    }
  });

  it("batches nested connections across parents (institutions with their stories, people with their quotes)", async () => {
    const large = await statementsOf(t, NESTED, { first: 6 });
    expect((large.data as { institutions: { nodes: unknown[] } }).institutions.nodes.length).toBe(6);
    expect((large.data as { people: { nodes: unknown[] } }).people.nodes.length).toBe(5);
    expect(large.perShape).toBeLessThanOrEqual(4);
    expect(large.count).toBeLessThanOrEqual(24);
  });

  it("reads a list's story relations ahead in the same statements, however the selection reaches them", async () => {
    // The answer each story gives on its own page is the reference.
    const listed = dataOf<{ articles: { nodes: Array<{ id: string }> } }>(await t.gql(`{ articles(first: 20) { nodes { id } } }`));
    const reference = new Map<string, unknown>();
    for (const { id } of listed.articles.nodes) {
      const one = dataOf<{ article: { institutions: unknown; people: unknown; tags: unknown } }>(await t.gql(`query($id: ID!) { article(id: $id) { institutions { name } people { name } tags { slug } } }`, { id }));
      reference.set(id, one.article);
    }
    const shapes = [
      `{ articles(first: 20) { nodes { id institutions { name } people { name } tags { slug } } } }`,
      `{ articles(first: 20) { edges { node { id institutions { name } people { name } tags { slug } } } } }`,
      `{ articles(first: 20) { nodes { ...Story } } } fragment Story on Article { id institutions { name } people { name } tags { slug } }`,
      `{ articles(first: 20) { nodes { ... on Article { id i: institutions { name } institutions { name } people { name } tags { slug } } } } }`,
    ];
    for (const query of shapes) {
      const { count, data } = await statementsOf(t, query, {});
      // The page with its stories' institutions (apart on PostgreSQL), then one statement each for people and tags.
      expect([query, count]).toEqual([query, t.server.db.isPostgres ? 4 : 3]);
      const d = data as { articles: { nodes?: Array<Record<string, unknown>>; edges?: Array<{ node: Record<string, unknown> }> } };
      const stories = d.articles.nodes ?? d.articles.edges!.map((e) => e.node);
      expect(stories).toHaveLength(20);
      for (const story of stories) {
        const { id, i, ...rest } = story as { id: string; i?: unknown; institutions?: unknown };
        expect(rest).toEqual(reference.get(id));
        if (i !== undefined) expect(i).toEqual(rest.institutions);
      }
    }
    // A relation that is skipped is not in the answer (reading it ahead is allowed to cost a statement).
    const skipped = dataOf<{ articles: { nodes: Array<Record<string, unknown>> } }>(await t.gql(`{ articles(first: 3) { nodes { id institutions @skip(if: true) { name } } } }`));
    expect(skipped.articles.nodes.every((n) => !("institutions" in n))).toBe(true);
  });

  it("reads bylines, images and authors' story lists in a constant number of statements", async () => {
    await t.server.db.transaction(async (em) => {
      const authors = [await addAuthor(em, "Penulis Satu"), await addAuthor(em, "Penulis Dua"), await addAuthor(em, "Fotografer Tiga", AuthorRole.PHOTOGRAPHER)];
      const stories: Array<{ pk: number }> = await em.query(`SELECT id AS pk FROM article WHERE status = 'PUBLISHED' ORDER BY id`);
      for (const [i, { pk }] of stories.entries()) {
        const article = { pk } as Parameters<typeof addByline>[1];
        await addByline(em, article, i % 2 === 0 ? [authors[0]!, authors[2]!] : [authors[1]!]);
        await addImage(em, article, { url: `https://cdn.koran.example/${pk}/lead.jpg`, alt: `Foto ${pk}`, lead: true });
        for (let n = 0; n < 2; n++) await addImage(em, article, { url: `https://cdn.koran.example/${pk}/${n}.jpg`, alt: `Foto ${pk}-${n}`, position: n });
      }
    });
    // On PostgreSQL the setup's commit wakes the event bus, whose read of the log may land inside
    // the first measured request; one read first lets it pass. Of a page size not measured below:
    // the response cache keeps its answer (it has room), and a measured read would be a hit.
    await statementsOf(t, BYLINES, { first: 2 });
    for (const first of [1, 5, 20, 40]) {
      const { count, perShape, data } = await statementsOf(t, BYLINES, { first });
      const nodes = (data as { articles: { nodes: Array<{ authors: Array<{ articles: { nodes: unknown[] } }>; leadImage: unknown; images: unknown[] }> } }).articles.nodes;
      expect(nodes).toHaveLength(first);
      expect(nodes.every((n) => n.authors.length > 0 && n.leadImage !== null && n.images.length === 2 && n.authors.every((a) => a.articles.nodes.length === 2))).toBe(true);
      // The page, the bylines, the images (read once for both image fields) and the authors' story pages.
      expect([first, count, perShape]).toEqual([first, 4, 1]);
    }
  });

  it("reads an article page by slug with its institutions and quotes in one statement, answering as by id", async () => {
    const { nodes } = dataOf<{ articles: { nodes: Array<{ id: string; slug: string }> } }>(await t.gql(`{ articles(first: 5) { nodes { id slug } } }`)).articles;
    for (const { id, slug } of nodes) {
      const bySlug = await statementsOf(t, ARTICLE_PAGE.replace("ARGS", "slug: $key"), { key: slug });
      const byId = await statementsOf(t, ARTICLE_PAGE.replace("ARGS", "id: $key").replace("$key: String!", "$key: ID!"), { key: id });
      // By id the story, its institutions and its quotes are statements of their own (then come
      // the body and the quotes' institutions, when there are any); by slug the first statement
      // reads all three, and none of the others follows (on SQLite when rows come as JSON).
      const relations = (seen: string[]) => seen.filter((sql) => /FROM "article_institution" l|FROM "quote" q/.test(sql)).length;
      expect([slug, relations(byId.seen)]).toEqual([slug, 2]);
      if (t.server.db.isPostgres || t.server.db.rowsAsJson) {
        expect([slug, relations(bySlug.seen)]).toEqual([slug, 1]);
        expect(bySlug.count).toBeLessThanOrEqual(byId.count - 2);
        expect(bySlug.seen[0]).toMatch(/FROM "article_institution" l.*FROM "quote" q/s);
      }
      expect(bySlug.data).toEqual(byId.data);
    }
  });

  it("reports the front-page query's statement count", async () => {
    const { count } = await statementsOf(t, FRONT_PAGE, {});
    // The figure quoted in the README and the issue note; it must not creep up unnoticed (the
    // stories' institutions are read in the page's statement on SQLite, apart on PostgreSQL).
    expect(count).toBe(t.server.db.isPostgres ? 2 : 1);
  });
});

const ARTICLE_PAGE = `
  query Page($key: String!) {
    article(ARGS) {
      id title body publishedAt updatedAt
      institutions { id name slug shortName }
      quotes { id text attribution position speaker { id name } institution { shortName } }
    }
  }
`;

const FRONT_PAGE_DEEP = `
  query Deep($first: Int) {
    articles(first: $first) {
      totalCount
      nodes {
        title
        institutions { name parent { name } }
        people { name positions { title institution { name } } }
        tags { slug }
        quotes { text speaker { name } institution { shortName } }
        commentCount
        correctedAt
        corrections { text createdAt }
      }
    }
  }`;

const BYLINES = `
  query Bylines($first: Int) {
    articles(first: $first) { nodes { title authors { name role articles(first: 2) { nodes { title } } } leadImage { url alt width } images { url alt } } }
  }`;

const NESTED = `
  query Nested($first: Int) {
    institutions(first: $first) { nodes { name articles(first: 3) { totalCount nodes { title } } quotes(first: 2) { nodes { text speaker { name } } } } }
    people(first: $first) { nodes { name quotes(first: 2) { totalCount nodes { text } } articles(first: 2) { nodes { title } } } }
  }`;

const FRONT_PAGE = `
  query FrontPage {
    articles(first: 20) { nodes { id slug title summary publishedAt institutions { name } } }
  }`;
