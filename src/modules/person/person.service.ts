import { In } from "typeorm";
import { BadUserInputError } from "../../common/errors";
import { pkOf } from "../../common/ids";
import { fetchPage } from "../../common/pagination";
import type { Ordering, Page, PageArgs } from "../../common/pagination";
import type { Database } from "../../db/database";
import { alignByPk, containsPattern, containsSql, groupBy } from "../../db/sql";
import { Person, Position } from "./person.entity";
import type { PersonFilter } from "./person.inputs";

const BY_NAME: Ordering = { name: "p:name", keys: [{ sql: "p.name", dir: "ASC" }, { sql: "p.id", dir: "ASC" }] };

/** Reads people and the positions they hold. */
export class PersonService {
  constructor(private readonly db: Database) {}

  async byPks(pks: readonly number[]): Promise<Array<Person | null>> {
    return alignByPk(pks, await this.db.reader.getRepository(Person).findBy({ pk: In([...pks]) }));
  }

  async positionsByPks(pks: readonly number[]): Promise<Array<Position | null>> {
    return alignByPk(pks, await this.db.reader.getRepository(Position).findBy({ pk: In([...pks]) }));
  }

  /** One person by id or slug, or null. */
  async findOne(args: { id?: string | null; slug?: string | null }, load: (pk: number) => Promise<Person | null>): Promise<Person | null> {
    if (args.id) return load(pkOf(args.id, "Person"));
    if (args.slug) return this.db.reader.getRepository(Person).findOneBy({ slug: args.slug });
    throw new BadUserInputError("Give the person's id or slug.", "id");
  }

  /** A page of people by name. */
  list(filter: PersonFilter | null | undefined, page: PageArgs): Promise<Page> {
    const qb = this.db.reader.getRepository(Person).createQueryBuilder("p");
    if (filter?.institutionId) {
      qb.andWhere("EXISTS (SELECT 1 FROM position po WHERE po.person_id = p.id AND po.institution_id = :inst)", {
        inst: pkOf(filter.institutionId, "Institution", "filter.institutionId"),
      });
    }
    if (filter?.search) qb.andWhere(containsSql(this.db, "p.name", "search"), { search: containsPattern(filter.search) });
    return fetchPage({ qb, pkSql: "p.id", ordering: BY_NAME }, page);
  }

  /** Positions held by each person, current ones first. */
  async positionsOfPeople(personPks: readonly number[]): Promise<Position[][]> {
    const rows = await this.db.reader.getRepository(Position).find({ where: { personId: In([...personPks]) }, order: { current: "DESC", pk: "ASC" } });
    const groups = groupBy(rows, (r) => r.personId);
    return personPks.map((pk) => groups.get(pk) ?? []);
  }

  /** Positions at each institution, current ones first. */
  async positionsAtInstitutions(institutionPks: readonly number[]): Promise<Position[][]> {
    const rows = await this.db.reader.getRepository(Position).find({ where: { institutionId: In([...institutionPks]) }, order: { current: "DESC", pk: "ASC" } });
    const groups = groupBy(rows, (r) => r.institutionId);
    return institutionPks.map((pk) => groups.get(pk) ?? []);
  }
}
