import "reflect-metadata";
import { toGlobalId } from "../../src/kernel/ids";
import { addStory } from "../helpers/scenarios";
import { dataOf, startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import { bearer, mintToken } from "../helpers/tokens";
import { connect } from "../helpers/ws";
import { capturingLogger } from "../helpers/logs";

describe("logs, metrics and request ids", () => {
  let t: TestServer;
  const captured = capturingLogger("debug");

  beforeAll(async () => {
    t = await startTestServer({ seed: true, logger: captured.logger, config: { comments: { rateLimit: 1 } } });
  });
  afterAll(async () => {
    await t.close();
  });

  it("logs one structured line per request with its id, operation, outcome, duration and SQL count, and echoes the id", async () => {
    const res = await fetch(`http://127.0.0.1:${t.server.port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "req-abc-123" },
      body: JSON.stringify({ query: "query FrontPage { articles(first: 5) { nodes { title } } }" }),
    });
    expect(res.headers.get("x-request-id")).toBe("req-abc-123");
    const line = captured.lines.find((l) => l.reqId === "req-abc-123" && l.msg === "graphql request");
    expect(line).toMatchObject({ msg: "graphql request", operation: "FrontPage", outcome: "ok", status: 200 });
    expect(typeof line!.durationMs).toBe("number");
    expect(line!.statements).toBe(1);
    const generated = await fetch(`http://127.0.0.1:${t.server.port}/graphql`, { method: "POST", headers: { "content-type": "application/json", "x-request-id": "bad id with spaces" }, body: JSON.stringify({ query: "{ me { name } }" }) });
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("counts each request's own SQL statements, also when many run at once, for reads, tokens and writes", async () => {
    const editor = await mintToken(t, "EDITOR");
    const statementsOf = (id: string) => captured.lines.find((l) => l.reqId === id && l.msg === "graphql request")?.statements;
    const post = (id: string, query: string, headers: Record<string, string> = {}) =>
      fetch(`http://127.0.0.1:${t.server.port}/graphql`, { method: "POST", headers: { "content-type": "application/json", "x-request-id": id, ...headers }, body: JSON.stringify({ query }) }).then((r) => r.json());
    // Interleaved: front pages (1 statement), front pages with institutions (1: read with the page on SQLite; 2 on PostgreSQL, which reads them apart), `me` with a token (1: the token lookup), `__typename` (0).
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        switch (i % 4) {
          case 0:
            // Each document is its own (an alias with i), so none is answered from the response cache.
            return post(`count-a-${i}`, `{ a${i}: articles(first: 5) { nodes { title } } }`);
          case 1:
            return post(`count-b-${i}`, `{ b${i}: articles(first: 5) { nodes { title institutions { name } } } }`);
          case 2:
            return post(`count-c-${i}`, "{ me { name } }", bearer(editor));
          default:
            return post(`count-d-${i}`, "{ __typename }");
        }
      }),
    );
    for (let i = 0; i < 40; i++) {
      const expected = [1, t.server.db.isPostgres ? 2 : 1, 1, 0][i % 4];
      expect([`count-${"abcd"[i % 4]}-${i}`, statementsOf(`count-${"abcd"[i % 4]}-${i}`)]).toEqual([`count-${"abcd"[i % 4]}-${i}`, expected]);
    }
    // A write: its transaction's statements count too (BEGIN, the reads and inserts, COMMIT).
    await post("count-write", `mutation { createPerson(input: { name: "Hitung Pernyataan" }) { id } }`, bearer(editor));
    expect(statementsOf("count-write")).toBeGreaterThanOrEqual(4);
  });

  it("never logs a token or a commenter's email", async () => {
    const token = await mintToken(t, "EDITOR");
    const email = "sangat.rahasia@contoh.id";
    const story = await t.server.db.transaction((em) => addStory(em, { title: "Untuk log" }));
    await t.gql(`{ me { name } }`, {}, bearer(token));
    await t.gql(`mutation($i: AddCommentInput!) { addComment(input: $i) { id } }`, { i: { articleId: toGlobalId("Article", story.pk), authorName: "A", authorEmail: email, body: "Halo" } });
    await t.gql(`mutation($i: AddCommentInput!) { addComment(input: $i) { id } }`, { i: { articleId: toGlobalId("Article", story.pk), authorName: "A", authorEmail: "bukan-email", body: "Halo" } });
    await t.gql(`{ me { name } }`, {}, { authorization: `Bearer ${token}x` });
    const all = captured.raw.join("\n");
    expect(all).not.toContain(token);
    expect(all).not.toContain(token.slice(4, 20));
    expect(all).not.toContain(email);
    expect(captured.lines.some((l) => l.outcome === "UNAUTHENTICATED")).toBe(true);
  });

  it("serves Prometheus metrics: requests by operation and outcome, latency, SQL per request, WebSocket gauges, push lag, refusals", async () => {
    await t.gql(`query Tags { tags { slug } }`);
    await t.gql(`query Deep { ${"a: institution(slug: \"x\") { parent { parent { parent { parent { parent { parent { parent { parent { parent { name } } } } } } } } } }"} }`);
    const story = await t.server.db.transaction((em) => addStory(em, { title: "Untuk metrik" }));
    const comment = { articleId: toGlobalId("Article", story.pk), authorName: "A", authorEmail: "a@contoh.id", body: "Satu" };
    await t.gql(`mutation($i: AddCommentInput!) { addComment(input: $i) { id } }`, { i: comment });
    await t.gql(`mutation($i: AddCommentInput!) { addComment(input: $i) { id } }`, { i: comment });
    const client = connect(t.server.port);
    const sub = client.subscribe(`subscription { articlePublished { cursor } }`);
    while (t.server.stats.activeSubscriptions < 1) await new Promise((r) => setTimeout(r, 10));
    const editor = bearer(await mintToken(t, "EDITOR"));
    const id = dataOf<{ createArticle: { id: string } }>(await t.gql(`mutation { createArticle(input: { title: "Metrik langsung", body: "Isi." }) { id } }`, {}, editor)).createArticle.id;
    await t.gql(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id }, editor);
    await sub.waitFor(1);

    const res = await fetch(`http://127.0.0.1:${t.server.port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/graphql_requests_total\{operation="Tags",outcome="ok"\} 1/);
    expect(text).toMatch(/graphql_request_duration_seconds_bucket\{le="0.1",operation="Tags"\} 1/);
    expect(text).toMatch(/graphql_sql_statements_per_request_count \d+/);
    expect(text).toMatch(/graphql_rate_limited_total 1/);
    // Refused before Apollo runs it: counted by the operation policy, per transport and code.
    expect(text).toMatch(/graphql_operations_refused_total\{transport="http",code="QUERY_TOO_COMPLEX"\} 1/);
    expect(text).toMatch(/websocket_connections_open 1/);
    expect(text).toMatch(/graphql_subscriptions_active 1/);
    expect(text).toMatch(/live_event_push_lag_seconds_count 1/);
    expect(text).toMatch(/# TYPE live_event_push_lag_seconds histogram/);
    expect(text).toMatch(/live_event_push_lag_seconds_bucket\{le="\+Inf"\} 1/);
    const lagBuckets = [...text.matchAll(/live_event_push_lag_seconds_bucket\{le="([^"]+)"\} (\d+)/g)].map((m) => Number(m[2]));
    expect(lagBuckets.length).toBe(12);
    expect(lagBuckets).toEqual([...lagBuckets].sort((a, b) => a - b));
    expect(text).toMatch(/process_resident_memory_bytes \d+/);
    await client.close();
  });

  it("keeps client-chosen operation names from flooding the metrics", async () => {
    for (let i = 0; i < 5; i++) await t.gql(`query Spam${"x".repeat(70)}${i} { me { name } }`);
    const text = await (await fetch(`http://127.0.0.1:${t.server.port}/metrics`)).text();
    expect(text).not.toMatch(/Spamxxxx/);
    expect(text).toMatch(/graphql_requests_total\{operation="other",outcome="ok"\} 5/);
  });
});

describe("production posture", () => {
  it("masks unexpected errors: INTERNAL_SERVER_ERROR, no stack, no SQL, logged with the request id", async () => {
    const captured = capturingLogger("debug");
    const t = await startTestServer({ seed: true, logger: captured.logger, config: { production: true } });
    try {
      // Break the store under the resolvers: a renamed table makes the next read fail in SQL.
      await t.server.db.transaction((em) => em.query(`ALTER TABLE quote RENAME TO quote_gone`));
      const res = await t.gql(`{ articles { nodes { title quotes { text } } } }`);
      expect(res.status).toBe(200);
      expect(res.body.errors?.[0]).toEqual({ message: "Unexpected error.", path: ["articles", "nodes", 0, "quotes"], extensions: { code: "INTERNAL_SERVER_ERROR" } });
      expect(res.text).not.toMatch(/SQLITE|quote_gone|no such table|does not exist|SELECT|at .*\.ts|node_modules/);
      const logged = captured.raw.join("\n");
      expect(logged).toMatch(/no such table|does not exist|could not prepare/);
      // Logged by message and stack only: never the failed query's SQL and parameters.
      expect(logged).not.toMatch(/"parameters"|"query":/);
    } finally {
      await t.close();
    }
  });

  it("gives no 'did you mean' hints in production, and does in development", async () => {
    for (const production of [true, false]) {
      const t = await startTestServer({ seed: false, config: { production } });
      try {
        const res = await t.gql(`{ articl { id } }`);
        expect(res.status).toBe(400);
        expect(res.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
        expect(/Did you mean/.test(res.body.errors![0]!.message)).toBe(!production);
      } finally {
        await t.close();
      }
    }
  });

  it("turns introspection and the playground off when told to, on HTTP and WebSocket", async () => {
    const t = await startTestServer({ seed: false, config: { graphql: { introspection: false, playground: false } } });
    try {
      const http = await t.gql(`{ __schema { types { name } } }`);
      expect(http.status).toBe(400);
      expect(http.body.errors?.[0]?.message).toMatch(/introspection/i);
      const client = connect(t.server.port);
      const ws = client.subscribe(`{ __schema { types { name } } }`);
      const errors = (await ws.ended) as Array<{ message: string }>;
      expect(errors[0]?.message).toMatch(/introspection/i);
      await client.close();
      const page = await fetch(`http://127.0.0.1:${t.server.port}/graphql`, { headers: { accept: "text/html" } });
      expect(await page.text()).not.toMatch(/<html/i);
      expect(dataOf<{ tags: unknown[] }>(await t.gql(`{ tags { slug } }`)).tags).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it("answers cross-origin requests only from CORS_ORIGINS", async () => {
    const none = await startTestServer({ seed: false });
    const some = await startTestServer({ seed: false, config: { cors: { origins: ["https://koran.example"] } } });
    try {
      const preflight = (t: TestServer, origin: string) =>
        fetch(`http://127.0.0.1:${t.server.port}/graphql`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type,authorization" } });
      expect((await preflight(none, "https://koran.example")).headers.get("access-control-allow-origin")).toBeNull();
      const allowed = await preflight(some, "https://koran.example");
      expect(allowed.headers.get("access-control-allow-origin")).toBe("https://koran.example");
      expect(allowed.headers.get("access-control-allow-headers")).toMatch(/authorization/);
      expect((await preflight(some, "https://jahat.example")).headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      await none.close();
      await some.close();
    }
  });
});
