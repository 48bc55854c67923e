import http from "node:http";
import type { AddressInfo } from "node:net";

/*
 * What both read ceilings share (ceiling.ts on sqlite3, ceiling-better.ts on better-sqlite3):
 * the statements, the shaping of their rows into the server's JSON, and the bare node:http
 * server that takes the very same POST bodies as the GraphQL server (it picks the read by its
 * variables). Only the driver differs, so their gap is the driver's.
 */

/** Q1, the article page: the story, its institutions in the story's order, its quotes with speakers. */
export const SQL = {
  articleBySlug: `SELECT id, title, body, published_at FROM article WHERE slug = ? AND status = 'PUBLISHED'`,
  institutionsOf: `SELECT i.name, i.slug FROM article_institution ai JOIN institution i ON i.id = ai.institution_id WHERE ai.article_id = ? ORDER BY ai.position, ai.institution_id`,
  quotesOf: `SELECT q.text, p.name FROM quote q JOIN person p ON p.id = q.speaker_id WHERE q.article_id = ? ORDER BY q.position, q.id`,
  // Q2, the front page: the 20 newest published stories with their first institution's name, in one statement.
  frontPage: `SELECT a.id, a.slug, a.title, a.summary, a.published_at,
     (SELECT i.name FROM article_institution ai JOIN institution i ON i.id = ai.institution_id WHERE ai.article_id = a.id ORDER BY ai.position, ai.institution_id LIMIT 1) AS institution
   FROM article a WHERE a.status = 'PUBLISHED' ORDER BY a.published_at DESC, a.id DESC LIMIT 20`,
} as const;

export interface ArticleRow {
  id: number;
  title: string;
  body: string;
  published_at: string | null;
}
export interface InstitutionRow {
  name: string;
  slug: string;
}
export interface QuoteRow {
  text: string;
  name: string;
}
export interface FrontRow {
  id: number;
  slug: string;
  title: string;
  summary: string | null;
  published_at: string | null;
  institution: string | null;
}

/** TypeORM's SQLite datetime text (UTC, `YYYY-MM-DD HH:MM:SS.SSS`) as the API's ISO instant. */
function isoTime(text: string | null): string | null {
  return text === null ? null : `${text.replace(" ", "T")}Z`;
}

export function articleAnswer(article: ArticleRow | undefined, institutions: InstitutionRow[], quotes: QuoteRow[]) {
  if (!article) return { article: null };
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

export function frontAnswer(rows: FrontRow[]) {
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

/**
 * The ceiling's HTTP side: POST only, Q1 when the variables hold a slug, Q2 otherwise. `read`
 * answers synchronously (better-sqlite3) or with a promise (sqlite3); a synchronous answer is
 * sent without a detour through the microtask queue.
 */
export function serveCeiling(name: string, read: { article(slug: string): unknown; front(): unknown }, close: () => void): void {
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
      let data: unknown;
      try {
        data = typeof slug === "string" ? read.article(slug) : read.front();
      } catch (error) {
        return send(res, 500, { errors: [{ message: String(error) }] });
      }
      if (data instanceof Promise) {
        data.then(
          (value: unknown) => send(res, 200, { data: value }),
          (error: unknown) => send(res, 500, { errors: [{ message: String(error) }] }),
        );
      } else {
        send(res, 200, { data });
      }
    });
  });
  server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo;
    console.log(JSON.stringify({ msg: `${name} ready`, url: `http://127.0.0.1:${port}/graphql` }));
  });
  process.once("SIGTERM", () => {
    server.close(() => close());
    server.closeAllConnections();
  });
}
