import "reflect-metadata";
import http from "node:http";
import fc from "fast-check";
import { MAX_QUERY_PARAMETERS } from "../../src/transport/http-request";
import { addStory } from "../helpers/scenarios";
import { startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import { capturingLogger } from "../helpers/logs";

/*
 * A request is read once: the operation policy prices and keys exactly what Apollo then runs.
 * Express's query-string parser stopped at 1,000 parameters (empty `&` segments counted) while
 * Apollo read the whole URL again, so variables after 1,000 `&` were run but never priced, and
 * the answer computed with them was cached under the key of the request without them.
 */

type Answer = { status: number; body: { data?: { articles: { nodes: unknown[] } } | null; errors?: Array<{ message: string; extensions?: { code?: string } }> }; headers: Headers };

/** A request sent byte for byte as given (fetch would normalise the URL), and its answer. */
function sendRaw(port: number, request: { method: string; path: string; headers: Record<string, string>; body?: string; chunked?: boolean }): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers = { ...request.headers };
    if (request.body !== undefined && !request.chunked) headers["content-length"] = String(Buffer.byteLength(request.body));
    const req = http.request({ host: "127.0.0.1", port, method: request.method, path: request.path, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    if (request.body !== undefined && request.chunked) {
      req.write(request.body.slice(0, 5));
      req.end(request.body.slice(5));
    } else req.end(request.body);
  });
}

/** How a generated request spells a value in its query string; each decodes to the same text. */
type UrlEncoding = "standard" | "plus" | "minimal" | "lowercase" | "every";
const pct = (bytes: Buffer) => [...bytes].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");
function urlEncode(text: string, how: UrlEncoding): string {
  switch (how) {
    case "standard":
      return encodeURIComponent(text);
    case "plus":
      return encodeURIComponent(text).replace(/%20/g, "+");
    case "minimal":
      // Only what would end the value or change its meaning; braces, quotes, `$`, `:` and `;` travel raw.
      return text.replace(/[%&+# ]/g, (c) => (c === " " ? "+" : pct(Buffer.from(c))));
    case "lowercase":
      return encodeURIComponent(text).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
    case "every":
      return pct(Buffer.from(text, "utf8"));
  }
}

/** A JSON string literal with some characters written as `\uXXXX` escapes (`pick` says which). */
function jsonString(text: string, pick: (index: number) => boolean): string {
  return `"${[...text].map((c, i) => (pick(i) ? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}` : JSON.stringify(c).slice(1, -1))).join("")}"`;
}

/** How a generated request carries the variables; all but `n` mean "none" (the default, 1). */
type VariablesSpelling = { kind: "absent" | "emptyObject" | "null" | "emptyText" } | { kind: "n"; n: number; form: "plain" | "spaced" | "float" | "exponent" };
function variablesText(v: VariablesSpelling): string | undefined {
  switch (v.kind) {
    case "absent":
      return undefined;
    case "emptyObject":
      return "{}";
    case "null":
      return "null";
    case "emptyText":
      return "";
    case "n":
      return { plain: `{"n":${v.n}}`, spaced: `{ "n" : ${v.n} }`, float: `{"n":${v.n}.0}`, exponent: `{"n":${v.n * 10}e-1}` }[v.form];
  }
}

const variablesSpelling: fc.Arbitrary<VariablesSpelling> = fc.oneof(
  fc.constantFrom<VariablesSpelling>({ kind: "absent" }, { kind: "emptyObject" }, { kind: "null" }, { kind: "emptyText" }),
  fc.record({ kind: fc.constant("n" as const), n: fc.integer({ min: 1, max: 12 }), form: fc.constantFrom("plain" as const, "spaced" as const, "float" as const, "exponent" as const) }),
  fc.record({ kind: fc.constant("n" as const), n: fc.integer({ min: 1, max: 12 }), form: fc.constant("plain" as const) }),
);

/** A generated GET: which parameters, in what order and spelling, padded (a little, or flooded), repeated or run together with `;`. */
const getShape = fc.record({
  method: fc.constant("GET" as const),
  variables: variablesSpelling,
  operationName: fc.constantFrom("absent", "absent", "right", "wrong"),
  order: fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
  encodings: fc.array(fc.constantFrom<UrlEncoding>("standard", "plus", "minimal", "lowercase", "every"), { minLength: 3, maxLength: 3 }),
  encodedName: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  padding: fc.array(fc.nat({ max: 20 }), { maxLength: 8 }),
  /** Where the 1,000 `&` of the report go, now and then. */
  flood: fc.option(fc.nat(), { freq: 10 }),
  repeat: fc.option(fc.record({ which: fc.nat(), at: fc.nat(), sameValue: fc.boolean() }), { freq: 5 }),
  semicolon: fc.option(fc.nat(), { freq: 8 }),
});

