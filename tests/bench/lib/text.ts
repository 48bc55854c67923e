import type { Random } from "./random";

/*
 * Indonesian-ish newsroom text about correctional units, put together from phrase lists.
 * Not real reporting; realistic enough in length, vocabulary and shape (titles, paragraphs,
 * quotes, reader comments) for the database, the full-text index and JSON sizes to behave
 * like a real archive.
 */

export const FIRST_NAMES = [
  "Agus", "Budi", "Sari", "Dewi", "Wayan", "Made", "Ketut", "Nyoman", "Putu", "Komang", "Rina", "Siti", "Ahmad", "Hendra", "Yudi", "Rudi",
  "Andi", "Rahmat", "Fitri", "Lestari", "Indra", "Bayu", "Eko", "Joko", "Teguh", "Wahyu", "Dian", "Nur", "Yanti", "Ratna", "Hadi", "Iwan",
  "Taufik", "Arif", "Dedi", "Slamet", "Sutrisno", "Bambang", "Retno", "Kurniawan",
];

export const LAST_NAMES = [
  "Santoso", "Wijaya", "Saputra", "Pratama", "Hidayat", "Nugroho", "Setiawan", "Kusuma", "Gunawan", "Siregar", "Nasution", "Harahap",
  "Lubis", "Simanjuntak", "Sitompul", "Suryadi", "Purnomo", "Wibowo", "Hartono", "Susanto", "Rahman", "Hakim", "Syahputra", "Firmansyah",
  "Arya", "Mahendra", "Permana", "Sudarma", "Putra", "Yasa", "Suardana", "Wirawan", "Maulana", "Ramadhan", "Fauzi", "Halim", "Iskandar",
  "Prasetyo", "Utomo", "Sembiring",
];

/** (city, province) of the correctional units, each city once. */
export const CITIES: ReadonlyArray<readonly [string, string]> = [
  ["Surabaya", "Jawa Timur"], ["Malang", "Jawa Timur"], ["Banyuwangi", "Jawa Timur"], ["Bojonegoro", "Jawa Timur"], ["Jember", "Jawa Timur"],
  ["Madiun", "Jawa Timur"], ["Kediri", "Jawa Timur"], ["Pamekasan", "Jawa Timur"], ["Semarang", "Jawa Tengah"], ["Kendal", "Jawa Tengah"],
  ["Pekalongan", "Jawa Tengah"], ["Magelang", "Jawa Tengah"], ["Purwokerto", "Jawa Tengah"], ["Cilacap", "Jawa Tengah"], ["Sragen", "Jawa Tengah"],
  ["Bandung", "Jawa Barat"], ["Cirebon", "Jawa Barat"], ["Bogor", "Jawa Barat"], ["Garut", "Jawa Barat"], ["Sukabumi", "Jawa Barat"],
  ["Tasikmalaya", "Jawa Barat"], ["Cianjur", "Jawa Barat"], ["Denpasar", "Bali"], ["Singaraja", "Bali"], ["Tabanan", "Bali"],
  ["Karangasem", "Bali"], ["Gianyar", "Bali"], ["Bangli", "Bali"], ["Medan", "Sumatera Utara"], ["Pematangsiantar", "Sumatera Utara"],
  ["Tebing Tinggi", "Sumatera Utara"], ["Binjai", "Sumatera Utara"], ["Sibolga", "Sumatera Utara"], ["Kabanjahe", "Sumatera Utara"],
  ["Padangsidimpuan", "Sumatera Utara"], ["Makassar", "Sulawesi Selatan"], ["Parepare", "Sulawesi Selatan"], ["Watampone", "Sulawesi Selatan"],
  ["Palopo", "Sulawesi Selatan"], ["Bulukumba", "Sulawesi Selatan"], ["Maros", "Sulawesi Selatan"], ["Sinjai", "Sulawesi Selatan"],
];

export const PROVINCES = ["Jawa Timur", "Jawa Tengah", "Jawa Barat", "Bali", "Sumatera Utara", "Sulawesi Selatan"];

export const TAGS = [
  "Pemasyarakatan", "Pembinaan", "Kesehatan", "Pendidikan", "Keamanan", "Narkoba", "Remisi", "Integrasi Sosial", "Wilayah Bebas Korupsi",
  "Pelayanan Publik", "Kunjungan Keluarga", "Olahraga", "Keagamaan", "Kemandirian", "Hak Asasi Manusia",
];

