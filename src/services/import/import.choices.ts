import { BadUserInputError, quoted } from "../../kernel/errors";
import { pkOf } from "../../kernel/ids";
import { requiredText } from "../../kernel/validate";
import type { ExtractedAccreditation, ExtractedInstitution, ExtractedPerson, ExtractedPosition, ExtractedQuote, ExtractedStory, ImportWarning, Span } from "./import.types";

/*
 * An editor's corrections to what the importer read, applied to the reading after it is made and
 * before anything is linked or stored. A choice names what previewImport answers for the same
 * text without choices: a record by its `ref`, a quote by where its words start in the body, an
 * accreditation or a post by what it says. Reading is deterministic, so those names hold for the
 * same text; one that names nothing in the reading is BAD_USER_INPUT, and nothing is stored.
 */

/** A choice about one institution or person of the reading, as clients send it. */
export interface RecordChoiceInput {
  ref: number;
  drop?: boolean | null;
  linkTo?: string | null;
  create?: boolean | null;
  name?: string | null;
}

/** A choice about one quote of the reading (stored, or left out for want of a speaker), as clients send it. */
export interface QuoteChoiceInput {
  start: number;
  speakerRef?: number | null;
  unattributed?: boolean | null;
  drop?: boolean | null;
}

export interface AccreditationKeyInput {
  institutionRef: number;
  code: string;
  year: number;
}

export interface PositionKeyInput {
  personRef: number;
  institutionRef: number;
  title: string;
}

/** Every choice of one import or preview, as clients send them (the API's ImportChoices implements it). */
export interface ImportChoicesInput {
  institutions?: readonly RecordChoiceInput[] | null;
  people?: readonly RecordChoiceInput[] | null;
  quotes?: readonly QuoteChoiceInput[] | null;
  dropAccreditations?: readonly AccreditationKeyInput[] | null;
  dropPositions?: readonly PositionKeyInput[] | null;
}

/** How a record of the reading is linked: left out, created even where the store has it, or linked to the stored record the editor named. */
export type LinkDecision = { kind: "drop" } | { kind: "create" } | { kind: "link"; pk: number; id: string; field: string };

/** What the linker is told per record `ref`; a record without an entry is linked as the importer finds it. */
export interface LinkChoices {
  readonly institutions: ReadonlyMap<number, LinkDecision>;
  readonly people: ReadonlyMap<number, LinkDecision>;
}

export const NO_LINK_CHOICES: LinkChoices = { institutions: new Map(), people: new Map() };

interface RecordChoice {
  ref: number;
  field: string;
  decision: LinkDecision | null;
  name: string | null;
}

interface QuoteChoice {
  start: number;
  field: string;
  speaker: number | null;
  unattributed: boolean;
  drop: boolean;
}

interface KeyChoice<K> {
  key: K;
  field: string;
}

/** The choices checked for shape (each says one thing, nothing twice), not yet against a reading. */
export interface ImportChoices {
  readonly institutions: readonly RecordChoice[];
  readonly people: readonly RecordChoice[];
  readonly quotes: readonly QuoteChoice[];
  readonly dropAccreditations: ReadonlyArray<KeyChoice<AccreditationKeyInput>>;
  readonly dropPositions: ReadonlyArray<KeyChoice<PositionKeyInput>>;
}

/** Far more choices than an editor makes by hand; a longer list is refused before the story is read. */
export const MAX_CHOICES = 1000;

const NAME_MAX = { institution: 300, person: 200 } as const;

function listOf<T>(values: readonly T[] | null | undefined, field: string): readonly T[] {
  const list = values ?? [];
  if (list.length > MAX_CHOICES) throw new BadUserInputError(`${field} may hold at most ${MAX_CHOICES} choices, got ${list.length}.`, field);
  return list;
}

function index(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0) throw new BadUserInputError(`${field} must be an integer of 0 or more, got ${value}.`, field);
  return value;
}

