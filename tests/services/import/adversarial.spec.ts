import "reflect-metadata";
import fc from "fast-check";
import {
  ATTRIBUTION_VERBS,
  AWARD_VERBS,
  CORRECTIONAL_CITIES,
  HONORIFICS,
  KANWIL_FORM,
  LOWER_POSTS,
  NAME_START_WORDS,
  ORGANISATIONS,
  OUTSIDE_TITLES,
  POLICE_HEADS,
  PREDICATES,
  PROVINCES,
  ROLES,
  SAYING_VERBS,
  UNIT_KINDS,
} from "../../../src/services/import/import.lexicon";
import { useTestServer } from "../../helpers/fixture";
import { dataOf } from "../../helpers/server";
import type { GraphQLResponse } from "../../helpers/server";
import { bearer, mintToken } from "../../helpers/tokens";

/*
 * Red-team stories: texts written to make the importer slow. The text of an import comes from
 * outside (wire copy, pasted pages), so whoever writes it could make the server spend seconds on
 * it. Each is read here through the server, within a time budget that reading in time linear in
 * the text meets many times over even on a busy machine; the reading before was quadratic on
 * these (a head's title repeated to 190,000 characters, or six thousand "Kalapas <city> <name>",
 * took over 20 s) and was refused by it. No test measures time: the budget does (the times are
 * npm run bench:import-adversarial's).
 */

const BUDGET_MS = 8000;

const HEAD = "Judul Berita Uji\n\nJAKARTA, Contoh.id – Pembukaan berita seperti biasa.\n\n";

/** The title and lead, then `phrase` over and over, whole, to about `length` characters. */
function repeated(phrase: string, length: number): string {
  return HEAD + Array.from({ length: Math.floor((length - HEAD.length) / (phrase.length + 1)) }, () => phrase).join(" ");
}

/** A name no other phrase has: two capitalised words of syllables spelling `i`. */
function nameOf(i: number): string {
  const word = (n: number): string => {
    let w = "";
    for (let k = 0; k < 3; k++, n = Math.floor(n / 80)) w += "bcdfghjklmnprstw"[n % 16]! + "aiueo"[Math.floor(n / 16) % 5]!;
    return w[0]!.toUpperCase() + w.slice(1);
  };
  return `${word(i)} ${word((i * 7919 + 13) % 512_000)}`;
}

const CITIES = ["Banyuwangi", "Bojonegoro", "Binjai", "Tuban", "Malang", "Kediri", "Jember", "Madiun", "Blitar", "Sampang", "Pamekasan", "Sumenep", "Gresik", "Lamongan", "Sidoarjo", "Medan", "Padang", "Jambi", "Bengkulu", "Serang"];

/** `count` heads of units, each named once: "Kalapas <city> <name>". */
function kalapasPhrases(count: number): string {
  return HEAD + Array.from({ length: count }, (_, i) => `Kalapas ${CITIES[i % CITIES.length]} ${nameOf(i)}`).join(" ");
}

/** The words the importer knows, and the marks it reads, to build phrase soups from. */
const LEXICON_WORDS = [
  ...UNIT_KINDS.flatMap((k) => [...k.full, ...k.abbreviations, ...k.headAbbreviations]),
  ...KANWIL_FORM.full,
  ...KANWIL_FORM.abbreviations,
  ...KANWIL_FORM.headAbbreviations,
  ...ORGANISATIONS.flatMap((o) => [...o.full, ...o.abbreviations, ...o.headForms]),
  ...LOWER_POSTS.flatMap((p) => p.forms),
  ...PREDICATES.flatMap((p) => p.forms),
  ...AWARD_VERBS.map((v) => v.word),
  ...ATTRIBUTION_VERBS,
  ...SAYING_VERBS,
  ...NAME_START_WORDS,
  ...POLICE_HEADS,
  ...OUTSIDE_TITLES,
  ...ROLES,
  ...[...CORRECTIONAL_CITIES].slice(0, 60).map((c) => c.replace(/(^|\s)\p{L}/gu, (s) => s.toUpperCase())),
  ...PROVINCES,
  ...[...HONORIFICS].map((h) => `${h[0]!.toUpperCase()}${h.slice(1)}.`),
  ...["Kepala", "Kelas", "IIA", "IIB", "2023", "2024", "di", "bawah", "jajaran", "dipimpin", "kini", "menjabat", "sebagai", "mantan", "akan", "Hari", "Winarca", "Wayan", "Ia", "dia", "oleh"],
  ...["dan", "serta", "Kota", "Kabupaten", "S.H.", "M.H.", "melalui", "yakni", "seorang", "Salah satu", "UPT", "tersebut", "Wakil", "Plt.", "AKP", "CV", "masing-masing"],
  ...["“", "”", '"', ",", ".", "(", ")", ":", "\n\n", "–"],
];

