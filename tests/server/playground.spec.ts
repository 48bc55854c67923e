import "reflect-metadata";
import http from "node:http";
import { useTestServer } from "../helpers/fixture";

/** The self-hosted GraphiQL on GET /graphql, its assets, and GraphQL still answering on the same URL. */
describe("GraphiQL playground", () => {
  const t = useTestServer({ seed: true });
  let base: string;
  beforeAll(async () => {
    base = `http://127.0.0.1:${t.server.port}`;
  });

  it("serves the page to a browser on GET /graphql, with the seed story's query preloaded", async () => {
    const res = await fetch(`${base}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("vary")).toMatch(/Accept/i);
    const html = await res.text();
    expect(html).toContain('<div id="ruru-root">');
    expect(html).toContain("sukses-raih-predikat-wbk-lapas-banyuwangi-jadi-rujukan-studi-tiru-lapas-bojonegoro");
    expect(html).toContain('\\"Authorization\\": \\"Bearer <token>\\"');
    expect(html).toContain('"endpoint": "/graphql"');
  });

  it("loads every asset the page and its scripts ask for, with the right content types", async () => {
    const assets = await crawlAssets(base);
    const byName = new Map(assets.map((a) => [a.url.pathname.split("/").pop(), a]));
    // The entry module, its stylesheet, the Monaco workers and the editor font, at least.
    expect(byName.get("ruru.js")?.contentType).toMatch(/^text\/javascript/);
    expect(byName.get("ruru.css")?.contentType).toMatch(/^text\/css/);
    for (const worker of ["editorWorker.js", "jsonWorker.js", "graphqlWorker.js"]) expect(byName.get(worker)?.contentType).toMatch(/^text\/javascript/);
    expect([...byName.keys()].some((name) => name?.endsWith(".ttf"))).toBe(true);
    expect(assets.length).toBeGreaterThan(20);
    for (const asset of assets) expect({ url: asset.url.pathname, status: asset.status }).toEqual({ url: asset.url.pathname, status: 200 });
    expect(assets.filter((a) => !["/graphql", "/favicon.ico"].includes(a.url.pathname) && !a.url.pathname.startsWith("/playground/"))).toEqual([]);
  });

  it("serves /favicon.ico (the icon the page names) as an SVG, cacheable for a day", async () => {
    const page = await (await fetch(`${base}/graphql`, { headers: { accept: BROWSER_ACCEPT } })).text();
    expect(page).toContain('<link rel="icon" type="image/svg+xml" href="/favicon.ico" />');
    const res = await fetch(`${base}/favicon.ico`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=86400");
    const svg = await res.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 32 32">[^]*<\/svg>$/);
    // Drawn here, not fetched from anywhere.
    expect(svg.replace("http://www.w3.org/2000/svg", "")).not.toMatch(/href|url\(|https?:/);
  });

  it("references no other origin in anything the page loads", async () => {
    const assets = await crawlAssets(base);
    const offenders = assets.flatMap((a) =>
      loadedUrls(a.body, a.url, a.contentType)
        .filter((u) => u.origin !== base && !LOCAL_SCHEMES.includes(u.protocol))
        .map((u) => `${a.url.pathname} loads ${u.href}`),
    );
    expect(offenders).toEqual([]);
    // Belt and braces on the page itself: no absolute http(s) URL at all.
    const html = assets.find((a) => a.url.pathname === "/graphql")!.body;
    expect(html.match(/https?:\/\/[^\s"'<>]+/g) ?? []).toEqual([]);
  });

  it("lets browsers revalidate assets: a matching ETag is answered with 304", async () => {
    const first = await fetch(`${base}/playground/ruru.js`);
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    const etag = first.headers.get("etag");
    expect(etag).toBeTruthy();
    // As a browser revalidates; fetch() would otherwise add `Cache-Control: no-cache`, which forbids a 304.
    const again = await fetch(`${base}/playground/ruru.js`, { headers: { "if-none-match": etag!, "cache-control": "max-age=0" } });
    expect(again.status).toBe(304);
  });

  it("leaves unknown asset names to the 404 handler, and serves nothing outside ruru's folder", async () => {
    expect((await fetch(`${base}/playground/nope.js`)).status).toBe(404);
    // Sent as written: fetch() would resolve the dots before asking.
    for (const escape of ["/playground/../package.json", "/playground/..%2fpackage.json"]) {
      const res = await rawGet(t.server.port, escape);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.text).not.toContain('"name": "ruru"');
    }
  });

  it("still answers GraphQL over POST, also from a browser that prefers HTML", async () => {
    const res = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: BROWSER_ACCEPT },
      body: JSON.stringify({ query: SEED_TITLE }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { article: { title: TITLE } } });
  });

  it("still answers GraphQL GET requests, even with Accept: text/html", async () => {
    for (const accept of ["application/json", BROWSER_ACCEPT]) {
      // Apollo's CSRF prevention wants a non-simple header on GET operations.
      const res = await fetch(`${base}/graphql?query=${encodeURIComponent(SEED_TITLE)}`, { headers: { accept, "apollo-require-preflight": "true" } });
      expect(res.headers.get("content-type")).toMatch(/^application\/(graphql-response\+)?json/);
      expect(await res.json()).toEqual({ data: { article: { title: TITLE } } });
    }
  });

  it("leaves GET /graphql to Apollo for API clients that do not prefer HTML", async () => {
    for (const accept of ["*/*", "application/json", "application/json, text/html"]) {
      const res = await fetch(`${base}/graphql`, { headers: { accept } });
      expect(res.headers.get("content-type") ?? "").not.toMatch(/text\/html/);
    }
  });
});

/** Schemes a page can load from without any network. */
const LOCAL_SCHEMES = ["data:", "blob:"];
const BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const TITLE = "Sukses Raih Predikat WBK, Lapas Banyuwangi Jadi Rujukan Studi Tiru Lapas Bojonegoro";
const SEED_TITLE = `{ article(slug: "sukses-raih-predikat-wbk-lapas-banyuwangi-jadi-rujukan-studi-tiru-lapas-bojonegoro") { title } }`;

interface Asset {
  url: URL;
  status: number;
  contentType: string;
  body: string;
}

/**
 * The page and, transitively, everything it and its scripts and stylesheets load (as a browser
 * would ask: Accept-Encoding br), fetched over HTTP.
 */
async function crawlAssets(base: string): Promise<Asset[]> {
  const seen = new Map<string, Asset>();
  const queue = [new URL("/graphql", base)];
  while (queue.length > 0) {
    const url = queue.shift()!;
    if (seen.has(url.href) || url.origin !== base) continue;
    const res = await fetch(url, { headers: { accept: url.pathname === "/graphql" ? BROWSER_ACCEPT : "*/*", "accept-encoding": "br, gzip" } });
    const contentType = res.headers.get("content-type") ?? "";
    const body = /^(text\/|application\/json)/.test(contentType) ? await res.text() : (await res.arrayBuffer(), "");
    seen.set(url.href, { url, status: res.status, contentType, body });
    queue.push(...loadedUrls(body, url, contentType));
  }
  return [...seen.values()];
}

/**
 * URLs a document makes the browser fetch. HTML: `src`/`href` of script, link and img tags, module
 * imports in inline scripts, and the Monaco workers its bootstrap script names. CSS: `url()` and
 * `@import`. JavaScript: module specifiers, dynamic imports, workers, `fetch`/`importScripts` of a
 * literal URL, and the chunks webpack's runtime loads by id (`s.e(2370)`, and `{2370:1}` for
 * those with a stylesheet). Links a user may click are not fetches, so an `https://` in an anchor
 * or an error message does not count.
 */
function loadedUrls(body: string, from: URL, contentType: string): URL[] {
  const found: string[] = [];
  const all = (re: RegExp, to: (m: RegExpMatchArray) => string = (m) => m[1]) => {
    for (const m of body.matchAll(re)) found.push(to(m));
  };
  // In the bundles, a relative "./module" is as likely a word in a parser's error message as an
  // import (webpack loads its chunks by id, below); an absolute URL is what would leave the machine.
  const moduleSpecifiers = (relativeToo: boolean) => {
    const spec = relativeToo ? /(?:https?:)?\/\/[^"'`]+|\.{0,2}\/[^"'`]+/.source : /(?:https?:)?\/\/[^"'`]+/.source;
    all(new RegExp(/(?:\bimport\s*\(|\bfrom|\bimport)\s*["'`]/.source + `(${spec})["'\`]`, "g"));
    all(new RegExp(/\b(?:Worker|SharedWorker|importScripts|fetch|EventSource)\(\s*["'`]/.source + `(${spec})["'\`]`, "g"));
  };
  if (contentType.startsWith("text/html")) {
    all(/<(?:script|link|img|iframe|source)\b[^>]*?\s(?:src|href)="([^"]+)"/g);
    moduleSpecifiers(true);
    all(/\bworker\("([^"]+\.js)"\)/g, (m) => staticPathOf(body) + m[1]);
  } else if (contentType.startsWith("text/css")) {
    all(/url\(\s*["']?((?!data:|#)[^"')]+)["']?\s*\)/g);
    all(/@import\s+(?:url\()?["']([^"']+)["']/g);
  } else if (contentType.startsWith("text/javascript") || contentType.startsWith("application/javascript")) {
    moduleSpecifiers(false);
    all(/\b[A-Za-z_$]\.e\((\d+)\)/g, (m) => `${m[1]}.js`);
    for (const map of body.matchAll(/miniCss=[^]{0,200}?\{((?:\d+:1,?)+)\}/g)) for (const id of map[1].matchAll(/(\d+):1/g)) found.push(`${id[1]}.ruru.css`);
  }
  // A template literal's `${...}` is computed at run time: not a URL one can check here.
  return found.filter((href) => !href.includes("${")).map((href) => new URL(href, from));
}

/** A GET with the path exactly as given. */
function rawGet(port: number, pathname: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: pathname }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      })
      .on("error", reject);
  });
}

function staticPathOf(html: string): string {
  return /"staticPath": "([^"]+)"/.exec(html)?.[1] ?? "/";
}
