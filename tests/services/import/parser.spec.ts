import { BadUserInputError } from "../../../src/kernel/errors";
import { extractStory } from "../../../src/services/import/import.extract";
import { MAX_BODY_CHARS, MAX_TEXT_CHARS, parseStoryText } from "../../../src/services/import/import.parser";

function refusal(text: string): BadUserInputError {
  try {
    extractStory(text);
  } catch (error) {
    expect(error).toBeInstanceOf(BadUserInputError);
    expect((error as BadUserInputError).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "text" });
    return error as BadUserInputError;
  }
  throw new Error("the text was accepted");
}

describe("story parser", () => {
  it("drops page furniture above, inside and below the story, and lists it", () => {
    const s = parseStoryText(
      [
        "banner 728x250",
        "ADVERTISEMENT",
        "",
        "Judul Berita",
        "Kamis, 9 Oktober 2025 - 10:15 WIB",
        "",
        "SURABAYA, Contoh.id – Paragraf pertama.",
        "",
        "Baca Juga: Berita lain yang tidak termasuk",
        "",
        "Iklan rokok dilarang tampil di lingkungan Lapas.",
        "",
        "Editor: Redaksi",
        "Tinggalkan Balasan",
        "Alamat email Anda tidak akan dipublikasikan.",
      ].join("\n"),
    );
    expect(s.title).toBe("Judul Berita");
    expect(s.paragraphs).toEqual(["Paragraf pertama.", "Iklan rokok dilarang tampil di lingkungan Lapas."]);
    expect(s.furniture).toEqual(["banner 728x250", "ADVERTISEMENT", "Kamis, 9 Oktober 2025 - 10:15 WIB", "Baca Juga: Berita lain yang tidak termasuk", "Editor: Redaksi", "Tinggalkan Balasan", "Alamat email Anda tidak akan dipublikasikan."]);
  });

  it.each([
    ["BANYUWANGI, Actanews.id – Isi.", "BANYUWANGI", "Actanews.id"],
    ["JAKARTA, KOMPAS.com - Isi.", "JAKARTA", "KOMPAS.com"],
    ["SURABAYA – Isi.", "SURABAYA", null],
    ["Surabaya (ANTARA) - Isi.", "Surabaya", "ANTARA"],
    ["TANJUNG PINANG, Contoh.id—Isi.", "TANJUNG PINANG", "Contoh.id"],
  ])("reads the lead-in %p", (lead, dateline, source) => {
    const s = parseStoryText(`Judul\n\n${lead}`);
    expect([s.dateline, s.source, s.paragraphs[0]]).toEqual([dateline, source, "Isi."]);
  });

  it("leaves an opening that is not a lead-in alone", () => {
    const s = parseStoryText("Judul\n\nLapas Banyuwangi – yang meraih WBK – menerima tamu.");
    expect([s.dateline, s.source, s.paragraphs[0]]).toEqual([null, null, "Lapas Banyuwangi – yang meraih WBK – menerima tamu."]);
  });

  it("folds wrapped lines and reads a title typed right above the first paragraph", () => {
    const s = parseStoryText("Judul di Atas\nJAKARTA, Contoh.id – Baris satu\nbaris dua.\r\n\r\nParagraf  kedua.");
    expect(s.title).toBe("Judul di Atas");
    expect(s.paragraphs).toEqual(["Baris satu baris dua.", "Paragraf kedua."]);
    expect(s.body).toBe("Baris satu baris dua.\n\nParagraf kedua.");
    expect(s.paragraphSpans.map((p) => s.body.slice(p.start, p.end))).toEqual(s.paragraphs);
  });

  it("refuses empty and blank text", () => {
    expect(refusal("").message).toMatch(/blank/);
    expect(refusal(" \n\t\u200B\n ").message).toMatch(/blank/);
  });

  it("refuses text that is only page furniture", () => {
    expect(refusal("banner 728x250\n\nADVERTISEMENT\n\nTinggalkan Balasan\n\nAlamat email").message).toMatch(/only page furniture/);
  });

  it("refuses a title with no body, also when only a lead-in follows", () => {
    expect(refusal("Judul Saja\n\nTinggalkan Balasan").message).toMatch(/title \('Judul Saja'\) but no body/);
    expect(refusal("Judul Saja\n\nJAKARTA, Contoh.id –").message).toMatch(/no body/);
  });

  it(`takes a body of ${MAX_BODY_CHARS} characters and refuses one more`, () => {
    const under = `Judul\n\n${"a".repeat(MAX_BODY_CHARS)}`;
    expect(parseStoryText(under).body).toHaveLength(MAX_BODY_CHARS);
    expect(refusal(`Judul\n\n${"a".repeat(MAX_BODY_CHARS + 1)}`).message).toBe(`The story's body must be at most ${MAX_BODY_CHARS} characters, got ${MAX_BODY_CHARS + 1}.`);
  });

  it(`reads a text of ${MAX_TEXT_CHARS} characters and refuses one more before reading it`, () => {
    const head = "Judul\n\nIsi berita.\n\nTinggalkan Balasan\n";
    expect(parseStoryText(head + "x".repeat(MAX_TEXT_CHARS - head.length)).paragraphs).toEqual(["Isi berita."]);
    expect(refusal(head + "x".repeat(MAX_TEXT_CHARS - head.length + 1)).message).toMatch(/at most 1000000 characters/);
  });

  it("refuses a title over 300 characters (a story without a title line)", () => {
    expect(refusal(`${"kata ".repeat(61)}\n\nIsi.`).message).toMatch(/title .* at most 300/);
  });
});
