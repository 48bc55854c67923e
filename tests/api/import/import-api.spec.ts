import "reflect-metadata";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { InstitutionKind } from "../../../src/entities/institution.entity";
import { MAX_BODY_CHARS } from "../../../src/services/import/import.parser";
import { startNewsroom } from "../../helpers/newsroom";
import type { RoleHeaders } from "../../helpers/newsroom";
import { SlugAlias } from "../../../src/entities/slug-alias.entity";
import { Person } from "../../../src/entities/person.entity";
import { nameOf, word } from "../../bench/lib/adversarial-stories";
import { addInstitution, addPerson } from "../../helpers/scenarios";
import { dataOf } from "../../helpers/server";
import type { GraphQLResponse, TestServer } from "../../helpers/server";
import { connect } from "../../helpers/ws";
import type { LiveClient } from "../../helpers/ws";

const STORIES = path.join(__dirname, "..", "..", "services", "import", "stories");
const storyText = (name: string): string => fs.readFileSync(path.join(STORIES, `${name}.txt`), "utf8");
const expectedOf = (name: string): Expected => JSON.parse(fs.readFileSync(path.join(STORIES, `${name}.expected.json`), "utf8")) as Expected;
const SEED_TEXT = fs.readFileSync(path.join(__dirname, "..", "..", "..", "src", "services", "seed", "seed-article.txt"), "utf8");

interface Expected {
  title: string;
  dateline: string | null;
  source: string | null;
  paragraphs: number;
  institutions: Array<{ name: string; shortName: string | null; kind: string; classification: string | null; city: string | null; province: string | null; parent: string | null }>;
  accreditations: Array<{ code: string; year: number; institution: string }>;
  people: Array<{ name: string; positions: Array<{ title: string; institution: string; current: boolean }> }>;
  quotes: Array<{ text: string; attribution: string | null; speaker: string; institution: string | null }>;
}

interface StoredStory {
  id: string;
  slug: string;
  title: string;
  dateline: string | null;
  source: string | null;
  status: string;
  body: string;
  paragraphs: string[];
  institutions: Array<{ id: string; name: string; shortName: string | null; kind: string; classification: string | null; city: string | null; province: string | null; parent: { name: string } | null; accreditations: Array<{ code: string; year: number }> }>;
  people: Array<{ id: string; name: string; positions: Array<{ title: string; current: boolean; institution: { name: string } }> }>;
  quotes: Array<{ text: string; attribution: string | null; position: number; speaker: { id: string; name: string }; institution: { id: string; name: string } | null }>;
}

const STORY = `query Story($slug: String!) { article(slug: $slug) {
  id slug title dateline source status body paragraphs
  institutions { id name shortName kind classification city province parent { name } accreditations { code year } }
  people { id name positions { title current institution { name } } }
  quotes { text attribution position speaker { id name } institution { id name } }
} }`;

const IMPORT = `mutation Import($text: String!, $publish: Boolean) { importArticle(text: $text, publish: $publish) { id slug status title publishedAt } }`;

const SPAN = "start end text";
const PREVIEW = `query Preview($text: String!) { previewImport(text: $text) {
  title dateline source summary body paragraphs
  institutions { ref action id name shortName kind classification city province parentRef parentSpan { ${SPAN} } added mentions { ${SPAN} } }
  accreditations { action id code title year institutionRef institutionName span { ${SPAN} } }
  people { ref action id name mentions { ${SPAN} } }
  positions { action id title current personRef personName institutionRef institutionName span { ${SPAN} } }
  quotes { position text attribution speakerRef speakerName institutionRef institutionName span { ${SPAN} } attributionSpan { ${SPAN} } }
  warnings { code message span { ${SPAN} } }
  counts { institutionsCreated institutionsLinked peopleCreated peopleLinked positions quotes accreditations warnings }
} }`;

