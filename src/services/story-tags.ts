import type { EntityManager } from "typeorm";
import { attributeWrites } from "../db/database";

/**
 * The tables a story's own writes go to: the story, its links, images and corrections, and its
 * slug's aliases. Writes elsewhere in the same transaction (new tags, revisions, facts) are
 * attributed by whoever makes them, or drop their whole kind.
 */
const STORY_TABLES = ["article", "article_institution", "article_person", "article_tag", "article_author", "article_image", "article_correction", "slug_alias"];

/** What readers may see of a story, for the tags of a change to it. */
interface StoryState {
  readonly published: boolean;
  /** The lists and records that show the story while it is published (see {@link readStoryState}). */
  readonly tags: readonly string[];
}

const NO_STORY: StoryState = { published: false, tags: [] };

/**
 * Runs `work`, which changes story `pk` (null: it creates one, and `work` answers its key through
 * `created`), attributing its writes to the story's tables to the rows a reader could see change:
 * the story itself, and, when it is published before or after, every list of stories it was or is
 * in (`Article:list`, the stories of each institution, person, tag and author it links) and
 * what shows only with a published story (its tags, byline, quotes and comments, and their lists).
 * A draft's change stays the story's alone: readers see no draft. `quotes`: `work` writes only
 * this story's quotes besides (adds, removes, renumbers them).
 */
export async function changingStory<T>(em: EntityManager, pk: number | null, work: (created: (pk: number) => void) => Promise<T>, options: { quotes?: boolean } = {}): Promise<T> {
  // With `quotes`, writes to the story's own quotes too: its quotes, before and after, are among the tags.
  return attributeWrites(em, options.quotes ? [...STORY_TABLES, "quote"] : STORY_TABLES, async (tag) => {
    let key = pk;
    const before = key === null ? NO_STORY : await readStoryState(em, key);
    const result = await work((created) => (key = created));
    if (key === null) throw new Error("changingStory(null) needs `created` called with the new story's key.");
    const after = await readStoryState(em, key);
    tag(`Article:${key}`);
    if (before.published || after.published) tag("Article:list", "Tag:list", "Author:list", "Quote:list", "Comment:list", ...before.tags, ...after.tags);
    return result;
  });
}

/** Whether a story is published, and the tags of what shows it: one statement. */
async function readStoryState(em: EntityManager, pk: number): Promise<StoryState> {
  // A key of ours, an integer: written into the text, so one statement serves both dialects.
  const id = Math.trunc(pk);
  const rows: Array<{ kind: string; ref: number | string }> = await em.query(
    `SELECT 'Published' AS kind, 1 AS ref FROM "article" WHERE "id" = ${id} AND "status" = 'PUBLISHED'
     UNION ALL SELECT 'Institution', "institution_id" FROM "article_institution" WHERE "article_id" = ${id}
     UNION ALL SELECT 'Person', "person_id" FROM "article_person" WHERE "article_id" = ${id}
     UNION ALL SELECT 'Tag', "tag_id" FROM "article_tag" WHERE "article_id" = ${id}
     UNION ALL SELECT 'Author', "author_id" FROM "article_author" WHERE "article_id" = ${id}
     UNION ALL SELECT 'Quote', "id" FROM "quote" WHERE "article_id" = ${id}
     UNION ALL SELECT 'Comment', "id" FROM "comment" WHERE "article_id" = ${id}`,
  );
  let published = false;
  const tags: string[] = [];
  for (const row of rows) {
    const ref = Number(row.ref);
    switch (row.kind) {
      case "Published":
        published = true;
        break;
      case "Institution":
      case "Person":
        tags.push(`${row.kind}:${ref}:articles`);
        break;
      case "Tag":
      case "Author":
        // A tag or author is shown to readers while a published story carries them.
        tags.push(`${row.kind}:${ref}:articles`, `${row.kind}:${ref}`);
        break;
      default:
        // Quotes and comments are shown only with their story.
        tags.push(`${row.kind}:${ref}`);
    }
  }
  return { published, tags };
}
