import type { EntityManager } from "typeorm";
import { toGlobalId } from "../../kernel/ids";
import type { Database } from "../../db/database";
import { deriveSlug } from "../slugs";
import { Article, ArticleInstitution, ArticlePerson, ArticleStatus } from "../../entities/article.entity";
import { publishInTransaction } from "../article.service";
import { Accreditation, Institution } from "../../entities/institution.entity";
import { Person, Position } from "../../entities/person.entity";
import { Quote } from "../../entities/quote.entity";
import { linkBylines, planBylines, readBylines } from "./import.byline";
import type { Byline, PlannedByline } from "./import.byline";
import { planImport } from "./import.linker";
import { applyChoices, checkChoices } from "./import.choices";
import type { ImportChoicesInput } from "./import.choices";
import type { ImportPool } from "./import.pool";
import type { ImportPlan, Mention } from "./import.types";
import { recordStorySources, subjectIdsOf } from "../facts";
import type { DirectContext, StatedFact } from "../facts";
import { recordRevision } from "../revisions";
import { RevisionKind } from "../../entities/revision.entity";
import type { AttributeFact } from "../../entities/fact-source.entity";

export type { ImportPlan } from "./import.types";
export type { ImportChoicesInput } from "./import.choices";
export type { PlannedByline } from "./import.byline";

/** What previewImport answers: the plan, and the byline the importer read with the authors it would link. */
export interface ImportPreviewPlan extends ImportPlan {
  bylines: PlannedByline[];
}

export interface ImportOptions {
  /** Publish at once (a PUBLISHED event, like publishArticle); otherwise the story is a DRAFT. */
  publish: boolean;
  /** The import's time: creation, and publication with `publish` (defaults to now). */
  now?: Date;
  /** An editor's corrections to the reading (see ./import.choices.ts); BAD_USER_INPUT, and nothing stored, when one names nothing. */
  choices?: ImportChoicesInput | null;
}

/**
 * Turns a plain-text story into an article with its institutions, accreditations, people,
 * positions and attributed quotes. The extraction is pure and runs in the import pool's worker
 * threads, within its time budget; this service reads the store to link what is already there,
 * and writes everything in one transaction.
 */
export class ImportService {
  constructor(
    private readonly db: Database,
    private readonly pool: ImportPool,
  ) {}

  /** What import would store, linking or creating each record, with the editor's `choices` applied, and its byline; writes nothing. */
  async preview(text: string, choices?: ImportChoicesInput | null): Promise<ImportPreviewPlan> {
    const checked = checkChoices(choices);
    const chosen = applyChoices(await this.pool.extract(text), checked);
    const em = this.db.reader.manager;
    const plan = await planImport(em, chosen.story, chosen.links);
    return { ...plan, bylines: await planBylines(em, readBylines(text)) };
  }

  /**
   * Stores it all in one transaction; publish → PUBLISHED (+ outbox event) else DRAFT. Throws
   * BadUserInputError (re-import, bad input) and changes nothing then.
   */
  async import(ctx: DirectContext, text: string, options: ImportOptions): Promise<{ article: Article; plan: ImportPlan }> {
    const result = await this.importUnless(ctx, text, options, async () => false);
    return result!;
  }

  /**
   * As {@link import}, but writes nothing and answers null when `skip` says so inside the
   * transaction (the seed loads only into a store without stories, decided under the write lock).
   */
  async importUnless(ctx: DirectContext, text: string, options: ImportOptions, skip: (em: EntityManager) => Promise<boolean>): Promise<{ article: Article; plan: ImportPlan } | null> {
    const checked = checkChoices(options.choices);
    const chosen = applyChoices(await this.pool.extract(text), checked);
    const bylines = readBylines(text);
    return this.db.transaction(async (em) => {
      if (await skip(em)) return null;
      // Planned again under the write lock, so what it links is what is stored when it writes.
      const plan = await planImport(em, chosen.story, chosen.links);
      const { article, touched } = await write(em, plan, bylines, options.publish, options.now ?? new Date());
      ctx.audit?.touch(...touched);
      await recordRevision(em, ctx, article, null, RevisionKind.IMPORTED);
      return { article, plan };
    }, ctx.tally);
  }
}

/**
 * Writes a plan; fills in the ids of the records it creates. Answers the story and the global ids
 * of the records it created or linked (their facts gained the story as a source).
 */
