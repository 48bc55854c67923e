import fs from "node:fs";
import path from "node:path";
import { NO_REQUEST } from "../../kernel/request-context";
import { Article } from "../../entities/article.entity";
import { ImportService } from "../import/import.service";
import type { Database } from "../../db/database";

/** The story file kept inside the project (users have no ../shared). */
export const SEED_STORY_FILE = path.join(__dirname, "seed-article.txt");

/**
 * Loads the seed story when the database holds no story yet: its raw text goes through the
 * importer like any story (published at `now`), so every fact it stores is read from the text.
 * Returns true when it loaded something.
 */
export async function loadSeed(db: Database, now: Date = new Date()): Promise<boolean> {
  const text = fs.readFileSync(SEED_STORY_FILE, "utf8");
  // Decided inside the import's transaction, so two instances starting at once load it once.
  const loaded = await new ImportService(db).importUnless(NO_REQUEST, text, { publish: true, now }, async (em) => (await em.count(Article)) > 0);
  return loaded !== null;
}