type Span = { start: number; end: number; text: string };
interface Preview {
  title: string;
  dateline: string | null;
  source: string | null;
  body: string;
  paragraphs: string[];
  institutions: Array<{ ref: number; action: string; id: string | null; name: string; classification: string | null; parentRef: number | null; added: string[]; mentions: Span[]; parentSpan: Span | null }>;
  accreditations: Array<{ action: string; id: string | null; code: string; year: number; institutionName: string; span: Span }>;
  people: Array<{ ref: number; action: string; id: string | null; name: string; mentions: Span[] }>;
  positions: Array<{ action: string; id: string | null; title: string; personName: string; institutionName: string; span: Span }>;
  quotes: Array<{ position: number; text: string; attribution: string | null; speakerName: string; institutionName: string | null; span: Span; attributionSpan: Span | null }>;
  warnings: Array<{ code: string; message: string; span: Span | null }>;
  counts: Record<string, number>;
}

/** A SHA-256 over every table's rows, per table (the audit trail's aside): what "nothing changed" means. */
async function digest(t: TestServer): Promise<Record<string, string>> {
  const reader = t.server.db.reader;
  const tables = t.server.db.isPostgres
    ? ((await reader.query(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)) as Array<{ name: string }>)
    : ((await reader.query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)) as Array<{ name: string }>);
  const digests: Record<string, string> = {};
  for (const { name } of tables) {
    // A refused import leaves an audit entry by design (tests/api/audit): the digest is of what an import stores.
    if (name === "audit_entry" || name === "audit_record") continue;
    const rows = (await reader.query(name === "sqlite_sequence" ? `SELECT * FROM sqlite_sequence WHERE name <> 'audit_entry'` : `SELECT * FROM "${name}"`)) as unknown[];
    const lines = rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))).sort();
    digests[name] = `${rows.length}:${createHash("sha256").update(lines.join("\n")).digest("hex")}`;
  }
  return digests;
}

/** The one error of a refused operation. */
function refusal(res: GraphQLResponse): { message: string; extensions?: Record<string, unknown> } {
  expect(res.body.errors).toHaveLength(1);
  expect(res.body.data ?? null).toBeNull();
  return res.body.errors![0]!;
}

/** A stored story's facts in the shape of an expected file. */
function factsOf(story: StoredStory) {
  return {
    title: story.title,
    dateline: story.dateline,
    source: story.source,
    paragraphs: story.paragraphs.length,
    institutions: story.institutions.map((i) => ({ name: i.name, shortName: i.shortName, kind: i.kind, classification: i.classification, city: i.city, province: i.province, parent: i.parent?.name ?? null })),
    accreditations: story.institutions.flatMap((i) => i.accreditations.map((a) => ({ code: a.code, year: a.year, institution: i.name }))),
    people: story.people.map((p) => ({ name: p.name, positions: p.positions.map((x) => ({ title: x.title, institution: x.institution.name, current: x.current })) })),
    quotes: story.quotes.map((q) => ({ text: q.text, attribution: q.attribution, speaker: q.speaker.name, institution: q.institution?.name ?? null })),
  };
}

/** One paragraph of words, exactly `length` characters long. */
function bodyOf(length: number): string {
  return `${"Isi berita yang panjang sekali. ".repeat(Math.ceil(length / 32)).slice(0, length - 1)}.`;
}

