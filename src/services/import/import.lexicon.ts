import { InstitutionKind } from "../../kernel/institution-kind";

/*
 * The words the importer knows. Every rule reads its forms from these lists, so a form the
 * extractor misses is usually one entry here, not a new rule.
 */

/** Correctional units and the regional office: full form, abbreviation, and the abbreviated head's title. */
export interface KindForm {
  kind: InstitutionKind;
  /** Full names as written in the field, longest first ("Rumah Tahanan Negara" before "Rumah Tahanan"). */
  full: string[];
  /** The usual abbreviation ("Lapas"). */
  abbreviations: string[];
  /** One-word head titles that contain the abbreviation ("Kalapas"). */
  headAbbreviations: string[];
  /** The head's title in full (Kalapas → Kepala Lapas; Kakanwil → Kepala Kantor Wilayah). */
  headTitle: string;
}

export const UNIT_KINDS: KindForm[] = [
  { kind: InstitutionKind.LPKA, full: ["Lembaga Pembinaan Khusus Anak"], abbreviations: ["LPKA"], headAbbreviations: [], headTitle: "Kepala LPKA" },
  { kind: InstitutionKind.LAPAS, full: ["Lembaga Pemasyarakatan"], abbreviations: ["Lapas", "LPP"], headAbbreviations: ["Kalapas"], headTitle: "Kepala Lapas" },
  { kind: InstitutionKind.RUTAN, full: ["Rumah Tahanan Negara", "Rumah Tahanan"], abbreviations: ["Rutan"], headAbbreviations: ["Karutan"], headTitle: "Kepala Rutan" },
  { kind: InstitutionKind.BAPAS, full: ["Balai Pemasyarakatan"], abbreviations: ["Bapas"], headAbbreviations: ["Kabapas"], headTitle: "Kepala Bapas" },
];

export const KANWIL_FORM: KindForm = {
  kind: InstitutionKind.KANWIL,
  full: ["Kantor Wilayah"],
  abbreviations: ["Kanwil"],
  headAbbreviations: ["Kakanwil"],
  headTitle: "Kepala Kantor Wilayah",
};

/** The bodies above the units. `key` says which forms are one body. */
export interface OrganisationForm {
  key: string;
  kind: InstitutionKind;
  full: string[];
  abbreviations: string[];
  /** The head's title in full, and the forms it is written in. */
  headTitle: string;
  headForms: string[];
}

export const ORGANISATIONS: OrganisationForm[] = [
  {
    key: "kemenkumham",
    kind: InstitutionKind.MINISTRY,
    full: ["Kementerian Hukum dan Hak Asasi Manusia", "Kementerian Hukum dan HAM"],
    abbreviations: ["Kemenkumham", "Kemenkum HAM"],
    headTitle: "Menteri Hukum dan HAM",
    headForms: ["Menteri Hukum dan Hak Asasi Manusia", "Menteri Hukum dan HAM", "Menkumham"],
  },
  {
    key: "kemenimipas",
    kind: InstitutionKind.MINISTRY,
    full: ["Kementerian Imigrasi dan Pemasyarakatan"],
    abbreviations: ["Kemenimipas", "Kementerian Imipas", "Kemen Imipas"],
    headTitle: "Menteri Imigrasi dan Pemasyarakatan",
    headForms: ["Menteri Imigrasi dan Pemasyarakatan", "Menimipas", "Menteri Imipas"],
  },
  {
    // The ministry of law alone, as it has been named since the 2024 split.
    key: "kemenkum",
    kind: InstitutionKind.MINISTRY,
    full: ["Kementerian Hukum"],
    abbreviations: ["Kemenkum"],
    headTitle: "Menteri Hukum",
    headForms: ["Menteri Hukum"],
  },
  {
    key: "ditjenpas",
    kind: InstitutionKind.DITJEN,
    full: ["Direktorat Jenderal Pemasyarakatan"],
    abbreviations: ["Ditjenpas", "Ditjen PAS", "Ditjen Pemasyarakatan"],
    headTitle: "Direktur Jenderal Pemasyarakatan",
    headForms: ["Direktur Jenderal Pemasyarakatan", "Dirjenpas", "Dirjen PAS", "Dirjen Pemasyarakatan"],
  },
];

