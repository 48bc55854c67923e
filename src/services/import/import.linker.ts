import { In } from "typeorm";
import type { EntityManager, FindOptionsWhere } from "typeorm";
import { BadUserInputError, quoted } from "../../kernel/errors";
import { toGlobalId } from "../../kernel/ids";
import { nextTurn } from "../../kernel/slices";
import { slugify } from "../../kernel/slug";
import { SlugAlias } from "../../entities/slug-alias.entity";
import { Article } from "../../entities/article.entity";
import { Accreditation, Institution, InstitutionKind } from "../../entities/institution.entity";
import { Person, Position } from "../../entities/person.entity";
import { readInstitutions } from "./import.institutions";
import { PROVINCE_ABBREVIATIONS } from "./import.lexicon";
import { readName } from "./import.people";
import { NO_LINK_CHOICES } from "./import.choices";
import type { LinkChoices, LinkDecision } from "./import.choices";
import type {
  Disputed,
  ExtractedInstitution,
  ExtractedStory,
  ImportPlan,
  ImportWarning,
  Mention,
  PlannedAccreditation,
  PlannedInstitution,
  PlannedPerson,
  PlannedPosition,
  PlannedQuote,
  Span,
} from "./import.types";

/** Kinds whose records are told apart by their city (the rest by their name, office and region). */
const UNIT_KINDS = new Set<InstitutionKind>([InstitutionKind.LAPAS, InstitutionKind.RUTAN, InstitutionKind.LPKA, InstitutionKind.BAPAS]);

const fold = (s: string): string => s.replace(/\s*\([^()]*\)/g, "").replace(/\s+/g, " ").trim().toLowerCase();
const classKey = (c: string): string => c.replace(/\s+/g, "").toUpperCase();
const provinceKey = (p: string): string => {
  const key = fold(p).replace(/^provinsi\s+/, "");
  return PROVINCE_ABBREVIATIONS[key] ?? key;
};

function mention(body: string, span: Span): Mention {
  return { start: span.start, end: span.end, text: body.slice(span.start, span.end) };
}

/**
 * The identities a stored name stands for, read by the same rules as a story ("Lapas Kelas IIA
 * Banyuwangi" and "Lembaga Pemasyarakatan Kelas IIA Banyuwangi" are both "LAPAS||banyuwangi"):
 * only when the whole name is one institution's name, so "Polres Banyuwangi" stands for none.
 */
function identitiesOf(stored: Institution): Set<string> {
  const cacheKey = `${stored.name}\u0000${stored.shortName ?? ""}`;
  const known = IDENTITIES.get(cacheKey);
  if (known) return known;
  const keys = new Set<string>();
  for (const name of [stored.name, stored.shortName]) {
    if (!name) continue;
    const read = readInstitutions(name).institutions;
    if (read.length === 1 && read[0]!.mentions.some((m) => m.start === 0 && m.end === name.length)) keys.add(read[0]!.key);
  }
  if (IDENTITIES.size >= 10_000) IDENTITIES.clear();
  IDENTITIES.set(cacheKey, keys);
  return keys;
}
/** identitiesOf's answers by name and short name (reading a name is the same every time; a link asks it of each candidate). */
const IDENTITIES = new Map<string, Set<string>>();

/** A stored person's name without the degrees and honorifics a hand-typed record may carry. */
function plainName(name: string): string {
  return readName(name, 0)?.name ?? name;
}

/** LIKE's wildcards and its escape character, each escaped with a backslash (the queries' ESCAPE character). */
const likeEscaped = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Records whose stored candidates are looked up in one query: each record's own WHERE, joined by
 * UNION ALL and tagged with its place, so each finds the rows its own query would. A story may
 * name thousands of people and institutions, and one query each (two for a new person) on the
 * request thread took seconds: a story of 5,434 people 15.8 s to preview. At most this many per
 * query keeps the statement and its parameters small (SQLite allows 32,766 of them).
 */
const LOOKUPS_PER_QUERY = 100;

/** Records linked between two turns of the event loop (see Linker.turn). */
const RECORDS_PER_TURN = 200;

/** Stored people as a person's lookup needs them. */
type StoredPerson = Pick<Person, "pk" | "name">;

/** The stored institutions one institution lookup (one kind, and a unit's place) finds, indexed by what a record is compared by. */
interface InstitutionGroup {
  byIdentity: Map<string, Institution[]>;
  byForm: Map<string, Institution[]>;
  bySlug: Map<string, Institution[]>;
}

