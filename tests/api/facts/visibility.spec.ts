import "reflect-metadata";
import { ArticleService } from "../../../src/services/article.service";
import { dataOf } from "../../helpers/server";
import { bearer, mintToken } from "../../helpers/tokens";
import { useTestServer } from "../../helpers/fixture";

/**
 * A draft's facts are proposals: an anonymous reader sees none of them on any path until a
 * published story states them, and they are withdrawn from readers (kept for editors) when the
 * story goes back to draft or is deleted. Everything runs as a reader would, over HTTP.
 */

interface Drafted {
  id: string;
  rutan: { id: string; slug: string; accreditation: string; position: string };
  budi: { id: string; slug: string };
  fauzi: { id: string; slug: string; position: string };
  quote: string;
}

const t = useTestServer({ seed: true });
let editor: Record<string, string>;
let banyuwangiSlug: string;
let bojonegoroSlug: string;
let before: { institutions: number; people: number };

beforeAll(async () => {
  editor = bearer(await mintToken(t, "EDITOR"));
  const { institutions, people } = dataOf(await t.gql<Lists>(READER_LISTS));
  before = { institutions: institutions.totalCount, people: people.totalCount };
  banyuwangiSlug = institutions.nodes.find((i) => i.shortName === "Lapas Banyuwangi")!.slug;
  bojonegoroSlug = institutions.nodes.find((i) => i.shortName === "Lapas Bojonegoro")!.slug;
});


/** Imports the embargoed story as a draft and answers the ids of what it proposes, read as the editor sees them. */
async function importDraft(text: string): Promise<Drafted> {
  const { previewImport } = dataOf(await t.gql<{ previewImport: { warnings: Array<{ code: string; message: string }> } }>(PREVIEW, { text }, editor));
  expect(previewImport.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: "CONFLICT", message: expect.stringContaining("Ahmad Fauzi the current Kepala Lapas") })]));
  const { importArticle: a } = dataOf(await t.gql<{ importArticle: ImportedStory }>(IMPORT, { text }, editor));
  expect(a.status).toBe("DRAFT");
  const rutan = a.institutions.find((i) => i.shortName === "Rutan Situbondo")!;
  const banyuwangi = a.institutions.find((i) => i.shortName === "Lapas Banyuwangi")!;
  const budi = rutan.positions.find((p) => p.person.name === "Budi Santoso")!;
  const fauzi = banyuwangi.positions.find((p) => p.person.name === "Ahmad Fauzi")!;
  return {
    id: a.id,
    rutan: { id: rutan.id, slug: rutan.slug, accreditation: rutan.accreditations.find((c) => c.code === "WBBM")!.id, position: budi.id },
    budi: { id: budi.person.id, slug: budi.person.slug },
    fauzi: { id: fauzi.person.id, slug: fauzi.person.slug, position: fauzi.id },
    quote: a.quotes[0]!.id,
  };
}

/** Every reader path on which a draft's records and facts could show; fails naming the path that shows one. */
async function expectHiddenFromReaders(d: Drafted): Promise<void> {
  const lists = dataOf(await t.gql<Lists>(READER_LISTS));
  expect(lists.institutions.totalCount).toBe(before.institutions);
  expect(lists.institutions.nodes.map((i) => i.shortName)).not.toContain("Rutan Situbondo");
  expect(lists.people.totalCount).toBe(before.people);
  expect(lists.people.nodes.map((p) => p.name)).not.toEqual(expect.arrayContaining(["Budi Santoso"]));
  expect(lists.people.nodes.map((p) => p.name)).not.toContain("Ahmad Fauzi");
  for (const i of lists.institutions.nodes) {
    expect(i.accreditations.map((a) => a.code)).not.toContain("WBBM");
    expect(i.positions.map((p) => p.person.name)).not.toContain("Ahmad Fauzi");
  }
  for (const p of lists.people.nodes) expect(p.positions.map((x) => x.institution.shortName)).not.toContain("Rutan Situbondo");

  const one = dataOf(await t.gql<One>(READER_ONE, { rutan: d.rutan.slug, banyuwangi: banyuwangiSlug, bojonegoro: bojonegoroSlug, budi: d.budi.slug, fauzi: d.fauzi.slug }));
  expect(one.rutan).toBeNull();
  expect(one.budi).toBeNull();
  expect(one.fauzi).toBeNull();
  expect(one.banyuwangi!.positions.filter((p) => p.current)).toHaveLength(1);
  expect(one.banyuwangi!.positions.map((p) => p.person.name)).not.toContain("Ahmad Fauzi");
  expect(one.bojonegoro!.province).not.toBe("Papua");
  expect(await readerCounts()).toEqual({ wbbm: 0, searchRutan: 0, searchBudi: 0, searchFauzi: 0, papua: 0 });

  for (const id of [d.rutan.id, d.rutan.accreditation, d.rutan.position, d.budi.id, d.fauzi.id, d.fauzi.position, d.quote, d.id]) {
    expect({ id, node: dataOf(await t.gql<{ node: unknown }>(NODE, { id })).node }).toEqual({ id, node: null });
  }
}

