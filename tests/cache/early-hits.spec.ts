import "reflect-metadata";
import http from "node:http";
import { dataOf, metricOf } from "../helpers/server";
import { bearer, mintToken } from "../helpers/tokens";
import type { TestServer } from "../helpers/server";
import { useTestServer } from "../helpers/fixture";

/*
 * Repeat anonymous requests are answered from the response cache before Express and the
 * operation policy (src/cache/early-hits.ts). Walked from outside: such an answer carries what
 * every answer carries (request id, CORS, caching headers), a body that is not JSON is refused
 * as before, a token's request is never answered from there, and a change is seen on the next read.
 */

const FRONT = JSON.stringify({ query: "{ articles(first: 2) { nodes { title } } }" });

function post(t: TestServer, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${t.server.port}/graphql`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
}

/** A POST whose body arrives in chunks of unknown total length (no content-length): Express reads it. */
function chunkedPost(t: TestServer, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: t.server.port, path: "/graphql", method: "POST", headers: { "content-type": "application/json", "transfer-encoding": "chunked" } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    req.write(body.slice(0, 10));
    req.end(body.slice(10));
  });
}

describe("answers before Express", () => {
  const t = useTestServer({ seed: true, config: { cors: { origins: ["https://pembaca.example"] } } });

  it("answers a repeat with the same body, headers, request id and CORS headers as the first answer", async () => {
    const first = await post(t, FRONT, { origin: "https://pembaca.example" });
    const firstBody = await first.text();
    // The second sighting of the key stores the answer (the first is not kept); the third is a hit.
    await (await post(t, FRONT, { origin: "https://pembaca.example" })).text();
    const hits = await metricOf(t, "response_cache_hits_total");
    const again = await post(t, FRONT, { origin: "https://pembaca.example", "x-request-id": "ticker-42" });
    expect(await metricOf(t, "response_cache_hits_total")).toBe(hits + 1);
    expect(await again.text()).toBe(firstBody);
    expect(again.headers.get("x-request-id")).toBe("ticker-42");
    expect(again.headers.get("access-control-allow-origin")).toBe("https://pembaca.example");
    expect(again.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(again.headers.get("cache-control")).toBe("no-store");
    expect(again.headers.get("vary")).toContain("Authorization");
    expect(again.headers.get("content-type")).toBe(first.headers.get("content-type"));
    const other = await post(t, FRONT, { origin: "https://lain.example" });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers a repeated GET with public caching headers and 304 on its ETag", async () => {
    const url = `http://127.0.0.1:${t.server.port}/graphql?query=${encodeURIComponent("{ articles(first: 1) { nodes { slug } } }")}`;
    for (let i = 0; i < 2; i++) await (await fetch(url)).text();
    const hits = await metricOf(t, "response_cache_hits_total");
    const again = await fetch(url);
    expect(await metricOf(t, "response_cache_hits_total")).toBe(hits + 1);
    expect(again.headers.get("cache-control")).toMatch(/^public, max-age=\d+/);
    expect(again.headers.get("xkey")).toContain("Article");
    const etag = again.headers.get("etag")!;
    expect((await fetch(url, { headers: { "if-none-match": etag } })).status).toBe(304);
  });

  it("refuses a small body that is not JSON as Express's parser would, and reads chunked bodies as before", async () => {
    for (const body of ["{ not json", "\"a string\"", "42"]) {
      const res = await post(t, body);
      expect(res.status).toBe(400);
      const json = (await res.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
      expect(json.errors[0]!.extensions.code).toBe("BAD_REQUEST");
    }
    for (let i = 0; i < 2; i++) {
      const res = await chunkedPost(t, FRONT);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text).data.articles.nodes.length).toBeGreaterThan(0);
    }
  });

  it("never answers a request with a token from there, and shows a change on the next read", async () => {
    const editorHeaders = bearer(await mintToken(t, "EDITOR"));
    const body = JSON.stringify({ query: "{ articles(first: 50) { nodes { title status } } }" });
    await post(t, body);
    await post(t, body);
    const created = dataOf<{ createArticle: { id: string } }>(await t.gql(`mutation { createArticle(input: { title: "Draf awal pagi", body: "Isi." }) { id } }`, {}, editorHeaders));
    const editor = await post(t, body, editorHeaders);
    expect(editor.headers.get("cache-control")).toBe("private, no-store");
    expect(await editor.text()).toContain("Draf awal pagi");
    expect(await (await post(t, body)).text()).not.toContain("Draf awal pagi");
    await t.gql(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id: created.createArticle.id }, editorHeaders);
    expect(await (await post(t, body)).text()).toContain("Draf awal pagi");
  });

  it("keeps at most four spellings of one answer (each costs memory), and answers a fifth through the full path", async () => {
    const query = "{ articles(first: 3) { nodes { slug } } }";
    // Spellings differ only in whitespace: one answer, one cache entry.
    const spellings = Array.from({ length: 7 }, (_, i) => `{"query":${JSON.stringify(query)}${" ".repeat(i)}}`);
    const bytesBefore = await metricOf(t, "response_cache_bytes");
    const bytesAfter: number[] = [];
    let answer: string | undefined;
    for (const spelling of spellings) {
      const text = await (await post(t, spelling)).text();
      answer ??= text;
      expect(text).toBe(answer);
      bytesAfter.push(await metricOf(t, "response_cache_bytes"));
    }
    // The first request stored the answer with its spelling (the cache has room); three more
    // spellings were kept, then none.
    expect(bytesAfter[0]).toBeGreaterThan(bytesBefore);
    expect(bytesAfter[1]).toBeGreaterThan(bytesAfter[0]!);
    expect(bytesAfter[2]).toBeGreaterThan(bytesAfter[1]!);
    expect(bytesAfter[3]).toBeGreaterThan(bytesAfter[2]!);
    expect(bytesAfter[4]).toBe(bytesAfter[3]);
    expect(bytesAfter[5]).toBe(bytesAfter[3]);
    expect(bytesAfter[6]).toBe(bytesAfter[3]);
    const hits = await metricOf(t, "response_cache_hits_total");
    expect(await (await post(t, spellings[6]!)).text()).toBe(answer);
    expect(await metricOf(t, "response_cache_hits_total")).toBe(hits + 1);
  });
});
