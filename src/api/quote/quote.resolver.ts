import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from "type-graphql";
import { pageArgs } from "../args";
import { toConnection } from "../page-loader";
import type { Context } from "../context";
import { FactSourceView, sourceViews } from "../facts/fact-source.types";
import { Article } from "../../entities/article.entity";
import { storyOfItem } from "../article/article.story";
import { Institution } from "../../entities/institution.entity";
import { Person } from "../../entities/person.entity";
import { QuoteConnection } from "./quote.connection";
import { Quote } from "../../entities/quote.entity";
import { Role } from "../../kernel/viewer";
import { AddQuoteInput, QuotesArgs } from "./quote.inputs";
import { speakerReadWith } from "../../services/quote.service";

@Resolver(() => Quote)
export class QuoteResolver {
  @Query(() => QuoteConnection)
  quotes(@Args(() => QuotesArgs) args: QuotesArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return toConnection(QuoteConnection, ctx.services.quotes.list(ctx, args.filter, pageArgs(args, info)), ctx.loaders.quote);
  }

  @FieldResolver(() => Person)
  speaker(@Root() quote: Quote, @Ctx() ctx: Context): Person | null | Promise<Person | null> {
    // A story's quotes come with their speakers (QuoteService.ofArticles); others are loaded by key.
    const read = speakerReadWith(quote);
    return read !== undefined ? read : ctx.loaders.person.load(quote.speakerId);
  }

  @FieldResolver(() => Institution, { nullable: true, description: "The institution the speaker spoke for, when known." })
  institution(@Root() quote: Quote, @Ctx() ctx: Context): Promise<Institution | null> | null {
    return quote.institutionId === null ? null : ctx.loaders.institution.load(quote.institutionId);
  }

  @FieldResolver(() => Article)
  article(@Root() quote: Quote, @Ctx() ctx: Context): Article | Promise<Article> {
    return storyOfItem(ctx, quote.articleId, `Quote '${quote.id}'`);
  }

  @FieldResolver(() => [FactSourceView], { description: "Where the quote comes from: its story's span, or the editor who entered it." })
  async sources(@Root() quote: Quote, @Ctx() ctx: Context): Promise<FactSourceView[]> {
    return sourceViews(await ctx.loaders.sourcesOfQuote.load(quote.pk));
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => Quote)
  addQuote(@Arg("input", () => AddQuoteInput) input: AddQuoteInput, @Ctx() ctx: Context): Promise<Quote> {
    return ctx.services.quotes.add(ctx, input);
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => ID)
  removeQuote(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    return ctx.services.quotes.remove(ctx, id);
  }
}