function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) {
    if (list[list.length - 1] !== value) list.push(value);
  } else map.set(key, [value]);
}

/** Reads the store for one import; `em` is the import's transaction, or the reader for a preview. */
class Linker {
  readonly warnings: ImportWarning[] = [];

  constructor(
    private readonly em: EntityManager,
    private readonly story: ExtractedStory,
    private readonly choices: LinkChoices,
  ) {}

  /** The stored records an editor chose instead of the importer's: none (create), or the one named (BAD_USER_INPUT naming the choice when it is not stored). */
  private async chosen<T extends Institution | Person>(type: new () => T, decision: Exclude<LinkDecision, { kind: "drop" }>): Promise<T[]> {
    if (decision.kind === "create") return [];
    const row = await this.em.getRepository(type).findOneBy({ pk: decision.pk } as FindOptionsWhere<T>);
    if (!row) throw new BadUserInputError(`${decision.field} ${quoted(decision.id)} names no stored ${type === Institution ? "institution" : "person"}.`, decision.field);
    return [row];
  }

  private linked = 0;

  /**
   * Every RECORDS_PER_TURN records, lets the event loop answer other requests: with the lookups
   * fetched beforehand (prefetch), linking thousands of records no longer waits on the database
   * between them, and would hold the request thread for all of them at once.
   */
  private async turn(): Promise<void> {
    if (++this.linked % RECORDS_PER_TURN === 0) await nextTurn();
  }

  private get body(): string {
    return this.story.story.body;
  }

  private warn(code: ImportWarning["code"], message: string, span: Span | null): void {
    this.warnings.push({ code, message, span: span && { start: span.start, end: span.end } });
  }

  /** Refuses a story already stored: same title and same source, case aside. */
  async refuseReimport(): Promise<void> {
    const { title, source } = this.story.story;
    const qb = this.em.createQueryBuilder(Article, "a").select(["a.pk", "a.slug"]).where("LOWER(a.title) = LOWER(:title)", { title });
    if (source === null) qb.andWhere("a.source IS NULL");
    else qb.andWhere("LOWER(a.source) = LOWER(:source)", { source });
    const existing = await qb.orderBy("a.pk", "ASC").getOne();
    if (existing) {
      throw new BadUserInputError(
        `This story is already stored: article '${toGlobalId("Article", existing.pk)}' (slug '${existing.slug}') has the same title ${quoted(title)} and source ${source === null ? "(none)" : quoted(source)}; edit that article instead of importing it again.`,
        "text",
      );
    }
  }

  /** The stored institutions each institution lookup finds, by lookupOf's key (see prefetch). */
  private readonly institutionGroups = new Map<string, InstitutionGroup>();
  /** The stored people each person lookup finds (by name), and the one a former slug names (by slug; null for none). */
  private readonly personRows = new Map<string, StoredPerson[]>();
  private readonly renamed = new Map<string, StoredPerson | null>();

  /** One institution's lookup: stored records of its kind, narrowed by place for a unit. */
  private lookupOf(e: ExtractedInstitution): { key: string; where: string; params: Record<string, string> } {
    if (UNIT_KINDS.has(e.kind) && e.city) {
      const city = e.city.toLowerCase();
      return {
        key: `${e.kind}\u0000${city}`,
        where: "i.kind = :kind AND (LOWER(i.city) = :city OR LOWER(i.name) LIKE :place ESCAPE '\\' OR LOWER(i.short_name) LIKE :place ESCAPE '\\')",
        params: { kind: e.kind, city, place: `%${likeEscaped(city)}%` },
      };
    }
    return { key: e.kind, where: "i.kind = :kind", params: { kind: e.kind } };
  }

  /**
   * Runs `lookups` (each a WHERE on `from`, with its own parameters) a hundred to a query, joined by
   * UNION ALL: the keys of the rows each finds, in key order, as its own query answered them.
   */
  private async union(from: string, lookups: ReadonlyArray<{ where: string; params: Record<string, string> }>): Promise<number[][]> {
    const found: number[][] = lookups.map(() => []);
    for (let first = 0; first < lookups.length; first += LOOKUPS_PER_QUERY) {
      const parts: string[] = [];
      const params: Record<string, string> = {};
      lookups.slice(first, first + LOOKUPS_PER_QUERY).forEach((lookup, n) => {
        // Each lookup's parameters renamed apart (":kind" → ":kind3").
        parts.push(`SELECT ${n} AS q, ${from.split(" ")[1]}.id AS pk FROM ${from} WHERE ${lookup.where.replace(/:(\w+)/g, `:$1${n}`)}`);
        for (const [name, value] of Object.entries(lookup.params)) params[`${name}${n}`] = value;
      });
      const [sql, values] = this.em.connection.driver.escapeQueryWithParameters(`${parts.join(" UNION ALL ")} ORDER BY q, pk`, params, {});
      const rows: Array<{ q: number | string; pk: number | string }> = await this.em.query(sql, values);
      for (const row of rows) found[first + Number(row.q)]!.push(Number(row.pk));
    }
    return found;
  }

