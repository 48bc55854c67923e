import "reflect-metadata";
import { getNamedType, isObjectType, parse } from "graphql";
import type { GraphQLObjectType } from "graphql";
import { DEFAULT_LIMITS } from "../../src/config";
import { NESTED_LISTS, ROOT_LISTS, estimateOperationCost } from "../../src/policy/limits";
import { createSchema } from "../../src/api/schema";
import { regionalNewsroom } from "../helpers/scenarios";
import { startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import { connect } from "../helpers/ws";

/** A document of `k` nested `parent` fields under `institution`: its depth is k + 2. */
const deep = (k: number) => `{ institution(slug: "kementerian-hukum-dan-ham") { ${"parent { ".repeat(k)} name ${"} ".repeat(k)} } }`;
const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(" ")} }`;
const repeats = (n: number) => `{ ${"me { name } ".repeat(n)} }`;
/** n directives on one field; only @include and @skip exist (neither repeatable), so past 2 they also break other rules. */
const directives = (n: number) => `{ me ${["@include(if: true)", "@skip(if: false)", "@include(if: true)"].slice(0, n).join(" ")} { name } }`;
/** 2 + 9n tokens: n fragment spreads and their definitions, each selecting __typename once. */
const tokens = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `...F${i}`).join(" ")} } ${Array.from({ length: n }, (_, i) => `fragment F${i} on Query { __typename }`).join(" ")}`;
/** Cost 1 + first × (1 + 1 + (1 + 2 × 1)): articles(first) { nodes { title institutions { name } } }. */
const costly = (first: number) => `{ articles(first: ${first}) { nodes { title institutions { name } } } }`;
const costOf = (first: number) => 1 + Math.max(first, 1) * (1 + (1 + (1 + 2 * 1)));

type Case = [name: string, under: string, over: string, code: string, message: RegExp];

