import { readAccreditations } from "./import.accreditations";
import { readInstitutions } from "./import.institutions";
import { parseStoryText } from "./import.parser";
import { PeopleBook } from "./import.people";
import { readQuotes } from "./import.quotes";
import { quotationsOf } from "./import.text";
import type { ExtractedStory } from "./import.types";

/**
 * Takes a plain-text story apart: its fields, then the institutions it names, the predicates it
 * says they earned, the people and posts, and the direct quotes with their speakers. Pure: it
 * reads only `text` and writes nothing. Throws BadUserInputError when the text has no story.
 */
export function extractStory(text: string): ExtractedStory {
  const story = parseStoryText(text);
  const { body, paragraphSpans } = story;
  const { quoted, unclosed } = quotationsOf(body, paragraphSpans);
  const institutions = readInstitutions(body, story.dateline ? [story.dateline] : []);
  const accreditations = readAccreditations(body, paragraphSpans, institutions.mentions);
  const book = new PeopleBook(body, institutions, quoted);
  const quotes = readQuotes(body, paragraphSpans, quoted, unclosed, book, institutions);
  return {
    story,
    institutions: institutions.institutions,
    accreditations: accreditations.accreditations,
    people: book.people,
    quotes: quotes.quotes,
    warnings: [...institutions.warnings, ...accreditations.warnings, ...book.warnings, ...quotes.warnings].sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0)),
  };
}
