import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { Database } from "../../src/db/database";
import { loadSeed, SEED_STORY_FILE } from "../../src/db/seed/seed";
import { parseStory } from "../../src/db/seed/story";
import { Article, ArticleInstitution, ArticlePerson } from "../../src/modules/article/article.entity";
import { extractStory } from "../../src/modules/import/import.extract";
import { Accreditation, Institution } from "../../src/modules/institution/institution.entity";
import { Person, Position } from "../../src/modules/person/person.entity";
import { Quote } from "../../src/modules/quote/quote.entity";
import { tempSqliteFile } from "../helpers/server";

/** What the hand-written fixture (seed.ts + story.ts) stores today, read back from a throwaway database. */
async function fixtureFacts() {
  const file = tempSqliteFile();
  const db = await Database.open({ kind: "sqlite", file });
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
    const shared = path.resolve(__dirname, "..", "..", "..", "shared", "seed-article.txt");
    if (fs.existsSync(shared)) expect(text).toBe(fs.readFileSync(shared, "utf8"));
  });

  it("gives the same fields, paragraphs and quotes as the hand-written parser", () => {
    const old = parseStory(text);
    expect({ title: r.story.title, dateline: r.story.dateline, source: r.story.source, paragraphs: r.story.paragraphs }).toEqual({ title: old.title, dateline: old.dateline, source: old.source, paragraphs: old.paragraphs });
    expect(r.quotes.map((q) => ({ text: q.text, attribution: q.attribution }))).toEqual(old.quotes.map((q) => ({ text: q.text, attribution: q.attribution })));
    expect(r.quotes.map((q) => r.story.paragraphSpans.findIndex((p) => q.span.start >= p.start && q.span.end <= p.end))).toEqual(old.quotes.map((q) => q.paragraph));
  });

  it("gives exactly the facts the fixture stores: 3 institutions, WBK 2023, 2 heads of Lapas, 4 attributed quotes in order", async () => {
    const fixture = await fixtureFacts();
    expect({
      title: r.story.title,
      dateline: r.story.dateline,
      source: r.story.source,
      body: r.story.body,
      institutions: r.institutions.map((i) => ({ name: i.name, shortName: i.shortName, kind: i.kind, classification: i.classification, city: i.city, province: i.province, parent: inst(i.parent) })),
      accreditations: r.accreditations.map((a) => ({ code: a.code, title: a.title, year: a.year, institution: inst(a.institution) })),
      people: r.people.map((p) => ({ name: p.name, positions: p.positions.map((x) => ({ title: x.title, institution: inst(x.institution), current: x.current })) })),
      quotes: r.quotes.map((q) => ({ position: q.position, text: q.text, attribution: q.attribution, speaker: r.people[q.speaker]!.name, institution: inst(q.institution) })),
    }).toEqual(fixture);
    expect(fixture.institutions).toHaveLength(3);
    expect(fixture.quotes).toHaveLength(4);
    expect(r.warnings).toEqual([]);
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
