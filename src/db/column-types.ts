import type { ColumnType } from "typeorm";
import { databaseConfigFromEnv } from "../config";

/*
 * A process talks to one kind of database, chosen by DATABASE_URL before any entity loads.
 * SQLite has no timestamp-with-zone type and PostgreSQL has no `datetime`, so the column
 * type of every timestamp is picked here, once, for the whole process.
 */
const kind = databaseConfigFromEnv().kind;

/** Column type for instants: `timestamptz` on PostgreSQL, `datetime` (UTC text) on SQLite. */
export const timestampType: ColumnType = kind === "postgres" ? "timestamptz" : "datetime";