/** Words that name a special unit between the kind and the class ("Lapas Narkotika Kelas IIA …"). */
export const UNIT_TYPES = ["Narkotika", "Perempuan", "Terbuka", "Khusus", "Industri", "Pemuda", "Anak"];
/** Abbreviations that name the unit type with the kind: "LPP Palembang" is the Lapas Perempuan of Palembang. */
export const TYPED_ABBREVIATIONS: Record<string, string> = { LPP: "Perempuan" };

/** How the units rank under the bodies above them; a parent must rank higher than its child. */
export const RANK: Record<InstitutionKind, number> = {
  LAPAS: 0,
  RUTAN: 0,
  LPKA: 0,
  BAPAS: 0,
  OTHER: 0,
  KANWIL: 1,
  DITJEN: 2,
  MINISTRY: 3,
};

/** Second words of place names: compass points and the like ("Jakarta Timur", "Papua Barat Daya"). */
export const PLACE_CONTINUATIONS = new Set(["Timur", "Barat", "Utara", "Selatan", "Tengah", "Tenggara", "Pusat", "Raya", "Daya", "Laut", "Baru", "Besar", "Kota", "Kabupaten"]);
/** First words of place names that take the next word with them ("Tanjung Pinang", "Nusa Tenggara"). */
export const PLACE_PREFIXES = new Set([
  "Tanjung", "Pangkal", "Bandar", "Kota", "Muara", "Gunung", "Pulau", "Nusa", "Pondok", "Batu", "Tanah", "Sungai", "Teluk", "Kuala", "Lubuk",
  "Labuhan", "Tebing", "Pematang", "Padang", "Bukit", "Sei", "Jawa", "Sumatera", "Sumatra", "Kalimantan", "Sulawesi", "Papua", "Maluku",
  "Kepulauan", "Bangka", "Daerah", "Istimewa", "DKI", "Kabupaten", "Rantau", "Tulang", "Lhok", "Kayu", "Air",
]);
/** Capitalised words that never start a place after a kind: days, months, and words of a sentence. */
export const NOT_PLACES = new Set([
  "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
  "September", "Oktober", "November", "Desember", "Kelas", "Negara", "Dan", "Di", "Ke", "Dari", "Pada", "Yang", "Untuk", "Dalam", "Se", "Ini", "Itu",
  "Tersebut", "Kepala", "Pemasyarakatan", "Provinsi", "Wilayah", "Jadi", "Raih", "Sukses",
  // Kind words: "Kantor Wilayah Rutan Pamekasan" is no Kanwil of a place called "Rutan".
  "Lapas", "Rutan", "Bapas", "Kanwil", "Lembaga", "Rumah", "Balai", "Kantor", "Kementerian", "Direktorat", "Ditjenpas", "Kemenkumham",
  "Kemenimipas", "Kemenkum",
]);

/**
 * Regencies and cities with a Lapas, Rutan, LPKA or Bapas (the main ones, and the prison districts
 * the press names them by), so "Karutan Binjai Iwan Wibowo" reads as the head of Rutan Binjai.
 */
