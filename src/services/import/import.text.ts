import type { Span } from "./import.types";

/** A word of the body with where it stands; internal dots, hyphens and apostrophes stay in it ("A.Md.IP", "antar-UPT"). */
export interface Word extends Span {
  text: string;
}

/**
 * The words in [from, to), the first `limit` of them: what `/[\p{L}\p{N}]+(?:[.'’\-/][\p{L}\p{N}]+)*\/gu`
 * finds from `from` on, but a word that goes on past `to` is left out and ends the list. Read
 * character by character, and only in [from, to): the regex run on the whole text went on to the
 * next word after `to` (or through a long word across it) at every call, and its matches were much
 * of the garbage a long story made.
 */
export function wordsOf(text: string, from = 0, to = text.length, limit = Infinity): Word[] {
  const out: Word[] = [];
  const known = knownWords(text, from);
  if (known) {
    for (let k = known.first; k < known.words.length && out.length < limit; k++) {
      const w = known.words[k]!;
      if (w.start >= to || w.end > to) break;
      out.push(w);
    }
    return out;
  }
  scanWords(text, from, to, (start, end) => {
    out.push({ text: text.slice(start, end), start, end });
    return out.length < limit;
  });
  return out;
}

/**
 * The words of wordsOf(text, from, to), each given to `visit` by where it stands, until `visit`
 * answers false.
 */
export function eachWord(text: string, from: number, to: number, visit: (start: number, end: number) => boolean): void {
  const known = knownWords(text, from);
  if (!known) return scanWords(text, from, to, visit);
  for (let k = known.first; k < known.words.length; k++) {
    const w = known.words[k]!;
    if (w.start >= to || w.end > to || !visit(w.start, w.end)) return;
  }
}

/** A story's body is read in many windows: texts this long are cut into words once (see TextWords). */
const WORDS_KEPT_FROM = 2000;
let lastWords: TextWords | null = null;

/** The words of a long `text` from `from` on, cut once for all windows: null when `text` is short or `from` is inside a word (a window may start there, and read part of it as a word). */
function knownWords(text: string, from: number): { words: readonly Word[]; first: number } | null {
  if (text.length < WORDS_KEPT_FROM || from < 0 || from > text.length) return null;
  if (lastWords === null || lastWords.text !== text) lastWords = new TextWords(text);
  // Strings compare by content: an equal text read again is compared in full once, and then by reference.
  else lastWords.text = text;
  const first = lastWords.firstFrom[from]!;
  return first < 0 ? null : { words: lastWords.words, first };
}

/**
 * A text's words, each made once, and for each place the first word that starts there or after
 * (-1 inside a word): a window that starts outside a word reads the same words the whole text
 * holds, and a word that goes on past its end ends it.
 */
class TextWords {
  readonly words: Word[] = [];
  readonly firstFrom: Int32Array;

  constructor(public text: string) {
    this.firstFrom = new Int32Array(text.length + 1);
    let at = 0;
    scanWords(text, 0, text.length, (start, end) => {
      const k = this.words.length;
      this.words.push({ text: text.slice(start, end), start, end });
      this.firstFrom.fill(k, at, start + 1);
      this.firstFrom.fill(-1, start + 1, end);
      at = end;
      return true;
    });
    this.firstFrom.fill(this.words.length, at, text.length + 1);
  }
}

/** wordsOf's reading, character by character. */
function scanWords(text: string, from: number, to: number, visit: (start: number, end: number) => boolean): void {
  let i = Math.max(0, from);
  // As the u flag does: a start inside a surrogate pair moves back to the pair's start.
  if (i > 0 && i < text.length && isLowSurrogate(text.charCodeAt(i)) && isHighSurrogate(text.charCodeAt(i - 1))) i--;
  const hi = Math.max(i, Math.min(to, text.length));
  while (i < hi) {
    let n = alnumAt(text, i, hi);
    if (n === 0) {
      i += isHighSurrogate(text.charCodeAt(i)) && i + 1 < hi && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
      continue;
    }
    const start = i;
    for (;;) {
      while (n > 0) {
        i += n;
        n = alnumAt(text, i, hi);
      }
      if (i >= hi || !isWordJoin(text.charCodeAt(i)) || (n = alnumAt(text, i + 1, hi)) === 0) break;
      i++;
    }
    if (i + 2 >= hi && wordGoesOn(text, i)) return;
    if (!visit(start, i)) return;
  }
}

/*
 * What each character is, asked of a table filled as characters are met: the regexes' \p{L},
 * \p{N}, \p{Lu} and \p{Ll}, read once per UTF-16 code (a surrogate pair, rare, by the regexes).
 */
const KNOWN = 1;
const LETTER = 2;
const ALNUM = 4;
const UPPER = 8;
const LOWER = 16;
const CLASSES = new Uint8Array(65536);

function classOf(character: string): number {
  const letter = /^\p{L}$/u.test(character);
  return KNOWN | (letter ? LETTER : 0) | (letter || /^\p{N}$/u.test(character) ? ALNUM : 0) | (/^\p{Lu}$/u.test(character) ? UPPER : 0) | (/^\p{Ll}$/u.test(character) ? LOWER : 0);
}

/** The length (1, or 2 for a surrogate pair) of the character at `i` of `text` read up to `hi` when it is of `kind`; 0 otherwise. */
function lengthIf(kind: number, text: string, i: number, hi: number): number {
  if (i >= hi) return 0;
  const c = text.charCodeAt(i);
  if (isHighSurrogate(c) && i + 1 < hi && isLowSurrogate(text.charCodeAt(i + 1))) return classOf(text.slice(i, i + 2)) & kind ? 2 : 0;
  let known = CLASSES[c]!;
  if (known === 0) CLASSES[c] = known = classOf(String.fromCharCode(c));
  return known & kind ? 1 : 0;
}

