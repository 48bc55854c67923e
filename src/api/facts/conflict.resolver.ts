import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { Institution } from "../../entities/institution.entity";
import { Position } from "../../entities/person.entity";
import { Role } from "../../kernel/viewer";
import type { Context } from "../context";
import { conflictView, FactChoiceView, FactConflictView, SettleConflictInput } from "./conflict.types";

@Resolver(() => FactConflictView)
export class FactConflictResolver {
  @Authorized(Role.EDITOR)
  @Query(() => [FactConflictView], {
    description: "Open conflicts between sources, the most recently disputed first (editors only). With includeProposed, what drafts and scheduled stories state counts too.",
  })
  async factConflicts(
    @Arg("first", () => Int, { nullable: true, defaultValue: 50, description: "From 0 to 100 (null: 50)." }) first: number | null,
    @Arg("includeProposed", () => Boolean, { nullable: true, defaultValue: true, description: "Null: true." }) includeProposed: boolean | null,
    @Ctx() ctx: Context,
  ): Promise<FactConflictView[]> {
    return (await ctx.services.conflicts.list(first ?? 50, includeProposed ?? true)).map(conflictView);
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => FactConflictView, {
    nullable: true,
    description: "Settles a conflict with one of its choices, as the editor's own entry: readers see it from now on, and the other sources stay on record, disputed. Null once settled.",
  })
  async settleConflict(@Arg("input", () => SettleConflictInput) input: SettleConflictInput, @Ctx() ctx: Context): Promise<FactConflictView | null> {
    const still = await ctx.services.conflicts.settle(ctx, input);
    return still === null ? null : conflictView(still);
  }

  @FieldResolver(() => Institution, { description: "The unit the fact is about." })
  institution(@Root() conflict: FactConflictView, @Ctx() ctx: Context): Promise<Institution | null> {
    return ctx.loaders.institution.load(conflict.institutionPk);
  }
}

@Resolver(() => FactChoiceView)
export class FactChoiceResolver {
  @FieldResolver(() => Position, { nullable: true, description: "The holder's post, for POSITION." })
  position(@Root() choice: FactChoiceView, @Ctx() ctx: Context): Promise<Position | null> | null {
    return choice.positionPk === null ? null : ctx.loaders.position.load(choice.positionPk);
  }
}
