import { Field, ID, InputType, Int } from "type-graphql";
import type * as Accepted from "../../services/import/import.choices";

@InputType("ImportRecordChoice", { description: "An editor's choice about one institution or person previewImport read: drop it, link another stored record, create a new one, or spell its name right." })
export class ImportRecordChoice implements Accepted.RecordChoiceInput {
  @Field(() => Int, { description: "Its `ref` in previewImport's answer for the same text." })
  ref!: number;

  @Field(() => Boolean, { nullable: true, description: "Leave it out: neither linked nor stored, nor its accreditations and posts; a quote it spoke is left unattributed unless another choice gives it a speaker." })
  drop?: boolean | null;

  @Field(() => ID, { nullable: true, description: "Link this stored record (its id) instead of the one the importer found or would create." })
  linkTo?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Create a new record even where the store has one that fits." })
  create?: boolean | null;

  @Field(() => String, { nullable: true, description: "The name spelt right: used to find the stored record, and as a new record's name. Not with drop or linkTo (a linked record keeps its stored name)." })
  name?: string | null;
}

@InputType("ImportQuoteChoice", { description: "An editor's choice about one quote: another speaker, no speaker, or not a quote at all. Exactly one of speakerRef, unattributed and drop." })
export class ImportQuoteChoice implements Accepted.QuoteChoiceInput {
  @Field(() => Int, { description: "Where the quote's words start in the body: a PreviewQuote's `span.start`, or an UNRESOLVED_SPEAKER warning's `span.start` (a quote the importer could not attribute)." })
  start!: number;

  @Field(() => Int, { nullable: true, description: "The speaker: the `ref` of one of the story's people." })
  speakerRef?: number | null;

  @Field(() => Boolean, { nullable: true, description: "No speaker: the words stay in the story, but no quote is stored (a stored quote has a speaker)." })
  unattributed?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "Not a quote to store." })
  drop?: boolean | null;
}

@InputType("ImportAccreditationKey", { description: "An accreditation previewImport read, by what it says." })
export class ImportAccreditationKey implements Accepted.AccreditationKeyInput {
  @Field(() => Int)
  institutionRef!: number;

  @Field(() => String, { description: "WBK or WBBM." })
  code!: string;

  @Field(() => Int)
  year!: number;
}

@InputType("ImportPositionKey", { description: "A post previewImport read, by what it says." })
export class ImportPositionKey implements Accepted.PositionKeyInput {
  @Field(() => Int)
  personRef!: number;

  @Field(() => Int)
  institutionRef!: number;

  @Field(() => String, { description: "As previewImport gives it (case and spacing aside)." })
  title!: string;
}

@InputType("ImportChoices", {
  description:
    "An editor's corrections to what the importer read, applied before anything is linked or stored. Each names something of previewImport's answer for the same text without choices; one that names nothing there (or two about one thing) is BAD_USER_INPUT, and nothing is stored. At most 1,000 per list.",
})
export class ImportChoices implements Accepted.ImportChoicesInput {
  @Field(() => [ImportRecordChoice], { nullable: true })
  institutions?: ImportRecordChoice[] | null;

  @Field(() => [ImportRecordChoice], { nullable: true })
  people?: ImportRecordChoice[] | null;

  @Field(() => [ImportQuoteChoice], { nullable: true })
  quotes?: ImportQuoteChoice[] | null;

  @Field(() => [ImportAccreditationKey], { nullable: true, description: "Accreditations to leave out." })
  dropAccreditations?: ImportAccreditationKey[] | null;

  @Field(() => [ImportPositionKey], { nullable: true, description: "Posts to leave out." })
  dropPositions?: ImportPositionKey[] | null;
}
