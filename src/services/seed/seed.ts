import fs from "node:fs";
import path from "node:path";
import { NO_REQUEST } from "../../kernel/request-context";
import { Article } from "../../entities/article.entity";
import { parseImportConfig } from "../../config";
import { ImportPool } from "../import/import.pool";
import { ImportService } from "../import/import.service";
import type { Database } from "../../db/database";

/** The story file kept inside the project (users have no ../shared). */
export const SEED_STORY_FILE = path.join(__dirname, "seed-article.txt");

/**
 * Loads the seed story when the database holds no story yet: its raw text goes through the
 * importer like any story (published at `now`), read in the server's import `pool` (without one,
 * in a pool of its own with the default settings), so every fact it stores is read from the text.
 * Returns true when it loaded something.
 */
export async function loadSeed(db: Database, now: Date = new Date(), pool?: ImportPool): Promise<boolean> {
  const text = fs.readFileSync(SEED_STORY_FILE, "utf8");
  const reader = pool ?? new ImportPool(parseImportConfig({}));
  try {
    // Decided inside the import's transaction, so two instances starting at once load it once.
    const loaded = await new ImportService(db, reader).importUnless(NO_REQUEST, text, { publish: true, now }, async (em) => (await em.count(Article)) > 0);
    if (loaded === null) return false;
    // The first story in an empty database: without this the planner would go on planning for empty tables.
    await db.analyze();
    return true;
  } finally {
    if (!pool) await reader.close();
  }
}
