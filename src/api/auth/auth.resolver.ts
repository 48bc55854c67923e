import { Arg, Authorized, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import type { Context } from "../context";
import { ApiToken } from "../../entities/auth.entity";
import { Role } from "../../kernel/viewer";

@ObjectType("Viewer", { simpleResolvers: true })
export class ViewerType {
  @Field(() => String)
  name!: string;

  @Field(() => Role)
  role!: Role;
}

@ObjectType("ApiTokenCreated", { simpleResolvers: true, description: "Returned once, when a token is made; the secret is never shown again." })
export class ApiTokenCreated {
  @Field(() => String)
  token!: string;

  @Field(() => ApiToken)
  apiToken!: ApiToken;
}

@Resolver()
export class AuthResolver {
  @Query(() => ViewerType, { nullable: true, description: "The caller, or null when anonymous." })
  me(@Ctx() ctx: Context): ViewerType | null {
    return ctx.viewer && { name: ctx.viewer.name, role: ctx.viewer.role };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ApiTokenCreated)
  createApiToken(@Arg("name", () => String) name: string, @Arg("role", () => Role) role: Role, @Ctx() ctx: Context): Promise<ApiTokenCreated> {
    return ctx.services.auth.createToken(ctx, name, role);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ID)
  revokeApiToken(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    return ctx.services.auth.revokeToken(ctx, id);
  }
}
