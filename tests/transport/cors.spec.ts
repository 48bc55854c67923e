import "reflect-metadata";
import fc from "fast-check";
import WebSocket from "ws";
import { mergeVary } from "../../src/kernel/vary";
import { ConfigError, DEFAULT_CORS_ALLOW_HEADERS, loadConfig } from "../../src/config";
import { metricOf, startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import { bearer, mintToken } from "../helpers/tokens";
import { wsUrl } from "../helpers/ws";
import { useTestServer } from "../helpers/fixture";

const ORIGIN = "https://koran.example";
/** What Apollo Client (with a name and version), an OpenTelemetry web tracer and Sentry's browser SDK add to a request. */
const BROWSER_HEADERS = ["content-type", "authorization", "apollographql-client-name", "apollographql-client-version", "traceparent", "tracestate", "baggage", "sentry-trace"];

const preflight = (t: TestServer, origin: string, headers: string[] = BROWSER_HEADERS) =>
  fetch(`http://127.0.0.1:${t.server.port}/graphql`, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": headers.join(",") },
  });
const post = (t: TestServer, origin: string) =>
  fetch(`http://127.0.0.1:${t.server.port}/graphql`, { method: "POST", headers: { origin, "content-type": "application/json" }, body: JSON.stringify({ query: "{ __typename }" }) });
const listed = (value: string | null) => (value ?? "").split(",").map((h) => h.trim().toLowerCase());

/** The two origins of the shared-cache tests, one origin not listed, and a request with none. */
const READER = "https://pembaca.example";
const PARTNER = "https://mitra.example";
const STRANGER = "https://asing.example";
const ORIGINS = [READER, PARTNER, STRANGER, null] as const;
type RequestOrigin = (typeof ORIGINS)[number];

/** A request's headers with its Origin, when it has one. */
const fromOrigin = (origin: RequestOrigin, headers: Record<string, string> = {}): Record<string, string> => (origin === null ? headers : { ...headers, origin });

/**
 * What a shared cache needs to keep answers of a listed-origins server apart: every request
 * header the answer depends on named in Vary (Origin for CORS, Authorization and Accept for the
 * answer itself), each once. `what` names the answer in a failure.
 */
function expectVaryOn(res: Response, what: string, names: string[] = ["origin", "authorization", "accept"]): void {
  const vary = listed(res.headers.get("vary"));
  expect([what, vary]).toEqual([what, expect.arrayContaining(names)]);
  expect([what, vary.length]).toEqual([what, new Set(vary).size]);
}

/** Opens a graphql-transport-ws socket (with `origin` as its Origin header, or none) and says how the upgrade went. */
function upgrade(port: number, origin?: string): Promise<{ status: number; body: string } | "acknowledged"> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(port), "graphql-transport-ws", origin === undefined ? {} : { origin });
    socket.once("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, body }));
    });
    socket.once("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: {} })));
    socket.on("message", (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type !== "connection_ack") return;
      socket.close(1000);
      resolve("acknowledged");
    });
    socket.once("error", reject);
  });
}

/** Who the server takes a socket's client for: `{ me { role } }` over a socket opened with `headers` and initialised with `init`. */
function roleOverSocket(port: number, headers: Record<string, string>, init: Record<string, unknown>): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(port), "graphql-transport-ws", { headers });
    socket.once("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: init })));
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as { type: string; payload?: { data?: { me: { role: string } | null } } };
      if (message.type === "connection_ack") socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: "{ me { role } }" } }));
      if (message.type === "next") {
        socket.close(1000);
        resolve(message.payload?.data?.me?.role ?? null);
      }
    });
    socket.once("error", reject);
    socket.once("close", (code) => reject(new Error(`closed with ${code} before an answer`)));
  });
}