export const CORRECTIONAL_CITIES = new Set(
  [
    // Sumatera
    "Banda Aceh", "Lhokseumawe", "Langsa", "Sabang", "Meulaboh", "Takengon", "Sigli", "Bireuen", "Kutacane", "Tapaktuan", "Singkil", "Calang",
    "Blangpidie", "Lhoksukon", "Kualasimpang", "Jantho", "Medan", "Binjai", "Tebing Tinggi", "Pematangsiantar", "Pematang Siantar", "Siantar",
    "Tanjung Balai", "Tanjungbalai", "Sibolga", "Padangsidimpuan", "Padang Sidempuan", "Kabanjahe", "Lubuk Pakam", "Labuhan Deli", "Tanjung Gusta",
    "Rantauprapat", "Rantau Prapat", "Kisaran", "Balige", "Tarutung", "Gunungsitoli", "Gunung Sitoli", "Sidikalang", "Stabat", "Pangkalan Brandan",
    "Panyabungan", "Padang", "Bukittinggi", "Payakumbuh", "Solok", "Sawahlunto", "Pariaman", "Padang Panjang", "Painan", "Lubuk Basung",
    "Lubuk Sikaping", "Muaro Sijunjung", "Batusangkar", "Pekanbaru", "Dumai", "Bengkalis", "Selat Panjang", "Tembilahan", "Rengat", "Bangkinang",
    "Pasir Pengaraian", "Siak", "Teluk Kuantan", "Bagansiapiapi", "Tanjung Pinang", "Tanjungpinang", "Batam", "Karimun", "Tanjung Balai Karimun",
    "Tarempa", "Dabo Singkep", "Ranai", "Jambi", "Kuala Tungkal", "Muara Bungo", "Muara Bulian", "Muara Tebo", "Sungai Penuh", "Bangko", "Sarolangun",
    "Palembang", "Lubuklinggau", "Lubuk Linggau", "Prabumulih", "Pagar Alam", "Lahat", "Muara Enim", "Baturaja", "Kayuagung", "Kayu Agung", "Sekayu",
    "Pangkalpinang", "Pangkal Pinang", "Tanjungpandan", "Tanjung Pandan", "Sungailiat", "Muntok", "Toboali", "Bengkulu", "Curup", "Arga Makmur",
    "Bandar Lampung", "Metro", "Kotabumi", "Kalianda", "Menggala", "Kota Agung", "Sukadana", "Gunung Sugih", "Liwa", "Way Hui",
    // Jawa
    "Jakarta", "Cipinang", "Salemba", "Pondok Bambu", "Bekasi", "Depok", "Bogor", "Paledang", "Tangerang", "Serang", "Cilegon", "Pandeglang",
    "Rangkasbitung", "Bandung", "Sukamiskin", "Banceuy", "Cimahi", "Garut", "Tasikmalaya", "Ciamis", "Banjar", "Sumedang", "Subang", "Purwakarta",
    "Karawang", "Cianjur", "Sukabumi", "Cibinong", "Cirebon", "Indramayu", "Majalengka", "Kuningan", "Gunung Sindur", "Semarang", "Kendal", "Demak",
    "Kudus", "Pati", "Jepara", "Rembang", "Blora", "Purwodadi", "Salatiga", "Ambarawa", "Boyolali", "Surakarta", "Solo", "Klaten", "Sragen",
    "Sukoharjo", "Wonogiri", "Karanganyar", "Magelang", "Temanggung", "Wonosobo", "Purworejo", "Kebumen", "Banjarnegara", "Purbalingga",
    "Purwokerto", "Banyumas", "Cilacap", "Nusakambangan", "Tegal", "Slawi", "Brebes", "Pemalang", "Pekalongan", "Batang", "Yogyakarta",
    "Wirogunan", "Sleman", "Bantul", "Wates", "Wonosari", "Surabaya", "Sidoarjo", "Porong", "Medaeng", "Gresik", "Lamongan", "Tuban", "Bojonegoro",
    "Mojokerto", "Jombang", "Kediri", "Nganjuk", "Madiun", "Ngawi", "Magetan", "Ponorogo", "Pacitan", "Trenggalek", "Tulungagung", "Blitar",
    "Malang", "Lowokwaru", "Batu", "Pasuruan", "Bangil", "Probolinggo", "Kraksaan", "Lumajang", "Jember", "Bondowoso", "Situbondo", "Banyuwangi",
    "Bangkalan", "Sampang", "Pamekasan", "Sumenep",
    // Bali, Nusa Tenggara
    "Denpasar", "Kerobokan", "Karangasem", "Amlapura", "Bangli", "Gianyar", "Klungkung", "Tabanan", "Singaraja", "Buleleng", "Mataram", "Selong",
    "Praya", "Sumbawa Besar", "Sumbawa", "Dompu", "Bima", "Kupang", "Atambua", "Kefamenanu", "Soe", "Ende", "Maumere", "Larantuka", "Kalabahi",
    "Waingapu", "Waikabubak", "Ruteng", "Bajawa", "Labuan Bajo",
    // Kalimantan
    "Pontianak", "Singkawang", "Sambas", "Mempawah", "Ngabang", "Sanggau", "Sintang", "Putussibau", "Ketapang", "Bengkayang", "Sekadau",
    "Palangka Raya", "Palangkaraya", "Sampit", "Pangkalan Bun", "Kuala Kapuas", "Muara Teweh", "Buntok", "Kasongan", "Kuala Kurun",
    "Tamiang Layang", "Banjarmasin", "Banjarbaru", "Martapura", "Kandangan", "Barabai", "Amuntai", "Kotabaru", "Pelaihari", "Marabahan",
    "Batulicin", "Samarinda", "Balikpapan", "Bontang", "Tenggarong", "Tanah Grogot", "Sendawar", "Tanjung Redeb", "Tarakan", "Nunukan",
    "Tanjung Selor", "Malinau",
    // Sulawesi
    "Manado", "Tondano", "Bitung", "Kotamobagu", "Tahuna", "Amurang", "Gorontalo", "Limboto", "Marisa", "Palu", "Poso", "Luwuk", "Tolitoli",
    "Parigi", "Donggala", "Ampana", "Kolonodale", "Banggai", "Makassar", "Maros", "Pangkajene", "Barru", "Parepare", "Sidrap", "Pinrang",
    "Enrekang", "Makale", "Palopo", "Masamba", "Malili", "Sengkang", "Watampone", "Bone", "Watansoppeng", "Sinjai", "Bulukumba", "Bantaeng",
    "Jeneponto", "Takalar", "Sungguminasa", "Gowa", "Selayar", "Mamuju", "Majene", "Polewali", "Pasangkayu", "Kendari", "Baubau", "Raha", "Kolaka",
    "Unaaha", "Andoolo", "Wangi Wangi",
    // Maluku, Papua
    "Ambon", "Masohi", "Tual", "Saumlaki", "Namlea", "Piru", "Dobo", "Ternate", "Tobelo", "Labuha", "Soasio", "Jailolo", "Jayapura", "Abepura",
    "Merauke", "Wamena", "Nabire", "Timika", "Biak", "Serui", "Sorong", "Manokwari", "Fakfak", "Kaimana", "Sarmi",
  ].map((c) => c.toLowerCase()),
);
/** Cities above that are also given names ("Bima Arya"): only the story itself can tell which one a head's title is followed by. */
export const CITIES_ALSO_NAMES = new Set(["bima", "soe", "raha", "batu", "metro", "solo", "banjar", "bone", "pati"]);
/** Words a person's name starts with and a place does not ("Kalapas Banyuwangi I Wayan …", "Karutan Muhammad Rizki …"). */
export const NAME_START_WORDS = [
  "I", "Ni", "Made", "Wayan", "Kadek", "Komang", "Ketut", "Putu", "Nyoman", "Gede", "Gusti", "Ida", "Luh", "Muhammad", "Mohammad", "Mohamad",
  "Muhamad", "Mochammad", "Mochamad", "Moch", "Moh", "Muh", "Ahmad", "Achmad", "Abdul", "Siti", "Sri", "Nur",
];

