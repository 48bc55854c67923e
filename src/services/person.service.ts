import { requiredText, slugInput } from "../kernel/validate";
import type { CountingContext, RequestContext } from "../kernel/request-context";
import { getOrThrow } from "../db/lookups";
import { saveNewRow } from "./new-rows";
import { claimSlug, deriveSlug, locateByIdOrSlug, recordRename } from "./slugs";
import type { Located } from "./slugs";
import { Institution } from "../entities/institution.entity";
import { pkOf } from "../kernel/ids";
import { fetchPage } from "../db/pagination";
import type { Page } from "../db/pagination";
import type { Ordering, PageArgs } from "../kernel/page-args";
import { attributeWrites } from "../db/database";
import type { Database } from "../db/database";
import { RowReader } from "../db/rows";
import { Select } from "../db/select";
import { alignByPk, containsPattern, containsSql, groupBy } from "../db/sql";
import { Person, Position } from "../entities/person.entity";
import { canSeeDrafts } from "../kernel/viewer";
import { ifShown, recordDirectSources, shownTo } from "./facts";
import type { DirectContext } from "./facts";
import type { CreatePersonInput, PersonFilter, PositionInput, UpdatePersonInput } from "./person.inputs";

const BY_NAME: Ordering = { name: "p:name", keys: [{ sql: "p.name", dir: "ASC", type: "text" }, { sql: "p.id", dir: "ASC", type: "int" }] };

/** Reads people and the positions they hold. */
export class PersonService {
  private readonly rows: RowReader<Person>;
  private readonly positionRows: RowReader<Position>;

  constructor(private readonly db: Database) {
    this.rows = new RowReader(db, Person);
    this.positionRows = new RowReader(db, Position);
  }

  async byPks(ctx: RequestContext, pks: readonly number[]): Promise<Array<Person | null>> {
    return alignByPk(pks, await this.rows.byKeys(this.db, ctx.tally, "id", pks)).map((row) => ifShown(ctx.viewer, row));
  }

  async positionsByPks(ctx: RequestContext, pks: readonly number[]): Promise<Array<Position | null>> {
    return alignByPk(pks, await this.positionRows.byKeys(this.db, ctx.tally, "id", pks)).map((row) => ifShown(ctx.viewer, row));
  }

  /** Where `person(id:, slug:)` leads: the key to read the person by, or the person its slug found (see {@link Located}). */
  async locate(ctx: RequestContext, args: { id?: string | null; slug?: string | null }): Promise<Located<Person>> {
    const found = await locateByIdOrSlug(this.db, ctx.tally, "person", args, (id) => pkOf(id, "Person"), this.rows);
    return found !== null && "row" in found && !shownTo(ctx.viewer, found.row) ? null : found;
  }

  /** A page of people by name. */
  list(ctx: RequestContext, filter: PersonFilter | null | undefined, page: PageArgs): Promise<Page> {
    const qb = new Select(this.db, "person", "p");
    const readers = !canSeeDrafts(ctx.viewer);
    if (readers) qb.where("p.visible = TRUE");
    if (filter?.institutionId) {
      qb.where(`EXISTS (SELECT 1 FROM position po WHERE po.person_id = p.id AND po.institution_id = :inst${readers ? " AND po.visible = TRUE" : ""})`, {
        inst: pkOf(filter.institutionId, "Institution", "filter.institutionId"),
      });
    }
    if (filter?.search) qb.where(containsSql(this.db, "p.name", "search"), { search: containsPattern(filter.search) });
    return fetchPage({ select: qb, pkSql: "p.id", ordering: BY_NAME, entity: { columns: this.rows.columnsOf("p"), hydrate: (row) => this.rows.hydrate(row, "_e_") } }, page, ctx.tally);
  }

  /** Positions held by each person, current ones first. */
  async positionsOfPeople(ctx: RequestContext, personPks: readonly number[]): Promise<Position[][]> {
    const rows = await this.positionRows.byKeys(this.db, ctx.tally, "person_id", personPks, `"current" DESC, "id"`);
    const groups = groupBy(rows.filter((r) => shownTo(ctx.viewer, r)), (r) => r.personId);
    return personPks.map((pk) => groups.get(pk) ?? []);
  }

  /** Positions at each institution, current ones first. */
  async positionsAtInstitutions(ctx: RequestContext, institutionPks: readonly number[]): Promise<Position[][]> {
    const rows = await this.positionRows.byKeys(this.db, ctx.tally, "institution_id", institutionPks, `"current" DESC, "id"`);
    const groups = groupBy(rows.filter((r) => shownTo(ctx.viewer, r)), (r) => r.institutionId);
    return institutionPks.map((pk) => groups.get(pk) ?? []);
  }

  async create(ctx: DirectContext, input: CreatePersonInput): Promise<Person> {
    const name = requiredText(input.name, "input.name", { max: 200 });
    const handSlug = input.slug == null ? null : slugInput(input.slug, "input.slug");
    return this.db.transaction(async (em) => {
      const slug = handSlug ? await claimSlug(em, "person", handSlug, "input.slug") : await deriveSlug(em, "person", name);
      const person = await saveNewRow(em, "person", "Person", em.create(Person, { name, slug }));
      await recordDirectSources(em, ctx, [{ fact: "PERSON", subjectId: person.pk, origin: true }]);
      return person;
    }, ctx.tally);
  }

  /** Renames a person or changes the slug; the old slug keeps resolving. */
  async update(ctx: CountingContext, id: string, input: UpdatePersonInput): Promise<Person> {
    const name = input.name == null ? null : requiredText(input.name, "input.name", { max: 200 });
    const handSlug = input.slug == null ? null : slugInput(input.slug, "input.slug");
    return this.db.transaction(async (em) => {
      const person = await getOrThrow(em, Person, "Person", id, "id");
      // Its own row and slugs: the pages that show it (a story's people, a quote's speaker, a
      // position's holder), and the lists of people (ordered and searched by name). Stories are
      // neither searched nor ordered by their people's names.
      return attributeWrites(em, ["person", "slug_alias"], async (tag) => {
        tag(`Person:${person.pk}`, "Person:list");
        if (handSlug && handSlug !== person.slug) {
          await claimSlug(em, "person", handSlug, "input.slug", person.pk);
          await recordRename(em, "person", person.pk, person.slug, handSlug);
          person.slug = handSlug;
        }
        if (name !== null) person.name = name;
        return em.save(person);
      });
    }, ctx.tally);
  }

  /** Records a position; the same title at the same institution is updated rather than repeated. */
  async assignPosition(ctx: DirectContext, input: PositionInput): Promise<Position> {
    const title = requiredText(input.title, "input.title", { max: 200 });
    const current = input.current ?? true;
    return this.db.transaction(async (em) => {
      const person = await getOrThrow(em, Person, "Person", input.personId, "input.personId");
      const institution = await getOrThrow(em, Institution, "Institution", input.institutionId, "input.institutionId");
      const existing = await em.findOneBy(Position, { personId: person.pk, institutionId: institution.pk, title });
      const position = existing ? Object.assign(existing, { current }) : em.create(Position, { personId: person.pk, institutionId: institution.pk, title, current });
      await em.save(position);
      // Entering a post states that its holder and its unit exist, as a story naming them would.
      await recordDirectSources(em, ctx, [
        { fact: "PERSON", subjectId: person.pk, origin: false },
        { fact: "INSTITUTION", subjectId: institution.pk, origin: false },
        { fact: "POSITION", subjectId: position.pk, origin: !existing },
      ]);
      return position;
    }, ctx.tally);
  }
}
