import DataLoader from "dataloader";
import type { RequestContext } from "../../kernel/request-context";
import type { Services } from "../../services/services";
import type { PreviewLink } from "../../entities/preview-link.entity";

/** Per-request batching of preview links (editors only: the service refuses anyone else). */
export const previewLoaders = {
  previewLinksOfArticle: ({ previews }: Services, ctx: RequestContext) => new DataLoader<number, PreviewLink[]>((pks) => previews.ofArticles(ctx, pks)),
};