/** The provinces, for a stated province ("Lapas Banyuwangi, Jawa Timur") and a Kanwil's region. */
export const PROVINCES = [
  "Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Kepulauan Riau", "Jambi", "Sumatera Selatan", "Kepulauan Bangka Belitung", "Bangka Belitung",
  "Bengkulu", "Lampung", "DKI Jakarta", "Jakarta", "Jawa Barat", "Banten", "Jawa Tengah", "Daerah Istimewa Yogyakarta", "DI Yogyakarta", "Yogyakarta", "Jawa Timur",
  "Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur", "Kalimantan Barat", "Kalimantan Tengah", "Kalimantan Selatan", "Kalimantan Timur",
  "Kalimantan Utara", "Sulawesi Utara", "Gorontalo", "Sulawesi Tengah", "Sulawesi Barat", "Sulawesi Selatan", "Sulawesi Tenggara", "Maluku",
  "Maluku Utara", "Papua", "Papua Barat", "Papua Barat Daya", "Papua Selatan", "Papua Tengah", "Papua Pegunungan",
];
/** Short forms of provinces, so "Kanwil Ditjenpas Jatim" and "Kanwil Ditjenpas Jawa Timur" are one office. */
export const PROVINCE_ABBREVIATIONS: Record<string, string> = {
  jatim: "jawa timur", jateng: "jawa tengah", jabar: "jawa barat", diy: "daerah istimewa yogyakarta", "di yogyakarta": "daerah istimewa yogyakarta", yogyakarta: "daerah istimewa yogyakarta",
  jakarta: "dki jakarta", dki: "dki jakarta", sumut: "sumatera utara", sumbar: "sumatera barat", sumsel: "sumatera selatan", kepri: "kepulauan riau",
  babel: "kepulauan bangka belitung", "bangka belitung": "kepulauan bangka belitung", ntb: "nusa tenggara barat", ntt: "nusa tenggara timur",
  kalbar: "kalimantan barat", kalteng: "kalimantan tengah", kalsel: "kalimantan selatan", kaltim: "kalimantan timur", kaltara: "kalimantan utara",
  sulut: "sulawesi utara", sulteng: "sulawesi tengah", sulbar: "sulawesi barat", sulsel: "sulawesi selatan", sultra: "sulawesi tenggara",
  malut: "maluku utara", pabar: "papua barat",
};
/** Province short forms written in capitals, which the place rule (a capital then small letters) would not read. */
export const CAPITAL_PROVINCE_FORMS = ["NTB", "NTT", "DIY", "DI Yogyakarta", "DKI Jakarta"];

