import "reflect-metadata";
import { ArticleService } from "../../../src/services/article.service";
import { dataOf, metricOf } from "../../helpers/server";
import { bearer, mintToken } from "../../helpers/tokens";
import { useTestServer } from "../../helpers/fixture";
import { connect } from "../../helpers/ws";

/**
 * A draft's facts are proposals: an anonymous reader sees none of them on any path until a
 * published story states them, and they are withdrawn from readers (kept for editors) when the
 * story goes back to draft or is deleted. Everything runs as a reader would: over HTTP (also
 * answered from the response cache) and over a WebSocket feed and its replay.
 */

interface Drafted {
  id: string;
  rutan: { id: string; slug: string; accreditation: string; position: string };
  budi: { id: string; slug: string };
  fauzi: { id: string; slug: string; position: string };
  quote: string;
  /** The quote of the seed's Kalapas Bojonegoro, a person readers see. */
  hariQuote: string;
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
    hariQuote: a.quotes[1]!.id,
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

  expectNoneOf(await readerWalk(), DRAFT_MARKS);
  expect(await tickerFilter(d)).toEqual({ institution: null, person: null });
  for (const id of [d.rutan.id, d.rutan.accreditation, d.rutan.position, d.budi.id, d.fauzi.id, d.fauzi.position, d.quote, d.hariQuote, d.id]) {
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
  expect(dataOf(await t.gql<{ node: { id: string } | null }>(NODE, { id: d.hariQuote })).node).toEqual({ id: d.hariQuote });
  expectAllOf(await readerWalk(), DRAFT_MARKS);
  expect(await tickerFilter(d)).toEqual({ institution: { id: d.rutan.id }, person: { id: d.budi.id } });
}

/** What the live ticker's script learns of a filter by the new unit's and head's slugs, asked as it asks (an anonymous GET). */
async function tickerFilter(d: Drafted): Promise<unknown> {
  const script = (await t.get("/live/ticker.js")).text;
  const query = /`(query TickerFilter[^`]*)`/.exec(script)![1]!;
  const variables = { institution: d.rutan.slug, person: d.budi.slug, withInstitution: true, withPerson: true };
  const res = await fetch(`http://127.0.0.1:${t.server.port}/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(JSON.stringify(variables))}`);
  return ((await res.json()) as { data: unknown }).data;
}

/**
 * What the draft states, as words an answer would show: its new unit, accreditation and heads,
 * the province it gives Lapas Bojonegoro, and its two quotes.
 */
const DRAFT_MARKS = ["Rutan Situbondo", "WBBM", "Budi Santoso", "Ahmad Fauzi", "Papua", "Predikat ini milik", "belajar dari Situbondo"];

function expectNoneOf(answer: string, marks: readonly string[]): void {
  expect(marks.filter((m) => answer.includes(m))).toEqual([]);
}

function expectAllOf(answer: string, marks: readonly string[]): void {
  expect(marks.filter((m) => !answer.includes(m))).toEqual([]);
}

/**
 * Every reader path {@link WALKS} takes, as one text: each answer read anonymously, or with
 * `cached` read until the response cache answers it (and that answer).
 */
async function readerWalk(cached = false): Promise<string> {
  let all = "";
  for (const query of WALKS) all += JSON.stringify(cached ? await cachedRead(query) : dataOf(await t.gql(query)));
  return all;
}

