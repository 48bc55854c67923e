import { Ctx, Field, ObjectType, Query, Resolver } from "type-graphql";
import type { Context } from "../../context";
import { Role } from "./auth.entity";

@ObjectType("Viewer")
export class ViewerType {
  @Field(() => String)
  name!: string;

  @Field(() => Role)
  role!: Role;
}

@Resolver()
export class AuthResolver {
  @Query(() => ViewerType, { nullable: true, description: "The caller, or null when anonymous." })
  me(@Ctx() ctx: Context): ViewerType | null {
    return ctx.viewer && { name: ctx.viewer.name, role: ctx.viewer.role };
  }
}
