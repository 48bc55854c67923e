import "reflect-metadata";
import { Client } from "pg";
import { Database } from "../../src/db/database";
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
    const db = await Database.open({ kind: "postgres", url: url! });
    try {
      expect(db.reader).toBe(db.writer);
      expect((await db.writer.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query)).toEqual([]);
      expect((await db.writer.query(`SELECT data_type FROM information_schema.columns WHERE table_name = 'article' AND column_name = 'published_at'`))[0].data_type).toBe("timestamp with time zone");
      await db.writer.undoLastMigration();
      await db.writer.undoLastMigration();
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
    } finally {
      await t.close();
    }
  });
});
