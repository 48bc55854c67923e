import { AuthorRole } from "../../../src/entities/author.entity";
import { readBylines } from "../../../src/services/import/import.byline";
import { parseStoryText } from "../../../src/services/import/import.parser";

describe("byline lines", () => {
  it("reads each labelled name, in the text's order, with the role its label says", () => {
    const text = ["Judul", "", "Oleh: Made Sukarta", "", "SURABAYA – Isi.", "", "Reporter: Andi Saputra, Budi & Citra dan Dewi", "Fotografer: Yoga Pratama", "Editor: Redaksi Radar Jatim", "Redaktur: Made Sukarta"].join("\n");
    expect(readBylines(text)).toEqual([
      { name: "Made Sukarta", role: AuthorRole.WRITER },
      { name: "Andi Saputra", role: AuthorRole.REPORTER },
      { name: "Budi", role: AuthorRole.REPORTER },
      { name: "Citra", role: AuthorRole.REPORTER },
      { name: "Dewi", role: AuthorRole.REPORTER },
      { name: "Yoga Pratama", role: AuthorRole.PHOTOGRAPHER },
      { name: "Redaksi Radar Jatim", role: AuthorRole.EDITOR },
    ]);
    // The byline lines are page furniture: none of them stays in the body.
    expect(parseStoryText(text).body).toBe("Isi.");
  });

  it("makes up no author: no labelled line, a sentence, a photo credit, the comment form, or what is not a name", () => {
    expect(readBylines("Judul\n\nISI – Penyerahan remisi dilakukan oleh Kepala Lapas Ambon.\n\nOleh karena itu: semua hadir.")).toEqual([]);
    expect(readBylines("Judul\n\nIsi.\n\nFoto: Humas Lapas Banyuwangi")).toEqual([]);
    expect(readBylines("Judul\n\nIsi.\n\nTinggalkan Balasan\n\nPenulis: Pembaca Iseng")).toEqual([]);
    expect(readBylines("Judul\n\nIsi.\n\nPenulis: https://contoh.id/penulis\nReporter: 123\nEditor: redaksi@contoh.id")).toEqual([]);
  });

  it("cuts an outlet note off a name", () => {
    expect(readBylines("Judul\n\nIsi.\n\nPewarta: Nia Ramadhani (ant)\nPenulis: Rudi - Actanews.id")).toEqual([
      { name: "Nia Ramadhani", role: AuthorRole.REPORTER },
      { name: "Rudi", role: AuthorRole.WRITER },
    ]);
  });
});
