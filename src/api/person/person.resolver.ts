import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from "type-graphql";
import { IdOrSlugArgs, PageArgsInput, pageArgs } from "../args";
import { loadLocated, toConnection } from "../page-loader";
import type { Context } from "../context";
import { FactSourceView, sourceViews } from "../facts/fact-source.types";
import { ArticleConnection } from "../article/article.connection";
import { Institution } from "../../entities/institution.entity";
import { QuoteConnection } from "../quote/quote.connection";
import { PersonConnection } from "./person.connection";
import { Person, Position } from "../../entities/person.entity";
import { Role } from "../../kernel/viewer";
import { CreatePersonInput, PeopleArgs, PositionInput, UpdatePersonInput } from "./person.inputs";

@Resolver(() => Person)
export class PersonResolver {
  @Query(() => Person, { nullable: true })
  person(@Args(() => IdOrSlugArgs) args: IdOrSlugArgs, @Ctx() ctx: Context): Promise<Person | null> {
    return loadLocated(ctx.services.people.locate(ctx, args), ctx.loaders.person);
  }

  @Query(() => PersonConnection)
  people(@Args(() => PeopleArgs) args: PeopleArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return toConnection(PersonConnection, ctx.services.people.list(ctx, args.filter, pageArgs(args, info)), ctx.loaders.person);
  }

  @FieldResolver(() => [Position])
  positions(@Root() person: Person, @Ctx() ctx: Context): Promise<Position[]> {
    return ctx.loaders.positionsOfPerson.load(person.pk);
  }

  @FieldResolver(() => [FactSourceView], { description: "The stories (and editors' entries) that name this person." })
  async sources(@Root() person: Person, @Ctx() ctx: Context): Promise<FactSourceView[]> {
    return sourceViews(await ctx.loaders.sourcesOfPerson.load(person.pk));
  }

  @FieldResolver(() => QuoteConnection)
  quotes(@Root() person: Person, @Args(() => PageArgsInput) args: PageArgsInput, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const page = ctx.loaders.pages.load("person.quotes", person.pk, pageArgs(args, info), (pks, p) => ctx.services.quotes.pagesBySpeaker(ctx, pks, p));
    return toConnection(QuoteConnection, page, ctx.loaders.quote);
  }

  @FieldResolver(() => ArticleConnection)
  articles(@Root() person: Person, @Args(() => PageArgsInput) args: PageArgsInput, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const page = ctx.loaders.pages.load("person.articles", person.pk, pageArgs(args, info), (pks, p) => ctx.services.articles.pagesByPerson(ctx, pks, p));
    return toConnection(ArticleConnection, page, ctx.loaders.article);
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => Person)
  createPerson(@Arg("input", () => CreatePersonInput) input: CreatePersonInput, @Ctx() ctx: Context): Promise<Person> {
    return ctx.services.people.create(ctx, input);
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => Person)
  updatePerson(@Arg("id", () => ID) id: string, @Arg("input", () => UpdatePersonInput) input: UpdatePersonInput, @Ctx() ctx: Context): Promise<Person> {
    return ctx.services.people.update(ctx, id, input);
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => Position)
  assignPosition(@Arg("input", () => PositionInput) input: PositionInput, @Ctx() ctx: Context): Promise<Position> {
    return ctx.services.people.assignPosition(ctx, input);
  }
}

@Resolver(() => Position)
export class PositionResolver {
  @FieldResolver(() => Person)
  person(@Root() position: Position, @Ctx() ctx: Context): Promise<Person | null> {
    return ctx.loaders.person.load(position.personId);
  }

  @FieldResolver(() => Institution)
  institution(@Root() position: Position, @Ctx() ctx: Context): Promise<Institution | null> {
    return ctx.loaders.institution.load(position.institutionId);
  }

  @FieldResolver(() => [FactSourceView], { description: "The stories (and editors' entries) that state this position." })
  async sources(@Root() position: Position, @Ctx() ctx: Context): Promise<FactSourceView[]> {
    const sources = await ctx.loaders.sourcesOfPosition.load(position.pk);
    // A current holder kept from readers while its holder and unit are shown is one another holder of the post outranks (editors alone see it).
    const outranked =
      position.current && !position.visible && sources.some((s) => s.state === "STATED") && (await ctx.loaders.person.load(position.personId))?.visible === true && (await ctx.loaders.institution.load(position.institutionId))?.visible === true;
    return sourceViews(sources, outranked);
  }
}
