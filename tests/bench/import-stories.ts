import fs from "node:fs";
import path from "node:path";
import { Random } from "./lib/random";
import { CITIES, FIRST_NAMES, LAST_NAMES, quoteText } from "./lib/text";

/*
 * Stories in the shape of the seed for the import benchmark: page furniture above and below, a
 * title, a "CITY, Outlet –" lead-in, an institution by its full name with abbreviation and class,
 * its head by title and name, short forms later, direct quotes attributed in the ways newsrooms
 * write them. The institutions and their heads are a fixed cast, so over a batch the first
 * stories create records and the rest link to them, as an archive import does.
 */

const OUTLETS = ["Actanews.id", "Warta Pemasyarakatan", "Kabar Lapas", "Suara Rutan"];

const ACTIONS = [
  "Gelar Pelatihan Kemandirian bagi Warga Binaan", "Perketat Pengamanan Jelang Hari Raya", "Salurkan Remisi kepada Narapidana", "Luncurkan Layanan Kunjungan Daring",
  "Terima Kunjungan Studi Tiru", "Gelar Razia Kamar Hunian", "Buka Kelas Kejar Paket C", "Panen Raya Hasil Pertanian Warga Binaan", "Gelar Tes Urine Mendadak",
  "Resmikan Klinik Pratama", "Pamerkan Kerajinan Warga Binaan", "Gelar Pesantren Kilat Ramadan", "Serahkan Sertifikat Pelatihan Las", "Evaluasi Program Rehabilitasi Narkoba",
  "Bagikan Paket Sembako untuk Keluarga Warga Binaan", "Terapkan Pemindaian Wajah bagi Pengunjung", "Bahas Kelebihan Kapasitas Hunian", "Perkuat Deteksi Dini Gangguan Keamanan",
  "Tingkatkan Layanan Integrasi Sosial", "Gelar Lomba Olahraga Antarblok",
];
const TAILS = ["", " Tahun Ini", " pada Awal Pekan", " Secara Serentak", " untuk Pertama Kalinya", " Bersama Forkopimda", " Menjelang Akhir Tahun", " di Tengah Sorotan Publik"];
const LEAD_ACTS = [
  "menggelar kegiatan pembinaan bagi warga binaan", "memperkuat pengamanan di seluruh blok hunian", "meninjau layanan kunjungan keluarga",
  "menyerahkan sertifikat pelatihan kepada warga binaan", "memeriksa kamar hunian secara menyeluruh", "meluncurkan inovasi pelayanan publik",
];
// Narration without titles of office: lib/text's sentences put "Kepala Kantor Wilayah" before a
// unit's name ("Kepala Kantor Wilayah Rutan Malang"), which no newsroom writes and which reads as
// a head named after the city.
const FILLER_SUBJECTS = ["Petugas pengamanan", "Tim pembinaan", "Para warga binaan", "Jajaran pimpinan", "Petugas layanan kunjungan", "Tim kesehatan", "Satuan tugas kepatuhan internal"];
const FILLER_VERBS = ["menggelar", "memastikan", "meninjau", "mengevaluasi", "menyiapkan", "melaksanakan", "memperkuat", "mengawasi", "membahas", "memantau"];
const FILLER_OBJECTS = [
  "program pembinaan kepribadian dan kemandirian", "pemeriksaan kamar hunian secara menyeluruh", "layanan kunjungan tatap muka bagi keluarga",
  "pelatihan keterampilan menjahit dan pertukangan", "pemeriksaan kesehatan rutin bagi warga binaan", "pendataan usulan remisi dan pembebasan bersyarat",
  "kegiatan keagamaan dan pembinaan rohani", "inovasi pelayanan publik berbasis digital", "kegiatan produksi roti dan kerajinan tangan",
];
const FILLER_TAILS = [
  "pada pagi hari", "di aula utama", "bersama perwakilan pemerintah daerah", "secara bergiliran di setiap blok", "dengan pengawasan ketat", "sebagai bagian dari program kerja tahunan",
];
const DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"];
const SAYS = ["mengatakan", "menyampaikan", "menjelaskan"];
const TRAILING = ["ujarnya", "katanya", "jelasnya", "tegasnya", "tuturnya", "ungkapnya", "tambahnya", "pungkasnya"];
const SHORT_ATTRIBUTIONS = ["kata", "ujar", "tegas", "jelas"];

interface Unit {
  kind: "Lapas" | "Rutan";
  full: string;
  short: string;
  city: string;
  classification: string;
  head: { first: string; name: string };
  /** The WBK year the unit's stories mention, when it has one. */
  wbk: number | null;
}

