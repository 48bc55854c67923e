import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { DataSource } from "typeorm";
import type { DatabaseConfig } from "../../src/config";
import { dataSourceOptions } from "../../src/db/database";
import { migrations } from "../../src/db/migrations";
import { entities } from "../../src/entities/entities";
import { adminQuery, dataOf, startTestServer, tempSqliteFile } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import { bearer, mintToken } from "../helpers/tokens";

/**
 * A database from before sources were kept for everything: migrated up to FactSources1764460800000,
 * with rows written straight into its tables (as the importer and editors wrote them then), then
 * opened by the server, which runs FactSourcesBackfill1764547200000. Every record gets a source,
 * from its story where one can be told, and readers see exactly what they saw before. On SQLite
 * here, on a PostgreSQL database of its own in the postgres-api project.
 */

const onPostgres = process.env.TEST_DATABASE === "postgres" && Boolean(process.env.DATABASE_URL);
const UP_TO_FACT_SOURCES = migrations.slice(0, migrations.findIndex((m) => m.name === "FactSources1764460800000") + 1);

interface Source {
  fact: string;
  value: string | null;
  backfilled: boolean;
  direct: boolean;
  proposed: boolean;
  disputed: boolean;
  article: { title: string } | null;
  articleTitle: string | null;
  excerpt: string | null;
}

let database: DatabaseConfig;
let cleanup: () => Promise<void>;
let t: TestServer;
let editor: Record<string, string>;
let visibleBefore: unknown;

/** The `visible` flags as the tables hold them. */
async function flags(source: DataSource): Promise<unknown> {
  const read = async (table: string) => (await source.query(`SELECT "id", "visible" FROM "${table}" ORDER BY "id"`)).map((r: { id: number; visible: unknown }) => [Number(r.id), Boolean(Number(r.visible) || r.visible === true)]);
  return { institution: await read("institution"), person: await read("person"), accreditation: await read("accreditation"), position: await read("position") };
}