const byKey = <T>(list: T[]): T[] => [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe("importArticle and previewImport through the API", () => {
  let t: TestServer;
  let as: RoleHeaders;
  const opened = new Set<LiveClient>();

  beforeAll(async () => {
    ({ t, as } = await startNewsroom({ seed: true, roles: true }));
  });
  afterAll(async () => {
    for (const client of opened) await client.close();
    await t.close();
  });

  const importAs = (text: string, publish: boolean | undefined, headers: Record<string, string> = as.EDITOR) => t.gql<{ importArticle: { id: string; slug: string; status: string; title: string; publishedAt: string | null } }>(IMPORT, { text, publish }, headers);
  const preview = async (text: string, headers: Record<string, string> = as.EDITOR): Promise<Preview> => dataOf(await t.gql<{ previewImport: Preview }>(PREVIEW, { text }, headers)).previewImport;
  const stored = async (slug: string, headers: Record<string, string> = as.EDITOR): Promise<StoredStory> => dataOf(await t.gql<{ article: StoredStory }>(STORY, { slug }, headers)).article;
  const totals = async () =>
    dataOf(await t.gql<Record<string, { totalCount: number }>>(`{ articles { totalCount } institutions { totalCount } people { totalCount } quotes { totalCount } }`, {}, as.EDITOR));
  const seedStory = () => stored("sukses-raih-predikat-wbk-lapas-banyuwangi-jadi-rujukan-studi-tiru-lapas-bojonegoro");

  describe("who may import", () => {
    it("an anonymous caller is UNAUTHENTICATED and a moderator FORBIDDEN, for both fields; nothing is stored", async () => {
      const before = await digest(t);
      const text = storyText("02-no-quotes");
      for (const [headers, code] of [
        [{}, "UNAUTHENTICATED"],
        [as.MODERATOR, "FORBIDDEN"],
      ] as const) {
        const imported = refusal(await importAs(text, true, headers));
        expect(imported.extensions?.code).toBe(code);
        expect(imported.message).toContain("importArticle");
        const previewed = refusal(await t.gql(PREVIEW, { text }, headers));
        expect(previewed.extensions?.code).toBe(code);
        expect(previewed.message).toContain("previewImport");
      }
      expect(await digest(t)).toEqual(before);
    });
  });

  describe("stories in, facts out", () => {
    // Stories whose records neither the seed, the newsroom nor each other hold (09 names the newsroom's ministry: linked, see below).
    it.each(["02-no-quotes", "04-lpka-bapas", "06-split-quote", "08-degrees", "10-furniture-masing"])("%s: the stored article gives exactly its expected facts", async (name) => {
      const before = await totals();
      const expected = expectedOf(name);
      const { importArticle } = dataOf(await importAs(storyText(name), false, as.ADMIN));
      expect(importArticle).toMatchObject({ status: "DRAFT", title: expected.title, publishedAt: null });
      const story = await stored(importArticle.slug);
      const facts = factsOf(story);
      // Warnings and the quotes left out for want of a speaker are the import's report, not stored facts.
      const { warnings: _warnings, unresolved: _unresolved, ...stated } = expected as Expected & { warnings: unknown; unresolved: unknown };
      expect({ ...facts, accreditations: byKey(facts.accreditations) }).toEqual({ ...stated, accreditations: byKey(stated.accreditations) });
      // Every quote is the body's own words, and nothing is left of the page around the story.
      for (const q of story.quotes) expect(story.body).toContain(q.text);
      expect(story.body).toBe(story.paragraphs.join("\n\n"));
      for (const furniture of ["banner", "Baca Juga", "Tinggalkan Balasan", "Bagikan", "Editor:"]) expect(story.body).not.toContain(furniture);
      expect(story.quotes.map((q) => q.position)).toEqual(story.quotes.map((_, i) => i));
      const after = await totals();
      expect(after.articles!.totalCount - before.articles!.totalCount).toBe(1);
      expect(after.institutions!.totalCount - before.institutions!.totalCount).toBe(expected.institutions.length);
      expect(after.people!.totalCount - before.people!.totalCount).toBe(expected.people.length);
      expect(after.quotes!.totalCount - before.quotes!.totalCount).toBe(expected.quotes.length);
    });

    it("a quote whose speaker cannot be told is not stored, and the preview says why", async () => {
      const text = storyText("07-unresolved");
      const p = await preview(text);
      const unresolved = p.warnings.filter((w) => w.code === "UNRESOLVED_SPEAKER");
      expect(unresolved.map((w) => w.span!.text)).toEqual(["Semua kamar sudah kami periksa sejak pagi", "Kami menemukan dua telepon genggam dan beberapa kabel pengisi daya", "Barang-barang itu langsung kami musnahkan di halaman"]);
      expect(p.warnings.some((w) => w.code === "AMBIGUOUS_NAME" && /Agus Salim and Agus Pranoto/.test(w.message))).toBe(true);
      expect(p.counts.warnings).toBe(p.warnings.length);
      const { importArticle } = dataOf(await importAs(text, false));
      const story = await stored(importArticle.slug);
      expect(story.quotes.map((q) => q.text)).toEqual(expectedOf("07-unresolved").quotes.map((q) => q.text));
      for (const w of unresolved) expect(story.quotes.some((q) => q.text === w.span!.text)).toBe(false);
    });
  });

  describe("links, not duplicates", () => {
    it("a story re-mentioning the seed's records links them: no new institution or person, the article points at the seed's ids", async () => {
      const seed = await seedStory();
      const text = storyText("01-seed-remention");
      const p = await preview(text);
      expect(p.institutions.map((i) => [i.action, i.id])).toEqual(seed.institutions.map((i) => ["LINK", i.id]));
      expect(p.people.map((x) => [x.action, x.id])).toEqual(seed.people.map((x) => ["LINK", x.id]));
      expect(p.positions.map((x) => x.action)).toEqual(["LINK", "LINK"]);
      expect(p.counts).toMatchObject({ institutionsCreated: 0, institutionsLinked: 3, peopleCreated: 0, peopleLinked: 2, positions: 0, quotes: 3 });

      const before = await totals();
      const { importArticle } = dataOf(await importAs(text, false));
      const after = await totals();
      expect({ institutions: after.institutions, people: after.people }).toEqual({ institutions: before.institutions, people: before.people });
      const story = await stored(importArticle.slug);
      expect(story.institutions.map((i) => i.id)).toEqual(seed.institutions.map((i) => i.id));
      expect(story.people.map((x) => x.id)).toEqual(seed.people.map((x) => x.id));
      // The seed's records as they were: "Lapas Kelas IIA Banyuwangi" is the stored Lembaga Pemasyarakatan Kelas IIA Banyuwangi.
      expect(story.institutions.map((i) => i.name)).toEqual(["Lembaga Pemasyarakatan Kelas IIA Banyuwangi", "Lapas Bojonegoro", "Kementerian Hukum dan HAM"]);
      expect(story.quotes.map((q) => [q.speaker.id, q.institution?.id])).toEqual([
        [seed.people[1]!.id, seed.institutions[0]!.id],
        [seed.people[0]!.id, seed.institutions[1]!.id],
        [seed.people[0]!.id, seed.institutions[1]!.id],
      ]);
      expect((await seedStory()).people.map((x) => x.positions)).toEqual(seed.people.map((x) => x.positions));
    });

    it("a follow-up links the police unit (an institution of kind OTHER), the unit and the people a first story stored", async () => {
      const corpus = (name: string) => fs.readFileSync(path.join(__dirname, "..", "..", "services", "import", "corpus", `${name}.txt`), "utf8");
      dataOf(await importAs(corpus("03-kabur-probolinggo"), false));
      const p = await preview(corpus("10-probolinggo-menara-pantau"));
      const action = (name: string) => p.institutions.find((i) => i.name === name)?.action;
      expect([action("Polsek Sumberasih"), action("Lapas Kelas IIB Probolinggo")]).toEqual(["LINK", "LINK"]);
      expect(p.people.map((x) => [x.name, x.action])).toEqual([
        ["Eko Prasetyo", "LINK"],
        ["Slamet Riyanto", "LINK"],
      ]);
      expect(p.positions.map((x) => [x.personName, x.title, x.institutionName, x.action])).toEqual([
        ["Eko Prasetyo", "Kepala Lapas", "Lapas Kelas IIB Probolinggo", "LINK"],
        ["Slamet Riyanto", "Kepala Polsek", "Polsek Sumberasih", "LINK"],
      ]);
    });

    it("a story naming more people and units than one lookup query takes links each as a lookup of its own would: by another form, by a stored name with degrees, by a former slug, and two stored namesakes are ambiguous", async () => {
      // A server of its own: the suite's store is shared, and these records would be linked by its other stories.
      const own = await startNewsroom({ roles: true });
      try {
        await linksInBatches(own.t, own.as.EDITOR);
      } finally {
        await own.t.close();
      }
    });

    const linksInBatches = async (t: TestServer, editor: Record<string, string>): Promise<void> => {
      const { tuban, hendra, rina, dedi } = await t.server.db.transaction(async (em) => {
        const tuban = await addInstitution(em, { name: "Lembaga Pemasyarakatan Kelas IIB Tuban", kind: InstitutionKind.LAPAS, city: "Tuban" });
        const hendra = await addPerson(em, "Dr. Hendra Wijaya, S.H.");
        const rina = await addPerson(em, "Rina Lestari Putri");
        await em.save(em.create(SlugAlias, { kind: "person", slug: "rina-lestari", targetId: rina.pk, createdAt: new Date() }));
        const dedi = [await addPerson(em, "Dedi Kurniawan"), await em.save(em.create(Person, { name: "Dedi Kurniawan", slug: "dedi-kurniawan-2" }))];
        return { tuban, hendra, rina, dedi };
      });
      // 150 new people and units before them: the stored ones are looked up in the second hundred.
      const filler = Array.from({ length: 150 }, (_, i) => `Kasi Binadik Rutan ${word(i * 7 + 3)}, ${nameOf(i)}, hadir.`).join(" ");
      const text = `Rapat Kerja Pemasyarakatan\n\nTUBAN, Contoh.id – ${filler} Kasi Binadik Lapas Tuban, Hendra Wijaya, hadir. Kasi Pembinaan Lapas Tuban, Rina Lestari, hadir. Kasi Keamanan Lapas Tuban, Dedi Kurniawan, hadir.`;
      const p = dataOf(await t.gql<{ previewImport: Preview }>(PREVIEW, { text }, editor)).previewImport;
      const person = (name: string) => p.people.find((x) => x.name === name)!;
      expect([person("Hendra Wijaya").action, person("Hendra Wijaya").id]).toEqual(["LINK", hendra.id]);
      expect([person("Rina Lestari").action, person("Rina Lestari").id]).toEqual(["LINK", rina.id]);
      expect(person("Dedi Kurniawan").action).toBe("CREATE");
      expect(p.warnings.filter((w) => w.code === "AMBIGUOUS_NAME").map((w) => w.message)).toEqual([
        `'Dedi Kurniawan' fits 2 stored people (${dedi.map((d) => d.id).join(", ")}); a new one is created. Link it by hand if it is one of them.`,
      ]);
      const lapas = p.institutions.find((i) => i.name === "Lapas Tuban")!;
      expect([lapas.action, lapas.id]).toEqual(["ADD", tuban.id]);
      expect(p.counts).toMatchObject({ institutionsCreated: 150, institutionsLinked: 1, peopleCreated: 151, peopleLinked: 2 });
    };

    it("a new fact about a stored record is added: a class where it had none, an accreditation it lacks", async () => {
      const lamongan = await t.server.db.transaction((em) => addInstitution(em, { name: "Lapas Lamongan", shortName: "Lapas Lamongan", kind: InstitutionKind.LAPAS, city: "Lamongan" }));
      const text = `Lapas Lamongan Terima Kunjungan Kalapas Banyuwangi

LAMONGAN, Contoh.id – Lembaga Pemasyarakatan (Lapas) Kelas IIB Lamongan menerima kunjungan Kalapas Banyuwangi I Wayan Nurasta Wibawa pada Rabu (4/6). Lapas Banyuwangi meraih predikat Wilayah Birokrasi Bersih dan Melayani (WBBM) pada tahun 2024.

“Kami datang untuk berbagi pengalaman,” kata Wayan.`;
      const before = await totals();
      const p = await preview(text);
      expect(p.institutions.map((i) => [i.action, i.added])).toEqual([
        ["ADD", ["classification"]],
        ["LINK", []],
      ]);
      expect(p.institutions[0]!.id).toBe(lamongan.id);
      expect(p.accreditations.map((a) => [a.action, a.code, a.year, a.institutionName])).toEqual([["ADD", "WBBM", 2024, "Lapas Banyuwangi"]]);
      expect(p.accreditations[0]!.span.text).toContain("2024");
      expect(p.warnings).toEqual([]);

      const draft = dataOf(await importAs(text, false)).importArticle;
      const classOf = async () => dataOf(await t.gql<{ institution: { name: string; classification: string | null } }>(`query($id: ID!) { institution(id: $id) { name classification } }`, { id: lamongan.id })).institution;
      // A draft's new fact is a proposal: readers see it once the story is published.
      expect(await classOf()).toEqual({ name: "Lapas Lamongan", classification: null });
      dataOf(await t.gql(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id: draft.id }, as.EDITOR));
      expect(await classOf()).toEqual({ name: "Lapas Lamongan", classification: "IIB" });
      const banyuwangi = (await seedStory()).institutions[0]!;
      expect(byKey(banyuwangi.accreditations)).toEqual(byKey([{ code: "WBK", year: 2023 }, { code: "WBBM", year: 2024 }]));
      expect((await totals()).institutions).toEqual(before.institutions);
    });

    it("a fact contradicting a stored one (another class, another parent) is reported as a CONFLICT and not written", async () => {
      const seedBefore = await seedStory();
      const text = `Lapas Banyuwangi Kini di Bawah Kementerian Baru

BANYUWANGI, Contoh.id – Lapas Kelas IIB Banyuwangi kini berada di bawah Kementerian Imigrasi dan Pemasyarakatan sejak awal tahun.

Perubahan itu tidak mengubah layanan kunjungan bagi keluarga warga binaan.`;
      const p = await preview(text);
      expect(p.institutions.map((i) => i.action)).toEqual(["LINK", "LINK"]);
      expect(p.institutions[0]!.id).toBe(seedBefore.institutions[0]!.id);
      expect(p.institutions[0]!.parentRef).toBeNull();
      const conflicts = p.warnings.filter((w) => w.code === "CONFLICT");
      expect(conflicts).toHaveLength(2);
      expect(conflicts[0]!.message).toMatch(/classification 'IIB'.*'IIA'/);
      expect(conflicts[1]!.message).toMatch(/under 'Kementerian Imigrasi dan Pemasyarakatan'.*under 'Kementerian Hukum dan HAM'/);
      expect(conflicts[1]!.span!.text).toBe("Lapas Kelas IIB Banyuwangi kini berada di bawah Kementerian Imigrasi dan Pemasyarakatan");

      dataOf(await importAs(text, false));
      const after = (await seedStory()).institutions[0]!;
      expect({ classification: after.classification, parent: after.parent }).toEqual({ classification: "IIA", parent: { name: "Kementerian Hukum dan HAM" } });
    });

    it("09 links the ministry the newsroom holds and creates the rest", async () => {
      const p = await preview(storyText("09-ditjen-ministry"));
      const ministry = p.institutions.find((i) => i.name === "Kementerian Imigrasi dan Pemasyarakatan")!;
      expect(ministry.action === "LINK" || ministry.action === "ADD").toBe(true);
      expect(ministry.id).not.toBeNull();
      expect(p.institutions.filter((i) => i !== ministry).map((i) => i.action)).toEqual(["CREATE", "CREATE", "CREATE"]);
      const before = await totals();
      dataOf(await importAs(storyText("09-ditjen-ministry"), false));
      expect((await totals()).institutions!.totalCount - before.institutions!.totalCount).toBe(3);
    });
  });

  describe("previewImport", () => {
    it("writes nothing, and shows each record with the words it came from", async () => {
      const before = await digest(t);
      const text = storyText("03-rutan-kanwil");
      const p = await preview(text, as.ADMIN);
      expect(await digest(t)).toEqual(before);
      expect({ title: p.title, dateline: p.dateline, source: p.source, paragraphs: p.paragraphs.length }).toEqual({ title: expectedOf("03-rutan-kanwil").title, dateline: "SITUBONDO", source: "Actanews.id", paragraphs: 6 });
      const spans = [
        ...p.institutions.flatMap((i) => [...i.mentions, ...(i.parentSpan ? [i.parentSpan] : [])]),
        ...p.people.flatMap((x) => x.mentions),
        ...p.positions.map((x) => x.span),
        ...p.quotes.flatMap((q) => [q.span, ...(q.attributionSpan ? [q.attributionSpan] : [])]),
      ];
      expect(spans.length).toBeGreaterThan(10);
      for (const s of spans) expect(p.body.slice(s.start, s.end)).toBe(s.text);
      expect(p.quotes.map((q) => [q.span.text === q.text, q.attribution, q.speakerName])).toEqual(expectedOf("03-rutan-kanwil").quotes.map((q) => [true, q.attribution, q.speaker]));
      expect(p.positions.map((x) => x.span.text)).toEqual(["Kepala Kantor Wilayah Direktorat Jenderal Pemasyarakatan Jawa Timur, Bambang Suryanto", "Karutan Situbondo, Dedi Kurniawan"]);
      // Rutan Situbondo is stored by now (02): linked, and given the parent the text states.
      const rutan = p.institutions.find((i) => i.name.includes("Situbondo"))!;
      expect([rutan.action, rutan.added, rutan.parentRef]).toEqual(["ADD", ["parent"], 0]);
      expect(p.institutions[0]!.action).toBe("CREATE");
      expect(p.institutions[0]!.id).toBeNull();
      expect(p.counts).toMatchObject({ institutionsCreated: 1, institutionsLinked: 1, peopleCreated: 2, peopleLinked: 0, positions: 2, quotes: 3, accreditations: 0, warnings: 0 });
    });
  });

  describe("publishing", () => {
    it("publish: true reaches an articlePublished subscriber and anonymous readers, through the same event as publishArticle", async () => {
      const client = connect(t.server.port);
      opened.add(client);
      const sub = client.subscribe<{ articlePublished: { type: string; article: { id: string; title: string; status: string; institutions: Array<{ name: string }>; quotes: Array<{ text: string }> } } }>(
        `subscription { articlePublished { type article { id title status institutions { name } quotes { text } } } }`,
      );
      const deadline = Date.now() + 3000;
      while (t.server.stats.activeSubscriptions < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      const expected = expectedOf("05-wbbm-wbk");
      const { importArticle } = dataOf(await importAs(storyText("05-wbbm-wbk"), true));
      expect(importArticle.status).toBe("PUBLISHED");
      expect(typeof importArticle.publishedAt).toBe("string");
      const [event] = await sub.waitFor(1);
      expect(event!.data!.articlePublished).toMatchObject({ type: "PUBLISHED", article: { id: importArticle.id, title: expected.title, status: "PUBLISHED" } });
      expect(event!.data!.articlePublished.article.quotes.map((q) => q.text)).toEqual(expected.quotes.map((q) => q.text));
      expect(event!.data!.articlePublished.article.institutions).toHaveLength(3);

      const anonymous = await stored(importArticle.slug, {});
      expect(anonymous.status).toBe("PUBLISHED");
      expect(anonymous.quotes.map((q) => q.text)).toEqual(expected.quotes.map((q) => q.text));
      const { articles } = dataOf(await t.gql<{ articles: { nodes: Array<{ id: string }> } }>(`{ articles(first: 50) { nodes { id } } }`));
      expect(articles.nodes.map((n) => n.id)).toContain(importArticle.id);
    });

    it("a DRAFT import is invisible to anonymous readers everywhere: article, articles, quotes, institution.articles, person.quotes", async () => {
      const text = `Lapas Kelas III Banda Naira Gelar Pameran

BANDA NAIRA, Contoh.id – Lapas Kelas III Banda Naira menggelar pameran karya warga binaan pada Sabtu (7/6).

Kepala Lapas Banda Naira, Rahmat Kurniadi, membuka pameran itu.

“Semua karya ini dibuat di bengkel kerja kami,” kata Rahmat.`;
      const { importArticle } = dataOf(await importAs(text, false));
      expect(importArticle.status).toBe("DRAFT");
      const editorView = await stored(importArticle.slug);
      expect(editorView.quotes).toHaveLength(1);
      const institutionId = editorView.institutions[0]!.id;
      const personId = editorView.people[0]!.id;

      const { article } = dataOf(await t.gql<{ article: unknown }>(`query($slug: String!) { article(slug: $slug) { id } }`, { slug: importArticle.slug }));
      expect(article).toBeNull();
      const byId = dataOf(await t.gql<{ article: unknown }>(`query($id: ID!) { article(id: $id) { id } }`, { id: importArticle.id }));
      expect(byId.article).toBeNull();
      const lists = dataOf(
        await t.gql<{ articles: { nodes: Array<{ id: string }> }; quotes: { nodes: Array<{ text: string }> }; institution: { articles: { nodes: unknown[] }; quotes: { nodes: unknown[] } }; person: { articles: { nodes: unknown[] }; quotes: { nodes: unknown[] } } }>(
          `query($inst: ID!, $person: ID!) {
            articles(first: 50) { nodes { id } }
            quotes(first: 50) { nodes { text } }
            institution(id: $inst) { articles { nodes { id } } quotes { nodes { text } } }
            person(id: $person) { articles { nodes { id } } quotes { nodes { text } } }
          }`,
          { inst: institutionId, person: personId },
        ),
      );
      expect(lists.articles.nodes.map((n) => n.id)).not.toContain(importArticle.id);
      expect(lists.quotes.nodes.map((q) => q.text)).not.toContain("Semua karya ini dibuat di bengkel kerja kami");
      // The unit and the head only the draft names do not exist for readers yet.
      expect(lists).toMatchObject({ institution: null, person: null });
      // The editor sees it in the same places.
      const editorLists = dataOf(await t.gql<{ institution: { articles: { nodes: Array<{ id: string }> } } }>(`query($inst: ID!) { institution(id: $inst) { articles { nodes { id } } } }`, { inst: institutionId }, as.EDITOR));
      expect(editorLists.institution.articles.nodes.map((n) => n.id)).toEqual([importArticle.id]);
    });
  });

  describe("refusals change nothing", () => {
    it("the same story again (same title and source) is refused naming the stored article", async () => {
      const seed = await seedStory();
      const before = await digest(t);
      for (const run of [() => importAs(SEED_TEXT, true), () => importAs(SEED_TEXT.replace(/\n\n/, "\n\n\n"), false), () => t.gql(PREVIEW, { text: SEED_TEXT }, as.EDITOR)]) {
        const error = refusal(await run());
        expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "text" });
        expect(error.message).toContain(seed.id);
        expect(error.message).toContain(seed.slug);
      }
      expect(await digest(t)).toEqual(before);
    });

    it.each([
      ["empty text", "", /blank/],
      ["blank text", " \n\t\n ", /blank/],
      ["only page furniture", "banner 728x250\n\nIklan\n\nTinggalkan Balasan\n\nAlamat email Anda tidak akan dipublikasikan.", /only page furniture/],
      ["a title and no body", "Judul Berita Tanpa Isi\n\nbanner 728x250", /no body/],
      ["a body one character over the limit", `Judul Panjang\n\nJAKARTA, Contoh.id – ${bodyOf(MAX_BODY_CHARS + 1)}`, new RegExp(`at most ${MAX_BODY_CHARS} characters, got ${MAX_BODY_CHARS + 1}`)],
    ])("%s is BAD_USER_INPUT on text, saying what is missing; nothing stored", async (_name, text, says) => {
      const before = await digest(t);
      for (const res of [await importAs(text, true), await t.gql(PREVIEW, { text }, as.EDITOR)]) {
        const error = refusal(res);
        expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "text" });
        expect(error.message).toMatch(says);
      }
      expect(await digest(t)).toEqual(before);
    });

    it("a body of exactly the limit is imported whole", async () => {
      const body = bodyOf(MAX_BODY_CHARS);
      const { importArticle } = dataOf(await importAs(`Judul Berita Terpanjang\n\nJAKARTA, Contoh.id – ${body}`, false));
      expect((await stored(importArticle.slug)).body).toBe(body);
    });
  });
});
