import { In } from "typeorm";
import type { EntityManager, EntityTarget, FindOptionsWhere } from "typeorm";
import { attributeWrites } from "../db/database";
import type { CountingContext } from "../kernel/request-context";
import type { Viewer } from "../kernel/viewer";
import { toGlobalId } from "../kernel/ids";
import type { NodeType } from "../kernel/ids";
import { canSeeDrafts } from "../kernel/viewer";
import { Accreditation, Institution } from "../entities/institution.entity";
import { Person, Position } from "../entities/person.entity";
import { ATTRIBUTE_FACTS, FactSource } from "../entities/fact-source.entity";
import type { AttributeFact, FactKind, SourceState } from "../entities/fact-source.entity";

/**
 * The one visibility rule for facts. A record or fact is shown to readers when a STATED source
 * (a published story, or an editor's direct entry) states it; a draft's or scheduled story's
 * sources are PROPOSED (editors see them, readers do not); unpublishing makes a story's sources
 * proposals again and deleting withdraws them. What readers see is kept in columns (`visible`,
 * and an institution's attribute values) recomputed here from the sources, in the transaction
 * that changed them, so reads filter on a column and cost no extra statement.
 *
 * Records stored before sources were kept (or written outside the services) have no origin
 * source, whether or not they were given backfilled sources since: such a record keeps
 * `visible` as it is, and an attribute nobody set through a source keeps its value.
 */

/** A mutation's context: the viewer's token is the source of a direct entry. */
export type DirectContext = CountingContext & { readonly viewer?: Viewer | null };

/** One fact a source states. */
export interface StatedFact {
  fact: FactKind;
  subjectId: number;
  /** An attribute's value (a parent as its key); omitted for existence. */
  value?: string | null;
  /** True when this source brought the record (or set the attribute) into the store. */
  origin: boolean;
  span?: { start: number; end: number } | null;
  excerpt?: string | null;
}

const EXCERPT_MAX = 500;

/** Records what a story states, as proposals until the story is published (see {@link setStoryState}). */
export async function recordStorySources(em: EntityManager, article: { pk: number; title: string }, facts: readonly StatedFact[]): Promise<void> {
  await insert(em, facts, { articleId: article.pk, articleTitle: article.title, tokenId: null, state: "PROPOSED", statedAt: null });
  // A proposal changes what readers see only where it brings a record or a value in (it hides
  // the new record); one more proposal about a stored record changes nothing until published.
  await recompute(em, facts.filter((f) => f.origin));
}

/** Records an editor's direct entry: stated at once. */
export async function recordDirectSources(em: EntityManager, ctx: DirectContext, facts: readonly StatedFact[], now = new Date()): Promise<void> {
  await insert(em, facts, { articleId: null, articleTitle: null, tokenId: ctx.viewer?.tokenPk ?? null, state: "STATED", statedAt: now });
  await recompute(em, facts);
}

/** The type of the record a fact is about. */
const SUBJECT_TYPE: Record<FactKind, NodeType> = {
  INSTITUTION: "Institution",
  CLASSIFICATION: "Institution",
  CITY: "Institution",
  PROVINCE: "Institution",
  SHORT_NAME: "Institution",
  PARENT: "Institution",
  PERSON: "Person",
  ACCREDITATION: "Accreditation",
  POSITION: "Position",
  QUOTE: "Quote",
};

/**
 * A story's sources follow its status: STATED when it is published (at `statedAt`), PROPOSED as
 * a draft or scheduled, WITHDRAWN before it is deleted. Recomputes what its facts touch, and
 * answers the global ids of the records its facts are about (for the audit trail).
 */
export async function setStoryState(em: EntityManager, articlePk: number, state: SourceState, statedAt: Date | null): Promise<string[]> {
  return attributeWrites(em, ["fact_source"], async (tag) => {
    await em.update(FactSource, { articleId: articlePk }, { state, statedAt });
    const facts = await em.find(FactSource, { select: { fact: true, subjectId: true }, where: { articleId: articlePk } });
    // A record's sources are shown with it: the records they are about change.
    tag(...subjectTagsOf(facts));
    await recompute(em, facts);
    return subjectIdsOf(facts);
  });
}

/** The cache tags of the records `facts` are about (`Institution:3`). */
function subjectTagsOf(facts: ReadonlyArray<Pick<StatedFact, "fact" | "subjectId">>): string[] {
  return [...new Set(facts.map((f) => `${SUBJECT_TYPE[f.fact]}:${f.subjectId}`))];
}

