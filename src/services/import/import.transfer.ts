import type { InstitutionKind } from "../../kernel/institution-kind";
import type { AccreditationCode, ExtractedInstitution, ExtractedPerson, ExtractedStory, ImportWarning, ImportWarningCode, Mention, Span } from "./import.types";

/**
 * A story's reading as the import worker posts it back (import.pool.ts): every number of it in one
 * Int32Array, whose buffer is moved to the other thread rather than copied, and its strings in one
 * list. Posted as it is, a reading at the body limit was 4–5 MB to copy (each of some 50,000
 * objects written with its keys, each excerpt a string of its own, the body twice: once whole and
 * once in paragraphs) and 30–90 ms between the threads; packed, it is the body, the names, titles
 * and messages, and a buffer. A mention's or paragraph's text that is the body's own at its span
 * (all of them, as read today) is not sent but cut from the body again on arrival. Strings are not
 * deduplicated: looking each up in a map (flattening the concatenated ones to hash them) took
 * 25–45 ms at the body limit, far more than copying the repeats.
 */
export interface PackedStory {
  strings: string[];
  numbers: Int32Array;
}

/** Marks a null (for a string or a number that cannot be negative). */
const NONE = -1;
/** Marks a string that is the body's text at the span just written. */
const BODY_TEXT = -2;

class Writer {
  numbers = new Int32Array(4096);
  length = 0;
  readonly strings: string[] = [];

  constructor(readonly body: string) {}

  int(value: number): void {
    if (this.length === this.numbers.length) {
      const grown = new Int32Array(this.numbers.length * 2);
      grown.set(this.numbers);
      this.numbers = grown;
    }
    this.numbers[this.length++] = value;
  }

  /** A number that is null or at least 0. */
  optional(value: number | null): void {
    this.int(value === null ? NONE : value);
  }

  bool(value: boolean): void {
    this.int(value ? 1 : 0);
  }

  string(value: string | null): void {
    if (value === null) return this.int(NONE);
    // Each string as it comes: looking every one up to send it once cost more than sending the repeats.
    this.int(this.strings.length);
    this.strings.push(value);
  }

  span(span: Span): void {
    this.int(span.start);
    this.int(span.end);
  }

  optionalSpan(span: Span | null): void {
    if (span === null) this.int(NONE);
    else this.span(span);
  }

  /** A span and the text there: the body's (not sent) or, should it ever differ, its own. */
  excerpt(span: Span, text: string): void {
    this.span(span);
    if (text.length === span.end - span.start && this.body.startsWith(text, span.start)) this.int(BODY_TEXT);
    else this.string(text);
  }

  mentions(mentions: readonly Mention[]): void {
    this.int(mentions.length);
    for (const m of mentions) this.excerpt(m, m.text);
  }
}

class Reader {
  private at = 0;

  constructor(
    private readonly numbers: Int32Array,
    private readonly strings: readonly string[],
    private body: string,
  ) {}

  setBody(body: string): void {
    this.body = body;
  }

  int(): number {
    return this.numbers[this.at++]!;
  }

  optional(): number | null {
    const value = this.int();
    return value === NONE ? null : value;
  }

  bool(): boolean {
    return this.int() === 1;
  }

  string(): string {
    return this.strings[this.int()]!;
  }

  optionalString(): string | null {
    const index = this.int();
    return index === NONE ? null : this.strings[index]!;
  }

  span(): Span {
    const start = this.int();
    return { start, end: this.int() };
  }

  optionalSpan(): Span | null {
    const start = this.int();
    return start === NONE ? null : { start, end: this.int() };
  }

  /** The text written by Writer.excerpt for the span [start, end). */
  excerptText(start: number, end: number): string {
    const index = this.int();
    return index === BODY_TEXT ? this.body.slice(start, end) : this.strings[index]!;
  }

  mentions(): Mention[] {
    const mentions: Mention[] = new Array(this.int());
    for (let i = 0; i < mentions.length; i++) {
      const start = this.int();
      const end = this.int();
      mentions[i] = { start, end, text: this.excerptText(start, end) };
    }
    return mentions;
  }
}