function recordChoices(values: readonly RecordChoiceInput[] | null | undefined, field: string, kind: "institution" | "person"): RecordChoice[] {
  const seen = new Set<number>();
  return listOf(values, field).map((c, n) => {
    const at = `${field}[${n}]`;
    const ref = index(c.ref, `${at}.ref`);
    if (seen.has(ref)) throw new BadUserInputError(`${at}.ref names ${kind} ${ref} a second time; give one choice per ${kind}.`, `${at}.ref`);
    seen.add(ref);
    const actions = [c.drop === true && "drop", c.linkTo != null && "linkTo", c.create === true && "create"].filter((a): a is string => a !== false);
    if (actions.length > 1) throw new BadUserInputError(`${at} says both ${actions.join(" and ")}; choose one.`, at);
    const name = c.name == null ? null : requiredText(c.name, `${at}.name`, { max: NAME_MAX[kind] });
    if (actions.length === 0 && name === null) throw new BadUserInputError(`${at} chooses nothing: give drop, linkTo, create or name.`, at);
    if (name !== null && (c.drop === true || c.linkTo != null)) {
      const why = c.drop === true ? "a dropped record is not stored" : `a linked record keeps its stored name (rename it with update${kind === "institution" ? "Institution" : "Person"})`;
      throw new BadUserInputError(`${at}.name cannot go with ${actions[0]}: ${why}.`, `${at}.name`);
    }
    let decision: LinkDecision | null = null;
    if (c.drop === true) decision = { kind: "drop" };
    else if (c.create === true) decision = { kind: "create" };
    else if (c.linkTo != null) decision = { kind: "link", pk: pkOf(c.linkTo, kind === "institution" ? "Institution" : "Person", `${at}.linkTo`), id: c.linkTo, field: `${at}.linkTo` };
    return { ref, field: at, decision, name };
  });
}

/** Checks the choices' shape: each names one thing once and says one thing about it. Throws BAD_USER_INPUT naming the choice. */
export function checkChoices(input: ImportChoicesInput | null | undefined, field = "choices"): ImportChoices | null {
  if (input == null) return null;
  const quotesSeen = new Set<number>();
  const quotes = listOf(input.quotes, `${field}.quotes`).map((c, n): QuoteChoice => {
    const at = `${field}.quotes[${n}]`;
    const start = index(c.start, `${at}.start`);
    if (quotesSeen.has(start)) throw new BadUserInputError(`${at}.start names the quote at ${start} a second time; give one choice per quote.`, `${at}.start`);
    quotesSeen.add(start);
    const speaker = c.speakerRef == null ? null : index(c.speakerRef, `${at}.speakerRef`);
    const actions = [speaker !== null && "speakerRef", c.unattributed === true && "unattributed", c.drop === true && "drop"].filter((a): a is string => a !== false);
    if (actions.length !== 1) {
      throw new BadUserInputError(actions.length === 0 ? `${at} chooses nothing: give speakerRef, unattributed or drop.` : `${at} says both ${actions.join(" and ")}; choose one.`, at);
    }
    return { start, field: at, speaker, unattributed: c.unattributed === true, drop: c.drop === true };
  });
  const keys = <K>(values: readonly K[] | null | undefined, name: string, same: (a: K, b: K) => boolean, shown: (k: K) => string): Array<KeyChoice<K>> => {
    const list: Array<KeyChoice<K>> = [];
    listOf(values, `${field}.${name}`).forEach((key, n) => {
      const at = `${field}.${name}[${n}]`;
      if (list.some((k) => same(k.key, key))) throw new BadUserInputError(`${at} names ${shown(key)} a second time.`, at);
      list.push({ key, field: at });
    });
    return list;
  };
  const dropAccreditations = keys(
    input.dropAccreditations,
    "dropAccreditations",
    (a, b) => a.institutionRef === b.institutionRef && a.code.toUpperCase() === b.code.toUpperCase() && a.year === b.year,
    (k) => `${quoted(k.code)} ${k.year} of institution ${k.institutionRef}`,
  );
  const dropPositions = keys(
    input.dropPositions,
    "dropPositions",
    (a, b) => a.personRef === b.personRef && a.institutionRef === b.institutionRef && fold(a.title) === fold(b.title),
    (k) => `${quoted(k.title)} of person ${k.personRef} at institution ${k.institutionRef}`,
  );
  return {
    institutions: recordChoices(input.institutions, `${field}.institutions`, "institution"),
    people: recordChoices(input.people, `${field}.people`, "person"),
    quotes,
    dropAccreditations,
    dropPositions,
  };
}

const fold = (s: string): string => s.replace(/\s+/g, " ").trim().toLowerCase();

const excerpt = (text: string): string => `'${text.slice(0, 60)}${text.length > 60 ? "…" : ""}'`;

function refIn(ref: number, count: number, field: string, kind: string): void {
  if (ref >= count) {
    const has = count === 0 ? `no ${kind}` : count === 1 ? `one ${kind} (ref 0)` : `${count} (refs 0 to ${count - 1})`;
    throw new BadUserInputError(`${field} names ${kind} ${ref}, but the story's reading has ${has}.`, field);
  }
}

