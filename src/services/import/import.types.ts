import type { InstitutionKind } from "../../kernel/institution-kind";

/** A stretch of the produced body, `start` inclusive and `end` exclusive (UTF-16 offsets). */
export interface Span {
  start: number;
  end: number;
}

/** Where a record is named in the body, and the words used there. */
export interface Mention extends Span {
  text: string;
}

/** The story's own fields, with the page furniture gone. */
export interface ExtractedStoryFields {
  title: string;
  /** Place the story is filed from ("BANYUWANGI"), when the body opens with a lead-in. */
  dateline: string | null;
  /** Outlet named in the lead-in ("Actanews.id"). */
  source: string | null;
  /** Body paragraphs, the first without its lead-in. */
  paragraphs: string[];
  /** The paragraphs joined by blank lines; every span points into this string. */
  body: string;
  /** Where each paragraph stands in `body`. */
  paragraphSpans: Span[];
  /** Lines removed as page furniture (banners, share bars, the comment form and what follows), as written. */
  furniture: string[];
}

export interface ExtractedInstitution {
  /** Index of this record in `ExtractedStory.institutions`; other records point at it by this number. */
  ref: number;
  /**
   * What makes two forms one institution: kind, unit type and city for a unit
   * ("LAPAS|narkotika|banyuwangi"), whose office and which province for a Kanwil, the body for a
   * ministry or directorate ("kemenkumham"). The linker compares stored records by it too.
   */
  key: string;
  /** The fullest form the text writes (bracketed abbreviations left out). */
  name: string;
  /** The abbreviated form ("Lapas Banyuwangi") when the text uses the abbreviation. */
  shortName: string | null;
  kind: InstitutionKind;
  /** Class as written after "Kelas" ("I", "IIA", "IIB", "III"); null when the text gives none. */
  classification: string | null;
  city: string | null;
  /** Only when the text states it (a Kanwil's region, or "Lapas X, Jawa Timur"). */
  province: string | null;
  /** The abbreviation the text gives in brackets after the full name ("Lapas", "Kemenkumham"). */
  abbreviation: string | null;
  /** The institution the text says this one is under ("… di bawah Kementerian Hukum dan HAM"). */
  parent: number | null;
  /** Where the text says so. */
  parentSpan: Span | null;
  mentions: Mention[];
}

export type AccreditationCode = "WBK" | "WBBM";

export interface ExtractedAccreditation {
  code: AccreditationCode;
  /** "Wilayah Bebas dari Korupsi" or "Wilayah Birokrasi Bersih dan Melayani". */
  title: string;
  year: number;
  institution: number;
  /** From the institution (or predicate) to the year: the words that state the award. */
  span: Span;
}

export interface ExtractedPosition {
  /** Full title: abbreviations expanded (Kalapas → Kepala Lapas), the institution left out. */
  title: string;
  institution: number;
  /** False when the text calls the person a former holder (mantan, eks). */
  current: boolean;
  span: Span;
}

export interface ExtractedPerson {
  ref: number;
  /** As written, without degrees or honorifics. */
  name: string;
  positions: ExtractedPosition[];
  /** Full-name, short-name and title mentions (a title mention stands for the one holder of that post). */
  mentions: Mention[];
}

export interface ExtractedQuote {
  /** 0-based order among the stored quotes. */
  position: number;
  /** A verbatim substring of `body` (`body.slice(span.start, span.end) === text`). */
  text: string;
  span: Span;
  /** The attribution words as written ("ujarnya", "tegas Wayan", "Hari mengatakan"). */
  attribution: string | null;
  attributionSpan: Span | null;
  speaker: number;
  /** The speaker's institution in this story, when the story gives exactly one. */
  institution: number | null;
}

export type ImportWarningCode =
  /** A direct quote whose speaker the text does not let us tell; it is not in `quotes`. */
  | "UNRESOLVED_SPEAKER"
  /** A short name or title that fits more than one person. */
  | "AMBIGUOUS_NAME"
  /** Two mentions of one institution disagree (e.g. two classes); the first is kept. */
  | "CONFLICT"
  /** A fact the text half-states and the importer left out (an award without a year, a post without an institution, an unclosed quotation). */
  | "DROPPED";

