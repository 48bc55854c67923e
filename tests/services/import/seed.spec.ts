import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { Database } from "../../../src/db/database";
import { entities } from "../../../src/entities/entities";
import { loadSeed, SEED_STORY_FILE } from "../../../src/services/seed/seed";
import { Article, ArticleInstitution, ArticlePerson } from "../../../src/entities/article.entity";
import { extractStory } from "../../../src/services/import/import.extract";
import { Accreditation, Institution } from "../../../src/entities/institution.entity";
import { Person, Position } from "../../../src/entities/person.entity";
import { Quote } from "../../../src/entities/quote.entity";
import { tempSqliteFile } from "../../helpers/server";

/*
 * The seed story's facts, written down by reading it: 3 institutions (the text gives no class for
 * Lapas Bojonegoro and no province for either Lapas; both are "UPT Pemasyarakatan di bawah
 * Kementerian Hukum dan HAM"), WBK 2023 for Lapas Banyuwangi, the two heads of Lapas, and 4
 * attributed quotes in order. These were the hand-written fixture's facts before the seed went
 * through the importer.
 */
const BANYUWANGI = "Lembaga Pemasyarakatan Kelas IIA Banyuwangi";
const MINISTRY = "Kementerian Hukum dan HAM";
const EXPECTED = {
  title: "Sukses Raih Predikat WBK, Lapas Banyuwangi Jadi Rujukan Studi Tiru Lapas Bojonegoro",
  dateline: "BANYUWANGI",
  source: "Actanews.id",
  institutions: [
    { name: BANYUWANGI, shortName: "Lapas Banyuwangi", kind: "LAPAS", classification: "IIA", city: "Banyuwangi", province: null, parent: MINISTRY },
    { name: "Lapas Bojonegoro", shortName: "Lapas Bojonegoro", kind: "LAPAS", classification: null, city: "Bojonegoro", province: null, parent: MINISTRY },
    { name: MINISTRY, shortName: null, kind: "MINISTRY", classification: null, city: null, province: null, parent: null },
  ],
  accreditations: [{ code: "WBK", title: "Wilayah Bebas dari Korupsi", year: 2023, institution: BANYUWANGI }],
  people: [
    { name: "Hari Winarca", positions: [{ title: "Kepala Lapas", institution: "Lapas Bojonegoro", current: true }] },
    { name: "I Wayan Nurasta Wibawa", positions: [{ title: "Kepala Lapas", institution: BANYUWANGI, current: true }] },
  ],
  quotes: [
    { position: 0, attribution: "ujarnya", speaker: "Hari Winarca", institution: "Lapas Bojonegoro", opens: "Kami melihat Lapas Banyuwangi telah berkembang pesat" },
    { position: 1, attribution: "tambahnya", speaker: "Hari Winarca", institution: "Lapas Bojonegoro", opens: "Tentu tidak semua bisa diterapkan secara langsung" },
    { position: 2, attribution: "tegas Wayan", speaker: "I Wayan Nurasta Wibawa", institution: BANYUWANGI, opens: "Predikat WBK kami anggap sebagai bonus" },
    { position: 3, attribution: "pungkasnya", speaker: "I Wayan Nurasta Wibawa", institution: BANYUWANGI, opens: "Capaian ini kami jadikan pelecut semangat" },
  ],
};

/** A quote as the expected facts state it: the opening words stand for the verbatim text. */
function opening<T extends { text: string }>({ text, ...rest }: T): Omit<T, "text"> & { opens: string } {
  const expected = EXPECTED.quotes.find((q) => text.startsWith(q.opens));
  return { ...rest, opens: expected ? expected.opens : text };
}

