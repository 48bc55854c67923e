import "reflect-metadata";
import { parse } from "graphql";
import { toGlobalId } from "../../src/kernel/ids";
import { ArticleStatus } from "../../src/entities/article.entity";
import { CommentStatus } from "../../src/entities/comment.entity";
import { DEFAULT_LIMITS } from "../../src/config";
import { estimateOperationCost } from "../../src/policy/limits";
import { createSchema } from "../../src/api/schema";
import { addComment, addStory, BASE_TIME, regionalNewsroom } from "../helpers/scenarios";
import type { Newsroom } from "../helpers/newsroom";
import { dataOf, startTestServer } from "../helpers/server";
import type { GraphQLResponse, TestServer } from "../helpers/server";
import { bearer, mintToken } from "../helpers/tokens";
import { connect } from "../helpers/ws";

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}
interface Conn {
  pageInfo: PageInfo;
  edges: Array<{ cursor: string; node: { id: string } }>;
}
type PageVars = { first?: number; last?: number; after?: string | null; before?: string | null };

/** One connection of the API, reached by a query whose page arguments are `$first $last $after $before`. */
interface Case {
  name: string;
  /** The selection with `PAGE` where the page arguments go and `CONN` where the connection's selection goes. */
  query: string;
  /** The connection in the answer. */
  at: (data: Record<string, unknown>) => Conn;
  variables?: Record<string, unknown>;
  as?: "EDITOR" | "MODERATOR";
}

const CONN = `pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } }`;
const HOUR = 3_600_000;