/**
 * The reading as the editor corrected it, and how its records are to be linked. Records keep
 * their refs (a dropped one stays in its place, for the linker to pass over); what only a dropped
 * record held (its accreditations, posts, a child's parent) goes with it; a dropped speaker's
 * quotes are left unattributed unless a choice gives them another. Every choice must name
 * something of `story`, else BAD_USER_INPUT.
 */
export function applyChoices(story: ExtractedStory, choices: ImportChoices | null): { story: ExtractedStory; links: LinkChoices } {
  if (choices === null) return { story, links: NO_LINK_CHOICES };
  const warnings: ImportWarning[] = [];
  const leftOut = (message: string, span: Span | null): void => void warnings.push({ code: "DROPPED", message, span: span && { start: span.start, end: span.end } });

  for (const c of choices.institutions) refIn(c.ref, story.institutions.length, `${c.field}.ref`, "institution");
  for (const c of choices.people) refIn(c.ref, story.people.length, `${c.field}.ref`, "person");
  const droppedInstitutions = new Set(choices.institutions.filter((c) => c.decision?.kind === "drop").map((c) => c.ref));
  const droppedPeople = new Set(choices.people.filter((c) => c.decision?.kind === "drop").map((c) => c.ref));

  for (const { key, field } of choices.dropAccreditations) {
    const found = story.accreditations.some((a) => a.institution === key.institutionRef && a.code === key.code.toUpperCase() && a.year === key.year);
    if (!found) throw new BadUserInputError(`${field} names ${quoted(key.code)} ${key.year} of institution ${key.institutionRef}, which the story's reading does not have.`, field);
  }
  for (const { key, field } of choices.dropPositions) {
    const found = story.people[key.personRef]?.positions.some((p) => p.institution === key.institutionRef && fold(p.title) === fold(key.title));
    if (!found) throw new BadUserInputError(`${field} names the post ${quoted(key.title)} of person ${key.personRef} at institution ${key.institutionRef}, which the story's reading does not have.`, field);
  }

  const renamed = (list: readonly RecordChoice[]): Map<number, string> => new Map(list.filter((c) => c.name !== null).map((c) => [c.ref, c.name!]));
  const institutionNames = renamed(choices.institutions);
  const peopleNames = renamed(choices.people);

  const institutions = story.institutions.map((e): ExtractedInstitution => {
    if (droppedInstitutions.has(e.ref)) {
      leftOut(`The editor left out '${e.name}': it is neither linked nor stored, nor are the accreditations and posts the story gives it.`, e.mentions[0] ?? null);
      return e;
    }
    const parentGone = e.parent !== null && droppedInstitutions.has(e.parent);
    return { ...e, name: institutionNames.get(e.ref) ?? e.name, parent: parentGone ? null : e.parent, parentSpan: parentGone ? null : e.parentSpan };
  });

  const accreditationDropped = (a: ExtractedAccreditation): boolean =>
    choices.dropAccreditations.some(({ key }) => a.institution === key.institutionRef && a.code === key.code.toUpperCase() && a.year === key.year);
  const accreditations = story.accreditations.filter((a) => {
    if (droppedInstitutions.has(a.institution)) return false;
    if (!accreditationDropped(a)) return true;
    leftOut(`The editor left out ${a.code} ${a.year} of '${institutions[a.institution]!.name}'.`, a.span);
    return false;
  });

  const positionDropped = (person: number, p: ExtractedPosition): boolean =>
    choices.dropPositions.some(({ key }) => key.personRef === person && key.institutionRef === p.institution && fold(key.title) === fold(p.title));
  const people = story.people.map((e): ExtractedPerson => {
    if (droppedPeople.has(e.ref)) {
      leftOut(`The editor left out ${e.name}: not linked or stored, nor the posts the story gives them.`, e.mentions[0] ?? null);
      return { ...e, positions: [] };
    }
    const positions = e.positions.filter((p) => {
      if (droppedInstitutions.has(p.institution)) return false;
      if (!positionDropped(e.ref, p)) return true;
      leftOut(`The editor left out ${e.name}'s post ${p.title} of '${institutions[p.institution]!.name}'.`, p.span);
      return false;
    });
    return { ...e, name: peopleNames.get(e.ref) ?? e.name, positions };
  });

  const quotes = chosenQuotes(story, choices, people, droppedInstitutions, droppedPeople, warnings);
  const decided = (list: readonly RecordChoice[]): Map<number, LinkDecision> => new Map(list.filter((c) => c.decision !== null).map((c) => [c.ref, c.decision!]));
  return {
    story: {
      ...story,
      institutions,
      accreditations,
      people,
      quotes: quotes.quotes,
      warnings: [...story.warnings.filter((w) => !quotes.settled.has(w)), ...warnings].sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0)),
    },
    links: { institutions: decided(choices.institutions), people: decided(choices.people) },
  };
}

