import { InstitutionKind } from "../../kernel/institution-kind";
import type { KindForm, OrganisationForm } from "./import.lexicon";
import {
  CAPITAL_PROVINCE_FORMS,
  CITIES_ALSO_NAMES,
  CORRECTIONAL_CITIES,
  KANWIL_FORM,
  NAME_START_WORDS,
  NOT_PLACES,
  ORGANISATIONS,
  PLACE_CONTINUATIONS,
  PLACE_PREFIXES,
  PROVINCE_ABBREVIATIONS,
  PROVINCES,
  RANK,
  TYPED_ABBREVIATIONS,
  UNIT_KINDS,
  UNIT_TYPES,
} from "./import.lexicon";
import { findAfterMarkers, findPhrases, runsOf } from "./import.occurrences";
import type { Phrase } from "./import.occurrences";
import { knownPlaceLength } from "./import.places";
import { byStart, firstAtLeast } from "./import.spans";
import { eachWord, escapeRegExp, isNameWord, phrases, wordsOf } from "./import.text";
import type { Word } from "./import.text";
import type { ExtractedInstitution, ImportWarning, Mention, Span } from "./import.types";

/** One place the body names an institution, with what that form says about it. */
export interface InstitutionMention extends Mention {
  ref: number;
  kind: InstitutionKind;
  /** The head's title the form is written in ("Kalapas Banyuwangi"), if any. */
  headTitle: string | null;
}

export interface InstitutionReading {
  institutions: ExtractedInstitution[];
  /** Every mention, in body order. */
  mentions: InstitutionMention[];
  warnings: ImportWarning[];
  /** Words after a head's title that may be a place or the start of a name, and the text does not tell which: no person is read there. */
  unclear: Span[];
}

/** A form as read, before the forms of one institution are put together. */
interface Form extends Mention {
  kind: InstitutionKind;
  key: string;
  /** Written with the kind in full words ("Lembaga Pemasyarakatan …", "Kementerian …"). */
  full: boolean;
  /** The head's title the form stands in ("Kalapas"), so its place is followed by a name. */
  head: KindForm | OrganisationForm | null;
  /** The abbreviation in brackets after the full words. */
  bracketed: string | null;
  /** The bracket abbreviates every word before it ("(Kanwil Ditjenpas)", "(LPP)"), so with the place it is the short name. */
  bracketIsPrefix?: boolean;
  /** The abbreviation the form uses or gives ("Lapas"), for the short name. */
  abbreviation: string | null;
  unitType: string | null;
  classification: string | null;
  place: string | null;
  /** The form's words without bracketed abbreviations, and with a head's title read as the institution. */
  name: string;
  /** Place followed straight by a capitalised word after a head's title: place or first name? Decided by the evidence of the story. */
  ambiguous: boolean;
  /** After a head's title: the capitalised words from the place on ("Binjai Iwan Wibowo"), among which the place ends and a name may start. */
  run: Word[];
  /** The form has a place whatever the run holds (written in full words, or with a class). */
  placeCertain: boolean;
  /** Kanwil only: whose regional office. */
  organisation: OrganisationForm | null;
}

