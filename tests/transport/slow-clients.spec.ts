import "reflect-metadata";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import { Writable } from "node:stream";
import { ConfigError, loadConfig } from "../../src/config";
import { createLogger } from "../../src/kernel/logger";
import { addStory } from "../helpers/scenarios";
import { dataOf, metricIn, startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import { bearer, mintToken } from "../helpers/tokens";
import { connect } from "../helpers/ws";
import type { LiveClient } from "../helpers/ws";

/*
 * Slow and greedy clients: one address that opens thousands of connections and never finishes a
 * request, and clients that send their request a byte at a time. Every test client connects from
 * 127.0.0.1; "another client" connects from 127.0.0.2 (Linux routes all of 127.0.0.0/8 to the
 * loopback, and a server bound to 127.0.0.1 accepts it).
 */

const OTHER_CLIENT = "127.0.0.2";

/** A raw TCP connection from `localAddress`: what it received, and whether the server closed it. */
class RawConnection {
  readonly socket: net.Socket;
  received = "";
  closedByServer = false;
  readonly closed: Promise<void>;
  private closing = false;
  private drip: NodeJS.Timeout | undefined;

  constructor(port: number, localAddress = "127.0.0.1") {
    this.socket = net.connect({ host: "127.0.0.1", port, localAddress });
    this.socket.setEncoding("latin1");
    this.socket.on("data", (chunk: string) => (this.received += chunk));
    // A connection refused at once is reset: that is the expected end, not a failure.
    this.socket.on("error", () => undefined);
    this.closed = new Promise((resolve) =>
      this.socket.once("close", () => {
        clearInterval(this.drip);
        this.closedByServer = !this.closing;
        resolve();
      }),
    );
  }

  get isClosed(): boolean {
    return this.socket.destroyed;
  }

  send(text: string): void {
    if (!this.socket.destroyed) this.socket.write(text);
  }

  /** Sends `piece()` every `everyMs` until the connection closes: a client that is slow, not silent. */
  dripEvery(everyMs: number, piece: (n: number) => string): void {
    let n = 0;
    this.drip = setInterval(() => this.send(piece(n++)), everyMs);
  }

  /** Resolves with what arrived once the server closed the connection, or rejects after `timeoutMs`. */
  async closedWithin(timeoutMs: number): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still open after ${timeoutMs} ms; received ${JSON.stringify(this.received.slice(0, 200))}`)), timeoutMs)));
    try {
      await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return this.received;
  }

  /** Sends a whole GET and resolves with the response's status line once it arrives (the connection stays open: keep-alive). */
  async get(pathname: string, timeoutMs = 5000): Promise<string> {
    const before = this.received.length;
    this.send(`GET ${pathname} HTTP/1.1\r\nHost: newsroom.test\r\n\r\n`);
    const deadline = Date.now() + timeoutMs;
    while (!this.received.slice(before).includes("\r\n\r\n")) {
      if (this.socket.destroyed) return `closed: ${JSON.stringify(this.received.slice(before))}`;
      if (Date.now() > deadline) return "no answer";
      await settle(10);
    }
    return this.received.slice(before).split("\r\n")[0]!;
  }

  destroy(): void {
    this.closing = true;
    clearInterval(this.drip);
    this.socket.destroy();
  }
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await settle(20);
}

/** One HTTP request on a connection of its own from `localAddress`. */
function requestFrom(port: number, localAddress: string, options: { method?: string; path: string; body?: string }): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, localAddress, agent: false, method: options.method ?? "GET", path: options.path, headers: options.body === undefined ? {} : { "content-type": "application/json" } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.once("error", reject);
    req.end(options.body);
  });
}

const STORY = "Banjir rob di pesisir utara";
const STORY_QUERY = JSON.stringify({ query: `{ article(slug: "banjir-rob-di-pesisir-utara") { title } }` });
const PARTIAL_HEADERS = "POST /graphql HTTP/1.1\r\nHost: newsroom.test\r\nContent-Type: application/json\r\n";
const PARTIAL_BODY = `${PARTIAL_HEADERS}Content-Length: 1000\r\n\r\n{"query":"{ article(slug: `;

describe("slow and greedy clients", () => {
  let t: TestServer | undefined;
  const connections: RawConnection[] = [];
  const clients: LiveClient[] = [];
  const raw = (localAddress?: string) => {
    const connection = new RawConnection(t!.server.port, localAddress);
    connections.push(connection);
    return connection;
  };

  afterEach(async () => {
    for (const connection of connections.splice(0)) connection.destroy();
    for (const client of clients.splice(0)) await client.close();
    await t?.close();
    t = undefined;
  });

  describe("connections per address", () => {
    // 2,000 client sockets and as many server ends at most, far inside the 20,000 descriptors
    // (`ulimit -n`) of the test machines; the refused ones close at once.
    const SLOW = 2000;
    const CAP = 64;

    it(`refuses at once what one address opens past ${CAP} connections, and another address is answered`, async () => {
      // Time limits far beyond the test: whatever closes here is closed by the cap.
      t = await startTestServer({ seed: false, config: { http: { maxConnectionsPerAddress: CAP, headersTimeoutMs: 120_000, requestTimeoutMs: 120_000 } } });
      await t.server.db.transaction((em) => addStory(em, { title: STORY }));
      const slow = Array.from({ length: SLOW }, (_, i) => {
        const connection = raw();
        connection.socket.once("connect", () => connection.send(i % 2 === 0 ? PARTIAL_HEADERS : PARTIAL_BODY));
        return connection;
      });
      await until(() => slow.filter((c) => c.isClosed).length >= SLOW - CAP, 20_000);
      await settle(200);

      const refused = slow.filter((c) => c.isClosed);
      expect(refused).toHaveLength(SLOW - CAP);
      expect(refused.every((c) => c.closedByServer && c.received === "")).toBe(true);
      expect(slow.filter((c) => !c.isClosed)).toHaveLength(CAP);

      const answer = await requestFrom(t.server.port, OTHER_CLIENT, { method: "POST", path: "/graphql", body: STORY_QUERY });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toEqual({ data: { article: { title: STORY } } });

      const metrics = await requestFrom(t.server.port, OTHER_CLIENT, { path: "/metrics" });
      expect(metricIn(metrics.text, "http_connections_refused_total", 'reason="address_limit"')).toBe(SLOW - CAP);
    }, 60_000);

    it("admits N connections from one address and refuses the N+1th; after one closes, a new one is admitted", async () => {
      const N = 4;
      t = await startTestServer({ seed: false, config: { http: { maxConnectionsPerAddress: N } } });
      const admitted = Array.from({ length: N }, () => raw());
      // Each answered request proves its connection was admitted; keep-alive holds it open.
      expect(await Promise.all(admitted.map((c) => c.get("/healthz")))).toEqual(Array(N).fill("HTTP/1.1 200 OK"));

      const over = raw();
      expect(await over.closedWithin(5000)).toBe("");
      expect(over.closedByServer).toBe(true);
      expect(admitted.every((c) => !c.isClosed)).toBe(true);

      admitted[0]!.destroy();
      // The server learns of that close a moment later: until then a newcomer is still refused.
      let next = raw();
      const deadline = Date.now() + 5000;
      while ((await next.get("/healthz")) !== "HTTP/1.1 200 OK" && Date.now() < deadline) next = raw();
      expect(next.isClosed).toBe(false);
      expect(await raw().closedWithin(5000)).toBe("");
    });

    it("holds N connections in all and closes the N+1th on accept, from any address", async () => {
      const N = 3;
      t = await startTestServer({ seed: false, config: { http: { maxConnections: N } } });
      const admitted = [raw(), raw(OTHER_CLIENT), raw()];
      expect(await Promise.all(admitted.map((c) => c.get("/healthz")))).toEqual(Array(N).fill("HTTP/1.1 200 OK"));
      const over = raw(OTHER_CLIENT);
      expect(await over.closedWithin(5000)).toBe("");
      expect(over.closedByServer).toBe(true);

      admitted[0]!.destroy();
      // Until the server has seen that close, a newcomer is still dropped; each one counts.
      let dropped = 1;
      let metrics: { status: number; text: string } | undefined;
      for (const deadline = Date.now() + 5000; metrics === undefined && Date.now() < deadline; ) {
        metrics = await requestFrom(t.server.port, OTHER_CLIENT, { path: "/metrics" }).catch(() => {
          dropped++;
          return undefined;
        });
      }
      expect(metrics?.status).toBe(200);
      expect(metricIn(metrics!.text, "http_connections_refused_total", 'reason="server_limit"')).toBe(dropped);
    });

    it("does not count a trusted proxy's connections against the cap: it carries many clients", async () => {
      const N = 2;
      t = await startTestServer({ seed: false, config: { http: { maxConnectionsPerAddress: N, trustProxy: ["127.0.0.1"] } } });
      const proxy = Array.from({ length: N + 3 }, () => raw());
      expect(await Promise.all(proxy.map((c) => c.get("/healthz")))).toEqual(Array(N + 3).fill("HTTP/1.1 200 OK"));

      const other = Array.from({ length: N }, () => raw(OTHER_CLIENT));
      expect(await Promise.all(other.map((c) => c.get("/healthz")))).toEqual(Array(N).fill("HTTP/1.1 200 OK"));
      const over = raw(OTHER_CLIENT);
      expect(await over.closedWithin(5000)).toBe("");
      expect(over.closedByServer).toBe(true);
    });
  });

  describe("time limits", () => {
    const LIMITS = { http: { headersTimeoutMs: 1000, requestTimeoutMs: 2000 } };

    it("cuts a client that sends its headers a line at a time when the headers' time is up", async () => {
      t = await startTestServer({ seed: false, config: LIMITS });
      const slow = raw();
      slow.send("GET /healthz HTTP/1.1\r\nHost: newsroom.test\r\n");
      slow.dripEvery(200, (n) => `X-Slow-${n}: 1\r\n`);
      expect(await slow.closedWithin(15_000)).toMatch(/^HTTP\/1\.1 408 /);
      expect(slow.closedByServer).toBe(true);
    });

    it("cuts a client that sends its body a byte at a time when the request's time is up", async () => {
      t = await startTestServer({ seed: false, config: LIMITS });
      const slow = raw();
      slow.send(`${PARTIAL_HEADERS}Content-Length: 100000\r\n\r\n{"query":"`);
      slow.dripEvery(100, () => " ");
      expect(await slow.closedWithin(15_000)).toMatch(/^HTTP\/1\.1 408 /);
      expect(slow.closedByServer).toBe(true);
    });

    it("leaves a graphql-ws subscription open long past the request time limit", async () => {
      t = await startTestServer({ seed: false, config: { http: { headersTimeoutMs: 300, requestTimeoutMs: 500 } } });
      const editor = bearer(await mintToken(t, "EDITOR"));
      const client = connect(t.server.port);
      clients.push(client);
      const sub = client.subscribe<{ articlePublished: { article: { title: string } } }>(`subscription { articlePublished { article { title } } }`);
      await until(() => t!.server.stats.activeSubscriptions === 1, 3000);
      expect(t.server.stats.activeSubscriptions).toBe(1);
      // Six times the request limit: the server has checked its connections many times over.
      await settle(3000);

      const { createArticle } = dataOf<{ createArticle: { id: string } }>(await t.gql(`mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }`, { input: { title: STORY, body: "Isi berita." } }, editor));
      dataOf(await t.gql(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id: createArticle.id }, editor));
      const [pushed] = await sub.waitFor(1);
      expect(pushed!.data?.articlePublished.article.title).toBe(STORY);
    });
  });

  describe("settings", () => {
    it("defaults to limits that cut slowloris within seconds and leave readers' browsers room", () => {
      const config = loadConfig({});
      expect([config.http.headersTimeoutMs, config.http.requestTimeoutMs, config.http.keepAliveTimeoutMs]).toEqual([10_000, 30_000, 65_000]);
      expect([config.http.maxConnections, config.http.maxConnectionsPerAddress]).toEqual([16_000, 64]);
    });

    it("refuses a headers limit longer than the whole request's, naming both", () => {
      const both = (headers: number, request: number) => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: String(headers), HTTP_REQUEST_TIMEOUT_MS: String(request) });
      expect(() => both(20_001, 20_000)).toThrow(ConfigError);
      expect(() => both(20_001, 20_000)).toThrow(/HTTP_HEADERS_TIMEOUT_MS \(20001\) must not be longer than HTTP_REQUEST_TIMEOUT_MS \(20000\)/);
      expect(both(20_000, 20_000).http.headersTimeoutMs).toBe(20_000);
      // Each alone, at the far end of its range, fits the other's default.
      expect(loadConfig({ HTTP_HEADERS_TIMEOUT_MS: "30000" }).http.headersTimeoutMs).toBe(30_000);
      expect(loadConfig({ HTTP_REQUEST_TIMEOUT_MS: "10000" }).http.requestTimeoutMs).toBe(10_000);
      expect(() => loadConfig({ HTTP_MAX_CONNECTIONS_PER_ADDRESS: "0" })).toThrow(/HTTP_MAX_CONNECTIONS_PER_ADDRESS must be an integer from 1 to 1000000, got '0'/);
    });

    it("warns at start when HTTP_MAX_CONNECTIONS leaves too few of the process's descriptors for the rest", async () => {
      const limit = Number(/^Max open files\s+(\d+)/m.exec(fs.readFileSync("/proc/self/limits", "utf8"))![1]);
      const warningsAt = async (maxConnections: number) => {
        const lines: Array<{ level: number; msg: string }> = [];
        const sink = new Writable({
          write(chunk: Buffer, _encoding, done) {
            for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
            done();
          },
        });
        t = await startTestServer({ seed: false, config: { http: { maxConnections: maxConnections } }, logger: createLogger("warn", sink) });
        await t.close();
        t = undefined;
        return lines.filter((line) => line.level === 40 && line.msg.startsWith("HTTP_MAX_CONNECTIONS")).map((line) => line.msg);
      };
      expect(await warningsAt(limit - 256)).toEqual([]);
      expect(await warningsAt(limit - 255)).toEqual([expect.stringContaining(`HTTP_MAX_CONNECTIONS (${limit - 255}) leaves fewer than 256 of the process's ${limit} file descriptors`)]);
    });
  });
});