/** A generated POST: key order, whitespace, `\u` escapes, a repeated key (the last one counts), read early or by Express. */
const postShape = fc.record({
  method: fc.constant("POST" as const),
  variables: variablesSpelling,
  operationName: fc.constantFrom("absent", "absent", "right", "wrong"),
  order: fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
  space: fc.constantFrom("", " ", "\n  ", "\t"),
  escapes: fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }),
  decoy: fc.boolean(),
  chunked: fc.boolean(),
});
type Shape = (typeof getShape extends fc.Arbitrary<infer G> ? G : never) | (typeof postShape extends fc.Arbitrary<infer P> ? P : never);

/** Orders `items` by the generated keys (ties keep their order). */
function ordered<T>(items: T[], keys: number[]): T[] {
  return items.map((item, i) => ({ item, key: keys[i] ?? 0 })).sort((a, b) => a.key - b.key).map((x) => x.item);
}

/** What the server must do with a generated request: refuse it (and why), or run it with `n` stories. */
type Expected = { refused: "count" | "repeat" | "other" } | { refused?: undefined; n: number; variables: string | undefined };

/** The request a shape stands for, for the document `query`, and what the server must do with it. */
function build(shape: Shape, query: string, name: string): { request: { method: string; path: string; headers: Record<string, string>; body?: string; chunked?: boolean }; expected: Expected } {
  const variables = variablesText(shape.variables);
  const n = shape.variables.kind === "n" ? shape.variables.n : 1;
  const operationName = shape.operationName === "right" ? name : shape.operationName === "wrong" ? `${name}x` : undefined;
  const params: Array<[string, string]> = [["query", query]];
  if (variables !== undefined) params.push(["variables", variables]);
  if (operationName !== undefined) params.push(["operationName", operationName]);
  const runs: Expected = shape.operationName === "wrong" ? { refused: "other" } : { n, variables: shape.variables.kind === "n" ? `{"n":${n}}` : undefined };
  if (shape.method === "POST") {
    const sp = shape.space;
    const value = (key: string, text: string) => (key === "query" ? jsonString(text, (i) => shape.escapes[i % shape.escapes.length]!) : key === "operationName" ? JSON.stringify(text) : text === "" ? '""' : text);
    const members = ordered(params, shape.order).map(([key, text]) => `${sp}"${key}"${sp}:${sp}${value(key, text)}`);
    // A key given twice: JSON.parse keeps the last, and so must everything after it.
    if (shape.decoy && variables !== undefined) members.unshift(`${sp}"variables"${sp}:${sp}{"n":100}`);
    // In a body, variables are an object: an empty string is not "none" there.
    const expected: Expected = shape.variables.kind === "emptyText" ? { refused: "other" } : runs;
    return { request: { method: "POST", path: "/graphql", headers: { "content-type": "application/json" }, body: `{${members.join(",")}${sp}}`, chunked: shape.chunked }, expected };
  }
  let segments = ordered(params, shape.order).map(([key, text], i) => `${shape.encodedName[i] ? urlEncode(key, "every") : key}=${urlEncode(text, shape.encodings[i]!)}`);
  let repeated = false;
  if (shape.repeat) {
    const [key, text] = params[shape.repeat.which % params.length]!;
    segments.splice(shape.repeat.at % (segments.length + 1), 0, `${key}=${urlEncode(shape.repeat.sameValue ? text : key === "variables" ? '{"n":12}' : `${text} `, "standard")}`);
    repeated = true;
  }
  let semicolon = false;
  if (shape.semicolon !== null) {
    // `;` separates nothing here: it runs two parameters together (or ends the last one's value), which no longer parses.
    const at = shape.semicolon % segments.length;
    segments = at + 1 < segments.length ? [...segments.slice(0, at), `${segments[at]};${segments[at + 1]}`, ...segments.slice(at + 2)] : [...segments.slice(0, at), `${segments[at]};`];
    semicolon = true;
  }
  for (const at of shape.padding) segments.splice(at % (segments.length + 1), 0, "");
  if (shape.flood !== null) segments.splice(shape.flood % (segments.length + 1), 0, ...Array<string>(1000).fill(""));
  const expected: Expected = segments.length > MAX_QUERY_PARAMETERS ? { refused: "count" } : semicolon ? { refused: "other" } : repeated ? { refused: "repeat" } : runs;
  return { request: { method: "GET", path: `/graphql?${segments.join("&")}`, headers: {} }, expected };
}