/** The reading packed for posting; `numbers.buffer` may be transferred. */
export function packStory(story: ExtractedStory): PackedStory {
  const fields = story.story;
  const w = new Writer(fields.body);
  w.string(fields.body);
  w.string(fields.title);
  w.string(fields.dateline);
  w.string(fields.source);
  w.int(fields.paragraphs.length);
  for (let i = 0; i < fields.paragraphs.length; i++) w.excerpt(fields.paragraphSpans[i]!, fields.paragraphs[i]!);
  w.int(fields.furniture.length);
  for (const line of fields.furniture) w.string(line);

  w.int(story.institutions.length);
  for (const i of story.institutions) {
    w.int(i.ref);
    w.string(i.key);
    w.string(i.name);
    w.string(i.shortName);
    w.string(i.kind);
    w.string(i.classification);
    w.string(i.city);
    w.string(i.province);
    w.string(i.abbreviation);
    w.optional(i.parent);
    w.optionalSpan(i.parentSpan);
    w.mentions(i.mentions);
  }
  w.int(story.accreditations.length);
  for (const a of story.accreditations) {
    w.string(a.code);
    w.string(a.title);
    w.int(a.year);
    w.int(a.institution);
    w.span(a.span);
  }
  w.int(story.people.length);
  for (const p of story.people) {
    w.int(p.ref);
    w.string(p.name);
    w.int(p.positions.length);
    for (const pos of p.positions) {
      w.string(pos.title);
      w.int(pos.institution);
      w.bool(pos.current);
      w.span(pos.span);
    }
    w.mentions(p.mentions);
  }
  w.int(story.quotes.length);
  for (const q of story.quotes) {
    w.int(q.position);
    w.excerpt(q.span, q.text);
    w.string(q.attribution);
    w.optionalSpan(q.attributionSpan);
    w.int(q.speaker);
    w.optional(q.institution);
  }
  w.int(story.warnings.length);
  for (const warning of story.warnings) {
    w.string(warning.code);
    w.string(warning.message);
    w.optionalSpan(warning.span);
  }
  return { strings: w.strings, numbers: w.numbers.slice(0, w.length) };
}

/** The reading packStory packed, as extractStory answered it. */
export function unpackStory(packed: PackedStory): ExtractedStory {
  const r = new Reader(packed.numbers, packed.strings, "");
  const body = r.string();
  r.setBody(body);
  const title = r.string();
  const dateline = r.optionalString();
  const source = r.optionalString();
  const paragraphs: string[] = new Array(r.int());
  const paragraphSpans: Span[] = new Array(paragraphs.length);
  for (let i = 0; i < paragraphs.length; i++) {
    const span = r.span();
    paragraphSpans[i] = span;
    paragraphs[i] = r.excerptText(span.start, span.end);
  }
  const furniture: string[] = new Array(r.int());
  for (let i = 0; i < furniture.length; i++) furniture[i] = r.string();

  const institutions: ExtractedInstitution[] = new Array(r.int());
  for (let k = 0; k < institutions.length; k++) {
    institutions[k] = {
      ref: r.int(),
      key: r.string(),
      name: r.string(),
      shortName: r.optionalString(),
      kind: r.string() as InstitutionKind,
      classification: r.optionalString(),
      city: r.optionalString(),
      province: r.optionalString(),
      abbreviation: r.optionalString(),
      parent: r.optional(),
      parentSpan: r.optionalSpan(),
      mentions: r.mentions(),
    };
  }
  const accreditations: ExtractedStory["accreditations"] = new Array(r.int());
  for (let k = 0; k < accreditations.length; k++) {
    accreditations[k] = { code: r.string() as AccreditationCode, title: r.string(), year: r.int(), institution: r.int(), span: r.span() };
  }
  const people: ExtractedPerson[] = new Array(r.int());
  for (let k = 0; k < people.length; k++) {
    const ref = r.int();
    const name = r.string();
    const positions: ExtractedPerson["positions"] = new Array(r.int());
    for (let j = 0; j < positions.length; j++) positions[j] = { title: r.string(), institution: r.int(), current: r.bool(), span: r.span() };
    people[k] = { ref, name, positions, mentions: r.mentions() };
  }
  const quotes: ExtractedStory["quotes"] = new Array(r.int());
  for (let k = 0; k < quotes.length; k++) {
    const position = r.int();
    const span = r.span();
    const text = r.excerptText(span.start, span.end);
    quotes[k] = { position, text, span, attribution: r.optionalString(), attributionSpan: r.optionalSpan(), speaker: r.int(), institution: r.optional() };
  }
  const warnings: ImportWarning[] = new Array(r.int());
  for (let k = 0; k < warnings.length; k++) warnings[k] = { code: r.string() as ImportWarningCode, message: r.string(), span: r.optionalSpan() };
  return { story: { title, dateline, source, paragraphs, body, paragraphSpans, furniture }, institutions, accreditations, people, quotes, warnings };
}