  /**
   * The stored candidates of every institution and person of the story the importer is to find
   * (not those an editor chose), looked up together before linking (see LOOKUPS_PER_QUERY). The
   * linking compares each record with the rows its lookup found as it did with its own query's.
   */
  async prefetch(): Promise<void> {
    const institutionLookups = new Map<string, { where: string; params: Record<string, string> }>();
    for (const e of this.story.institutions) {
      if (this.choices.institutions.has(e.ref)) continue;
      const lookup = this.lookupOf(e);
      institutionLookups.set(lookup.key, lookup);
    }
    const keys = [...institutionLookups.keys()];
    const found = await this.union("institution i", [...institutionLookups.values()]);
    const rows = new Map<number, Institution>();
    const wanted = [...new Set(found.flat())];
    for (let first = 0; first < wanted.length; first += 500) {
      for (const row of await this.em.findBy(Institution, { pk: In(wanted.slice(first, first + 500)) })) rows.set(row.pk, row);
    }
    keys.forEach((key, k) => {
      const group: InstitutionGroup = { byIdentity: new Map(), byForm: new Map(), bySlug: new Map() };
      for (const pk of found[k]!) {
        const row = rows.get(pk);
        if (!row) continue;
        for (const identity of identitiesOf(row)) addTo(group.byIdentity, identity, row);
        addTo(group.byForm, fold(row.name), row);
        if (row.shortName !== null) addTo(group.byForm, fold(row.shortName), row);
        addTo(group.bySlug, row.slug, row);
      }
      this.institutionGroups.set(key, group);
    });

    const names = [...new Set(this.story.people.filter((e) => !this.choices.people.has(e.ref)).map((e) => e.name))];
    const people = await this.union(
      "person p",
      names.map((name) => {
        const slug = slugify(name, 190);
        return {
          where: "LOWER(p.name) LIKE :like ESCAPE '\\' OR p.slug = :slug OR p.slug LIKE :numbered ESCAPE '\\'",
          params: { like: `%${likeEscaped(name.toLowerCase())}%`, slug, numbered: `${likeEscaped(slug)}-%` },
        };
      }),
    );
    const stored = new Map<number, StoredPerson>();
    const wantedPeople = [...new Set(people.flat())];
    for (let first = 0; first < wantedPeople.length; first += 500) {
      for (const row of await this.em.find(Person, { select: { pk: true, name: true }, where: { pk: In(wantedPeople.slice(first, first + 500)) } })) stored.set(row.pk, row);
    }
    names.forEach((name, k) => this.personRows.set(name, people[k]!.flatMap((pk) => stored.get(pk) ?? [])));

    // A new name may be one a stored person had before a rename: the former slugs of all of them, together.
    const slugs = [...new Set(names.map((name) => slugify(name, 190)))];
    const aliases: SlugAlias[] = [];
    for (let first = 0; first < slugs.length; first += 500) aliases.push(...(await this.em.findBy(SlugAlias, { kind: "person", slug: In(slugs.slice(first, first + 500)) })));
    const targets = new Map<number, StoredPerson>();
    const targetIds = [...new Set(aliases.map((a) => a.targetId))];
    for (let first = 0; first < targetIds.length; first += 500) {
      for (const row of await this.em.find(Person, { select: { pk: true, name: true }, where: { pk: In(targetIds.slice(first, first + 500)) } })) targets.set(row.pk, row);
    }
    for (const slug of slugs) this.renamed.set(slug, null);
    for (const alias of aliases) this.renamed.set(alias.slug, targets.get(alias.targetId) ?? null);
  }