describe("cost limits, over HTTP and WebSocket alike", () => {
  let t: TestServer;
  const limits = { ...DEFAULT_LIMITS, maxFieldRepeats: 250, maxTokens: 2000, maxComplexity: 500, maxDirectivesPerField: 2 };
  beforeAll(async () => {
    // No background polling here: the statement count below must see this request alone.
    t = await startTestServer({ seed: true, config: { graphql: { limits }, events: { schedulerIntervalMs: 3_600_000, pollIntervalMs: 600_000 } } });
    await regionalNewsroom(t.server.db);
  });
  afterAll(async () => {
    await t.close();
  });

  // The same documents are sent just under and just over each limit.
  const cases: Case[] = [
    ["depth", deep(8), deep(9), "QUERY_TOO_COMPLEX", /depth limit of 10 exceeded, found 11/],
    ["aliases", aliases(100), aliases(101), "QUERY_TOO_COMPLEX", /Aliases limit of 100 exceeded/],
    ["repeated fields", repeats(250), repeats(251), "QUERY_TOO_COMPLEX", /'me' is selected 251 times in one selection set \(fragments included\); at most 250/],
    ["directives per field", directives(2), directives(3), "QUERY_TOO_COMPLEX", /carries 3 directives; at most 2/],
    ["complexity", costly(Math.floor((500 - 1) / 5)), costly(Math.floor((500 - 1) / 5) + 1), "QUERY_TOO_COMPLEX", /estimated cost is \d+; at most 500/],
    ["document tokens", tokens(222), tokens(223), "GRAPHQL_PARSE_FAILED", /Document contains more that 2000 tokens/],
  ];

  it("prices a connection at its first times its children (the README's figures)", async () => {
    expect(costOf(99)).toBeLessThanOrEqual(500);
    expect(costOf(100)).toBeGreaterThan(500);
    const schema = await createSchema();
    const cost = (query: string) => estimateOperationCost(schema, parse(query), null, {});
    expect(cost(`{ articles(first: 20) { nodes { title institutions { name } } } }`)).toBe(101);
    expect(cost(`{ articles(first: 100) { nodes { title institutions { name } people { name } tags { slug } quotes { text speaker { name } } } } }`)).toBe(1 + 100 * (1 + 1 + 3 + 3 + 3 + (1 + 2 * (1 + 2))));
    // A search and a totalCount are priced once per connection, whatever its page; a list under Query as a whole table.
    expect(cost(`{ articles(first: 50, filter: { search: "x" }) { totalCount nodes { title } } }`)).toBe(1 + 640 + 900 + 50 * (1 + 1));
    expect(cost(`{ articles(first: 50) { ...Counted } } fragment Counted on ArticleConnection { totalCount }`)).toBe(1 + 900);
    expect(cost(`{ tags { name } }`)).toBe(1 + 20 * 1);
  });

  it("prices a nested list's statements once per place, and per parent what reading each parent's list costs (the README's figures)", async () => {
    const schema = await createSchema();
    const cost = (query: string) => estimateOperationCost(schema, parse(query), null, {});
    // One window and one grouped count for all 20 people (300 each: SQLite walks every story for quotes), plus 8 and 2 per person: not 900 per person.
    const counted = `people(first: 20) { nodes { quotes(first: 3) { totalCount } } }`;
    expect(cost(`{ ${counted} }`)).toBe(1 + 20 * (1 + (1 + 8 + 2)) + 2 * 300);
    // Each place the list is selected is a batch of its own: aliased, or spread from one fragment twice.
    expect(cost(`{ a: ${counted} b: ${counted} }`)).toBe(2 * cost(`{ ${counted} }`));
    expect(cost(`{ a: people(first: 20) { nodes { ...Q } } b: people(first: 20) { nodes { ...Q } } } fragment Q on Person { quotes(first: 3) { totalCount } }`)).toBe(2 * cost(`{ ${counted} }`));
    // Without a count: the window alone; a story's comments cost 1 a parent, a tag's stories 130, each batch 50.
    expect(cost(`{ articles(first: 10) { nodes { comments(first: 5) { nodes { body } } } } }`)).toBe(1 + 10 * (1 + (1 + 5 * 2 + 1)) + 50);
    expect(cost(`{ tags { articles(first: 1) { nodes { title } } } }`)).toBe(1 + 20 * (1 + 1 * 2 + 130) + 50);
    // The flag of the side a page started from is a statement of its own, batched like the page.
    expect(cost(`{ institutions(first: 10) { nodes { articles(first: 1, after: "x") { pageInfo { hasPreviousPage } } } } }`)).toBe(1 + 10 * (1 + (1 + 1 * 2 + 50 + 50)) + 2 * 50);
    expect(cost(`{ institutions(first: 10) { nodes { articles(first: 1, after: "x") { pageInfo { hasNextPage } } } } }`)).toBe(1 + 10 * (1 + (1 + 1 * 2 + 50)) + 50);
  });

  it("prices a scan of a list under Query once: a page after a cursor, its far-side flag, an unindexed filter, any page of quotes (the README's figures)", async () => {
    const schema = await createSchema();
    const cost = (query: string) => estimateOperationCost(schema, parse(query), null, {});
    expect(cost(`{ articles(first: 1) { nodes { title } } }`)).toBe(1 + 2);
    expect(cost(`{ articles(first: 1, after: "x") { nodes { title } } }`)).toBe(1 + 2 + 100);
    expect(cost(`{ articles(first: 1, after: "x") { pageInfo { hasPreviousPage } } }`)).toBe(1 + 2 + 100 + 100);
    expect(cost(`{ articles(last: 1, before: "x") { pageInfo { hasNextPage } } }`)).toBe(1 + 2 + 100 + 100);
    // Filters the index reads in order cost nothing more; a person's stories may walk every story.
    expect(cost(`{ articles(first: 1, filter: { publishedAfter: "2025-01-01T00:00:00Z" }) { nodes { title } } }`)).toBe(1 + 2);
    expect(cost(`{ articles(first: 1, filter: { personId: "x" }) { nodes { title } } }`)).toBe(1 + 2 + 100);
    expect(cost(`{ comments(first: 1, filter: { status: PENDING }) { nodes { body } } }`)).toBe(1 + 2);
    expect(cost(`{ comments(first: 1, after: "x") { pageInfo { hasPreviousPage } } }`)).toBe(1 + 2 + 2 * 1200);
    expect(cost(`{ quotes(first: 1) { nodes { text } } }`)).toBe(1 + 2 + 900);
    expect(cost(`{ quotes(first: 1, after: "x") { nodes { text } } }`)).toBe(1 + 2 + 900);
  });

  it("has a calibrated price for every connection of the schema, and none for a connection it no longer has", async () => {
    const schema = await createSchema();
    const connections = Object.values(schema.getTypeMap())
      .filter((type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith("__"))
      .flatMap((type) => Object.values(type.getFields()).filter((field) => getNamedType(field.type).name.endsWith("Connection")).map((field) => `${type.name}.${field.name}`));
    const priced = [...Object.keys(ROOT_LISTS), ...Object.keys(NESTED_LISTS)];
    expect(connections.sort()).toEqual(priced.sort());
    expect(Object.keys(ROOT_LISTS).every((coordinate) => coordinate.startsWith("Query."))).toBe(true);
  });

  describe.each(cases)("%s", (_name, under, over, code, message) => {
    it("over HTTP: just under runs; just over is refused with HTTP 400 before any resolver runs", async () => {
      const ok = await t.gql(under);
      expect(ok.status).toBe(200);
      expect(ok.body.errors).toBeUndefined();

      let statements = 0;
      const count = () => void statements++;
      t.server.db.listeners.add(count);
      const refused = await t.gql(over);
      t.server.db.listeners.delete(count);
      expect(refused.status).toBe(400);
      expect(refused.body.data ?? null).toBeNull();
      // Other rules may object too (a third directive is also a repeated one); ours must be there.
      const ours = refused.body.errors?.find((e) => message.test(e.message));
      expect(ours?.extensions?.code).toBe(code);
      expect(statements).toBe(0);
    });

    it("over WebSocket: just under runs; just over is refused with the same code", async () => {
      const client = connect(t.server.port);
      try {
        const ok = client.subscribe(under);
        expect(await ok.ended).toBeNull();
        expect(ok.received[0]?.errors).toBeUndefined();
        expect(ok.received[0]?.data).toBeTruthy();

        const refused = client.subscribe(over);
        const errors = (await refused.ended) as Array<{ message: string; extensions?: { code?: string } }>;
        expect(Array.isArray(errors)).toBe(true);
        expect(errors.find((e) => message.test(e.message))?.extensions).toEqual({ code });
      } finally {
        await client.close();
      }
    });
  });

  it("applies the limits to subscriptions too", async () => {
    const client = connect(t.server.port);
    try {
      const over = client.subscribe(`subscription { articlePublished { article { ${"institutions { parent { ".repeat(5)} name ${"} } ".repeat(5)} } } }`);
      const errors = (await over.ended) as Array<{ extensions?: { code?: string } }>;
      expect(errors[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
      const costlySub = client.subscribe(`subscription { articlePublished { article { ${"comments(first: 100) { nodes { replies { article { ".repeat(2)} title ${"} } } } ".repeat(2)} } } }`);
      const costErrors = (await costlySub.ended) as Array<{ extensions?: { code?: string } }>;
      expect(costErrors[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    } finally {
      await client.close();
    }
  });

  it("counts the cost with the request's variables", async () => {
    const query = `query($n: Int) { articles(first: $n) { nodes { title institutions { name } } } }`;
    expect((await t.gql(query, { n: 99 })).status).toBe(200);
    const refused = await t.gql(query, { n: 100 });
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    // Estimates are remembered per document and variables: asking again gives the same verdicts.
    expect((await t.gql(query, { n: 100 })).status).toBe(400);
    expect((await t.gql(query, { n: 99 })).status).toBe(200);
  });

  it("refuses a body over 1 MB with 413 and a GraphQL-shaped error", async () => {
    const res = await fetch(`http://127.0.0.1:${t.server.port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ me { name } }", variables: { pad: "x".repeat(1_100_000) } }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ errors: [{ message: "The request body is larger than this server accepts.", extensions: { code: "BAD_REQUEST" } }] });
  });

  it("refuses batched requests", async () => {
    const res = await fetch(`http://127.0.0.1:${t.server.port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ query: "{ me { name } }" }, { query: "{ tags { slug } }" }]),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/batch/i);
  });

  it("refuses invalid JSON with 400", async () => {
    const res = await fetch(`http://127.0.0.1:${t.server.port}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"query": "{ me' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe("BAD_REQUEST");
  });

  it("answers a plain GET query with no preflight header (no ambient credentials exist); mutations never run over GET; a form POST is not JSON", async () => {
    const base = `http://127.0.0.1:${t.server.port}/graphql`;
    const get = await fetch(`${base}?query=${encodeURIComponent("{ tags { slug } }")}`);
    expect(get.status).toBe(200);
    expect(((await get.json()) as { data: { tags: unknown[] } }).data.tags.length).toBeGreaterThan(0);
    const mutation = `mutation { addComment(input: { articleId: "QXJ0aWNsZTox", authorName: "x", authorEmail: "x@example.com", body: "by GET" }) { id } }`;
    const viaGet = await fetch(`${base}?query=${encodeURIComponent(mutation)}`);
    expect(viaGet.status).toBe(405);
    expect(viaGet.headers.get("allow")).toBe("POST");
    const comments = await t.gql(`{ comments(first: 100) { nodes { body } } }`);
    expect(JSON.stringify(comments.body)).not.toContain("by GET");
    const form = await fetch(base, { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ query: "{ me { name } }" }) });
    expect(form.status).toBe(400);
  });

  describe("requests the fuzzer found answered as unexpected errors", () => {
    const post = (body: unknown) => fetch(`http://127.0.0.1:${t.server.port}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const codeOf = async (res: Response) => ((await res.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code;

    it("answers malformed persisted-query requests with BAD_REQUEST naming what is wrong, never as unexpected errors", async () => {
      for (const extensions of [{ persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } }, { persistedQuery: { version: 0, sha256Hash: null } }, { persistedQuery: "yes" }]) {
        const res = await post({ query: "{ tags { slug } }", extensions });
        expect(res.status).toBe(400);
        expect(await codeOf(res)).toBe("BAD_REQUEST");
      }
    });

    it("refuses a subscription over HTTP with BAD_REQUEST, pointing at WebSocket", async () => {
      const res = await post({ query: "subscription { articlePublished { cursor } }" });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
      expect(body.errors[0]).toMatchObject({ extensions: { code: "BAD_REQUEST" } });
      expect(body.errors[0]!.message).toMatch(/WebSocket/);
    });

    // A search with its count costs more than this suite's limit of 500: these run under the default limits.
    it("refuses an over-long name search with BAD_USER_INPUT, and does not echo it whole", async () => {
      const d = await startTestServer({ seed: true });
      try {
        for (const field of ["people", "institutions", "quotes"]) {
          const res = await d.gql(`query($s: String) { ${field}(filter: { search: $s }) { totalCount } }`, { s: "a".repeat(50_000) });
          expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "filter.search" } });
        }
      } finally {
        await d.close();
      }
      const ids = await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: "x".repeat(10_000) });
      expect(ids.text.length).toBeLessThan(1000);
    });

    it("refuses a cursor whose values do not fit its keys, before it reaches SQL", async () => {
      const forged = Buffer.from(JSON.stringify(["a:published-desc", "+0Iz", "h[BvA8"])).toString("base64url");
      const res = await t.gql(`query($after: String) { articles(after: $after) { nodes { id } } }`, { after: forged });
      expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "after" } });
    });

    it("answers NUL characters in lookups and searches with nothing found, on SQLite and PostgreSQL alike", async () => {
      const d = await startTestServer({ seed: true });
      try {
        const res = await d.gql(`query($s: String) { article(slug: $s) { id } institution(slug: $s) { id } people(filter: { search: $s }) { totalCount } quotes(filter: { search: $s }) { totalCount } }`, { s: "\u0000x" });
        expect(res.body.errors).toBeUndefined();
        expect(res.body.data).toEqual({ article: null, institution: null, people: { totalCount: 0 }, quotes: { totalCount: 0 } });
      } finally {
        await d.close();
      }
    });

    it("answers an operationName that names no operation with GRAPHQL_VALIDATION_FAILED", async () => {
      const res = await post({ query: "{ tags { slug } }", operationName: "Missing" });
      expect(res.status).toBe(400);
      expect(await codeOf(res)).toBe("GRAPHQL_VALIDATION_FAILED");
    });
  });
});
