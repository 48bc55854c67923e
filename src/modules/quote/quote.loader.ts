import DataLoader from "dataloader";
import type { Quote } from "./quote.entity";
import type { QuoteService } from "./quote.service";

export function createQuoteLoaders(quotes: QuoteService) {
  return {
    quote: new DataLoader<number, Quote | null>((pks) => quotes.byPks(pks)),
    quotesOfArticle: new DataLoader<number, Quote[]>((pks) => quotes.ofArticles(pks)),
  };
}
