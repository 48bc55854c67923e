import "reflect-metadata";
import { dataOf, metricOf } from "../../helpers/server";
import { bearer, mintToken } from "../../helpers/tokens";
import { useTestServer } from "../../helpers/fixture";

/**
 * Conflicts between sources, as the editor's desk reads and settles them over HTTP: a class, a
 * province (disputed by a draft), a parent and a second current head of a post. Settling is the
 * editor's entry: readers (also through the response cache) see the chosen value at once, and
 * the losing sources stay on record, disputed.
 */

interface Source {
  fact: string;
  value: string | null;
  direct: boolean;
  proposed: boolean;
  disputed: boolean;
  article: { title: string } | null;
  excerpt: string | null;
}

interface Choice {
  id: string;
  value: string | null;
  label: string;
  accepted: boolean;
  position: { id: string; title: string; person: { name: string } } | null;
  sources: Source[];
}

interface Conflict {
  id: string;
  fact: string;
  institution: { id: string; shortName: string | null };
  title: string | null;
  proposed: boolean;
  choices: Choice[];
}

const t = useTestServer({ seed: true });
let editor: Record<string, string>;
let moderator: Record<string, string>;
let banyuwangiSlug: string;

beforeAll(async () => {
  editor = bearer(await mintToken(t, "EDITOR"));
  moderator = bearer(await mintToken(t, "MODERATOR"));
  const { institutions } = dataOf(await t.gql<{ institutions: { nodes: Array<{ slug: string; shortName: string | null }> } }>(UNITS));
  banyuwangiSlug = institutions.nodes.find((i) => i.shortName === "Lapas Banyuwangi")!.slug;
});

const conflicts = async (includeProposed?: boolean): Promise<Conflict[]> => dataOf(await t.gql<{ factConflicts: Conflict[] }>(CONFLICTS, includeProposed === undefined ? {} : { includeProposed }, editor)).factConflicts;
const conflictOf = async (fact: string, shortName: string, includeProposed?: boolean): Promise<Conflict | undefined> =>
  (await conflicts(includeProposed)).find((c) => c.fact === fact && c.institution.shortName === shortName);
const settle = async (conflict: string, choice: string) => t.gql<{ settleConflict: Conflict | null }>(SETTLE, { input: { conflict, choice } }, editor);
const importStory = async (text: string, publish: boolean): Promise<string> => dataOf(await t.gql<{ importArticle: { id: string } }>(IMPORT, { text, publish }, editor)).importArticle.id;

/** Reads an anonymous query until the response cache answers it (the first read stores it), and answers it. */
async function cachedRead<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const hits = await metricOf(t, "response_cache_hits_total");
  dataOf(await t.gql(query, variables));
  const second = dataOf<T>(await t.gql(query, variables));
  expect(await metricOf(t, "response_cache_hits_total")).toBe(hits + 1);
  return second;
}

interface ReaderUnit {
  institution: { classification: string | null; province: string | null; parent: { name: string } | null; positions: Array<{ current: boolean; title: string; person: { name: string } }>; sources: Source[] } | null;
}

test("a class two stories disagree on: listed with both values, the accepted first; settled, readers see the chosen one and the other stays disputed", async () => {
  const before = await cachedRead<ReaderUnit>(READER_UNIT, { slug: banyuwangiSlug });
  expect(before.institution!.classification).toBe("IIA");
  await importStory(BANYUWANGI_IIB, true);

  const conflict = (await conflictOf("CLASSIFICATION", "Lapas Banyuwangi"))!;
  expect(conflict).toMatchObject({ title: null, proposed: false });
  expect(conflict.choices.map((c) => [c.value, c.label, c.accepted])).toEqual([
    ["IIA", "IIA", true],
    ["IIB", "IIB", false],
  ]);
  const [iia, iib] = conflict.choices;
  expect(iia!.sources.map((s) => [s.direct, s.disputed, s.article?.title])).toEqual([[false, false, expect.stringContaining("Lapas Banyuwangi")]]);
  expect(iib!.sources).toEqual([expect.objectContaining({ value: "IIB", disputed: true, proposed: false, article: { title: "Lapas Banyuwangi Gelar Bazar" }, excerpt: expect.any(String) })]);
  // The same conflict keeps its id while it is open.
  expect((await conflictOf("CLASSIFICATION", "Lapas Banyuwangi"))!.id).toBe(conflict.id);

  expect(dataOf(await settle(conflict.id, iib!.id)).settleConflict).toBeNull();
  expect(await conflictOf("CLASSIFICATION", "Lapas Banyuwangi")).toBeUndefined();
  // The anonymous reader's cached answer changed with the settlement.
  const after = dataOf(await t.gql<ReaderUnit>(READER_UNIT, { slug: banyuwangiSlug })).institution!;
  expect(after.classification).toBe("IIB");
  expect(after.sources.filter((s) => s.fact === "CLASSIFICATION").map((s) => [s.value, s.direct, s.disputed])).toEqual([
    ["IIA", false, true],
    ["IIB", false, false],
    ["IIB", true, false],
  ]);
});