const TITLE_ACTIONS = [
  "Gelar Pelatihan Kemandirian bagi Warga Binaan", "Raih Predikat Wilayah Bebas dari Korupsi", "Perketat Pengamanan Jelang Hari Raya",
  "Salurkan Remisi kepada Ratusan Narapidana", "Luncurkan Layanan Kunjungan Daring", "Terima Kunjungan Studi Tiru", "Gelar Razia Kamar Hunian",
  "Buka Kelas Kejar Paket C", "Panen Raya Hasil Pertanian Warga Binaan", "Teken Kerja Sama dengan Pemerintah Daerah", "Gelar Tes Urine Mendadak",
  "Resmikan Klinik Pratama", "Ikuti Apel Siaga Pengamanan", "Pamerkan Kerajinan Warga Binaan", "Perkuat Deteksi Dini Gangguan Keamanan",
  "Gelar Pesantren Kilat Ramadan", "Serahkan Sertifikat Pelatihan Las", "Tingkatkan Layanan Integrasi Sosial", "Bersihkan Lingkungan Bersama Warga",
  "Evaluasi Program Rehabilitasi Narkoba", "Gelar Lomba Olahraga Antarblok", "Bagikan Paket Sembako untuk Keluarga Warga Binaan",
  "Terapkan Pemindaian Wajah bagi Pengunjung", "Bahas Kelebihan Kapasitas Hunian", "Kirim Narapidana Risiko Tinggi ke Nusakambangan",
];

const TITLE_TAILS = ["", "", "", " Tahun Ini", " pada Awal Pekan", " Secara Serentak", " untuk Pertama Kalinya", " Bersama Forkopimda", " di Tengah Sorotan Publik", " Menjelang Akhir Tahun"];

const SUBJECTS = [
  "Kepala lembaga pemasyarakatan", "Petugas pengamanan", "Tim pembinaan", "Kepala Kantor Wilayah", "Para warga binaan", "Seksi bimbingan kemasyarakatan",
  "Jajaran pimpinan", "Petugas layanan kunjungan", "Tim kesehatan", "Kepala seksi kegiatan kerja", "Pembimbing kemasyarakatan", "Satuan tugas kepatuhan internal",
];

const VERBS = [
  "menggelar", "memastikan", "meninjau", "mengevaluasi", "mendampingi", "menyiapkan", "melaksanakan", "memperkuat", "mengawasi", "menyerahkan",
  "membahas", "menandatangani", "meresmikan", "mendata", "memantau",
];

const OBJECTS = [
  "program pembinaan kepribadian dan kemandirian", "pemeriksaan kamar hunian secara menyeluruh", "layanan kunjungan tatap muka bagi keluarga",
  "pelatihan keterampilan menjahit dan pertukangan", "pemeriksaan kesehatan rutin bagi warga binaan", "pendataan usulan remisi dan pembebasan bersyarat",
  "kerja sama dengan balai latihan kerja setempat", "program rehabilitasi sosial bagi pengguna narkotika", "pembangunan zona integritas di lingkungan kerja",
  "penguatan sarana dan prasarana pengamanan", "kegiatan keagamaan dan pembinaan rohani", "penyuluhan hukum bagi tahanan", "inovasi pelayanan publik berbasis digital",
  "kegiatan produksi roti dan kerajinan tangan", "sosialisasi pencegahan peredaran telepon genggam",
];

const CIRCUMSTANCES = [
  "pada Senin pagi", "sejak pekan lalu", "di aula utama", "bersama perwakilan pemerintah daerah", "dengan melibatkan aparat kepolisian", "sesuai arahan pimpinan pusat",
  "di tengah keterbatasan anggaran", "menjelang peringatan Hari Bhakti Pemasyarakatan", "secara bergiliran di setiap blok", "dengan pengawasan ketat",
  "yang diikuti puluhan peserta", "sebagai bagian dari program kerja tahunan",
];

const CLAUSES = [
  "Langkah itu diambil untuk menjaga ketertiban dan keamanan di dalam lembaga.", "Kegiatan tersebut mendapat sambutan positif dari keluarga warga binaan.",
  "Hasilnya akan dilaporkan kepada kantor wilayah dalam waktu dekat.", "Menurut data terbaru, jumlah penghuni saat ini melebihi kapasitas hunian yang tersedia.",
  "Program serupa sebelumnya telah berjalan di sejumlah unit pelaksana teknis lain.", "Pihaknya berharap kegiatan ini dapat berlangsung secara berkelanjutan.",
  "Seluruh rangkaian kegiatan berjalan lancar dan kondusif.", "Petugas juga mengingatkan pentingnya menjaga integritas dalam setiap pelayanan.",
  "Warga binaan yang mengikuti pelatihan akan memperoleh sertifikat keahlian.", "Evaluasi menyeluruh dilakukan agar pelayanan semakin transparan dan akuntabel.",
  "Masyarakat dapat menyampaikan pengaduan melalui layanan yang telah disediakan.", "Kegiatan ditutup dengan doa bersama dan ramah tamah.",
];

