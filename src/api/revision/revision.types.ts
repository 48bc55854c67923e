import { Field, ObjectType } from "type-graphql";
import { connectionType } from "../connection";
import { ArticleRevision, DiffChange, RevisedField } from "../../entities/revision.entity";

export const ArticleRevisionConnection = connectionType("ArticleRevision", () => ArticleRevision);

@ObjectType("DiffPart", { simpleResolvers: true })
export class DiffPartView {
  @Field(() => DiffChange)
  change!: DiffChange;

  @Field(() => String, { description: "The text of the stretch (for TAGS, one tag's name)." })
  text!: string;
}

@ObjectType("FieldDiff", { simpleResolvers: true, description: "How one field differs: its text in reading order, each stretch marked SAME, ADDED or REMOVED." })
export class FieldDiffView {
  @Field(() => RevisedField)
  field!: RevisedField;

  @Field(() => [DiffPartView])
  parts!: DiffPartView[];
}

@ObjectType("ArticleRevisionDiff", { simpleResolvers: true, description: "How revision `to` of a story differs from its revision `from`; fields that are the same in both are left out." })
export class ArticleRevisionDiffView {
  @Field(() => ArticleRevision)
  from!: ArticleRevision;

  @Field(() => ArticleRevision)
  to!: ArticleRevision;

  @Field(() => [FieldDiffView])
  fields!: FieldDiffView[];
}