/** Reads an anonymous query until the response cache answers it (its second sighting stores it); fails if it never does. */
async function cachedRead(query: string): Promise<unknown> {
  for (let i = 0; i < 3; i++) {
    const hits = await metricOf(t, "response_cache_hits_total");
    const answer = dataOf(await t.gql(query));
    if ((await metricOf(t, "response_cache_hits_total")) > hits) return answer;
  }
  throw new Error(`the response cache never answered ${query}`);
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

test("cached anonymous answers change with the story's publication, unpublishing and deletion", async () => {
  const d = await importDraft(EMBARGOED.replace("{n}", "4"));
  expectNoneOf(await readerWalk(true), DRAFT_MARKS);
  dataOf(await t.gql(PUBLISH, { id: d.id }, editor));
  expectAllOf(await readerWalk(), DRAFT_MARKS);
  expectAllOf(await readerWalk(true), DRAFT_MARKS);
  dataOf(await t.gql(UNPUBLISH, { id: d.id }, editor));
  expectNoneOf(await readerWalk(), DRAFT_MARKS);
  expectNoneOf(await readerWalk(true), DRAFT_MARKS);
  dataOf(await t.gql(PUBLISH, { id: d.id }, editor));
  expectAllOf(await readerWalk(true), DRAFT_MARKS);
  dataOf(await t.gql(DELETE, { id: d.id }, editor));
  expectNoneOf(await readerWalk(), DRAFT_MARKS);
  expectNoneOf(await readerWalk(true), DRAFT_MARKS);
});

test("a live feed never carries a draft; a replay after the story's deletion shows none of the facts it withdrew", async () => {
  const client = connect(t.server.port);
  try {
    const { liveCursor: before } = dataOf(await t.gql<{ liveCursor: string }>(`{ liveCursor }`));
    const live = client.subscribe<{ articleEvents: FedEvent }>(FED_EVENTS, {});
    const deadline = Date.now() + 3000;
    while (t.server.stats.activeSubscriptions < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const d = await importDraft(EMBARGOED.replace("{n}", "5"));
    dataOf(await t.gql(PUBLISH, { id: d.id }, editor));
    // The first event after the draft was written is its publication: the draft itself was never fed.
    const [published] = await live.waitFor(1);
    expect(published).toEqual({ data: { articleEvents: expect.objectContaining({ type: "PUBLISHED", article: expect.objectContaining({ id: d.id }) }) } });
    expectAllOf(JSON.stringify(published!.data!.articleEvents.article), ["Rutan Situbondo", "WBBM", "Budi Santoso", "Predikat ini milik", "belajar dari Situbondo"]);

    dataOf(await t.gql(DELETE, { id: d.id }, editor));
    const [, unpublished] = await live.waitFor(2);
    expect(unpublished).toEqual({ data: { articleEvents: expect.objectContaining({ type: "UNPUBLISHED", article: expect.objectContaining({ id: d.id }) }) } });
    expectNoneOf(JSON.stringify(unpublished!.data!.articleEvents.article), DRAFT_MARKS);

    // Replayed from before the publication, both events show what stands now: the facts the deletion withdrew are gone.
    const replay = client.subscribe<{ articleEvents: FedEvent }>(FED_EVENTS, { after: before });
    const replayed = (await replay.waitFor(2)).filter((r) => r.data?.articleEvents.article.id === d.id || r.errors);
    expect(replayed.map((r) => r.errors ?? r.data!.articleEvents.type)).toEqual(["PUBLISHED", "UNPUBLISHED"]);
    expectNoneOf(JSON.stringify(replayed), DRAFT_MARKS);
  } finally {
    await client.close();
  }
});

test("a scheduled story's facts stay proposals until the scheduler publishes it", async () => {
  const d = await importDraft(EMBARGOED.replace("{n}", "6"));
  const at = new Date(Date.now() + 3_600_000);
  expect(dataOf(await t.gql<{ publishArticle: { status: string } }>(SCHEDULE, { id: d.id, at: at.toISOString() }, editor)).publishArticle.status).toBe("SCHEDULED");
  await expectHiddenFromReaders(d);
  // What the scheduler runs when the time comes.
  expect(await new ArticleService(t.server.db).publishDue(new Date(at.getTime() + 1000))).toHaveLength(1);
  await expectShownToReaders(d);
});

/**
 * The embargoed report: a new Rutan with WBBM and its head, a second current head of the seed's
 * Lapas Banyuwangi, Lapas Bojonegoro "in Papua", and a quote of the seed's (visible) Kalapas
 * Bojonegoro.
 */
const EMBARGOED = `Rutan Situbondo Raih Predikat WBBM, Bojonegoro Ikut Belajar {n}

SITUBONDO, Contoh.id – Rumah Tahanan Negara (Rutan) Kelas IIB Situbondo meraih predikat Wilayah Birokrasi Bersih dan Melayani (WBBM) pada tahun 2025. Kepala Rutan Situbondo, Budi Santoso, menerima penghargaan itu di Jakarta.

Rombongan Lapas Bojonegoro, Provinsi Papua, turut hadir. Kalapas Banyuwangi Ahmad Fauzi juga datang memberi ucapan selamat.

“Predikat ini milik seluruh jajaran kami,” ujar Budi Santoso.

“Kami datang untuk belajar dari Situbondo,” kata Kalapas Bojonegoro Hari Winarca.`;

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

interface FedEvent {
  type: string;
  article: { id: string };
}

/** What a reader's feed could show of a story's facts (the story's own title and body name them, so they are left out). */
const FED_EVENTS = /* GraphQL */ `
  subscription Fed($after: String) {
    articleEvents(after: $after) {
      type
      article {
        id
        institutions { name shortName province accreditations { code } positions { person { name } } }
        people { name }
        quotes { text speaker { name } institution { name } }
      }
    }
  }
`;

/** Reader paths at every depth, each one operation (together they would pass the cost limit). */
const WALKS = [
  /* GraphQL */ `{ institutions(first: 20) { nodes { name shortName classification province parent { name } children { name } accreditations { code sources { excerpt } } positions { title current person { name quotes(first: 10) { nodes { text } } } } quotes(first: 10) { nodes { text speaker { name } } } sources { value excerpt } } } }`,
  /* GraphQL */ `{ people(first: 20) { nodes { name positions { title institution { name province } } quotes(first: 10) { nodes { text article { title } } } articles(first: 10) { nodes { title quotes { text } institutions { name } } } sources { excerpt } } } }`,
  /* GraphQL */ `{ articles(first: 20) { nodes { title institutions { name accreditations { code } positions { person { name } } } people { name } quotes { text speaker { name } institution { name } } } } }`,
  /* GraphQL */ `{ quotes(first: 50) { nodes { text speaker { name } institution { name } article { title } } } }`,
  /* GraphQL */ `{ quotes(first: 10, filter: { search: "belajar" }) { totalCount nodes { text } } }`,
  /* GraphQL */ `{ articles(first: 10, filter: { search: "Situbondo" }) { totalCount nodes { title } } }`,
  /* GraphQL */ `{ people(first: 10, filter: { search: "Santoso" }) { totalCount nodes { name } } }`,
];

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
