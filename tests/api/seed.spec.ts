import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { extractStory } from "../../src/services/import/import.extract";
import { dataOf, startTestServer } from "../helpers/server";
import { useTestServer } from "../helpers/fixture";

/** The seed story, as the API serves it after a first start on an empty database. */
describe("seed story", () => {
  const t = useTestServer({ seed: true });

  it("is the project's own copy of shared/seed-article.txt", () => {
    const shared = path.resolve(__dirname, "..", "..", "..", "shared", "seed-article.txt");
    if (!fs.existsSync(shared)) {
      console.warn("../shared/seed-article.txt is absent here; skipping the comparison with it");
      return;
    }
    expect(fs.readFileSync(path.resolve(__dirname, "..", "..", "src", "services", "seed", "seed-article.txt"), "utf8")).toBe(fs.readFileSync(shared, "utf8"));
  });

  it("serves the story's title, dateline, source and 12 body paragraphs without page furniture", async () => {
    const { article } = dataOf<{ article: Record<string, unknown> & { paragraphs: string[]; body: string } }>(await t.gql(STORY, { slug: SLUG }));
    expect(article.title).toBe("Sukses Raih Predikat WBK, Lapas Banyuwangi Jadi Rujukan Studi Tiru Lapas Bojonegoro");
    expect(article.dateline).toBe("BANYUWANGI");
    expect(article.source).toBe("Actanews.id");
    expect(article.status).toBe("PUBLISHED");
    expect(article.summary).toBeNull();
    expect(typeof article.publishedAt).toBe("string");
    expect(article.paragraphs).toHaveLength(12);
    expect(article.paragraphs[0]).toMatch(/^Keberhasilan Lembaga Pemasyarakatan \(Lapas\) Kelas IIA Banyuwangi meraih predikat/);
    expect(article.paragraphs[11]).toMatch(/di bawah Kementerian Hukum dan HAM\.$/);
    expect(article.body).toBe(article.paragraphs.join("\n\n"));
    for (const furniture of ["banner", "728x250", "Actanews.id –", "Tinggalkan Balasan", "Alamat email", "wajib ditandai"]) {
      expect(article.body).not.toContain(furniture);
    }
  });

  it("names its three institutions exactly, inventing nothing", async () => {
    const { article } = dataOf<{ article: { institutions: unknown[] } }>(await t.gql(STORY, { slug: SLUG }));
    expect(article.institutions).toEqual([
      {
        name: "Lembaga Pemasyarakatan Kelas IIA Banyuwangi",
        shortName: "Lapas Banyuwangi",
        kind: "LAPAS",
        classification: "IIA",
        city: "Banyuwangi",
        province: null,
        accreditations: [{ code: "WBK", title: "Wilayah Bebas dari Korupsi", year: 2023, institution: { shortName: "Lapas Banyuwangi" } }],
        positions: [{ title: "Kepala Lapas", current: true, person: { name: "I Wayan Nurasta Wibawa" } }],
      },
      {
        name: "Lapas Bojonegoro",
        shortName: "Lapas Bojonegoro",
        kind: "LAPAS",
        classification: null,
        city: "Bojonegoro",
        province: null,
        accreditations: [],
        positions: [{ title: "Kepala Lapas", current: true, person: { name: "Hari Winarca" } }],
      },
      { name: "Kementerian Hukum dan HAM", shortName: null, kind: "MINISTRY", classification: null, city: null, province: null, accreditations: [], positions: [] },
    ]);
  });

  it("names its two people with their positions", async () => {
    const { article } = dataOf<{ article: { people: unknown[] } }>(await t.gql(STORY, { slug: SLUG }));
    expect(article.people).toEqual([
      { name: "Hari Winarca", slug: "hari-winarca", positions: [{ title: "Kepala Lapas", current: true, institution: { name: "Lapas Bojonegoro" } }] },
      { name: "I Wayan Nurasta Wibawa", slug: "i-wayan-nurasta-wibawa", positions: [{ title: "Kepala Lapas", current: true, institution: { name: "Lembaga Pemasyarakatan Kelas IIA Banyuwangi" } }] },
    ]);
  });

  it("attributes its four direct quotes in order, with the words of attribution", async () => {
    const { article } = dataOf<{ article: { body: string; quotes: Array<{ text: string }> } }>(await t.gql(STORY, { slug: SLUG }));
    expect(article.quotes.map((q) => ({ ...q, text: q.text.slice(0, 40) }))).toEqual([
      { position: 0, text: "Kami melihat Lapas Banyuwangi telah berk", attribution: "ujarnya", speaker: { name: "Hari Winarca" }, institution: { shortName: "Lapas Bojonegoro" } },
      { position: 1, text: "Tentu tidak semua bisa diterapkan secara", attribution: "tambahnya", speaker: { name: "Hari Winarca" }, institution: { shortName: "Lapas Bojonegoro" } },
      { position: 2, text: "Predikat WBK kami anggap sebagai bonus d", attribution: "tegas Wayan", speaker: { name: "I Wayan Nurasta Wibawa" }, institution: { shortName: "Lapas Banyuwangi" } },
      { position: 3, text: "Capaian ini kami jadikan pelecut semanga", attribution: "pungkasnya", speaker: { name: "I Wayan Nurasta Wibawa" }, institution: { shortName: "Lapas Banyuwangi" } },
    ]);
    expect(article.quotes[0]!.text).toBe(
      "Kami melihat Lapas Banyuwangi telah berkembang pesat dalam memberikan pelayanan kepada masyarakat maupun pembinaan bagi warga binaan. Kami ingin mempelajari langkah nyata yang telah dilakukan agar dapat diterapkan di Bojonegoro",
    );
    for (const quote of article.quotes) {
      expect(quote.text).not.toMatch(/[“”"]/);
      expect(article.body).toContain(`“${quote.text}`);
    }
  });

  it("places both Lapas under the ministry the story names", async () => {
    const { institution } = dataOf<{ institution: unknown }>(await t.gql(`{ institution(slug: "kementerian-hukum-dan-ham") { name parent { name } children { shortName } } }`));
    expect(institution).toEqual({ name: "Kementerian Hukum dan HAM", parent: null, children: [{ shortName: "Lapas Bojonegoro" }, { shortName: "Lapas Banyuwangi" }] });
  });

  it("is loaded once: a restart on the same file adds nothing", async () => {
    const file = t.file!;
    const again = await startTestServer({ seed: true, file: file, keepFile: true });
    try {
      const data = dataOf<{ articles: { totalCount: number }; institutions: { totalCount: number }; people: { totalCount: number }; quotes: { totalCount: number } }>(
        await again.gql(`{ articles { totalCount } institutions { totalCount } people { totalCount } quotes { totalCount } }`),
      );
      expect(data).toEqual({ articles: { totalCount: 1 }, institutions: { totalCount: 3 }, people: { totalCount: 2 }, quotes: { totalCount: 4 } });
    } finally {
      await again.server.stop();
    }
  });

  it("is parsed from the text, not typed in: the importer finds the same facts in the raw story", () => {
    const story = readStory(fs.readFileSync(path.resolve(__dirname, "..", "..", "src", "services", "seed", "seed-article.txt"), "utf8"));
    expect(story.quotes.map((q) => q.attribution)).toEqual(["ujarnya", "tambahnya", "tegas Wayan", "pungkasnya"]);
    expect(story.quotes.map((q) => q.paragraph)).toEqual([4, 6, 8, 10]);
    expect(readStory("Judul\n\nJAKARTA, Contoh.com – Isi berita.\n\nTinggalkan Balasan\n\nform")).toEqual({
      title: "Judul",
      dateline: "JAKARTA",
      source: "Contoh.com",
      paragraphs: ["Isi berita."],
      quotes: [],
    });
  });
});

/** The story's fields and quotes as the importer reads them (each quote with the index of its paragraph). */
function readStory(text: string) {
  const { story, quotes } = extractStory(text);
  return {
    title: story.title,
    dateline: story.dateline,
    source: story.source,
    paragraphs: story.paragraphs,
    quotes: quotes.map((q) => ({ attribution: q.attribution, paragraph: story.paragraphSpans.findIndex((p) => q.span.start >= p.start && q.span.end <= p.end) })),
  };
}

const SLUG = "sukses-raih-predikat-wbk-lapas-banyuwangi-jadi-rujukan-studi-tiru-lapas-bojonegoro";

const STORY = `
  query Story($slug: String!) {
    article(slug: $slug) {
      title dateline source status summary publishedAt body paragraphs
      institutions {
        name shortName kind classification city province
        accreditations { code title year institution { shortName } }
        positions { title current person { name } }
      }
      people { name slug positions { title current institution { name } } }
      quotes { position text attribution speaker { name } institution { shortName } }
    }
  }`;