test("a province only a draft disputes is a proposed conflict, left out without proposals; settling it for the draft's value shows that value to readers", async () => {
  await importStory(BOJONEGORO_PAPUA, true);
  await importStory(BOJONEGORO_JATIM, false);
  expect(await conflictOf("PROVINCE", "Lapas Bojonegoro", false)).toBeUndefined();
  const conflict = (await conflictOf("PROVINCE", "Lapas Bojonegoro"))!;
  expect(conflict.proposed).toBe(true);
  expect(conflict.choices.map((c) => [c.value, c.accepted, c.sources.map((s) => s.proposed)])).toEqual([
    ["Papua", true, [false]],
    ["Jawa Timur", false, [true]],
  ]);
  const slug = await slugOf("Lapas Bojonegoro");
  expect((await cachedRead<ReaderUnit>(READER_UNIT, { slug })).institution!.province).toBe("Papua");

  expect(dataOf(await settle(conflict.id, conflict.choices[1]!.id)).settleConflict).toBeNull();
  const unit = dataOf(await t.gql<ReaderUnit>(READER_UNIT, { slug })).institution!;
  expect(unit.province).toBe("Jawa Timur");
  // Readers see the editor's entry; the draft's own source is still a proposal only editors see.
  expect(unit.sources.filter((s) => s.fact === "PROVINCE").map((s) => [s.value, s.direct, s.disputed])).toEqual([
    ["Papua", false, true],
    ["Jawa Timur", true, false],
  ]);
});

test("a parent two sources disagree on: the choices name the units; settled, readers see the chosen parent", async () => {
  // The Kanwil is stored first (one the story brings in itself disputes too: see the last test).
  dataOf(await t.gql(CREATE_UNIT, { input: { name: "Kantor Wilayah Direktorat Jenderal Pemasyarakatan Jawa Timur", shortName: "Kanwil Ditjenpas Jawa Timur", kind: "KANWIL" } }, editor));
  await importStory(BANYUWANGI_KANWIL, true);
  const conflict = (await conflictOf("PARENT", "Lapas Banyuwangi"))!;
  expect(conflict.choices.map((c) => [c.label, c.accepted])).toEqual([
    ["Kementerian Hukum dan HAM", true],
    ["Kanwil Ditjenpas Jawa Timur", false],
  ]);
  const kanwil = conflict.choices[1]!;
  expect(kanwil.value).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(dataOf(await t.gql<{ node: { shortName: string } | null }>(NODE, { id: kanwil.value }, editor)).node).toEqual({ shortName: "Kanwil Ditjenpas Jawa Timur" });

  expect(dataOf(await settle(conflict.id, kanwil.id)).settleConflict).toBeNull();
  const unit = dataOf(await t.gql<ReaderUnit>(READER_UNIT, { slug: banyuwangiSlug })).institution!;
  expect(unit.parent).toEqual({ name: expect.stringContaining("Jawa Timur") });
  expect(unit.sources.filter((s) => s.fact === "PARENT").map((s) => [s.direct, s.disputed])).toEqual([
    [false, true],
    [false, false],
    [true, false],
  ]);
});

