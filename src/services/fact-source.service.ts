import type { RequestContext } from "../kernel/request-context";
import { canSeeDrafts } from "../kernel/viewer";
import type { Database } from "../db/database";
import { keyListCondition, keyListParam, RowReader } from "../db/rows";
import { groupBy } from "../db/sql";
import { ATTRIBUTE_FACTS, FactSource } from "../entities/fact-source.entity";
import type { FactKind } from "../entities/fact-source.entity";

/** The records sources are read for, and the facts each one's sources are about. */
export const SUBJECT_FACTS = {
  institution: ["INSTITUTION", ...(Object.keys(ATTRIBUTE_FACTS) as FactKind[])],
  person: ["PERSON"],
  accreditation: ["ACCREDITATION"],
  position: ["POSITION"],
  quote: ["QUOTE"],
} as const satisfies Record<string, readonly FactKind[]>;
export type SourceSubject = keyof typeof SUBJECT_FACTS;

/** Reads where facts come from (see ./facts.ts for how they are written and what they decide). */
export class FactSourceService {
  private readonly rows: RowReader<FactSource>;

  constructor(private readonly db: Database) {
    this.rows = new RowReader(db, FactSource);
  }

  /**
   * The sources of each record's facts, oldest first: readers get the stated ones (a published
   * story's, an editor's entry), editors proposals and withdrawn ones too.
   */
  async of(ctx: RequestContext, subject: SourceSubject, pks: readonly number[]): Promise<FactSource[][]> {
    const facts = SUBJECT_FACTS[subject].map((f) => `'${f}'`).join(", ");
    const readers = canSeeDrafts(ctx.viewer) ? "" : ` AND fs."state" = 'STATED'`;
    const raw = await this.db.readPrepared(
      `SELECT ${this.rows.columnsOf("fs", "")} FROM "fact_source" fs WHERE fs."fact" IN (${facts}) AND ${keyListCondition(this.db, `fs."subject_id"`)}${readers} ORDER BY fs."id"`,
      [keyListParam(this.db, pks)],
      ctx.tally,
    );
    const groups = groupBy(
      raw.map((r) => this.rows.hydrate(r)),
      (s) => s.subjectId,
    );
    return pks.map((pk) => groups.get(pk) ?? []);
  }
}
