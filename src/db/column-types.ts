import { Column } from "typeorm";
import type { ColumnOptions, ColumnType } from "typeorm";
import type { DatabaseConfig } from "../config";

/** The options of every column declared with {@link InstantColumn}, whose type depends on the dialect. */
const instantColumns = new Set<ColumnOptions>();

/**
 * A column holding an instant. SQLite has no timestamp-with-zone type and PostgreSQL has no
 * `datetime`, so the entity leaves the type open: {@link useInstantType} sets it, explicitly,
 * when a data source's options are built for one dialect (before TypeORM reads the entities).
 */
export function InstantColumn(options: Omit<ColumnOptions, "type">): PropertyDecorator {
  const column: ColumnOptions = { ...options };
  instantColumns.add(column);
  // TypeORM keeps this very object as the column's options and reads its type when a data source initialises.
  return Column(column);
}

/** Column type for instants: `timestamptz` on PostgreSQL, `datetime` (UTC text) on SQLite. */
export function instantType(kind: DatabaseConfig["kind"]): ColumnType {
  return kind === "postgres" ? "timestamptz" : "datetime";
}

/**
 * Gives every instant column the type of `kind`'s dialect. A data source reads the types when it
 * initialises, so data sources of either dialect may be opened one after the other in a process.
 */
export function useInstantType(kind: DatabaseConfig["kind"]): void {
  for (const column of instantColumns) column.type = instantType(kind);
}
