import { Field, ID, InputType, ObjectType } from "type-graphql";
import { toGlobalId } from "../../kernel/ids";
import type { Conflict } from "../../services/conflict.service";
import { Fact, FactSourceView, sourceViews } from "./fact-source.types";

@ObjectType("FactChoice", { description: "One value of a conflict (for POSITION, one current holder of the post), with every source that states it." })
export class FactChoiceView {
  @Field(() => ID, { description: "Names this choice of this conflict, for settleConflict." })
  id!: string;

  @Field(() => String, { nullable: true, description: "The attribute's value as first stated (PARENT: the institution's id); null for POSITION, or an attribute an editor cleared." })
  value!: string | null;

  @Field(() => String, { description: "What an editor reads: the value, the parent unit's name, or the holder with the post." })
  label!: string;

  @Field(() => Boolean, { description: "What readers see now." })
  accepted!: boolean;

  /** The holder's post, for POSITION; its `position` field loads it. */
  positionPk!: number | null;

  @Field(() => [FactSourceView], { description: "Who states it: stories (with their words and span) and editors' entries, proposals marked." })
  sources!: FactSourceView[];
}

@ObjectType("FactConflict", {
  description:
    "Sources that disagree about one fact: an institution's class, city, province, short name or parent, or who holds one of its posts now (two current holders). Readers see one choice; an editor settles it with settleConflict, and the other sources stay on record, disputed.",
})
export class FactConflictView {
  @Field(() => ID, { description: "Opaque; the same while the conflict is open." })
  id!: string;

  @Field(() => Fact, { description: "CLASSIFICATION, CITY, PROVINCE, SHORT_NAME, PARENT or POSITION." })
  fact!: Fact;

  /** The unit the fact is about; its `institution` field loads it. */
  institutionPk!: number;

  @Field(() => String, { nullable: true, description: "The post's title, for POSITION." })
  title!: string | null;

  @Field(() => Boolean, { description: "Some value (or holder) is stated only by stories not published yet." })
  proposed!: boolean;

  @Field(() => [FactChoiceView], { description: "Every value stated, the one readers see first." })
  choices!: FactChoiceView[];
}

@InputType("SettleConflictInput")
export class SettleConflictInput {
  @Field(() => ID, { description: "The conflict, as factConflicts names it." })
  conflict!: string;

  @Field(() => ID, { description: "The choice of that conflict that stands." })
  choice!: string;
}

/** The GraphQL view of a conflict: a parent as its institution's id, the sources of a choice readers do not see disputed. */
export function conflictView(conflict: Conflict): FactConflictView {
  return Object.assign(new FactConflictView(), {
    id: conflict.id,
    fact: conflict.fact as Fact,
    institutionPk: conflict.institutionPk,
    title: conflict.title,
    proposed: conflict.proposed,
    choices: conflict.choices.map((c) =>
      Object.assign(new FactChoiceView(), {
        id: c.id,
        value: conflict.fact === "PARENT" && c.value !== null ? toGlobalId("Institution", Number(c.value)) : c.value,
        label: c.label,
        accepted: c.accepted,
        positionPk: c.positionPk,
        sources: sourceViews(c.sources, !c.accepted),
      }),
    ),
  });
}
