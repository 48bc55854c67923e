import type { Span } from "./import.types";

/** A word of the body with where it stands; internal dots, hyphens and apostrophes stay in it ("A.Md.IP", "antar-UPT"). */
export interface Word extends Span {
  text: string;
}

const WORD = /[\p{L}\p{N}]+(?:[.'’\-/][\p{L}\p{N}]+)*/gu;

export function wordsOf(text: string, from = 0, to = text.length): Word[] {
  const out: Word[] = [];
  WORD.lastIndex = from;
  for (let m = WORD.exec(text); m !== null && m.index < to; m = WORD.exec(text)) {
    if (m.index + m[0].length > to) break;
    out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

export function isCapitalised(word: string): boolean {
  return /^\p{Lu}/u.test(word);
}

/** A capital and small letters, as place names and names are written ("Banyuwangi", "Nurasta"). */
export function isNameWord(word: string): boolean {
  return /^\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}?[\p{Ll}]+)*$/u.test(word);
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

export function inside(spans: readonly Span[], at: number): boolean {
  return spans.some((s) => at >= s.start && at < s.end);
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
