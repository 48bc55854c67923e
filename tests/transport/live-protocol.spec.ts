import "reflect-metadata";
import http from "node:http";
import WebSocket from "ws";
import { startServerProcess } from "../helpers/process";
import { startTestServer, tempSqliteFile } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import { connect, wsUrl } from "../helpers/ws";

/** A raw graphql-transport-ws socket: what a misbehaving client does, and how the server answers. */
class RawSocket {
  readonly messages: Array<Record<string, unknown>> = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly socket: WebSocket;

  constructor(url: string, options: WebSocket.ClientOptions = {}) {
    this.socket = new WebSocket(url, "graphql-transport-ws", options);
    this.socket.on("message", (data) => this.messages.push(JSON.parse(String(data))));
    this.closed = new Promise((resolve) => this.socket.on("close", (code, reason) => resolve({ code, reason: String(reason) })));
  }

  async open(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.socket.once("open", () => resolve());
      this.socket.once("error", reject);
    });
    return this;
  }

  send(message: Record<string, unknown> | string): void {
    this.socket.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  async init(payload: Record<string, unknown> = {}): Promise<void> {
    this.send({ type: "connection_init", payload });
    await this.waitFor((m) => m.type === "connection_ack");
  }

  async waitFor(predicate: (m: Record<string, unknown>) => boolean, timeoutMs = 3000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such message; got ${JSON.stringify(this.messages)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): Promise<void> {
    this.socket.terminate();
    return Promise.resolve();
  }
}

const SUBSCRIBE = (id: string) => ({ id, type: "subscribe", payload: { query: "subscription { articlePublished { cursor } }" } });

describe("graphql-ws protocol hygiene", () => {
  let t: TestServer;
  const sockets: RawSocket[] = [];
  const raw = async (options?: WebSocket.ClientOptions) => {
    const socket = await new RawSocket(wsUrl(t.server.port), options).open();
    sockets.push(socket);
    return socket;
  };
  beforeAll(async () => {
    t = await startTestServer({ seed: false, config: { websocket: { initTimeoutMs: 300, maxSubscriptionsPerConnection: 3, maxMessageBytes: 4096, keepAliveMs: 200 } } });
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) await socket.close();
  });
  afterAll(async () => {
    await t.close();
  });

  it("closes with 4408 when connection_init does not come in time", async () => {
    const socket = await raw();
    expect((await socket.closed).code).toBe(4408);
  });

  it("closes with 4401 on a subscribe before connection_init", async () => {
    const socket = await raw();
    socket.send(SUBSCRIBE("early"));
    expect((await socket.closed).code).toBe(4401);
  });

  it("closes with 4409 on a second subscription with an id already in use", async () => {
    const socket = await raw();
    await socket.init();
    socket.send(SUBSCRIBE("same"));
    socket.send(SUBSCRIBE("same"));
    expect((await socket.closed).code).toBe(4409);
  });

  it("closes with 4403 when connection_init carries an invalid token", async () => {
    const socket = await raw();
    socket.send({ type: "connection_init", payload: { authorization: "Bearer nwr_tidak-ada" } });
    expect((await socket.closed).code).toBe(4403);
  });

  it("refuses subscriptions past the per-connection cap, and allows one again after a complete", async () => {
    const socket = await raw();
    await socket.init();
    for (const id of ["1", "2", "3", "4"]) socket.send(SUBSCRIBE(id));
    const refused = await socket.waitFor((m) => m.id === "4" && m.type === "error");
    expect(JSON.stringify(refused)).toContain("3 subscriptions");
    expect(socket.messages.filter((m) => m.type === "error" && m.id !== "4")).toEqual([]);
    socket.send({ id: "1", type: "complete" });
    await new Promise((r) => setTimeout(r, 100));
    socket.send(SUBSCRIBE("5"));
    await new Promise((r) => setTimeout(r, 200));
    expect(socket.messages.filter((m) => m.id === "5" && m.type === "error")).toEqual([]);
  });

  it("closes with 1009 on a message larger than the limit", async () => {
    const socket = await raw();
    await socket.init();
    socket.send({ id: "big", type: "subscribe", payload: { query: `subscription { articlePublished { cursor } } # ${"x".repeat(5000)}` } });
    expect((await socket.closed).code).toBe(1009);
  });

  it("pings, and drops a client that stops answering", async () => {
    const answering = await raw();
    let pings = 0;
    answering.socket.on("ping", () => pings++);
    await answering.init();
    const silent = await raw({ autoPong: false });
    await silent.init();
    const closed = await silent.closed;
    expect(closed.code).toBe(1006);
    expect(pings).toBeGreaterThanOrEqual(1);
    expect(answering.socket.readyState).toBe(WebSocket.OPEN);
  });

  it("answers ping messages of the protocol with pong", async () => {
    const socket = await raw();
    await socket.init();
    socket.send({ type: "ping" });
    await socket.waitFor((m) => m.type === "pong");
  });
});

describe("shutdown", () => {
  it("closes live sockets with 1001 when the server stops", async () => {
    const t = await startTestServer({ seed: false });
    const client = connect(t.server.port);
    const sub = client.subscribe("subscription { articlePublished { cursor } }");
    while (t.server.stats.activeSubscriptions < 1) await new Promise((r) => setTimeout(r, 10));
    await t.close();
    const ended = (await sub.ended) as { code?: number };
    expect(ended.code).toBe(1001);
    await client.close();
  });

  it("on SIGTERM stops accepting, lets a request in flight finish, closes sockets with 1001 and exits 0", async () => {
    const server = await startServerProcess({ SQLITE_FILE: tempSqliteFile() });
    const socket = await new RawSocket(`ws://127.0.0.1:${server.port}/graphql`).open();
    await socket.init();
    socket.send(SUBSCRIBE("live"));
    // A request in flight for certain: its headers and half its body reach the server before the
    // signal, the rest after it. (A request merely sent before the signal may still sit unread in
    // the kernel, and a server that stops closes such connections as idle.)
    const body = JSON.stringify({ query: "{ articles(first: 100) { nodes { title paragraphs institutions { name } quotes { text } } } }" });
    const request = http.request(server.url, { method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } });
    const inFlight = new Promise<{ status: number; text: string }>((resolve, reject) => {
      request.on("response", (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      });
      request.on("error", reject);
    });
    request.write(body.slice(0, 40));
    await new Promise((r) => setTimeout(r, 300));
    const exit = server.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 100));
    request.end(body.slice(40));
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect((JSON.parse(response.text) as { data: { articles: { nodes: unknown[] } } }).data.articles.nodes).toHaveLength(1);
    expect((await socket.closed).code).toBe(1001);
    expect(await exit).toBe(0);
    await expect(fetch(server.url)).rejects.toThrow();
  }, 60_000);
});