/** What the editor still sees of a draft's proposals. */
async function expectEditorSees(d: Drafted): Promise<void> {
  const { rutan, budi } = dataOf(
    await t.gql<{ rutan: { shortName: string | null; classification: string | null; accreditations: Array<{ code: string }> } | null; budi: { positions: Array<{ title: string }> } | null }>(EDITOR_ONE, { rutan: d.rutan.slug, budi: d.budi.slug }, editor),
  );
  expect(rutan).toMatchObject({ shortName: "Rutan Situbondo", classification: "IIB" });
  expect(rutan!.accreditations.map((a) => a.code)).toEqual(["WBBM"]);
  expect(budi!.positions.map((p) => p.title)).toEqual(["Kepala Rutan"]);
}

async function expectShownToReaders(d: Drafted): Promise<void> {
  const one = dataOf(await t.gql<One>(READER_ONE, { rutan: d.rutan.slug, banyuwangi: banyuwangiSlug, bojonegoro: bojonegoroSlug, budi: d.budi.slug, fauzi: d.fauzi.slug }));
  expect(one.rutan!.accreditations.map((a) => a.code)).toEqual(["WBBM"]);
  expect(one.rutan!.positions.map((p) => p.person.name)).toEqual(["Budi Santoso"]);
  expect(one.budi!.positions.map((p) => p.institution.shortName)).toEqual(["Rutan Situbondo"]);
  // A second current head of one post is a dispute: readers see the head stated first.
  expect(one.banyuwangi!.positions.filter((p) => p.current).map((p) => p.person.name)).toEqual(["I Wayan Nurasta Wibawa"]);
  expect(one.fauzi!.positions).toEqual([]);
  expect(await readerCounts()).toEqual({ wbbm: 1, searchRutan: 1, searchBudi: 1, searchFauzi: 1, papua: 1 });
  const lists = dataOf(await t.gql<Lists>(READER_LISTS));
  expect(lists.institutions.totalCount).toBe(before.institutions + 1);
  expect(lists.people.nodes.map((p) => p.name)).toEqual(expect.arrayContaining(["Budi Santoso", "Ahmad Fauzi"]));
  expect(dataOf(await t.gql<{ node: { id: string } | null }>(NODE, { id: d.rutan.accreditation })).node).toEqual({ id: d.rutan.accreditation });
}

test("a draft's new unit, accreditation, heads and province reach no reader, on any path", async () => {
  const d = await importDraft(EMBARGOED.replace("{n}", "1"));
  await expectHiddenFromReaders(d);
  await expectEditorSees(d);
});

test("publishing shows the story's facts; unpublishing and deleting withdraw them from readers and keep them for editors", async () => {
  const d = await importDraft(EMBARGOED.replace("{n}", "2"));
  dataOf(await t.gql(PUBLISH, { id: d.id }, editor));
  await expectShownToReaders(d);

  dataOf(await t.gql(UNPUBLISH, { id: d.id }, editor));
  await expectHiddenFromReaders(d);
  await expectEditorSees(d);

  dataOf(await t.gql(PUBLISH, { id: d.id }, editor));
  await expectShownToReaders(d);
  dataOf(await t.gql(DELETE, { id: d.id }, editor));
  await expectHiddenFromReaders(d);
  await expectEditorSees(d);
  const { bojonegoro } = dataOf(await t.gql<One>(READER_ONE, { rutan: d.rutan.slug, banyuwangi: banyuwangiSlug, bojonegoro: bojonegoroSlug, budi: d.budi.slug, fauzi: d.fauzi.slug }, editor));
  expect(bojonegoro!.province).toBeNull();
});

test("a scheduled story's facts stay proposals until the scheduler publishes it", async () => {
  const d = await importDraft(EMBARGOED.replace("{n}", "3"));
  const at = new Date(Date.now() + 3_600_000);
  expect(dataOf(await t.gql<{ publishArticle: { status: string } }>(SCHEDULE, { id: d.id, at: at.toISOString() }, editor)).publishArticle.status).toBe("SCHEDULED");
  await expectHiddenFromReaders(d);
  // What the scheduler runs when the time comes.
  expect(await new ArticleService(t.server.db).publishDue(new Date(at.getTime() + 1000))).toHaveLength(1);
  await expectShownToReaders(d);
});

