import DataLoader from "dataloader";
import type { RequestContext } from "../../kernel/request-context";
import type { Services } from "../../services/services";
import type { Correction } from "../../entities/correction.entity";

/** Per-request batching of correction notes. */
export const correctionLoaders = {
  correctionsOfArticle: ({ corrections }: Services, ctx: RequestContext) => new DataLoader<number, Correction[]>((pks) => corrections.ofArticles(ctx, pks)),
};