/** Stories beyond the seed's, so that a page of `n` shows `n` of them for every `n` the tests use. */
const STORIES = 12;

describe("a request is read once", () => {
  let t: TestServer;
  const captured = capturingLogger("debug");
  let base: string;

  const get = async (search: string, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await fetch(`${base}/graphql?${search}`, { headers });
    return { status: res.status, body: (await res.json()) as Answer["body"], headers: res.headers };
  };
  const post = async (body: string): Promise<Answer> => {
    const res = await fetch(`${base}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body });
    return { status: res.status, body: (await res.json()) as Answer["body"], headers: res.headers };
  };
  const enc = encodeURIComponent;

  beforeAll(async () => {
    t = await startTestServer({ seed: true, logger: captured.logger });
    base = `http://127.0.0.1:${t.server.port}`;
    await t.server.db.transaction(async (em) => {
      for (let i = 1; i <= STORIES; i++) await addStory(em, { title: `Berita baca sekali ${i}` });
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  describe("the padded GET of the report", () => {
    it("is refused with BAD_REQUEST naming the count and the maximum, and nothing runs", async () => {
      const search = `query=${enc(HEAVY)}${"&".repeat(1000)}&variables=${enc('{"n":100}')}`;
      const res = await get(search);
      expect(res.status).toBe(400);
      expect(res.body.data ?? null).toBeNull();
      expect(res.body.errors?.[0]?.extensions?.code).toBe("BAD_REQUEST");
      expect(res.body.errors?.[0]?.message).toContain("1002");
      expect(res.body.errors?.[0]?.message).toContain(String(MAX_QUERY_PARAMETERS));
    });

    it("the same document and variables are priced with those variables as a POST, and as a plain GET", async () => {
      for (const res of [await post(JSON.stringify({ query: HEAVY, variables: { n: 100 } })), await get(`query=${enc(HEAVY)}&variables=${enc('{"n":100}')}`)]) {
        expect(res.status).toBe(400);
        expect(res.body.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
      }
    });

    it("cannot poison the cache: after it, a plain GET and a POST of the document answer with the default variables", async () => {
      const document = `query Poison($n: Int = 1) { articles(first: $n) { nodes { id } } }`;
      const padded = await get(`query=${enc(document)}${"&".repeat(1000)}&variables=${enc('{"n":5}')}`);
      const plain = await get(`query=${enc(document)}`);
      expect(plain.status).toBe(200);
      expect(plain.body.data?.articles.nodes).toHaveLength(1);
      const posted = await post(JSON.stringify({ query: document }));
      expect(posted.body.data?.articles.nodes).toHaveLength(1);
      expect(padded.status).toBe(400);
      // And the padded spelling is not answered from the cache either, now that the plain answer is stored.
      expect((await get(`query=${enc(document)}${"&".repeat(1000)}&variables=${enc('{"n":5}')}`)).status).toBe(400);
    });
  });

  describe("answers before the policy (the response cache's early path)", () => {
    it("records a spelling only for a request the policy admitted, and answers it early with its own answer", async () => {
      const document = `query Early($n: Int = 1) { articles(first: $n) { nodes { id } } }`;
      const plain = `query=${enc(document)}&variables=${enc('{"n":4}')}`;
      // Within the limit: its own spelling, the same request.
      const padded = `query=${enc(document)}&&&variables=${enc('{"n":4}')}`;
      const over = `query=${enc(document)}${"&".repeat(MAX_QUERY_PARAMETERS)}&variables=${enc('{"n":4}')}`;
      // Twice: the response cache keeps an answer from its second sighting on.
      for (let i = 0; i < 2; i++) expect((await get(plain)).body.data?.articles.nodes).toHaveLength(4);
      for (let i = 0; i < 2; i++) expect((await get(over)).status).toBe(400);
      const sent = async (search: string, id: string) => {
        const res = await fetch(`${base}/graphql?${search}`, { headers: { "x-request-id": id } });
        const lines = captured.lines.filter((l) => l.reqId === id);
        return { status: res.status, text: await res.text(), hit: lines.some((l) => l.cache === "hit"), admitted: lines.some((l) => l.msg === "operation admitted") };
      };
      // The first time through the policy (a hit on the plain request's entry, which records the spelling), the second before it.
      const first = await sent(padded, "early-1");
      const second = await sent(padded, "early-2");
      expect(first).toMatchObject({ status: 200, hit: true, admitted: true });
      expect(second).toMatchObject({ status: 200, hit: true, admitted: false });
      expect(second.text).toBe(first.text);
      expect((JSON.parse(second.text) as NonNullable<Answer["body"]>).data?.articles.nodes).toHaveLength(4);
      // A spelling over the limit was never recorded: refused again, by the policy.
      expect(await sent(over, "early-3")).toMatchObject({ status: 400, hit: false, admitted: false });
      expect(captured.lines.find((l) => l.reqId === "early-3")).toMatchObject({ msg: "operation refused" });
    });
  });

  describe("the query-string rule", () => {
    it(`admits ${MAX_QUERY_PARAMETERS} parameters (empty ones counted) and refuses ${MAX_QUERY_PARAMETERS + 1}`, async () => {
      const padding = (segments: number) => "&".repeat(segments - 2);
      const under = await get(`query=${enc(PAGE)}${padding(MAX_QUERY_PARAMETERS)}&variables=${enc('{"n":3}')}`);
      expect(under.status).toBe(200);
      expect(under.body.data?.articles.nodes).toHaveLength(3);
      const over = await get(`query=${enc(PAGE)}${padding(MAX_QUERY_PARAMETERS + 1)}&variables=${enc('{"n":3}')}`);
      expect(over.status).toBe(400);
      expect(over.body.errors?.[0]?.extensions?.code).toBe("BAD_REQUEST");
      expect(over.body.errors?.[0]?.message).toContain(`${MAX_QUERY_PARAMETERS + 1} parameters`);
    });

    it("refuses a repeated parameter, naming it", async () => {
      for (const [search, name] of [
        [`query=${enc(PAGE)}&variables=${enc('{"n":1}')}&variables=${enc('{"n":4}')}`, "variables"],
        [`query=${enc(PAGE)}&query=${enc(PAGE)}`, "query"],
        [`query=${enc(PAGE)}&operationName=&operationName=`, "operationName"],
        [`query=${enc(PAGE)}&%76ariables=${enc('{"n":1}')}&variables=${enc('{"n":4}')}`, "variables"],
      ] as const) {
        const res = await get(search);
        expect(res.status).toBe(400);
        expect(res.body.errors?.[0]?.extensions?.code).toBe("BAD_REQUEST");
        expect(res.body.errors?.[0]?.message).toContain(`'${name}'`);
      }
    });

    it("refuses a parameter GraphQL over HTTP does not define, naming it", async () => {
      for (const [search, name] of [
        [`query=${enc(PAGE)}&_=1712345678`, "_"],
        [`query=${enc(PAGE)}&variables[n]=4`, "variables[n]"],
        [`query=${enc(PAGE)}&__proto__=x`, "__proto__"],
        [`query=${enc(PAGE)}&=x`, ""],
      ] as const) {
        const res = await get(search);
        expect(res.status).toBe(400);
        expect(res.body.errors?.[0]?.extensions?.code).toBe("BAD_REQUEST");
        expect(res.body.errors?.[0]?.message).toContain(`'${name}'`);
      }
    });

    it("refuses variables or extensions that are not JSON objects, naming them", async () => {
      for (const [search, mention] of [
        [`query=${enc(PAGE)}&variables=${enc("{")}`, "'variables' is not valid JSON"],
        [`query=${enc(PAGE)}&variables=${enc("[3]")}`, "'variables' must be an object"],
        [`query=${enc(PAGE)}&extensions=5`, "'extensions' must be a JSON object"],
      ] as const) {
        const res = await get(search);
        expect(res.status).toBe(400);
        expect(res.body.errors?.[0]?.message).toContain(mention);
      }
    });

    it("refuses through the policy: logged once and counted", async () => {
      const refusedBefore = captured.lines.filter((l) => l.msg === "operation refused").length;
      const res = await fetch(`${base}/graphql?query=${enc(PAGE)}&utm_source=x`, { headers: { "x-request-id": "read-once-unknown" } });
      expect(res.status).toBe(400);
      const lines = captured.lines.filter((l) => l.reqId === "read-once-unknown");
      expect(lines).toEqual([expect.objectContaining({ msg: "operation refused", outcome: "BAD_REQUEST", status: 400, reason: expect.stringContaining("'utm_source'") })]);
      expect(captured.lines.filter((l) => l.msg === "operation refused").length).toBe(refusedBefore + 1);
    });
  });

  describe("whatever the spelling, what the policy priced and keyed is what Apollo ran", () => {
    it("refuses a generated GET or POST with 400, or answers it as the plain request with the same variables, from the same cache entry", async () => {
      const costs = new Map<number, Set<number>>();
      let run = 0;
      let answered = 0;
      let refused = 0;
      const lineOf = (reqId: string, msg: string) => captured.lines.find((l) => l.reqId === reqId && l.msg === msg);
      await fc.assert(
        fc.asyncProperty(fc.oneof(getShape, postShape), async (shape) => {
          // A document of its own per request, so that what the request stores is found by the plain one only if the keys agree.
          const name = `Spelling${++run}`;
          const query = `query ${name}($n: Int = 1) { articles(first: $n) { nodes { id } } }`;
          const { request, expected } = build(shape, query, name);
          const id = `read-once-${run}`;
          // Sent once: the response cache keeps an answer from its first sighting while it has room,
          // so a request the policy admitted under the plain request's key is stored there.
          const res = await sendRaw(t.server.port, { ...request, headers: { ...request.headers, "x-request-id": `${id}-v` } });
          const body = JSON.parse(res.text) as Answer["body"];
          const canonical = await sendRaw(t.server.port, { method: "GET", path: `/graphql?${new URLSearchParams(expected.refused ? { query } : { query, ...(expected.variables ? { variables: expected.variables } : {}) })}`, headers: { "x-request-id": `${id}-c` } });
          const canonicalHit = lineOf(`${id}-c`, "graphql request")?.cache === "hit";
          if (expected.refused) {
            refused++;
            expect({ status: res.status, data: body.data ?? null }).toEqual({ status: 400, data: null });
            if (expected.refused === "count") expect(body.errors?.[0]).toMatchObject({ message: expect.stringContaining("parameters"), extensions: { code: "BAD_REQUEST" } });
            if (expected.refused === "repeat") expect(body.errors?.[0]).toMatchObject({ message: expect.stringContaining("more than once"), extensions: { code: "BAD_REQUEST" } });
            // Nothing was stored for it: the plain request of the same document is computed.
            expect(canonicalHit).toBe(false);
            return;
          }
          answered++;
          expect(res.status).toBe(200);
          // What Apollo ran: a page of n stories.
          expect((body.data?.articles.nodes ?? []).length).toBe(expected.n);
          // What the policy priced: the same as for the plain request with these variables.
          const cost = lineOf(`${id}-v`, "operation admitted")?.cost as number;
          expect(lineOf(`${id}-c`, "operation admitted")?.cost).toBe(cost);
          // Where it was kept: the plain request finds that very answer.
          expect(canonicalHit).toBe(true);
          expect(canonical.text).toBe(res.text);
          costs.set(expected.n, (costs.get(expected.n) ?? new Set()).add(cost));
        }),
        { numRuns: 150 },
      );
      // Both outcomes were exercised, and the cost tells every n apart (so comparing costs compares variables).
      expect(answered).toBeGreaterThan(30);
      expect(refused).toBeGreaterThan(30);
      const perN = [...costs.values()];
      expect(perN.every((set) => set.size === 1)).toBe(true);
      expect(new Set(perN.map((set) => [...set][0])).size).toBe(perN.length);
    }, 60_000);
  });
});

/** A page of `n` stories: its answer shows how many Apollo ran. */
const PAGE = `query($n: Int = 1) { articles(first: $n) { nodes { id } } }`;
/** Priced at about n² (a page of stories, each with a page of comments): cheap by default, over the limit at 100. */
const HEAVY = `query($n: Int = 1) { articles(first: $n) { nodes { id comments(first: $n) { nodes { id body } } } } }`;