  /** Stored records of the same kind that may be this institution (narrowed by place for units, then compared by identity); each a copy of its own. */
  private candidates(e: ExtractedInstitution): Institution[] {
    const group = this.institutionGroups.get(this.lookupOf(e).key);
    if (!group) return [];
    const forms = new Set([e.name, e.shortName, ...e.mentions.map((m) => m.text)].filter((f): f is string => Boolean(f)).map(fold));
    const slug = slugify(e.shortName ?? e.name, 190);
    const fits = new Set<Institution>(group.byIdentity.get(e.key));
    for (const form of forms) for (const row of group.byForm.get(form) ?? []) fits.add(row);
    for (const row of group.bySlug.get(slug) ?? []) fits.add(row);
    // Copies, as a query of its own gave: a linked record's copy takes in what the story adds (see institutions).
    return [...fits].sort((a, b) => a.pk - b.pk).map((row) => Object.assign(new Institution(), row));
  }

  async institutions(): Promise<PlannedInstitution[]> {
    const planned: PlannedInstitution[] = [];
    /** The stored records as this import leaves them, so a second form of one record sees the first one's additions. */
    const working = new Map<number, Institution>();
    for (const e of this.story.institutions) {
      await this.turn();
      const base = {
        ref: e.ref,
        name: e.name,
        shortName: e.shortName,
        kind: e.kind,
        classification: e.classification,
        city: e.city,
        province: e.province,
        parent: e.parent,
        parentSpan: e.parentSpan && mention(this.body, e.parentSpan),
        added: [] as string[],
        agreed: [] as string[],
        disputed: [] as Disputed[],
        mentions: e.mentions,
        storedName: null,
        dropped: false,
      };
      const decision = this.choices.institutions.get(e.ref);
      if (decision?.kind === "drop") {
        planned.push({ ...base, parent: null, parentSpan: null, action: "CREATE", pk: null, id: null, dropped: true });
        continue;
      }
      let found = decision ? await this.chosen(Institution, decision) : this.candidates(e);
      if (found.length > 1 && e.classification) {
        const sameClass = found.filter((r) => r.classification !== null && classKey(r.classification) === classKey(e.classification!));
        if (sameClass.length > 0) found = sameClass;
      }
      if (found.length > 1) {
        this.warn("AMBIGUOUS_NAME", `'${e.name}' fits ${found.length} stored institutions (${found.map((r) => `'${r.name}' ${toGlobalId("Institution", r.pk)}`).join(", ")}); a new one is created. Link it by hand if it is one of them.`, e.mentions[0] ?? null);
      }
      if (found.length !== 1) {
        planned.push({ ...base, action: "CREATE", pk: null, id: null });
        continue;
      }
      const stored = working.get(found[0]!.pk) ?? found[0]!;
      working.set(stored.pk, stored);
      const at = e.mentions[0] ?? null;
      const added: string[] = [];
      const agreed: string[] = [];
      const disputed: Disputed[] = [];
      const compare = (field: "classification" | "city" | "province" | "shortName", value: string | null, same: (a: string, b: string) => boolean): void => {
        if (value === null) return;
        const current = stored[field];
        if (current === null) {
          stored[field] = value;
          added.push(field);
        } else if (same(current, value)) {
          agreed.push(field);
        } else if (field !== "shortName") {
          disputed.push({ field, value });
          this.warn("CONFLICT", `The story gives ${field} ${quoted(value)} for '${stored.name}', but the store has ${quoted(current)} (${toGlobalId("Institution", stored.pk)}); kept the stored one.`, at);
        }
      };
      compare("classification", e.classification, (a, b) => classKey(a) === classKey(b));
      compare("city", e.city, (a, b) => fold(a) === fold(b));
      compare("province", e.province, (a, b) => provinceKey(a) === provinceKey(b));
      compare("shortName", e.shortName, (a, b) => fold(a) === fold(b));
      planned.push({ ...base, action: added.length > 0 ? "ADD" : "LINK", pk: stored.pk, id: toGlobalId("Institution", stored.pk), added, agreed, disputed, storedName: stored.name });
    }
    await this.parents(planned, working);
    return planned;
  }

