import type { Database } from "../../db/database";
import { RowReader } from "../../db/rows";
import { alignByPk } from "../../db/sql";
import { Tag } from "./tag.entity";

/** Reads tags. Tags carry no visibility of their own; their article lists apply the article rules. */
export class TagService {
  private readonly rows: RowReader<Tag>;

  constructor(private readonly db: Database) {
    this.rows = new RowReader(db, Tag);
  }

  /** Every tag, by name. */
  all(): Promise<Tag[]> {
    return this.rows.all(this.db, `"name", "id"`);
  }

  async byPks(pks: readonly number[]): Promise<Array<Tag | null>> {
    return alignByPk(pks, await this.rows.byKeys(this.db, "id", pks));
  }
}