/** The embargoed report: a new Rutan with WBBM and its head, a second current head of the seed's Lapas Banyuwangi, and Lapas Bojonegoro "in Papua". */
const EMBARGOED = `Rutan Situbondo Raih Predikat WBBM, Bojonegoro Ikut Belajar {n}

SITUBONDO, Contoh.id – Rumah Tahanan Negara (Rutan) Kelas IIB Situbondo meraih predikat Wilayah Birokrasi Bersih dan Melayani (WBBM) pada tahun 2025. Kepala Rutan Situbondo, Budi Santoso, menerima penghargaan itu di Jakarta.

Rombongan Lapas Bojonegoro, Provinsi Papua, turut hadir. Kalapas Banyuwangi Ahmad Fauzi juga datang memberi ucapan selamat.

“Predikat ini milik seluruh jajaran kami,” ujar Budi Santoso.`;

interface ImportedStory {
  id: string;
  status: string;
  institutions: Array<{ id: string; slug: string; shortName: string | null; accreditations: Array<{ id: string; code: string }>; positions: Array<{ id: string; person: { id: string; slug: string; name: string } }> }>;
  quotes: Array<{ id: string }>;
}

interface InstitutionView {
  slug: string;
  shortName: string | null;
  province: string | null;
  accreditations: Array<{ code: string }>;
  positions: Array<{ current: boolean; person: { name: string } }>;
}

interface PersonView {
  name: string;
  positions: Array<{ title: string; institution: { shortName: string | null } }>;
}

interface Lists {
  institutions: { totalCount: number; nodes: InstitutionView[] };
  people: { totalCount: number; nodes: PersonView[] };
}

interface One {
  rutan: InstitutionView | null;
  banyuwangi: InstitutionView | null;
  bojonegoro: InstitutionView | null;
  budi: PersonView | null;
  fauzi: PersonView | null;
}

type Counts = Record<keyof typeof READER_COUNTS, number>;

/** What each of {@link READER_COUNTS} counts for an anonymous reader. */
async function readerCounts(): Promise<Counts> {
  const counts = {} as Counts;
  for (const [name, query] of Object.entries(READER_COUNTS)) counts[name as keyof Counts] = dataOf(await t.gql<{ c: { totalCount: number } }>(query)).c.totalCount;
  return counts;
}

const IMPORT = /* GraphQL */ `
  mutation Import($text: String!) {
    importArticle(text: $text) {
      id
      status
      institutions { id slug shortName accreditations { id code } positions { id person { id slug name } } }
      quotes { id }
    }
  }
`;

const PREVIEW = /* GraphQL */ `
  query Preview($text: String!) {
    previewImport(text: $text) { warnings { code message } }
  }
`;

const READER_LISTS = /* GraphQL */ `
  {
    institutions(first: 10) { totalCount nodes { slug shortName province accreditations { code } positions { current person { name } } } }
    people(first: 10) { totalCount nodes { name positions { title institution { shortName } } } }
  }
`;

const READER_ONE = /* GraphQL */ `
  query One($rutan: String!, $banyuwangi: String!, $bojonegoro: String!, $budi: String!, $fauzi: String!) {
    rutan: institution(slug: $rutan) { ...I }
    banyuwangi: institution(slug: $banyuwangi) { ...I id }
    bojonegoro: institution(slug: $bojonegoro) { ...I }
    budi: person(slug: $budi) { ...P }
    fauzi: person(slug: $fauzi) { ...P }
  }
  fragment I on Institution { slug shortName province accreditations { code } positions { current person { name } } }
  fragment P on Person { name positions { title institution { shortName } } }
`;

/** One query each: a search is priced high, and together they would pass the cost limit. */
const READER_COUNTS = {
  wbbm: `{ c: institutions(first: 1, filter: { accreditationCode: "WBBM" }) { totalCount } }`,
  searchRutan: `{ c: institutions(first: 1, filter: { search: "Situbondo" }) { totalCount } }`,
  searchBudi: `{ c: people(first: 1, filter: { search: "Budi" }) { totalCount } }`,
  searchFauzi: `{ c: people(first: 1, filter: { search: "Fauzi" }) { totalCount } }`,
  papua: `{ c: institutions(first: 1, filter: { province: "Papua" }) { totalCount } }`,
};

const EDITOR_ONE = /* GraphQL */ `
  query Editor($rutan: String!, $budi: String!) {
    rutan: institution(slug: $rutan) { shortName classification accreditations { code } }
    budi: person(slug: $budi) { positions { title } }
  }
`;

const NODE = /* GraphQL */ `
  query Node($id: ID!) {
    node(id: $id) { id }
  }
`;

const PUBLISH = /* GraphQL */ `
  mutation Publish($id: ID!) {
    publishArticle(id: $id) { status }
  }
`;

const SCHEDULE = /* GraphQL */ `
  mutation Schedule($id: ID!, $at: DateTime!) {
    publishArticle(id: $id, at: $at) { status }
  }
`;

const UNPUBLISH = /* GraphQL */ `
  mutation Unpublish($id: ID!) {
    unpublishArticle(id: $id) { status }
  }
`;

const DELETE = /* GraphQL */ `
  mutation Delete($id: ID!) {
    deleteArticle(id: $id)
  }
`;
