import http from "node:http";
import type { AddressInfo } from "node:net";
import sqlite3 from "sqlite3";

/*
 * The ceiling: a bare node:http server answering the benchmark's two reads straight from SQLite
 * (the project's driver, one read-only connection like the server's one reader) with prepared
 * statements and JSON.stringify. It takes the very same POST bodies as the GraphQL server (it
 * parses the JSON and picks the read by its variables) and answers the same JSON shape, so
 * both can be loaded with identical requests and their answers compared.
 *
 *   SQLITE_FILE=… PORT=0 node dist/tests/bench/ceiling.js   → prints {"url":"http://127.0.0.1:PORT/graphql"}
 */

const file = process.env.SQLITE_FILE;
if (!file) {
  console.error("SQLITE_FILE is required");
  process.exit(2);
}
const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY);

// Q1, the article page: the story, its institutions in the story's order, its quotes with speakers.
const articleBySlug = db.prepare(`SELECT id, title, body, published_at FROM article WHERE slug = ? AND status = 'PUBLISHED'`);
const institutionsOf = db.prepare(
  `SELECT i.name, i.slug FROM article_institution ai JOIN institution i ON i.id = ai.institution_id WHERE ai.article_id = ? ORDER BY ai.position, ai.institution_id`,
);
const quotesOf = db.prepare(`SELECT q.text, p.name FROM quote q JOIN person p ON p.id = q.speaker_id WHERE q.article_id = ? ORDER BY q.position, q.id`);
// Q2, the front page: the 20 newest published stories with their first institution's name, in one statement.
const frontPage = db.prepare(
  `SELECT a.id, a.slug, a.title, a.summary, a.published_at,
     (SELECT i.name FROM article_institution ai JOIN institution i ON i.id = ai.institution_id WHERE ai.article_id = a.id ORDER BY ai.position, ai.institution_id LIMIT 1) AS institution
   FROM article a WHERE a.status = 'PUBLISHED' ORDER BY a.published_at DESC, a.id DESC LIMIT 20`,
);

function all<T>(statement: sqlite3.Statement, params: unknown[]): Promise<T[]> {
  return new Promise((resolve, reject) => statement.all(params, (error: Error | null, rows: T[]) => (error ? reject(error) : resolve(rows))));
}

function get<T>(statement: sqlite3.Statement, params: unknown[]): Promise<T | undefined> {
  return new Promise((resolve, reject) => statement.get(params, (error: Error | null, row: T | undefined) => (error ? reject(error) : resolve(row))));
}

/** TypeORM's SQLite datetime text (UTC, `YYYY-MM-DD HH:MM:SS.SSS`) as the API's ISO instant. */
function isoTime(text: string | null): string | null {
  return text === null ? null : `${text.replace(" ", "T")}Z`;
}

async function articlePage(slug: string) {
  const article = await get<{ id: number; title: string; body: string; published_at: string | null }>(articleBySlug, [slug]);
  if (!article) return { article: null };
  const [institutions, quotes] = await Promise.all([
    all<{ name: string; slug: string }>(institutionsOf, [article.id]),
    all<{ text: string; name: string }>(quotesOf, [article.id]),
  ]);
  return {
    article: {
      title: article.title,
      body: article.body,
      publishedAt: isoTime(article.published_at),
      institutions,
      quotes: quotes.map((q) => ({ text: q.text, speaker: { name: q.name } })),
    },
  };
}

async function front() {
  const rows = await all<{ id: number; slug: string; title: string; summary: string | null; published_at: string | null; institution: string | null }>(frontPage, []);
  return {
    articles: {
      nodes: rows.map((r) => ({
        id: Buffer.from(`Article:${r.id}`, "utf8").toString("base64url"),
        slug: r.slug,
        title: r.title,
        summary: r.summary,
        publishedAt: isoTime(r.published_at),
        institutions: r.institution === null ? [] : [{ name: r.institution }],
      })),
    },
  };
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer((req, res) => {
  if (req.method !== "POST") return send(res, 405, { errors: [{ message: "POST only" }] });
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    let request: { variables?: { slug?: unknown } };
    try {
      request = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof request;
    } catch {
      return send(res, 400, { errors: [{ message: "bad JSON" }] });
    }
    const slug = request.variables?.slug;
    (typeof slug === "string" ? articlePage(slug) : front()).then(
      (data) => send(res, 200, { data }),
      (error: unknown) => send(res, 500, { errors: [{ message: String(error) }] }),
    );
  });
});

server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ msg: "ceiling ready", url: `http://127.0.0.1:${port}/graphql` }));
});

process.once("SIGTERM", () => {
  server.close(() => db.close(() => process.exit(0)));
  server.closeAllConnections();
});