/** What loadSeed stores, read back from a throwaway database. */
async function storedFacts() {
  const file = tempSqliteFile();
  const db = await Database.open({ kind: "sqlite", file }, entities);
  try {
    await loadSeed(db, new Date("2025-10-09T00:00:00Z"));
    const em = db.reader.manager;
    const institutions = await em.find(Institution);
    const name = (pk: number | null): string | null => (pk === null ? null : institutions.find((i) => i.pk === pk)!.name);
    const article = (await em.find(Article))[0]!;
    const order = await em.find(ArticleInstitution, { order: { position: "ASC" } });
    const people = await em.find(Person);
    const positions = await em.find(Position);
    const personOrder = await em.find(ArticlePerson, { order: { position: "ASC" } });
    return {
      title: article.title,
      dateline: article.dateline,
      source: article.source,
      status: article.status,
      body: article.body,
      institutions: order.map((o) => institutions.find((i) => i.pk === o.institutionId)!).map((i) => ({ name: i.name, shortName: i.shortName, kind: i.kind, classification: i.classification, city: i.city, province: i.province, parent: name(i.parentId) })),
      accreditations: (await em.find(Accreditation)).map((a) => ({ code: a.code, title: a.title, year: a.year, institution: name(a.institutionId) })),
      people: personOrder.map((o) => people.find((p) => p.pk === o.personId)!).map((p) => ({ name: p.name, positions: positions.filter((x) => x.personId === p.pk).map((x) => ({ title: x.title, institution: name(x.institutionId), current: x.current })) })),
      quotes: (await em.find(Quote, { order: { position: "ASC" } })).map((q) => ({ position: q.position, text: q.text, attribution: q.attribution, speaker: people.find((p) => p.pk === q.speakerId)!.name, institution: name(q.institutionId) })),
    };
  } finally {
    await db.close();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

describe("the seed story through the extractor", () => {
  const text = fs.readFileSync(SEED_STORY_FILE, "utf8");
  const r = extractStory(text);
  const inst = (ref: number | null): string | null => (ref === null ? null : r.institutions[ref]!.name);

  it("is the shared seed story", () => {
    const shared = path.resolve(__dirname, "..", "..", "..", "..", "shared", "seed-article.txt");
    if (fs.existsSync(shared)) expect(text).toBe(fs.readFileSync(shared, "utf8"));
  });

  it("gives its 12 paragraphs without page furniture, and each quote verbatim from the paragraph it stands in", () => {
    expect(r.story.paragraphs).toHaveLength(12);
    expect(r.story.furniture).toEqual(["banner 728x250", "Tinggalkan Balasan", "Alamat email Anda tidak akan dipublikasikan. Ruas yang wajib ditandai *"]);
    expect(r.quotes.map((q) => r.story.paragraphSpans.findIndex((p) => q.span.start >= p.start && q.span.end <= p.end))).toEqual([4, 6, 8, 10]);
    for (const q of r.quotes) expect(r.story.body).toContain(`“${q.text},”`);
  });

  it("gives exactly the seed's facts: 3 institutions, WBK 2023, 2 heads of Lapas, 4 attributed quotes in order", () => {
    expect({
      title: r.story.title,
      dateline: r.story.dateline,
      source: r.story.source,
      institutions: r.institutions.map((i) => ({ name: i.name, shortName: i.shortName, kind: i.kind, classification: i.classification, city: i.city, province: i.province, parent: inst(i.parent) })),
      accreditations: r.accreditations.map((a) => ({ code: a.code, title: a.title, year: a.year, institution: inst(a.institution) })),
      people: r.people.map((p) => ({ name: p.name, positions: p.positions.map((x) => ({ title: x.title, institution: inst(x.institution), current: x.current })) })),
      quotes: r.quotes.map((q) => opening({ position: q.position, text: q.text, attribution: q.attribution, speaker: r.people[q.speaker]!.name, institution: inst(q.institution) })),
    }).toEqual(EXPECTED);
    expect(r.warnings).toEqual([]);
  });

  it("is what loadSeed stores: the extraction, published, in one article", async () => {
    const stored = await storedFacts();
    expect({ ...stored, quotes: stored.quotes.map(opening) }).toEqual({ ...EXPECTED, status: "PUBLISHED", body: r.story.body });
    expect(stored.quotes.map((q) => q.text)).toEqual(r.quotes.map((q) => q.text));
  });

  it("shows where each fact came from", () => {
    const body = r.story.body;
    expect(r.institutions[0]!.mentions[0]!.text).toBe("Lembaga Pemasyarakatan (Lapas) Kelas IIA Banyuwangi");
    expect(body.slice(r.accreditations[0]!.span.start, r.accreditations[0]!.span.end)).toBe(
      "Lembaga Pemasyarakatan (Lapas) Kelas IIA Banyuwangi meraih predikat Wilayah Bebas dari Korupsi (WBK) pada tahun 2023",
    );
    expect(body.slice(r.institutions[0]!.parentSpan!.start, r.institutions[0]!.parentSpan!.end)).toBe("UPT Pemasyarakatan di bawah Kementerian Hukum dan HAM");
    expect(r.people.map((p) => body.slice(p.positions[0]!.span.start, p.positions[0]!.span.end))).toEqual(["Kepala Lapas Bojonegoro, Hari Winarca", "Kalapas I Wayan Nurasta Wibawa"]);
  });
});
