import type { EntityManager } from "typeorm";
import type { RequestContext } from "../kernel/request-context";
import { BadUserInputError } from "../kernel/errors";
import { intInRange, optionalText, requiredText, slugInput } from "../kernel/validate";
import { attributeWrites } from "../db/database";
import { getOrThrow } from "../db/lookups";
import { saveNewRow } from "./new-rows";
import { claimSlug, deriveSlug, locateByIdOrSlug, recordRename } from "./slugs";
import type { Located } from "./slugs";
import { pkOf } from "../kernel/ids";
import { fetchPage } from "../db/pagination";
import type { Page } from "../db/pagination";
import type { Ordering, PageArgs } from "../kernel/page-args";
import type { Database } from "../db/database";
import { keyListCondition, keyListParam, RowReader } from "../db/rows";
import { Select } from "../db/select";
import { alignByPk, containsPattern, containsSql, groupBy } from "../db/sql";
import { Accreditation, Institution } from "../entities/institution.entity";
import { InstitutionKind } from "../entities/institution.entity";
import { canSeeDrafts } from "../kernel/viewer";
import { ifShown, recordDirectSources, shownTo } from "./facts";
import type { DirectContext, StatedFact } from "./facts";
import type { AccreditationInput, CreateInstitutionInput, InstitutionFilter, UpdateInstitutionInput } from "./institution.inputs";

const BY_NAME: Ordering = { name: "i:name", keys: [{ sql: "i.name", dir: "ASC", type: "text" }, { sql: "i.id", dir: "ASC", type: "int" }] };

/** Reads institutions (correctional units and the bodies above them) and their accreditations. */
export class InstitutionService {
  private readonly rows: RowReader<Institution>;
  private readonly accreditationRows: RowReader<Accreditation>;

  constructor(private readonly db: Database) {
    this.rows = new RowReader(db, Institution);
    this.accreditationRows = new RowReader(db, Accreditation);
  }

  async byPks(ctx: RequestContext, pks: readonly number[]): Promise<Array<Institution | null>> {
    return alignByPk(pks, await this.rows.byKeys(this.db, ctx.tally, "id", pks)).map((row) => ifShown(ctx.viewer, row));
  }

  async accreditationsByPks(ctx: RequestContext, pks: readonly number[]): Promise<Array<Accreditation | null>> {
    return alignByPk(pks, await this.accreditationRows.byKeys(this.db, ctx.tally, "id", pks)).map((row) => ifShown(ctx.viewer, row));
  }

  /** Where `institution(id:, slug:)` leads: the key to read the institution by, or the institution its slug found (see {@link Located}). */
  async locate(ctx: RequestContext, args: { id?: string | null; slug?: string | null }): Promise<Located<Institution>> {
    const found = await locateByIdOrSlug(this.db, ctx.tally, "institution", args, (id) => pkOf(id, "Institution"), this.rows);
    return found !== null && "row" in found && !shownTo(ctx.viewer, found.row) ? null : found;
  }

  /** A page of institutions by name. */
  list(ctx: RequestContext, filter: InstitutionFilter | null | undefined, page: PageArgs): Promise<Page> {
    const qb = new Select(this.db, "institution", "i");
    const readers = !canSeeDrafts(ctx.viewer);
    if (readers) qb.where("i.visible = TRUE");
    if (filter?.kind) qb.where("i.kind = :kind", { kind: filter.kind });
    if (filter?.province) qb.where("LOWER(i.province) = LOWER(:province)", { province: filter.province });
    if (filter?.city) qb.where("LOWER(i.city) = LOWER(:city)", { city: filter.city });
    if (filter?.accreditationCode) {
      qb.where(`EXISTS (SELECT 1 FROM accreditation ac WHERE ac.institution_id = i.id AND UPPER(ac.code) = UPPER(:code)${readers ? " AND ac.visible = TRUE" : ""})`, { code: filter.accreditationCode });
    }
    if (filter?.search) {
      qb.where(`(${containsSql(this.db, "i.name", "search")} OR ${containsSql(this.db, "i.short_name", "search")})`, { search: containsPattern(filter.search) });
    }
    return fetchPage({ select: qb, pkSql: "i.id", ordering: BY_NAME, entity: { columns: this.rows.columnsOf("i"), hydrate: (row) => this.rows.hydrate(row, "_e_") } }, page, ctx.tally);
  }