beforeAll(async () => {
  if (onPostgres) {
    const name = `nwr_backfill_${process.pid}`;
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await adminQuery(`CREATE DATABASE ${name}`);
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${name}`;
    database = { kind: "postgres", url: url.toString() };
    cleanup = () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } else {
    const file = tempSqliteFile();
    database = { kind: "sqlite", file };
    cleanup = async () => fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
  const old = new DataSource(dataSourceOptions(database, entities, { migrations: UP_TO_FACT_SOURCES }));
  await old.initialize();
  try {
    await old.runMigrations({ transaction: "each" });
    for (const statement of OLD_ROWS) await old.query(statement);
    visibleBefore = await flags(old);
  } finally {
    await old.destroy();
  }
  t = await startTestServer({ seed: false, ...(onPostgres ? { database } : { file: (database as { file: string }).file, keepFile: true }) });
  editor = bearer(await mintToken(t, "EDITOR"));
}, 60_000);

afterAll(async () => {
  await t?.close();
  await cleanup?.();
});

test("every record stored before gets a source, from its story where one can be told", async () => {
  const { lama, draf, kanwil, baru } = dataOf(await t.gql<Units>(UNITS, {}, editor));
  const of = (sources: Source[]) => sources.map((s) => [s.fact, s.value, s.backfilled, s.direct, s.articleTitle, s.proposed]);

  expect(of(lama!.sources)).toEqual([
    ["CLASSIFICATION", "IIB", false, false, "Lapas Lama Berbenah", false],
    ["INSTITUTION", null, true, false, "Lapas Lama Berbenah", false],
    ["CLASSIFICATION", "IIA", true, false, null, false],
    ["CITY", "Banyuwangi", true, false, null, false],
    ["SHORT_NAME", "Lapas Lama", true, false, null, false],
    ["PARENT", kanwil!.id, true, false, null, false],
  ]);
  // A story that names the record, not the words that state it.
  expect(lama!.sources[1]).toMatchObject({ article: { title: "Lapas Lama Berbenah" }, excerpt: null });
  // Named only by a draft, the unit was public all the same: its source is neither story nor editor.
  expect(of(draf!.sources)).toEqual([
    ["INSTITUTION", null, true, false, null, false],
    ["SHORT_NAME", "Lapas Draf", true, false, null, false],
  ]);
  expect(of(kanwil!.sources)).toEqual([
    ["INSTITUTION", null, true, false, null, false],
    ["SHORT_NAME", "Kanwil Lama", true, false, null, false],
  ]);
  // A unit that already had the source of its existence gets no other; its short name, which no source gave it, gets one.
  expect(of(baru!.sources)).toEqual([
    ["INSTITUTION", null, false, true, null, false],
    ["SHORT_NAME", "Lapas Baru", true, false, null, false],
  ]);

  expect(of(lama!.accreditations[0]!.sources)).toEqual([["ACCREDITATION", null, true, false, null, false]]);
  expect(lama!.positions.map((p) => [p.person.name, of(p.sources)])).toEqual([
    ["Wayan Lama", [["POSITION", null, true, false, null, false]]],
    ["Kedua Lama", [["POSITION", null, true, false, null, false]]],
  ]);
  expect(lama!.positions.map((p) => of(p.person.sources))).toEqual([[["PERSON", null, true, false, "Lapas Lama Berbenah", false]], [["PERSON", null, true, false, null, false]]]);

  const { quotes } = dataOf(await t.gql<{ quotes: { nodes: Array<{ text: string; sources: Source[] }> } }>(QUOTES, {}, editor));
  expect(quotes.nodes.map((q) => [q.text, of(q.sources), q.sources[0]!.excerpt]).sort()).toEqual([
    ["Kami terus berbenah.", [["QUOTE", null, true, false, "Lapas Lama Berbenah", false]], "Kami terus berbenah."],
    ["Masih rencana.", [["QUOTE", null, true, false, "Rencana Lapas Draf", true]], "Masih rencana."],
  ]);
});

test("nothing readers saw is hidden, and a change after the backfill keeps the rule", async () => {
  const reopened = new DataSource(dataSourceOptions(database, entities, { migrations: [] }));
  await reopened.initialize();
  try {
    expect(await flags(reopened)).toEqual(visibleBefore);
    expect(JSON.stringify(visibleBefore)).not.toContain("false");
  } finally {
    await reopened.destroy();
  }
  const reader = dataOf(await t.gql<{ institutions: { totalCount: number; nodes: Array<{ shortName: string; classification: string | null; city: string | null; parent: { shortName: string } | null }> }; people: { totalCount: number } }>(READER));
  expect(reader.people.totalCount).toBe(2);
  expect(reader.institutions.totalCount).toBe(4);
  expect(reader.institutions.nodes.find((i) => i.shortName === "Lapas Lama")).toEqual({ shortName: "Lapas Lama", classification: "IIA", city: "Banyuwangi", parent: { shortName: "Kanwil Lama" } });
  // The story that disputes the class is a conflict an editor sees; the stored value is the accepted one.
  const { factConflicts } = dataOf(await t.gql<{ factConflicts: Array<{ fact: string; choices: Array<{ value: string; accepted: boolean; sources: Source[] }> }> }>(CONFLICTS, {}, editor));
  expect(factConflicts.find((c) => c.fact === "CLASSIFICATION")!.choices.map((c) => [c.value, c.accepted, c.sources.map((s) => s.backfilled)])).toEqual([
    ["IIA", true, [true]],
    ["IIB", false, [false]],
  ]);

  // An editor's change recomputes the unit: it stays shown with the value no source set, and of its two current heads stored before, readers see the first.
  const { lama } = dataOf(await t.gql<Units>(UNITS, {}, editor));
  dataOf(await t.gql(`mutation Update($id: ID!) { updateInstitution(id: $id, input: { province: "Jawa Timur" }) { id } }`, { id: lama!.id }, editor));
  const after = dataOf(await t.gql<{ lama: { classification: string; province: string; positions: Array<{ current: boolean; person: { name: string } }> } | null }>(`{ lama: institution(slug: "lapas-lama") { classification province positions { current person { name } } } }`));
  expect(after.lama).toEqual({ classification: "IIA", province: "Jawa Timur", positions: [{ current: true, person: { name: "Wayan Lama" } }] });
});

const SOURCE = `fact value backfilled direct proposed disputed article { title } articleTitle excerpt`;

interface Unit {
  id: string;
  sources: Source[];
  accreditations: Array<{ sources: Source[] }>;
  positions: Array<{ sources: Source[]; person: { name: string; sources: Source[] } }>;
}
type Units = Record<"lama" | "draf" | "kanwil" | "baru", Unit | null>;

const UNITS = /* GraphQL */ `
  {
    lama: institution(slug: "lapas-lama") { ...U }
    draf: institution(slug: "lapas-draf") { ...U }
    kanwil: institution(slug: "kanwil-lama") { ...U }
    baru: institution(slug: "lapas-baru") { ...U }
  }
  fragment U on Institution {
    id
    sources { ${SOURCE} }
    accreditations { sources { ${SOURCE} } }
    positions { sources { ${SOURCE} } person { name sources { ${SOURCE} } } }
  }
`;

const QUOTES = /* GraphQL */ `
  { quotes(first: 10) { nodes { text sources { ${SOURCE} } } } }
`;

const READER = /* GraphQL */ `
  { institutions(first: 10) { totalCount nodes { shortName classification city parent { shortName } } } people(first: 10) { totalCount } }
`;

const CONFLICTS = /* GraphQL */ `
  { factConflicts { fact choices { value accepted sources { backfilled } } } }
`;

const at = "2025-06-01 08:00:00.000";
const ids = (table: string, slug: string) => `(SELECT "id" FROM "${table}" WHERE "slug" = '${slug}')`;

/** The old database's rows, as SQL both SQLite and PostgreSQL take (no placeholders, no ids: the keys are the tables' own). */
const OLD_ROWS = [
  `INSERT INTO "article" ("slug", "title", "summary", "body", "dateline", "source", "status", "published_at", "scheduled_for", "created_at", "updated_at")
   VALUES ('lapas-lama-berbenah', 'Lapas Lama Berbenah', NULL, 'Lapas Lama berbenah.', NULL, NULL, 'PUBLISHED', '${at}', NULL, '${at}', '${at}')`,
  `INSERT INTO "article" ("slug", "title", "summary", "body", "dateline", "source", "status", "published_at", "scheduled_for", "created_at", "updated_at")
   VALUES ('rencana-lapas-draf', 'Rencana Lapas Draf', NULL, 'Lapas Draf berencana.', NULL, NULL, 'DRAFT', NULL, NULL, '${at}', '${at}')`,
  `INSERT INTO "institution" ("slug", "name", "short_name", "kind", "classification", "city", "province", "parent_id") VALUES ('kanwil-lama', 'Kantor Wilayah Lama', 'Kanwil Lama', 'KANWIL', NULL, NULL, NULL, NULL)`,
  `INSERT INTO "institution" ("slug", "name", "short_name", "kind", "classification", "city", "province", "parent_id")
   VALUES ('lapas-lama', 'Lembaga Pemasyarakatan Kelas IIA Lama', 'Lapas Lama', 'LAPAS', 'IIA', 'Banyuwangi', NULL, ${ids("institution", "kanwil-lama")})`,
  `INSERT INTO "institution" ("slug", "name", "short_name", "kind", "classification", "city", "province", "parent_id") VALUES ('lapas-draf', 'Lapas Draf', 'Lapas Draf', 'LAPAS', NULL, NULL, NULL, NULL)`,
  `INSERT INTO "institution" ("slug", "name", "short_name", "kind", "classification", "city", "province", "parent_id") VALUES ('lapas-baru', 'Lapas Baru', 'Lapas Baru', 'LAPAS', NULL, NULL, NULL, NULL)`,
  `INSERT INTO "person" ("slug", "name") VALUES ('wayan-lama', 'Wayan Lama')`,
  `INSERT INTO "person" ("slug", "name") VALUES ('kedua-lama', 'Kedua Lama')`,
  `INSERT INTO "article_institution" ("article_id", "institution_id", "position") VALUES (${ids("article", "lapas-lama-berbenah")}, ${ids("institution", "lapas-lama")}, 0)`,
  `INSERT INTO "article_institution" ("article_id", "institution_id", "position") VALUES (${ids("article", "rencana-lapas-draf")}, ${ids("institution", "lapas-draf")}, 0)`,
  `INSERT INTO "article_person" ("article_id", "person_id", "position") VALUES (${ids("article", "lapas-lama-berbenah")}, ${ids("person", "wayan-lama")}, 0)`,
  `INSERT INTO "accreditation" ("code", "title", "year", "institution_id") VALUES ('WBK', 'Wilayah Bebas dari Korupsi', 2023, ${ids("institution", "lapas-lama")})`,
  `INSERT INTO "position" ("title", "current", "person_id", "institution_id") VALUES ('Kepala Lapas', TRUE, ${ids("person", "wayan-lama")}, ${ids("institution", "lapas-lama")})`,
  `INSERT INTO "position" ("title", "current", "person_id", "institution_id") VALUES ('Kepala Lapas', TRUE, ${ids("person", "kedua-lama")}, ${ids("institution", "lapas-lama")})`,
  `INSERT INTO "quote" ("text", "attribution", "position", "article_id", "speaker_id", "institution_id") VALUES ('Kami terus berbenah.', 'ujarnya', 0, ${ids("article", "lapas-lama-berbenah")}, ${ids("person", "wayan-lama")}, NULL)`,
  `INSERT INTO "quote" ("text", "attribution", "position", "article_id", "speaker_id", "institution_id") VALUES ('Masih rencana.', 'katanya', 0, ${ids("article", "rencana-lapas-draf")}, ${ids("person", "kedua-lama")}, NULL)`,
  // Written after sources were kept: a story's disputing class for the old unit, and a unit entered with its own source.
  `INSERT INTO "fact_source" ("fact", "subject_id", "value", "state", "origin", "article_id", "article_title", "token_id", "span_start", "span_end", "excerpt", "stated_at")
   VALUES ('CLASSIFICATION', ${ids("institution", "lapas-lama")}, 'IIB', 'STATED', FALSE, ${ids("article", "lapas-lama-berbenah")}, 'Lapas Lama Berbenah', NULL, NULL, NULL, 'Lapas Lama', '${at}')`,
  `INSERT INTO "fact_source" ("fact", "subject_id", "value", "state", "origin", "article_id", "article_title", "token_id", "span_start", "span_end", "excerpt", "stated_at")
   VALUES ('INSTITUTION', ${ids("institution", "lapas-baru")}, NULL, 'STATED', TRUE, NULL, NULL, NULL, NULL, NULL, NULL, '${at}')`,
];
