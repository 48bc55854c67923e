import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from "type-graphql";
import { IdOrSlugArgs, PageArgsInput, pageArgs } from "../args";
import { loadLocated, loadPks, toConnection } from "../page-loader";
import type { Context } from "../context";
import { FactSourceView, sourceViews } from "../facts/fact-source.types";
import { ArticleConnection } from "../article/article.connection";
import { Position } from "../../entities/person.entity";
import { QuoteConnection } from "../quote/quote.connection";
import { InstitutionConnection } from "./institution.connection";
import { Accreditation, Institution } from "../../entities/institution.entity";
import { Role } from "../../kernel/viewer";
import { AccreditationInput, CreateInstitutionInput, InstitutionsArgs, UpdateInstitutionInput } from "./institution.inputs";

@Resolver(() => Institution)
export class InstitutionResolver {
  @Query(() => Institution, { nullable: true })
  institution(@Args(() => IdOrSlugArgs) args: IdOrSlugArgs, @Ctx() ctx: Context): Promise<Institution | null> {
    return loadLocated(ctx.services.institutions.locate(ctx, args), ctx.loaders.institution);
  }

  @Query(() => InstitutionConnection)
  institutions(@Args(() => InstitutionsArgs) args: InstitutionsArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return toConnection(InstitutionConnection, ctx.services.institutions.list(ctx, args.filter, pageArgs(args, info)), ctx.loaders.institution);
  }

  @FieldResolver(() => Institution, { nullable: true })
  parent(@Root() institution: Institution, @Ctx() ctx: Context): Promise<Institution | null> | null {
    return institution.parentId === null ? null : ctx.loaders.institution.load(institution.parentId);
  }

  @FieldResolver(() => [Institution])
  async children(@Root() institution: Institution, @Ctx() ctx: Context): Promise<Institution[]> {
    return loadPks(ctx.loaders.institution, await ctx.loaders.childPksOfInstitution.load(institution.pk));
  }

  @FieldResolver(() => [Accreditation])
  accreditations(@Root() institution: Institution, @Ctx() ctx: Context): Promise<Accreditation[]> {
    return ctx.loaders.accreditationsOfInstitution.load(institution.pk);
  }

  @FieldResolver(() => [Position])
  positions(@Root() institution: Institution, @Ctx() ctx: Context): Promise<Position[]> {
    return ctx.loaders.positionsAtInstitution.load(institution.pk);
  }

  @FieldResolver(() => [FactSourceView], { description: "Where this institution's facts come from: its existence (INSTITUTION) and each attribute (CLASSIFICATION, CITY, PROVINCE, SHORT_NAME, PARENT), oldest first." })
  async sources(@Root() institution: Institution, @Ctx() ctx: Context): Promise<FactSourceView[]> {
    return sourceViews(await ctx.loaders.sourcesOfInstitution.load(institution.pk), institution);
  }

  @FieldResolver(() => ArticleConnection, { description: "Published stories that mention this institution, newest first." })
  articles(@Root() institution: Institution, @Args(() => PageArgsInput) args: PageArgsInput, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const page = ctx.loaders.pages.load("institution.articles", institution.pk, pageArgs(args, info), (pks, p) => ctx.services.articles.pagesByInstitution(ctx, pks, p));
    return toConnection(ArticleConnection, page, ctx.loaders.article);
  }

  @FieldResolver(() => QuoteConnection, { description: "Quotes given on behalf of this institution." })
  quotes(@Root() institution: Institution, @Args(() => PageArgsInput) args: PageArgsInput, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const page = ctx.loaders.pages.load("institution.quotes", institution.pk, pageArgs(args, info), (pks, p) => ctx.services.quotes.pagesByInstitution(ctx, pks, p));
    return toConnection(QuoteConnection, page, ctx.loaders.quote);
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => Institution)
  createInstitution(@Arg("input", () => CreateInstitutionInput) input: CreateInstitutionInput, @Ctx() ctx: Context): Promise<Institution> {
    return ctx.services.institutions.create(ctx, input);
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => Institution)
  updateInstitution(@Arg("id", () => ID) id: string, @Arg("input", () => UpdateInstitutionInput) input: UpdateInstitutionInput, @Ctx() ctx: Context): Promise<Institution> {
    return ctx.services.institutions.update(ctx, id, input);
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => Accreditation)
  addAccreditation(@Arg("institutionId", () => ID) institutionId: string, @Arg("input", () => AccreditationInput) input: AccreditationInput, @Ctx() ctx: Context): Promise<Accreditation> {
    return ctx.services.institutions.addAccreditation(ctx, institutionId, input);
  }
}

@Resolver(() => Accreditation)
export class AccreditationResolver {
  @FieldResolver(() => Institution)
  institution(@Root() accreditation: Accreditation, @Ctx() ctx: Context): Promise<Institution | null> {
    return ctx.loaders.institution.load(accreditation.institutionId);
  }

  @FieldResolver(() => [FactSourceView], { description: "The stories (and editors' entries) that state this accreditation." })
  async sources(@Root() accreditation: Accreditation, @Ctx() ctx: Context): Promise<FactSourceView[]> {
    return sourceViews(await ctx.loaders.sourcesOfAccreditation.load(accreditation.pk));
  }
}