const QUOTE_OPENERS = [
  "Kami berkomitmen", "Ini menjadi bukti bahwa kami serius", "Kami ingin memastikan", "Tujuan utama kami adalah", "Kami terus berupaya", "Yang terpenting bagi kami adalah",
  "Kami tidak akan menoleransi", "Kami berterima kasih atas dukungan semua pihak dalam",
];

const QUOTE_BODIES = [
  "memberikan pelayanan terbaik bagi warga binaan dan keluarganya", "menjaga lembaga tetap bersih dari narkoba dan telepon genggam",
  "membekali warga binaan dengan keterampilan agar siap kembali ke masyarakat", "menciptakan lingkungan kerja yang bebas dari pungutan liar",
  "meningkatkan kualitas layanan kesehatan di dalam lembaga", "mewujudkan pemasyarakatan yang maju dan berintegritas",
  "memperkuat sinergi dengan aparat penegak hukum dan pemerintah daerah", "menjalankan setiap program pembinaan secara konsisten dan terukur",
];

export const ATTRIBUTIONS = ["ujarnya", "katanya", "jelasnya", "tegasnya", "tuturnya", "ungkapnya"];

const COMMENT_LINES = [
  "Semoga programnya terus berjalan dan bermanfaat.", "Terima kasih atas informasinya, sangat membantu keluarga kami.", "Mantap, pertahankan integritasnya!",
  "Bagaimana cara mendaftar kunjungan daring?", "Salut untuk para petugas yang bekerja keras.", "Pengawasan harus terus diperketat.",
  "Semoga warga binaan bisa kembali ke masyarakat dengan bekal keterampilan.", "Beritanya lengkap dan jelas.", "Kapan jadwal kunjungan dibuka kembali?",
  "Semoga tidak hanya seremonial saja.", "Lanjutkan, kami mendukung penuh.", "Perlu juga perhatian untuk kesehatan petugas.",
];

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A headline about `institution` (its short name). */
export function headline(rnd: Random, institution: string): string {
  return `${institution} ${rnd.pick(TITLE_ACTIONS)}${rnd.pick(TITLE_TAILS)}`;
}

export function sentence(rnd: Random, place: string): string {
  const subject = rnd.pick(SUBJECTS);
  const at = rnd.chance(0.4) ? ` ${place}` : "";
  const first = `${subject}${at} ${rnd.pick(VERBS)} ${rnd.pick(OBJECTS)} ${rnd.pick(CIRCUMSTANCES)}.`;
  return rnd.chance(0.5) ? `${first} ${rnd.pick(CLAUSES)}` : first;
}

/** A quote's words (without quotation marks). */
export function quoteText(rnd: Random): string {
  const text = `${rnd.pick(QUOTE_OPENERS)} ${rnd.pick(QUOTE_BODIES)}`;
  return rnd.chance(0.5) ? `${text}, dan ${rnd.pick(QUOTE_BODIES)}` : text;
}

/** Paragraphs (blank-line separated) of about `targetChars` characters; quoted paragraphs mixed in. */
export function storyBody(rnd: Random, dateline: string, place: string, speakers: readonly string[], targetChars: number): string {
  const paragraphs: string[] = [];
  let length = 0;
  let first = true;
  while (length < targetChars - 120) {
    let paragraph: string;
    if (!first && speakers.length > 0 && rnd.chance(0.3)) {
      paragraph = `"${capitalize(quoteText(rnd))}," ${rnd.pick(ATTRIBUTIONS)} ${rnd.pick(speakers)}.`;
    } else {
      const count = rnd.int(2, 4);
      const sentences: string[] = [];
      for (let i = 0; i < count; i++) sentences.push(sentence(rnd, place));
      paragraph = sentences.join(" ");
      if (first) paragraph = `${dateline} - ${paragraph}`;
    }
    first = false;
    paragraphs.push(paragraph);
    length += paragraph.length + 2;
  }
  return paragraphs.join("\n\n");
}

export function summaryOf(rnd: Random, place: string): string {
  return `${sentence(rnd, place)} ${rnd.pick(CLAUSES)}`.slice(0, 600);
}

export function commentBody(rnd: Random): string {
  const count = rnd.int(1, 3);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(rnd.pick(COMMENT_LINES));
  return lines.join(" ");
}