describe("CORS for browsers' GraphQL clients", () => {
  const t = useTestServer({ seed: false, config: { cors: { origins: [ORIGIN], maxAgeSeconds: 900 } } });

  it("answers a preflight carrying Apollo's client awareness and tracing headers with 204, all of them allowed, cached for CORS_MAX_AGE", async () => {
    const res = await preflight(t, ORIGIN);
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(listed(res.headers.get("access-control-allow-headers"))).toEqual(expect.arrayContaining(BROWSER_HEADERS));
    expect(listed(res.headers.get("access-control-allow-methods"))).toEqual(expect.arrayContaining(["get", "post"]));
    expect(res.headers.get("access-control-max-age")).toBe("900");
    // No cookies exist here, so a browser is never told to send them.
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("lets the page read X-Request-Id of a cross-origin answer", async () => {
    const res = await post(t, ORIGIN);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(listed(res.headers.get("access-control-expose-headers"))).toContain("x-request-id");
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("admits exactly the listed origin, not its neighbours", async () => {
    const neighbours = ["https://koran.example.evil", "http://koran.example", "https://sub.koran.example", "https://koran.example:8443", "https://koran.exampl", "null"];
    for (const origin of neighbours) {
      expect([origin, (await preflight(t, origin)).headers.get("access-control-allow-origin")]).toEqual([origin, null]);
      expect([origin, (await post(t, origin)).headers.get("access-control-allow-origin")]).toEqual([origin, null]);
    }
    expect((await preflight(t, ORIGIN)).headers.get("access-control-allow-origin")).toBe(ORIGIN);
  });

  it("allows the extra headers CORS_ALLOW_HEADERS names, besides the defaults, and no others", async () => {
    const config = loadConfig({ CORS_ORIGINS: ORIGIN, CORS_ALLOW_HEADERS: "X-Newsroom-Edition, x-ab-test" });
    expect(config.cors.allowHeaders).toEqual([...DEFAULT_CORS_ALLOW_HEADERS, "x-newsroom-edition", "x-ab-test"]);
    const extra = await startTestServer({ seed: false, config: { cors: { origins: config.cors.origins, allowHeaders: config.cors.allowHeaders } } });
    try {
      const allowed = listed((await preflight(extra, ORIGIN, ["x-newsroom-edition"])).headers.get("access-control-allow-headers"));
      expect(allowed).toEqual(expect.arrayContaining(["x-newsroom-edition", "x-ab-test", ...BROWSER_HEADERS]));
      expect(allowed).not.toContain("x-unlisted");
      expect(listed((await preflight(t, ORIGIN)).headers.get("access-control-allow-headers"))).not.toContain("x-newsroom-edition");
    } finally {
      await extra.close();
    }
  });

  it("sends no CORS headers at all without CORS_ORIGINS", async () => {
    const none = await startTestServer({ seed: false });
    try {
      const res = await preflight(none, ORIGIN);
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect(res.headers.get("access-control-max-age")).toBeNull();
    } finally {
      await none.close();
    }
  });
});

describe("CORS answers a shared cache keeps apart, with two listed origins", () => {
  let t: TestServer;
  let base: string;
  const getUrl = (query: string) => `${base}/graphql?query=${encodeURIComponent(query)}`;
  const postQuery = (query: string, origin: RequestOrigin) =>
    fetch(`${base}/graphql`, { method: "POST", headers: fromOrigin(origin, { "content-type": "application/json" }), body: JSON.stringify({ query }) });
  const hits = () => metricOf(t, "response_cache_hits_total");

  beforeAll(async () => {
    t = await startTestServer({ seed: true, config: { cors: { origins: [READER, PARTNER] } } });
    base = `http://127.0.0.1:${t.server.port}`;
  });
  afterAll(async () => {
    await t?.close();
  });

  it("says Vary: Origin beside Authorization and Accept on a GET computed, hit before Express, hit after the policy, and 304", async () => {
    const url = getUrl("{ articles(first: 2) { nodes { title } } }");
    const computed = await fetch(url, { headers: { origin: READER } });
    expect(computed.headers.get("cache-control")).toMatch(/^public, /);
    expect(computed.headers.get("access-control-allow-origin")).toBe(READER);
    expectVaryOn(computed, "computed GET");
    // The response cache keeps an answer from its second sighting on.
    const stored = await fetch(url, { headers: { origin: READER } });
    expectVaryOn(stored, "GET stored");
    const etag = stored.headers.get("etag")!;

    // The same spelling is answered before Express; another origin's request gets its own header.
    let before = await hits();
    const early = await fetch(url, { headers: { origin: PARTNER } });
    expect(await hits()).toBe(before + 1);
    expect(early.headers.get("access-control-allow-origin")).toBe(PARTNER);
    expectVaryOn(early, "GET hit before Express");
    const anonymous = await fetch(url);
    expect(anonymous.headers.get("access-control-allow-origin")).toBeNull();
    expectVaryOn(anonymous, "GET hit without Origin");

    // Another Accept spelling of the same media type is new to the early path: hit after the policy.
    before = await hits();
    const late = await fetch(url, { headers: { origin: PARTNER, accept: "application/json, */*;q=0.5" } });
    expect(await hits()).toBe(before + 1);
    expect(late.headers.get("etag")).toBe(etag);
    expectVaryOn(late, "GET hit after the policy");

    for (const [what, headers] of [
      ["304 before Express", { origin: READER }],
      ["304 after the policy", { origin: READER, accept: "application/json, */*;q=0.2" }],
    ] as const) {
      const revalidated = await fetch(url, { headers: { ...headers, "if-none-match": etag } });
      expect([what, revalidated.status]).toEqual([what, 304]);
      expect([what, revalidated.headers.get("access-control-allow-origin")]).toEqual([what, READER]);
      expectVaryOn(revalidated, what);
    }
  });

  it("says it on a POST computed and on its repeat answered before Express, and on a refusal", async () => {
    const query = "{ tags { name } }";
    const computed = await postQuery(query, PARTNER);
    expect(computed.status).toBe(200);
    expectVaryOn(computed, "computed POST");
    // The response cache keeps an answer from its second sighting on.
    expectVaryOn(await postQuery(query, PARTNER), "POST stored");
    const before = await hits();
    const repeat = await postQuery(query, READER);
    expect(await hits()).toBe(before + 1);
    expect(repeat.headers.get("access-control-allow-origin")).toBe(READER);
    expectVaryOn(repeat, "POST hit before Express");
    const refused = await fetch(getUrl("{ tags { name "), { headers: { origin: READER } });
    expect(refused.status).toBe(400);
    expect(refused.headers.get("access-control-allow-origin")).toBe(READER);
    expectVaryOn(refused, "refused GET", ["origin"]);
  });

  it("says Vary: Origin on the ticker's page and files, their 304, and /healthz", async () => {
    for (const path of ["/live", "/live/ticker.js", "/live/ticker.css", "/healthz"]) {
      const res = await fetch(`${base}${path}`, { headers: { origin: PARTNER } });
      expect([path, res.status, res.headers.get("access-control-allow-origin")]).toEqual([path, 200, PARTNER]);
      expectVaryOn(res, path, ["origin"]);
    }
    const etag = (await fetch(`${base}/live/ticker.js`)).headers.get("etag")!;
    const revalidated = await fetch(`${base}/live/ticker.js`, { headers: { origin: READER, "if-none-match": etag } });
    expect(revalidated.status).toBe(304);
    expectVaryOn(revalidated, "ticker.js 304", ["origin"]);
  });

  it("gives every request in any order of origins and repeats exactly the header its own origin deserves", async () => {
    const queries = ["{ institutions(first: 1) { nodes { name } } }", "{ people(first: 1) { nodes { name } } }", "{ articles(first: 1) { nodes { slug } } }"];
    const request = fc.record({
      origin: fc.constantFrom(...ORIGINS),
      query: fc.constantFrom(...queries),
      method: fc.constantFrom("GET", "POST"),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 8 }), async (sequence) => {
        for (const { origin, query, method } of sequence) {
          const res = method === "GET" ? await fetch(getUrl(query), { headers: fromOrigin(origin) }) : await postQuery(query, origin);
          await res.arrayBuffer();
          const deserved = origin === READER || origin === PARTNER ? origin : null;
          expect([method, origin, res.status, res.headers.get("access-control-allow-origin")]).toEqual([method, origin, 200, deserved]);
          expectVaryOn(res, `${method} from ${origin}`);
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe("mergeVary", () => {
  it("adds names to a Vary value once each, compared without case, the first spelling kept; * swallows the rest", () => {
    expect(mergeVary("Origin", "authorization, Accept")).toBe("Origin, authorization, Accept");
    expect(mergeVary(["Origin", "accept"], " ORIGIN ,Accept,, Authorization")).toBe("Origin, accept, Authorization");
    expect(mergeVary(undefined, "Authorization, Accept")).toBe("Authorization, Accept");
    expect(mergeVary("Origin", "*", "Accept")).toBe("*");
  });
});

describe("CORS_ORIGINS=*", () => {
  it("answers every origin with the constant *, so the answer does not depend on Origin and a shared cache keeps one copy", async () => {
    const t = await startTestServer({ seed: false, config: { cors: { origins: ["*"] } } });
    try {
      const url = `http://127.0.0.1:${t.server.port}/graphql?query=${encodeURIComponent("{ tags { name } }")}`;
      for (const origin of ORIGINS) {
        for (const res of [await fetch(url, { headers: fromOrigin(origin) }), await preflight(t, origin ?? READER)]) {
          expect([origin, res.headers.get("access-control-allow-origin")]).toEqual([origin, "*"]);
          expect([origin, listed(res.headers.get("vary"))]).toEqual([origin, expect.not.arrayContaining(["origin"])]);
        }
      }
    } finally {
      await t.close();
    }
  });
});

describe("CORS and WebSocket origin settings", () => {
  it("reads the defaults: the browser headers, a two-hour preflight cache, WebSockets from any origin", () => {
    const config = loadConfig({});
    expect(config.cors.origins).toEqual([]);
    expect(config.cors.allowHeaders).toEqual(expect.arrayContaining(BROWSER_HEADERS));
    expect(config.cors.maxAgeSeconds).toBe(7200);
    expect(config.websocket.origins).toBeNull();
    expect(loadConfig({ WS_ORIGINS: " " }).websocket.origins).toBeNull();
    expect(loadConfig({ WS_ORIGINS: "https://koran.example, http://localhost:5173" }).websocket.origins).toEqual(["https://koran.example", "http://localhost:5173"]);
    expect(loadConfig({ CORS_ORIGINS: "*" }).cors.origins).toEqual(["*"]);
  });

  it("refuses an origin no browser would send, naming it and the origin meant", () => {
    expect(() => loadConfig({ CORS_ORIGINS: "https://koran.example/" })).toThrow(ConfigError);
    expect(() => loadConfig({ CORS_ORIGINS: "https://koran.example/" })).toThrow(/CORS_ORIGINS .*'https:\/\/koran\.example\/'; did you mean 'https:\/\/koran\.example'\?/);
    expect(() => loadConfig({ WS_ORIGINS: "https://Koran.Example" })).toThrow(/WS_ORIGINS .*did you mean 'https:\/\/koran\.example'/);
    expect(() => loadConfig({ WS_ORIGINS: "*" })).toThrow(/WS_ORIGINS must list origins/);
    expect(() => loadConfig({ CORS_ORIGINS: "koran.example" })).toThrow(/CORS_ORIGINS must list origins .* got 'koran\.example'$/);
    expect(() => loadConfig({ CORS_ORIGINS: "ftp://koran.example" })).toThrow(/got 'ftp:\/\/koran\.example'/);
  });

  it("refuses a header list or preflight cache time that cannot work", () => {
    expect(() => loadConfig({ CORS_ALLOW_HEADERS: "x-ok, x bad" })).toThrow(/CORS_ALLOW_HEADERS must be .* got 'x bad'/);
    expect(() => loadConfig({ CORS_MAX_AGE: "86401" })).toThrow(/CORS_MAX_AGE must be an integer from 0 to 86400, got '86401'/);
    expect(loadConfig({ CORS_MAX_AGE: "86400" }).cors.maxAgeSeconds).toBe(86_400);
    expect(loadConfig({ CORS_MAX_AGE: "0" }).cors.maxAgeSeconds).toBe(0);
  });
});

describe("WebSocket origins", () => {
  it("with WS_ORIGINS, admits a page of the listed origin and clients without Origin, and answers any other origin 403 at the upgrade", async () => {
    const t = await startTestServer({ seed: false, config: { websocket: { origins: [ORIGIN] } } });
    try {
      expect(await upgrade(t.server.port, ORIGIN)).toBe("acknowledged");
      // Server-side clients (and the tests) send no Origin; only browsers do, and always.
      expect(await upgrade(t.server.port)).toBe("acknowledged");
      // A page of this server's own host (the ticker at /live) connects back to it; the same address on another port is another origin.
      expect(await upgrade(t.server.port, `http://127.0.0.1:${t.server.port}`)).toBe("acknowledged");
      for (const origin of ["https://jahat.example", "https://koran.example.evil", "http://koran.example", "https://koran.example:8443", "null", `http://127.0.0.1:${t.server.port + 1}`]) {
        expect([origin, await upgrade(t.server.port, origin)]).toEqual([origin, { status: 403, body: "This origin may not open a WebSocket here." }]);
      }
      // Refused before any socket existed, and counted like every refusal.
      expect(t.server.stats.openConnections).toBe(0);
      const metrics = await (await fetch(`http://127.0.0.1:${t.server.port}/metrics`)).text();
      expect(metrics).toMatch(/graphql_operations_refused_total\{transport="websocket",code="FORBIDDEN"\} 6\n/);
    } finally {
      await t.close();
    }
  });

  it("without WS_ORIGINS, admits every origin: the upgrade's headers carry no credential", async () => {
    const t = await startTestServer({ seed: false });
    try {
      for (const origin of [ORIGIN, "https://jahat.example", "null"]) expect(await upgrade(t.server.port, origin)).toBe("acknowledged");
      expect(await upgrade(t.server.port)).toBe("acknowledged");
      // What a browser would attach to a foreign page's upgrade (cookies, HTTP authentication)
      // makes nobody an editor; only a token the page itself puts into connection_init does.
      const token = await mintToken(t, "EDITOR");
      const ambient = { origin: "https://jahat.example", cookie: `token=${token}`, ...bearer(token) };
      expect(await roleOverSocket(t.server.port, ambient, {})).toBeNull();
      expect(await roleOverSocket(t.server.port, { origin: ORIGIN }, bearer(token))).toBe("EDITOR");
    } finally {
      await t.close();
    }
  });
});