  /** A parent the text states is written where the stored record has none; a different stored parent is a contradiction. */
  private async parents(planned: PlannedInstitution[], working: Map<number, Institution>): Promise<void> {
    for (const p of planned) {
      if (p.parent === null || p.pk === null) continue;
      const stored = working.get(p.pk)!;
      const parent = planned[p.parent]!;
      if (parent.pk !== null && stored.parentId === parent.pk) {
        p.agreed.push("parent");
        continue;
      }
      const loop = parent.pk !== null && (parent.pk === stored.pk || (await this.isBelow(parent.pk, stored.pk)));
      if (stored.parentId === null && !loop) {
        stored.parentId = parent.pk;
        p.added.push("parent");
        if (p.action === "LINK") p.action = "ADD";
        continue;
      }
      // A parent the story brings in itself disputes too: by its ref, its key known once it is stored.
      if (!loop) p.disputed.push(parent.pk !== null ? { field: "parent", value: String(parent.pk) } : { field: "parent", ref: parent.ref });
      const now = stored.parentId === null ? "none" : `'${(await this.em.findOneBy(Institution, { pk: stored.parentId }))?.name ?? stored.parentId}'`;
      this.warn(
        "CONFLICT",
        loop
          ? `The story puts '${stored.name}' under '${parent.name}', which the store has below it; not written.`
          : `The story puts '${stored.name}' under '${parent.name}', but the store has it under ${now} (${toGlobalId("Institution", stored.pk)}); kept the stored parent.`,
        p.parentSpan,
      );
      p.parent = null;
      p.parentSpan = null;
    }
  }

  /** True when `pk` is `ancestor` or stands (through stored parents) below it. */
  private async isBelow(pk: number, ancestor: number): Promise<boolean> {
    const seen = new Set<number>();
    let current: number | null = pk;
    while (current !== null && !seen.has(current)) {
      if (current === ancestor) return true;
      seen.add(current);
      const row: Institution | null = await this.em.findOne(Institution, { select: { pk: true, parentId: true }, where: { pk: current } });
      current = row?.parentId ?? null;
    }
    return false;
  }

  async accreditations(institutions: PlannedInstitution[]): Promise<PlannedAccreditation[]> {
    const planned: PlannedAccreditation[] = [];
    const seen = new Set<string>();
    for (const a of this.story.accreditations) {
      const holder = institutions[a.institution]!;
      const key = `${holder.pk ?? `ref${holder.ref}`}|${a.code}|${a.year}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const base = { code: a.code, title: a.title, year: a.year, institution: a.institution, span: mention(this.body, a.span) };
      const stored = holder.pk === null ? null : await this.em.findOneBy(Accreditation, { institutionId: holder.pk, code: a.code, year: a.year });
      if (stored) planned.push({ ...base, action: "LINK", pk: stored.pk, id: toGlobalId("Accreditation", stored.pk) });
      else planned.push({ ...base, action: holder.pk === null ? "CREATE" : "ADD", pk: null, id: null });
    }
    return planned;
  }

  /** Stored people this name stands for: the same name (degrees aside, case aside), or a name the person had before a rename. */
  private personCandidates(name: string): StoredPerson[] {
    const slug = slugify(name, 190);
    const same = (this.personRows.get(name) ?? []).filter((r) => slugify(plainName(r.name), 190) === slug);
    if (same.length > 0) return same;
    const renamed = this.renamed.get(slug);
    return renamed ? [renamed] : [];
  }

  async people(institutions: PlannedInstitution[]): Promise<PlannedPerson[]> {
    const planned: PlannedPerson[] = [];
    for (const e of this.story.people) {
      await this.turn();
      const base = { ref: e.ref, name: e.name, mentions: e.mentions, storedName: null, dropped: false };
      const decision = this.choices.people.get(e.ref);
      if (decision?.kind === "drop") {
        planned.push({ ...base, action: "CREATE", pk: null, id: null, dropped: true });
        continue;
      }
      let found: StoredPerson[] = decision ? await this.chosen(Person, decision) : this.personCandidates(e.name);
      if (found.length > 1) {
        // Two stored people of one name: the one who holds a post at an institution of this story.
        const at = new Set(e.positions.map((p) => institutions[p.institution]!.pk).filter((pk): pk is number => pk !== null));
        const posts = at.size === 0 ? [] : await this.em.createQueryBuilder(Position, "po").where("po.person_id IN (:...people)", { people: found.map((f) => f.pk) }).getMany();
        const holders = found.filter((f) => posts.some((po) => po.personId === f.pk && at.has(po.institutionId)));
        if (holders.length === 1) found = holders;
      }
      if (found.length > 1) {
        this.warn("AMBIGUOUS_NAME", `'${e.name}' fits ${found.length} stored people (${found.map((f) => toGlobalId("Person", f.pk)).join(", ")}); a new one is created. Link it by hand if it is one of them.`, e.mentions[0] ?? null);
      }
      if (found.length === 1) planned.push({ ...base, action: "LINK", pk: found[0]!.pk, id: toGlobalId("Person", found[0]!.pk), storedName: found[0]!.name });
      else planned.push({ ...base, action: "CREATE", pk: null, id: null });
    }
    return planned;
  }

  async positions(institutions: PlannedInstitution[], people: PlannedPerson[]): Promise<PlannedPosition[]> {
    const planned: PlannedPosition[] = [];
    const seen = new Set<string>();
    for (const e of this.story.people) {
      await this.turn();
      const person = people[e.ref]!;
      for (const p of e.positions) {
        const at = institutions[p.institution]!;
        const key = `${person.pk ?? `ref${person.ref}`}|${at.pk ?? `ref${at.ref}`}|${p.title.toLowerCase()}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const base = { title: p.title, current: p.current, person: person.ref, institution: at.ref, span: mention(this.body, p.span) };
        const stored =
          person.pk !== null && at.pk !== null
            ? (await this.em.find(Position, { where: { personId: person.pk, institutionId: at.pk } })).find((s) => fold(s.title) === fold(p.title))
            : undefined;
        if (stored) {
          if (stored.current !== p.current) {
            this.warn("CONFLICT", `The story calls ${person.name} ${p.current ? "the current" : "a former"} ${p.title} of '${at.name}', but the store has the post as ${stored.current ? "current" : "former"} (${toGlobalId("Position", stored.pk)}); kept the stored one.`, p.span);
          }
          if (stored.current && p.current) await this.secondHolder(person, at, p.title, p.span);
          planned.push({ ...base, current: stored.current, action: "LINK", pk: stored.pk, id: toGlobalId("Position", stored.pk) });
        } else {
          if (p.current && at.pk !== null) await this.secondHolder(person, at, p.title, p.span);
          planned.push({ ...base, action: person.pk === null ? "CREATE" : "ADD", pk: null, id: null });
        }
      }
    }
    return planned;
  }

  /** A new current holder of a post the store has someone else in: stored, but readers keep seeing the first one (see ../facts.ts). */
  private async secondHolder(person: PlannedPerson, at: PlannedInstitution, title: string, span: Span): Promise<void> {
    const holders = await this.em.find(Position, { where: { institutionId: at.pk!, current: true } });
    const other = holders.find((h) => fold(h.title) === fold(title) && h.personId !== person.pk);
    if (!other) return;
    const holder = await this.em.findOneBy(Person, { pk: other.personId });
    this.warn(
      "CONFLICT",
      `The story makes ${person.name} the current ${title} of '${at.name}', but the store has ${holder?.name ?? "someone else"} in that post (${toGlobalId("Position", other.pk)}); readers keep seeing the first until one is marked former.`,
      span,
    );
  }

  quotes(): PlannedQuote[] {
    return this.story.quotes.map((q) => ({
      position: q.position,
      text: q.text,
      span: mention(this.body, q.span),
      attribution: q.attribution,
      attributionSpan: q.attributionSpan && mention(this.body, q.attributionSpan),
      speaker: q.speaker,
      institution: q.institution,
    }));
  }
}

