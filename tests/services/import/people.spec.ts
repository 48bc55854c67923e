import { extractStory } from "../../../src/services/import/import.extract";
import { expectNothingInvented, story } from "./helpers";

function peopleOf(...paragraphs: string[]) {
  const r = extractStory(story(...paragraphs));
  expectNothingInvented(r);
  return r.people.map((p) => ({ name: p.name, posts: p.positions.map((x) => `${x.title} @ ${r.institutions[x.institution]!.name}${x.current ? "" : " (former)"}`) }));
}

describe("people and posts", () => {
  it.each([
    ["Kepala Lapas Bojonegoro, Hari Winarca, hadir.", "Hari Winarca", "Kepala Lapas @ Lapas Bojonegoro"],
    ["Kalapas Banyuwangi I Wayan Nurasta Wibawa hadir.", "I Wayan Nurasta Wibawa", "Kepala Lapas @ Lapas Banyuwangi"],
    ["Karutan Situbondo, Dedi Kurniawan, hadir.", "Dedi Kurniawan", "Kepala Rutan @ Rutan Situbondo"],
    ["Kakanwil Ditjenpas Jawa Timur Bambang Suryanto hadir.", "Bambang Suryanto", "Kepala Kantor Wilayah @ Kanwil Ditjenpas Jawa Timur"],
    ["Kepala Kantor Wilayah Kemenkumham Bali, Made Sutama, hadir.", "Made Sutama", "Kepala Kantor Wilayah @ Kantor Wilayah Kemenkumham Bali"],
    ["Kabapas Surabaya, Dewi Lestari, hadir.", "Dewi Lestari", "Kepala Bapas @ Bapas Surabaya"],
    ["Kepala LPKA Blitar, Teguh Prasetyo, hadir.", "Teguh Prasetyo", "Kepala LPKA @ LPKA Blitar"],
    ["Kepala Seksi Pembinaan Lapas Kediri, Rina Marlina, hadir.", "Rina Marlina", "Kepala Seksi Pembinaan @ Lapas Kediri"],
    ["Kepala Subseksi Registrasi Rutan Gresik, Yudi Hartono, hadir.", "Yudi Hartono", "Kepala Subseksi Registrasi @ Rutan Gresik"],
    ["Pembimbing Kemasyarakatan (PK) Ahli Pertama Bapas Malang, Sari Dewi, hadir.", "Sari Dewi", "Pembimbing Kemasyarakatan Ahli Pertama @ Bapas Malang"],
    ["Kasi Binadik Lapas Kediri Budi Santoso hadir.", "Budi Santoso", "Kepala Seksi Binadik @ Lapas Kediri"],
    ["Direktorat Jenderal Pemasyarakatan hadir. Dirjenpas Andi Wijaya membuka acara.", "Andi Wijaya", "Direktur Jenderal Pemasyarakatan @ Direktorat Jenderal Pemasyarakatan"],
  ])("reads %p", (text, name, post) => {
    expect(peopleOf(text)).toEqual([{ name, posts: [post] }]);
  });

  it("reads 'dipimpin Kalapas …' as the head of the institution led", () => {
    expect(peopleOf("Rombongan diterima jajaran Lapas Banyuwangi yang dipimpin Kalapas I Wayan Nurasta Wibawa.")).toEqual([{ name: "I Wayan Nurasta Wibawa", posts: ["Kepala Lapas @ Lapas Banyuwangi"] }]);
  });

  it("leaves degrees and honorifics out of a name", () => {
    expect(peopleOf("Kepala Lapas Kelas IIA Kediri, Dr. H. Ahmad Fauzi, S.H., M.H., hadir. Kasi Pembinaan Lapas Kediri, Hj. Siti Aminah, S.Sos., M.Si., hadir. Kasubsi Registrasi Lapas Kediri, Yudi Hartono, A.Md.IP., S.H., hadir. Kepala Rutan Gresik Drs. Bambang Irawan MH hadir.").map((p) => p.name)).toEqual([
      "Ahmad Fauzi",
      "Siti Aminah",
      "Yudi Hartono",
      "Bambang Irawan",
    ]);
  });

  it("merges a person named twice, and a post named once without its institution", () => {
    expect(peopleOf("Kepala Lapas Bojonegoro, Hari Winarca, hadir.", "Kalapas Hari Winarca lalu pulang.")).toEqual([{ name: "Hari Winarca", posts: ["Kepala Lapas @ Lapas Bojonegoro"] }]);
  });

  it("reports a post the text gives no institution for, and keeps the person", () => {
    const r = extractStory(story("Kalapas Hari Winarca hadir di acara itu."));
    expect(r.people.map((p) => [p.name, p.positions.length])).toEqual([["Hari Winarca", 0]]);
    expect(r.warnings.map((w) => w.code)).toEqual(["DROPPED"]);
  });

  it("reads former posts and posts held by a person named before or after them", () => {
    expect(peopleOf("Mantan Kalapas Tuban, Joko Susilo, kini menjabat Kepala Lapas Lamongan.", "Jabatan Kalapas Tuban kini diisi Wahyu Hidayat.")).toEqual([
      { name: "Joko Susilo", posts: ["Kepala Lapas @ Lapas Tuban (former)", "Kepala Lapas @ Lapas Lamongan"] },
      { name: "Wahyu Hidayat", posts: ["Kepala Lapas @ Lapas Tuban"] },
    ]);
  });

  it("finds a person again by a short name, and tells a day from a name", () => {
    const r = extractStory(story("Kepala Lapas Bojonegoro, Hari Winarca, hadir.", "Hari ini semua petugas hadir. Menurut Hari, acara berjalan baik."));
    expect(r.people[0]!.mentions.map((m) => m.text)).toEqual(["Hari Winarca", "Hari"]);
  });

  it("tells the city of a head's unit from the first word of the name after it", () => {
    expect(peopleOf("Karutan Binjai Iwan Wibowo memimpin apel.")).toEqual([{ name: "Iwan Wibowo", posts: ["Kepala Rutan @ Rutan Binjai"] }]);
    expect(peopleOf("Apel digelar di Pancur Batu. Karutan Pancur Batu Rahmat Hidayat hadir.")).toEqual([{ name: "Rahmat Hidayat", posts: ["Kepala Rutan @ Rutan Pancur Batu"] }]);
    expect(peopleOf("Kalapas Sidomulyo H. Ahmad Fauzi hadir.")).toEqual([{ name: "Ahmad Fauzi", posts: ["Kepala Lapas @ Lapas Sidomulyo"] }]);
    expect(peopleOf("Kalapas Muhammad Rizki Pratama hadir.")).toEqual([{ name: "Muhammad Rizki Pratama", posts: [] }]);
  });

  it("stores no person where a head's title is followed by words it cannot tell a place from a name in, and says so", () => {
    const r = extractStory(story("Karutan Sidomulyo Iwan Wibowo memimpin apel."));
    expect(r.people).toEqual([]);
    expect(r.warnings.map((w) => [w.code, r.story.body.slice(w.span!.start, w.span!.end)])).toEqual([["AMBIGUOUS_NAME", "Karutan Sidomulyo Iwan Wibowo"]]);
  });

  it.each([
    ["Kepala Kantor Wilayah Rutan Pamekasan melaksanakan pembinaan.", "Kepala Kantor Wilayah Rutan Pamekasan"],
    ["Kakanwil Lapas Sumenep membuka acara.", "Kakanwil Lapas Sumenep"],
    ["Kepala Kanwil Bapas Malang, hadir.", "Kepala Kanwil Bapas Malang"],
  ])("reads no person and no post from a Kanwil head's title before a unit: %p", (text, dropped) => {
    const r = extractStory(story(text));
    expectNothingInvented(r);
    expect(r.people).toEqual([]);
    expect(r.warnings.map((w) => [w.code, r.story.body.slice(w.span!.start, w.span!.end)])).toEqual([["DROPPED", dropped]]);
  });

  it("does not read a title followed by no name, or by a lowercase word, as a person", () => {
    expect(peopleOf("Kepala Lapas Bojonegoro hadir. Kepala Dinas Sosial juga hadir. Kalapas menyampaikan sambutan.")).toEqual([]);
  });
});
