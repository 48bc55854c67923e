import "reflect-metadata";
import { adminQuery, metricIn } from "../helpers/server";
import net from "node:net";
import { Client } from "pg";
import WebSocket from "ws";
import { runTokenCommand } from "../../src/tools/token";
import { startServerProcess } from "../helpers/process";
import type { ServerProcess } from "../helpers/process";
import { connect } from "../helpers/ws";
import type { LiveClient } from "../helpers/ws";

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
const suite = databaseUrl && redisUrl ? describe : describe.skip;
if (!databaseUrl || !redisUrl) {
  console.warn("Multi-instance suite skipped: it needs DATABASE_URL and REDIS_URL (e.g. postgres://postgres@127.0.0.1:5432/test and redis://127.0.0.1:6379)");
}

const POLL_MS = 1000;

/** A TCP relay in front of Redis, so a test can cut one instance's Redis connection. */
class Relay {
  private readonly sockets = new Set<net.Socket>();
  private server: net.Server | null = null;
  port = 0;

  constructor(private readonly target: URL) {}

  async start(): Promise<void> {
    this.server = net.createServer((inbound) => {
      const outbound = net.connect(Number(this.target.port || 6379), this.target.hostname);
      for (const s of [inbound, outbound]) {
        this.sockets.add(s);
        s.on("error", () => undefined);
        s.on("close", () => this.sockets.delete(s));
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  /** Drops every connection and refuses new ones: Redis is gone for whoever uses the relay. */
  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  async close(): Promise<void> {
    if (this.server?.listening) await this.cut();
  }
}


suite("several instances on one PostgreSQL and Redis", () => {
  const database = new URL(databaseUrl ?? "postgres://localhost/x");
  database.pathname = "/nwr_cluster_test";
  let a: ServerProcess;
  let b: ServerProcess;
  let relay: Relay;
  let token: string;
  const clients: LiveClient[] = [];

  const startB = async () => startServerProcess({ DATABASE_URL: database.toString(), REDIS_URL: `redis://127.0.0.1:${relay.port}`, EVENT_POLL_INTERVAL_MS: String(POLL_MS), SCHEDULER_INTERVAL_MS: "100", SEED: "false" });
  const gql = async <T,>(server: ServerProcess, query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const res = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as { data?: T; errors?: unknown };
    if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const publishNew = async (server: ServerProcess, title: string, at?: string) => {
    const { createArticle } = await gql<{ createArticle: { id: string } }>(server, `mutation($t: String!) { createArticle(input: { title: $t, body: "Isi." }) { id } }`, { t: title });
    await gql(server, `mutation($id: ID!, $at: DateTime) { publishArticle(id: $id, at: $at) { status } }`, { id: createArticle.id, at });
    return createArticle.id;
  };
  const live = (server: ServerProcess, connectionParams?: Record<string, unknown>) => {
    const client = connect(server.port, connectionParams);
    clients.push(client);
    return client;
  };
  /** A subscription is live once the server acknowledged it; graphql-ws has no such message, so give it a moment. */
  const ready = () => new Promise((r) => setTimeout(r, 300));

  beforeAll(async () => {
    await adminQuery(`DROP DATABASE IF EXISTS nwr_cluster_test WITH (FORCE)`);
    await adminQuery(`CREATE DATABASE nwr_cluster_test`);
    relay = new Relay(new URL(redisUrl!));
    await relay.start();
    // A migrates and seeds first; B then finds the store ready.
    a = await startServerProcess({ DATABASE_URL: database.toString(), REDIS_URL: redisUrl!, EVENT_POLL_INTERVAL_MS: String(POLL_MS), SCHEDULER_INTERVAL_MS: "100" });
    b = await startB();
    const out: string[] = [];
    expect(await runTokenCommand(["create", "--name", "cluster editor", "--role", "EDITOR"], (l) => out.push(l), { DATABASE_URL: database.toString() })).toBe(0);
    token = out.at(-1)!;
  }, 90_000);

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close().catch(() => undefined);
  });

  afterAll(async () => {
    await Promise.all([a?.kill(), b?.kill()]);
    await relay?.close();
    await adminQuery(`DROP DATABASE IF EXISTS nwr_cluster_test WITH (FORCE)`);
  }, 60_000);

  it("delivers to a client on B what an editor publishes through A", async () => {
    const sub = live(b).subscribe<{ articlePublished: { article: { title: string } } }>(`subscription { articlePublished { cursor article { title } } }`);
    await ready();
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await publishNew(a, `Dari A ke B ${i}`);
      await sub.waitFor(i + 1);
      latencies.push(performance.now() - started);
    }
    expect(sub.received.map((r) => r.data!.articlePublished.article.title)).toEqual([0, 1, 2, 3, 4].map((i) => `Dari A ke B ${i}`));
    console.info(`publish on A → receipt on B (mutation round trip included): ${latencies.map((l) => l.toFixed(0)).join(", ")} ms`);
  });

  it("fans out what A publishes to readers and editors on B: every event once, in order, across replay and the direct lane, quotes as each may read them", async () => {
    type Quoted = { articleEvents: { cursor: string; type: string; article: { title: string; quotes: Array<{ text: string }> } } };
    const QUOTED = `subscription($after: String) { articleEvents(after: $after) { cursor type article { title quotes { text } } } }`;
    const { liveCursor } = await gql<{ liveCursor: string }>(b, `{ liveCursor }`);
    const { createPerson } = await gql<{ createPerson: { id: string } }>(a, `mutation { createPerson(input: { name: "Juru Bicara Klaster" }) { id } }`);
    const readers = Array.from({ length: 10 }, () => live(b).subscribe<Quoted>(QUOTED));
    const editors = Array.from({ length: 5 }, () => live(b, { authorization: `Bearer ${token}` }).subscribe<Quoted>(QUOTED));
    await ready();
    await publishNew(a, "Klaster 0");
    await publishNew(a, "Klaster 1");
    // These replay what they missed while the rest is published, then follow.
    const resumers = Array.from({ length: 5 }, () => live(b).subscribe<Quoted>(QUOTED, { after: liveCursor }));
    await publishNew(a, "Klaster 2");
    const { createArticle } = await gql<{ createArticle: { id: string } }>(a, `mutation { createArticle(input: { title: "Klaster 3", body: "Isi." }) { id } }`);
    await gql(a, `mutation($input: AddQuoteInput!) { addQuote(input: $input) { id } }`, { input: { articleId: createArticle.id, speakerId: createPerson.id, text: "Kutipan klaster." } });
    await gql(a, `mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id: createArticle.id });
    await publishNew(a, "Klaster 4");
    await gql(a, `mutation($id: ID!) { unpublishArticle(id: $id) { status } }`, { id: createArticle.id });
    const all = [...readers, ...editors, ...resumers];
    await Promise.all(all.map((s) => s.waitFor(6, 10_000)));
    await new Promise((r) => setTimeout(r, 500));
    const seen = (sub: (typeof all)[number]) => sub.received.map((r) => [r.data!.articleEvents.type, r.data!.articleEvents.article.title, r.data!.articleEvents.article.quotes.map((q) => q.text)]);
    const published = [0, 1, 2, 3, 4].map((i) => ["PUBLISHED", `Klaster ${i}`, i === 3 ? ["Kutipan klaster."] : []]);
    for (const sub of [...readers, ...resumers]) expect(seen(sub)).toEqual([...published, ["UNPUBLISHED", "Klaster 3", []]]);
    for (const sub of editors) expect(seen(sub)).toEqual([...published, ["UNPUBLISHED", "Klaster 3", ["Kutipan klaster."]]]);
    for (const sub of all) {
      const cursors = sub.received.map((r) => r.data!.articleEvents.cursor);
      expect(cursors.every((c, i) => i === 0 || c > cursors[i - 1]!)).toBe(true);
    }
  }, 60_000);

  it("keeps B's cached front page fresh: once B has delivered the event of a publish through A, B's next read shows the story", async () => {
    const front = async (server: ServerProcess) => {
      const res = await fetch(`${server.url}?query=${encodeURIComponent("{ articles(first: 1) { nodes { title } } }")}`);
      return ((await res.json()) as { data: { articles: { nodes: Array<{ title: string }> } } }).data.articles.nodes[0]?.title;
    };
    // Cached on B (its first read stores it in B's memory; the second is a hit).
    const before = await front(b);
    expect(await front(b)).toBe(before);
    const sub = live(b).subscribe<{ articlePublished: { article: { title: string } } }>(`subscription { articlePublished { cursor article { title } } }`);
    await ready();
    for (let i = 0; i < 3; i++) {
      await publishNew(a, `Segar di B ${i}`);
      await sub.waitFor(i + 1);
      expect(await front(b)).toBe(`Segar di B ${i}`);
    }
  });

  it("drops on B, by row, what a write through A changed: a publish keeps B's unrelated pages hits, an institution edit drops B's page of it only", async () => {
    const rowMode = (process.env.CACHE_TAGS ?? "row") === "row";
    const read = async (server: ServerProcess, query: string) => (await (await fetch(`${server.url}?query=${encodeURIComponent(query)}`)).json()) as { data: unknown };
    const hitsOn = async (server: ServerProcess) => metricIn(await (await fetch(server.url.replace(/\/graphql$/, "/metrics"))).text(), "response_cache_hits_total");
    /** Reads on B; whether it was a hit (B's counter moved by one). */
    const readB = async (query: string) => {
      const before = await hitsOn(b);
      const body = await read(b, query);
      return { hit: (await hitsOn(b)) === before + 1, body: JSON.stringify(body) };
    };
    const { institutions } = await gql<{ institutions: { nodes: Array<{ id: string; name: string }> } }>(a, `{ institutions(first: 2) { nodes { id name } } }`);
    const [entered, other] = institutions.nodes as [{ id: string; name: string }, { id: string; name: string }];
    const sub = live(b).subscribe<{ articlePublished: { article: { title: string } } }>(`subscription { articlePublished { cursor article { title } } }`);
    await ready();
    const unrelated = await publishNew(a, "Tanpa lembaga");
    await sub.waitFor(1);
    const institutionPage = (id: string) => `{ institution(id: "${id}") { id name articles(first: 3) { nodes { id title } } } }`;
    const pages = { story: `{ article(id: "${unrelated}") { id title } }`, entered: institutionPage(entered.id), other: institutionPage(other.id), front: `{ articles(first: 2) { nodes { id title } } }` };
    for (const q of Object.values(pages)) {
      await read(b, q);
      await read(b, q);
    }
    const { createArticle } = await gql<{ createArticle: { id: string } }>(a, `mutation($i: [ID!]) { createArticle(input: { title: "Masuk daftar lembaga", body: "Isi.", institutionIds: $i }) { id } }`, { i: [entered.id] });
    await gql(a, `mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id: createArticle.id });
    await sub.waitFor(2);
    expect((await readB(pages.front)).body).toContain("Masuk daftar lembaga");
    expect((await readB(pages.entered)).body).toContain("Masuk daftar lembaga");
    const story = await readB(pages.story);
    const otherPage = await readB(pages.other);
    expect(otherPage.body).not.toContain("Masuk daftar lembaga");
    if (rowMode) expect([story.hit, otherPage.hit]).toEqual([true, true]);

    await gql(a, `mutation($id: ID!) { updateInstitution(id: $id, input: { name: "Nama baru dari A" }) { name } }`, { id: entered.id });
    // B drops its copy once it has read the change from the log (Redis wakes it; the pull interval bounds it).
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !(await readB(pages.entered)).body.includes("Nama baru dari A")) await new Promise((r) => setTimeout(r, 100));
    expect((await readB(pages.entered)).body).toContain("Nama baru dari A");
    const after = await readB(pages.other);
    expect(after.body).toContain(other.name);
    if (rowMode) expect(after.hit).toBe(true);
  });

  it("drops on B, by row, what an edit of a published story through A changed: the lists ordered by edit, the searches, the tag page it entered; B's front page stays a hit", async () => {
    const rowMode = (process.env.CACHE_TAGS ?? "row") === "row";
    const hitsOn = async (server: ServerProcess) => metricIn(await (await fetch(server.url.replace(/\/graphql$/, "/metrics"))).text(), "response_cache_hits_total");
    const readB = async (query: string) => {
      const before = await hitsOn(b);
      const body = JSON.stringify(await (await fetch(`${b.url}?query=${encodeURIComponent(query)}`)).json());
      return { hit: (await hitsOn(b)) === before + 1, body };
    };
    const edited = await publishNew(a, "Disunting nanti");
    await publishNew(a, "Terbit sesudahnya");
    const pages = {
      front: `{ articles(first: 1) { nodes { id title } } }`,
      byUpdate: `{ articles(first: 1, orderBy: UPDATED_AT_DESC) { nodes { id title } } }`,
      search: `{ articles(first: 3, filter: { search: "zebrasilang" }) { totalCount nodes { title } } }`,
      tagPage: `{ articles(first: 3, filter: { tag: "kabar-klaster" }) { totalCount nodes { title } } }`,
    };
    // Each page read on B until it shows the second story's publish (B reads A's changes from the log), then stored.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !(await readB(pages.front)).body.includes("Terbit sesudahnya")) await new Promise((r) => setTimeout(r, 100));
    for (const q of Object.values(pages)) {
      await readB(q);
      await readB(q);
    }
    expect((await readB(pages.front)).hit).toBe(true);
    await gql(a, `mutation($id: ID!) { updateArticle(id: $id, input: { title: "Zebrasilang di klaster", tags: ["Kabar Klaster"] }) { id } }`, { id: edited });
    const until = Date.now() + 10_000;
    while (Date.now() < until && !(await readB(pages.byUpdate)).body.includes("Zebrasilang di klaster")) await new Promise((r) => setTimeout(r, 100));
    for (const q of [pages.byUpdate, pages.search, pages.tagPage]) expect((await readB(q)).body).toContain("Zebrasilang di klaster");
    const front = await readB(pages.front);
    expect(front.body).toContain("Terbit sesudahnya");
    if (rowMode) expect(front.hit).toBe(true);
  });

  it("closes a token's socket on B with 4403 within a second of its revocation through A, and B refuses the token after", async () => {
    const out: string[] = [];
    expect(await runTokenCommand(["create", "--name", "cluster admin", "--role", "ADMIN"], (l) => out.push(l), { DATABASE_URL: database.toString() })).toBe(0);
    const adminToken = out.at(-1)!;
    const asAdmin = async <T,>(server: ServerProcess, query: string, variables: Record<string, unknown> = {}) => {
      const res = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` }, body: JSON.stringify({ query, variables }) });
      return ((await res.json()) as { data: T }).data;
    };
    const { createApiToken } = await asAdmin<{ createApiToken: { token: string; apiToken: { id: string } } }>(a, `mutation { createApiToken(name: "to revoke", role: EDITOR) { token apiToken { id } } }`);
    const socket = new WebSocket(`ws://127.0.0.1:${b.port}/graphql`, "graphql-transport-ws");
    const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
    const acked = new Promise<void>((resolve) => socket.on("message", (data) => JSON.parse(String(data)).type === "connection_ack" && resolve()));
    await new Promise<void>((resolve) => socket.once("open", () => resolve()));
    socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${createApiToken.token}` } }));
    await acked;
    socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: "subscription { articleEvents { cursor } }" } }));
    await ready();
    const started = performance.now();
    await asAdmin(a, `mutation($id: ID!) { revokeApiToken(id: $id) }`, { id: createApiToken.apiToken.id });
    expect(await closed).toBe(4403);
    const after = performance.now() - started;
    console.info(`revocation through A → socket on B closed: ${after.toFixed(0)} ms`);
    expect(after).toBeLessThan(1000);
    const refused = await fetch(b.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${createApiToken.token}` }, body: JSON.stringify({ query: "{ me { name } }" }) });
    expect(refused.status).toBe(401);
  });

  it("still delivers after the pull interval when B's Redis connection is cut", async () => {
    const sub = live(b).subscribe<{ articlePublished: { article: { title: string } } }>(`subscription { articlePublished { cursor article { title } } }`);
    await ready();
    await relay.cut();
    const started = performance.now();
    await publishNew(a, "Tanpa Redis di B");
    const [event] = await sub.waitFor(1, POLL_MS * 5);
    expect(event!.data!.articlePublished.article.title).toBe("Tanpa Redis di B");
    console.info(`with B's Redis cut, publish on A → receipt on B: ${(performance.now() - started).toFixed(0)} ms (pull interval ${POLL_MS} ms)`);
    expect(b.child.exitCode).toBeNull();
  });

  it("lets a client resume from its cursor on a restarted B with nothing missed", async () => {
    const first = live(b).subscribe<{ articleEvents: { cursor: string; article: { title: string } } }>(`subscription { articleEvents { cursor type article { title } } }`);
    await ready();
    await publishNew(a, "Sebelum B mati");
    const cursor = (await first.waitFor(1))[0]!.data!.articleEvents.cursor;
    expect(await b.kill("SIGTERM")).toBe(0);
    await publishNew(a, "Saat B mati 1");
    await publishNew(a, "Saat B mati 2");
    await relay.start();
    b = await startB();
    const resumed = live(b).subscribe<{ articleEvents: { article: { title: string } } }>(`subscription($after: String) { articleEvents(after: $after) { cursor article { title } } }`, { after: cursor });
    await resumed.waitFor(2);
    await ready();
    await publishNew(a, "Setelah B hidup");
    const titles = (await resumed.waitFor(3)).map((r) => r.data!.articleEvents.article.title);
    expect(titles).toEqual(["Saat B mati 1", "Saat B mati 2", "Setelah B hidup"]);
  }, 60_000);

  it("publishes a scheduled story exactly once with two schedulers running", async () => {
    const onA = live(a).subscribe<{ articlePublished: { article: { id: string } } }>(`subscription { articlePublished { cursor article { id } } }`);
    const onB = live(b).subscribe<{ articlePublished: { article: { id: string } } }>(`subscription { articlePublished { cursor article { id } } }`);
    await ready();
    const id = await publishNew(a, "Sekali saja", new Date(Date.now() + 1000).toISOString());
    await onA.waitFor(1, 10_000);
    await onB.waitFor(1, 10_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(onA.received.map((r) => r.data!.articlePublished.article.id)).toEqual([id]);
    expect(onB.received.map((r) => r.data!.articlePublished.article.id)).toEqual([id]);
    const client = new Client({ connectionString: database.toString() });
    await client.connect();
    try {
      const pk = Number(Buffer.from(id, "base64url").toString().split(":")[1]);
      const { rows } = await client.query(`SELECT COUNT(*)::int AS n FROM event WHERE article_id = $1 AND type = 'PUBLISHED'`, [pk]);
      expect(rows[0].n).toBe(1);
    } finally {
      await client.end();
    }
  }, 30_000);
});