/**
 * What importing `story` stores, read against the store through `em`: every record linked to a
 * stored one where the text names it in any of its forms, or created; new facts about stored
 * records added, contradicting ones reported (CONFLICT) and left out. Refuses a story stored before.
 */
export async function planImport(em: EntityManager, story: ExtractedStory, choices: LinkChoices = NO_LINK_CHOICES): Promise<ImportPlan> {
  const linker = new Linker(em, story, choices);
  await linker.refuseReimport();
  await linker.prefetch();
  const institutions = await linker.institutions();
  const accreditations = await linker.accreditations(institutions);
  const people = await linker.people(institutions);
  const positions = await linker.positions(institutions, people);
  const quotes = linker.quotes();
  const warnings = [...story.warnings, ...linker.warnings].sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0));
  const distinct = (list: Array<{ pk: number | null }>): number => new Set(list.filter((r) => r.pk !== null).map((r) => r.pk)).size;
  const { title, dateline, source, body, paragraphs, furniture } = story.story;
  return {
    story: { title, dateline, source, summary: null, body, paragraphs, furniture },
    institutions,
    accreditations,
    people,
    positions,
    quotes,
    warnings,
    counts: {
      institutionsCreated: institutions.filter((i) => i.action === "CREATE" && !i.dropped).length,
      institutionsLinked: distinct(institutions),
      peopleCreated: people.filter((p) => p.action === "CREATE" && !p.dropped).length,
      peopleLinked: distinct(people),
      positions: positions.filter((p) => p.action !== "LINK").length,
      quotes: quotes.length,
      accreditations: accreditations.filter((a) => a.action !== "LINK").length,
      warnings: warnings.length,
    },
  };
}
