import type { Database } from "./database";

/** A named parameter's value: a scalar, or an array a `:...name` placeholder spreads. */
type ParamValue = unknown;

/**
 * The FROM and WHERE of a list query, built from SQL fragments with `:name` parameters (and
 * `:...name` for lists), compiled to the reader's placeholders. Lists and pages are read many
 * times a second; TypeORM's query builder spent more time building each of them than SQLite spent
 * answering (README, Performance), so the request path builds its SQL with this instead.
 */
export class Select {
  private readonly joins: string[] = [];
  private readonly conditions: string[] = [];
  private readonly params: Record<string, ParamValue> = {};

  constructor(
    readonly db: Database,
    private readonly table: string,
    private readonly alias: string,
  ) {}

  /** Adds `INNER JOIN <source> <alias> ON <on>`; `source` is a table name or a parenthesised subquery. */
  innerJoin(source: string, alias: string, on: string, params: Record<string, ParamValue> = {}): this {
    this.joins.push(`INNER JOIN ${source} ${alias} ON ${on}`);
    Object.assign(this.params, params);
    return this;
  }

  /** Adds a condition; all conditions must hold. */
  where(condition: string, params: Record<string, ParamValue> = {}): this {
    this.conditions.push(condition);
    Object.assign(this.params, params);
    return this;
  }

  /** `column` is one of `keys`, sent as one parameter so the SQL text stays the same for any number of keys. */
  whereIn(column: string, keys: readonly (number | string)[]): this {
    const name = `_in${this.conditions.length}`;
    return this.db.isPostgres
      ? this.where(`${column} = ANY(:${name})`, { [name]: [...keys] })
      : this.where(`${column} IN (SELECT value FROM json_each(:${name}))`, { [name]: JSON.stringify(keys) });
  }

  clone(): Select {
    const copy = new Select(this.db, this.table, this.alias);
    copy.joins.push(...this.joins);
    copy.conditions.push(...this.conditions);
    Object.assign(copy.params, this.params);
    return copy;
  }

  /**
   * `SELECT <columns> FROM … WHERE …<tail>` with its positional values. `extra` adds conditions
   * and parameters for this statement only.
   */
  compile(columns: string, tail = "", extra: { conditions?: string[]; params?: Record<string, ParamValue> } = {}): { sql: string; values: unknown[] } {
    const conditions = [...this.conditions, ...(extra.conditions ?? [])];
    const where = conditions.length ? ` WHERE ${conditions.map((c) => `(${c})`).join(" AND ")}` : "";
    const named = `SELECT ${columns} FROM "${this.table}" ${this.alias}${this.joins.length ? ` ${this.joins.join(" ")}` : ""}${where}${tail}`;
    const params = { ...this.params, ...extra.params };
    const values: unknown[] = [];
    const postgres = this.db.isPostgres;
    // A quoted string never holds a parameter here; skip over them so ':' inside one stays as it is.
    const sql = named.replace(/'(?:[^']|'')*'|:(\.\.\.)?([A-Za-z_][A-Za-z0-9_]*)/g, (match, spread: string | undefined, name: string | undefined) => {
      if (name === undefined) return match;
      if (!(name in params)) throw new Error(`no value for the SQL parameter :${name}`);
      const value = params[name];
      const items = spread ? (value as unknown[]) : [value];
      return items
        .map((item) => {
          values.push(item);
          return postgres ? `$${values.length}` : "?";
        })
        .join(", ");
    });
    return { sql, values };
  }
}