export interface ImportWarning {
  code: ImportWarningCode;
  message: string;
  span: Span | null;
}

/** Everything the importer reads in one story; nothing in it is stated less than the text states it. */
export interface ExtractedStory {
  story: ExtractedStoryFields;
  institutions: ExtractedInstitution[];
  accreditations: ExtractedAccreditation[];
  people: ExtractedPerson[];
  quotes: ExtractedQuote[];
  warnings: ImportWarning[];
}

/**
 * What an import does with one record: LINK reuses a stored one as it is, ADD reuses it and
 * writes the new facts the story states about it, CREATE stores a new one.
 */
export type ImportAction = "LINK" | "CREATE" | "ADD";

/** A record of the plan as stored: the one linked, or (after an import) the one created. */
export interface Stored {
  action: ImportAction;
  /** The stored record's key; null for a record still to be created. */
  pk: number | null;
  /** Its global id, as the API names it; null while it is to be created. */
  id: string | null;
}

export interface PlannedInstitution extends Stored {
  /** Same index as in the extraction; other records point at it by this number. */
  ref: number;
  name: string;
  shortName: string | null;
  kind: InstitutionKind;
  classification: string | null;
  city: string | null;
  province: string | null;
  /** The institution the text says this one is under (a `ref`), written only when the store does not contradict it. */
  parent: number | null;
  parentSpan: Mention | null;
  /** With ADD: which fields of the stored record this story fills in ("classification", "parent" …). */
  added: string[];
  /** With LINK or ADD: which fields the story states as the store already has them (each a source of that fact). */
  agreed: string[];
  /**
   * With LINK or ADD: fields the story states otherwise than the store (CONFLICT), kept as disputing
   * sources. A parent the story itself brings into the store is named by its `ref` (its key is
   * known once it is stored).
   */
  disputed: Disputed[];
  mentions: Mention[];
  /** With LINK or ADD: the stored record's name, which may be another form than the story's. */
  storedName: string | null;
  /** Left out by an editor's choice: kept in its place so that refs hold, but neither linked nor stored. */
  dropped: boolean;
}

/** A value a story states against the stored one: as stored, or (a parent) one of the story's institutions by `ref`. */
export type Disputed = { field: string; value: string } | { field: "parent"; ref: number };

export interface PlannedAccreditation extends Stored {
  code: AccreditationCode;
  title: string;
  year: number;
  institution: number;
  span: Mention;
}

export interface PlannedPerson extends Stored {
  ref: number;
  name: string;
  mentions: Mention[];
  /** With LINK: the stored person's name as stored (degrees and honorifics included). */
  storedName: string | null;
  /** Left out by an editor's choice: kept in its place so that refs hold, but neither linked nor stored. */
  dropped: boolean;
}

export interface PlannedPosition extends Stored {
  title: string;
  current: boolean;
  /** A person's `ref`. */
  person: number;
  /** An institution's `ref`. */
  institution: number;
  span: Mention;
}

export interface PlannedQuote {
  position: number;
  text: string;
  span: Mention;
  attribution: string | null;
  attributionSpan: Mention | null;
  /** A person's `ref`. */
  speaker: number;
  /** An institution's `ref`: the speaker's in this story. */
  institution: number | null;
}

export interface ImportCounts {
  institutionsCreated: number;
  /** Stored institutions the story links (with or without new facts). */
  institutionsLinked: number;
  peopleCreated: number;
  peopleLinked: number;
  /** Positions the import writes (new ones, on new or stored people). */
  positions: number;
  quotes: number;
  /** Accreditations the import writes (ones a stored institution already holds are linked, not counted). */
  accreditations: number;
  warnings: number;
}

/** What importing one story stores, record by record, and what it leaves out and why. */
export interface ImportPlan {
  story: { title: string; dateline: string | null; source: string | null; summary: string | null; body: string; paragraphs: string[]; furniture: string[] };
  /** Indexed by `ref`, dropped records included (marked `dropped`); so is `people`. */
  institutions: PlannedInstitution[];
  accreditations: PlannedAccreditation[];
  people: PlannedPerson[];
  positions: PlannedPosition[];
  quotes: PlannedQuote[];
  warnings: ImportWarning[];
  counts: ImportCounts;
}
