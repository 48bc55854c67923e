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
    ["Kepala Kantor Wilayah Direktorat Jenderal Pemasyarakatan (Kanwil Ditjenpas) Sulawesi Selatan, Rudy Fernando Sianturi, hadir.", "Rudy Fernando Sianturi", "Kepala Kantor Wilayah @ Kantor Wilayah Direktorat Jenderal Pemasyarakatan Sulawesi Selatan"],
    ["Kepala LPKA Blitar, Teguh Prasetyo, hadir.", "Teguh Prasetyo", "Kepala LPKA @ LPKA Blitar"],
    ["Kepala Seksi Pembinaan Lapas Kediri, Rina Marlina, hadir.", "Rina Marlina", "Kepala Seksi Pembinaan @ Lapas Kediri"],
    ["Kepala Subseksi Registrasi Rutan Gresik, Yudi Hartono, hadir.", "Yudi Hartono", "Kepala Subseksi Registrasi @ Rutan Gresik"],
    ["Pembimbing Kemasyarakatan (PK) Ahli Pertama Bapas Malang, Sari Dewi, hadir.", "Sari Dewi", "Pembimbing Kemasyarakatan Ahli Pertama @ Bapas Malang"],
    ["Kasi Binadik Lapas Kediri Budi Santoso hadir.", "Budi Santoso", "Kepala Seksi Binadik @ Lapas Kediri"],
    ["Direktorat Jenderal Pemasyarakatan hadir. Dirjenpas Andi Wijaya membuka acara.", "Andi Wijaya", "Direktur Jenderal Pemasyarakatan @ Direktorat Jenderal Pemasyarakatan"],
  ])("reads %p", (text, name, post) => {
    expect(peopleOf(text)).toEqual([{ name, posts: [post] }]);
  });

  it.each([
    // Police units and bodies named with their legal form are stored as institutions of kind OTHER, holding the post.
    ["Kapolsek Kalipuro, AKP Budi Hartono, hadir.", "Budi Hartono", ["Kepala Polsek @ Polsek Kalipuro"]],
    ["Kapolres Musi Rawas AKBP Andi Supriadi hadir.", "Andi Supriadi", ["Kepala Polres @ Polres Musi Rawas"]],
    ["Kapolresta Banda Aceh, Kombes Pol Fahmi Irwan Ramli, hadir.", "Fahmi Irwan Ramli", ["Kepala Polresta @ Polresta Banda Aceh"]],
    ["Pemilik CV Tenun Jaya, Nyimas Ratna Sari, hadir.", "Nyimas Ratna Sari", ["Pemilik @ CV Tenun Jaya"]],
    ["Manajer Sumber Daya Manusia PT Komodo Bahari Resort, Yosef Pareira, hadir.", "Yosef Pareira", ["Manajer Sumber Daya Manusia @ PT Komodo Bahari Resort"]],
    // A post of a correctional unit under a title of its own.
    ["Ketua Tim Zona Integritas Lapas Tuban, Sri Wahyuni, hadir.", "Sri Wahyuni", ["Ketua Tim Zona Integritas @ Lapas Tuban"]],
    // Other bodies: the person, whole, without the post.
    ["Rektor Universitas Riau, Prof. Dr. Sri Indarti, hadir.", "Sri Indarti", []],
    ["Kepala Dinas Pendidikan Kabupaten Banjar, Hj. Rusdiana, hadir.", "Rusdiana", []],
    ["Kepala BNNK Gowa, AKBP Andi Irwan, hadir.", "Andi Irwan", []],
    ["Pelatihan dipandu pemilik Sanggar Rias Dende Ayu, Baiq Nurul Aini, yang sudah lama berkarya.", "Baiq Nurul Aini", []],
    // A role and a name in apposition.
    ["Salah satu peserta, Dewi (34), mengaku senang.", "Dewi", []],
    ["Pengunjung bazar, Sulastri, mengaku puas.", "Sulastri", []],
  ])("reads the person a title or role outside the service introduces: %p", (text, name, posts) => {
    expect(peopleOf(text)).toEqual([{ name, posts }]);
  });

  it("reads a deputy or an acting head as such, not as the head", () => {
    expect(peopleOf("Wakil Kepala Lapas Tuban, Budi Santoso, hadir. Plt. Kalapas Lamongan, Joko Susilo, juga.")).toEqual([
      { name: "Budi Santoso", posts: ["Wakil Kepala Lapas @ Lapas Tuban"] },
      { name: "Joko Susilo", posts: ["Plt. Kepala Lapas @ Lapas Lamongan"] },
    ]);
  });

  it("reads 'Kepala KPLP, Nama' as the service's post, not as a title outside it", () => {
    expect(peopleOf("Lapas Lamongan menggelar razia.", "Kepala KPLP, Ahmad Fauzan, memimpin pemeriksaan.")).toEqual([{ name: "Ahmad Fauzan", posts: ["Kepala Kesatuan Pengamanan @ Lapas Lamongan"] }]);
  });

  it("reads a post whose name lists fields with commas whole, and the name after it", () => {
    expect(peopleOf("Kepala Bidang Pembinaan, Teknologi Informasi dan Kerja Sama Kanwil Ditjenpas Riau, Maulidi Hilal, hadir.")).toEqual([
      { name: "Maulidi Hilal", posts: ["Kepala Bidang Pembinaan, Teknologi Informasi dan Kerja Sama @ Kanwil Ditjenpas Riau"] },
    ]);
    expect(peopleOf("Kanwil Ditjenpas Riau menggelar rapat. Rapat dihadiri Kepala Bidang Pelayanan Tahanan, Kesehatan, Rehabilitasi, Pengelolaan Basan dan Baran, Sri Wahyuni.")).toEqual([
      { name: "Sri Wahyuni", posts: ["Kepala Bidang Pelayanan Tahanan, Kesehatan, Rehabilitasi, Pengelolaan Basan dan Baran @ Kanwil Ditjenpas Riau"] },
    ]);
  });

  it("keeps a name word that is also a title elsewhere ('Lukman Hakim')", () => {
    expect(peopleOf("Kepala Lapas Tuban, Lukman Hakim, hadir.")).toEqual([{ name: "Lukman Hakim", posts: ["Kepala Lapas @ Lapas Tuban"] }]);
  });

  it("reads no person where an outside title runs into words it cannot tell a name in", () => {
    expect(peopleOf("Kapolsek Montong Darsono hadir. Kepala Dinas Sosial juga hadir. Ketua Tim Zona Integritas dan anggota tim hadir.")).toEqual([]);
  });

  it("reads a head named after 'yang baru', and a person named before 'yang kini menjabat'", () => {
    expect(peopleOf("Kepala Lapas Kelas I Madiun yang baru, Ardian Nova Christiawan, menggantikan Rudi Hartono yang kini menjabat Kepala Divisi Pemasyarakatan Kanwil Ditjenpas Jawa Tengah.")).toEqual([
      { name: "Ardian Nova Christiawan", posts: ["Kepala Lapas @ Lapas Kelas I Madiun"] },
      { name: "Rudi Hartono", posts: ["Kepala Divisi Pemasyarakatan @ Kanwil Ditjenpas Jawa Tengah"] },
    ]);
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

  it("reads the unit of a post from the sentence: the head's title it acts for ('melalui', 'diwakili')", () => {
    expect(peopleOf("Kepala Rutan Kendari melalui Kepala Pengamanan Rutan (KPR), Muh. Arif, mengatakan razia rutin digelar.")).toEqual([{ name: "Muh. Arif", posts: ["Kepala Pengamanan Rutan @ Rutan Kendari"] }]);
    expect(peopleOf("Lapas Tuban dan Bapas Baubau hadir. Kepala Bapas Baubau yang diwakili Kepala Subseksi Bimbingan Klien Anak, La Ode Rahmat, membuka acara.")).toEqual([
      { name: "La Ode Rahmat", posts: ["Kepala Subseksi Bimbingan Klien Anak @ Bapas Baubau"] },
    ]);
  });

  it("reads the unit of a post from the story when the story names one unit of that kind, and only then", () => {
    expect(peopleOf("Rutan Gresik meluncurkan layanan baru.", "Kepala Subseksi Registrasi, Andi Wijaya, menjelaskan layanan itu.", "Kalapas Hari Winarca hadir.")).toEqual([
      { name: "Andi Wijaya", posts: ["Kepala Subseksi Registrasi @ Rutan Gresik"] },
      { name: "Hari Winarca", posts: [] },
    ]);
    expect(peopleOf("Kanwil Ditjenpas Riau dan Lapas Pekanbaru meneken kerja sama.", "Kepala Bidang Pembinaan, Maulidi Hilal, hadir. Kepala Seksi Pembinaan, Rina Marlina, juga.")).toEqual([
      { name: "Maulidi Hilal", posts: ["Kepala Bidang Pembinaan @ Kanwil Ditjenpas Riau"] },
      { name: "Rina Marlina", posts: ["Kepala Seksi Pembinaan @ Lapas Pekanbaru"] },
    ]);
    const r = extractStory(story("Lapas Tuban dan Rutan Gresik menggelar razia.", "Kepala Subseksi Registrasi, Andi Wijaya, hadir. Mantan Kalapas, Joko Susilo, juga."));
    expect(r.people.map((p) => [p.name, p.positions.length])).toEqual([["Andi Wijaya", 0], ["Joko Susilo", 0]]);
    expect(r.warnings.map((w) => w.code)).toEqual(["DROPPED", "DROPPED"]);
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
