import { SpeakerFocus } from "./import.focus";
import type { InstitutionMention, InstitutionReading } from "./import.institutions";
import { ACCORDING_TO, ATTRIBUTION_VERBS, PRONOUNS, SAYING_VERBS } from "./import.lexicon";
import type { PeopleBook, PersonMention } from "./import.people";
import { readName } from "./import.people";
import { Coverage, firstAtLeast } from "./import.spans";
import { isNameWord, sentencesOf, wordsOf } from "./import.text";
import type { Word } from "./import.text";
import type { ExtractedQuote, ImportWarning, Span } from "./import.types";

const AFTER_VERBS = new Set([...ATTRIBUTION_VERBS, ...SAYING_VERBS]);
const BEFORE_VERBS = new Set([...SAYING_VERBS, ...ACCORDING_TO]);
const PRONOUN_SET = new Set(PRONOUNS);

/** How the text says who spoke a quotation. */
interface Attribution {
  span: Span;
  /** The speaker is the person the story was last speaking about (ujarnya, "Ia mengatakan", "kata dia"). */
  current: boolean;
  /** A name written in the attribution ("tegas Wayan", "Agus Salim mengatakan"). */
  name: { name: string; span: Span } | null;
}

interface Candidate {
  /** The quotation marks and what they hold. */
  marks: Span;
  /** Index of its paragraph. */
  paragraph: number;
  text: string;
  span: Span;
  attribution: Attribution | null;
  /** "“…,” kata X. “…”": the second part has the first part's speaker. */
  sharesWith: Candidate | null;
}

/**
 * Direct quotes and their speakers. A quotation counts when words of attribution stand right
 * after it ("…,” ujarnya.") or right before it ("X mengatakan, “…”"), when it continues one that
 * has them ("“…,” kata X. “…”"), or when it opens a paragraph; a short quoted phrase inside
 * narration (a programme's name, a slogan) is not a quote. A quote whose speaker cannot be told is
 * left out and reported.
 */
export function readQuotes(
  body: string,
  paragraphs: readonly Span[],
  quoted: readonly Span[],
  unclosed: readonly Span[],
  book: PeopleBook,
  institutions: InstitutionReading,
): { quotes: ExtractedQuote[]; warnings: ImportWarning[] } {
  const warnings: ImportWarning[] = unclosed.map((u) => ({
    code: "DROPPED" as const,
    message: `A quotation mark opens but does not close in its paragraph ('${body.slice(u.start, Math.min(u.end, u.start + 60))}…'); it is not read as a quote.`,
    span: u,
  }));
  const candidates: Candidate[] = [];
  const marksIn = marksByParagraph(paragraphs, quoted);
  paragraphs.forEach((p, paragraph) => {
    const marks = marksIn.get(p) ?? [];
    marks.forEach((m, i) => {
      const inner = trimmedInner(body, m);
      if (!inner) return;
      const afterLimit = marks[i + 1]?.start ?? p.end;
      const beforeFrom = marks[i - 1]?.end ?? p.start;
      const attribution = after(body, m.end, afterLimit) ?? before(body, beforeFrom, m.start, book);
      const previous = candidates[candidates.length - 1];
      let sharesWith: Candidate | null = null;
      if (!attribution && previous && previous.marks.end === marks[i - 1]?.end && previous.attribution) {
        const between = body.slice(previous.marks.end, m.start);
        const said = body.slice(previous.attribution.span.start, previous.attribution.span.end);
        if (between.replace(said, "").replace(/[\s,.;:]/g, "") === "") sharesWith = previous;
      }
      const speech = wordsOf(body, inner.span.start, inner.span.end, 4).length >= 4 || /[,.!?…]$/.test(inner.raw);
      // Without attribution, only what reads as speech is a quote (to report); a quoted name or slogan is not.
      if (!attribution && !sharesWith && !speech) return;
      candidates.push({ marks: m, paragraph, text: inner.text, span: inner.span, attribution, sharesWith });
    });
  });

  // Names written in attributions are people of the story, the longer first so "Agus" can stand for "Agus Salim".
  const named = candidates.flatMap((c) => (c.attribution?.name ? [c.attribution.name] : [])).sort((a, b) => b.name.split(" ").length - a.name.split(" ").length);
  const mentioned = new Coverage(body.length, institutions.mentions);
  for (const n of named) {
    if (book.knows(n.name) || book.titleAround(n.span)) continue;
    if (mentioned.overlaps(n.span)) continue;
    book.add(n.name, n.span);
  }
  book.finish();

  const sentences = paragraphs.flatMap((p, paragraph) => sentencesOf(body, p).map((s) => ({ ...s, paragraph })));
  const inQuotes = new Coverage(body.length, quoted);
  const outside = book.mentions.filter((m) => !inQuotes.covers(m.start));
  const ownInstitutions = new Map<number, Set<number>>();
  const attributions = candidates.flatMap((c) => (c.attribution ? [c.attribution.span] : []));
  const focus = new SpeakerFocus(body, sentences, outside, book.titles, [...quoted, ...attributions].sort((a, b) => a.start - b.start));
  const quotes: ExtractedQuote[] = [];
  const speakers = new Map<Candidate, number>();
  for (const c of candidates) {
    focus.advance(c.marks.start);
    const said = c.sharesWith ? c.sharesWith.attribution : c.attribution;
    let speaker: number | null = null;
    let reason = "it has no words of attribution";
    if (c.sharesWith) {
      speaker = speakers.get(c.sharesWith) ?? null;
      reason = "the quote it continues has no speaker";
    } else if (said) {
      const within = mentionsWithin(outside, said.span);
      const clear = within.find((m) => m.refs.length === 1);
      if (clear) speaker = clear.refs[0]!;
      else if (within.length > 0) {
        reason = `'${within[0]!.text}' fits ${namesOf(book, within[0]!.refs)}`;
        warnings.push({ code: "AMBIGUOUS_NAME", message: `${reason}; the quote's speaker is not told.`, span: spanOf(within[0]!) });
      } else if (said.current) {
        const settled = focus.speakerAt(c.paragraph);
        if ("speaker" in settled) speaker = settled.speaker;
        else reason = `'${body.slice(said.span.start, said.span.end)}' points back to a person, and ${settled.why}`;
      } else reason = `'${body.slice(said.span.start, said.span.end)}' names no person`;
    }
    focus.said(speaker, c.paragraph, "the quote before it has no speaker the text settles");
    if (speaker === null) {
      warnings.push({ code: "UNRESOLVED_SPEAKER", message: `Quote '${c.text.slice(0, 60)}${c.text.length > 60 ? "…" : ""}' is not stored: ${reason}.`, span: c.span });
      continue;
    }
    speakers.set(c, speaker);
    quotes.push({
      position: quotes.length,
      text: c.text,
      span: c.span,
      attribution: said ? body.slice(said.span.start, said.span.end) : null,
      attributionSpan: said ? { ...said.span } : null,
      speaker,
      institution: institutionOf(book, institutions, speaker, said?.span ?? null, ownInstitutions),
    });
  }
  return { quotes, warnings };
}