/** The global ids of the records `facts` are about, each once. */
export function subjectIdsOf(facts: ReadonlyArray<Pick<StatedFact, "fact" | "subjectId">>): string[] {
  return [...new Set(facts.map((f) => toGlobalId(SUBJECT_TYPE[f.fact], f.subjectId)))];
}

async function insert(em: EntityManager, facts: readonly StatedFact[], source: Pick<FactSource, "articleId" | "articleTitle" | "tokenId" | "state" | "statedAt">): Promise<void> {
  if (facts.length === 0) return;
  const rows = facts.map((f) =>
    em.create(FactSource, {
      ...source,
      fact: f.fact,
      subjectId: f.subjectId,
      value: f.value ?? null,
      origin: f.origin,
      spanStart: f.span?.start ?? null,
      spanEnd: f.span?.end ?? null,
      excerpt: f.excerpt == null ? null : f.excerpt.slice(0, EXCERPT_MAX),
    }),
  );
  await attributeWrites(em, ["fact_source"], async (tag) => {
    tag(...subjectTagsOf(facts));
    // In chunks: SQLite allows a bounded number of parameters per statement.
    for (let i = 0; i < rows.length; i += 50) await em.insert(FactSource, rows.slice(i, i + 50));
  });
}

/** The tables {@link recompute} writes: the reader-visible columns of records. */
const RECOMPUTED_TABLES = ["institution", "person", "accreditation", "position"];

/** A table's `visible` by key, of the rows `where` finds (flips are what move lists). */
async function visibility<T extends { pk: number; visible: boolean }>(em: EntityManager, entity: EntityTarget<T>, where: FindOptionsWhere<T>[]): Promise<Map<number, boolean>> {
  const rows = await em.find(entity, { select: { pk: true, visible: true } as never, where });
  return new Map(rows.map((r) => [r.pk, r.visible]));
}

/**
 * Tags the rows whose visibility was recomputed (`Institution:3`), and, where one of them was
 * shown or hidden by it, the lists of their kind (`Institution:list`, and `Institution:shown`
 * for a story's lists of institutions and people).
 */
function tagRecomputed(tag: (...tags: string[]) => void, kind: string, before: ReadonlyMap<number, boolean>, after: ReadonlyMap<number, boolean>, lists: readonly string[]): void {
  let flipped = false;
  for (const [pk, visible] of after) {
    tag(`${kind}:${pk}`);
    if (before.get(pk) !== visible) flipped = true;
  }
  for (const pk of before.keys()) if (!after.has(pk)) flipped = true;
  if (flipped) tag(...lists);
}

const ATTRIBUTE_KINDS = Object.keys(ATTRIBUTE_FACTS) as AttributeFact[];

/** `visible` of a table's rows from their own sources: stated, or never given an origin source. */
function ownRule(fact: FactKind, table: string): string {
  const sources = `SELECT 1 FROM "fact_source" fs WHERE fs."fact" = '${fact}' AND fs."subject_id" = "${table}"."id"`;
  return `(EXISTS (${sources} AND fs."state" = 'STATED') OR NOT EXISTS (${sources} AND fs."origin" = TRUE))`;
}

