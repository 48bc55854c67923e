import "reflect-metadata";
import WebSocket from "ws";
import { ConfigError, DEFAULT_CORS_ALLOW_HEADERS, loadConfig } from "../src/config";
import { startTestServer } from "./helpers/server";
import type { TestServer } from "./helpers/server";
import { bearer, mintToken } from "./helpers/tokens";
import { wsUrl } from "./helpers/ws";

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
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ seed: false, config: { corsOrigins: [ORIGIN], corsMaxAgeSeconds: 900 } });
  });
  afterAll(async () => {
    await t?.close();
  });

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
    expect(config.corsAllowHeaders).toEqual([...DEFAULT_CORS_ALLOW_HEADERS, "x-newsroom-edition", "x-ab-test"]);
    const extra = await startTestServer({ seed: false, config: { corsOrigins: config.corsOrigins, corsAllowHeaders: config.corsAllowHeaders } });
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

describe("CORS and WebSocket origin settings", () => {
  it("reads the defaults: the browser headers, a two-hour preflight cache, WebSockets from any origin", () => {
    const config = loadConfig({});
    expect(config.corsOrigins).toEqual([]);
    expect(config.corsAllowHeaders).toEqual(expect.arrayContaining(BROWSER_HEADERS));
    expect(config.corsMaxAgeSeconds).toBe(7200);
    expect(config.wsOrigins).toBeNull();
    expect(loadConfig({ WS_ORIGINS: " " }).wsOrigins).toBeNull();
    expect(loadConfig({ WS_ORIGINS: "https://koran.example, http://localhost:5173" }).wsOrigins).toEqual(["https://koran.example", "http://localhost:5173"]);
    expect(loadConfig({ CORS_ORIGINS: "*" }).corsOrigins).toEqual(["*"]);
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
    expect(loadConfig({ CORS_MAX_AGE: "86400" }).corsMaxAgeSeconds).toBe(86_400);
    expect(loadConfig({ CORS_MAX_AGE: "0" }).corsMaxAgeSeconds).toBe(0);
  });
});

describe("WebSocket origins", () => {
  it("with WS_ORIGINS, admits a page of the listed origin and clients without Origin, and answers any other origin 403 at the upgrade", async () => {
    const t = await startTestServer({ seed: false, config: { wsOrigins: [ORIGIN] } });
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