test("two current heads of one post: the one shown first; settled for the other, readers see the new head and the old one's sources are disputed", async () => {
  await importStory(NEW_HEAD, true);
  const read = async () => dataOf(await t.gql<ReaderUnit>(READER_UNIT, { slug: banyuwangiSlug })).institution!.positions.filter((p) => p.current).map((p) => p.person.name);
  expect(await read()).toEqual(["I Wayan Nurasta Wibawa"]);
  const conflict = (await conflicts()).find((c) => c.fact === "POSITION" && c.institution.shortName === "Lapas Banyuwangi")!;
  expect(conflict.title).toBe("Kepala Lapas");
  expect(conflict.choices.map((c) => [c.value, c.label, c.accepted, c.position?.person.name])).toEqual([
    [null, "I Wayan Nurasta Wibawa (current Kepala Lapas)", true, "I Wayan Nurasta Wibawa"],
    [null, "Ahmad Fauzi (current Kepala Lapas)", false, "Ahmad Fauzi"],
  ]);
  const [wayan, fauzi] = conflict.choices;
  expect(fauzi!.sources.map((s) => [s.fact, s.disputed, s.article?.title])).toEqual([["POSITION", true, "Ahmad Fauzi Pimpin Lapas Banyuwangi"]]);

  expect(dataOf(await settle(conflict.id, fauzi!.id)).settleConflict).toBeNull();
  expect(await read()).toEqual(["Ahmad Fauzi"]);
  expect((await conflicts()).filter((c) => c.fact === "POSITION" && c.institution.shortName === "Lapas Banyuwangi")).toEqual([]);
  const { node } = dataOf(await t.gql<{ node: { current: boolean; sources: Source[] } | null }>(POSITION_NODE, { id: wayan!.position!.id }, editor));
  expect(node!.current).toBe(true);
  expect(node!.sources.every((s) => s.disputed)).toBe(true);
  expect(dataOf(await t.gql<{ node: unknown }>(POSITION_NODE, { id: wayan!.position!.id })).node).toBeNull();
});

test("readers may neither list nor settle conflicts", async () => {
  await importStory(BANYUWANGI_IIA_AGAIN, true);
  const open = (await conflicts())[0]!;
  for (const [headers, code] of [
    [{}, "UNAUTHENTICATED"],
    [moderator, "FORBIDDEN"],
  ] as const) {
    expect((await t.gql(CONFLICTS, {}, headers)).body.errors?.[0]?.extensions?.code).toBe(code);
    expect((await t.gql(SETTLE, { input: { conflict: open.id, choice: open.choices[1]!.id } }, headers)).body.errors?.[0]?.extensions?.code).toBe(code);
  }
  expect((await conflicts())[0]).toEqual(open);
});

test("an id that names nothing, a conflict no longer open or another conflict's choice is refused naming it, and nothing changes", async () => {
  await importStory(BOJONEGORO_IIB, true);
  await importStory(BOJONEGORO_IIA, true);
  const all = await conflicts();
  expect(all.length).toBeGreaterThanOrEqual(2);
  const [one, other] = all;
  const unit = async () => dataOf(await t.gql<ReaderUnit>(READER_UNIT, { slug: banyuwangiSlug }, editor)).institution;
  const stored = await unit();
  const opaque = (parts: unknown[]) => Buffer.from(JSON.stringify(parts), "utf8").toString("base64url");
  // Well formed, but of a unit that does not exist (as a settled conflict names nothing open).
  const closed = opaque(["FactConflict", "CLASSIFICATION", 99999, null]);
  const cases: Array<[conflict: string, choice: string, field: string, named: string]> = [
    ["not-an-id", one!.choices[0]!.id, "input.conflict", "not-an-id"],
    [one!.id, "bm90aGluZw", "input.choice", "bm90aGluZw"],
    [one!.id, other!.choices[1]!.id, "input.choice", other!.choices[1]!.id],
    [one!.id, opaque(["FactChoice", one!.id, "=nothing-stated"]), "input.choice", opaque(["FactChoice", one!.id, "=nothing-stated"])],
    [closed, opaque(["FactChoice", closed, "=iia"]), "input.conflict", closed],
  ];
  for (const [conflict, choice, field, named] of cases) {
    const { body } = await settle(conflict, choice);
    expect({ conflict, choice, error: body.errors?.[0]?.extensions }).toEqual({ conflict, choice, error: { code: "BAD_USER_INPUT", field } });
    expect(body.errors![0]!.message).toContain(named.slice(0, 50));
  }
  expect(await conflicts()).toEqual(all);
  expect(await unit()).toEqual(stored);
});

test("a parent disputed with a unit the same story brings into the store: the new unit is a disputing choice, with the story as its source", async () => {
  const before = dataOf(await t.gql<ReaderUnit>(READER_UNIT, { slug: banyuwangiSlug })).institution!.parent;
  await importStory(BANYUWANGI_NEW_KANWIL, true);
  const conflict = (await conflictOf("PARENT", "Lapas Banyuwangi"))!;
  expect(conflict).toBeDefined();
  const bali = conflict.choices.find((c) => c.label === "Kanwil Ditjenpas Bali")!;
  expect(bali).toMatchObject({ accepted: false });
  expect(dataOf(await t.gql<{ node: { shortName: string } | null }>(NODE, { id: bali.value }, editor)).node).toEqual({ shortName: "Kanwil Ditjenpas Bali" });
  expect(bali.sources.map((s) => [s.fact, s.disputed, s.article?.title])).toEqual([["PARENT", true, "Lapas Banyuwangi Rapat dengan Kanwil Bali"]]);
  // The stored parent stays what readers see.
  expect(dataOf(await t.gql<ReaderUnit>(READER_UNIT, { slug: banyuwangiSlug })).institution!.parent).toEqual(before);
});