/** The length (1, or 2 for a surrogate pair) of the letter or digit at `i` in `text` read up to `hi`; 0 when none is there. */
export function alnumAt(text: string, i: number, hi: number): number {
  return lengthIf(ALNUM, text, i, hi);
}

/** The length (1, or 2 for a surrogate pair) of the letter at `i` in `text` read up to `hi`; 0 when none is there. */
export function letterAt(text: string, i: number, hi = text.length): number {
  return lengthIf(LETTER, text, i, hi);
}

/** Whether a word starts with a capital. */
export function startsCapitalised(text: string, at: number, hi = text.length): boolean {
  return lengthIf(UPPER, text, at, hi) > 0;
}

/** . ' ’ - / : they join letters or digits into one word. */
function isWordJoin(c: number): boolean {
  return c === 0x2e || c === 0x27 || c === 0x2019 || c === 0x2d || c === 0x2f;
}

const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** The word ending at `at` goes on in the whole text: a letter or digit, or one of .'’-/ and then one. */
function wordGoesOn(text: string, at: number): boolean {
  return alnumAt(text, at, text.length) > 0 || (isWordJoin(text.charCodeAt(at)) && alnumAt(text, at + 1, text.length) > 0);
}

/**
 * A capital and small letters, as place names and names are written ("Banyuwangi", "Nurasta"):
 * `/^\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}?[\p{Ll}]+)*$/u`, read character by character (asked of most words
 * of a story, the regex was a tenth of the reading).
 */
export function isNameWord(word: string): boolean {
  const hi = word.length;
  let i = lengthIf(UPPER, word, 0, hi);
  if (i === 0) return false;
  const first = i;
  for (;;) {
    const c = word.charCodeAt(i);
    const n = c === 0x27 || c === 0x2019 ? 1 : lengthIf(LOWER, word, i, hi);
    if (n === 0) break;
    i += n;
  }
  if (i === first) return false;
  while (i < hi) {
    if (word.charCodeAt(i) !== 0x2d) return false;
    i++;
    i += lengthIf(UPPER, word, i, hi);
    const small = i;
    for (let n = lengthIf(LOWER, word, i, hi); n > 0; n = lengthIf(LOWER, word, i, hi)) i += n;
    if (i === small) return false;
  }
  return true;
}

export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** An alternation of phrases, longest first, with words separated by any run of spaces. */
export function phrases(list: readonly string[]): string {
  return [...list]
    .sort((a, b) => b.length - a.length)
    .map((p) => escapeRegExp(p).replace(/\\?\s+/g, "\\s+"))
    .join("|");
}

/**
 * Direct-quotation regions of the body: “curly” pairs, and straight "…" pairs counted within a
 * paragraph. An opening mark with no closing one in its paragraph is returned in `unclosed`.
 */
export function quotationsOf(body: string, paragraphs: readonly Span[]): { quoted: Span[]; unclosed: Span[] } {
  const quoted: Span[] = [];
  const unclosed: Span[] = [];
  for (const p of paragraphs) {
    let open: number | null = null;
    let straight: number | null = null;
    for (let i = p.start; i < p.end; i++) {
      const c = body[i];
      if (c === "“") {
        if (open === null) open = i;
      } else if (c === "”") {
        if (open !== null) {
          quoted.push({ start: open, end: i + 1 });
          open = null;
        }
      } else if (c === '"' && open === null) {
        if (straight === null) straight = i;
        else {
          quoted.push({ start: straight, end: i + 1 });
          straight = null;
        }
      }
    }
    if (open !== null) unclosed.push({ start: open, end: p.end });
    if (straight !== null) unclosed.push({ start: straight, end: p.end });
  }
  return { quoted, unclosed };
}

/** Words ending in a dot that do not end a sentence: initials, honorifics, degrees, "No.", "Kab.". */
const ABBREVIATION_BEFORE_DOT = /(?:^|[\s(])(?:\p{Lu}|\p{Lu}\p{Ll}{0,2}|[\p{L}]+(?:\.[\p{L}]+)+|No|Kab|Kec|Jl|Prov|Prof|Sdr|Sdri|dkk|dll|dsb|tsb|a\.n|u\.p)$/u;

/** Where the sentences of a paragraph stand: each ends at . ! ? that is not an abbreviation's dot, or at a closing quote that ends one. */
export function sentencesOf(body: string, paragraph: Span): Span[] {
  const out: Span[] = [];
  let start = paragraph.start;
  for (let i = paragraph.start; i < paragraph.end; i++) {
    const c = body[i]!;
    if (c !== "." && c !== "!" && c !== "?") continue;
    const next = body.slice(i + 1, i + 3);
    if (!/^(?:\s|$|[”"’)])/.test(next) && i + 1 < paragraph.end) continue;
    if (c === "." && ABBREVIATION_BEFORE_DOT.test(body.slice(Math.max(paragraph.start, i - 12), i))) continue;
    let end = i + 1;
    // A quotation that closes the sentence belongs to it: “… sini.” ujarnya — the sentence goes on.
    if (/^[”"]/.test(body.slice(end))) continue;
    while (end < paragraph.end && /[)’]/.test(body[end]!)) end++;
    out.push({ start, end });
    start = end;
    while (start < paragraph.end && /\s/.test(body[start]!)) start++;
  }
  if (start < paragraph.end) out.push({ start, end: paragraph.end });
  return out;
}