describe("connections page backwards (Relay's last/before) and answer first: 0 consistently", () => {
  let t: TestServer;
  let s: Newsroom;
  const headers: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    // Whole lists in one page (tags × 100 stories) cost more than the default ceiling; the ceiling is tested on its own server below.
    t = await startTestServer({ seed: false, config: { graphql: { limits: { ...DEFAULT_LIMITS, maxComplexity: 100_000 } }, events: { schedulerIntervalMs: 3_600_000, pollIntervalMs: 600_000 } } });
    s = await regionalNewsroom(t.server.db);
    await t.server.db.transaction(async (em) => {
      // Stories that match one word with different strengths, so relevance orders them by more than their ids.
      for (let i = 1; i <= 7; i++) {
        await addStory(em, { title: `Lumbung desa ${i}`, body: `${"lumbung ".repeat(i)}padi.\n\n${"Paragraf pengisi. ".repeat(8 - i)}`, publishedAt: new Date(BASE_TIME + (50 + (i % 3)) * HOUR) });
      }
      await addStory(em, { title: "Draf lumbung", body: "lumbung lumbung lumbung", status: ArticleStatus.DRAFT });
      // More comments on story 0, some at the same instant (the id breaks the tie).
      for (let i = 0; i < 5; i++) await addComment(em, s.published[0]!, { body: `Komentar tambahan ${i}`, status: CommentStatus.APPROVED, at: new Date(BASE_TIME + (10 + (i % 2)) * HOUR) });
    });
    headers.EDITOR = bearer(await mintToken(t, "EDITOR"));
    headers.MODERATOR = bearer(await mintToken(t, "MODERATOR"));
  });
  afterAll(async () => {
    await t.close();
  });

  const story0 = () => toGlobalId("Article", s.published[0]!.pk);
  const cases: Case[] = [
    { name: "articles, newest first", query: `articles(PAGE) { CONN }`, at: (d) => d.articles as Conn },
    { name: "articles, oldest first", query: `articles(PAGE, orderBy: PUBLISHED_AT_ASC) { CONN }`, at: (d) => d.articles as Conn },
    { name: "articles, last updated first", query: `articles(PAGE, orderBy: UPDATED_AT_DESC) { CONN }`, at: (d) => d.articles as Conn },
    { name: "articles, by relevance", query: `articles(PAGE, orderBy: RELEVANCE, filter: { search: "lumbung" }) { CONN }`, at: (d) => d.articles as Conn },
    { name: "articles, a search newest first", query: `articles(PAGE, filter: { search: "lumbung" }) { CONN }`, at: (d) => d.articles as Conn },
    { name: "articles, relevance without a search", query: `articles(PAGE, orderBy: RELEVANCE) { CONN }`, at: (d) => d.articles as Conn },
    { name: "articles of a tag filter", query: `articles(PAGE, filter: { tag: "korupsi" }) { CONN }`, at: (d) => d.articles as Conn },
    { name: "articles, newest first, as an editor", query: `articles(PAGE) { CONN }`, at: (d) => d.articles as Conn, as: "EDITOR" },
    { name: "articles, oldest first, as an editor", query: `articles(PAGE, orderBy: PUBLISHED_AT_ASC) { CONN }`, at: (d) => d.articles as Conn, as: "EDITOR" },
    { name: "quotes", query: `quotes(PAGE) { CONN }`, at: (d) => d.quotes as Conn },
    { name: "quotes, as an editor", query: `quotes(PAGE) { CONN }`, at: (d) => d.quotes as Conn, as: "EDITOR" },
    { name: "comments", query: `comments(PAGE) { CONN }`, at: (d) => d.comments as Conn },
    { name: "comments, as a moderator", query: `comments(PAGE) { CONN }`, at: (d) => d.comments as Conn, as: "MODERATOR" },
    { name: "institutions", query: `institutions(PAGE) { CONN }`, at: (d) => d.institutions as Conn },
    { name: "people", query: `people(PAGE) { CONN }`, at: (d) => d.people as Conn },
    { name: "an institution's articles", query: `institution(slug: "lembaga-pemasyarakatan-kelas-i-surabaya") { articles(PAGE) { CONN } }`, at: (d) => (d.institution as { articles: Conn }).articles },
    { name: "an institution's quotes", query: `institution(slug: "lembaga-pemasyarakatan-kelas-i-surabaya") { quotes(PAGE) { CONN } }`, at: (d) => (d.institution as { quotes: Conn }).quotes },
    { name: "a person's articles", query: `person(slug: "sari-dewi") { articles(PAGE) { CONN } }`, at: (d) => (d.person as { articles: Conn }).articles },
    { name: "a person's quotes", query: `person(slug: "budi-santoso") { quotes(PAGE) { CONN } }`, at: (d) => (d.person as { quotes: Conn }).quotes },
    { name: "a tag's articles", query: `tags { slug articles(PAGE) { CONN } }`, at: (d) => (d.tags as Array<{ slug: string; articles: Conn }>).find((tag) => tag.slug === "korupsi")!.articles },
    { name: "a story's comments", query: `article(id: $story) { comments(PAGE) { CONN } }`, at: (d) => (d.article as { comments: Conn }).comments },
    { name: "a story's comments, as a moderator", query: `article(id: $story) { comments(PAGE) { CONN } }`, at: (d) => (d.article as { comments: Conn }).comments, as: "MODERATOR" },
  ];

  const documentOf = (c: Case) => {
    const story = c.query.includes("$story") ? ", $story: ID" : "";
    return `query Page($first: Int, $last: Int, $after: String, $before: String${story}) { ${c.query.replace("PAGE", "first: $first, last: $last, after: $after, before: $before").replace("CONN", CONN)} }`;
  };
  const send = (c: Case, page: PageVars) => t.gql(documentOf(c), { ...(c.query.includes("$story") ? { story: story0() } : {}), ...page }, c.as ? headers[c.as] : {});
  const pageOf = async (c: Case, page: PageVars) => c.at(dataOf(await send(c, page)));
  const ids = (conn: Conn) => conn.edges.map((e) => e.node.id);

  /** The whole list in one forward page: what every other walk must reproduce. */
  const everything = async (c: Case) => {
    const all = await pageOf(c, { first: 100 });
    expect(all.pageInfo.hasNextPage).toBe(false);
    return ids(all);
  };

  /** Checks what every page must say about itself: cursors on edges and in pageInfo agree. */
  const consistent = (conn: Conn) => {
    expect(conn.pageInfo.startCursor).toBe(conn.edges[0]?.cursor ?? null);
    expect(conn.pageInfo.endCursor).toBe(conn.edges.at(-1)?.cursor ?? null);
  };

  describe.each(cases)("$name", (c) => {
    it("pages backwards from the end to the start, rows in the list's order, the same rows as forwards", async () => {
      const all = await everything(c);
      expect(all.length).toBeGreaterThanOrEqual(3);
      const size = Math.max(1, Math.floor(all.length / 3));
      const collected: string[] = [];
      let before: string | null = null;
      for (let n = 0; ; n++) {
        const conn: Conn = await pageOf(c, { last: size, before });
        consistent(conn);
        expect(conn.pageInfo.hasNextPage).toBe(before !== null);
        collected.unshift(...ids(conn));
        if (!conn.pageInfo.hasPreviousPage) break;
        expect(conn.edges).toHaveLength(size);
        before = conn.pageInfo.startCursor;
        expect(n).toBeLessThan(all.length);
      }
      expect(collected).toEqual(all);
    });

    it("round-trips: back from a forward page's start gives the page before it, forward from that gives the page again", async () => {
      const all = await everything(c);
      const size = Math.max(1, Math.floor(all.length / 3));
      const one = await pageOf(c, { first: size });
      const two = await pageOf(c, { first: size, after: one.pageInfo.endCursor });
      expect(ids(two)).toEqual(all.slice(size, 2 * size));
      const back = await pageOf(c, { last: size, before: two.pageInfo.startCursor });
      consistent(back);
      expect(ids(back)).toEqual(ids(one));
      expect(back.pageInfo).toEqual({ ...one.pageInfo, hasNextPage: true });
      const again = await pageOf(c, { first: size, after: back.pageInfo.endCursor });
      expect(ids(again)).toEqual(ids(two));
      // `last` after a cursor: the last rows of what follows it; `first` before one: the first rows before it.
      expect(ids(await pageOf(c, { last: size, after: one.pageInfo.endCursor }))).toEqual(all.slice(Math.max(size, all.length - size)));
      const head = await pageOf(c, { first: 1, before: two.pageInfo.startCursor });
      expect(ids(head)).toEqual(all.slice(0, 1));
      expect(head.pageInfo.hasNextPage).toBe(size > 1);
    });

    it("answers first: 0 and last: 0 with no edges, null cursors and whether rows lie beyond the cursor", async () => {
      const all = await everything(c);
      const full = await pageOf(c, { first: all.length });
      const cursorAt = (i: number) => full.edges[i]!.cursor;

      expect((await pageOf(c, { first: 0 })).pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null });
      const middle = await pageOf(c, { first: 0, after: cursorAt(0) });
      expect(middle.edges).toEqual([]);
      expect(middle.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: true, startCursor: null, endCursor: null });
      expect((await pageOf(c, { first: 0, after: cursorAt(all.length - 1) })).pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });

      expect((await pageOf(c, { last: 0 })).pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });
      expect((await pageOf(c, { last: 0, before: cursorAt(0) })).pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null });
      expect((await pageOf(c, { last: 0, before: cursorAt(1) })).pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: true, startCursor: null, endCursor: null });
    });
  });

  it("keeps drafts out of backward pages for anonymous readers", async () => {
    const drafts = [...s.drafts, s.scheduled].map((a) => toGlobalId("Article", a.pk));
    const anonymous = cases[0]!;
    const shown = ids(await pageOf(anonymous, { last: 100 }));
    expect(shown.length).toBe(45 + 7);
    expect(shown.filter((id) => drafts.includes(id))).toEqual([]);
    const editor = ids(await pageOf({ ...anonymous, as: "EDITOR" }, { last: 100 }));
    expect(drafts.every((id) => editor.includes(id))).toBe(true);
    // An anonymous reader's backward page of quotes leaves out the draft's quote, as the forward one does.
    const quotes = ids(await pageOf(cases.find((c) => c.name === "quotes")!, { last: 100 }));
    expect(quotes).toHaveLength(10);
  });

  it("answers an empty list with no pages either way", async () => {
    const c: Case = { name: "nothing", query: `articles(PAGE, filter: { tag: "tidak-ada" }) { CONN }`, at: (d) => d.articles as Conn };
    for (const page of [{ first: 0 }, { last: 0 }, { first: 5 }, { last: 5 }]) {
      const conn = await pageOf(c, page);
      expect(conn).toEqual({ edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } });
    }
  });

  it("refuses first and last written together with BAD_USER_INPUT naming both; first's default gives way to last", async () => {
    const c = cases[0]!;
    const both = await send(c, { first: 5, last: 5 });
    expect(both.body.errors?.[0]).toMatchObject({ message: "first (5) and last (5) cannot be used together: page forward with first/after, or backward with last/before.", extensions: { code: "BAD_USER_INPUT", field: "last" } });
    const literal = await t.gql(`{ articles(first: 20, last: 3) { nodes { id } } }`);
    expect(literal.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    // Left out, as a literal or as an unsupplied variable, `first` is the schema's default and `last` decides.
    expect(dataOf<{ articles: { nodes: unknown[] } }>(await t.gql(`{ articles(last: 3) { nodes { id } } }`)).articles.nodes).toHaveLength(3);
    expect(ids(await pageOf(c, { last: 3 }))).toHaveLength(3);
    // first: null written with last is the same as leaving first out.
    expect(ids(await pageOf(c, { first: null as unknown as number, last: 2 }))).toHaveLength(2);
  });

  it("refuses a cursor of another ordering, naming before", async () => {
    const oldest = await pageOf(cases[1]!, { first: 1 });
    const res = await send(cases[0]!, { last: 2, before: oldest.pageInfo.endCursor });
    expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "before" } });
    expect(res.body.errors?.[0]?.message).toMatch(/^'WyJhOnB1Ymxpc2hlZC1hc2Mi.*' is not a cursor of this list\.$/);
  });

  it("batches nested backward pages: the statements do not follow the number of parents", async () => {
    const statements = async (parents: number) => {
      let count = 0;
      const listener = () => void count++;
      t.server.db.listeners.add(listener);
      try {
        const data = dataOf<{ institutions: { nodes: Array<{ articles: Conn }> } }>(
          await t.gql(`query($n: Int) { institutions(first: $n) { nodes { articles(last: 2) { pageInfo { hasNextPage hasPreviousPage } edges { cursor node { id } } } } } }`, { n: parents }),
        );
        expect(data.institutions.nodes).toHaveLength(parents);
      } finally {
        t.server.db.listeners.delete(listener);
      }
      return count;
    };
    expect(await statements(3)).toBe(await statements(1));
  });

  describe("limits on last are those on first, over HTTP and WebSocket", () => {
    // A ceiling of 500, as in limits.spec.ts, so that a page of 100 can be just over it.
    let small: TestServer;
    beforeAll(async () => {
      small = await startTestServer({ seed: false, config: { graphql: { limits: { ...DEFAULT_LIMITS, maxComplexity: 500 } }, events: { schedulerIntervalMs: 3_600_000, pollIntervalMs: 600_000 } } });
      await regionalNewsroom(small.server.db);
    });
    afterAll(async () => {
      await small.close();
    });
    /** A document whose estimated cost is 1 + n × 5 (as in limits.spec.ts), with `arg: n` as its page. */
    const costly = (arg: "first" | "last", n: number) => `{ articles(${arg}: ${n}) { nodes { title institutions { name } } } }`;
    const pageSize = (arg: "first" | "last", n: number) => `{ articles(${arg}: ${n}) { nodes { id } } }`;

    it("prices last exactly as first", async () => {
      const schema = await createSchema();
      const cost = (query: string) => estimateOperationCost(schema, parse(query), null, {});
      for (const n of [0, 1, 7, 20, 99, 100, 101, 100000, -5]) {
        expect(cost(costly("last", n))).toBe(cost(costly("first", n)));
        expect(cost(`{ institutions { nodes { quotes(last: ${n}) { nodes { text } } } } }`)).toBe(cost(`{ institutions { nodes { quotes(first: ${n}) { nodes { text } } } } }`));
      }
      // Both written (refused at execution) are priced at the larger page; a variable `last` counts with its value.
      expect(cost(`{ articles(first: 5, last: 50) { nodes { title } } }`)).toBe(cost(`{ articles(first: 50) { nodes { title } } }`));
      expect(estimateOperationCost(schema, parse(`query($n: Int) { articles(last: $n) { nodes { title } } }`), null, { n: 80 })).toBe(cost(`{ articles(first: 80) { nodes { title } } }`));
    });

    const code = (res: GraphQLResponse) => res.body.errors?.[0]?.extensions?.code ?? null;

    it("over HTTP: last: 100 runs, last: 101 and last: 100000 are refused like first", async () => {
      for (const arg of ["first", "last"] as const) {
        const ok = await small.gql(pageSize(arg, 100));
        expect(ok.body.errors).toBeUndefined();
        expect((ok.body.data as { articles: { nodes: unknown[] } }).articles.nodes).toHaveLength(45);
        for (const n of [101, 100000, -1]) {
          const refused = await small.gql(pageSize(arg, n));
          expect(refused.body.errors?.[0]).toMatchObject({ message: `${arg} must be from 0 to 100, got ${n}.`, extensions: { code: "BAD_USER_INPUT", field: arg } });
          expect(refused.body.data ?? null).toBeNull();
        }
        // The cost estimate: just under the ceiling of 500 runs, just over is refused before any resolver.
        expect(code(await small.gql(costly(arg, 99)))).toBeNull();
        const over = await small.gql(costly(arg, 100));
        expect(over.status).toBe(400);
        expect(code(over)).toBe("QUERY_TOO_COMPLEX");
        const huge = await small.gql(costly(arg, 100000));
        expect(huge.status).toBe(400);
        expect(code(huge)).toBe("QUERY_TOO_COMPLEX");
      }
    });

    it("over WebSocket: the same verdicts", async () => {
      const client = connect(small.server.port);
      try {
        for (const arg of ["first", "last"] as const) {
          const ok = client.subscribe<{ articles: { nodes: unknown[] } }>(pageSize(arg, 100));
          expect(await ok.ended).toBeNull();
          expect(ok.received[0]?.errors).toBeUndefined();
          expect(ok.received[0]?.data?.articles.nodes).toHaveLength(45);
          for (const n of [101, 100000]) {
            const refused = client.subscribe(pageSize(arg, n));
            expect(await refused.ended).toBeNull();
            expect(refused.received[0]?.errors?.[0]).toMatchObject({ message: `${arg} must be from 0 to 100, got ${n}.`, extensions: { code: "BAD_USER_INPUT" } });
          }
          const under = client.subscribe(costly(arg, 99));
          expect(await under.ended).toBeNull();
          expect(under.received[0]?.errors).toBeUndefined();
          for (const n of [100, 100000]) {
            const over = client.subscribe(costly(arg, n));
            const errors = (await over.ended) as Array<{ extensions?: { code?: string } }>;
            expect(errors[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
          }
        }
      } finally {
        await client.close();
      }
    });
  });
});
