import { MAX_BODY_CHARS } from "../../../src/services/import/import.parser";

/*
 * The stories slowest to read that we know how to write, each with a body at the importer's
 * limit: every rule of the reading that looks around a place in the text (a name written
 * elsewhere, the institution before a verb, the holder of a post, the person last spoken about)
 * fed with as many such places as the body holds. Used by `npm run bench:import-adversarial`.
 */

/** The title and the dateline's lead before each body. */
export const LEAD = "Judul Berita Uji Bacaan Lambat\n\nJAKARTA, Contoh.id – ";

export const CITIES = ["Banyuwangi", "Bojonegoro", "Binjai", "Tuban", "Malang", "Kediri", "Jember", "Madiun", "Blitar", "Sampang", "Pamekasan", "Sumenep", "Gresik", "Lamongan", "Sidoarjo", "Medan", "Padang", "Jambi", "Bengkulu", "Serang"];

/** A capitalised word of syllables spelling `n` (distinct for distinct n below 512,000). */
export function word(n: number): string {
  let w = "";
  for (let k = 0; k < 3; k++, n = Math.floor(n / 80)) w += "bcdfghjklmnprstw"[n % 16]! + "aiueo"[Math.floor(n / 16) % 5]!;
  return w[0]!.toUpperCase() + w.slice(1);
}

/** A two-word name no other `i` has. */
export const nameOf = (i: number): string => `${word(i)} ${word((i * 7919 + 13) % 512_000)}`;

const LEXICON = [
  "Kepala", "Lapas", "Rutan", "Kalapas", "Karutan", "Kanwil", "Kakanwil", "Kemenkumham", "Ditjenpas", "Lembaga Pemasyarakatan", "Kelas", "IIA", "Banyuwangi",
  "Binjai", "I", "Wayan", "WBK", "WBBM", "meraih", "predikat", "2023", "di", "bawah", "jajaran", "Kasi", "Binadik", "Kepala Seksi", "Wilayah Bebas dari Korupsi",
  "“", "”", '"', ",", "ujarnya", "mengatakan", "menurut", "dipimpin", "kini", "menjabat", "sebagai", "(", ")", "Hari", "Winarca", "Kota", "Kabupaten", "mantan",
  "akan", ".", "Menteri Hukum dan HAM", "Dirjenpas", "Ia", "tegas", "Kantor Wilayah", "Balai", "Bapas", "LPKA", "Rumah Tahanan Negara", "Jawa Timur",
  "Kapolsek", "AKP", "Pemilik", "CV", "melalui", "yakni", "seorang", "peserta", "Salah satu", "Wakil", "Plt.", "S.H.", "Kasubsi", "tersebut", "UPT",
];

/** Units (by index) joined by `separator`, as many whole ones as the body limit holds. */
export function body(unit: (i: number) => string, separator = " "): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; ; i++) {
    const next = unit(i);
    if (size + next.length + (i > 0 ? separator.length : 0) > MAX_BODY_CHARS) break;
    size += next.length + (i > 0 ? separator.length : 0);
    parts.push(next);
  }
  return parts.join(separator);
}

