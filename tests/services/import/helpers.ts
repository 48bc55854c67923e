import type { ExtractedStory } from "../../../src/services/import/import.types";

/** The facts of an extraction with references replaced by names, as the expected files state them. */
export function factsOf(r: ExtractedStory) {
  const inst = (ref: number | null): string | null => (ref === null ? null : r.institutions[ref]!.name);
  return {
    title: r.story.title,
    dateline: r.story.dateline,
    source: r.story.source,
    paragraphs: r.story.paragraphs.length,
    institutions: r.institutions.map((i) => ({ name: i.name, shortName: i.shortName, kind: i.kind, classification: i.classification, city: i.city, province: i.province, parent: inst(i.parent) })),
    accreditations: r.accreditations.map((a) => ({ code: a.code, year: a.year, institution: inst(a.institution) })),
    people: r.people.map((p) => ({ name: p.name, positions: p.positions.map((pos) => ({ title: pos.title, institution: inst(pos.institution), current: pos.current })) })),
    quotes: r.quotes.map((q) => ({ text: q.text, attribution: q.attribution, speaker: r.people[q.speaker]!.name, institution: inst(q.institution) })),
    warnings: r.warnings.map((w) => w.code),
    /** The quotes left out for want of a speaker, by their text. */
    unresolved: r.warnings.filter((w) => w.code === "UNRESOLVED_SPEAKER").map((w) => r.story.body.slice(w.span!.start, w.span!.end)),
  };
}

/** The ways a class is written: IIA as "IIA", "II A", "2A" or "2 A". */
function classAsWritten(classification: string): string {
  const [, roman, letter] = /^(I{1,3}|IV)([AB]?)$/.exec(classification)!;
  const arabic = String(["I", "II", "III", "IV"].indexOf(roman!) + 1);
  return `(?:${roman}|${arabic})${letter ? ` ?${letter}` : ""}`;
}

/** A story in the seed's shape around the given paragraphs. */
export function story(...paragraphs: string[]): string {
  const [first, ...rest] = paragraphs;
  return ["Judul Berita Uji", `JAKARTA, Contoh.id – ${first}`, ...rest].join("\n\n");
}

/**
 * Fails when the extraction states anything the text does not: every name, class, city, province
 * and year stands in the body as written (a full name without the abbreviation the text put in
 * brackets after it; case aside, so "Lapas Denpasar" read from "Kalapas Denpasar" counts), every
 * short name is made of the body's words, and every quote, attribution
 * and mention is the very stretch of the body its span points at.
 */
export function expectNothingInvented(r: ExtractedStory): void {
  const body = r.story.body;
  const lower = body.toLowerCase();
  const unbracketed = body.replace(/\s*\([^()]*\)/g, "").toLowerCase();
  const words = new Set(body.split(/[^\p{L}\p{N}]+/u));
  for (const i of r.institutions) {
    expect(unbracketed).toContain(i.name.toLowerCase());
    // A short name is the text's words; its kind word may stand inside a head's title ("Kalapas Denpasar").
    if (i.shortName) for (const w of i.shortName.split(" ")) expect(words.has(w) || lower.includes(w.toLowerCase())).toBe(true);
    if (i.classification) expect(body).toMatch(new RegExp(`(?:Kelas|kelas|Lapas|Rutan|LPKA|Bapas|Pemasyarakatan|Negara|Anak) ${classAsWritten(i.classification)}\\b`));
    if (i.city) expect(body).toContain(i.city);
    if (i.province) expect(body).toContain(i.province);
    if (i.abbreviation) expect(body).toContain(`(${i.abbreviation})`);
    for (const m of i.mentions) expect(body.slice(m.start, m.end)).toBe(m.text);
    if (i.parentSpan) expect(lower.slice(i.parentSpan.start, i.parentSpan.end)).toContain(r.institutions[i.parent!]!.mentions.map((m) => m.text.toLowerCase()).find((t) => lower.slice(i.parentSpan!.start, i.parentSpan!.end).includes(t)) ?? "\u0000");
  }
  for (const a of r.accreditations) {
    const stated = body.slice(a.span.start, a.span.end);
    expect(stated).toContain(String(a.year));
    expect(stated.includes(a.code) || stated.includes(a.title)).toBe(true);
  }
  for (const p of r.people) {
    expect(body).toContain(p.name);
    for (const m of p.mentions) expect(body.slice(m.start, m.end)).toBe(m.text);
  }
  for (const q of r.quotes) {
    expect(body.slice(q.span.start, q.span.end)).toBe(q.text);
    if (q.attribution !== null) expect(body.slice(q.attributionSpan!.start, q.attributionSpan!.end)).toBe(q.attribution);
    expect(q.speaker).toBeLessThan(r.people.length);
  }
  expect(r.quotes.map((q) => q.position)).toEqual(r.quotes.map((_, i) => i));
}
