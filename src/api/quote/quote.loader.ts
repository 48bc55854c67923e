import DataLoader from "dataloader";
import type { RequestContext } from "../../kernel/request-context";
import type { Services } from "../../services/services";
import type { Quote } from "../../entities/quote.entity";

/** Per-request batching of quote reads. */
export const quoteLoaders = {
  quote: ({ quotes }: Services, ctx: RequestContext) => new DataLoader<number, Quote | null>((pks) => quotes.byPks(ctx, pks)),
  quotesOfArticle: ({ quotes }: Services, ctx: RequestContext) => new DataLoader<number, Quote[]>((pks) => quotes.ofArticles(ctx, pks)),
};
