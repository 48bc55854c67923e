import { Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { toConnection } from "../../common/page-loader";
import { checkPageArgs } from "../../common/pagination";
import type { Context } from "../../context";
import { Article } from "../article/article.entity";
import { Institution } from "../institution/institution.entity";
import { Person } from "../person/person.entity";
import { QuoteConnection } from "./quote.connection";
import { Quote } from "./quote.entity";
import { QuotesArgs } from "./quote.inputs";

@Resolver(() => Quote)
export class QuoteResolver {
  @Query(() => QuoteConnection)
  quotes(@Args(() => QuotesArgs) args: QuotesArgs, @Ctx() ctx: Context) {
    return toConnection(QuoteConnection, ctx.services.quotes.list(ctx.viewer, args.filter, checkPageArgs(args)), ctx.loaders.quote);
  }

  @FieldResolver(() => Person)
  speaker(@Root() quote: Quote, @Ctx() ctx: Context): Promise<Person | null> {
    return ctx.loaders.person.load(quote.speakerId);
  }

  @FieldResolver(() => Institution, { nullable: true, description: "The institution the speaker spoke for, when known." })
  institution(@Root() quote: Quote, @Ctx() ctx: Context): Promise<Institution | null> | null {
    return quote.institutionId === null ? null : ctx.loaders.institution.load(quote.institutionId);
  }

  @FieldResolver(() => Article)
  article(@Root() quote: Quote, @Ctx() ctx: Context): Promise<Article | null> {
    return ctx.loaders.article.load(quote.articleId);
  }
}