  /** Direct children of each institution, by name. */
  async childPks(ctx: RequestContext, parentPks: readonly number[]): Promise<number[][]> {
    const readers = canSeeDrafts(ctx.viewer) ? "" : ` AND "visible" = TRUE`;
    const rows = await this.db.readPrepared(`SELECT "id", "parent_id" FROM "institution" WHERE ${keyListCondition(this.db, `"parent_id"`)}${readers} ORDER BY "name", "id"`, [keyListParam(this.db, parentPks)], ctx.tally);
    const groups = groupBy(rows, (r) => Number(r.parent_id));
    return parentPks.map((pk) => (groups.get(pk) ?? []).map((r) => Number(r.id)));
  }

  /** Accreditations of each institution, newest year first. */
  async accreditations(ctx: RequestContext, institutionPks: readonly number[]): Promise<Accreditation[][]> {
    const rows = await this.accreditationRows.byKeys(this.db, ctx.tally, "institution_id", institutionPks, `"year" DESC, "id"`);
    const groups = groupBy(rows.filter((r) => shownTo(ctx.viewer, r)), (r) => r.institutionId);
    return institutionPks.map((pk) => groups.get(pk) ?? []);
  }

  /** A new institution, optionally under a parent body. */
  async create(ctx: DirectContext, input: CreateInstitutionInput): Promise<Institution> {
    const fields = checkInstitutionFields(input, true);
    const handSlug = input.slug == null ? null : slugInput(input.slug, "input.slug");
    return this.db.transaction(async (em) => {
      const parentId = input.parentId != null ? (await getOrThrow(em, Institution, "Institution", input.parentId, "input.parentId")).pk : null;
      const slug = handSlug ? await claimSlug(em, "institution", handSlug, "input.slug") : await deriveSlug(em, "institution", [fields.shortName, fields.name]);
      // Its kind's lists include its parent's children.
      const institution = await saveNewRow(em, "institution", "Institution", em.create(Institution, { shortName: null, classification: null, city: null, province: null, ...fields, slug, parentId }));
      await recordDirectSources(em, ctx, [{ fact: "INSTITUTION", subjectId: institution.pk, origin: true }, ...attributeFacts(institution.pk, { ...fields, parentId })]);
      return institution;
    }, ctx.tally);
  }

  /** Changes what `input` names; a parent may not be the institution itself or one below it. */
  async update(ctx: DirectContext, id: string, input: UpdateInstitutionInput): Promise<Institution> {
    const fields = checkInstitutionFields(input, false);
    const handSlug = input.slug == null ? null : slugInput(input.slug, "input.slug");
    return this.db.transaction(async (em) => {
      const institution = await getOrThrow(em, Institution, "Institution", id, "id");
      // Its own row and slugs: its pages, and the lists of institutions (ordered and filtered by its fields, its parent's children).
      return attributeWrites(em, ["institution", "slug_alias"], async (tag) => {
        tag(`Institution:${institution.pk}`, "Institution:list");
        if (input.parentId !== undefined) {
          const parentPk = input.parentId === null ? null : (await getOrThrow(em, Institution, "Institution", input.parentId, "input.parentId")).pk;
          if (parentPk !== null && (await isSelfOrBelow(em, parentPk, institution.pk))) {
            throw new BadUserInputError(`input.parentId '${input.parentId}' is this institution or one below it; that would make a loop.`, "input.parentId");
          }
          institution.parentId = parentPk;
        }
        if (handSlug && handSlug !== institution.slug) {
          await claimSlug(em, "institution", handSlug, "input.slug", institution.pk);
          await recordRename(em, "institution", institution.pk, institution.slug, handSlug);
          institution.slug = handSlug;
        }
        Object.assign(institution, fields);
        await em.save(institution);
        // The editor's values are sources too: a correction stands over what stories stated.
        await recordDirectSources(em, ctx, attributeFacts(institution.pk, input.parentId === undefined ? fields : { ...fields, parentId: institution.parentId }, true));
        return institution;
      });
    }, ctx.tally);
  }

