import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { toGlobalId } from "../../../src/kernel/ids";
import { useNewsroom } from "../../helpers/newsroom";
import { expectRefused } from "../../helpers/refusal";
import { dataOf } from "../../helpers/server";

const SEED_TEXT = fs.readFileSync(path.join(__dirname, "..", "..", "..", "src", "services", "seed", "seed-article.txt"), "utf8");
const SEED_TITLE = "Sukses Raih Predikat WBK, Lapas Banyuwangi Jadi Rujukan Studi Tiru Lapas Bojonegoro";
const UNRESOLVED_TEXT = fs.readFileSync(path.join(__dirname, "..", "..", "services", "import", "stories", "07-unresolved.txt"), "utf8");

/** The seed story under another title, so that each test may import it (its body, and so every span, unchanged). */
const seedAs = (title: string): string => SEED_TEXT.replace(SEED_TITLE, title);

/** A story naming the regional newsroom's Lapas Surabaya and its head, her name misspelt. */
const SURABAYA_TEXT = `Lapas Surabaya Gelar Pelatihan Kerja

SURABAYA, Actanews.id – Kepala Lapas Surabaya, Sari Dewie, membuka pelatihan kerja bagi warga binaan pada Senin (2/6).

“Pelatihan ini bekal warga binaan setelah bebas nanti,” ujarnya.
`;

type Span = { start: number; end: number; text: string };
interface Preview {
  furniture: string[];
  institutions: Array<{ ref: number; action: string; id: string | null; storedName: string | null; name: string }>;
  accreditations: Array<{ code: string; year: number; institutionRef: number }>;
  people: Array<{ ref: number; action: string; id: string | null; storedName: string | null; name: string }>;
  positions: Array<{ title: string; personRef: number; institutionRef: number; personName: string }>;
  quotes: Array<{ position: number; text: string; span: Span; speakerRef: number; speakerName: string; institutionName: string | null }>;
  warnings: Array<{ code: string; message: string; span: Span | null }>;
  counts: Record<string, number>;
}

const SPAN = "start end text";
const PREVIEW = `query Preview($text: String!, $choices: ImportChoices) { previewImport(text: $text, choices: $choices) {
  furniture
  institutions { ref action id storedName name }
  accreditations { code year institutionRef }
  people { ref action id storedName name }
  positions { title personRef institutionRef personName }
  quotes { position text span { ${SPAN} } speakerRef speakerName institutionName }
  warnings { code message span { ${SPAN} } }
  counts { institutionsCreated institutionsLinked peopleCreated peopleLinked positions quotes accreditations warnings }
} }`;
const IMPORT = `mutation Import($text: String!, $choices: ImportChoices) { importArticle(text: $text, choices: $choices) { id slug } }`;
const STORY = `query Story($slug: String!) { article(slug: $slug) {
  institutions { id name accreditations { code year } }
  people { id name positions { title institution { name } } }
  quotes { position text attribution speaker { id name } institution { name } }
} }`;
const TOTALS = `{ articles { totalCount nodes { title } } institutions { totalCount } people { totalCount } quotes { totalCount } }`;

// The seed story's reading: its institutions, people and the starts of its four quotes.
const BANYUWANGI = 0;
const BOJONEGORO = 1;
const MINISTRY = 2;
const HARI = 0;
const WAYAN = 1;

