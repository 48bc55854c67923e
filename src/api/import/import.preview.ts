import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { AuthorRole } from "../../entities/author.entity";
import { InstitutionKind } from "../../entities/institution.entity";
import { BadUserInputError } from "../../kernel/errors";
import { MAX_BODY_CHARS } from "../../services/import/import.parser";
import type { ImportWarningCode, Mention, Span } from "../../services/import/import.types";
import type { ImportPreviewPlan } from "../../services/import/import.service";

/*
 * previewImport's answer: the plan of an import as GraphQL types, for editors to review in the
 * playground before they import. Plain data: every field is filled in by toPreview.
 */

export enum ImportAction {
  LINK = "LINK",
  ADD = "ADD",
  CREATE = "CREATE",
}
registerEnumType(ImportAction, {
  name: "ImportAction",
  description: "LINK reuses a stored record as it is; ADD reuses it and writes the new facts the story states about it; CREATE stores a new one.",
});

enum ImportWarningCodeEnum {
  UNRESOLVED_SPEAKER = "UNRESOLVED_SPEAKER",
  AMBIGUOUS_NAME = "AMBIGUOUS_NAME",
  CONFLICT = "CONFLICT",
  DROPPED = "DROPPED",
}
registerEnumType(ImportWarningCodeEnum, {
  name: "ImportWarningCode",
  valuesConfig: {
    UNRESOLVED_SPEAKER: { description: "A direct quote whose speaker the text does not let us tell; it is not stored." },
    AMBIGUOUS_NAME: { description: "A name that fits more than one person or stored record." },
    CONFLICT: { description: "Two statements disagree (in the story, or the story and the store); the first or stored one is kept." },
    DROPPED: { description: "A fact the text half-states and the importer left out." },
  },
});

@ObjectType("TextSpan", { simpleResolvers: true, description: "A stretch of the story's body: `start` inclusive, `end` exclusive (UTF-16 offsets into `ImportPreview.body`)." })
export class TextSpan {
  @Field(() => Int)
  start!: number;

  @Field(() => Int)
  end!: number;

  @Field(() => String, { description: "The body's words there." })
  text!: string;
}

@ObjectType("PreviewInstitution", { simpleResolvers: true })
export class PreviewInstitution {
  @Field(() => Int, { description: "Its number in the story's reading; other entries and ImportChoices point here by it. Its index in `ImportPreview.institutions` unless choices drop an institution (which leaves a gap)." })
  ref!: number;

  @Field(() => ImportAction)
  action!: ImportAction;

  @Field(() => ID, { nullable: true, description: "The stored institution this links (LINK, ADD); null when one is created." })
  id!: string | null;

  @Field(() => String, { nullable: true, description: "The stored institution's name (LINK, ADD), which may be another form than the story's." })
  storedName!: string | null;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  shortName!: string | null;

  @Field(() => InstitutionKind)
  kind!: InstitutionKind;

  @Field(() => String, { nullable: true })
  classification!: string | null;

  @Field(() => String, { nullable: true })
  city!: string | null;

  @Field(() => String, { nullable: true })
  province!: string | null;

  @Field(() => Int, { nullable: true, description: "The institution the text says this one is under (its `ref`); null when the text says none or the store has another." })
  parentRef!: number | null;

  @Field(() => TextSpan, { nullable: true, description: "Where the text says so." })
  parentSpan!: TextSpan | null;

  @Field(() => [String], { description: "With ADD: the fields of the stored record this story fills in (classification, city, province, shortName, parent)." })
  added!: string[];

  @Field(() => [TextSpan], { description: "Every place the body names it." })
  mentions!: TextSpan[];
}

@ObjectType("PreviewAccreditation", { simpleResolvers: true })
export class PreviewAccreditation {
  @Field(() => ImportAction, { description: "LINK: the institution holds it already; ADD: a stored institution gets it; CREATE: a new institution's." })
  action!: ImportAction;

  @Field(() => ID, { nullable: true, description: "The stored accreditation (LINK)." })
  id!: string | null;

  @Field(() => String)
  code!: string;

  @Field(() => String)
  title!: string;

  @Field(() => Int)
  year!: number;

  @Field(() => Int, { description: "The institution's `ref`." })
  institutionRef!: number;

  @Field(() => String)
  institutionName!: string;

  @Field(() => TextSpan)
  span!: TextSpan;
}

@ObjectType("PreviewPerson", { simpleResolvers: true })
export class PreviewPerson {
  @Field(() => Int, { description: "Its number in the story's reading; other entries and ImportChoices point here by it. Its index in `ImportPreview.people` unless choices drop a person (which leaves a gap)." })
  ref!: number;

