import "reflect-metadata";
import { randomInt } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { toGlobalId } from "../../src/kernel/ids";
import { freePort, startDaemon } from "../helpers/daemon";
import { addStory } from "../helpers/scenarios";
import { adminQuery, startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import { bearer, mintToken } from "../helpers/tokens";
import { connect } from "../helpers/ws";
import type { LiveClient } from "../helpers/ws";

/** Debian's nginx (apt-get install nginx). */
const NGINX = "/usr/sbin/nginx";
const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
const missing = [fs.existsSync(NGINX) ? null : `${NGINX} is absent (apt-get install nginx)`, databaseUrl ? null : "DATABASE_URL is unset", redisUrl ? null : "REDIS_URL is unset"].filter(Boolean);
if (missing.length > 0) {
  console.warn(`nginx suite skipped: ${missing.join(", ")}; it needs nginx, PostgreSQL and Redis (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379)`);
}

const SHIPPED = path.resolve(__dirname, "..", "..", "deploy", "nginx", "newsroom.conf");
const LIMIT = 3;

/** Replaces `pattern` in `text`, failing when the shipped file no longer has it (the test would otherwise run another config). */
function replaceOnce(text: string, pattern: RegExp, replacement: string): string {
  if (!pattern.test(text)) throw new Error(`${SHIPPED} no longer matches ${pattern}; the test cannot point it at its instances`);
  return text.replace(pattern, replacement);
}

interface Nginx {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Debian's nginx in the foreground with deploy/nginx/newsroom.conf, which differs from the shipped
 * file in its listen address and upstream ports alone. The wrapping http block stands for
 * Debian's nginx.conf, with every path in a directory of the test's own, and adds one header for
 * the test: which instance answered (nginx's $upstream_addr).
 */
async function startNginx(port: number, instancePorts: number[]): Promise<Nginx> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsroom-nginx-"));
  // Run as root, nginx's workers are `nobody` and must reach their temporary directories.
  fs.chmodSync(dir, 0o755);
  let site = fs.readFileSync(SHIPPED, "utf8");
  site = replaceOnce(site, /^(\s*)server 127\.0\.0\.1:4001;\n\s*server 127\.0\.0\.1:4002;$/m, instancePorts.map((p) => `$1server 127.0.0.1:${p};`).join("\n"));
  site = replaceOnce(site, /^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${port};`);
  fs.writeFileSync(path.join(dir, "newsroom.conf"), site);
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((kind) => `  ${kind}_temp_path ${path.join(dir, kind)};`).join("\n");
  fs.writeFileSync(
    path.join(dir, "nginx.conf"),
    `worker_processes 1;\nevents { worker_connections 256; }\nhttp {\n${temp}\n  access_log ${path.join(dir, "access.log")};\n  add_header X-Upstream $upstream_addr always;\n  include ${path.join(dir, "newsroom.conf")};\n}\n`,
  );
  const errorLog = () => (fs.existsSync(path.join(dir, "error.log")) ? fs.readFileSync(path.join(dir, "error.log"), "utf8") : "");
  const daemon = await startDaemon({
    name: "nginx",
    command: NGINX,
    args: ["-p", dir, "-c", path.join(dir, "nginx.conf"), "-g", `daemon off; pid ${path.join(dir, "nginx.pid")}; error_log ${path.join(dir, "error.log")};`],
    dir,
    url: `http://127.0.0.1:${port}`,
    extraLog: errorLog,
  });
  return { url: daemon.url, port, stop: daemon.stop };
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request over a socket of its own from a chosen local address (fetch cannot pick one): another client, as nginx sees it. */
function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? "GET", headers: options.headers, localAddress: options.localAddress, agent: false }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

/** A loopback address of its own (all of 127.0.0.0/8 reaches this machine), other than 127.0.0.1 and `not`. */
function loopbackAddress(not?: string): string {
  for (;;) {
    const address = `127.${randomInt(1, 255)}.${randomInt(256)}.${randomInt(1, 255)}`;
    if (address !== not) return address;
  }
}

(missing.length === 0 ? describe : describe.skip)("two instances behind nginx (deploy/nginx/newsroom.conf)", () => {
  const database = new URL(databaseUrl ?? "postgres://localhost/x");
  database.pathname = "/nwr_nginx_test";
  let a: TestServer;
  let b: TestServer;
  let nginx: Nginx;
  let editor: Record<string, string>;
  const clients: LiveClient[] = [];

  const start = () =>
    startTestServer({ database: { kind: "postgres", url: database.toString() }, seed: false, config: { redis: { url: redisUrl! }, http: { trustProxy: 1 }, comments: { rateLimit: LIMIT, rateWindowSeconds: 60 }, events: { pollIntervalMs: 1000 } } });
  /** Which instance nginx sent a request to, by its X-Upstream header. */
  const instanceOf = (answer: Answer): TestServer => {
    const upstream = String(answer.headers["x-upstream"]);
    const found = [a, b].find((t) => upstream === `127.0.0.1:${t.server.port}`);
    if (!found) throw new Error(`X-Upstream '${upstream}' names neither instance (${a.server.port}, ${b.server.port})`);
    return found;
  };
  const name = (t: TestServer) => (t === a ? "A" : "B");
  const gql = async (query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}, localAddress?: string) => {
    const answer = await request(`${nginx.url}/graphql`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query, variables }), localAddress });
    const body = JSON.parse(answer.body) as { data?: Record<string, { id?: string }>; errors?: Array<{ extensions?: { code?: string } }> };
    return { answer, body, instance: instanceOf(answer) };
  };

  beforeAll(async () => {
    await adminQuery(`DROP DATABASE IF EXISTS nwr_nginx_test WITH (FORCE)`);
    await adminQuery(`CREATE DATABASE nwr_nginx_test`);
    // A migrates the store first; B then finds it ready.
    a = await start();
    b = await start();
    editor = bearer(await mintToken(a, "EDITOR"));
    nginx = await startNginx(await freePort(), [a.server.port, b.server.port]);
  }, 90_000);

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close().catch(() => undefined);
  });

  afterAll(async () => {
    await nginx?.stop();
    await a?.close();
    await b?.close();
    await adminQuery(`DROP DATABASE IF EXISTS nwr_nginx_test WITH (FORCE)`);
  }, 60_000);

  it("delivers to a subscriber connected through nginx a story published through nginx on the other instance", async () => {
    const live = connect(nginx.port);
    clients.push(live);
    const sub = live.subscribe<{ articlePublished: { article: { title: string } } }>(`subscription { articlePublished { article { title } } }`);
    // The subscriber's instance: the one holding its subscription once the upgrade went through.
    const deadline = Date.now() + 10_000;
    while (a.server.stats.activeSubscriptions + b.server.stats.activeSubscriptions === 0) {
      if (Date.now() > deadline) throw new Error("the subscription through nginx reached neither instance");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect([a.server.stats.activeSubscriptions, b.server.stats.activeSubscriptions].sort()).toEqual([0, 1]);
    const subscriberOn = a.server.stats.activeSubscriptions === 1 ? a : b;

    const landed: string[] = [];
    for (let i = 0; i < 6 && !landed.includes(subscriberOn === a ? "B" : "A"); i++) {
      const created = await gql(`mutation($t: String!) { createArticle(input: { title: $t, body: "Isi." }) { id } }`, { t: `Lewat nginx ${i}` }, editor);
      const published = await gql(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id: created.body.data!.createArticle!.id }, editor);
      expect(published.body.errors).toBeUndefined();
      landed.push(name(published.instance));
      await sub.waitFor(i + 1);
      // Round-robin between equally busy instances: one more request moves the next publish along.
      if (published.instance === subscriberOn) await gql(`{ __typename }`, {});
    }
    console.info(`subscriber on ${name(subscriberOn)}; publishes landed on ${landed.join(", ")}`);
    expect(landed.at(-1)).not.toBe(name(subscriberOn));
    expect(sub.received.map((r) => r.data!.articlePublished.article.title)).toEqual(landed.map((_, i) => `Lewat nginx ${i}`));
  });

  it("hands the instances each client's own address: one limit per client, shared by both instances, not fooled by a forged X-Forwarded-For", async () => {
    const story = await a.server.db.transaction((em) => addStory(em, { title: "Dikomentari lewat nginx" }));
    const add = (client: string, i: number, forged?: string) =>
      gql(
        `mutation Add($input: AddCommentInput!) { addComment(input: $input) { id } }`,
        { input: { articleId: toGlobalId("Article", story.pk), authorName: "Pembaca", authorEmail: "pembaca@contoh.id", body: `Komentar ${i}.` } },
        forged ? { "x-forwarded-for": forged } : {},
        client,
      );
    const outcome = (res: Awaited<ReturnType<typeof add>>) => (res.body.errors?.length ? String(res.body.errors[0]!.extensions?.code) : "ok");
    // Redis keeps its counts for the window while story ids repeat from run to run: fresh addresses each run.
    const first = loopbackAddress();
    const second = loopbackAddress(first);
    const outcomes: string[] = [];
    const servedBy = new Set<string>();
    for (let i = 0; i < LIMIT + 2; i++) {
      // Each attempt claims another address in X-Forwarded-For; nginx appends the one it saw.
      const res = await add(first, i, `10.0.0.${i + 1}`);
      outcomes.push(outcome(res));
      servedBy.add(name(res.instance));
    }
    expect(outcomes).toEqual([...Array<string>(LIMIT).fill("ok"), "RATE_LIMITED", "RATE_LIMITED"]);
    expect([...servedBy].sort()).toEqual(["A", "B"]);
    // Another client, just under its own limit: its first comment is admitted.
    expect(outcome(await add(second, 0))).toBe("ok");
    expect(Number((await a.server.db.reader.query(`SELECT COUNT(*) AS n FROM comment WHERE article_id = $1`, [story.pk]))[0].n)).toBe(LIMIT + 1);
  });

  it("passes the request id through: the client's when it sends one, else nginx's own", async () => {
    const given = await request(`${nginx.url}/healthz`, { headers: { "x-request-id": "pembaca-42" } });
    expect(given.headers["x-request-id"]).toBe("pembaca-42");
    // nginx's $request_id (32 hex digits), not an instance's own UUID.
    expect((await request(`${nginx.url}/healthz`)).headers["x-request-id"]).toMatch(/^[0-9a-f]{32}$/);
  });

  it("serves /healthz and /live from the instances and keeps /metrics and /readyz inside", async () => {
    const health = await request(`${nginx.url}/healthz`);
    expect([health.status, JSON.parse(health.body)]).toEqual([200, { status: "ok" }]);
    instanceOf(health);
    // /live is proxied whether or not this build serves a page there: an instance answers.
    for (const pathname of ["/live", "/live/"]) instanceOf(await request(`${nginx.url}${pathname}`));
    for (const pathname of ["/metrics", "/readyz", "/lively"]) {
      const inside = await request(`${nginx.url}${pathname}`);
      expect([pathname, inside.status, inside.headers["x-upstream"]]).toEqual([pathname, 404, undefined]);
    }
  });
});