describe("previewImport and importArticle with an editor's choices", () => {
  const { t, s, as } = useNewsroom({ roles: true });

  const preview = async (text: string, choices?: unknown): Promise<Preview> => dataOf(await t.gql<{ previewImport: Preview }>(PREVIEW, { text, choices }, as.EDITOR)).previewImport;
  const importStory = async (text: string, choices?: unknown) => {
    const { importArticle } = dataOf(await t.gql<{ importArticle: { id: string; slug: string } }>(IMPORT, { text, choices }, as.EDITOR));
    return dataOf(
      await t.gql<{
        article: {
          institutions: Array<{ id: string; name: string; accreditations: Array<{ code: string; year: number }> }>;
          people: Array<{ id: string; name: string; positions: Array<{ title: string; institution: { name: string } }> }>;
          quotes: Array<{ position: number; text: string; attribution: string | null; speaker: { id: string; name: string }; institution: { name: string } | null }>;
        };
      }>(STORY, { slug: importArticle.slug }, as.EDITOR),
    ).article;
  };
  const seedQuotes = async () => (await preview(seedAs("Bacaan Tanpa Pilihan"))).quotes;

  it("answers the furniture it leaves out, and the stored name of each record it links", async () => {
    const seed = await preview(seedAs("Berita Perabot Halaman"));
    expect(seed.furniture).toEqual(["banner 728x250", "Tinggalkan Balasan", "Alamat email Anda tidak akan dipublikasikan. Ruas yang wajib ditandai *"]);
    expect(seed.institutions.map((i) => [i.ref, i.action, i.storedName])).toEqual([
      [0, "CREATE", null],
      [1, "CREATE", null],
      [2, "CREATE", null],
    ]);
    const surabaya = await preview(SURABAYA_TEXT);
    expect(surabaya.institutions).toEqual([{ ref: 0, action: "LINK", id: s.surabaya.id, storedName: "Lembaga Pemasyarakatan Kelas I Surabaya", name: "Lapas Surabaya" }]);
    // The misspelt head is someone new to the store.
    expect(surabaya.people).toEqual([{ ref: 0, action: "CREATE", id: null, storedName: null, name: "Sari Dewie" }]);
  });

  // Before any test imports the seed story: what these leave out is not in the store already.
  it("dropping an institution leaves out its accreditation and posts; dropping a person leaves their quotes unattributed", async () => {
    const quotes = await seedQuotes();
    const withoutBanyuwangi = await preview(seedAs("Tanpa Lapas Banyuwangi"), { institutions: [{ ref: BANYUWANGI, drop: true }] });
    expect(withoutBanyuwangi.institutions.map((i) => [i.ref, i.name])).toEqual([
      [BOJONEGORO, "Lapas Bojonegoro"],
      [MINISTRY, "Kementerian Hukum dan HAM"],
    ]);
    expect(withoutBanyuwangi.accreditations).toEqual([]);
    expect(withoutBanyuwangi.positions.map((p) => p.personName)).toEqual(["Hari Winarca"]);
    // Wayan's quotes stay his, without the institution left out.
    expect(withoutBanyuwangi.quotes.map((q) => [q.speakerName, q.institutionName])).toEqual([
      ["Hari Winarca", "Lapas Bojonegoro"],
      ["Hari Winarca", "Lapas Bojonegoro"],
      ["I Wayan Nurasta Wibawa", null],
      ["I Wayan Nurasta Wibawa", null],
    ]);
    expect(withoutBanyuwangi.counts).toMatchObject({ institutionsCreated: 2, accreditations: 0, positions: 1 });
    expect(withoutBanyuwangi.warnings.find((w) => w.code === "DROPPED")!.span!.text).toBe("Lembaga Pemasyarakatan (Lapas) Kelas IIA Banyuwangi");

    const withoutHari = await preview(seedAs("Tanpa Hari Winarca"), { people: [{ ref: HARI, drop: true }] });
    expect(withoutHari.people.map((p) => [p.ref, p.name])).toEqual([[WAYAN, "I Wayan Nurasta Wibawa"]]);
    expect(withoutHari.positions.map((p) => p.personName)).toEqual(["I Wayan Nurasta Wibawa"]);
    expect(withoutHari.quotes.map((q) => q.text)).toEqual([quotes[2]!.text, quotes[3]!.text]);
    expect(withoutHari.warnings.filter((w) => w.code === "UNRESOLVED_SPEAKER").map((w) => w.span!.start)).toEqual([quotes[0]!.span.start, quotes[1]!.span.start]);

    const story = await importStory(seedAs("Tanpa Lapas Banyuwangi"), { institutions: [{ ref: BANYUWANGI, drop: true }] });
    expect(story.institutions.map((i) => i.name)).toEqual(["Lapas Bojonegoro", "Kementerian Hukum dan HAM"]);
    expect(story.people.map((p) => p.positions.map((x) => x.institution.name))).toEqual([["Lapas Bojonegoro"], []]);
  });

  it("dropAccreditations and dropPositions leave out just those facts", async () => {
    const choices = {
      dropAccreditations: [{ institutionRef: BANYUWANGI, code: "wbk", year: 2023 }],
      dropPositions: [{ personRef: WAYAN, institutionRef: BANYUWANGI, title: "kepala  lapas" }],
    };
    const p = await preview(seedAs("Tanpa WBK dan Jabatan"), choices);
    expect(p.accreditations).toEqual([]);
    expect(p.positions.map((x) => x.personName)).toEqual(["Hari Winarca"]);
    expect(p.institutions).toHaveLength(3);
    expect(p.warnings.filter((w) => w.code === "DROPPED").map((w) => w.message)).toEqual([
      "The editor left out WBK 2023 of 'Lembaga Pemasyarakatan Kelas IIA Banyuwangi'.",
      "The editor left out I Wayan Nurasta Wibawa's post Kepala Lapas of 'Lembaga Pemasyarakatan Kelas IIA Banyuwangi'.",
    ]);
    const story = await importStory(seedAs("Tanpa WBK dan Jabatan"), choices);
    expect(story.institutions.flatMap((i) => i.accreditations)).toEqual([]);
    expect(story.people.find((x) => x.name === "I Wayan Nurasta Wibawa")!.positions).toEqual([]);
  });

  it("a speaker chosen for a quote is the stored quote's speaker, with the institution the story gives them", async () => {
    const quotes = await seedQuotes();
    expect(quotes.map((q) => q.speakerRef)).toEqual([HARI, HARI, WAYAN, WAYAN]);
    const choices = { quotes: [{ start: quotes[1]!.span.start, speakerRef: WAYAN }] };
    const p = await preview(seedAs("Kutipan Kedua Milik Wayan"), choices);
    expect(p.quotes.map((q) => [q.position, q.speakerName, q.institutionName])).toEqual([
      [0, "Hari Winarca", "Lapas Bojonegoro"],
      [1, "I Wayan Nurasta Wibawa", "Lembaga Pemasyarakatan Kelas IIA Banyuwangi"],
      [2, "I Wayan Nurasta Wibawa", "Lembaga Pemasyarakatan Kelas IIA Banyuwangi"],
      [3, "I Wayan Nurasta Wibawa", "Lembaga Pemasyarakatan Kelas IIA Banyuwangi"],
    ]);

    const story = await importStory(seedAs("Kutipan Kedua Milik Wayan"), choices);
    const second = story.quotes.find((q) => q.position === 1)!;
    expect(second.text).toBe(quotes[1]!.text);
    expect(second.attribution).toBe("tambahnya");
    expect(second.speaker.name).toBe("I Wayan Nurasta Wibawa");
    expect(second.institution?.name).toBe("Lembaga Pemasyarakatan Kelas IIA Banyuwangi");
    // Read back through the speaker too.
    const { quotes: spoken } = dataOf(
      await t.gql<{ quotes: { nodes: Array<{ text: string }> } }>(`query ($id: ID!) { quotes(first: 10, filter: { speakerId: $id }) { nodes { text } } }`, { id: second.speaker.id }, as.EDITOR),
    );
    expect(spoken.nodes.map((q) => q.text)).toContain(quotes[1]!.text);
  });

  it("a quote marked unattributed or dropped is not stored, the rest are numbered again, and the warnings say the editor chose so", async () => {
    const quotes = await seedQuotes();
    const choices = { quotes: [{ start: quotes[1]!.span.start, unattributed: true }, { start: quotes[2]!.span.start, drop: true }] };
    const p = await preview(seedAs("Dua Kutipan Tidak Disimpan"), choices);
    expect(p.quotes.map((q) => [q.position, q.text])).toEqual([
      [0, quotes[0]!.text],
      [1, quotes[3]!.text],
    ]);
    expect(p.counts.quotes).toBe(2);
    const unattributed = p.warnings.find((w) => w.code === "UNRESOLVED_SPEAKER")!;
    expect(unattributed.span).toEqual(quotes[1]!.span);
    expect(unattributed.message).toContain("marked the quote");
    const dropped = p.warnings.find((w) => w.code === "DROPPED")!;
    expect(dropped.span).toEqual(quotes[2]!.span);
    expect(dropped.message).toContain("The editor left out the quote");
    expect(p.counts.warnings).toBe(p.warnings.length);

    const story = await importStory(seedAs("Dua Kutipan Tidak Disimpan"), choices);
    expect(story.quotes.map((q) => [q.position, q.text])).toEqual([
      [0, quotes[0]!.text],
      [1, quotes[3]!.text],
    ]);
  });

  it("a quote the importer left without a speaker is stored with the speaker the editor gives", async () => {
    const before = await preview(UNRESOLVED_TEXT);
    const unresolved = before.warnings.filter((w) => w.code === "UNRESOLVED_SPEAKER");
    expect(unresolved.map((w) => w.span!.text)[0]).toBe("Semua kamar sudah kami periksa sejak pagi");
    const agus = before.people.find((p) => p.name === "Agus Salim")!;
    const choices = { quotes: [{ start: unresolved[0]!.span!.start, speakerRef: agus.ref }] };
    const p = await preview(UNRESOLVED_TEXT, choices);
    expect(p.quotes[0]).toMatchObject({ position: 0, text: "Semua kamar sudah kami periksa sejak pagi", speakerName: "Agus Salim", institutionName: "Lapas Tuban" });
    expect(p.quotes.map((q) => q.position)).toEqual(p.quotes.map((_, i) => i));
    expect(p.quotes).toHaveLength(before.quotes.length + 1);
    expect(p.warnings.filter((w) => w.code === "UNRESOLVED_SPEAKER").map((w) => w.span!.text)).toEqual(unresolved.slice(1).map((w) => w.span!.text));

    const story = await importStory(UNRESOLVED_TEXT, choices);
    expect(story.quotes[0]).toMatchObject({ position: 0, text: "Semua kamar sudah kami periksa sejak pagi", attribution: null, speaker: { name: "Agus Salim" } });
  });

  it("links the stored record the editor names, creates one where told to, and links a stored person by the name spelt right", async () => {
    const linked = await preview(seedAs("Kementerian Berganti Nama"), { institutions: [{ ref: MINISTRY, linkTo: s.ministry.id }] });
    expect(linked.institutions[MINISTRY]).toMatchObject({ action: "LINK", id: s.ministry.id, storedName: "Kementerian Imigrasi dan Pemasyarakatan", name: "Kementerian Hukum dan HAM" });

    const created = await preview(SURABAYA_TEXT, { institutions: [{ ref: 0, create: true, name: "Lapas Kelas I Surabaya Baru" }] });
    expect(created.institutions).toEqual([{ ref: 0, action: "CREATE", id: null, storedName: null, name: "Lapas Kelas I Surabaya Baru" }]);

    const spelt = await preview(SURABAYA_TEXT, { people: [{ ref: 0, name: "Sari Dewi" }] });
    expect(spelt.people).toEqual([{ ref: 0, action: "LINK", id: s.sari.id, storedName: "Sari Dewi", name: "Sari Dewi" }]);
    const byId = await preview(SURABAYA_TEXT, { people: [{ ref: 0, linkTo: s.sari.id }] });
    expect(byId.people[0]).toMatchObject({ action: "LINK", id: s.sari.id });

    const story = await importStory(SURABAYA_TEXT, { people: [{ ref: 0, name: "Sari Dewi" }] });
    expect(story.people.map((p) => p.id)).toEqual([s.sari.id]);
    expect(story.quotes.map((q) => q.speaker.id)).toEqual([s.sari.id]);
  });

  describe("a choice that names nothing is BAD_USER_INPUT naming it, and nothing is stored", () => {
    const totals = async () => dataOf(await t.gql<Record<string, { totalCount: number; nodes?: unknown[] }>>(TOTALS, {}, as.EDITOR));
    const state = async () => {
      const counts = await totals();
      return { titles: counts.articles!.nodes!, counts: Object.values(counts).map((c) => c.totalCount) };
    };
    const bad: Array<[string, () => unknown, string, string]> = [
      ["an institution the reading lacks", () => ({ institutions: [{ ref: 3, drop: true }] }), "choices.institutions[0].ref", "3 (refs 0 to 2)"],
      ["a negative ref", () => ({ people: [{ ref: -1, drop: true }] }), "choices.people[0].ref", "-1"],
      ["a person the reading lacks", () => ({ people: [{ ref: 2, create: true }] }), "choices.people[0].ref", "person 2"],
      ["one person twice", () => ({ people: [{ ref: 0, create: true }, { ref: 0, drop: true }] }), "choices.people[1].ref", "second time"],
      ["no quote at that place", () => ({ quotes: [{ start: 5, drop: true }] }), "choices.quotes[0].start", "5"],
      ["a speaker the reading lacks", () => ({ quotes: [{ start: 1218, speakerRef: 7 }] }), "choices.quotes[0].speakerRef", "person 7"],
      ["a speaker the choices drop", () => ({ people: [{ ref: WAYAN, drop: true }], quotes: [{ start: 1218, speakerRef: WAYAN }] }), "choices.quotes[0].speakerRef", "I Wayan Nurasta Wibawa"],
      ["a quote choice saying two things", () => ({ quotes: [{ start: 1218, speakerRef: WAYAN, drop: true }] }), "choices.quotes[0]", "speakerRef and drop"],
      ["a quote choice saying nothing", () => ({ quotes: [{ start: 1218 }] }), "choices.quotes[0]", "chooses nothing"],
      ["a stored institution that does not exist", () => ({ institutions: [{ ref: 0, linkTo: toGlobalId("Institution", 999999) }] }), "choices.institutions[0].linkTo", toGlobalId("Institution", 999999)],
      ["a person's id for an institution", () => ({ institutions: [{ ref: 0, linkTo: s.sari.id }] }), "choices.institutions[0].linkTo", "not an id of an Institution"],
      ["an id that is none", () => ({ people: [{ ref: 0, linkTo: "bukan-id" }] }), "choices.people[0].linkTo", "bukan-id"],
      ["drop and create at once", () => ({ institutions: [{ ref: 0, drop: true, create: true }] }), "choices.institutions[0]", "drop and create"],
      ["a record choice saying nothing", () => ({ institutions: [{ ref: 0 }] }), "choices.institutions[0]", "chooses nothing"],
      ["a new name for a linked record", () => ({ institutions: [{ ref: MINISTRY, linkTo: s.ministry.id, name: "Kemenkumham" }] }), "choices.institutions[0].name", "updateInstitution"],
      ["a blank name", () => ({ people: [{ ref: 0, name: "  " }] }), "choices.people[0].name", "blank"],
      ["an accreditation the reading lacks", () => ({ dropAccreditations: [{ institutionRef: BANYUWANGI, code: "WBBM", year: 2023 }] }), "choices.dropAccreditations[0]", "'WBBM' 2023"],
      ["a post the reading lacks", () => ({ dropPositions: [{ personRef: HARI, institutionRef: BANYUWANGI, title: "Kepala Lapas" }] }), "choices.dropPositions[0]", "Kepala Lapas"],
    ];
    it.each(bad)("%s", async (_name, choices, field, mention) => {
      for (const operation of [PREVIEW, IMPORT]) {
        await expectRefused(() => t.gql(operation, { text: seedAs("Pilihan Yang Salah"), choices: choices() }, as.EDITOR), { code: "BAD_USER_INPUT", field, mentions: [mention] }, state, "titles");
      }
    });

    it("a moderator with choices is FORBIDDEN, as without", async () => {
      await expectRefused(() => t.gql(IMPORT, { text: seedAs("Moderator Mencoba"), choices: { people: [{ ref: 0, drop: true }] } }, as.MODERATOR), { code: "FORBIDDEN" }, state, "titles");
    });
  });
});