async function write(em: EntityManager, plan: ImportPlan, bylines: readonly Byline[], publish: boolean, now: Date): Promise<{ article: Article; touched: string[] }> {
  for (const i of plan.institutions) {
    if (i.action !== "CREATE" || i.dropped) continue;
    const slug = await deriveSlug(em, "institution", [i.shortName, i.name]);
    const saved = await em.save(
      em.create(Institution, { name: i.name, shortName: i.shortName, kind: i.kind, classification: i.classification, city: i.city, province: i.province, slug, parentId: null }),
    );
    i.pk = saved.pk;
    i.id = toGlobalId("Institution", saved.pk);
  }
  // A stored record's new facts (ADD) are not written here: they are the story's sources, and
  // reach the record's columns when the story is published (see ../facts.ts).
  for (const i of plan.institutions) {
    const parentPk = i.parent === null ? null : plan.institutions[i.parent]!.pk;
    if (i.action === "CREATE" && parentPk !== null) await em.update(Institution, { pk: i.pk! }, { parentId: parentPk });
  }

  for (const a of plan.accreditations) {
    if (a.action === "LINK") continue;
    const saved = await em.save(em.create(Accreditation, { institutionId: plan.institutions[a.institution]!.pk!, code: a.code, title: a.title, year: a.year }));
    a.pk = saved.pk;
    a.id = toGlobalId("Accreditation", saved.pk);
  }

  for (const p of plan.people) {
    if (p.action !== "CREATE" || p.dropped) continue;
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
  const institutionPks = [...new Set(plan.institutions.filter((i) => !i.dropped).map((i) => i.pk!))];
  const personPks = [...new Set(plan.people.filter((p) => !p.dropped).map((p) => p.pk!))];
  if (institutionPks.length > 0) await em.save(institutionPks.map((institutionId, position) => em.create(ArticleInstitution, { articleId: article.pk, institutionId, position })));
  if (personPks.length > 0) await em.save(personPks.map((personId, position) => em.create(ArticlePerson, { articleId: article.pk, personId, position })));
  let quotes: Quote[] = [];
  if (plan.quotes.length > 0) {
    quotes = await em.save(
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
  const facts = factsOf(plan, quotes);
  await recordStorySources(em, article, facts);
  await linkBylines(em, article.pk, bylines);
  if (publish) await publishInTransaction(em, article, now);
  return { article, touched: subjectIdsOf(facts) };
}

const ATTRIBUTES: ReadonlyArray<[AttributeFact, "classification" | "city" | "province" | "shortName" | "parent"]> = [
  ["CLASSIFICATION", "classification"],
  ["CITY", "city"],
  ["PROVINCE", "province"],
  ["SHORT_NAME", "shortName"],
  ["PARENT", "parent"],
];

/**
 * Every fact the stored plan states, each with the span of the story that states it: the
 * records it names (created ones as their origin), the attributes it gives a record (where it
 * creates the record or adds what the record had none of), accreditations, positions, quotes.
 */
function factsOf(plan: ImportPlan, quotes: readonly Quote[]): StatedFact[] {
  const facts: StatedFact[] = [];
  const seen = new Set<string>();
  const add = (fact: StatedFact, mention: Mention | null | undefined): void => {
    const key = `${fact.fact}|${fact.subjectId}`;
    if (seen.has(key)) return;
    seen.add(key);
    facts.push({ ...fact, span: mention ? { start: mention.start, end: mention.end } : null, excerpt: mention?.text ?? null });
  };
  for (const i of plan.institutions) {
    if (i.dropped) continue;
    const at = i.mentions[0];
    add({ fact: "INSTITUTION", subjectId: i.pk!, origin: i.action === "CREATE" }, at);
    for (const [fact, field] of ATTRIBUTES) {
      const origin = i.action === "CREATE" || i.added.includes(field);
      if (!origin && !i.agreed.includes(field)) continue;
      const value = field === "parent" ? (i.parent === null ? null : String(plan.institutions[i.parent]!.pk)) : i[field];
      if (value !== null) add({ fact, subjectId: i.pk!, value, origin }, field === "parent" ? (i.parentSpan ?? at) : at);
    }
    // A contradiction is a source too: it disputes the accepted value, which it never replaces (see ../facts.ts).
    for (const d of i.disputed) {
      const fact = ATTRIBUTES.find(([, field]) => field === d.field)![0];
      add({ fact, subjectId: i.pk!, value: "ref" in d ? String(plan.institutions[d.ref]!.pk) : d.value, origin: false }, at);
    }
  }
  for (const a of plan.accreditations) add({ fact: "ACCREDITATION", subjectId: a.pk!, origin: a.action !== "LINK" }, a.span);
  for (const p of plan.people) if (!p.dropped) add({ fact: "PERSON", subjectId: p.pk!, origin: p.action === "CREATE" }, p.mentions[0]);
  for (const p of plan.positions) add({ fact: "POSITION", subjectId: p.pk!, origin: p.action !== "LINK" }, p.span);
  plan.quotes.forEach((q, n) => add({ fact: "QUOTE", subjectId: quotes[n]!.pk, origin: true }, q.span));
  return facts;
}