/** Recomputes the reader-visible columns of everything `facts` are about, and of what hangs off it. */
async function recompute(em: EntityManager, facts: ReadonlyArray<Pick<StatedFact, "fact" | "subjectId">>): Promise<void> {
  const of = (...kinds: FactKind[]): number[] => [...new Set(facts.filter((f) => kinds.includes(f.fact)).map((f) => f.subjectId))];
  const institutions = of("INSTITUTION", ...ATTRIBUTE_KINDS);
  const people = of("PERSON");
  const accreditations = of("ACCREDITATION");
  const positions = of("POSITION");
  const none = [-1];
  const list = (pks: number[]): number[] => (pks.length > 0 ? pks : none);

  await attributeWrites(em, RECOMPUTED_TABLES, async (tag) => {
    if (institutions.length > 0) {
      const before = await visibility(em, Institution, [{ pk: In(institutions) }]);
      await em.createQueryBuilder().update(Institution).set({ visible: () => ownRule("INSTITUTION", "institution") }).where({ pk: In(institutions) }).execute();
      // An attribute (the parent, the city) moves the lists that filter or nest by it.
      if (await recomputeAttributes(em, institutions)) tag("Institution:list");
      tagRecomputed(tag, "Institution", before, await visibility(em, Institution, [{ pk: In(institutions) }]), ["Institution:list", "Institution:shown"]);
    }
    if (people.length > 0) {
      const before = await visibility(em, Person, [{ pk: In(people) }]);
      await em.createQueryBuilder().update(Person).set({ visible: () => ownRule("PERSON", "person") }).where({ pk: In(people) }).execute();
      tagRecomputed(tag, "Person", before, await visibility(em, Person, [{ pk: In(people) }]), ["Person:list", "Person:shown"]);
    }
    // What hangs off a record is shown only with it: an accreditation with its institution, a position with its holder and its unit.
    if (institutions.length > 0 || accreditations.length > 0) {
      const where: FindOptionsWhere<Accreditation>[] = [{ pk: In(list(accreditations)) }, { institutionId: In(list(institutions)) }];
      const before = await visibility(em, Accreditation, where);
      await em
        .createQueryBuilder()
        .update(Accreditation)
        .set({ visible: () => `(${ownRule("ACCREDITATION", "accreditation")} AND EXISTS (SELECT 1 FROM "institution" i WHERE i."id" = "accreditation"."institution_id" AND i."visible" = TRUE))` })
        .where(where)
        .execute();
      tagRecomputed(tag, "Accreditation", before, await visibility(em, Accreditation, where), ["Accreditation:list"]);
    }
    if (institutions.length > 0 || people.length > 0 || positions.length > 0) {
      const where: FindOptionsWhere<Position>[] = [{ pk: In(list(positions)) }, { institutionId: In(list(institutions)) }, { personId: In(list(people)) }];
      const before = await visibility(em, Position, where);
      await em
        .createQueryBuilder()
        .update(Position)
        .set({
          visible: () =>
            `(${ownRule("POSITION", "position")} AND EXISTS (SELECT 1 FROM "institution" i WHERE i."id" = "position"."institution_id" AND i."visible" = TRUE) AND EXISTS (SELECT 1 FROM "person" p WHERE p."id" = "position"."person_id" AND p."visible" = TRUE))`,
        })
        .where(where)
        .execute();
      const hidden = await oneCurrentHolder(em, list(positions), list(institutions), list(people));
      // A post's other holders, hidden now: shown before (they were current and visible), so their lists move.
      if (hidden.length > 0) tag(...hidden.map((pk) => `Position:${pk}`), "Position:list");
      tagRecomputed(tag, "Position", before, await visibility(em, Position, where), ["Position:list"]);
    }
  });
}

/**
 * A post has one current holder for readers: where two stated sources each make someone the
 * current holder of one title at one unit, the one an editor entered last is shown, else the
 * one first stated (a post stored before sources were kept counts as first); the others are
 * kept from readers, and the importer reports them as a CONFLICT. Editors see all.
 */
async function oneCurrentHolder(em: EntityManager, positionPks: number[], institutionPks: number[], personPks: number[]): Promise<number[]> {
  const units = em
    .createQueryBuilder(Position, "touched")
    .select("touched.institution_id")
    .where([{ pk: In(positionPks) }, { institutionId: In(institutionPks) }, { personId: In(personPks) }]);
  const holders = await em
    .createQueryBuilder(Position, "po")
    .where(`po.visible = TRUE AND po.current = TRUE AND po.institution_id IN (${units.getQuery()})`)
    .setParameters(units.getParameters())
    .getMany();
  const posts = new Map<string, Position[]>();
  for (const p of holders) {
    const key = `${p.institutionId}|${p.title.trim().toLowerCase()}`;
    posts.set(key, [...(posts.get(key) ?? []), p]);
  }
  const contested = [...posts.values()].filter((list) => list.length > 1);
  if (contested.length === 0) return [];
  const pks = contested.flat().map((p) => p.pk);
  const stated = await em
    .createQueryBuilder(FactSource, "fs")
    .select("fs.subject_id", "pk")
    .addSelect("MIN(fs.stated_at)", "first")
    .addSelect("MAX(CASE WHEN fs.article_title IS NULL AND fs.backfilled = FALSE THEN fs.stated_at END)", "direct")
    .addSelect("MAX(CASE WHEN fs.backfilled = TRUE THEN 1 ELSE 0 END)", "before")
    .where("fs.fact = 'POSITION' AND fs.state = 'STATED' AND fs.subject_id IN (:...pks)", { pks })
    .groupBy("fs.subject_id")
    .getRawMany<{ pk: number; first: Date | string | null; direct: Date | string | null; before: number | string }>();
  // PostgreSQL answers an instant, SQLite the UTC text TypeORM wrote.
  const instant = (v: Date | string): number => (v instanceof Date ? v.getTime() : Date.parse(`${v.replace(" ", "T")}Z`));
  // A post stored before sources were kept (its source backfilled) counts as stated first, as one with no source does.
  const firstStated = new Map(stated.map((r) => [Number(r.pk), Number(r.before) === 1 || r.first === null ? 0 : instant(r.first)]));
  const lastDirect = new Map(stated.filter((r) => r.direct !== null).map((r) => [Number(r.pk), instant(r.direct!)]));
  const hidden: number[] = [];
  for (const list of contested) {
    // An editor's latest entry stands (a correction); otherwise the post stated first, one
    // without a stated source predating the sources (0 sorts it first).
    const ranked = [...list].sort((a, b) => (lastDirect.get(b.pk) ?? -1) - (lastDirect.get(a.pk) ?? -1) || (firstStated.get(a.pk) ?? 0) - (firstStated.get(b.pk) ?? 0) || a.pk - b.pk);
    hidden.push(...ranked.slice(1).map((p) => p.pk));
  }
  await em.update(Position, { pk: In(hidden) }, { visible: false });
  return hidden;
}