/**
 * The quotes as chosen, in the body's order and numbered again: a stored quote given another
 * speaker, left unattributed or dropped; a quote the importer left without a speaker given one.
 * `settled` holds the reading's UNRESOLVED_SPEAKER warnings a choice answered.
 */
function chosenQuotes(
  story: ExtractedStory,
  choices: ImportChoices,
  people: readonly ExtractedPerson[],
  droppedInstitutions: ReadonlySet<number>,
  droppedPeople: ReadonlySet<number>,
  warnings: ImportWarning[],
): { quotes: ExtractedQuote[]; settled: Set<ImportWarning> } {
  const body = story.story.body;
  const stored = new Map(story.quotes.map((q) => [q.span.start, q]));
  const unresolved = new Map(story.warnings.filter((w) => w.code === "UNRESOLVED_SPEAKER" && w.span !== null).map((w) => [w.span!.start, w]));
  const byStart = new Map<number, QuoteChoice>();
  for (const c of choices.quotes) {
    if (!stored.has(c.start) && !unresolved.has(c.start)) {
      throw new BadUserInputError(`${c.field}.start: no quote of the story's reading starts at ${c.start} (give a quote's span.start, or an UNRESOLVED_SPEAKER warning's).`, `${c.field}.start`);
    }
    if (c.speaker !== null) {
      refIn(c.speaker, people.length, `${c.field}.speakerRef`, "person");
      if (droppedPeople.has(c.speaker)) throw new BadUserInputError(`${c.field}.speakerRef names ${people[c.speaker]!.name} (person ${c.speaker}), whom the choices drop.`, `${c.field}.speakerRef`);
    }
    byStart.set(c.start, c);
  }
  /** The speaker's one institution in this story as chosen, when there is exactly one. */
  const institutionOf = (speaker: number): number | null => {
    const at = new Set(people[speaker]!.positions.map((p) => p.institution));
    return at.size === 1 ? [...at][0]! : null;
  };
  const unstored = (message: string, span: Span): void => void warnings.push({ code: "UNRESOLVED_SPEAKER", message, span: { start: span.start, end: span.end } });
  const dropped = (message: string, span: Span): void => void warnings.push({ code: "DROPPED", message, span: { start: span.start, end: span.end } });

  const settled = new Set<ImportWarning>();
  const quotes: ExtractedQuote[] = [];
  const starts = [...new Set([...stored.keys(), ...byStart.keys()])].sort((a, b) => a - b);
  for (const start of starts) {
    const choice = byStart.get(start);
    const quote = stored.get(start);
    if (quote) {
      if (choice?.drop) dropped(`The editor left out the quote ${excerpt(quote.text)}.`, quote.span);
      else if (choice?.unattributed) unstored(`The editor marked the quote ${excerpt(quote.text)} unattributed: its words stay in the story, but it is not stored as a quote (a stored quote has a speaker).`, quote.span);
      else if (choice?.speaker != null) {
        const institution = choice.speaker === quote.speaker && (quote.institution === null || !droppedInstitutions.has(quote.institution)) ? quote.institution : institutionOf(choice.speaker);
        quotes.push({ ...quote, speaker: choice.speaker, institution });
      } else if (droppedPeople.has(quote.speaker)) {
        unstored(`The quote ${excerpt(quote.text)} is not stored: the editor left out its speaker, ${people[quote.speaker]!.name}.`, quote.span);
      } else {
        quotes.push({ ...quote, institution: quote.institution !== null && droppedInstitutions.has(quote.institution) ? null : quote.institution });
      }
      continue;
    }
    // A quote the reading left without a speaker, which a choice names.
    const warning = unresolved.get(start)!;
    const span = warning.span!;
    if (choice!.unattributed) continue;
    settled.add(warning);
    const text = body.slice(span.start, span.end);
    if (choice!.drop) dropped(`The editor left out the quote ${excerpt(text)}.`, span);
    else quotes.push({ position: 0, text, span: { start: span.start, end: span.end }, attribution: null, attributionSpan: null, speaker: choice!.speaker!, institution: institutionOf(choice!.speaker!) });
  }
  quotes.forEach((q, position) => (q.position = position));
  return { quotes, settled };
}
