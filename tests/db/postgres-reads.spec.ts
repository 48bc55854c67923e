import type { PoolClient } from "pg";
import { dataOf, startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";

// What these check exists on PostgreSQL only (the postgres-api project); on SQLite they are skipped.
const onPostgres = process.env.TEST_DATABASE === "postgres" && Boolean(process.env.DATABASE_URL);
const pgIt = onPostgres ? it : it.skip;

interface PgPool {
  readonly totalCount: number;
  connect(): Promise<PoolClient>;
}

/** The pool the server reads through (TypeORM's), as node-postgres's own. */
function poolOf(t: TestServer): PgPool {
  return (t.server.db.reader.driver as unknown as { master: PgPool }).master;
}

/** `sql` run once on every connection of the server's pool (all idle: held at once, so each is a different one). */
async function onEveryConnection<T>(t: TestServer, sql: string): Promise<T[]> {
  const pool = poolOf(t);
  const clients = await Promise.all(Array.from({ length: pool.totalCount }, () => pool.connect()));
  try {
    return (await Promise.all(clients.map(async (client) => (await client.query(sql)).rows as T[]))).flat();
  } finally {
    for (const client of clients) client.release();
  }
}

const ARTICLE_PAGE = `query ($slug: String!) { article(slug: $slug) { title institutions { name } quotes { text speaker { name } } } }`;

describe("reads on PostgreSQL", () => {
  let t: TestServer;
  beforeAll(async () => {
    // Uncached, so every request reads.
    t = await startTestServer({ seed: true, config: { cache: { enabled: false } } });
  });
  afterAll(async () => {
    await t.close();
  });

  pgIt("reach PostgreSQL as named prepared statements, each parsed and planned once per connection and then only executed", async () => {
    const { articles } = dataOf<{ articles: { nodes: Array<{ slug: string }> } }>(await t.gql(`{ articles(first: 1) { nodes { slug } } }`));
    const slug = articles.nodes[0]!.slug;
    for (let i = 0; i < 12; i++) expect(dataOf<{ article: { title: string } | null }>(await t.gql(ARTICLE_PAGE, { slug })).article).not.toBeNull();

    const prepared = await onEveryConnection<{ name: string; statement: string; executions: string; custom: string }>(
      t,
      `SELECT name, statement, (generic_plans + custom_plans)::text AS executions, custom_plans::text AS custom FROM pg_prepared_statements`,
    );
    // The article page by slug, read in one statement with its institutions and quotes (ArticleService.bySlugWith).
    const bySlug = prepared.filter((p) => p.statement.includes(`FROM "article" a WHERE a."slug" = $1`));
    // Prepared on one connection or a few, never once per request.
    expect(bySlug.length).toBeGreaterThanOrEqual(1);
    expect(bySlug.length).toBeLessThanOrEqual(poolOf(t).totalCount);
    expect(bySlug.reduce((sum, p) => sum + Number(p.executions), 0)).toBeGreaterThanOrEqual(12);
    // Planned once and kept (plan_cache_mode=force_generic_plan): no custom plan for any execution.
    expect(bySlug.reduce((sum, p) => sum + Number(p.custom), 0)).toBe(0);
    // Named after the SQL text, so every connection knows a statement by the same name.
    expect(new Set(bySlug.map((p) => p.name)).size).toBe(1);
  });

  pgIt("keep at most 500 statements prepared on a connection; further texts still answer, unnamed", async () => {
    const db = t.server.db;
    for (let i = 0; i < 520; i++) expect(await db.readPrepared(`SELECT ${i}::int AS n, $1::text AS tag`, ["bounded"])).toEqual([{ n: i, tag: "bounded" }]);
    const counts = await onEveryConnection<{ n: string }>(t, `SELECT count(*)::text AS n FROM pg_prepared_statements`);
    for (const { n } of counts) expect(Number(n)).toBeLessThanOrEqual(500);
  });

  pgIt("leave the planner statistics of a freshly migrated and seeded database (not the empty tables' defaults)", async () => {
    // ANALYZE sets reltuples; a table never analyzed has -1, and autovacuum would not look at one story for a while.
    const [row] = await t.server.db.reader.query(`SELECT reltuples FROM pg_class WHERE oid = 'article'::regclass`);
    expect(Number(row.reltuples)).toBe(1);
  });
});
