import type { EntityManager } from "typeorm";
import type { DirectContext } from "./facts";
import type { Article } from "../entities/article.entity";
import { ArticleTag } from "../entities/article.entity";
import { ArticleImage } from "../entities/image.entity";
import { ArticleRevision, RevisedField, RevisionKind } from "../entities/revision.entity";
import { Tag } from "../entities/tag.entity";
import type { CheckedImage } from "./article.images";

/*
 * How revisions are written, inside the transaction of the change they record (create, update,
 * import, restore): the story's editable fields as a versioned snapshot, who changed them, when,
 * and which fields changed. Reads, diffs and restores are the services' (revision.service.ts,
 * article.service.ts).
 */

/** A story's editable fields as the first snapshot version kept them; tags by name, in order. */
export interface StorySnapshotV1 {
  title: string;
  summary: string | null;
  body: string;
  tags: string[];
}

/** A story's pictures as a snapshot keeps them: its lead image, and the others in order. */
export interface SnapshotImages {
  lead: CheckedImage | null;
  others: CheckedImage[];
}

/** Version 2 also keeps the story's images. */
export interface StorySnapshotV2 extends StorySnapshotV1 {
  images: SnapshotImages;
}

/** The snapshot version this code writes. */
export const SNAPSHOT_VERSION = 2;

/** A story's fields as a revision keeps them, whatever version wrote them: `images` is null where the version kept none. */
export interface StorySnapshot extends StorySnapshotV1 {
  images: SnapshotImages | null;
}

/** Every field a snapshot keeps, in the order diffs list them. */
export const REVISED_FIELDS: readonly RevisedField[] = [RevisedField.TITLE, RevisedField.SUMMARY, RevisedField.BODY, RevisedField.TAGS, RevisedField.IMAGES];

/** A stored snapshot; throws for a version this code cannot read (written by a newer instance). */
export function readSnapshot(revision: Pick<ArticleRevision, "snapshot" | "snapshotVersion" | "pk">): StorySnapshot {
  switch (revision.snapshotVersion) {
    case 1:
      return { ...(JSON.parse(revision.snapshot) as StorySnapshotV1), images: null };
    case 2:
      return JSON.parse(revision.snapshot) as StorySnapshotV2;
    default:
      throw new Error(`revision ${revision.pk} has snapshot version ${revision.snapshotVersion}, which this version of the server cannot read`);
  }
}

/** A story's images as one line each, lead image first, for comparing and diffing them. */
export function imageLines(images: SnapshotImages): string[] {
  const line = (image: CheckedImage, lead: boolean) => JSON.stringify({ lead, url: image.url, width: image.width, height: image.height, alt: image.alt, caption: image.caption, credit: image.credit });
  return [...(images.lead ? [line(images.lead, true)] : []), ...images.others.map((image) => line(image, false))];
}

/**
 * The value of one field in a snapshot, as a diff compares it (images as {@link imageLines});
 * undefined for images a snapshot did not keep.
 */
export function fieldOf(snapshot: StorySnapshot, field: RevisedField): string | string[] | null | undefined {
  switch (field) {
    case RevisedField.TITLE:
      return snapshot.title;
    case RevisedField.SUMMARY:
      return snapshot.summary;
    case RevisedField.BODY:
      return snapshot.body;
    case RevisedField.TAGS:
      return snapshot.tags;
    case RevisedField.IMAGES:
      return snapshot.images === null ? undefined : imageLines(snapshot.images);
  }
}

/** Whether two values of a field are the same; a field one side did not keep is taken for unchanged. */
export function sameValue(a: string | string[] | null | undefined, b: string | string[] | null | undefined): boolean {
  if (a === undefined || b === undefined) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}

/** The fields whose values differ between two snapshots (every field when there is no `before`). */
export function changedFields(before: StorySnapshot | null, after: StorySnapshot): RevisedField[] {
  return REVISED_FIELDS.filter((field) => before === null || !sameValue(fieldOf(before, field), fieldOf(after, field)));
}

/** `article`'s snapshot as it stands in this transaction (its tags read from their links). */
export async function snapshotOf(em: EntityManager, article: Pick<Article, "pk" | "title" | "summary" | "body">): Promise<StorySnapshotV2> {
  const tags = await em
    .createQueryBuilder(ArticleTag, "at")
    .innerJoin(Tag, "t", "t.id = at.tag_id")
    .select("t.name", "name")
    .where("at.article_id = :pk", { pk: article.pk })
    .orderBy("at.position", "ASC")
    .addOrderBy("at.tag_id", "ASC")
    .getRawMany<{ name: string }>();
  const images = await em.find(ArticleImage, { where: { articleId: article.pk }, order: { lead: "DESC", position: "ASC", pk: "ASC" } });
  const kept = ({ url, width, height, alt, caption, credit }: ArticleImage): CheckedImage => ({ url, width, height, alt, caption, credit });
  const lead = images.find((image) => image.lead);
  return {
    title: article.title,
    summary: article.summary,
    body: article.body,
    tags: tags.map((t) => t.name),
    images: { lead: lead ? kept(lead) : null, others: images.filter((image) => !image.lead).map(kept) },
  };
}

/** What a change is recorded against: the story's fields before it, and when they were last changed. */
export interface PriorState {
  readonly snapshot: StorySnapshotV2;
  readonly updatedAt: Date;
}

/** `article` as it stands before a change, to record the change against. */
export async function priorState(em: EntityManager, article: Article): Promise<PriorState> {
  return { snapshot: await snapshotOf(em, article), updatedAt: article.updatedAt };
}

/**
 * Records `article` as it now stands in the caller's transaction, when its editable fields
 * differ from `before` (a new story, `before` null, always records). A story stored before
 * revisions were kept first gets its prior state as an ORIGINAL revision, so that its first
 * change can be compared and undone. Returns the revision written, or null when nothing changed.
 */
export async function recordRevision(
  em: EntityManager,
  ctx: DirectContext,
  article: Article,
  before: PriorState | null,
  kind: RevisionKind,
  options: { restoredFrom?: number; now?: Date } = {},
): Promise<ArticleRevision | null> {
  const after = await snapshotOf(em, article);
  const changed = changedFields(before?.snapshot ?? null, after);
  if (changed.length === 0) return null;
  const last = await em.findOne(ArticleRevision, { select: { pk: true, number: true }, where: { articleId: article.pk }, order: { number: "DESC" } });
  let number = last?.number ?? 0;
  if (last === null && before !== null) {
    await em.insert(ArticleRevision, {
      articleId: article.pk,
      number: ++number,
      kind: RevisionKind.ORIGINAL,
      snapshotVersion: SNAPSHOT_VERSION,
      snapshot: JSON.stringify(before.snapshot),
      changed: REVISED_FIELDS.join(","),
      tokenId: null,
      actor: null,
      restoredFrom: null,
      createdAt: before.updatedAt,
    });
  }
  const revision = em.create(ArticleRevision, {
    articleId: article.pk,
    number: number + 1,
    kind,
    snapshotVersion: SNAPSHOT_VERSION,
    snapshot: JSON.stringify(after),
    changed: changed.join(","),
    tokenId: ctx.viewer?.tokenPk ?? null,
    actor: ctx.viewer?.name ?? null,
    restoredFrom: options.restoredFrom ?? null,
    createdAt: options.now ?? article.updatedAt,
  });
  return em.save(revision);
}
