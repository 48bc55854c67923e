import type { RequestContext } from "../kernel/request-context";
import type { Services } from "../services/services";
import { articleLoaders } from "./article/article.loader";
import { authLoaders } from "./auth/auth.loader";
import { authorLoaders } from "./author/author.loader";
import { commentLoaders } from "./comment/comment.loader";
import { factSourceLoaders } from "./facts/fact-source.loader";
import { institutionLoaders } from "./institution/institution.loader";
import { PageLoaders } from "./page-loader";
import { personLoaders } from "./person/person.loader";
import { quoteLoaders } from "./quote/quote.loader";
import { revisionLoaders } from "./revision/revision.loader";
import { correctionLoaders } from "./correction/correction.loader";
import { previewLoaders } from "./preview/preview.loader";
import { tagLoaders } from "./tag/tag.loader";
import { webhookLoaders } from "./webhook/webhook.loader";

const LOADERS = {
  ...articleLoaders,
  ...tagLoaders,
  ...institutionLoaders,
  ...personLoaders,
  ...quoteLoaders,
  ...commentLoaders,
  ...authLoaders,
  ...factSourceLoaders,
  ...authorLoaders,
  ...webhookLoaders,
  ...revisionLoaders,
  ...correctionLoaders,
  ...previewLoaders,
  pages: () => new PageLoaders(),
};

/** A request's DataLoaders, each made on first use. */
export type Loaders = { readonly [K in keyof typeof LOADERS]: ReturnType<(typeof LOADERS)[K]> };

const SERVICES = Symbol("services");
const CONTEXT = Symbol("context");

/**
 * Loaders built on first use: a request touches two or three of the twenty (the front page: a
 * story's institutions), and building all of them for every request showed as a tenth of the
 * allocations of a trivial query. Each batch calls its service with the context the loaders
 * belong to, so its statements count into that request's tally.
 */
class LazyLoaders {
  readonly [SERVICES]: Services;
  readonly [CONTEXT]: RequestContext;

  constructor(services: Services, ctx: RequestContext) {
    this[SERVICES] = services;
    this[CONTEXT] = ctx;
  }
}
for (const [key, build] of Object.entries(LOADERS) as Array<[string, (services: Services, ctx: RequestContext) => unknown]>) {
  Object.defineProperty(LazyLoaders.prototype, key, {
    get(this: LazyLoaders) {
      const loader = build(this[SERVICES], this[CONTEXT]);
      Object.defineProperty(this, key, { value: loader, enumerable: true });
      return loader;
    },
  });
}

/** Fresh loaders whose batches call `services` with `ctx`, so their statements count into its tally. */
export function createLoaders(services: Services, ctx: RequestContext): Loaders {
  return new LazyLoaders(services, ctx) as unknown as Loaders;
}
