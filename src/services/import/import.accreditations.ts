import type { InstitutionMention } from "./import.institutions";
import { ANNOUNCING_VERBS, AWARD_VERBS, LIST_OPENERS, NOT_YET, PREDICATES } from "./import.lexicon";
import { firstAtLeast } from "./import.spans";
import { phrases, sentencesOf, wordsOf } from "./import.text";
import type { AccreditationCode, ExtractedAccreditation, ImportWarning, Span } from "./import.types";

interface Predicate extends Span {
  code: AccreditationCode;
  title: string;
}

const PREDICATE = new RegExp(
  String.raw`(?<![\p{L}])(${phrases(PREDICATES.flatMap((p) => p.forms))})(?:\s*\((WBK|WBBM)\))?(?![\p{L}])`,
  "gu",
);
const VERB = new RegExp(String.raw`(?<![\p{L}])(${phrases(AWARD_VERBS.map((v) => v.word))})(?![\p{L}])`, "giu");
// A year standing alone; not the last part of a date like 9/10/2023.
const YEAR = /(?<![\p{N}/.-])(20\d{2})(?![\p{N}/])/gu;
const LIST_GAP = /^(?:\s*,\s*|\s+dan\s+|\s+serta\s+|\s*,\s*dan\s+|\s*,\s*serta\s+)$/u;
// After a predicate (and its year): the words that open the list of its holders.
const HOLDERS = new RegExp(String.raw`^(?:\s+(?:pada\s+)?(?:tahun\s+)?20\d{2})?\s*,?\s*(?:${phrases(LIST_OPENERS)})\s*:?\s+`, "iu");

/**
 * Zona Integritas predicates given to institutions: in each sentence, an award verb ("meraih",
 * "diraih", "menerima"…) joins the institutions before it (after it, for a passive verb) to the
 * predicates after it (before it), each with the year that follows it, else the sentence's one
 * year. A verb after "akan", "ingin", "menuju"… is a wish, not an award, and gives nothing.
 */
