import { BadUserInputError } from "../../kernel/errors";
import type { ExtractedStoryFields, Span } from "./import.types";

/** The longest body the importer takes, the same as an article's body. */
export const MAX_BODY_CHARS = 200_000;
/** The longest raw text read at all: room for furniture around a full body, and a bound on the work. */
export const MAX_TEXT_CHARS = 1_000_000;
const MAX_TITLE_CHARS = 300;

// Control characters other than tab and newline, and zero-width marks copied from web pages.
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200D\u2060\uFEFF]/g;

/*
 * Page furniture: whole lines that are part of the web page, not of the story. Each rule is for a
 * short line only, so a paragraph that merely starts with the same word ("Iklan rokok …") stays.
 */
const FURNITURE_LINES: RegExp[] = [
  /^(?:banner|iklan|advertisement|advertorial|ads|sponsored)\b[\s\d×x:.\-–]*$/i,
  /^(?:banner|iklan)\s+\d+\s*[x×]\s*\d+\b.*$/i,
  /^scroll\b.*\b(?:continue|lanjut|melanjutkan|baca)\b.*$/i,
  /^baca\s+(?:juga|pula)\s*:.*$/i,
  /^(?:editor|penulis|oleh|reporter|pewarta|wartawan|redaktur|penyunting|foto|fotografer|sumber|tags?|topik|kategori)\s*:.*$/i,
  /^(?:bagikan|share|ikuti kami|follow us)\b.{0,60}$/i,
  /^(?:home|beranda)\s*[»›>/].*$/i,
  /^dibaca\s+\d+\s*(?:kali)?$/i,
  // A date and time line under the title: "Kamis, 9 Oktober 2025 - 10:15 WIB", "09/10/2025 10:15".
  /^(?:(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu),?\s*)?\d{1,2}(?:\s+\p{L}+\s+|[/.-]\d{1,2}[/.-])\d{2,4}(?:\s*[-|,]?\s*\d{1,2}[:.]\d{2}(?:\s*(?:WIB|WITA|WIT))?)?$/iu,
];

/** Where the page's own matter below the story begins; it and everything after it are dropped. */
export const TAIL_START = /^(?:tinggalkan\s+(?:balasan|komentar)|leave a (?:reply|comment)|berikan komentar|komentar anda|berita terkait|artikel terkait|baca (?:berita|artikel) lainnya)\b/i;

/*
 * The lead-in of the first paragraph: "BANYUWANGI, Actanews.id – ", "SURABAYA – ",
 * "Surabaya (ANTARA) - ". A place in capitals may stand alone; a place in ordinary case only with
 * an outlet, so that an opening like "Lapas Banyuwangi – …" is not taken for a dateline.
 */
const DASH = String.raw`(?:\s*[–—]+\s*|\s+-{1,2}\s+)`;
const LEAD_CAPS = new RegExp(String.raw`^([A-Z][A-Z.'\- ]{0,98}[A-Z.])(?:\s*,\s*([^\s,–—][^,–—]{0,198}?)|\s*\(([^()]{1,198})\))?${DASH}`);
const LEAD_MIXED = new RegExp(String.raw`^([A-Z][a-z]+(?:\s[A-Z][a-z]+){0,3})(?:\s*,\s*([^\s,–—][^,–—]{0,198}?)|\s*\(([^()]{1,198})\))${DASH}`);

/** A story's paragraphs as they were on the page, before any fact is read from them. */
export function parseStoryText(text: string): ExtractedStoryFields {
  if (typeof text !== "string" || text.replace(INVISIBLE, "").trim() === "") {
    throw new BadUserInputError("text is blank: give the story as plain text (title, then paragraphs).", "text");
  }
  if (text.length > MAX_TEXT_CHARS) {
    throw new BadUserInputError(`text must be at most ${MAX_TEXT_CHARS} characters, got ${text.length}.`, "text");
  }
  const lines = text.replace(INVISIBLE, "").replace(/\r\n?/g, "\n").replace(/[\u00A0\u2007\u202F]/g, " ").split("\n");

  const furniture: string[] = [];
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (TAIL_START.test(line)) {
      furniture.push(...lines.slice(i).map((l) => l.trim()).filter((l) => l !== ""));
      break;
    }
    if (line !== "" && line.length <= 200 && FURNITURE_LINES.some((rule) => rule.test(line))) {
      furniture.push(line);
      continue;
    }
    kept.push(line);
  }

  const blocks = kept
    .join("\n")
    .split(/\n{2,}/)
    .map((b) => b.trim())
    .filter((b) => b !== "");
  if (blocks.length === 0) {
    throw new BadUserInputError("text holds only page furniture (banners, share bars, the comment form): it has no title and no body.", "text");
  }
  // A title typed straight above the first paragraph, without a blank line, is still a title.
  const first = blocks[0]!.split("\n");
  if (first.length > 1) blocks.splice(0, 1, first[0]!, first.slice(1).join("\n"));
  const title = fold(blocks[0]!);
  if (title.length > MAX_TITLE_CHARS) {
    throw new BadUserInputError(`The title (the first line) must be at most ${MAX_TITLE_CHARS} characters, got ${title.length}; put the title on a line of its own.`, "text");
  }
  const paragraphs = blocks.slice(1).map(fold);

  let dateline: string | null = null;
  let source: string | null = null;
  if (paragraphs.length > 0) {
    const lead = LEAD_CAPS.exec(paragraphs[0]!) ?? LEAD_MIXED.exec(paragraphs[0]!);
    if (lead) {
      dateline = lead[1]!.trim();
      source = (lead[2] ?? lead[3])?.trim() || null;
      paragraphs[0] = paragraphs[0]!.slice(lead[0].length).trim();
      if (paragraphs[0] === "") paragraphs.shift();
    }
  }
  if (paragraphs.length === 0) {
    throw new BadUserInputError(`text has a title ('${title.slice(0, 60)}') but no body: give the paragraphs below it, separated by blank lines.`, "text");
  }

  const body = paragraphs.join("\n\n");
  if (body.length > MAX_BODY_CHARS) {
    throw new BadUserInputError(`The story's body must be at most ${MAX_BODY_CHARS} characters, got ${body.length}.`, "text");
  }
  const paragraphSpans: Span[] = [];
  let at = 0;
  for (const p of paragraphs) {
    paragraphSpans.push({ start: at, end: at + p.length });
    at += p.length + 2;
  }
  return { title, dateline, source, paragraphs, body, paragraphSpans, furniture };
}

/** A paragraph wrapped over several lines reads as one line; runs of spaces become one. */
function fold(block: string): string {
  return block.replace(/\s+/g, " ").trim();
}