async function slugOf(shortName: string): Promise<string> {
  const { institutions } = dataOf(await t.gql<{ institutions: { nodes: Array<{ slug: string; shortName: string | null }> } }>(UNITS, {}, editor));
  return institutions.nodes.find((i) => i.shortName === shortName)!.slug;
}

const BANYUWANGI_IIB = `Lapas Banyuwangi Gelar Bazar

BANYUWANGI, Contoh.id – Lembaga Pemasyarakatan (Lapas) Kelas IIB Banyuwangi menggelar bazar hasil karya warga binaan pada Sabtu (7/6).`;

const BANYUWANGI_IIA_AGAIN = `Lapas Banyuwangi Gelar Pameran

BANYUWANGI, Contoh.id – Lembaga Pemasyarakatan (Lapas) Kelas IIA Banyuwangi menggelar pameran hasil karya warga binaan pada Minggu (8/6).`;

const BOJONEGORO_IIB = `Lapas Bojonegoro Tanam Pohon

BOJONEGORO, Contoh.id – Lembaga Pemasyarakatan (Lapas) Kelas IIB Bojonegoro menanam seribu pohon pada Senin (9/6).`;

const BOJONEGORO_IIA = `Lapas Bojonegoro Panen Sayur

BOJONEGORO, Contoh.id – Lembaga Pemasyarakatan (Lapas) Kelas IIA Bojonegoro memanen sayur hasil kebun warga binaan pada Rabu (11/6).`;

const BOJONEGORO_PAPUA = `Rombongan Bojonegoro Berkunjung

SURABAYA, Contoh.id – Rombongan Lapas Bojonegoro, Provinsi Papua, turut hadir dalam rapat kerja.`;

const BOJONEGORO_JATIM = `Lapas Bojonegoro Ikut Rapat

SURABAYA, Contoh.id – Rombongan Lapas Bojonegoro, Provinsi Jawa Timur, hadir dalam rapat koordinasi.`;

const BANYUWANGI_KANWIL = `Lapas Banyuwangi Terima Tamu

BANYUWANGI, Contoh.id – Lapas Banyuwangi yang berada di bawah Kanwil Ditjenpas Jawa Timur menerima tamu dari Bali.`;

const BANYUWANGI_NEW_KANWIL = `Lapas Banyuwangi Rapat dengan Kanwil Bali

BANYUWANGI, Contoh.id – Lapas Banyuwangi yang berada di bawah Kanwil Ditjenpas Bali mengikuti rapat koordinasi.`;

const NEW_HEAD = `Ahmad Fauzi Pimpin Lapas Banyuwangi

BANYUWANGI, Contoh.id – Kalapas Banyuwangi Ahmad Fauzi memimpin apel pagi pada Selasa (10/6).`;

const SOURCE = `fact value direct proposed disputed article { title } excerpt`;

const CONFLICTS = /* GraphQL */ `
  query Conflicts($includeProposed: Boolean) {
    factConflicts(includeProposed: $includeProposed) {
      id fact title proposed
      institution { id shortName }
      choices { id value label accepted position { id title person { name } } sources { ${SOURCE} } }
    }
  }
`;

const SETTLE = /* GraphQL */ `
  mutation Settle($input: SettleConflictInput!) {
    settleConflict(input: $input) { id }
  }
`;

const IMPORT = /* GraphQL */ `
  mutation Import($text: String!, $publish: Boolean) {
    importArticle(text: $text, publish: $publish) { id }
  }
`;

const UNITS = /* GraphQL */ `
  { institutions(first: 50) { nodes { slug shortName } } }
`;

const READER_UNIT = /* GraphQL */ `
  query Unit($slug: String!) {
    institution(slug: $slug) {
      classification province parent { name }
      positions { current title person { name } }
      sources { ${SOURCE} }
    }
  }
`;

const CREATE_UNIT = /* GraphQL */ `
  mutation Create($input: CreateInstitutionInput!) { createInstitution(input: $input) { id } }
`;

const NODE = /* GraphQL */ `
  query Node($id: ID!) { node(id: $id) { ... on Institution { shortName } } }
`;

const POSITION_NODE = /* GraphQL */ `
  query Position($id: ID!) { node(id: $id) { ... on Position { current sources { ${SOURCE} } } } }
`;
