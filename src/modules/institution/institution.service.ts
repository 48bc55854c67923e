import { In } from "typeorm";
import { BadUserInputError } from "../../common/errors";
import { pkOf } from "../../common/ids";
import { fetchPage } from "../../common/pagination";
import type { Ordering, Page, PageArgs } from "../../common/pagination";
import type { Database } from "../../db/database";
import { alignByPk, containsPattern, containsSql, groupBy } from "../../db/sql";
import { Accreditation, Institution } from "./institution.entity";
import type { InstitutionFilter } from "./institution.inputs";

const BY_NAME: Ordering = { name: "i:name", keys: [{ sql: "i.name", dir: "ASC" }, { sql: "i.id", dir: "ASC" }] };

/** Reads institutions (correctional units and the bodies above them) and their accreditations. */
export class InstitutionService {
  constructor(private readonly db: Database) {}

  async byPks(pks: readonly number[]): Promise<Array<Institution | null>> {
    return alignByPk(pks, await this.db.reader.getRepository(Institution).findBy({ pk: In([...pks]) }));
  }

  /** One institution by id or slug, or null. */
  async findOne(args: { id?: string | null; slug?: string | null }, load: (pk: number) => Promise<Institution | null>): Promise<Institution | null> {
    if (args.id) return load(pkOf(args.id, "Institution"));
    if (args.slug) return this.db.reader.getRepository(Institution).findOneBy({ slug: args.slug });
    throw new BadUserInputError("Give the institution's id or slug.", "id");
  }

  /** A page of institutions by name. */
  list(filter: InstitutionFilter | null | undefined, page: PageArgs): Promise<Page> {
    const qb = this.db.reader.getRepository(Institution).createQueryBuilder("i");
    if (filter?.kind) qb.andWhere("i.kind = :kind", { kind: filter.kind });
    if (filter?.province) qb.andWhere("LOWER(i.province) = LOWER(:province)", { province: filter.province });
    if (filter?.city) qb.andWhere("LOWER(i.city) = LOWER(:city)", { city: filter.city });
    if (filter?.accreditationCode) {
      qb.andWhere("EXISTS (SELECT 1 FROM accreditation ac WHERE ac.institution_id = i.id AND UPPER(ac.code) = UPPER(:code))", { code: filter.accreditationCode });
    }
    if (filter?.search) {
      qb.andWhere(`(${containsSql(this.db, "i.name", "search")} OR ${containsSql(this.db, "i.short_name", "search")})`, { search: containsPattern(filter.search) });
    }
    return fetchPage({ qb, pkSql: "i.id", ordering: BY_NAME }, page);
  }

  /** Direct children of each institution, by name. */
  async childPks(parentPks: readonly number[]): Promise<number[][]> {
    const rows = await this.db.reader.getRepository(Institution).find({
      select: { pk: true, parentId: true },
      where: { parentId: In([...parentPks]) },
      order: { name: "ASC", pk: "ASC" },
    });
    const groups = groupBy(rows, (r) => r.parentId!);
    return parentPks.map((pk) => (groups.get(pk) ?? []).map((r) => r.pk));
  }

  /** Accreditations of each institution, newest year first. */
  async accreditations(institutionPks: readonly number[]): Promise<Accreditation[][]> {
    const rows = await this.db.reader.getRepository(Accreditation).find({ where: { institutionId: In([...institutionPks]) }, order: { year: "DESC", pk: "ASC" } });
    const groups = groupBy(rows, (r) => r.institutionId);
    return institutionPks.map((pk) => groups.get(pk) ?? []);
  }
}
