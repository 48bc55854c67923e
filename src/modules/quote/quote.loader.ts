import DataLoader from "dataloader";
import type { Services } from "../../context";
import type { Quote } from "./quote.entity";

/** Per-request batching of quote reads. */
export const quoteLoaders = {
  quote: ({ quotes }: Services) => new DataLoader<number, Quote | null>((pks) => quotes.byPks(pks)),
  quotesOfArticle: ({ quotes }: Services) => new DataLoader<number, Quote[]>((pks) => quotes.ofArticles(pks)),
};
