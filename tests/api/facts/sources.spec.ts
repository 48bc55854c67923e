import "reflect-metadata";
import { dataOf } from "../../helpers/server";
import { bearer, mintToken } from "../../helpers/tokens";
import { useTestServer } from "../../helpers/fixture";

/** Where each fact comes from, as readers and editors see it: the story and its words, or the editor's entry. */

interface Source {
  fact: string;
  value: string | null;
  article: { title: string; slug: string } | null;
  articleTitle: string | null;
  excerpt: string | null;
  span: { start: number; end: number } | null;
  direct: boolean;
  proposed: boolean;
  withdrawn: boolean;
  disputed: boolean;
}

interface Unit {
  id: string;
  slug: string;
  classification: string | null;
  province: string | null;
  sources: Source[];
  accreditations: Array<{ code: string; sources: Source[] }>;
  positions: Array<{ person: { name: string; sources: Source[] }; sources: Source[] }>;
}

const t = useTestServer({ seed: true });
let editor: Record<string, string>;

beforeAll(async () => {
  editor = bearer(await mintToken(t, "EDITOR"));
});


const unit = async (slug: string, headers: Record<string, string> = {}): Promise<Unit | null> => dataOf(await t.gql<{ institution: Unit | null }>(UNIT, { slug }, headers)).institution;
const slugOf = async (shortName: string): Promise<string> =>
  dataOf(await t.gql<{ institutions: { nodes: Array<{ slug: string; shortName: string | null }> } }>(`{ institutions(first: 20) { nodes { slug shortName } } }`, {}, editor)).institutions.nodes.find((i) => i.shortName === shortName)!.slug;

test("a published story's facts name it and the words that state them; a draft's are proposals only editors see; a deleted story's are withdrawn", async () => {
  const { importArticle: draft } = dataOf(await t.gql<{ importArticle: { id: string; slug: string; body: string } }>(IMPORT, { text: STORY }, editor));
  const rutanSlug = await slugOf("Rutan Situbondo");
  const bojonegoroSlug = await slugOf("Lapas Bojonegoro");

  expect(await unit(rutanSlug)).toBeNull();
  expect((await unit(bojonegoroSlug))!.sources.filter((s) => s.fact === "PROVINCE")).toEqual([]);
  const proposed = (await unit(bojonegoroSlug, editor))!.sources.find((s) => s.fact === "PROVINCE")!;
  expect(proposed).toMatchObject({ value: "Papua", proposed: true, direct: false, articleTitle: "Rutan Situbondo Raih Predikat WBBM", article: { slug: draft.slug } });

  dataOf(await t.gql(PUBLISH, { id: draft.id }, editor));
  const rutan = (await unit(rutanSlug))!;
  const [wbbm] = rutan.accreditations[0]!.sources;
  expect(wbbm).toMatchObject({ fact: "ACCREDITATION", article: { title: "Rutan Situbondo Raih Predikat WBBM", slug: draft.slug }, proposed: false, withdrawn: false });
  expect(draft.body.slice(wbbm!.span!.start, wbbm!.span!.end)).toBe(wbbm!.excerpt);
  expect(wbbm!.excerpt).toContain("2025");
  expect(rutan.sources.map((s) => [s.fact, s.value])).toEqual([
    ["INSTITUTION", null],
    ["CLASSIFICATION", "IIB"],
    ["CITY", "Situbondo"],
    ["SHORT_NAME", "Rutan Situbondo"],
  ]);
  const head = rutan.positions[0]!;
  expect(draft.body.slice(head.sources[0]!.span!.start, head.sources[0]!.span!.end)).toContain("Budi Santoso");
  expect(head.person.sources.map((s) => s.article?.slug)).toEqual([draft.slug]);

  dataOf(await t.gql(DELETE, { id: draft.id }, editor));
  // Withdrawn from readers, the record keeps for editors what its story said.
  expect(await unit(rutanSlug)).toBeNull();
  expect(await unit(rutanSlug, editor)).toMatchObject({ classification: "IIB" });
  const kept = (await unit(bojonegoroSlug, editor))!.sources.find((s) => s.fact === "PROVINCE")!;
  expect(kept).toMatchObject({ value: "Papua", withdrawn: true, article: null, articleTitle: "Rutan Situbondo Raih Predikat WBBM" });
  expect((await unit(bojonegoroSlug))!.sources.map((s) => s.articleTitle)).not.toContain("Rutan Situbondo Raih Predikat WBBM");
});

test("a contradiction is a disputing source: readers keep the accepted value and see the dispute", async () => {
  const { importArticle } = dataOf(await t.gql<{ importArticle: { id: string } }>(IMPORT_PUBLISHED, { text: DISPUTING }, editor));
  expect(importArticle.id).toBeTruthy();
  const banyuwangi = (await unit(await slugOf("Lapas Banyuwangi")))!;
  expect(banyuwangi.classification).toBe("IIA");
  expect(banyuwangi.sources.filter((s) => s.fact === "CLASSIFICATION").map((s) => [s.value, s.disputed])).toEqual([
    ["IIA", false],
    ["IIB", true],
  ]);
});

test("an editor's direct entry is its own source, with no story", async () => {
  const { createInstitution } = dataOf(await t.gql<{ createInstitution: { slug: string } }>(CREATE, { input: { name: "Bapas Kelas II Jember", kind: "BAPAS", city: "Jember" } }, editor));
  const made = (await unit(createInstitution.slug))!;
  expect(made.sources.map((s) => [s.fact, s.value, s.direct, s.article])).toEqual([
    ["INSTITUTION", null, true, null],
    ["CITY", "Jember", true, null],
  ]);
});

const STORY = `Rutan Situbondo Raih Predikat WBBM

SITUBONDO, Contoh.id – Rumah Tahanan Negara (Rutan) Kelas IIB Situbondo meraih predikat Wilayah Birokrasi Bersih dan Melayani (WBBM) pada tahun 2025. Kepala Rutan Situbondo, Budi Santoso, menerima penghargaan itu di Jakarta.

Rombongan Lapas Bojonegoro, Provinsi Papua, turut hadir.

“Predikat ini milik seluruh jajaran kami,” ujar Budi Santoso.`;

const DISPUTING = `Lapas Banyuwangi Gelar Bazar

BANYUWANGI, Contoh.id – Lembaga Pemasyarakatan (Lapas) Kelas IIB Banyuwangi menggelar bazar hasil karya warga binaan pada Sabtu (7/6).`;

const SOURCE = `fact value article { title slug } articleTitle excerpt span { start end } direct proposed withdrawn disputed`;

const UNIT = /* GraphQL */ `
  query Unit($slug: String!) {
    institution(slug: $slug) {
      id slug classification province
      sources { ${SOURCE} }
      accreditations { code sources { ${SOURCE} } }
      positions { sources { ${SOURCE} } person { name sources { ${SOURCE} } } }
    }
  }
`;

const IMPORT = /* GraphQL */ `
  mutation Import($text: String!) {
    importArticle(text: $text) { id slug body }
  }
`;

const IMPORT_PUBLISHED = /* GraphQL */ `
  mutation Import($text: String!) {
    importArticle(text: $text, publish: true) { id }
  }
`;

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateInstitutionInput!) {
    createInstitution(input: $input) { slug }
  }
`;

const PUBLISH = /* GraphQL */ `
  mutation Publish($id: ID!) {
    publishArticle(id: $id) { status }
  }
`;

const DELETE = /* GraphQL */ `
  mutation Delete($id: ID!) {
    deleteArticle(id: $id)
  }
`;