  @Field(() => ImportAction)
  action!: ImportAction;

  @Field(() => ID, { nullable: true, description: "The stored person this links; null when one is created." })
  id!: string | null;

  @Field(() => String, { nullable: true, description: "The stored person's name as stored (LINK)." })
  storedName!: string | null;

  @Field(() => String)
  name!: string;

  @Field(() => [TextSpan], { description: "Full-name, short-name and title mentions." })
  mentions!: TextSpan[];
}

@ObjectType("PreviewPosition", { simpleResolvers: true })
export class PreviewPosition {
  @Field(() => ImportAction, { description: "LINK: stored already; ADD: a stored person's new post; CREATE: a new person's." })
  action!: ImportAction;

  @Field(() => ID, { nullable: true })
  id!: string | null;

  @Field(() => String)
  title!: string;

  @Field(() => Boolean)
  current!: boolean;

  @Field(() => Int)
  personRef!: number;

  @Field(() => String)
  personName!: string;

  @Field(() => Int)
  institutionRef!: number;

  @Field(() => String)
  institutionName!: string;

  @Field(() => TextSpan)
  span!: TextSpan;
}

@ObjectType("PreviewAuthor", { simpleResolvers: true, description: "A name of the story's byline (a line such as 'Penulis: Made Sukarta') and the author the import puts on the story for it." })
export class PreviewAuthor {
  @Field(() => ImportAction, { description: "LINK: the stored author of that name or slug; CREATE: a new author, unlisted until a published story carries them." })
  action!: ImportAction;

  @Field(() => ID, { nullable: true, description: "The stored author (LINK); null when one is created." })
  id!: string | null;

  @Field(() => String, { nullable: true, description: "The stored author's name as stored (LINK), which may differ from the byline's in case or accents." })
  storedName!: string | null;

  @Field(() => String, { description: "The name as the byline writes it." })
  name!: string;

  @Field(() => AuthorRole, { description: "The role the byline's label names (Penulis, Reporter, Fotografer, Editor…); a created author gets it, a stored one keeps theirs." })
  role!: AuthorRole;
}

@ObjectType("PreviewQuote", { simpleResolvers: true })
export class PreviewQuote {
  @Field(() => Int)
  position!: number;

  @Field(() => String, { description: "Verbatim from the body." })
  text!: string;

  @Field(() => TextSpan)
  span!: TextSpan;

  @Field(() => String, { nullable: true })
  attribution!: string | null;

  @Field(() => TextSpan, { nullable: true })
  attributionSpan!: TextSpan | null;

  @Field(() => Int)
  speakerRef!: number;

  @Field(() => String)
  speakerName!: string;

  @Field(() => Int, { nullable: true })
  institutionRef!: number | null;

  @Field(() => String, { nullable: true })
  institutionName!: string | null;
}

@ObjectType("ImportWarning", { simpleResolvers: true })
export class ImportWarningView {
  @Field(() => ImportWarningCodeEnum)
  code!: ImportWarningCode;

  @Field(() => String)
  message!: string;

  @Field(() => TextSpan, { nullable: true })
  span!: TextSpan | null;
}

@ObjectType("ImportCounts", { simpleResolvers: true })
export class ImportCounts {
  @Field(() => Int)
  institutionsCreated!: number;

  @Field(() => Int, { description: "Stored institutions linked (with or without new facts)." })
  institutionsLinked!: number;

  @Field(() => Int)
  peopleCreated!: number;

  @Field(() => Int)
  peopleLinked!: number;

  @Field(() => Int, { description: "Positions written." })
  positions!: number;

  @Field(() => Int)
  quotes!: number;

  @Field(() => Int, { description: "Accreditations written." })
  accreditations!: number;

  @Field(() => Int)
  warnings!: number;
}

@ObjectType("ImportPreview", { simpleResolvers: true, description: "What importArticle would store for this text; previewImport writes nothing." })
export class ImportPreview {
  @Field(() => String)
  title!: string;

  @Field(() => String, { nullable: true })
  dateline!: string | null;

  @Field(() => String, { nullable: true })
  source!: string | null;

  @Field(() => String, { nullable: true })
  summary!: string | null;

  @Field(() => String, { description: "Paragraphs separated by one blank line, page furniture gone; every span points into it." })
  body!: string;

  @Field(() => [String])
  paragraphs!: string[];

  @Field(() => [String], { description: "The lines of the text left out as page furniture (banners, share bars, the comment form and what follows it), as written." })
  furniture!: string[];

