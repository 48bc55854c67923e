import type { EntityManager } from "typeorm";
import { attributeWrites } from "../db/database";
import { Article, ArticleStatus } from "../entities/article.entity";

/**
 * The tables a story's own writes go to: the story, its links, images and corrections, and its
 * slug's aliases. Writes elsewhere in the same transaction (new tags, revisions, facts) are
 * attributed by whoever makes them, or drop their whole kind.
 */
const STORY_TABLES = ["article", "article_institution", "article_person", "article_tag", "article_author", "article_image", "article_correction", "slug_alias"];

/** What readers may see of a story, for the tags of a change to it. */
interface StoryState {
  readonly published: boolean;
  /** When it was published (the order of most lists of stories), as the driver read it. */
  readonly publishedAt: string | null;
  /** The lists of stories it is in while published: each record's it links (see {@link readStoryState}). */
  readonly lists: readonly string[];
  /** What shows only while a published story carries it: its tags, byline, quotes and comments. */
  readonly shown: readonly string[];
}

const NO_STORY: StoryState = { published: false, publishedAt: null, lists: [], shown: [] };

/** Lists that change only with what a published story shows: tags, bylines, quotes, comments (membership, not order by a story's edit). */
const SHOWN_LISTS: ReadonlyArray<readonly [string, string]> = [
  ["Tag:", "Tag:list"],
  ["Author:", "Author:list"],
  ["Quote:", "Quote:list"],
  ["Comment:", "Comment:list"],
];

/**
 * Runs `work`, which changes story `pk` (null: it creates one, and `work` answers its key through
 * `created`), attributing its writes to the story's tables to the rows a reader could see change:
 * the story itself, and, when it is published before or after:
 * - when it is published or withdrawn, or its publication instant moves: every list of stories
 *   it was or is in (`Article:list`, the stories of each institution, person, tag and author it
 *   links), and what shows only with a published story (its quotes and comments, and its tags
 *   and authors when no other published story carries them: see {@link flipping}; and their lists);
 * - otherwise (an edit of a published story): the lists ordered by the last edit that it is in
 *   (`…:by-update`), every search (its text may have changed which searches match it and how
 *   well), and the lists it entered or left through its links, with what shows because of them.
 *   Lists ordered by publication that merely show it keep their membership and order; they
 *   carry its row, which is dropped.
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
    if (!before.published && !after.published) return result;
    if (before.published !== after.published || before.publishedAt !== after.publishedAt) {
      const shown = await flipping(em, key, [...new Set([...before.shown, ...after.shown])]);
      tag("Article:list", "Quote:list", "Comment:list", ...before.lists, ...after.lists, ...shown);
      for (const [prefix, list] of SHOWN_LISTS) if (shown.some((t) => t.startsWith(prefix))) tag(list);
      return result;
    }
    tag(byUpdate("Article:list"), SEARCHES, ...new Set([...before.lists, ...after.lists].map(byUpdate)));
    const changed = [...symmetricDifference(before.lists, after.lists), ...(await flipping(em, key, symmetricDifference(before.shown, after.shown)))];
    // Renumbered quotes keep their rows but move in their lists.
    if (options.quotes) changed.push(...before.shown.filter((t) => t.startsWith("Quote:")), ...after.shown.filter((t) => t.startsWith("Quote:")), "Quote:list");
    tag(...changed);
    for (const [prefix, list] of SHOWN_LISTS) if (changed.some((t) => t.startsWith(prefix))) tag(list);
    return result;
  });
}

/** Every list of stories that a search keeps to (`articles(filter: {search})`): any edit may change its members and their ranks. */
export const SEARCHES = "Article:search";

/**
 * The tag of the same list ordered by the stories' last edit (`orderBy: UPDATED_AT_DESC`):
 * `Article:list:by-update`, `Institution:3:by-update:articles`. A scoped list's still ends in
 * `:articles`, so that its change drops what depends on stories whole (see cache/tags.ts).
 */
export function byUpdate(list: string): string {
  return list.endsWith(":articles") ? `${list.slice(0, -":articles".length)}:by-update:articles` : `${list}:by-update`;
}

/**
 * The list of the stories with the tag of this slug, as `articles(filter: {tag})` names it (the
 * filter is by slug; a tag's slug never changes). Null for a text no tag's slug can be: such a
 * filter is tagged by the kind instead.
 */
export function tagSlugList(slug: string): string | null {
  return /^[a-z0-9][a-z0-9-]{0,199}$/.test(slug) ? `Tag:slug-${slug}:articles` : null;
}

