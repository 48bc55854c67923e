import http from "node:http";
import type { AddressInfo } from "node:net";
import { Pool } from "pg";

/*
 * The PostgreSQL ceiling of `bench --postgres`: a bare node:http server answering the
 * benchmark's two reads with one statement each, the JSON built by PostgreSQL itself
 * (json_build_object / json_agg) and sent on as the text it arrives as, so Node parses and
 * serialises nothing. Named prepared statements, a pool of 10 connections (TypeORM's default,
 * the server's). It takes the server's very POST bodies (Q1 when the variables hold a slug, Q2
 * otherwise) and answers the same JSON (Q2 with each story's first institution alone, like the
 * SQLite ceilings): about as fast as Node answers these reads from this PostgreSQL.
 *
 *   DATABASE_URL=… PORT=0 node dist/tests/bench/ceiling-pg.js   → prints {"url":"http://127.0.0.1:PORT/graphql"}
 */

// An instant as the API spells it (UTC, milliseconds, Z).
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const ARTICLE = {
  name: "ceiling_q1",
  text: `SELECT json_build_object(
    'title', a.title, 'body', a.body, 'publishedAt', ${iso("a.published_at")},
    'institutions', COALESCE((SELECT json_agg(json_build_object('name', i.name, 'slug', i.slug) ORDER BY ai.position, ai.institution_id)
       FROM article_institution ai JOIN institution i ON i.id = ai.institution_id WHERE ai.article_id = a.id), '[]'),
    'quotes', COALESCE((SELECT json_agg(json_build_object('text', q.text, 'speaker', json_build_object('name', p.name)) ORDER BY q.position, q.id)
       FROM quote q JOIN person p ON p.id = q.speaker_id WHERE q.article_id = a.id), '[]'))::text AS json
  FROM article a WHERE a.slug = $1 AND a.status = 'PUBLISHED'`,
};

const FRONT = {
  name: "ceiling_q2",
  text: `SELECT json_build_object('articles', json_build_object('nodes', COALESCE(json_agg(json_build_object(
      'id', rtrim(translate(encode(convert_to('Article:' || f.id, 'UTF8'), 'base64'), '+/', '-_'), '='),
      'slug', f.slug, 'title', f.title, 'summary', f.summary, 'publishedAt', ${iso("f.published_at")},
      'institutions', CASE WHEN f.institution IS NULL THEN '[]'::json ELSE json_build_array(json_build_object('name', f.institution)) END
    ) ORDER BY f.published_at DESC, f.id DESC), '[]')))::text AS json
  FROM (SELECT a.id, a.slug, a.title, a.summary, a.published_at,
      (SELECT i.name FROM article_institution ai JOIN institution i ON i.id = ai.institution_id WHERE ai.article_id = a.id ORDER BY ai.position, ai.institution_id LIMIT 1) AS institution
    FROM article a WHERE a.status = 'PUBLISHED' ORDER BY a.published_at DESC, a.id DESC LIMIT 20) f`,
};

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is required");
  process.exit(2);
}
const pool = new Pool({ connectionString: url, max: 10 });

async function answer(slug: unknown): Promise<string> {
  if (typeof slug === "string") {
    const { rows } = await pool.query<{ json: string }>({ ...ARTICLE, values: [slug] });
    return `{"data":{"article":${rows[0]?.json ?? "null"}}}`;
  }
  const { rows } = await pool.query<{ json: string }>({ ...FRONT, values: [] });
  return `{"data":${rows[0]!.json}}`;
}

function send(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer((req, res) => {
  if (req.method !== "POST") return send(res, 405, `{"errors":[{"message":"POST only"}]}`);
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    let slug: unknown;
    try {
      slug = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { variables?: { slug?: unknown } }).variables?.slug;
    } catch {
      return send(res, 400, `{"errors":[{"message":"bad JSON"}]}`);
    }
    answer(slug).then(
      (text) => send(res, 200, text),
      (error: unknown) => send(res, 500, JSON.stringify({ errors: [{ message: String(error) }] })),
    );
  });
});
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ msg: "PostgreSQL ceiling ready", url: `http://127.0.0.1:${port}/graphql` }));
});
process.once("SIGTERM", () => {
  server.close(() => void pool.end().then(() => process.exit(0)));
  server.closeAllConnections();
});