/** A seeded generator of [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const soup = (seed: number, paragraphEvery: number): ((i: number) => string) => {
  const r = random(seed);
  return (i) => (paragraphEvery > 0 && i % paragraphEvery === paragraphEvery - 1 ? "\n\n" : "") + LEXICON[Math.floor(r() * LEXICON.length)]!;
};

/** Each story's name and body (without LEAD). */
export const ADVERSARIAL_STORIES: ReadonlyArray<readonly [name: string, body: () => string]> = [
  ["a head's title, city and name, repeated", () => body(() => "Kalapas Banyuwangi I Wayan Nurasta Wibawa")],
  ["a head's title, institution and name, repeated", () => body(() => "Kepala Lapas Bojonegoro, Hari Winarca,")],
  ["distinct 'Kalapas <city> <name>'", () => body((i) => `Kalapas ${CITIES[i % CITIES.length]} ${nameOf(i)}`)],
  ["distinct 'Kalapas <unknown place> <name>'", () => body((i) => `Kalapas ${word(i * 7)} ${nameOf(i)}`)],
  ["distinct 'Karutan <city> <three names>'", () => body((i) => `Karutan ${CITIES[i % CITIES.length]} ${nameOf(i)} ${word(i + 3)}`)],
  ["'Kalapas <name>' then 'Kalapas <place> <the name>', many", () => body((i) => (i % 2 === 0 ? "Kalapas Hari Winarca" : `Kalapas ${word(i)} Hari Winarca`))],
  ["distinct '<name>, kini menjabat Kepala Lapas <city>'", () => body((i) => `${nameOf(i)}, kini menjabat Kepala Lapas ${CITIES[i % CITIES.length]}`)],
  ["distinct 'menggantikan <name> yang kini menjabat Kasi Binadik'", () => body((i) => `menggantikan ${nameOf(i)} yang kini menjabat Kasi Binadik`)],
  ["a lower post's words, repeated", () => body(() => "Kasi Binadik Pembinaan")],
  ["distinct 'Kasi Binadik <name>,'", () => body((i) => `Kasi Binadik ${nameOf(i)},`)],
  ["posts without their unit in a story of one unit: 'Kasubsi Registrasi, <name>,'", () => body((i) => (i === 0 ? "Lapas Banyuwangi." : `Kasubsi Registrasi, ${nameOf(i)},`))],
  ["'Kepala Rutan Binjai melalui Kasi Binadik, <name>', repeated", () => body((i) => `Kepala Rutan Binjai melalui Kasi Binadik, ${nameOf(i)}.`)],
  ["distinct 'Kapolsek <place>, AKP <name>'", () => body((i) => `Kapolsek ${word(i)}, AKP ${nameOf(i)}`)],
  ["distinct 'Pemilik CV <name>, <name>'", () => body((i) => `Pemilik CV ${word(i)} Jaya, ${nameOf(i)},`)],
  ["role appositions: 'Salah satu peserta, <name> (34), mengaku'", () => body((i) => `Salah satu peserta, ${nameOf(i)} (34), mengaku senang.`)],
  ["one sentence of people named and unnamed", () => body((i) => `seorang ibu, ${nameOf(i % 50)}, dan`)],
  ["quotes, each with its speaker", () => body((i) => `“Kami bekerja keras setiap hari untuk warga ${i},” ujar ${nameOf(i)}.`)],
  ["quotes, each with a short name", () => body((i) => `“Kami bekerja keras setiap hari,” tegas ${word(i)}.`)],
  ["quotes by a short name many people share", () => `${body((i) => `Kasi Binadik Lapas Tuban, Budi ${word(i)}, hadir.`).slice(0, MAX_BODY_CHARS / 2)} ${body((i) => `“Kami bekerja keras ${i},” tegas Budi.`).slice(0, MAX_BODY_CHARS / 2 - 2)}`],
  ["'Hari ini' after a person named Hari", () => `Kalapas Tuban, Hari Winarca, hadir. ${body(() => "Hari ini.")}`.slice(0, MAX_BODY_CHARS)],
  ["nested curly quotes", () => body(() => "“ “ “ ” ”")],
  ["curly and straight quotes mixed", () => body(() => '“ " ” " “')],
  ["one paragraph without punctuation", () => body(() => "kata biasa tanpa tanda baca sama sekali")],
  ["distinct capitalised words", () => body((i) => word(i))],
  ["opening parentheses", () => body(() => "(", "")],
  ["a name and a chain of degrees", () => `Kasi Binadik, Budi Santoso ${body(() => "S.H.,")}`.slice(0, MAX_BODY_CHARS)],
  ["full names with brackets", () => body(() => "Lembaga Pemasyarakatan (Lapas) Kelas IIA Banyuwangi (x)")],
  ["awards in one sentence, unpaired", () => body(() => "Lapas Banyuwangi dan Rutan Binjai meraih WBK WBBM 2023")],
  ["an institution, then award verbs without predicates", () => `Lapas Banyuwangi ${body(() => "meraih")} WBK 2023`.slice(0, MAX_BODY_CHARS)],
  ["awards with their holders listed after", () => body((i) => `meraih WBK 2023, yakni Lapas ${CITIES[i % CITIES.length]}, Rutan ${CITIES[(i + 1) % CITIES.length]} dan`)],
  ["units listed under a body", () => body(() => "Lapas Banyuwangi, Rutan Binjai dan")],
  ["'UPT Pemasyarakatan di bawah Kemenkumham', repeated", () => body(() => "UPT Pemasyarakatan di bawah Kemenkumham")],
  ["distinct units, then 'UPT tersebut di bawah Kanwil', repeated", () => body((i) => (i % 2 === 0 ? `Lapas ${word(i)}` : "UPT tersebut di bawah Kanwil Jawa Timur"))],
  ["'mantan Kalapas <city> <name>', repeated", () => body(() => "mantan Kalapas Banyuwangi Hari Winarca")],
  ["'… yang dipimpin Kalapas …', repeated", () => body(() => "Lapas Banyuwangi yang dipimpin Kalapas Hari Winarca")],
  ["a soup of the lexicon's words", () => body(soup(1, 0))],
  ["a soup of the lexicon's words, in paragraphs", () => body(soup(3, 50))],
];
