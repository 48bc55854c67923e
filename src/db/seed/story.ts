import { splitParagraphs } from "../../common/text";

/** A plain-text story as it was on the page, taken apart. */
export interface ParsedStory {
  title: string;
  dateline: string | null;
  source: string | null;
  /** Body paragraphs, the first without its dateline lead-in. */
  paragraphs: string[];
  /** Direct quotes in the order they stand. */
  quotes: Array<{ text: string; attribution: string | null; paragraph: number }>;
}

const PAGE_FURNITURE = /^(banner\b.*|iklan\b.*|advertisement\b.*)$/i;
const COMMENT_FORM = /^Tinggalkan Balasan\b/;
const LEAD_IN = /^([A-Z][A-Z .'-]*[A-Z]),\s+([A-Za-z0-9.-]+\.[A-Za-z]{2,})\s+[–—-]\s+/;
const QUOTE_PARAGRAPH = /^[“"](.+?)[”"]\s*(.*?)\s*\.?\s*$/s;

/**
 * Takes apart a story shaped like shared/seed-article.txt: banner lines and the comment form
 * below the story are page furniture, not content; the first line is the title; the first
 * paragraph opens with "PLACE, Outlet –"; a paragraph that opens with a quotation is a direct
 * quote followed by its attribution words ("ujarnya", "tegas Wayan").
 */
export function parseStory(text: string): ParsedStory {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const formAt = lines.findIndex((l) => COMMENT_FORM.test(l.trim()));
  const content = (formAt === -1 ? lines : lines.slice(0, formAt)).filter((l) => !PAGE_FURNITURE.test(l.trim()));
  const blocks = splitParagraphs(content.join("\n"));
  const [title, ...paragraphs] = blocks;
  if (title === undefined || paragraphs.length === 0) throw new Error("The story has no title or no body.");

  let dateline: string | null = null;
  let source: string | null = null;
  const lead = LEAD_IN.exec(paragraphs[0]!);
  if (lead) {
    dateline = lead[1]!;
    source = lead[2]!;
    paragraphs[0] = paragraphs[0]!.slice(lead[0].length);
  }

  const quotes: ParsedStory["quotes"] = [];
  paragraphs.forEach((paragraph, index) => {
    const match = QUOTE_PARAGRAPH.exec(paragraph);
    if (!match) return;
    // The comma before the closing mark belongs to the sentence around the quote, not to the quote.
    const quoted = match[1]!.trim().replace(/,$/, "");
    quotes.push({ text: quoted, attribution: match[2] ? match[2].trim() : null, paragraph: index });
  });
  return { title: title.replace(/\s+/g, " "), dateline, source, paragraphs, quotes };
}