/** Words of attribution after a quote ("…,” ujar Wayan"), each also with -nya ("ujarnya"). */
export const ATTRIBUTION_VERBS = [
  "ujar", "kata", "tegas", "jelas", "ungkap", "tutur", "tambah", "pungkas", "terang", "sebut", "lanjut", "imbuh", "papar", "ucap", "harap",
  "urai", "tukas", "timpal", "seru", "ajak", "pesan", "kenang", "aku", "beber", "tandas", "sambung", "katakan", "tanya", "klaim", "nilai",
  "akui", "ingat", "paparkan", "jelaskan", "tegaskan", "ungkapkan", "sampaikan", "tambahkan", "imbau",
];
/** Verbs of saying before a quote ("X mengatakan, “…”") or after it ("…,” Wayan menegaskan). */
export const SAYING_VERBS = [
  "mengatakan", "menyampaikan", "menegaskan", "menjelaskan", "mengungkapkan", "menuturkan", "menambahkan", "memaparkan", "menerangkan",
  "menyebutkan", "menyebut", "berujar", "berkata", "mengucapkan", "berpesan", "mengajak", "menekankan", "mengimbau", "berharap", "melanjutkan",
  "mengaku", "mengakui", "membeberkan", "menandaskan", "menuturkan", "mengingatkan", "menilai", "mengklaim", "bertutur", "bercerita",
  "menceritakan", "menyatakan", "menanggapi", "menambahkan", "mengemukakan", "mengatakannya", "menyampaikannya", "menjawab", "bertanya",
];
/** "Menurut X, “…”" */
export const ACCORDING_TO = ["menurut", "kata", "ujar"];
/** Words that stand for the person the story is speaking about. */
export const PRONOUNS = ["ia", "dia", "beliau"];

/** Honorifics written before a name; not part of it. */
export const HONORIFICS = new Set(["bapak", "pak", "ibu", "bu", "h", "hj", "dr", "drs", "dra", "ir", "prof", "kh", "k.h", "hc", "dr.h", "tn", "ny", "sdr", "sdri"]);
/** Degrees without dots; dotted ones (S.H., A.Md.IP.) are read by shape. */
export const UNDOTTED_DEGREES = new Set([
  "sh", "mh", "se", "mm", "msi", "ssos", "sip", "spd", "mpd", "mkn", "st", "mt", "skom", "amd", "amdip", "mhum", "phd", "mba", "ma", "msc", "bsc",
  "sag", "mag", "shi", "shum", "sstp", "mpa", "map", "ak", "cpa", "spsi", "mpsi", "skm", "skep", "ners", "llm", "bcip",
]);