/** A story of `length` characters: the title and lead, then the soup, as `pick(i)` words it. */
function soup(length: number, pick: (i: number) => string): string {
  const parts = [HEAD];
  let size = HEAD.length;
  for (let i = 0; size < length; i++) {
    const word = pick(i);
    parts.push(word, " ");
    size += word.length + 1;
  }
  return parts.join("").slice(0, length).trimEnd();
}

describe("red-team stories are read in time linear in the text", () => {
  const t = useTestServer({ seed: false, config: { import: { workers: 1, timeBudgetMs: BUDGET_MS, maxQueued: 8 } } });
  let editor: Record<string, string>;
  beforeAll(async () => {
    editor = bearer(await mintToken(t, "EDITOR"));
  });

  const preview = (text: string): Promise<GraphQLResponse<{ previewImport: Preview }>> => t.gql<{ previewImport: Preview }>(PREVIEW, { text }, editor);

  it.each([
    ["a head's title, city and name, repeated to 25,000 characters", repeated("Kalapas Banyuwangi I Wayan Nurasta Wibawa", 25_000)],
    ["a head's title, city and name, repeated to 100,000 characters", repeated("Kalapas Banyuwangi I Wayan Nurasta Wibawa", 100_000)],
    ["a head's title, city and name, repeated to 190,000 characters", repeated("Kalapas Banyuwangi I Wayan Nurasta Wibawa", 190_000)],
    ["a head's title, institution and name, repeated to 190,000 characters", repeated("Kepala Lapas Bojonegoro, Hari Winarca,", 190_000)],
  ])("%s: read within the budget, one institution and its head", async (_what, text) => {
    const { previewImport } = dataOf(await preview(text));
    expect(previewImport.institutions).toHaveLength(1);
    expect(previewImport.counts.peopleCreated).toBe(1);
  }, 60_000);

  it("six thousand distinct 'Kalapas <city> <name>' phrases: read within the budget, every head read", async () => {
    const { previewImport } = dataOf(await preview(kalapasPhrases(6000)));
    expect(previewImport.counts.peopleCreated).toBe(6000);
    expect(previewImport.institutions).toHaveLength(CITIES.length);
  }, 180_000);

  it("phrase soups of the lexicon's words, one phrase repeated or words at random, are each read within the budget", async () => {
    const word = fc.constantFrom(...LEXICON_WORDS);
    const capitalised = fc.constantFrom(...NAME_START_WORDS, ...CITIES, "Hari", "Winarca", "Iwan", "Wibowo");
    // A head's title, then capitalised words that may be a city or a name: what settling a place from a name reads the whole story for.
    const headPhrase = fc.tuple(
      fc.constantFrom("Kalapas", "Karutan", "Kabapas", "Kakanwil", "Kepala Lapas", "Kepala Rutan", "Kasi Binadik", "Kapolsek", "Pemilik CV"),
      fc.array(capitalised, { minLength: 1, maxLength: 4 }),
      fc.constantFrom("", ",", ".", " hadir.", " mengatakan,"),
    );
    const story = fc.oneof(
      fc.record({ head: headPhrase, length: fc.integer({ min: 100_000, max: 190_000 }) }).map(({ head: [title, words, after], length }) => repeated(`${title} ${words.join(" ")}${after}`, length)),
      fc.record({ phrase: fc.array(word, { minLength: 1, maxLength: 8 }), length: fc.integer({ min: 20_000, max: 190_000 }) }).map(({ phrase, length }) => soup(length, (i) => phrase[i % phrase.length]!)),
      fc.record({ words: fc.array(word, { minLength: 20, maxLength: 200 }), step: fc.integer({ min: 1, max: 997 }), length: fc.integer({ min: 20_000, max: 190_000 }) }).map(({ words, step, length }) => soup(length, (i) => words[(i * step) % words.length]!)),
    );
    await fc.assert(
      fc.asyncProperty(story, async (text) => {
        const res = await preview(text);
        // Refused only for what the story is (its spans overlap too much to show), never for its reading time.
        for (const error of res.body.errors ?? []) {
          expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT" });
          expect(error.message).not.toContain("took too long to read");
        }
      }),
      { numRuns: 12, seed: 20251009 },
    );
  }, 300_000);

  it("a preview whose spans would repeat the story over and over is refused BAD_USER_INPUT, and the story still imports", async () => {
    // One sentence of award statements, none of which says whose predicate is whose: each verb's warning spans the whole sentence.
    // Under a title of its own: once imported, a story's title and source refuse its previews as already stored.
    const text = repeated("Lapas Banyuwangi dan Rutan Binjai meraih WBK WBBM 2023", 190_000).replace("Judul Berita Uji", "Penghargaan Berulang");
    const refused = await preview(text);
    expect(refused.body.errors).toHaveLength(1);
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "text" });
    expect(refused.body.errors![0]!.message).toMatch(/^The preview of this story would repeat \d+ characters of it in the spans of its records and warnings \(at most 2000000\): its statements overlap too much to show/);
    const { importArticle } = dataOf(await t.gql<{ importArticle: { title: string } }>(IMPORT, { text }, editor));
    expect(importArticle.title).toBe("Penghargaan Berulang");
  }, 60_000);

  it("other requests are answered while a big story is read: a simple query, over and over, before the preview's answer", async () => {
    let previewed = false;
    const previewing = preview(repeated("Kalapas Banyuwangi I Wayan Nurasta Wibawa", 190_000)).then((res) => {
      previewed = true;
      return res;
    });
    let answeredBefore = 0;
    while (!previewed) {
      const res = await t.gql<{ articles: { totalCount: number } }>(SIMPLE, {}, editor);
      expect(dataOf(res).articles.totalCount).toBeGreaterThanOrEqual(0);
      if (!previewed) answeredBefore++;
    }
    expect(dataOf(await previewing).previewImport.institutions.map((i) => i.name)).toEqual(["Lapas Banyuwangi"]);
    // Reading on the request thread, none could be answered until the story was read.
    expect(answeredBefore).toBeGreaterThanOrEqual(3);
  }, 60_000);
});

interface Preview {
  institutions: Array<{ name: string }>;
  counts: { institutionsCreated: number; peopleCreated: number; quotes: number; warnings: number };
}

const SPAN = "start end text";
const PREVIEW = `query Preview($text: String!) { previewImport(text: $text) {
  institutions { name parentSpan { ${SPAN} } mentions { ${SPAN} } }
  accreditations { span { ${SPAN} } }
  people { name mentions { ${SPAN} } }
  positions { title span { ${SPAN} } }
  quotes { span { ${SPAN} } attributionSpan { ${SPAN} } }
  warnings { code message span { ${SPAN} } }
  counts { institutionsCreated peopleCreated quotes warnings }
} }`;
const IMPORT = `mutation Import($text: String!) { importArticle(text: $text) { title } }`;
const SIMPLE = `{ articles(first: 1) { totalCount } }`;