// "Kelas IIA", "Kelas II A", "Kelas 2A", "Kelas 2 A", "kelas III"; or the class alone after the kind ("Lapas IIB Tanjung Pinang").
const CLASS = String.raw`\s+[Kk]elas\s+(I{1,3}|IV|[1-4])(?:\s?([AB]))?(?![\p{L}\p{N}])|\s+(II[AB]|III)\b`;
const unitTypes = new RegExp(String.raw`\s+(${phrases(UNIT_TYPES)})\b`, "y");
const classRule = new RegExp(CLASS, "uy");
const provinceAfter = new RegExp(String.raw`,\s+(?:Provinsi\s+)?(${phrases(PROVINCES)})(?=[\s,.;:)]|$)`, "y");
const capitalProvince = new RegExp(String.raw`(${phrases(CAPITAL_PROVINCE_FORMS)})\b`, "y");
const KANWIL_BRACKET = new RegExp(String.raw`\s*\(((?:${phrases(KANWIL_FORM.abbreviations)})(?:\s+(?:${phrases(ORGANISATIONS.flatMap((o) => o.abbreviations))}))?)\)`, "uy");
/** First words of every form, to find where one may begin. */
const STARTS = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:${phrases([
    ...UNIT_KINDS.flatMap((k) => [...k.full, ...k.abbreviations, ...k.headAbbreviations]),
    ...KANWIL_FORM.full,
    ...KANWIL_FORM.abbreviations,
    ...KANWIL_FORM.headAbbreviations,
    ...ORGANISATIONS.flatMap((o) => [...o.full, ...o.abbreviations]),
  ])})(?![\p{L}\p{N}])`,
  "gu",
);
/** Words that start a person's name, so a capitalised word before them is a place ("Kalapas Banyuwangi I Wayan …"). */
const NAME_STARTS = new RegExp(String.raw`^\s*(?:${phrases(NAME_START_WORDS)}|(?:H|Hj|Dr|Drs|Dra|Ir|Prof|KH)\.)(?![\p{L}])`, "u");
/** Kind words and heads' titles: a run written after one of them again is the same title phrase, no evidence of a name. */
const KIND_WORDS = new Set(["Kepala", ...[...UNIT_KINDS, KANWIL_FORM].flatMap((k) => [...k.abbreviations, ...k.headAbbreviations])]);
/** Words before a place that say it is one: "di Binjai", "Kota Binjai", "Kabupaten Pamekasan". */
const PLACE_MARKERS = String.raw`(?:di|ke|dari|asal|Kota|Kabupaten|Kab\.)`;
const PLACE_MARKED = new RegExp(String.raw`(?<![\p{L}])${PLACE_MARKERS}\s+`, "gu");

/** Reads the institutions the body names; `knownPlaces` (the dateline) help tell a place from a first name. */
export function readInstitutions(body: string, knownPlaces: readonly string[] = []): InstitutionReading {
  const warnings: ImportWarning[] = [];
  // A quotation holding only such a form is a programme's name (“Rutan Berdaya”, “Lapas Bersinar”), not an institution.
  const forms = scan(body).filter((f) => !(/[“"]/.test(body[f.start - 1] ?? "") && /[”"]/.test(body[f.end] ?? "")));

  // A head's title followed by capitalised words ("Karutan Binjai Iwan Wibowo", "Kalapas Hari Winarca"): where the
  // place ends and the name starts is decided by what the story says elsewhere, or the known cities.
  const places = new Set([...knownPlaces.map(placeKey), ...forms.filter((f) => !f.ambiguous && f.place).map((f) => placeKey(f.place!))]);
  const unclear: Span[] = [];
  const evidence = new Evidence(body, forms.filter((f) => f.ambiguous));
  const accepted = forms.flatMap((f): Form[] => {
    if (!f.ambiguous) return [f];
    const verdict = settle(f, body, places, evidence);
    if (typeof verdict === "number") return [withPlaceOf(f, verdict, body)];
    if (f.placeCertain) return [f];
    if (verdict === "unclear") {
      const run = { start: f.run[0]!.start, end: f.run[f.run.length - 1]!.end };
      unclear.push(run);
      warnings.push({
        code: "AMBIGUOUS_NAME",
        message: `'${body.slice(f.start, run.end)}': '${f.run[0]!.text}' may be the city of the ${f.abbreviation ?? f.kind} or the first word of a name, and the story does not tell; neither the post nor a person is read from it.`,
        span: { start: f.start, end: run.end },
      });
    }
    return [];
  });

  const groups = group(accepted);
  const institutions: ExtractedInstitution[] = [];
  const mentions: InstitutionMention[] = [];
  groups.forEach((members, ref) => {
    institutions.push(describe(members, ref, body, warnings));
    for (const f of members) mentions.push({ start: f.start, end: f.end, text: f.text, ref, kind: f.kind, headTitle: f.head ? f.head.headTitle : null });
  });
  mentions.sort((a, b) => a.start - b.start);
  readParents(body, institutions, mentions, warnings);
  return { institutions, mentions, warnings, unclear };
}

/**
 * How many words of a head's run are the place, or whether it is all a name: a name start or the whole
 * run named elsewhere make it a name; a place the story names elsewhere (as a unit's city, the dateline,
 * "di X", "Kota X"), a known city, or the rest of the run named elsewhere as a person make a place.
 * With nothing to go on, two words are a name (as "Kalapas Hari Winarca"); more are unclear.
 */
function settle(f: Form, body: string, places: ReadonlySet<string>, evidence: Evidence): number | "name" | "unclear" {
  const run = f.run;
  const nameStartsAt = (w: Word): boolean => NAME_STARTS.test(body.slice(w.start, w.start + 24));
  if (nameStartsAt(run[0]!)) return "name";
  if (evidence.namedElsewhere(run, null)) return "name";
  let placeWords = 0;
  while (placeWords < run.length - 1 && placeWords < 3 && isNameWord(run[placeWords]!.text)) placeWords++;
  const placeOf = (k: number): string => body.slice(run[0]!.start, run[k - 1]!.end);
  for (let k = placeWords; k >= 1; k--) {
    const key = placeKey(placeOf(k));
    if (places.has(key) || evidence.namedAsPlace(run.slice(0, k))) return k;
    if (k >= 2 && knownPlaceLength(run.slice(0, k).map((w) => w.text)) === k) return k;
    if (CORRECTIONAL_CITIES.has(key) && !CITIES_ALSO_NAMES.has(key)) return k;
  }
  for (let k = placeWords; k >= 1; k--) {
    const rest = run.slice(k);
    if ((rest.length >= 2 && evidence.namedElsewhere(rest, run[k - 1]!)) || nameStartsAt(rest[0]!)) return k;
  }
  return run.length >= 3 ? "unclear" : "name";
}

/**
 * Where the words of the ambiguous forms' runs are written elsewhere in the body: as a name, or as
 * a place after "di", "Kota"…. Each kind of question {@link settle} asks (the whole run as a name,
 * its first words as a place, the rest of it as a name) is answered for every form in one pass
 * over the body when it is first asked (a regex over the body per question made six thousand
 * "Kalapas <city> <name>" phrases take over 16 s), and each answer is counted once per phrase, so
 * a question costs the same however often the phrase is written. A phrase is words of the body,
 * asked about by where it stands.
 */
class Evidence {
  /** The matches as a name of a whole run, and of the words of a run from one after its first on to its end, by that first word; alike phrases share a list. */
  private wholeRuns: Map<Word, Span[]> | null = null;
  private restsOfRuns: Map<Word, Span[]> | null = null;
  /** The matches after a marker word (`at`: where the place starts) of the words of a run from its start up to one of them, by that last word. */
  private places: Map<Word, Array<Span & { at: number }>> | null = null;
  /** The word right before each place asked about (see wordBefore): a place is in the lists of several questions. */
  private readonly wordsBefore = new Map<number, string | null>();
  /** Per list of name matches, those that are not after a kind's word: how many, and how many after each word. */
  private readonly tallies = new Map<Span[], { count: number; after: Map<string, number> }>();

  constructor(
    private readonly body: string,
    private readonly forms: readonly Form[],
  ) {}

  /**
   * Each form's phrases that settle may ask about as `question`, by the word it asks by: the whole
   * run (by its first word); the rest of it from its second, third or fourth word while two words
   * are left (by that word); its first one to three words, leaving one at least (by the last).
   */
  private phrasesOf(question: "whole" | "rest" | "place"): { keys: Word[]; phrases: Array<Phrase | null> } {
    const runs = runsOf(this.body);
    const keys: Word[] = [];
    const phrases: Array<Phrase | null> = [];
    const add = (run: readonly Word[], from: number, to: number, key: Word): void => {
      // A phrase written only where it stands is answered without its matches.
      if (this.writtenHereOnly(run[from]!, run[to]!, question === "place")) return;
      keys.push(key);
      phrases.push(runs.phraseAt(run[from]!.start, run[to]!.end) ?? runs.phrase(this.body.slice(run[from]!.start, run[to]!.end)));
    };
    for (const { run } of this.forms) {
      const last = run.length - 1;
      if (question === "whole") add(run, 0, last, run[0]!);
      else if (question === "rest") for (let k = 1; k <= 3 && run.length - k >= 2; k++) add(run, k, last, run[k]!);
      else for (let k = 1; k <= 3 && k <= last; k++) add(run, 0, k - 1, run[k - 1]!);
    }
    return { keys, phrases };
  }

  /**
   * Whether the words from `first` to `last` (of a place, `last` as written or as the letters that
   * open a longer run) hold a run of the body written nowhere else: then they are named nowhere
   * else, and no question about them needs their matches (most of a head's phrases name someone once).
   */
  private writtenHereOnly(first: Word, last: Word, asPlace: boolean): boolean {
    return runsOf(this.body).writtenOnce(first.start, last.end, asPlace);
  }

  /** The name matches of the whole run (first word `words[0]` with `before` null) or of its rest from `words[0]` on. */
  private asName(words: readonly Word[], before: Word | null): Span[] {
    const question = before === null ? "whole" : "rest";
    let byWord = before === null ? this.wholeRuns : this.restsOfRuns;
    if (!byWord) {
      const { keys, phrases } = this.phrasesOf(question);
      byWord = new Map();
      findPhrases(runsOf(this.body), phrases).forEach((matches, i) => byWord!.set(keys[i]!, matches));
      if (before === null) this.wholeRuns = byWord;
      else this.restsOfRuns = byWord;
    }
    return byWord.get(words[0]!) ?? [];
  }

  /** The word right before `at` (after nothing but white space, within 30 characters), if there is one. */
  private wordBefore(at: number): string | null {
    let word = this.wordsBefore.get(at);
    if (word === undefined) this.wordsBefore.set(at, (word = this.readWordBefore(at)));
    return word;
  }

  private readWordBefore(at: number): string | null {
    const body = this.body;
    let start = -1;
    let end = -1;
    eachWord(body, Math.max(0, at - 30), at, (s, e) => {
      start = s;
      end = e;
      return true;
    });
    if (start === -1 || end === at) return null;
    for (let i = end; i < at; i++) if (!/\s/.test(body[i]!)) return null;
    return body.slice(start, end);
  }

  private tally(matches: Span[]): { count: number; after: Map<string, number> } {
    let tally = this.tallies.get(matches);
    if (!tally) {
      tally = { count: 0, after: new Map() };
      for (const m of matches) {
        const word = this.wordBefore(m.start);
        if (word !== null && KIND_WORDS.has(word)) continue;
        tally.count++;
        if (word !== null) tally.after.set(word, (tally.after.get(word) ?? 0) + 1);
      }
      this.tallies.set(matches, tally);
    }
    return tally;
  }

  /** `words` written elsewhere in the body as a name: not at this place, and not after `before` or a kind's word. */
  namedElsewhere(words: readonly Word[], before: Word | null): boolean {
    if (this.writtenHereOnly(words[0]!, words[words.length - 1]!, false)) return false;
    const matches = this.asName(words, before);
    const tally = this.tally(matches);
    const beforeText = before?.text ?? null;
    let elsewhere = tally.count - (beforeText === null ? 0 : (tally.after.get(beforeText) ?? 0));
    // The match at this place (matches are in order) does not count; it was counted unless the word before it is a kind's or `before`.
    const at = words[0]!.start;
    if (matches[firstAtLeast(matches, at, (m) => m.start)]?.start === at) {
      const own = this.wordBefore(at);
      if (own === null || (!KIND_WORDS.has(own) && own !== beforeText)) elsewhere--;
    }
    return elsewhere > 0;
  }

  /** "di Binjai", "Kota Binjai": the story names `words` (a run's first ones) as a place somewhere other than where they stand. */
  namedAsPlace(words: readonly Word[]): boolean {
    if (this.writtenHereOnly(words[0]!, words[words.length - 1]!, true)) return false;
    if (!this.places) {
      const { keys, phrases } = this.phrasesOf("place");
      const byWord = new Map<Word, Array<Span & { at: number }>>();
      findAfterMarkers(runsOf(this.body), PLACE_MARKED, phrases).forEach((matches, i) => byWord.set(keys[i]!, matches));
      this.places = byWord;
    }
    return (this.places.get(words[words.length - 1]!) ?? []).some((m) => m.at !== words[0]!.start);
  }
}

/** The form with its place cut to the first `k` words of its run. */
function withPlaceOf(f: Form, k: number, body: string): Form {
  const end = f.run[k - 1]!.end;
  const place = body.slice(f.run[0]!.start, end);
  const text = body.slice(f.start, end);
  // The name ends with the place as written (withoutBrackets may have closed up its spaces).
  const single = (t: string): string => t.replace(/\s+/g, " ");
  const name = f.name.endsWith(f.place!) ? f.name.slice(0, f.name.length - f.place!.length) + place : single(f.name).slice(0, single(f.name).length - single(f.place!).length) + single(place);
  return { ...f, end, text, name, place, key: `${f.kind}|${(f.unitType ?? "").toLowerCase()}|${placeKey(place)}`, ambiguous: false };
}

/** The capitalised words from `at` on, one space apart: a place, a name, or both ("Binjai Iwan Wibowo"). */
function capitalRun(body: string, at: number): Word[] {
  const run: Word[] = [];
  for (const w of wordsOf(body, at, Math.min(body.length, at + 160), 7)) {
    if (run.length === 6) break;
    if (run.length > 0 && !/^ +$/.test(body.slice(run[run.length - 1]!.end, w.start))) break;
    if (!isNameWord(w.text) && !/^\p{Lu}$/u.test(w.text)) break;
    if (NOT_PLACES.has(w.text)) break;
    run.push(w);
  }
  return run;
}

/** Left to right, the longest form at each place a form may begin. */
function scan(body: string): Form[] {
  const out: Form[] = [];
  let from = 0;
  STARTS.lastIndex = 0;
  for (let m = STARTS.exec(body); m !== null; m = STARTS.exec(body)) {
    if (m.index < from) continue;
    const candidates = [readKanwil(body, m.index), readUnit(body, m.index), readOrganisation(body, m.index)].filter((f): f is Form => f !== null);
    if (candidates.length === 0) continue;
    const best = candidates.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
    out.push(best);
    from = best.end;
    STARTS.lastIndex = best.end;
  }
  return out;
}

function sticky(pattern: string): RegExp {
  return new RegExp(pattern, "uy");
}

/** A kind's forms as sticky rules, made once per kind: made at every place a form may begin, their compiling showed in profiles. */
const kindRules = new Map<KindForm, { starts: Set<string>; full: RegExp; short: RegExp; head: RegExp | null; typed: Map<string, RegExp> }>();
function rulesOf(form: KindForm): { starts: Set<string>; full: RegExp; short: RegExp; head: RegExp | null; typed: Map<string, RegExp> } {
  let rules = kindRules.get(form);
  if (!rules) {
    const abbr = phrases(form.abbreviations);
    rules = {
      // The first letters of its forms: at any other, none of the rules can match (and most places a form may begin are another kind's).
      starts: new Set([...form.full, ...form.abbreviations, ...form.headAbbreviations].map((f) => f[0]!)),
      full: sticky(String.raw`(?:${phrases(form.full)})(?:\s*\((${abbr})\))?(?![\p{L}])`),
      short: sticky(String.raw`(${abbr})(?![\p{L}])`),
      head: form.headAbbreviations.length > 0 ? sticky(String.raw`(?:${phrases(form.headAbbreviations)})(?![\p{L}])`) : null,
      typed: new Map(),
    };
    kindRules.set(form, rules);
  }
  return rules;
}

/** "(LPP)", "(Lapas Narkotika)": the bracket after a kind and its type that abbreviates both, by type. */
function typedBracket(form: KindForm, unitType: string): RegExp {
  const typed = rulesOf(form).typed;
  let rule = typed.get(unitType);
  if (!rule) typed.set(unitType, (rule = sticky(String.raw`\s*\(((?:${phrases(form.abbreviations)})(?:\s+${escapeRegExp(unitType)})?)\)`)));
  return rule;
}

const organisationRules = new Map<OrganisationForm, { starts: Set<string>; full: RegExp; short: RegExp }>();
function organisationRulesOf(org: OrganisationForm): { starts: Set<string>; full: RegExp; short: RegExp } {
  let rules = organisationRules.get(org);
  if (!rules) {
    rules = {
      starts: new Set([...org.full, ...org.abbreviations].map((f) => f[0]!)),
      full: sticky(String.raw`(?:${phrases(org.full)})(?:\s*\((${phrases(org.abbreviations)})\))?(?![\p{L}])`),
      short: sticky(String.raw`(?:${phrases(org.abbreviations)})(?![\p{L}])`),
    };
    organisationRules.set(org, rules);
  }
  return rules;
}

function matchAt(re: RegExp, body: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(body);
}

/** A kind word: full ("Lembaga Pemasyarakatan (Lapas)"), abbreviated ("Lapas") or in a head's title ("Kalapas"). */
function readKindWord(body: string, at: number, form: KindForm): { end: number; full: boolean; bracketed: string | null; head: boolean; abbreviation: string | null } | null {
  const rules = rulesOf(form);
  if (!rules.starts.has(body[at]!)) return null;
  const full = matchAt(rules.full, body, at);
  if (full) return { end: at + full[0].length, full: true, bracketed: full[1] ?? null, head: false, abbreviation: full[1] ?? null };
  const short = matchAt(rules.short, body, at);
  if (short) return { end: at + short[0].length, full: false, bracketed: null, head: false, abbreviation: short[1]! };
  if (rules.head) {
    const head = matchAt(rules.head, body, at);
    if (head) return { end: at + head[0].length, full: false, bracketed: null, head: true, abbreviation: form.abbreviations[0]! };
  }
  return null;
}

/** Lapas, Rutan, LPKA, Bapas: kind, optional type and class, then the place. */
function readUnit(body: string, at: number): Form | null {
  for (const form of UNIT_KINDS) {
    const kind = readKindWord(body, at, form);
    if (!kind) continue;
    let end = kind.end;
    let unitType: string | null = TYPED_ABBREVIATIONS[kind.abbreviation ?? ""] ?? null;
    let classification: string | null = null;
    let bracketed = kind.bracketed;
    let abbreviation = kind.abbreviation;
    const type1 = matchAt(unitTypes, body, end);
    if (type1) {
      unitType = type1[1]!;
      end += type1[0].length;
      // "Lembaga Pemasyarakatan Perempuan (LPP) Kelas IIA Palembang": the bracket abbreviates kind and type.
      const typed = kind.full && !bracketed ? matchAt(typedBracket(form, unitType), body, end) : null;
      if (typed) {
        bracketed = abbreviation = typed[1]!;
        end += typed[0].length;
      }
    }
    const cls = matchAt(classRule, body, end);
    if (cls) {
      classification = cls[3] ?? normalClass(cls[1]!, cls[2] ?? "");
      end += cls[0].length;
    }
    if (!unitType) {
      const type2 = matchAt(unitTypes, body, end);
      if (type2) {
        unitType = type2[1]!;
        end += type2[0].length;
      }
    }
    const place = readPlace(body, end);
    if (!place) return null;
    const run = capitalRun(body, place.end - place.text.length);
    end = place.end;
    const text = body.slice(at, end);
    const headContext = kind.head || /(?:^|\s)Kepala\s+$/.test(body.slice(Math.max(0, at - 8), at));
    const ambiguous = headContext && run.length > 0 && run[run.length - 1]!.end > end;
    return {
      start: at,
      end,
      text,
      kind: form.kind,
      key: `${form.kind}|${(unitType ?? "").toLowerCase()}|${placeKey(place.text)}`,
      full: kind.full,
      head: kind.head ? form : null,
      bracketed,
      bracketIsPrefix: bracketed !== null && bracketed !== kind.bracketed,
      abbreviation,
      unitType,
      classification,
      place: place.text,
      name: kind.head ? `${kind.abbreviation}${text.slice(kind.end - at)}` : withoutBrackets(text),
      ambiguous,
      run,
      placeCertain: kind.full || classification !== null,
      organisation: null,
    };
  }
  return null;
}

/** Kantor Wilayah / Kanwil / Kakanwil, optionally whose (a ministry or Ditjenpas), then the province. */
function readKanwil(body: string, at: number): Form | null {
  const kind = readKindWord(body, at, KANWIL_FORM);
  if (!kind) return null;
  let end = kind.end;
  let organisation: OrganisationForm | null = null;
  const ws = matchAt(/\s+/y, body, end);
  if (ws) {
    const org = readOrganisation(body, end + ws[0].length);
    if (org) {
      organisation = org.organisation;
      end = org.end;
    }
  }
  // "Kantor Wilayah Direktorat Jenderal Pemasyarakatan (Kanwil Ditjenpas) Sulawesi Selatan": the bracket abbreviates the words before it.
  const prefix = kind.full ? matchAt(KANWIL_BRACKET, body, end) : null;
  if (prefix) end += prefix[0].length;
  const provinsi = matchAt(/\s+Provinsi(?= )/y, body, end);
  if (provinsi) end += provinsi[0].length;
  const gap = matchAt(/\s+/y, body, end);
  if (!gap) return null;
  const caps = matchAt(capitalProvince, body, end + gap[0].length);
  const place = caps ? { text: caps[1]!, end: end + gap[0].length + caps[0].length } : readPlace(body, end);
  if (!place) return null;
  end = place.end;
  const text = body.slice(at, end);
  return {
    start: at,
    end,
    text,
    kind: InstitutionKind.KANWIL,
    key: `KANWIL|${organisation?.key ?? ""}|${provinceKey(place.text)}`,
    full: kind.full,
    head: kind.head ? KANWIL_FORM : null,
    bracketed: prefix ? prefix[1]! : kind.bracketed,
    bracketIsPrefix: prefix !== null,
    abbreviation: kind.abbreviation,
    unitType: null,
    classification: null,
    place: place.text,
    name: kind.head ? `${kind.abbreviation}${text.slice(kind.end - at)}` : withoutBrackets(text),
    ambiguous: false,
    run: [],
    placeCertain: true,
    organisation,
  };
}

/** A ministry or the Ditjenpas: full name with its abbreviation in brackets, or the abbreviation. */
function readOrganisation(body: string, at: number): (Form & { organisation: OrganisationForm }) | null {
  let best: (Form & { organisation: OrganisationForm }) | null = null;
  for (const org of ORGANISATIONS) {
    const rules = organisationRulesOf(org);
    if (!rules.starts.has(body[at]!)) continue;
    const full = matchAt(rules.full, body, at);
    const short = full ? null : matchAt(rules.short, body, at);
    const m = full ?? short;
    if (!m || (best && best.end - best.start >= m[0].length)) continue;
    const text = m[0];
    best = {
      start: at,
      end: at + text.length,
      text,
      kind: org.kind,
      key: org.key,
      full: full !== null,
      head: null,
      bracketed: full?.[1] ?? null,
      abbreviation: full ? (full[1] ?? null) : text.replace(/\s+/g, " "),
      unitType: null,
      classification: null,
      place: null,
      name: withoutBrackets(text),
      ambiguous: false,
      run: [],
      placeCertain: true,
      organisation: org,
    };
  }
  return best;
}

/** A place name at `at` (after spaces): capitalised words, the second only where place names go on ("Jakarta Timur"). */
function readPlace(body: string, at: number): { text: string; end: number } | null {
  const gap = matchAt(/[ \t]+/y, body, at);
  if (!gap) return null;
  const words = wordsOf(body, at + gap[0].length, Math.min(body.length, at + 120), 6);
  const first = words[0];
  if (!first || first.start !== at + gap[0].length || !isNameWord(first.text) || NOT_PLACES.has(first.text)) return null;
  // A place the gazetteer knows is read whole ("Pangkalan Bun", "Lima Puluh Kota").
  const run = [first];
  for (let i = 1; i < words.length && i < 6 && /^ +$/.test(body.slice(run[i - 1]!.end, words[i]!.start)) && isNameWord(words[i]!.text); i++) run.push(words[i]!);
  const known = knownPlaceLength(run.map((w) => w.text));
  if (known > 0) return { text: body.slice(first.start, run[known - 1]!.end), end: run[known - 1]!.end };
  let last = first;
  for (let i = 1; i < words.length && i < 4; i++) {
    const w = words[i]!;
    if (!/^ +$/.test(body.slice(last.end, w.start)) || !isNameWord(w.text)) break;
    if (!PLACE_CONTINUATIONS.has(w.text) && !PLACE_PREFIXES.has(last.text)) break;
    last = w;
  }
  return { text: body.slice(first.start, last.end), end: last.end };
}

function withoutBrackets(text: string): string {
  return text.replace(/\s*\([^()]*\)/g, "").replace(/\s+/g, " ").trim();
}

/**
 * The institutions of kind OTHER that posts outside the service are held at ("Polsek Kalipuro",
 * "CV Tenun Jaya"), added to a reading as the people's reader finds them, and where the text names
 * them. Their mentions join the reading's when {@link merge} is called, each after those that
 * start where it starts; until then {@link mentionsAt} and {@link mentionsEndingAt} answer as the
 * reading's list would (inserting each into the list as it came was quadratic in a story of many).
 */
export class OutsideInstitutions {
  private readonly byKey = new Map<string, ExtractedInstitution>();
  private readonly added: InstitutionMention[] = [];
  private readonly byStart = new Map<number, InstitutionMention[]>();
  private readonly byEnd = new Map<number, InstitutionMention[]>();
  /** Each mention's place in the reading's list: by start, then the reading's own before those added, in the order added. */
  private readonly order = new Map<InstitutionMention, number>();

  constructor(private readonly reading: InstitutionReading) {
    for (const m of reading.mentions) this.index(m);
  }

  /** The institution named `name` (found by name, or added), mentioned at `at`; its ref. */
  add(name: string, at: Mention, headTitle: string | null): number {
    const key = `OTHER|${placeKey(name)}`;
    let inst = this.byKey.get(key);
    if (!inst) {
      inst = { ref: this.reading.institutions.length, key, name, shortName: null, kind: InstitutionKind.OTHER, classification: null, city: null, province: null, abbreviation: null, parent: null, parentSpan: null, mentions: [] };
      this.reading.institutions.push(inst);
      this.byKey.set(key, inst);
    }
    inst.mentions.push({ start: at.start, end: at.end, text: at.text });
    const mention = { start: at.start, end: at.end, text: at.text, ref: inst.ref, kind: InstitutionKind.OTHER, headTitle };
    this.added.push(mention);
    this.index(mention);
    return inst.ref;
  }

  /** The mentions that start at `at`, in the list's order. */
  mentionsAt(at: number): readonly InstitutionMention[] {
    return this.byStart.get(at) ?? [];
  }

  /** The mentions that end at `at`, in the list's order. */
  mentionsEndingAt(at: number): readonly InstitutionMention[] {
    return this.byEnd.get(at) ?? [];
  }

  /** Whether `a` comes before `b` in the list. */
  before(a: InstitutionMention, b: InstitutionMention): boolean {
    return a.start < b.start || (a.start === b.start && this.order.get(a)! < this.order.get(b)!);
  }

  /** Puts the mentions added into the reading's list, each after those that start where it starts. */
  merge(): void {
    if (this.added.length === 0) return;
    const added = [...this.added].sort((a, b) => a.start - b.start);
    const own = this.reading.mentions;
    const merged: InstitutionMention[] = [];
    let i = 0;
    for (const m of added) {
      while (i < own.length && own[i]!.start <= m.start) merged.push(own[i++]!);
      merged.push(m);
    }
    while (i < own.length) merged.push(own[i++]!);
    this.reading.mentions = merged;
    this.added.length = 0;
  }

  private index(m: InstitutionMention): void {
    this.order.set(m, this.order.size);
    (this.byStart.get(m.start) ?? this.byStart.set(m.start, []).get(m.start)!).push(m);
    const ending = this.byEnd.get(m.end) ?? this.byEnd.set(m.end, []).get(m.end)!;
    // In the list's order: after those that start before it or where it starts.
    let at = ending.length;
    while (at > 0 && ending[at - 1]!.start > m.start) at--;
    ending.splice(at, 0, m);
  }
}

export function placeKey(place: string): string {
  // Most places are words one space apart, with nothing to fold but the case.
  for (let i = 0; i < place.length; i++) {
    const c = place.charCodeAt(i);
    const plain = c === 32 ? i > 0 && i < place.length - 1 && place.charCodeAt(i - 1) !== 32 : c > 32 && (c < 128 || !/\s/.test(place[i]!));
    if (!plain) return place.replace(/\s+/g, " ").trim().toLowerCase();
  }
  return place.toLowerCase();
}

function provinceKey(place: string): string {
  const key = placeKey(place).replace(/^provinsi\s+/, "");
  return PROVINCE_ABBREVIATIONS[key] ?? key;
}

/** One spelling of a class however the text writes it: "II A", "2A" and "IIA" are all "IIA". */
function normalClass(numeral: string, letter: string): string {
  const roman = ["I", "II", "III", "IV"][Number(numeral) - 1] ?? numeral;
  return `${roman}${letter}`;
}

function classKey(c: string): string {
  return c.replace(/\s+/g, "").toUpperCase();
}

/** The forms of one institution together, in order of first mention. A Kanwil named without whose office joins the one of its province. */
function group(forms: Form[]): Form[][] {
  const byKey = new Map<string, Form[]>();
  // The keys of the Kanwil forms that say whose office they are, by region (in order of first mention).
  const offices = new Map<string, Set<string>>();
  for (const o of forms) {
    if (o.kind !== InstitutionKind.KANWIL || o.organisation === null) continue;
    const region = o.key.split("|")[2]!;
    (offices.get(region) ?? offices.set(region, new Set()).get(region)!).add(o.key);
  }
  for (const f of forms) {
    let key = f.key;
    if (f.kind === InstitutionKind.KANWIL && f.organisation === null) {
      const same = [...(offices.get(key.split("|")[2]!) ?? [])];
      if (same.length === 1) key = same[0]!;
    }
    const list = byKey.get(key);
    if (list) list.push(f);
    else byKey.set(key, [f]);
  }
  return [...byKey.values()];
}

function describe(forms: Form[], ref: number, body: string, warnings: ImportWarning[]): ExtractedInstitution {
  const first = forms[0]!;
  const kind = first.kind;
  // The fullest form names it: the kind in full words, then one with a class, then any not inside a head's title.
  const score = (f: Form): number => (f.full ? 4 : 0) + (f.classification ? 2 : 0) + (f.head ? 0 : 1);
  const named = forms.reduce((a, b) => (score(b) > score(a) ? b : a));

  let classification: string | null = null;
  for (const f of forms) {
    if (!f.classification) continue;
    if (classification === null) classification = f.classification;
    else if (classKey(classification) !== classKey(f.classification)) {
      warnings.push({ code: "CONFLICT", message: `'${f.text}' gives class ${f.classification}, but the story gave ${classification} before; kept ${classification}.`, span: span(f) });
    }
  }

  const bracketedForm = forms.find((f) => f.bracketed);
  const bracketed = bracketedForm?.bracketed ?? null;
  const abbreviation = forms.find((f) => f.abbreviation)?.abbreviation ?? null;
  let shortName: string | null = null;
  let city: string | null = null;
  let province: string | null = null;
  if (kind === InstitutionKind.KANWIL) {
    const short = forms.find((f) => !f.full && !f.head) ?? forms.find((f) => !f.full);
    if (short) shortName = short.name;
    else if (bracketedForm?.bracketIsPrefix) shortName = `${bracketed} ${bracketedForm.place}`;
    else if (bracketed) shortName = `${bracketed} ${named.name.replace(/^Kantor\s+Wilayah\s+/, "")}`;
    // The fullest spelling of the region: "Jawa Timur" over "Jatim".
    province = forms.map((f) => f.place!).find((p) => PROVINCES.includes(p.replace(/^Provinsi\s+/, ""))) ?? first.place;
  } else if (kind === InstitutionKind.MINISTRY || kind === InstitutionKind.DITJEN) {
    shortName = abbreviation;
  } else {
    city = named.place;
    // An abbreviation that names the type too ("LPP", "(Lapas Narkotika)") is not followed by it again.
    const typed = TYPED_ABBREVIATIONS[abbreviation ?? ""] !== undefined || (named.unitType !== null && abbreviation?.endsWith(named.unitType));
    if (abbreviation) shortName = [abbreviation, typed ? null : named.unitType, city].filter(Boolean).join(" ");
    for (const f of forms) {
      const stated = matchAt(provinceAfter, body, f.end);
      // "Cipinang, Jakarta Timur": a city whose name begins with a province's is no province.
      if (stated && knownPlaceLength(wordsOf(body, f.end + stated[0].length - stated[1]!.length, Math.min(body.length, f.end + stated[0].length + 40)).map((w) => w.text)) <= stated[1]!.split(/\s+/).length) {
        province = stated[1]!;
        break;
      }
    }
  }
  return {
    ref,
    // A Kanwil named without whose office joined the group of one named with it: that one's key.
    key: forms.find((f) => f.organisation !== null)?.key ?? first.key,
    name: named.name,
    shortName,
    kind,
    classification,
    city,
    province,
    abbreviation: bracketed,
    parent: null,
    parentSpan: null,
    mentions: forms.map((f) => ({ start: f.start, end: f.end, text: f.text })),
  };
}

function span(s: Span): Span {
  return { start: s.start, end: s.end };
}

const UNDER = /(?:,\s*)?(?:yang\s+)?(?:(?:kini|sekarang|saat\s+ini)\s+)?(?:(?:berada|bernaung)\s+)?(?:langsung\s+)?(?:di\s*bawah(?:\s+naungan)?|di\s+lingkungan|jajaran|naungan)\s+/giu;
/** "UPT Pemasyarakatan", "unit pelaksana teknis", "satuan kerja", "Kedua UPT tersebut": every unit of the story. */
const ALL_UNITS = /(?:\bUPT|\bunit\s+pelaksana\s+teknis(?:\s*\(UPT\))?|\bsatuan\s+kerja|\bsatker)(?:\s+Pemasyarakatan)?(?:\s+(?:tersebut|itu|ini))?\s*$/iu;
const LIST_GAP = /^(?:\s*,\s*|\s+dan\s+|\s+serta\s+|\s*,\s*dan\s+|\s*,\s*serta\s+)$/u;
/** The most stretches of non-space an ALL_UNITS match spans ("unit pelaksana teknis (UPT) Pemasyarakatan tersebut"), and one to spare. */
const ALL_UNITS_STRETCHES = 7;

/**
 * Where ALL_UNITS ends the body before `at`, if it does: searched in the last stretches of
 * non-space before `at` (from a space, so its \b reads as in the whole text), since searched from
 * the body's start, every "di bawah" cost the whole text before it.
 */
function allUnitsBefore(body: string, at: number): number | null {
  let from = at;
  for (let stretch = 0; stretch < ALL_UNITS_STRETCHES && from > 0; stretch++) {
    while (from > 0 && /\s/.test(body[from - 1]!)) from--;
    while (from > 0 && !/\s/.test(body[from - 1]!)) from--;
  }
  const m = ALL_UNITS.exec(body.slice(from, at));
  return m ? from + m.index : null;
}

/**
 * A parent only where the text says one: "<units> di bawah <body>", "<unit> jajaran <Kanwil>",
 * "UPT Pemasyarakatan di bawah <body>" (every unit of the story). The parent must rank above the child.
 */
function readParents(body: string, institutions: ExtractedInstitution[], mentions: InstitutionMention[], warnings: ImportWarning[]): void {
  const mentionAt = byStart(mentions);
  // Units that "UPT Pemasyarakatan di bawah …" may still give a parent (once given one, never again).
  let orphans = institutions.filter((i) => RANK[i.kind] === 0);
  UNDER.lastIndex = 0;
  for (let m = UNDER.exec(body); m !== null; m = UNDER.exec(body)) {
    const parentMention = mentionAt.get(m.index + m[0].length);
    if (!parentMention) continue;
    const parent = institutions[parentMention.ref]!;
    const children: number[] = [];
    let from = m.index;
    // From the last mention that ends before "di bawah" (mentions are in order and apart, so ordered by end too).
    for (let i = firstAtLeast(mentions, m.index + 1, (x) => x.end) - 1; i >= 0; i--) {
      const c = mentions[i]!;
      if (c.end > from) continue;
      const gap = body.slice(c.end, from);
      if (!(from === m.index ? /^\s*$/.test(gap) : LIST_GAP.test(gap))) break;
      if (c.headTitle) break;
      children.unshift(c.ref);
      from = c.start;
    }
    // Only a body above the units can take them all: under one of rank 0, none would be placed.
    const generic = children.length === 0 && RANK[parent.kind] > 0 ? allUnitsBefore(body, m.index) : null;
    if (generic !== null) {
      from = generic;
      orphans = orphans.filter((i) => i.parent === null);
      for (const inst of orphans) if (inst.ref !== parent.ref) children.push(inst.ref);
    }
    const said = { start: from, end: parentMention.end };
    for (const ref of new Set(children)) {
      const child = institutions[ref]!;
      if (RANK[parent.kind] <= RANK[child.kind] || child.ref === parent.ref) continue;
      if (child.parent !== null && child.parent !== parent.ref) {
        warnings.push({ code: "CONFLICT", message: `${child.name} is said to be under ${parent.name}, but the story put it under ${institutions[child.parent]!.name} before; kept that.`, span: said });
        continue;
      }
      child.parent = parent.ref;
      child.parentSpan = said;
    }
  }
}