/** Posts below the head: the forms a post's title starts with, the title they mean in full, and the kinds of institution that have the post. */
const UNITS = [InstitutionKind.LAPAS, InstitutionKind.RUTAN, InstitutionKind.LPKA, InstitutionKind.BAPAS];
export const LOWER_POSTS: Array<{ forms: string[]; title: string; at: InstitutionKind[] }> = [
  { forms: ["Kepala Kesatuan Pengamanan", "KPLP", "Ka. KPLP"], title: "Kepala Kesatuan Pengamanan", at: [InstitutionKind.LAPAS, InstitutionKind.LPKA] },
  { forms: ["Kepala Subseksi", "Kepala Sub Seksi", "Kasubsi", "Kasubsie"], title: "Kepala Subseksi", at: UNITS },
  { forms: ["Kepala Seksi", "Kasi", "Kasie"], title: "Kepala Seksi", at: UNITS },
  { forms: ["Kepala Subbagian", "Kepala Sub Bagian", "Kasubbag", "Kasubag"], title: "Kepala Subbagian", at: [...UNITS, InstitutionKind.KANWIL] },
  { forms: ["Kepala Bagian", "Kabag"], title: "Kepala Bagian", at: [...UNITS, InstitutionKind.KANWIL] },
  { forms: ["Kepala Bidang", "Kabid"], title: "Kepala Bidang", at: [InstitutionKind.KANWIL] },
  { forms: ["Kepala Divisi", "Kadiv"], title: "Kepala Divisi", at: [InstitutionKind.KANWIL] },
  { forms: ["Kepala Urusan", "Kaur"], title: "Kepala Urusan", at: UNITS },
  { forms: ["Kepala Pengamanan Rutan"], title: "Kepala Pengamanan Rutan", at: [InstitutionKind.RUTAN] },
  { forms: ["Pembimbing Kemasyarakatan", "PK"], title: "Pembimbing Kemasyarakatan", at: [InstitutionKind.BAPAS] },
  { forms: ["Kadivpas", "Kadiv PAS"], title: "Kepala Divisi Pemasyarakatan", at: [InstitutionKind.KANWIL] },
];
/** Words a lower post's name is made of, so the title can end where the person's name begins without a comma. */
export const POST_WORDS = new Set(
  (
    "pembinaan bimbingan kemasyarakatan kegiatan kerja administrasi keamanan ketertiban registrasi perawatan pelayanan tahanan pengelolaan " +
    "umum kepegawaian keuangan narapidana anak didik pendidikan keperawatan binadik giatja adkamtib kamtib portatib bimkemaswat pengamanan " +
    "pengawasan penindakan informasi teknologi perlengkapan klien dewasa rumah tangga tata usaha program evaluasi pelaporan sarana prasarana " +
    "kesehatan pemasyarakatan pelayanan hukum hak asasi manusia ham imigrasi rehabilitasi reintegrasi sosial bimaswat yankum divisi ahli pertama " +
    "muda madya utama penyelia terampil mahir bimker pembimbing pemeriksa jabatan fungsional intelijen deteksi dini kepatuhan internal dan / &"
  ).split(/\s+/),
);
/** "mantan Kalapas …": the post is not current. */
export const FORMER = new Set(["mantan", "eks", "bekas", "purna", "purnatugas"]);

/** The Zona Integritas predicates. */
export const PREDICATES: Array<{ code: "WBK" | "WBBM"; title: string; forms: string[] }> = [
  { code: "WBBM", title: "Wilayah Birokrasi Bersih dan Melayani", forms: ["Wilayah Birokrasi Bersih dan Melayani", "WBBM"] },
  { code: "WBK", title: "Wilayah Bebas dari Korupsi", forms: ["Wilayah Bebas dari Korupsi", "Wilayah Bebas Korupsi", "WBK"] },
];
/** Verbs saying an institution earned or holds a predicate; `passive` ones put the institution after them. */
export const AWARD_VERBS: Array<{ word: string; passive: boolean }> = [
  ...["meraih", "raih", "memperoleh", "mendapatkan", "mendapat", "menerima", "menyabet", "mengantongi", "menyandang", "berpredikat", "dianugerahi", "diganjar", "menggondol", "memboyong", "peraih", "penerima"].map((word) => ({ word, passive: false })),
  ...["diraih", "diperoleh", "didapat", "didapatkan", "diterima", "disabet", "dikantongi", "disandang", "diberikan", "dianugerahkan", "diserahkan"].map((word) => ({ word, passive: true })),
  ...["ditetapkan sebagai", "dinobatkan sebagai", "dinyatakan"].map((word) => ({ word, passive: false })),
];
/** Verbs of announcing: "Kanwil X mengumumkan tiga UPT meraih …" makes the office no holder of the award. */
export const ANNOUNCING_VERBS = new Set(["mengumumkan", "menetapkan", "mengusulkan", "melaporkan", "mencatat", "mengapresiasi", ...SAYING_VERBS]);
/** Words that open the list of holders after an award ("… meraih WBK tahun 2023, yakni Lapas A dan Rutan B"). */
export const LIST_OPENERS = ["yakni", "yaitu", "antara lain", "di antaranya", "ialah", "adalah"];
/** Words just before an award verb that make it a wish, a plan or a failure, not a fact. */
export const NOT_YET = new Set([
  "akan", "ingin", "berharap", "harap", "bertekad", "menargetkan", "target", "targetkan", "siap", "untuk", "belum", "gagal", "berupaya", "upaya",
  "berusaha", "usaha", "mengejar", "diusulkan", "calon", "demi", "agar", "supaya", "bisa", "dapat", "mampukah", "semoga", "mimpi", "impian", "cita-cita", "tidak", "bukan", "menuju",
]);

