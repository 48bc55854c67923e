import type { EntityManager } from "typeorm";
import { toGlobalId } from "../../common/ids";
import type { CountingContext } from "../../common/request-context";
import type { Database } from "../../db/database";
import { deriveSlug } from "../../db/slugs";
import { Article, ArticleInstitution, ArticlePerson, ArticleStatus } from "../article/article.entity";
import { publishInTransaction } from "../article/article.service";
import { Accreditation, Institution } from "../institution/institution.entity";
import { Person, Position } from "../person/person.entity";
import { Quote } from "../quote/quote.entity";
import { planImport } from "./import.linker";
import type { ImportPool } from "./import.pool";
import type { ImportPlan } from "./import.types";

export type { ImportPlan } from "./import.types";

export interface ImportOptions {
  /** Publish at once (a PUBLISHED event, like publishArticle); otherwise the story is a DRAFT. */
  publish: boolean;
  /** The import's time: creation, and publication with `publish` (defaults to now). */
  now?: Date;
}

/**
 * Turns a plain-text story into an article with its institutions, accreditations, people,
 * positions and attributed quotes. The extraction is pure and runs in the import pool's workers,
 * within its time budget; this service reads the store to link what is already there, and writes
 * everything in one transaction.
 */
export class ImportService {
  constructor(
    private readonly db: Database,
    private readonly pool: ImportPool,
  ) {}

  /** What import would store, linking or creating each record; writes nothing. */
  async preview(text: string): Promise<ImportPlan> {
    const story = await this.pool.extract(text);
    return planImport(this.db.reader.manager, story);
  }

  /**
   * Stores it all in one transaction; publish → PUBLISHED (+ outbox event) else DRAFT. Throws
   * BadUserInputError (re-import, bad input) and changes nothing then.
   */
  async import(ctx: CountingContext, text: string, options: ImportOptions): Promise<{ article: Article; plan: ImportPlan }> {
    const result = await this.importUnless(ctx, text, options, async () => false);
    return result!;
  }

  /**
   * As {@link import}, but writes nothing and answers null when `skip` says so inside the
   * transaction (the seed loads only into a store without stories, decided under the write lock).
   */
  async importUnless(ctx: CountingContext, text: string, options: ImportOptions, skip: (em: EntityManager) => Promise<boolean>): Promise<{ article: Article; plan: ImportPlan } | null> {
    const story = await this.pool.extract(text);
    return this.db.transaction(async (em) => {
      if (await skip(em)) return null;
      // Planned again under the write lock, so what it links is what is stored when it writes.
      const plan = await planImport(em, story);
      const article = await write(em, plan, options.publish, options.now ?? new Date());
      return { article, plan };
    }, ctx.tally);
  }
}

/** Writes a plan; fills in the ids of the records it creates. */
async function write(em: EntityManager, plan: ImportPlan, publish: boolean, now: Date): Promise<Article> {
  for (const i of plan.institutions) {
    if (i.action !== "CREATE") continue;
    const slug = await deriveSlug(em, "institution", [i.shortName, i.name]);
    const saved = await em.save(
      em.create(Institution, { name: i.name, shortName: i.shortName, kind: i.kind, classification: i.classification, city: i.city, province: i.province, slug, parentId: null }),
    );
    i.pk = saved.pk;
    i.id = toGlobalId("Institution", saved.pk);
  }
  for (const i of plan.institutions) {
    const parentPk = i.parent === null ? null : plan.institutions[i.parent]!.pk;
    const changes: Partial<Institution> = {};
    if (i.action === "CREATE" && parentPk !== null) changes.parentId = parentPk;
    if (i.action === "ADD") {
      for (const field of i.added) {
        if (field === "parent") changes.parentId = parentPk;
        else if (field === "classification" || field === "city" || field === "province" || field === "shortName") changes[field] = i[field];
      }
    }
    if (Object.keys(changes).length > 0) await em.update(Institution, { pk: i.pk! }, changes);
  }

  for (const a of plan.accreditations) {
    if (a.action === "LINK") continue;
    const saved = await em.save(em.create(Accreditation, { institutionId: plan.institutions[a.institution]!.pk!, code: a.code, title: a.title, year: a.year }));
    a.pk = saved.pk;
    a.id = toGlobalId("Accreditation", saved.pk);
  }

  for (const p of plan.people) {
    if (p.action !== "CREATE") continue;
    const saved = await em.save(em.create(Person, { name: p.name, slug: await deriveSlug(em, "person", p.name) }));
    p.pk = saved.pk;
    p.id = toGlobalId("Person", saved.pk);
  }
  for (const p of plan.positions) {
    if (p.action === "LINK") continue;
    const saved = await em.save(
      em.create(Position, { personId: plan.people[p.person]!.pk!, institutionId: plan.institutions[p.institution]!.pk!, title: p.title, current: p.current }),
    );
    p.pk = saved.pk;
    p.id = toGlobalId("Position", saved.pk);
  }

  const { title, dateline, source, summary, body } = plan.story;
  const article = await em.save(
    em.create(Article, {
      title,
      body,
      summary,
      dateline,
      source,
      slug: await deriveSlug(em, "article", title),
      status: ArticleStatus.DRAFT,
      publishedAt: null,
      scheduledFor: null,
      createdAt: now,
      updatedAt: now,
    }),
  );
  // Two forms the extractor kept apart may be one stored record: it is linked once, at its first place.
  const institutionPks = [...new Set(plan.institutions.map((i) => i.pk!))];
  const personPks = [...new Set(plan.people.map((p) => p.pk!))];
  if (institutionPks.length > 0) await em.save(institutionPks.map((institutionId, position) => em.create(ArticleInstitution, { articleId: article.pk, institutionId, position })));
  if (personPks.length > 0) await em.save(personPks.map((personId, position) => em.create(ArticlePerson, { articleId: article.pk, personId, position })));
  if (plan.quotes.length > 0) {
    await em.save(
      plan.quotes.map((q) =>
        em.create(Quote, {
          articleId: article.pk,
          speakerId: plan.people[q.speaker]!.pk!,
          institutionId: q.institution === null ? null : plan.institutions[q.institution]!.pk!,
          text: q.text,
          attribution: q.attribution,
          position: q.position,
        }),
      ),
    );
  }
  if (publish) await publishInTransaction(em, article, now);
  return article;
}