export function readAccreditations(body: string, paragraphs: readonly Span[], mentions: readonly InstitutionMention[]): { accreditations: ExtractedAccreditation[]; warnings: ImportWarning[] } {
  const accreditations: ExtractedAccreditation[] = [];
  const warnings: ImportWarning[] = [];
  const seen = new Set<string>();
  const subjects = mentions.filter((m) => m.headTitle === null);

  for (const paragraph of paragraphs) {
    for (const sentence of sentencesOf(body, paragraph)) {
      const text = body.slice(sentence.start, sentence.end);
      const predicates = all(PREDICATE, text, sentence.start, (m) => {
        const code = (m[2] ?? PREDICATES.find((p) => p.forms.some((f) => f.toLowerCase() === m[1]!.replace(/\s+/g, " ").toLowerCase()))!.code) as AccreditationCode;
        return { code, title: PREDICATES.find((p) => p.code === code)!.title };
      }).filter((p) => !/\bmenuju\s+(?:predikat\s+)?$/i.test(body.slice(Math.max(sentence.start, p.start - 20), p.start)));
      if (predicates.length === 0) continue;
      const verbs = all(VERB, text, sentence.start, (m) => ({ passive: AWARD_VERBS.find((v) => v.word === m[1]!.toLowerCase().replace(/\s+/g, " "))!.passive })).filter((v) => !wished(body, sentence.start, v));
      const years = all(YEAR, text, sentence.start, (m) => ({ year: Number(m[1]) }));
      const insts = within(subjects, sentence.start, sentence.end);
      const oneYear = new Set(years.map((y) => y.year)).size === 1 ? years[0]! : null;
      let eachTheirOwn: boolean | undefined;

      let boundary = sentence.start;
      // Verbs, predicates, years and institutions are each in order and apart (so ordered by end too): each question below is a search, not a scan.
      verbs.forEach((verb, vi) => {
        const nextVerb = verbs[vi + 1]?.start ?? sentence.end;
        let who: InstitutionMention[];
        let what: Predicate[];
        if (verb.passive) {
          what = within(predicates, boundary, verb.start);
          if (what.length === 0) return;
          who = listAfter(body, insts, verb.end, nextVerb);
        } else {
          const nextSubject = insts[firstAtLeast(insts, verb.end + 1, (i) => i.start)]?.start ?? nextVerb;
          what = predicates.slice(firstAtLeast(predicates, verb.end, (p) => p.start), firstAtLeast(predicates, Math.min(nextVerb, nextSubject), (p) => p.start));
          // Only a verb with predicates looks for its institutions: one without would read the same stretch before it again.
          if (what.length === 0) return;
          who = listBefore(body, insts, boundary, verb.start);
        }
        boundary = Math.max(verb.end, what[what.length - 1]!.end);
        // "… mengumumkan tiga UPT meraih predikat WBK tahun 2023, yakni Lapas A, Rutan B dan Bapas C": the holders are listed after.
        if (who.length === 0 && !verb.passive) who = listedAfter(body, insts, what[what.length - 1]!.end, sentence.end);
        if (who.length === 0) {
          warnings.push({ code: "DROPPED", message: `'${body.slice(verb.start, boundary)}' names no institution that earned it; no accreditation stored.`, span: { start: verb.start, end: boundary } });
          return;
        }
        let pairs: Array<[InstitutionMention, Predicate]>;
        if (who.length === 1 || what.length === 1) pairs = who.flatMap((w) => what.map((p): [InstitutionMention, Predicate] => [w, p]));
        else if (who.length === what.length && (eachTheirOwn ??= /\bmasing-masing\b/i.test(text))) pairs = who.map((w, i) => [w, what[i]!]);
        else {
          warnings.push({ code: "DROPPED", message: `${quotedSentence(text)} gives ${what.length} predicates to ${who.length} institutions without saying which is whose; none stored.`, span: sentence });
          return;
        }
        for (const [inst, predicate] of pairs) {
          const nextPredicate = predicates[firstAtLeast(predicates, predicate.end + 1, (p) => p.start)]?.start ?? nextVerb;
          const after = years[firstAtLeast(years, predicate.end + 1, (y) => y.start)];
          const own = after && after.start < Math.min(nextPredicate, nextVerb) ? after : undefined;
          const year = own ?? oneYear;
          if (!year) {
            warnings.push({ code: "DROPPED", message: `${predicate.code} for '${inst.text}' is stated without a year the sentence makes clear; not stored.`, span: { start: predicate.start, end: predicate.end } });
            continue;
          }
          if (own) boundary = Math.max(boundary, own.end);
          const key = `${inst.ref}|${predicate.code}|${year.year}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const start = Math.min(inst.start, predicate.start, verb.start, year.start);
          const end = Math.max(inst.end, predicate.end, year.end);
          accreditations.push({ code: predicate.code, title: predicate.title, year: year.year, institution: inst.ref, span: { start, end } });
        }
      });
    }
  }
  return { accreditations, warnings };
}

function all<T>(re: RegExp, text: string, offset: number, read: (m: RegExpExecArray) => T): Array<T & Span> {
  const out: Array<T & Span> = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push({ ...read(m), start: offset + m.index, end: offset + m.index + m[0].length });
  return out;
}

/** "akan meraih", "menargetkan untuk meraih": one of the two words before the verb makes it a plan. */
function wished(body: string, from: number, verb: Span): boolean {
  const before = wordsOf(body, Math.max(from, verb.start - 40), verb.start).slice(-2);
  return before.some((w) => NOT_YET.has(w.text.toLowerCase()));
}

/**
 * The institution nearest before `at` (after `from`), with those listed with it ("Lapas A dan Rutan B");
 * none when a verb of announcing stands between it and `at` ("Kanwil X mengumumkan … meraih").
 */
function listBefore(body: string, insts: readonly InstitutionMention[], from: number, at: number): InstitutionMention[] {
  const lastAt = firstAtLeast(insts, at + 1, (i) => i.end) - 1;
  const last = insts[lastAt];
  if (!last || last.start < from) return [];
  if (wordsOf(body, last.end, at).some((w) => ANNOUNCING_VERBS.has(w.text.toLowerCase()))) return [];
  const out: InstitutionMention[] = [];
  for (let i = lastAt; i >= 0 && insts[i]!.start >= from; i--) {
    const m = insts[i]!;
    if (out.length > 0 && !LIST_GAP.test(body.slice(m.end, out[out.length - 1]!.start))) break;
    out.push(m);
  }
  return uniqueRefs(out.reverse());
}

/** The institutions right after a passive verb ("diraih oleh Lapas A dan Rutan B"). */
function listAfter(body: string, insts: readonly InstitutionMention[], at: number, to: number): InstitutionMention[] {
  const from = firstAtLeast(insts, at, (i) => i.start);
  const first = insts[from];
  if (!first || first.end > to || !/^\s+(?:oleh\s+|kepada\s+|untuk\s+)?$/iu.test(body.slice(at, first.start))) return [];
  const out = [first];
  for (let i = from + 1; i < insts.length && insts[i]!.end <= to; i++) {
    const m = insts[i]!;
    if (!LIST_GAP.test(body.slice(out[out.length - 1]!.end, m.start))) break;
    out.push(m);
  }
  return uniqueRefs(out);
}

/** The institutions a list opened right after a predicate names ("…, yakni Lapas A, Rutan B dan Bapas C"). */
function listedAfter(body: string, insts: readonly InstitutionMention[], at: number, to: number): InstitutionMention[] {
  const opener = HOLDERS.exec(body.slice(at, Math.min(to, at + 60)));
  if (!opener) return [];
  const from = firstAtLeast(insts, at + opener[0].length, (i) => i.start);
  const first = insts[from];
  if (!first || first.start !== at + opener[0].length) return [];
  const out = [first];
  for (let i = from + 1; i < insts.length && insts[i]!.end <= to; i++) {
    const m = insts[i]!;
    if (!LIST_GAP.test(body.slice(out[out.length - 1]!.end, m.start))) break;
    out.push(m);
  }
  return uniqueRefs(out);
}

/** The items (in order and apart) that start at or after `from` and end by `to`. */
function within<T extends Span>(items: readonly T[], from: number, to: number): T[] {
  return items.slice(firstAtLeast(items, from, (i) => i.start), firstAtLeast(items, to + 1, (i) => i.end));
}

/**
 * A sentence as a message quotes it, cut after 300 characters: a sentence can be the whole body,
 * and a message is given per verb in it (quoted whole, a story of award verbs made messages of
 * hundreds of MB).
 */
function quotedSentence(text: string): string {
  return text.length > 300 ? `'${text.slice(0, 299)}…'` : `'${text}'`;
}

function uniqueRefs(list: InstitutionMention[]): InstitutionMention[] {
  const seen = new Set<number>();
  return list.filter((m) => (seen.has(m.ref) ? false : (seen.add(m.ref), true)));
}