/** Ranks of the police and the armed forces, written before a name and not part of it ("AKP Budi Hartono", "Kombes Pol Fahmi"). */
export const RANKS = new Set([
  "Jenderal", "Komjen", "Irjen", "Brigjen", "Kombes", "Kombespol", "AKBP", "Kompol", "AKP", "Iptu", "Ipda", "Aiptu", "Aipda", "Bripka", "Brigpol",
  "Brigadir", "Briptu", "Bripda", "Bharaka", "Bharatu", "Bharada", "Pol", "Letjen", "Mayjen", "Kolonel", "Letkol", "Mayor", "Kapten", "Lettu", "Letda",
  "Peltu", "Pelda", "Serma", "Serka", "Sertu", "Serda", "Kopka", "Koptu", "Kopda", "Praka", "Pratu", "Prada",
]);
/** Heads of police units, written like "Kalapas": "Kapolsek Kalipuro" is the head of Polsek Kalipuro. */
export const POLICE_HEADS = ["Kapolsek", "Kapolres", "Kapolresta", "Kapolrestabes", "Kapolda"];
/** Legal forms that begin the name of a company, cooperative or foundation ("CV Tenun Jaya", "PT Komodo Bahari Resort"). */
export const LEGAL_FORMS = ["PT", "CV", "UD", "Koperasi", "Yayasan"];
/**
 * Titles of posts outside the correctional service ("Pemilik CV Tenun Jaya, Nyimas Ratna Sari"): the
 * person named after them is read; the post only at a body the importer stores (a correctional
 * unit, a police unit, a body named with its legal form). Words that are also names ("Hakim",
 * as in Lukman Hakim) are left out.
 */
export const OUTSIDE_TITLES = [
  "Ketua", "Wakil Ketua", "Sekretaris", "Bendahara", "Koordinator", "Direktur Utama", "Direktur", "Manajer", "Pemilik", "Pengelola", "Pendiri",
  "Rektor", "Dekan", "Dosen", "Guru", "Instruktur", "Pelatih", "Camat", "Lurah", "Bupati", "Wakil Bupati", "Wali Kota", "Wakil Wali Kota",
  "Gubernur", "Wakil Gubernur", "Kades", "Kadis", "Kasat", "Kanit", "Danramil", "Dandim", "Kajari", "Kajati", "Psikolog",
  "Dokter", "Anggota", "Pimpinan", "Ustaz", "Ustadz", "Pendeta", "Penyuluh", "Pendamping", "Pengasuh",
];
/** Roles a name stands in apposition to at the head of a sentence ("Salah satu peserta, Dewi (34), mengaku …"). */
export const ROLES = [
  "peserta", "pengunjung", "warga binaan", "warga", "narapidana", "napi", "tahanan", "klien", "anak binaan", "orang tua", "ibu", "istri", "suami",
  "pedagang", "pembeli", "perajin", "pengrajin", "siswa", "mahasiswa", "relawan", "korban", "saksi", "pengusaha", "nelayan", "petani",
];
