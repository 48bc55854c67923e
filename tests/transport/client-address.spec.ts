import "reflect-metadata";
import { createClient } from "graphql-ws";
import type { Client, FormattedExecutionResult } from "graphql-ws";
import WebSocket from "ws";
import { toGlobalId } from "../../src/kernel/ids";
import { ConfigError, loadConfig } from "../../src/config";
import { startServerProcess } from "../helpers/process";
import { addStory } from "../helpers/scenarios";
import { startTestServer, tempSqliteFile } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import { wsUrl } from "../helpers/ws";

const ADD = `mutation Add($input: AddCommentInput!) { addComment(input: $input) { id } }`;
const LIMIT = 5;
/** Written by the one trusted proxy in front: the address it saw the client connect from. */
const PROXY_SAW = "203.0.113.7";

describe("TRUST_PROXY", () => {
  const trustProxy = (value: string) => loadConfig({ TRUST_PROXY: value }).http.trustProxy;

  it.each(["true", "TRUE", "yes", "on"])("refuses %s, saying why and what to set instead", (value) => {
    expect(() => trustProxy(value)).toThrow(ConfigError);
    expect(() => trustProxy(value)).toThrow(/TRUST_PROXY.*leftmost X-Forwarded-For.*client.*hop count.*address/is);
  });

  it("takes a hop count, or a list of addresses, subnets and proxy-addr's names", () => {
    expect(trustProxy("1")).toBe(1);
    expect(trustProxy("2")).toBe(2);
    expect(trustProxy("loopback, 10.0.0.0/8,fd00::1 , uniquelocal")).toEqual(["loopback", "10.0.0.0/8", "fd00::1", "uniquelocal"]);
    expect(trustProxy("192.168.1.0/255.255.255.0")).toEqual(["192.168.1.0/255.255.255.0"]);
  });

  it.each(["", "false", "0", "off"])("uses the socket address for %j", (value) => {
    expect(trustProxy(value)).toBe(false);
  });

  it.each(["proxy", "-1", "1.5", "101", "10.0.0.0/99", "300.1.1.1", "loopback,,10.0.0.1", "loopback;10.0.0.1"])("refuses %j naming the value", (value) => {
    expect(() => trustProxy(value)).toThrow(ConfigError);
    expect(() => trustProxy(value)).toThrow(new RegExp(`TRUST_PROXY.*'${value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}'`, "s"));
  });

  it("stops a server started with TRUST_PROXY=true", async () => {
    await expect(startServerProcess({ TRUST_PROXY: "true", SQLITE_FILE: tempSqliteFile(), SEED: "false" })).rejects.toThrow(/exited with 1[\s\S]*leftmost X-Forwarded-For/);
  });
});

/** A graphql-ws client whose upgrade request carries X-Forwarded-For, as it would behind a proxy. */
function forwardedClient(port: number, forwardedFor: string): Client {
  class Forwarded extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers: { "x-forwarded-for": forwardedFor } });
    }
  }
  return createClient({ url: wsUrl(port), webSocketImpl: Forwarded, retryAttempts: 0, lazy: true });
}

/** Runs one operation on a graphql-ws client and resolves with its result. */
function runOn(client: Client, query: string, variables: Record<string, unknown>): Promise<FormattedExecutionResult<Record<string, unknown>, unknown>> {
  return new Promise((resolve, reject) => {
    let result: FormattedExecutionResult<Record<string, unknown>, unknown> | undefined;
    client.subscribe(
      { query, variables },
      {
        next: (value) => (result = value),
        error: reject,
        complete: () => (result ? resolve(result) : reject(new Error("no result"))),
      },
    );
  });
}

/** "ok" for a stored comment, else the error's code. */
function outcome(result: FormattedExecutionResult<Record<string, unknown>, unknown>): string {
  return result.errors?.length ? String(result.errors[0]!.extensions?.code) : "ok";
}