  /** Records an accreditation (e.g. WBK 2023); the same code twice in one year is refused. */
  async addAccreditation(ctx: DirectContext, institutionId: string, input: AccreditationInput): Promise<Accreditation> {
    const code = requiredText(input.code, "input.code", { max: 20 }).toUpperCase();
    const title = requiredText(input.title, "input.title", { max: 200 });
    const year = intInRange(input.year, "input.year", 1945, new Date().getUTCFullYear() + 1);
    return this.db.transaction(async (em) => {
      const institution = await getOrThrow(em, Institution, "Institution", institutionId, "institutionId");
      if (await em.findOneBy(Accreditation, { institutionId: institution.pk, code, year })) {
        throw new BadUserInputError(`'${institution.name}' already holds ${code} for ${year}.`, "input");
      }
      const accreditation = await em.save(em.create(Accreditation, { institutionId: institution.pk, code, title, year }));
      // Entering a fact about a unit states that the unit exists, as a story naming it would.
      await recordDirectSources(em, ctx, [{ fact: "INSTITUTION", subjectId: institution.pk, origin: false }, { fact: "ACCREDITATION", subjectId: accreditation.pk, origin: true }]);
      return accreditation;
    }, ctx.tally);
  }
}

/** Whether `candidatePk` is the institution itself or one below it: as its parent it would make a loop. */
export async function isSelfOrBelow(em: EntityManager, candidatePk: number, institutionPk: number): Promise<boolean> {
  let current: number | null = candidatePk;
  const seen = new Set<number>();
  while (current !== null && !seen.has(current)) {
    if (current === institutionPk) return true;
    seen.add(current);
    const row: Institution | null = await em.findOne(Institution, { select: { pk: true, parentId: true }, where: { pk: current } });
    current = row?.parentId ?? null;
  }
  return false;
}

const ATTRIBUTE_OF = { classification: "CLASSIFICATION", city: "CITY", province: "PROVINCE", shortName: "SHORT_NAME", parentId: "PARENT" } as const;

/** The attributes an editor entered, as facts; with `nulls`, a cleared one too (it states there is none). */
function attributeFacts(pk: number, values: Partial<Record<keyof typeof ATTRIBUTE_OF, string | number | null>>, nulls = false): StatedFact[] {
  const facts: StatedFact[] = [];
  for (const [field, fact] of Object.entries(ATTRIBUTE_OF) as Array<[keyof typeof ATTRIBUTE_OF, (typeof ATTRIBUTE_OF)[keyof typeof ATTRIBUTE_OF]]>) {
    const value = values[field];
    if (value === undefined || (value === null && !nulls)) continue;
    facts.push({ fact, subjectId: pk, value: value === null ? null : String(value), origin: true });
  }
  return facts;
}

type InstitutionFields = Partial<Pick<Institution, "name" | "shortName" | "kind" | "classification" | "city" | "province">>;

function checkInstitutionFields(input: UpdateInstitutionInput, creating: boolean): InstitutionFields {
  const fields: InstitutionFields = {};
  if (creating || input.name != null) fields.name = requiredText(input.name, "input.name", { max: 300 });
  if (creating || input.kind != null) {
    if (!Object.values(InstitutionKind).includes(input.kind as InstitutionKind)) throw new BadUserInputError(`input.kind '${String(input.kind)}' is not an institution kind.`, "input.kind");
    fields.kind = input.kind!;
  }
  if (input.shortName !== undefined) fields.shortName = optionalText(input.shortName, "input.shortName", { max: 200 });
  if (input.classification !== undefined) fields.classification = optionalText(input.classification, "input.classification", { max: 20 });
  if (input.city !== undefined) fields.city = optionalText(input.city, "input.city", { max: 100 });
  if (input.province !== undefined) fields.province = optionalText(input.province, "input.province", { max: 100 });
  return fields;
}