/** What the marks hold, trimmed, without the comma that belongs to the sentence around it ("…,” ujarnya"). */
function trimmedInner(body: string, marks: Span): { text: string; span: Span; raw: string } | null {
  let start = marks.start + 1;
  let end = marks.end - 1;
  while (start < end && /\s/.test(body[start]!)) start++;
  while (end > start && /\s/.test(body[end - 1]!)) end--;
  const raw = body.slice(start, end);
  if (body[end - 1] === ",") end--;
  while (end > start && /\s/.test(body[end - 1]!)) end--;
  if (end <= start) return null;
  return { text: body.slice(start, end), span: { start, end }, raw };
}

/** "…,” ujarnya." / "…,” tegas Wayan." / "…,” Hari menambahkan.": the attribution sentence after the closing mark. */
function after(body: string, from: number, to: number): Attribution | null {
  const sentence = sentencesOf(body, { start: from, end: to })[0];
  if (!sentence) return null;
  const words = wordsOf(body, sentence.start, sentence.end);
  const verbAt = words.slice(0, 6).findIndex((w) => isAttributionVerb(w.text));
  if (verbAt === -1) return null;
  // Nothing but a name may stand before the verb ("…,” Wayan menegaskan.").
  if (verbAt > 0 && !words.slice(0, verbAt).every((w) => isNameWord(w.text) || /^\p{Lu}/u.test(w.text))) return null;
  const span = trimSpan(body, sentence.start, sentence.end);
  const verb = words[verbAt]!;
  const current = isNya(verb.text) || words.some((w) => PRONOUN_SET.has(w.text.toLowerCase()));
  let name: Attribution["name"] = null;
  if (!current) {
    name = verbAt > 0 ? runBefore(body, words, verbAt) : readName(body, verb.end, span.end);
  }
  return { span, current, name: name ? { name: name.name, span: name.span } : null };
}

/** "X mengatakan, “…”" / "Menurut X, “…”" / "Ia menambahkan: “…”": the clause before the opening mark, ending in a comma or colon. */
function before(body: string, from: number, to: number, book: PeopleBook): Attribution | null {
  if (!/[,:]\s*$/.test(body.slice(from, to))) return null;
  const sentences = sentencesOf(body, { start: from, end: to });
  const clause = sentences[sentences.length - 1];
  if (!clause) return null;
  const words = wordsOf(body, clause.start, clause.end);
  let verbAt = -1;
  for (let i = words.length - 1; i >= 0; i--) {
    if (BEFORE_VERBS.has(words[i]!.text.toLowerCase())) {
      verbAt = i;
      break;
    }
  }
  if (verbAt === -1) return null;
  const verb = words[verbAt]!;
  const according = ACCORDING_TO.includes(verb.text.toLowerCase());
  const pronoun = words.slice(0, verbAt).find((w) => PRONOUN_SET.has(w.text.toLowerCase()));
  const title = book.titleWithin(clause.start, verb.start);
  const name = according ? readName(body, verb.end, clause.end) : runBefore(body, words, verbAt);
  const starts = [verb.start, pronoun?.start, title?.start, name?.span.start].filter((s): s is number => s !== undefined);
  const span = trimSpan(body, Math.min(...starts), clause.end);
  const current = !name && !title && (pronoun !== undefined || isNya(verb.text));
  return { span, current, name: name ? { name: name.name, span: name.span } : null };
}

