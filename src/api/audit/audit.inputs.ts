import { ArgsType, Field, ID, InputType } from "type-graphql";
import type * as Accepted from "../../services/audit.service";
import { PageArgsInput } from "../args";

@InputType("AuditFilter", { description: "Every condition given must hold." })
export class AuditFilter implements Accepted.AuditFilter {
  @Field(() => ID, { nullable: true, description: "The API token that ran the mutations." })
  actor?: string | null;

  @Field(() => ID, { nullable: true, description: "Entries naming this record (any global id; a deleted record's too)." })
  record?: string | null;

  @Field(() => String, { nullable: true, description: "The mutation field, e.g. publishArticle." })
  field?: string | null;

  @Field(() => String, { nullable: true, description: "The client's operation name." })
  operation?: string | null;

  @Field(() => String, { nullable: true, description: "OK, or an error code (FORBIDDEN, BAD_USER_INPUT, …)." })
  outcome?: string | null;

  @Field(() => Date, { nullable: true, description: "From this instant on (inclusive)." })
  since?: Date | null;

  @Field(() => Date, { nullable: true, description: "Before this instant." })
  until?: Date | null;
}

@ArgsType()
export class AuditTrailArgs extends PageArgsInput {
  @Field(() => AuditFilter, { nullable: true })
  filter?: AuditFilter | null;
}
