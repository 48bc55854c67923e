import "reflect-metadata";
import { Client } from "pg";
import { Database } from "../../src/db/database";
import { entities } from "../../src/entities/entities";
import { migrations } from "../../src/db/migrations";
import { dataOf, startTestServer } from "../helpers/server";

const url = process.env.DATABASE_URL;
const suite = url ? describe : describe.skip;
if (!url) {
  console.warn("PostgreSQL suite skipped: DATABASE_URL is unset (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx jest --selectProjects postgres)");
}

/** Empties the database's public schema: the suite owns the database it is pointed at. */
async function resetSchema(connection: string): Promise<void> {
  const client = new Client({ connectionString: connection });
  await client.connect();
  try {
    await client.query("DROP SCHEMA IF EXISTS public CASCADE");
    await client.query("CREATE SCHEMA public");
  } finally {
    await client.end();
  }
}

suite("migrations on PostgreSQL", () => {
  beforeEach(async () => {
    await resetSchema(url!);
  });

  it("build exactly the schema the entities describe, and revert cleanly", async () => {
    const db = await Database.open({ kind: "postgres", url: url! }, entities);
    try {
      expect(db.reader).toBe(db.writer);
      expect((await db.writer.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query)).toEqual([]);
      expect((await db.writer.query(`SELECT data_type FROM information_schema.columns WHERE table_name = 'article' AND column_name = 'published_at'`))[0].data_type).toBe("timestamp with time zone");
      for (let i = 0; i < migrations.length; i++) await db.writer.undoLastMigration();
      expect(await db.writer.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`)).toEqual([]);
      await db.writer.runMigrations();
      expect((await db.writer.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it("serve the seed story and paged lists from PostgreSQL", async () => {
    const t = await startTestServer({ seed: true, database: { kind: "postgres", url: url! } });
    try {
      const data = dataOf<{ articles: { totalCount: number; nodes: Array<{ title: string; quotes: unknown[]; institutions: unknown[] }> }; institutions: { nodes: Array<{ articles: { totalCount: number } }> } }>(
        await t.gql(`{ articles { totalCount nodes { title quotes { attribution speaker { name } } institutions { shortName } } } institutions(first: 2) { nodes { articles(first: 1) { totalCount } } } }`),
      );
      expect(data.articles.totalCount).toBe(1);
      expect(data.articles.nodes[0]!.title).toBe("Sukses Raih Predikat WBK, Lapas Banyuwangi Jadi Rujukan Studi Tiru Lapas Bojonegoro");
      expect(data.articles.nodes[0]!.quotes).toHaveLength(4);
      expect(data.articles.nodes[0]!.institutions).toEqual([{ shortName: "Lapas Banyuwangi" }, { shortName: "Lapas Bojonegoro" }, { shortName: null }]);
      expect(data.institutions.nodes.map((n) => n.articles.totalCount)).toEqual([1, 1]);

      // Full-text search on PostgreSQL: prefixes, case and diacritics folded, every word required, bm25-like ranking.
      const search = async (text: string, orderBy = "PUBLISHED_AT_DESC") =>
        dataOf<{ articles: { nodes: Array<{ title: string }> } }>(await t.gql(`query($s: String, $o: ArticleOrder) { articles(filter: { search: $s }, orderBy: $o) { nodes { title } } }`, { s: text, o: orderBy })).articles.nodes.length;
      expect(await search("BOJONEGÓRO studi")).toBe(1);
      expect(await search("bojo rujuk", "RELEVANCE")).toBe(1);
      expect(await search("bojonegoro kopi")).toBe(0);
      const ranked = dataOf<{ a: { pageInfo: { endCursor: string } }; }>(await t.gql(`{ a: articles(first: 1, filter: { search: "lapas" }, orderBy: RELEVANCE) { pageInfo { endCursor } } }`));
      const next = dataOf<{ articles: { nodes: unknown[]; pageInfo: { hasPreviousPage: boolean } } }>(
        await t.gql(`query($after: String) { articles(first: 1, after: $after, filter: { search: "lapas" }, orderBy: RELEVANCE) { nodes { title } pageInfo { hasPreviousPage } } }`, { after: ranked.a.pageInfo.endCursor }),
      );
      expect(next.articles).toEqual({ nodes: [], pageInfo: { hasPreviousPage: true } });
    } finally {
      await t.close();
    }
  });
});