/** The capitalised name just before word `at` ("Hari Winarca mengatakan", "Agus Salim, warga binaan, mengatakan"). */
function runBefore(body: string, words: readonly Word[], at: number): { name: string; span: Span } | null {
  let i = at - 1;
  // An apposition between the name and the verb: "Agus Salim, warga binaan Lapas X, mengatakan".
  if (i >= 0 && /,\s*$/.test(body.slice(words[i]!.end, words[at]!.start)) && !isNameWord(words[i]!.text)) {
    const comma = body.lastIndexOf(",", words[i]!.start);
    while (i >= 0 && words[i]!.start > comma) i--;
  }
  let first = -1;
  while (i >= 0 && isNameWord(words[i]!.text) && (first === -1 || /^ +$/.test(body.slice(words[i]!.end, words[first]!.start)))) {
    first = i;
    i--;
  }
  if (first === -1) return null;
  const read = readName(body, words[first]!.start, words[at]!.start);
  return read ? { name: read.name, span: read.span } : null;
}

function isAttributionVerb(word: string): boolean {
  const w = word.toLowerCase();
  return AFTER_VERBS.has(w) || isNya(w);
}

function isNya(word: string): boolean {
  const w = word.toLowerCase();
  return w.endsWith("nya") && (ATTRIBUTION_VERBS.includes(w.slice(0, -3)) || SAYING_VERBS.includes(w.slice(0, -3)));
}

function trimSpan(body: string, start: number, end: number): Span {
  while (start < end && /[\s,;:]/.test(body[start]!)) start++;
  while (end > start && /[\s.,;:!?]/.test(body[end - 1]!)) end--;
  return { start, end };
}

/** The speaker's institution in this story: the one of their posts, or of the post the attribution names. */
function institutionOf(book: PeopleBook, institutions: InstitutionReading, speaker: number, said: Span | null, owned: Map<number, Set<number>>): number | null {
  let own = owned.get(speaker);
  if (!own) owned.set(speaker, (own = new Set(book.people[speaker]!.positions.map((p) => p.institution))));
  if (own.size === 1) return own.values().next().value!;
  if (own.size > 1 && said) {
    // Mentions are in order of start: the first inside `said` that is one of the speaker's.
    const mentions: readonly InstitutionMention[] = institutions.mentions;
    for (let i = firstAtLeast(mentions, said.start, (m) => m.start); i < mentions.length && mentions[i]!.start < said.end; i++) {
      const m = mentions[i]!;
      if (m.end <= said.end && own.has(m.ref)) return m.ref;
    }
  }
  return null;
}

/** The quotations of each paragraph, in their order (a paragraph holds those that start in it and end by its end). */
function marksByParagraph(paragraphs: readonly Span[], quoted: readonly Span[]): Map<Span, Span[]> {
  const marks = new Map<Span, Span[]>();
  for (const q of quoted) {
    const p = paragraphs[firstAtLeast(paragraphs, q.start + 1, (s) => s.start) - 1];
    if (p && q.start >= p.start && q.end <= p.end) (marks.get(p) ?? marks.set(p, []).get(p)!).push(q);
  }
  return marks;
}

/** The person mentions inside `span`, in order (mentions are in order of start). */
function mentionsWithin(mentions: readonly PersonMention[], span: Span): PersonMention[] {
  const out: PersonMention[] = [];
  for (let i = firstAtLeast(mentions, span.start, (m) => m.start); i < mentions.length && mentions[i]!.start < span.end; i++) if (mentions[i]!.end <= span.end) out.push(mentions[i]!);
  return out;
}

/** At most this many names in a message: a short name can fit hundreds of people, and each quote's warning would list them all. */
const NAMES_IN_MESSAGE = 5;

function namesOf(book: PeopleBook, refs: readonly number[]): string {
  const names = refs.slice(0, NAMES_IN_MESSAGE).map((r) => book.people[r]!.name);
  if (refs.length <= NAMES_IN_MESSAGE) return names.join(" and ");
  return `${names.join(", ")} and ${refs.length - NAMES_IN_MESSAGE} others`;
}

function spanOf(s: Span): Span {
  return { start: s.start, end: s.end };
}
