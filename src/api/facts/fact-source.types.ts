import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { toGlobalId } from "../../kernel/ids";
import type { FactSource as StoredSource } from "../../entities/fact-source.entity";
import type { Institution } from "../../entities/institution.entity";
import { isDirect } from "../../services/facts";

/** Which fact a source states: a record's existence, or one attribute of an institution. */
export enum Fact {
  INSTITUTION = "INSTITUTION",
  CLASSIFICATION = "CLASSIFICATION",
  CITY = "CITY",
  PROVINCE = "PROVINCE",
  SHORT_NAME = "SHORT_NAME",
  PARENT = "PARENT",
  PERSON = "PERSON",
  ACCREDITATION = "ACCREDITATION",
  POSITION = "POSITION",
  QUOTE = "QUOTE",
}
registerEnumType(Fact, { name: "Fact", description: "Which fact a source states: a record's existence, or one attribute of an institution." });

@ObjectType("SourceSpan", { simpleResolvers: true, description: "Where in the story's body the fact is stated (0-based, end exclusive)." })
export class SourceSpan {
  @Field(() => Int)
  start!: number;

  @Field(() => Int)
  end!: number;
}

@ObjectType("FactSource", {
  description:
    "Where a fact comes from: a story (the span of its text that states it) or an editor's direct entry. Readers see the sources of published stories and editors' entries; editors also see a draft's proposals and withdrawn sources.",
})
export class FactSourceView {
  @Field(() => Fact)
  fact!: Fact;

  @Field(() => String, { nullable: true, description: "What an attribute source states (a parent as its institution id); null for a record's existence." })
  value!: string | null;

  /** The story's key; its `article` field shows it only to viewers who may read the story. */
  articlePk!: number | null;

  @Field(() => String, { nullable: true, description: "The story's title when the source was recorded, kept when the story is deleted." })
  articleTitle!: string | null;

  @Field(() => String, { nullable: true, description: "The words of the story that state the fact." })
  excerpt!: string | null;

  @Field(() => SourceSpan, { nullable: true })
  span!: SourceSpan | null;

  @Field(() => Boolean, { description: "Entered by an editor rather than read from a story." })
  direct!: boolean;

  @Field(() => Boolean, {
    description:
      "Recorded when sources began to be kept, for a record or value stored before: its story where one could be told (a quote's; the first published story naming an institution or person), with no excerpt or span of the words that state it; otherwise neither story nor editor (`direct` is false).",
  })
  backfilled!: boolean;

  @Field(() => Boolean, { description: "Stated only by a draft or scheduled story: a proposal readers do not see (editors only)." })
  proposed!: boolean;

  @Field(() => Boolean, { description: "Its story went back to draft or was deleted before it was published again (editors only)." })
  withdrawn!: boolean;

  @Field(() => Boolean, { description: "States a value other than the one readers see, or makes someone the current holder of a post readers see another hold: a conflict (factConflicts) the import reported." })
  disputed!: boolean;
}

const ATTRIBUTE_COLUMNS = { CLASSIFICATION: "classification", CITY: "city", PROVINCE: "province", SHORT_NAME: "shortName" } as const;

/**
 * The GraphQL view of stored sources. Which of them are `disputed`: with the institution they
 * describe, the attribute sources that state another value than it holds; with a flag, all of
 * them or none (a conflict's choice readers do not see, a post's holder another one outranks).
 */
export function sourceViews(sources: readonly StoredSource[], disputing?: Institution | boolean): FactSourceView[] {
  return sources.map((s) => {
    const view = new FactSourceView();
    const parent = s.fact === "PARENT" && s.value !== null;
    view.fact = s.fact as Fact;
    view.value = parent ? toGlobalId("Institution", Number(s.value)) : s.value;
    view.articlePk = s.articleId;
    view.articleTitle = s.articleTitle;
    view.excerpt = s.excerpt;
    view.span = s.spanStart === null || s.spanEnd === null ? null : Object.assign(new SourceSpan(), { start: s.spanStart, end: s.spanEnd });
    view.direct = isDirect(s);
    view.backfilled = s.backfilled;
    view.proposed = s.state === "PROPOSED";
    view.withdrawn = s.state === "WITHDRAWN";
    view.disputed = typeof disputing === "boolean" ? disputing : disputing !== undefined && s.value !== null && disputes(s, disputing);
    return view;
  });
}

function disputes(s: StoredSource, institution: Institution): boolean {
  if (s.fact === "PARENT") return institution.parentId !== Number(s.value);
  const column = ATTRIBUTE_COLUMNS[s.fact as keyof typeof ATTRIBUTE_COLUMNS];
  if (!column) return false;
  const accepted = institution[column];
  return accepted === null || accepted.replace(/\s+/g, "").toLowerCase() !== s.value!.replace(/\s+/g, "").toLowerCase();
}