/**
 * Of the records shown with story `pk` that its change may show or hide (`Tag:3`, `Author:2`,
 * `Quote:7`…), those whose being shown could have changed: a tag or author that another
 * published story carries is shown before and after whatever this story does (readers see a
 * tag, and an unlisted author, while a published story carries them), and so is every answer
 * naming it. Quotes and comments are shown with their story alone: all of them.
 */
async function flipping(em: EntityManager, pk: number, shown: readonly string[]): Promise<string[]> {
  const keys = (kind: string) => shown.filter((t) => t.startsWith(`${kind}:`)).map((t) => Math.trunc(Number(t.slice(kind.length + 1))));
  const tags = keys("Tag");
  const authors = keys("Author");
  const branches: string[] = [];
  const id = Math.trunc(pk);
  if (tags.length > 0)
    branches.push(`SELECT 'Tag' AS kind, l."tag_id" AS ref FROM "article_tag" l INNER JOIN "article" a ON a."id" = l."article_id" WHERE l."tag_id" IN (${tags.join(", ")}) AND a."status" = 'PUBLISHED' AND a."id" <> ${id} GROUP BY l."tag_id"`);
  if (authors.length > 0)
    branches.push(`SELECT 'Author' AS kind, l."author_id" AS ref FROM "article_author" l INNER JOIN "article" a ON a."id" = l."article_id" WHERE l."author_id" IN (${authors.join(", ")}) AND a."status" = 'PUBLISHED' AND a."id" <> ${id} GROUP BY l."author_id"`);
  if (branches.length === 0) return [...shown];
  const rows: Array<{ kind: string; ref: number | string }> = await em.query(branches.join(" UNION ALL "));
  const elsewhere = new Set(rows.map((row) => `${row.kind}:${Number(row.ref)}`));
  return shown.filter((t) => !elsewhere.has(t));
}

function symmetricDifference(a: readonly string[], b: readonly string[]): string[] {
  const inA = new Set(a);
  const inB = new Set(b);
  return [...a.filter((t) => !inB.has(t)), ...b.filter((t) => !inA.has(t))];
}

/** Whether a story is published and when, and the tags of what shows it: two statements. */
async function readStoryState(em: EntityManager, pk: number): Promise<StoryState> {
  // A key of ours, an integer: written into the text, so one statement serves both dialects.
  // Every reference as text, so that the branches agree on PostgreSQL.
  const id = Math.trunc(pk);
  const rows: Array<{ kind: string; ref: string | null }> = await em.query(
    `SELECT 'Institution' AS kind, CAST("institution_id" AS TEXT) AS ref FROM "article_institution" WHERE "article_id" = ${id}
     UNION ALL SELECT 'Person', CAST("person_id" AS TEXT) FROM "article_person" WHERE "article_id" = ${id}
     UNION ALL SELECT 'Tag', CAST("tag_id" AS TEXT) FROM "article_tag" WHERE "article_id" = ${id}
     UNION ALL SELECT 'TagSlug', t."slug" FROM "article_tag" l INNER JOIN "tag" t ON t."id" = l."tag_id" WHERE l."article_id" = ${id}
     UNION ALL SELECT 'Author', CAST("author_id" AS TEXT) FROM "article_author" WHERE "article_id" = ${id}
     UNION ALL SELECT 'Quote', CAST("id" AS TEXT) FROM "quote" WHERE "article_id" = ${id}
     UNION ALL SELECT 'Comment', CAST("id" AS TEXT) FROM "comment" WHERE "article_id" = ${id}`,
  );
  // The instant as an entity reads it: the driver's text of it differs with how it was written.
  const story = await em.findOne(Article, { select: { pk: true, status: true, publishedAt: true }, where: { pk: id } });
  const published = story?.status === ArticleStatus.PUBLISHED;
  const publishedAt = published ? (story.publishedAt?.toISOString() ?? null) : null;
  const lists: string[] = [];
  const shown: string[] = [];
  for (const row of rows) {
    switch (row.kind) {
      case "TagSlug": {
        // A slug no filter could be tagged by is in no list by slug (such filters depend on the kind).
        const list = row.ref === null ? null : tagSlugList(row.ref);
        if (list) lists.push(list);
        break;
      }
      case "Institution":
      case "Person":
        lists.push(`${row.kind}:${Number(row.ref)}:articles`);
        break;
      case "Tag":
      case "Author":
        // A tag or author is shown to readers while a published story carries them.
        lists.push(`${row.kind}:${Number(row.ref)}:articles`);
        shown.push(`${row.kind}:${Number(row.ref)}`);
        break;
      default:
        // Quotes and comments are shown only with their story.
        shown.push(`${row.kind}:${Number(row.ref)}`);
    }
  }
  return { published, publishedAt, lists, shown };
}
