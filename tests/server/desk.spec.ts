import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { ConfigError, loadConfig } from "../../src/config";
import { useTestServer } from "../helpers/fixture";
import { dataOf, startTestServer } from "../helpers/server";
import { bearer, mintToken } from "../helpers/tokens";

const ASSETS = path.join(__dirname, "..", "..", "src", "desk", "assets");
const SEED_TEXT = fs.readFileSync(path.join(__dirname, "..", "..", "src", "services", "seed", "seed-article.txt"), "utf8");

/** The GraphQL documents of the desk's own api.js, by their constant's name, so the tests send what the page sends. */
function deskOperations(): Record<string, string> {
  const source = fs.readFileSync(path.join(ASSETS, "api.js"), "utf8");
  const names = [...source.matchAll(/^export const (\w+) = `/gm)].map((m) => m[1]!);
  return vm.runInNewContext(`${source.replace(/^export /gm, "")}\n({ ${names.join(", ")} })`) as Record<string, string>;
}

describe("the editor's desk over HTTP", () => {
  const t = useTestServer({ seed: false, config: { graphql: { playground: false } } });
  const base = () => `http://127.0.0.1:${t.server.port}`;

  it("serves the page with a CSP as strict as the ticker's and stricter (never framed, Trusted Types), nothing inline, also with the playground off", async () => {
    const res = await fetch(`${base()}/desk`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = res.headers.get("content-security-policy")!;
    const directives = Object.fromEntries(csp.split(/;\s*/).map((d) => [d.split(" ")[0], d.split(" ").slice(1).join(" ")]));
    expect(directives).toEqual({
      "default-src": "'none'",
      "script-src": "'self'",
      "style-src": "'self'",
      "connect-src": "'self'",
      "img-src": "'self'",
      "base-uri": "'none'",
      "form-action": "'none'",
      "frame-ancestors": "'none'",
      "require-trusted-types-for": "'script'",
      "trusted-types": "'none'",
    });
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    const html = await res.text();
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script type="module" src="/desk/desk.js">']);
    expect(html.match(/<link\b[^>]*>/g)).toEqual(['<link rel="stylesheet" href="/desk/desk.css">']);
    expect(html).toContain('<meta name="newsroom-endpoint" content="/graphql">');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).not.toMatch(/\sstyle=|\son[a-z]+=|<style|https?:\/\//);
  });

  it("serves every module the page imports, from this server only, revalidated by ETag", async () => {
    const served = fs.readdirSync(ASSETS).sort();
    expect(served).toEqual(["api.js", "conflicts.js", "desk.css", "desk.js", "dom.js", "records.js", "review.js", "spans.js", "story.js"]);
    for (const name of served) {
      const res = await fetch(`${base()}/desk/${name}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe(name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8");
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(res.headers.get("cross-origin-resource-policy")).toBe("same-origin");
      const body = await res.text();
      expect(body).toBe(fs.readFileSync(path.join(ASSETS, name), "utf8"));
      // No bundler and no CDN: imports are this folder's own files, and nothing names another host.
      for (const [, target] of body.matchAll(/from "([^"]+)"/g)) expect(served).toContain(target!.replace(/^\.\//, ""));
      expect(body).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
      // Nothing of the page reaches an HTML parser.
      expect(body).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser|createContextualFragment/);
      const etag = res.headers.get("etag")!;
      expect((await fetch(`${base()}/desk/${name}`, { headers: { "if-none-match": etag } })).status).toBe(304);
    }
    expect((await fetch(`${base()}/desk/nope.js`)).status).toBe(404);
    expect((await fetch(`${base()}/desk/..%2Fdesk.router.ts`)).status).toBe(404);
  });

  it("the page's operations are what an EDITOR may run, and what a MODERATOR may not", async () => {
    const ops = deskOperations();
    const editor = bearer(await mintToken(t, "EDITOR", "Desk operations"));
    const moderator = bearer(await mintToken(t, "MODERATOR"));
    expect(dataOf(await t.gql(ops.VIEWER!, {}, editor))).toEqual({ me: { name: "Desk operations", role: "EDITOR" } });
    const { previewImport } = dataOf(await t.gql<{ previewImport: { institutions: unknown[]; quotes: unknown[] } }>(ops.PREVIEW!, { text: SEED_TEXT, choices: { quotes: [{ start: 1621, speakerRef: 1 }] } }, editor));
    expect([previewImport.institutions.length, previewImport.quotes.length]).toEqual([3, 4]);
    const { importArticle } = dataOf(await t.gql<{ importArticle: { id: string; slug: string; status: string } }>(ops.IMPORT!, { text: SEED_TEXT, publish: false, choices: null }, editor));
    expect(importArticle.status).toBe("DRAFT");
    const { article } = dataOf(await t.gql<{ article: { institutions: Array<{ id: string }>; people: Array<{ id: string }> } }>(ops.ARTICLE!, { slug: importArticle.slug }, editor));
    expect(dataOf(await t.gql<{ institution: { name: string } }>(ops.INSTITUTION!, { id: article.institutions[0]!.id }, editor)).institution.name).toBe("Lembaga Pemasyarakatan Kelas IIA Banyuwangi");
    expect(dataOf(await t.gql<{ person: { name: string } }>(ops.PERSON!, { id: article.people[0]!.id }, editor)).person.name).toBe("Hari Winarca");
    expect(dataOf(await t.gql<{ institutions: { nodes: unknown[] } }>(ops.FIND_INSTITUTIONS!, { search: "Banyuwangi" }, editor)).institutions.nodes).toHaveLength(1);
    expect(dataOf(await t.gql<{ people: { nodes: unknown[] } }>(ops.FIND_PEOPLE!, { search: "Wayan" }, editor)).people.nodes).toHaveLength(1);

    // The conflicts panel's two: valid for an editor (none open here; a settlement of nothing is refused by the API, not by the policy).
    expect(dataOf(await t.gql(ops.CONFLICTS!, {}, editor))).toEqual({ factConflicts: [] });
    const settle = await t.gql(ops.SETTLE!, { input: { conflict: "bukan", choice: "bukan" } }, editor);
    expect(settle.body.errors![0]!.extensions?.code).toBe("BAD_USER_INPUT");

    for (const [document, variables] of [
      [ops.PREVIEW!, { text: SEED_TEXT }],
      [ops.IMPORT!, { text: SEED_TEXT.replace("Sukses", "Moderator") }],
      [ops.CONFLICTS!, {}],
      [ops.SETTLE!, { input: { conflict: "bukan", choice: "bukan" } }],
    ] as const) {
      const refused = await t.gql(document, variables, moderator);
      expect(refused.body.errors![0]!.extensions?.code).toBe("FORBIDDEN");
    }
  });
});

describe("DESK", () => {
  it("is on by default, off with DESK=false, and anything else stops the server naming it", () => {
    expect(loadConfig({}).desk.enabled).toBe(true);
    expect(loadConfig({ DESK: "false" }).desk.enabled).toBe(false);
    expect(() => loadConfig({ DESK: "sometimes" })).toThrow(ConfigError);
    expect(() => loadConfig({ DESK: "sometimes" })).toThrow(/DESK/);
  });

  it("DESK=false serves neither the page nor its files; the API stays", async () => {
    const t = await startTestServer({ seed: false, config: { desk: { enabled: false } } });
    try {
      const base = `http://127.0.0.1:${t.server.port}`;
      expect((await fetch(`${base}/desk`)).status).toBe(404);
      expect((await fetch(`${base}/desk/desk.js`)).status).toBe(404);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