  @Field(() => [PreviewInstitution])
  institutions!: PreviewInstitution[];

  @Field(() => [PreviewAccreditation])
  accreditations!: PreviewAccreditation[];

  @Field(() => [PreviewPerson])
  people!: PreviewPerson[];

  @Field(() => [PreviewPosition])
  positions!: PreviewPosition[];

  @Field(() => [PreviewQuote])
  quotes!: PreviewQuote[];

  @Field(() => [PreviewAuthor], { description: "The byline the importer read, in order, each name once; empty when the text has no byline line." })
  authors!: PreviewAuthor[];

  @Field(() => [ImportWarningView])
  warnings!: ImportWarningView[];

  @Field(() => ImportCounts)
  counts!: ImportCounts;
}

/**
 * The most of the body that the spans of one preview may repeat, all together. Every span carries
 * its words, and a statement can be the span of many records (a list of units "di bawah" a body
 * is each unit's parentSpan, a sentence each of its verbs' warning): a story written so could make
 * an answer of hundreds of MB, which the server would spend seconds building and then fail.
 */
export const MAX_PREVIEW_SPAN_CHARS = 10 * MAX_BODY_CHARS;

/** The plan as previewImport answers it. Refuses one whose spans repeat more than MAX_PREVIEW_SPAN_CHARS of the body. */
export function toPreview(plan: ImportPreviewPlan): ImportPreview {
  const body = plan.story.body;
  let shown = 0;
  const span = (s: Span): TextSpan => {
    shown += s.end - s.start;
    return { start: s.start, end: s.end, text: (s as Partial<Mention>).text ?? body.slice(s.start, s.end) };
  };
  const institutionName = (ref: number): string => plan.institutions[ref]!.name;
  const preview = previewOf(plan, span, institutionName);
  if (shown > MAX_PREVIEW_SPAN_CHARS) {
    throw new BadUserInputError(
      `The preview of this story would repeat ${shown} characters of it in the spans of its records and warnings (at most ${MAX_PREVIEW_SPAN_CHARS}): its statements overlap too much to show. It can still be imported; preview it in parts.`,
      "text",
    );
  }
  return preview;
}

function previewOf(plan: ImportPreviewPlan, span: (s: Span) => TextSpan, institutionName: (ref: number) => string): ImportPreview {
  return {
    ...plan.story,
    institutions: plan.institutions.filter((i) => !i.dropped).map((i) => ({
      ref: i.ref,
      action: ImportAction[i.action],
      id: i.action === "CREATE" ? null : i.id,
      storedName: i.storedName,
      name: i.name,
      shortName: i.shortName,
      kind: i.kind,
      classification: i.classification,
      city: i.city,
      province: i.province,
      parentRef: i.parent,
      parentSpan: i.parentSpan && span(i.parentSpan),
      added: i.added,
      mentions: i.mentions.map(span),
    })),
    accreditations: plan.accreditations.map((a) => ({
      action: ImportAction[a.action],
      id: a.action === "LINK" ? a.id : null,
      code: a.code,
      title: a.title,
      year: a.year,
      institutionRef: a.institution,
      institutionName: institutionName(a.institution),
      span: span(a.span),
    })),
    people: plan.people
      .filter((p) => !p.dropped)
      .map((p) => ({ ref: p.ref, action: ImportAction[p.action], id: p.action === "CREATE" ? null : p.id, storedName: p.storedName, name: p.name, mentions: p.mentions.map(span) })),
    positions: plan.positions.map((p) => ({
      action: ImportAction[p.action],
      id: p.action === "LINK" ? p.id : null,
      title: p.title,
      current: p.current,
      personRef: p.person,
      personName: plan.people[p.person]!.name,
      institutionRef: p.institution,
      institutionName: institutionName(p.institution),
      span: span(p.span),
    })),
    quotes: plan.quotes.map((q) => ({
      position: q.position,
      text: q.text,
      span: span(q.span),
      attribution: q.attribution,
      attributionSpan: q.attributionSpan && span(q.attributionSpan),
      speakerRef: q.speaker,
      speakerName: plan.people[q.speaker]!.name,
      institutionRef: q.institution,
      institutionName: q.institution === null ? null : institutionName(q.institution),
    })),
    authors: plan.bylines.map((b) => ({ action: b.stored === null ? ImportAction.CREATE : ImportAction.LINK, id: b.stored?.id ?? null, storedName: b.stored?.name ?? null, name: b.name, role: b.role })),
    warnings: plan.warnings.map((w) => ({ code: w.code, message: w.message, span: w.span && span(w.span) })),
    counts: plan.counts,
  };
}
