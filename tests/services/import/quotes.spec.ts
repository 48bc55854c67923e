import { extractStory } from "../../../src/services/import/import.extract";
import { expectNothingInvented, story } from "./helpers";

function quotesOf(...paragraphs: string[]) {
  const r = extractStory(story(...paragraphs));
  expectNothingInvented(r);
  return {
    quotes: r.quotes.map((q) => ({ text: q.text, attribution: q.attribution, speaker: r.people[q.speaker]!.name, institution: q.institution === null ? null : r.institutions[q.institution]!.name })),
    warnings: r.warnings.map((w) => w.code),
  };
}
const HARI = "Kepala Lapas Bojonegoro, Hari Winarca, hadir dalam acara itu.";

describe("quotes", () => {
  it("reads a paragraph that opens with the quote and ends with the attribution, with the speaker's institution", () => {
    expect(quotesOf(HARI, "“Kami senang sekali bisa belajar di sini,” ujarnya.").quotes).toEqual([{ text: "Kami senang sekali bisa belajar di sini", attribution: "ujarnya", speaker: "Hari Winarca", institution: "Lapas Bojonegoro" }]);
  });

  it.each(["kata", "tegas", "jelas", "ungkap", "tutur", "tambah", "pungkas", "terang", "sebut", "lanjut", "imbuh", "papar"])("knows the attribution word %p, with a short name and with -nya", (verb) => {
    const { quotes } = quotesOf(HARI, `“Kami akan terus berbenah setiap hari,” ${verb} Hari.`, `“Itu janji kami kepada masyarakat,” ${verb}nya.`);
    expect(quotes.map((q) => [q.attribution, q.speaker])).toEqual([[`${verb} Hari`, "Hari Winarca"], [`${verb}nya`, "Hari Winarca"]]);
  });

  it("reads the attribution before the quote", () => {
    expect(quotesOf(HARI, "Hari mengatakan, “Kami datang untuk belajar.”", "Menurut Hari, “Semua bisa ditiru.”", "Ia menambahkan: “Kami akan kembali.”").quotes.map((q) => [q.attribution, q.text, q.speaker])).toEqual([
      ["Hari mengatakan", "Kami datang untuk belajar.", "Hari Winarca"],
      ["Menurut Hari", "Semua bisa ditiru.", "Hari Winarca"],
      ["Ia menambahkan", "Kami akan kembali.", "Hari Winarca"],
    ]);
  });

  it("reads a quote split around its attribution as two quotes of one speaker", () => {
    expect(quotesOf(HARI, "“Kami datang untuk belajar,” kata Hari. “Setelah itu kami terapkan di Bojonegoro.”").quotes.map((q) => [q.text, q.attribution, q.speaker])).toEqual([
      ["Kami datang untuk belajar", "kata Hari", "Hari Winarca"],
      ["Setelah itu kami terapkan di Bojonegoro.", "kata Hari", "Hari Winarca"],
    ]);
  });

  it("reads a quote after narration in the same paragraph", () => {
    expect(quotesOf(HARI, "Hari menyebut kunjungan itu berharga. “Kami pulang membawa banyak catatan,” ujarnya.").quotes.map((q) => q.speaker)).toEqual(["Hari Winarca"]);
  });

  it("takes -nya for the subject of the sentence or quote just before, when no one else is named in between", () => {
    expect(
      quotesOf(HARI, "Kalapas Banyuwangi I Wayan Nurasta Wibawa menyambutnya.", "Wayan menyebut kunjungan itu sebagai silaturahmi.", "“Kami selalu terbuka untuk belajar bersama,” ujarnya.").quotes.map((q) => [q.speaker, q.institution]),
    ).toEqual([["I Wayan Nurasta Wibawa", "Lapas Banyuwangi"]]);
    // Carried by the quotes and the sentences about the same speaker ("Ia …", "Menurut dia …") from paragraph to paragraph.
    expect(
      quotesOf(HARI, "“Kami datang untuk belajar,” kata Hari.", "Ia menyebut kunjungan itu penting.", "“Kami akan kembali tahun depan,” tambahnya.", "“Terima kasih atas sambutannya,” pungkasnya.").quotes.map((q) => q.speaker),
    ).toEqual(["Hari Winarca", "Hari Winarca", "Hari Winarca"]);
    // "Sementara itu, …", "Menurut …", "Hal senada disampaikan …": the person is still the sentence's subject.
    expect(quotesOf(HARI, "Sementara itu, Kalapas Banyuwangi I Wayan Nurasta Wibawa menyambut rombongan.", "“Kami senang dikunjungi,” ujarnya.").quotes.map((q) => q.speaker)).toEqual(["I Wayan Nurasta Wibawa"]);
  });

  it("reads 'Kepala KPLP, Nama, …' as the subject of its sentence", () => {
    expect(quotesOf("Kepala Lapas Lamongan, Joko Susilo, memimpin razia.", "“Razia rutin,” kata Joko.", "Kepala KPLP, Ahmad Fauzan, menjelaskan petugas memeriksa badan penghuni.", "“Tidak ada telepon genggam,” ujarnya.").quotes.map((q) => q.speaker)).toEqual(["Joko Susilo", "Ahmad Fauzan"]);
  });

  it("reads a subject introduced with honorifics as the subject ('Prof. Dr. …' ends no sentence)", () => {
    expect(quotesOf(HARI, "Rektor Universitas Riau, Prof. Dr. Sri Indarti, menyebut kegiatan itu penting.", "“Kami akan datang setiap pekan,” katanya.").quotes.map((q) => q.speaker)).toEqual(["Sri Indarti"]);
  });

  describe("leaves out, with UNRESOLVED_SPEAKER, a -nya the text does not settle: never the last name seen", () => {
    it.each([
      ["another person is named in between", [HARI, "Kalapas Banyuwangi I Wayan Nurasta Wibawa menyambutnya.", "Wayan menyebut Hari sebagai sahabat lama.", "“Kami selalu terbuka untuk belajar bersama,” ujarnya."]],
      [
        "a unit head is named between the regional head's quotes",
        ["Kakanwil Ditjenpas Jawa Timur Bambang Suryanto meninjau Rutan Situbondo.", "“Dapur adalah jantung pelayanan,” kata Bambang.", "Ia didampingi Karutan Situbondo, Dedi Kurniawan.", "“Kami minta semua petugas disiplin,” pungkasnya."],
      ],
      ["an unnamed mother is the subject", ["Kepala LPKA Blitar, Teguh Prasetyo, hadir.", "“Anak-anak harus kembali sekolah,” kata Teguh.", "Seorang ibu tak kuasa menahan haru saat memeluk anaknya.", "“Saya bersyukur anak saya sehat,” ujarnya."]],
      ["a parent is the subject", ["Kepala LPKA Blitar, Teguh Prasetyo, hadir.", "Orang tua salah satu anak binaan mengaku lega.", "“Saya lega dia tetap sekolah,” katanya."]],
      ["people without names are the subject", ["Kepala Lapas Tuban, Agus Salim, memimpin razia.", "Petugas gabungan memeriksa setiap kamar.", "“Semua kamar bersih,” ujarnya."]],
      ["the subject is two paragraphs back", ["Kepala Lapas Tuban, Agus Salim, memimpin razia.", "Razia berlangsung hingga pagi.", "“Semua kamar bersih,” ujarnya."]],
      ["two people are named in the sentence before", ["Kalapas Sragen, Teguh Santoso, membuka bazar bersama Kepala Seksi Kegiatan Kerja Lapas Sragen, Nanik Rahayu.", "“Hasil penjualan kami kembalikan sebagai premi,” ujarnya."]],
    ])("%s", (_, paragraphs) => {
      const { quotes, warnings } = quotesOf(...paragraphs);
      expect(quotes.filter((q) => q.attribution!.endsWith("nya"))).toEqual([]);
      expect(warnings).toContain("UNRESOLVED_SPEAKER");
    });
  });

  it("reads a speaker named only in the attribution as a person of the story, without a post", () => {
    expect(quotesOf("Warga binaan mengikuti pelatihan.", "“Saya ingin membuka usaha sendiri,” kata Yusuf Maulana.").quotes).toEqual([{ text: "Saya ingin membuka usaha sendiri", attribution: "kata Yusuf Maulana", speaker: "Yusuf Maulana", institution: null }]);
  });

  it("reads a speaker named by post alone as that post's one holder", () => {
    expect(quotesOf(HARI, "“Kami siap membantu,” ujar Kalapas Bojonegoro.").quotes.map((q) => q.speaker)).toEqual(["Hari Winarca"]);
  });

  it("leaves out and reports a quote whose speaker cannot be told", () => {
    expect(quotesOf("“Semua kamar sudah kami periksa,” ujarnya.")).toEqual({ quotes: [], warnings: ["UNRESOLVED_SPEAKER"] });
    expect(quotesOf("Razia digelar di Lapas Tuban.", "“Barang itu kami musnahkan di halaman,” ujar seorang petugas.")).toEqual({ quotes: [], warnings: ["UNRESOLVED_SPEAKER"] });
    expect(quotesOf("Razia digelar di Lapas Tuban.", "“Barang itu kami musnahkan di halaman dengan segera.”")).toEqual({ quotes: [], warnings: ["UNRESOLVED_SPEAKER"] });
  });

  it("reports a short name that fits two people, and stores no quote for it", () => {
    expect(quotesOf("Kepala Rutan Gresik, Agus Salim, dan Kepala Lapas Tuban, Agus Pranoto, hadir.", "“Kami bekerja sama erat,” kata Agus.")).toEqual({ quotes: [], warnings: ["UNRESOLVED_SPEAKER", "AMBIGUOUS_NAME"] });
  });

  it("reads no quote in a quoted name or slogan, and reports an unclosed quotation", () => {
    expect(quotesOf(HARI, "Program “Lapas Bersinar” dan “Rutan Sehat” berjalan.")).toEqual({ quotes: [], warnings: [] });
    expect(quotesOf(HARI, "“Kami datang untuk belajar, ujarnya.")).toEqual({ quotes: [], warnings: ["DROPPED"] });
  });

  it("keeps quote texts verbatim: a quote's span is exactly its text in the body", () => {
    const r = extractStory(story(HARI, "“  Kami datang untuk belajar!  ” kata Hari."));
    expect(r.quotes[0]!.text).toBe("Kami datang untuk belajar!");
    expect(r.story.body.slice(r.quotes[0]!.span.start, r.quotes[0]!.span.end)).toBe("Kami datang untuk belajar!");
  });
});
