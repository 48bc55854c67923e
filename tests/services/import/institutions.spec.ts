import { extractStory } from "../../../src/services/import/import.extract";
import { expectNothingInvented, story } from "./helpers";

function institutionsOf(...paragraphs: string[]) {
  const r = extractStory(story(...paragraphs));
  expectNothingInvented(r);
  return r.institutions.map((i) => ({ name: i.name, shortName: i.shortName, kind: i.kind, classification: i.classification, city: i.city, province: i.province, parent: i.parent === null ? null : r.institutions[i.parent]!.name }));
}
const unit = (o: Record<string, unknown>) => ({ shortName: null, classification: null, city: null, province: null, parent: null, ...o });

describe("institutions", () => {
  it.each([
    ["Lembaga Pemasyarakatan (Lapas) Kelas IIA Banyuwangi", { name: "Lembaga Pemasyarakatan Kelas IIA Banyuwangi", shortName: "Lapas Banyuwangi", kind: "LAPAS", classification: "IIA", city: "Banyuwangi" }],
    ["Rumah Tahanan Negara (Rutan) Kelas I Surabaya", { name: "Rumah Tahanan Negara Kelas I Surabaya", shortName: "Rutan Surabaya", kind: "RUTAN", classification: "I", city: "Surabaya" }],
    ["Lembaga Pembinaan Khusus Anak (LPKA) Kelas II Tangerang", { name: "Lembaga Pembinaan Khusus Anak Kelas II Tangerang", shortName: "LPKA Tangerang", kind: "LPKA", classification: "II", city: "Tangerang" }],
    ["Balai Pemasyarakatan (Bapas) Kelas IIB Bojonegoro", { name: "Balai Pemasyarakatan Kelas IIB Bojonegoro", shortName: "Bapas Bojonegoro", kind: "BAPAS", classification: "IIB", city: "Bojonegoro" }],
    ["Lapas Kelas III Gunung Sindur", { name: "Lapas Kelas III Gunung Sindur", shortName: "Lapas Gunung Sindur", kind: "LAPAS", classification: "III", city: "Gunung Sindur" }],
    ["Rutan Kelas I Jakarta Timur", { name: "Rutan Kelas I Jakarta Timur", shortName: "Rutan Jakarta Timur", kind: "RUTAN", classification: "I", city: "Jakarta Timur" }],
    ["Lapas Perempuan Kelas IIA Malang", { name: "Lapas Perempuan Kelas IIA Malang", shortName: "Lapas Perempuan Malang", kind: "LAPAS", classification: "IIA", city: "Malang" }],
    ["Lapas IIB Tanjung Pinang", { name: "Lapas IIB Tanjung Pinang", shortName: "Lapas Tanjung Pinang", kind: "LAPAS", classification: "IIB", city: "Tanjung Pinang" }],
    ["Lembaga Pemasyarakatan Sukamiskin", { name: "Lembaga Pemasyarakatan Sukamiskin", kind: "LAPAS", city: "Sukamiskin" }],
    // A class however it is spelled is stored one way; the name stays as written.
    ["Lembaga Pemasyarakatan (Lapas) Kelas II A Ambon", { name: "Lembaga Pemasyarakatan Kelas II A Ambon", shortName: "Lapas Ambon", kind: "LAPAS", classification: "IIA", city: "Ambon" }],
    ["Rutan Kelas II B Bojonegoro", { name: "Rutan Kelas II B Bojonegoro", shortName: "Rutan Bojonegoro", kind: "RUTAN", classification: "IIB", city: "Bojonegoro" }],
    ["Lapas Kelas 2B Probolinggo", { name: "Lapas Kelas 2B Probolinggo", shortName: "Lapas Probolinggo", kind: "LAPAS", classification: "IIB", city: "Probolinggo" }],
    ["Lapas Narkotika Kelas 2 A Muara Beliti", { name: "Lapas Narkotika Kelas 2 A Muara Beliti", shortName: "Lapas Narkotika Muara Beliti", kind: "LAPAS", classification: "IIA", city: "Muara Beliti" }],
    ["LPKA Kelas 1 Kutoarjo", { name: "LPKA Kelas 1 Kutoarjo", shortName: "LPKA Kutoarjo", kind: "LPKA", classification: "I", city: "Kutoarjo" }],
    ["Lapas kelas III Bangkinang", { name: "Lapas kelas III Bangkinang", shortName: "Lapas Bangkinang", kind: "LAPAS", classification: "III", city: "Bangkinang" }],
    ["Bapas Kelas II Ambon", { name: "Bapas Kelas II Ambon", shortName: "Bapas Ambon", kind: "BAPAS", classification: "II", city: "Ambon" }],
  ])("reads %p", (written, expected) => {
    expect(institutionsOf(`Petugas ${written} menggelar apel pagi.`)).toEqual([unit(expected)]);
  });

  it("reads a Kanwil of Ditjenpas or of a ministry, by province, in full and short forms, as one office", () => {
    expect(
      institutionsOf(
        "Kantor Wilayah (Kanwil) Kementerian Hukum dan HAM (Kemenkumham) Jawa Timur menggelar rapat.",
        "Kanwil Kemenkumham Jatim mengundang Kanwil Ditjenpas Jawa Timur dan Kantor Wilayah Direktorat Jenderal Pemasyarakatan Jatim.",
      ),
    ).toEqual([
      unit({ name: "Kantor Wilayah Kementerian Hukum dan HAM Jawa Timur", shortName: "Kanwil Kemenkumham Jatim", kind: "KANWIL", province: "Jawa Timur" }),
      unit({ name: "Kantor Wilayah Direktorat Jenderal Pemasyarakatan Jatim", shortName: "Kanwil Ditjenpas Jawa Timur", kind: "KANWIL", province: "Jawa Timur" }),
    ]);
  });

  it.each([
    ["Kantor Wilayah Direktorat Jenderal Pemasyarakatan (Kanwil Ditjenpas) Sulawesi Selatan", "Kantor Wilayah Direktorat Jenderal Pemasyarakatan Sulawesi Selatan", "Kanwil Ditjenpas Sulawesi Selatan", "Sulawesi Selatan"],
    ["Kantor Wilayah Kementerian Hukum dan HAM (Kanwil Kemenkumham) Jawa Timur", "Kantor Wilayah Kementerian Hukum dan HAM Jawa Timur", "Kanwil Kemenkumham Jawa Timur", "Jawa Timur"],
    ["Kantor Wilayah Direktorat Jenderal Pemasyarakatan (Kanwil Ditjenpas) Provinsi Kepulauan Riau", "Kantor Wilayah Direktorat Jenderal Pemasyarakatan Provinsi Kepulauan Riau", "Kanwil Ditjenpas Kepulauan Riau", "Kepulauan Riau"],
  ])("reads a Kanwil whose abbreviation is bracketed before its region as the office, not its directorate: %p", (written, name, shortName, province) => {
    expect(institutionsOf(`${written} menggelar rapat.`, `Kanwil Ditjenpas ${province} dan Kanwil Kemenkumham ${province} hadir.`).filter((i) => i.name === name)).toEqual([unit({ name, shortName, kind: "KANWIL", province })]);
    expect(institutionsOf(`${written} menggelar rapat.`).map((i) => i.kind)).toEqual(["KANWIL"]);
  });

  it("reads a unit type's bracketed abbreviation, and the abbreviation alone, as that unit", () => {
    expect(institutionsOf("Lembaga Pemasyarakatan Perempuan (LPP) Kelas IIA Palembang menggelar pelatihan.", "Kepala LPP Palembang hadir di LPP Palembang.")).toEqual([
      unit({ name: "Lembaga Pemasyarakatan Perempuan Kelas IIA Palembang", shortName: "LPP Palembang", kind: "LAPAS", classification: "IIA", city: "Palembang" }),
    ]);
    expect(institutionsOf("Lembaga Pemasyarakatan Narkotika (Lapas Narkotika) Kelas IIA Bangli menggelar tes urine.")).toEqual([
      unit({ name: "Lembaga Pemasyarakatan Narkotika Kelas IIA Bangli", shortName: "Lapas Narkotika Bangli", kind: "LAPAS", classification: "IIA", city: "Bangli" }),
    ]);
  });

  it("reads Ditjenpas and both ministries, with their abbreviations, and keeps them apart", () => {
    expect(
      institutionsOf("Direktorat Jenderal Pemasyarakatan (Ditjenpas) dan Kementerian Imigrasi dan Pemasyarakatan (Kemenimipas) hadir.", "Ditjenpas dulu bagian dari Kemenkumham, kini Kemenimipas."),
    ).toEqual([
      unit({ name: "Direktorat Jenderal Pemasyarakatan", shortName: "Ditjenpas", kind: "DITJEN" }),
      unit({ name: "Kementerian Imigrasi dan Pemasyarakatan", shortName: "Kemenimipas", kind: "MINISTRY" }),
      unit({ name: "Kemenkumham", shortName: "Kemenkumham", kind: "MINISTRY" }),
    ]);
  });

  it("merges every form of one unit and records every mention", () => {
    const r = extractStory(story("Lembaga Pemasyarakatan (Lapas) Kelas IIA Banyuwangi menerima tamu.", "Lapas Banyuwangi dan Lapas Kelas IIA Banyuwangi sama. Kalapas Banyuwangi, Budi, hadir."));
    expect(r.institutions).toHaveLength(1);
    expect(r.institutions[0]!.mentions.map((m) => m.text)).toEqual(["Lembaga Pemasyarakatan (Lapas) Kelas IIA Banyuwangi", "Lapas Banyuwangi", "Lapas Kelas IIA Banyuwangi", "Kalapas Banyuwangi"]);
  });

  it("keeps units of one city apart by kind and type", () => {
    expect(institutionsOf("Lapas Malang, Lapas Perempuan Malang, Rutan Malang dan Bapas Malang.").map((i) => i.name)).toEqual(["Lapas Malang", "Lapas Perempuan Malang", "Rutan Malang", "Bapas Malang"]);
  });

  it("reports two classes for one unit and keeps the first", () => {
    const r = extractStory(story("Lapas Kelas IIB Tuban dan Lapas Kelas IIA Tuban."));
    expect(r.institutions.map((i) => i.classification)).toEqual(["IIB"]);
    expect(r.warnings.map((w) => w.code)).toEqual(["CONFLICT"]);
  });

  it.each([
    ["Lembaga Pemasyarakatan Kelas IIB Pangkalan Bun", "Pangkalan Bun"],
    ["Rutan Kelas IIB Labuan Bajo", "Labuan Bajo"],
    ["Rumah Tahanan Negara Kelas IIB Pasir Pengaraian", "Pasir Pengaraian"],
    ["Lapas Kelas IIA Banda Aceh", "Banda Aceh"],
    ["Bapas Kelas II Lima Puluh Kota", "Lima Puluh Kota"],
    ["Rutan Kelas IIB Kepulauan Seribu", "Kepulauan Seribu"],
  ])("reads a place of several words whole: %p", (written, city) => {
    expect(institutionsOf(`Petugas ${written} menggelar apel pagi.`).map((i) => [i.name, i.city])).toEqual([[written, city]]);
  });

  it("reads a province of several words, or its short form, and not a city that starts with a province's name", () => {
    expect(institutionsOf("Lembaga Pemasyarakatan Kelas I Cipinang, Jakarta Timur, menerima tamu.").map((i) => i.province)).toEqual([null]);
    expect(institutionsOf("Lapas Kelas IIA Yogyakarta, DI Yogyakarta, menerima tamu.").map((i) => i.province)).toEqual(["DI Yogyakarta"]);
    expect(institutionsOf("Kanwil Ditjenpas DI Yogyakarta dan Kanwil Ditjenpas DIY hadir. Kanwil Ditjenpas Nusa Tenggara Timur juga.").map((i) => [i.name, i.province])).toEqual([
      ["Kanwil Ditjenpas DI Yogyakarta", "DI Yogyakarta"],
      ["Kanwil Ditjenpas Nusa Tenggara Timur", "Nusa Tenggara Timur"],
    ]);
  });

  it("gives a province only where the text states it", () => {
    expect(institutionsOf("Lapas Banyuwangi, Jawa Timur, dan Lapas Bojonegoro di Jawa Timur.").map((i) => i.province)).toEqual(["Jawa Timur", null]);
  });

  it("does not take a name, a day or a programme for a place", () => {
    expect(institutionsOf("Kalapas Hari Winarca hadir pada Kamis. Rutan Kamis tidak ada. Program “Lapas Bersinar” berjalan.", "Seluruh Lapas dan Rutan di Indonesia.")).toEqual([]);
  });

  it("tells a place from a first name after a head's title by the rest of the story", () => {
    expect(institutionsOf("Lapas Ambon menerima tamu. Kalapas Ambon Yosef Tuhumury hadir.").map((i) => i.name)).toEqual(["Lapas Ambon"]);
    expect(institutionsOf("Kalapas Denpasar I Made Suka hadir.").map((i) => i.name)).toEqual(["Lapas Denpasar"]);
  });

  it.each([
    ["a known city of a correctional unit", "Karutan Binjai Iwan Wibowo memimpin apel.", "Rutan Binjai"],
    ["a known city of two words", "Kalapas Tanjung Pinang Budi Santoso hadir.", "Lapas Tanjung Pinang"],
    ["a city the story names as a unit elsewhere", "Rutan Sidomulyo berbenah. Karutan Sidomulyo Iwan Wibowo hadir.", "Rutan Sidomulyo"],
    ["a city the story names as a place elsewhere", "Apel digelar di Pancur Batu. Karutan Pancur Batu Rahmat Hidayat hadir.", "Rutan Pancur Batu"],
    ["the dateline", "Kabapas Sidomulyo Iwan Wibowo hadir.", "Bapas Sidomulyo"],
    ["the rest of the name, named elsewhere", "Karutan Sidomulyo Iwan Wibowo hadir. Iwan Wibowo lalu pulang.", "Rutan Sidomulyo"],
    ["a known city after 'Kepala', cut before the name", "Kepala Lapas Padang Budi Santoso hadir.", "Lapas Padang"],
    ["a regency of several words", "Karutan Deli Serdang Iwan Wibowo memimpin apel.", "Rutan Deli Serdang"],
  ])("reads the place after a head's title by %s", (_, text, name) => {
    const r = extractStory(text.startsWith("Kabapas") ? `Judul Berita Uji\n\nSIDOMULYO, Contoh.id – ${text}` : story(text));
    expectNothingInvented(r);
    expect(r.institutions.map((i) => [i.name, i.city])).toEqual([[name, name.replace(/^\S+ /, "")]]);
    expect(r.warnings).toEqual([]);
  });

  it("reports a head's title followed by words it cannot tell a place from a name in, and reads no unit from them", () => {
    for (const text of ["Karutan Sidomulyo Iwan Wibowo hadir.", "Kalapas Bima Arya Sugiarto hadir."]) {
      const r = extractStory(story(text));
      expect(r.institutions).toEqual([]);
      expect(r.warnings.map((w) => w.code)).toEqual(["AMBIGUOUS_NAME"]);
    }
    // A city that is also a given name is a place only when the story says so.
    expect(institutionsOf("Lapas Bima menerima tamu. Kalapas Bima Arya Sugiarto hadir.").map((i) => i.name)).toEqual(["Lapas Bima"]);
  });

  it("does not read a kind word as the place of a Kanwil ('Kantor Wilayah Rutan Pamekasan')", () => {
    expect(institutionsOf("Kepala Kantor Wilayah Rutan Pamekasan melaksanakan pembinaan.").map((i) => i.name)).toEqual(["Rutan Pamekasan"]);
  });

  describe("parents, only where the text says", () => {
    it("'<unit> di bawah <body>' and '<unit> jajaran <Kanwil>'", () => {
      expect(
        institutionsOf("Rutan Situbondo yang berada di bawah Kanwil Ditjenpas Jawa Timur menerima tamu.", "Lapas Bangli jajaran Kanwil Ditjenpas Bali dan Lapas Tabanan, Bapas Karangasem di bawah Kanwil Ditjenpas Bali."),
      ).toEqual([
        unit({ name: "Rutan Situbondo", shortName: "Rutan Situbondo", kind: "RUTAN", city: "Situbondo", parent: "Kanwil Ditjenpas Jawa Timur" }),
        unit({ name: "Kanwil Ditjenpas Jawa Timur", shortName: "Kanwil Ditjenpas Jawa Timur", kind: "KANWIL", province: "Jawa Timur" }),
        unit({ name: "Lapas Bangli", shortName: "Lapas Bangli", kind: "LAPAS", city: "Bangli", parent: "Kanwil Ditjenpas Bali" }),
        unit({ name: "Kanwil Ditjenpas Bali", shortName: "Kanwil Ditjenpas Bali", kind: "KANWIL", province: "Bali" }),
        unit({ name: "Lapas Tabanan", shortName: "Lapas Tabanan", kind: "LAPAS", city: "Tabanan", parent: "Kanwil Ditjenpas Bali" }),
        unit({ name: "Bapas Karangasem", shortName: "Bapas Karangasem", kind: "BAPAS", city: "Karangasem", parent: "Kanwil Ditjenpas Bali" }),
      ]);
    });

    it("'UPT Pemasyarakatan di bawah <body>': every unit of the story", () => {
      expect(institutionsOf("Lapas Banyuwangi bertemu Rutan Jember.", "Keduanya UPT Pemasyarakatan di bawah Kementerian Hukum dan HAM.").map((i) => i.parent)).toEqual(["Kementerian Hukum dan HAM", "Kementerian Hukum dan HAM", null]);
    });

    it("'Kedua UPT tersebut berada di bawah <body>': every unit of the story", () => {
      expect(institutionsOf("Lapas Banyuwangi bertemu Rutan Jember.", "Kedua UPT tersebut berada di bawah Kanwil Kemenkumham Jawa Timur.").map((i) => i.parent)).toEqual(["Kanwil Kemenkumham Jawa Timur", "Kanwil Kemenkumham Jawa Timur", null]);
    });

    it("none from mere nearness, and never a unit above a body", () => {
      expect(institutionsOf("Lapas Jember bersama Kanwil Ditjenpas Jawa Timur.", "Kementerian Hukum dan HAM di bawah Lapas Jember.").map((i) => i.parent)).toEqual([null, null, null]);
    });
  });
});