/**
 * An institution's attribute, where a source set it: the latest direct entry (an editor's
 * correction), else the earliest stated story's value; with none stated, what the record's first
 * source said while readers do not see the record itself (editors see what the draft says, also
 * after it is withdrawn), else nothing (a withdrawn story's value goes with it).
 */
async function recomputeAttributes(em: EntityManager, institutionPks: readonly number[]): Promise<boolean> {
  const sources = await em.find(FactSource, { where: { fact: In(ATTRIBUTE_KINDS), subjectId: In([...institutionPks]) }, order: { pk: "ASC" } });
  if (sources.length === 0) return false;
  let changed = false;
  const stored = await em.find(Institution, { where: { pk: In([...institutionPks]) } });
  for (const institution of stored) {
    const changes: Partial<Record<string, string | number | null>> = {};
    for (const fact of ATTRIBUTE_KINDS) {
      const mine = sources.filter((s) => s.subjectId === institution.pk && s.fact === fact);
      if (!mine.some((s) => s.origin)) continue;
      const value = acceptedValue(mine, institution.visible);
      const column = ATTRIBUTE_FACTS[fact];
      const typed = column === "parentId" ? (value === null ? null : Number(value)) : value;
      if (institution[column] !== typed) changes[column] = typed;
    }
    if (Object.keys(changes).length > 0) {
      await em.update(Institution, { pk: institution.pk }, changes);
      changed = true;
    }
  }
  return changed;
}

function acceptedValue(sources: readonly FactSource[], recordVisible: boolean): string | null {
  const stated = sources.filter((s) => s.state === "STATED");
  const direct = stated.filter(isDirect);
  if (direct.length > 0) return direct[direct.length - 1]!.value;
  if (stated.length > 0) {
    const earliest = [...stated].sort((a, b) => (a.statedAt?.getTime() ?? 0) - (b.statedAt?.getTime() ?? 0) || a.pk - b.pk)[0]!;
    return earliest.value;
  }
  // A record readers do not see keeps what its first source said, for editors (also once withdrawn).
  if (!recordVisible) return (sources.find((s) => s.origin) ?? sources[0])?.value ?? null;
  return null;
}

/** Whether a source is an editor's direct entry: no story, and not backfilled for a record stored before sources were kept. */
export function isDirect(source: Pick<FactSource, "articleId" | "articleTitle" | "backfilled">): boolean {
  return source.articleId === null && source.articleTitle === null && !source.backfilled;
}

/** An editor's entry readers see: it decides against every source older than it (the latest entry wins). */
export function isEditorEntry(source: FactSource): boolean {
  return source.state === "STATED" && isDirect(source);
}

/** Whether `viewer` sees a record or fact: readers what is stated, editors proposals too. */
export function shownTo(viewer: Viewer | null, row: { visible: boolean }): boolean {
  return row.visible || canSeeDrafts(viewer);
}

/** `row` when `viewer` sees it, else null (as if it did not exist). */
export function ifShown<T extends { visible: boolean }>(viewer: Viewer | null, row: T | null): T | null {
  return row !== null && shownTo(viewer, row) ? row : null;
}
