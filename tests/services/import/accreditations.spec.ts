import { extractStory } from "../../../src/services/import/import.extract";
import { expectNothingInvented, story } from "./helpers";

function awardsOf(...paragraphs: string[]) {
  const r = extractStory(story(...paragraphs));
  expectNothingInvented(r);
  return { awards: r.accreditations.map((a) => `${r.institutions[a.institution]!.name}: ${a.code} ${a.year}`), warnings: r.warnings.map((w) => w.code) };
}

describe("accreditations", () => {
  it("gives the predicate and year to the institution that earned it, with the standard title", () => {
    const r = extractStory(story("Keberhasilan Lapas Kelas IIA Banyuwangi meraih predikat Wilayah Bebas dari Korupsi (WBK) pada tahun 2023 menginspirasi banyak UPT."));
    expect(r.accreditations.map(({ code, title, year }) => ({ code, title, year }))).toEqual([{ code: "WBK", title: "Wilayah Bebas dari Korupsi", year: 2023 }]);
    expect(awardsOf("Rutan Jember memperoleh predikat WBBM tahun 2021.").awards).toEqual(["Rutan Jember: WBBM 2021"]);
  });

  it("reads the nearest institution before the verb, not the one the sentence is about first", () => {
    expect(awardsOf("Lapas Bojonegoro belajar ke Lapas Banyuwangi yang meraih WBK pada 2023.").awards).toEqual(["Lapas Banyuwangi: WBK 2023"]);
  });

  it("gives different predicates to several institutions in one sentence", () => {
    expect(awardsOf("Pada tahun 2024, Lapas Kelas I Malang meraih predikat WBBM, sedangkan Rutan Kelas IIB Situbondo meraih predikat WBK.").awards).toEqual(["Lapas Kelas I Malang: WBBM 2024", "Rutan Kelas IIB Situbondo: WBK 2024"]);
    expect(awardsOf("Lapas Madiun meraih WBK pada 2019 dan Rutan Ponorogo meraih WBBM pada 2023.").awards).toEqual(["Lapas Madiun: WBK 2019", "Rutan Ponorogo: WBBM 2023"]);
  });

  it("gives one predicate to every institution listed, and pairs them only when the text says 'masing-masing'", () => {
    expect(awardsOf("Lapas Madiun dan Rutan Ponorogo meraih predikat WBK tahun 2022.").awards).toEqual(["Lapas Madiun: WBK 2022", "Rutan Ponorogo: WBK 2022"]);
    expect(awardsOf("Lapas Madiun dan Rutan Ponorogo masing-masing meraih predikat WBBM dan WBK pada 2022.").awards).toEqual(["Lapas Madiun: WBBM 2022", "Rutan Ponorogo: WBK 2022"]);
    expect(awardsOf("Lapas Madiun dan Rutan Ponorogo meraih predikat WBBM dan WBK pada 2022.")).toEqual({ awards: [], warnings: ["DROPPED"] });
  });

  it("gives each predicate its own year when one institution earned several", () => {
    expect(awardsOf("Lapas Kediri meraih WBK pada 2019 dan WBBM pada 2023.").awards).toEqual(["Lapas Kediri: WBK 2019", "Lapas Kediri: WBBM 2023"]);
  });

  it("gives the award to the units an announcement lists, not to the office announcing it", () => {
    expect(awardsOf("Kanwil Kemenkumham Jawa Timur mengumumkan tiga UPT di wilayahnya meraih predikat WBK tahun 2023, yakni Lapas Kelas IIA Banyuwangi, Rutan Kelas IIB Situbondo dan Bapas Kelas II Bojonegoro.").awards).toEqual([
      "Lapas Kelas IIA Banyuwangi: WBK 2023",
      "Rutan Kelas IIB Situbondo: WBK 2023",
      "Bapas Kelas II Bojonegoro: WBK 2023",
    ]);
    expect(awardsOf("Kanwil Ditjenpas Bali menyebut dua UPT meraih WBK tahun 2024.")).toEqual({ awards: [], warnings: ["DROPPED"] });
  });

  it("reads a passive verb with the institution after it", () => {
    expect(awardsOf("Predikat WBBM tahun 2022 diraih oleh Bapas Surabaya.").awards).toEqual(["Bapas Surabaya: WBBM 2022"]);
  });

  it("stores nothing for a wish, a plan, a programme or a predicate without a year", () => {
    expect(awardsOf("Lapas Tuban bertekad meraih WBBM pada 2026.", "Rutan Gresik akan meraih predikat WBK tahun 2025.", "Bapas Kediri membangun Zona Integritas menuju WBK 2025.").awards).toEqual([]);
    expect(awardsOf("Lapas Tuban pernah meraih predikat WBK.")).toEqual({ awards: [], warnings: ["DROPPED"] });
    expect(awardsOf("Tim menerima predikat WBK tahun 2023.")).toEqual({ awards: [], warnings: ["DROPPED"] });
  });

  it("does not take the year of a date for the year of an award", () => {
    expect(awardsOf("Lapas Tuban meraih WBK, diumumkan Kamis (9/10/2023).")).toEqual({ awards: [], warnings: ["DROPPED"] });
  });
});
