import type { GraphQLResolveInfo } from "graphql";
import { ArgsType, Field, ID, Int } from "type-graphql";
import { checkPageArgs, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../kernel/page-args";
import type { PageArgs } from "../kernel/page-args";

/** `first`/`after` and `last`/`before` of every connection field (Relay's cursor connections). */
@ArgsType()
export class PageArgsInput {
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: `From 0 to ${MAX_PAGE_SIZE}: the first rows after \`after\`. Its default gives way to \`last\`; both written is BAD_USER_INPUT.` })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `From 0 to ${MAX_PAGE_SIZE}: the last rows before \`before\`, still in the list's order.` })
  last?: number | null;

  @Field(() => String, { nullable: true })
  before?: string | null;
}

/**
 * Whether the operation itself gives the field's argument `name` (as a literal, or as a variable
 * the request supplies), rather than leaving it to the schema's default.
 */
export function argumentGiven(info: Pick<GraphQLResolveInfo, "fieldNodes" | "variableValues">, name: string): boolean {
  const node = info.fieldNodes[0]?.arguments?.find((a) => a.name.value === name);
  if (node === undefined) return false;
  return node.value.kind !== "Variable" || Object.prototype.hasOwnProperty.call(info.variableValues, node.value.name.value);
}

/** The checked page arguments of the connection field being resolved. */
export function pageArgs(args: PageArgsInput, info: GraphQLResolveInfo): PageArgs {
  return checkPageArgs(args, argumentGiven(info, "first"));
}

@ArgsType()
export class IdOrSlugArgs {
  @Field(() => ID, { nullable: true })
  id?: string | null;

  @Field(() => String, { nullable: true })
  slug?: string | null;
}