/** One unit per city, alternately a Lapas and a Rutan, each with a head of its own. */
function cast(): Unit[] {
  const classes = ["I", "IIA", "IIB", "III"];
  return CITIES.map(([city], i) => {
    const kind = i % 2 === 0 ? "Lapas" : "Rutan";
    const classification = classes[i % classes.length]!;
    const first = FIRST_NAMES[i % FIRST_NAMES.length]!;
    return {
      kind,
      full: `${kind === "Lapas" ? "Lembaga Pemasyarakatan (Lapas)" : "Rumah Tahanan Negara (Rutan)"} Kelas ${classification} ${city}`,
      short: `${kind} ${city}`,
      city,
      classification,
      // Distinct names: the importer rightly takes one name for one person.
      head: { first, name: `${first} ${LAST_NAMES[(i * 7 + Math.floor(i / FIRST_NAMES.length)) % LAST_NAMES.length]!}` },
      wbk: i % 3 === 0 ? 2020 + (i % 5) : null,
    };
  });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A sentence of narration, now and then naming the unit by its short form. */
function sentence(rnd: Random, unit: Unit): string {
  const at = rnd.chance(0.4) ? ` ${unit.short}` : "";
  return `${rnd.pick(FILLER_SUBJECTS)}${at} ${rnd.pick(FILLER_VERBS)} ${rnd.pick(FILLER_OBJECTS)} ${rnd.pick(FILLER_TAILS)}.`;
}

function headTitle(unit: Unit, abbreviated: boolean): string {
  if (unit.kind === "Lapas") return abbreviated ? `Kalapas ${unit.city}` : `Kepala Lapas ${unit.city}`;
  return abbreviated ? `Karutan ${unit.city}` : `Kepala Rutan ${unit.city}`;
}

/** Story `index` of a batch; title and outlet together differ from every other index below 42 × 20 × 8 × 4 = 26,880. */
function story(units: readonly Unit[], index: number, rnd: Random): string {
  const host = units[index % units.length]!;
  const action = ACTIONS[Math.floor(index / units.length) % ACTIONS.length]!;
  const tail = TAILS[Math.floor(index / (units.length * ACTIONS.length)) % TAILS.length]!;
  const outlet = OUTLETS[Math.floor(index / (units.length * ACTIONS.length * TAILS.length)) % OUTLETS.length]!;
  // A visitor whose head has another first name, so a short name stands for one person only.
  let visitor: Unit | null = null;
  if (rnd.chance(0.5)) {
    const candidates = units.filter((u) => u !== host && u.head.first !== host.head.first);
    visitor = rnd.pick(candidates);
  }

  const paragraphs: string[] = [];
  const award = host.wbk === null ? "" : `, yang meraih predikat Wilayah Bebas dari Korupsi (WBK) pada tahun ${host.wbk},`;
  paragraphs.push(`${host.city.toUpperCase()}, ${outlet} – ${host.full}${award} ${rnd.pick(LEAD_ACTS)} pada ${rnd.pick(DAYS)} (${rnd.int(1, 28)}/${rnd.int(1, 12)}). ${sentence(rnd, host)}`);
  paragraphs.push(`Kegiatan tersebut dipimpin langsung oleh ${headTitle(host, false)}, ${host.head.name}, bersama jajaran pejabat struktural. ${sentence(rnd, host)}`);
  if (visitor) {
    paragraphs.push(`Turut hadir ${headTitle(visitor, true)} ${visitor.head.name} beserta rombongan dari ${visitor.short}.`);
  }

  // The host's head speaks in the three common shapes; the order varies from story to story.
  const quotes = [
    () => `${host.head.name} ${rnd.pick(SAYS)}, “${capitalize(quoteText(rnd))}.”`,
    () => `“${capitalize(quoteText(rnd))},” ${rnd.pick(TRAILING)}.`,
    () => `“${capitalize(quoteText(rnd))},” ${rnd.pick(SHORT_ATTRIBUTIONS)} ${host.head.first}.`,
  ];
  const count = rnd.int(1, 3);
  // The first quote names its speaker, so a later "-nya" has someone to stand for.
  paragraphs.push(quotes[0]!());
  for (let q = 1; q < count; q++) {
    paragraphs.push(sentence(rnd, host));
    paragraphs.push(quotes[rnd.int(1, 2)]!());
  }
  if (visitor && rnd.chance(0.5)) {
    paragraphs.push(`Sementara itu, ${headTitle(visitor, true)} ${visitor.head.name} menyampaikan apresiasi atas sambutan ${host.short}.`);
    paragraphs.push(`“${capitalize(quoteText(rnd))},” ${rnd.pick(SHORT_ATTRIBUTIONS)} ${visitor.head.first}.`);
  }
  paragraphs.push(sentence(rnd, host));

  return [
    "banner 728x250",
    `${host.short} ${action}${tail}`,
    ...paragraphs,
    "Tinggalkan Balasan",
    "Alamat email Anda tidak akan dipublikasikan. Ruas yang wajib ditandai *",
  ].join("\n\n");
}

/** `count` stories from `seed`: the same seed gives the same texts on every machine. */
export function generateStories(count: number, seed = 10): string[] {
  const units = cast();
  const rnd = new Random(seed);
  return Array.from({ length: count }, (_, i) => story(units, i, rnd));
}

/** Writes `count` stories into `dir` as 0001.txt, 0002.txt… and returns the folder. */
export function writeStories(dir: string, count: number, seed = 10): string {
  fs.mkdirSync(dir, { recursive: true });
  const width = String(count).length;
  generateStories(count, seed).forEach((text, i) => fs.writeFileSync(path.join(dir, `${String(i + 1).padStart(width, "0")}.txt`), text));
  return dir;
}