describe("the comment limit behind one trusted proxy (TRUST_PROXY=1)", () => {
  let t: TestServer;
  const clients: Client[] = [];
  let storyNumber = 0;
  beforeAll(async () => {
    t = await startTestServer({ seed: false, config: { http: { trustProxy: 1 }, comments: { rateLimit: LIMIT, rateWindowSeconds: 60 } } });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t.close();
  });

  /** A new story for each test, so each starts with fresh buckets. */
  const newStory = async () => {
    const { pk } = await t.server.db.transaction((em) => addStory(em, { title: `Cerita ${++storyNumber}` }));
    return { pk, id: toGlobalId("Article", pk) };
  };
  const input = (articleId: string) => ({ input: { articleId, authorName: "Pembaca", authorEmail: "pembaca@contoh.id", body: "Komentar." } });
  const overHttp = async (articleId: string, forwardedFor: string) => outcome((await t.gql(ADD, input(articleId), { "x-forwarded-for": forwardedFor })).body);
  const overWs = async (articleId: string, forwardedFor: string) => {
    const client = forwardedClient(t.server.port, forwardedFor);
    clients.push(client);
    return outcome(await runOn(client, ADD, input(articleId)));
  };
  const stored = async (articlePk: number) => Number((await t.server.db.reader.query(`SELECT COUNT(*) AS n FROM comment WHERE article_id = ${articlePk}`))[0].n);

  it("over HTTP counts the proxy-written hop, whatever the client wrote to its left", async () => {
    const story = await newStory();
    const outcomes: string[] = [];
    for (let i = 0; i < LIMIT + 2; i++) outcomes.push(await overHttp(story.id, `10.9.9.${i}, ${PROXY_SAW}`));
    expect(outcomes).toEqual([...Array<string>(LIMIT).fill("ok"), "RATE_LIMITED", "RATE_LIMITED"]);
    expect(await stored(story.pk)).toBe(LIMIT);
    // Another client behind the same proxy has its own allowance.
    expect(await overHttp(story.id, "198.51.100.20")).toBe("ok");
  });

  it("over WebSocket gives two clients behind the same proxy separate buckets", async () => {
    const story = await newStory();
    for (let i = 0; i < LIMIT; i++) expect(await overWs(story.id, "198.51.100.1")).toBe("ok");
    expect(await overWs(story.id, "198.51.100.1")).toBe("RATE_LIMITED");
    // Same socket address (the proxy's), another forwarded client: not limited.
    expect(await overWs(story.id, "198.51.100.2")).toBe("ok");
  });

  it("over WebSocket ignores what the client wrote left of the proxy's entry", async () => {
    const story = await newStory();
    const outcomes: string[] = [];
    for (let i = 0; i < LIMIT + 2; i++) outcomes.push(await overWs(story.id, `10.8.8.${i}, ${PROXY_SAW}`));
    expect(outcomes).toEqual([...Array<string>(LIMIT).fill("ok"), "RATE_LIMITED", "RATE_LIMITED"]);
    expect(await stored(story.pk)).toBe(LIMIT);
  });

  it("counts one client in one bucket across HTTP and WebSocket", async () => {
    const story = await newStory();
    const outcomes: string[] = [];
    for (let i = 0; i < LIMIT + 2; i++) outcomes.push(await (i % 2 === 0 ? overHttp : overWs)(story.id, `10.7.7.${i}, ${PROXY_SAW}`));
    expect(outcomes).toEqual([...Array<string>(LIMIT).fill("ok"), "RATE_LIMITED", "RATE_LIMITED"]);
    expect(await stored(story.pk)).toBe(LIMIT);
  });
});

describe("the comment limit behind listed proxies (TRUST_PROXY=loopback,10.0.0.0/8)", () => {
  let t: TestServer;
  const clients: Client[] = [];
  beforeAll(async () => {
    t = await startTestServer({ seed: false, config: { http: { trustProxy: ["loopback", "10.0.0.0/8"] }, comments: { rateLimit: LIMIT, rateWindowSeconds: 60 } } });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t.close();
  });

  it("counts the right-most hop outside the listed ones, on both transports", async () => {
    const story = toGlobalId("Article", (await t.server.db.transaction((em) => addStory(em, { title: "Dua proksi" }))).pk);
    const input = { input: { articleId: story, authorName: "Pembaca", authorEmail: "pembaca@contoh.id", body: "Komentar." } };
    const outcomes: string[] = [];
    for (let i = 0; i < LIMIT + 2; i++) {
      // Client-written entry, then the client as the outer proxy saw it, then that proxy as the inner (loopback) one saw it.
      const forwardedFor = `192.0.2.${i}, 198.51.100.5, 10.1.1.${i}`;
      if (i % 2 === 0) outcomes.push(outcome((await t.gql(ADD, input, { "x-forwarded-for": forwardedFor })).body));
      else {
        const client = forwardedClient(t.server.port, forwardedFor);
        clients.push(client);
        outcomes.push(outcome(await runOn(client, ADD, input)));
      }
    }
    expect(outcomes).toEqual([...Array<string>(LIMIT).fill("ok"), "RATE_LIMITED", "RATE_LIMITED"]);
  });
});
