import type { Viewer } from "./auth/viewer";
import { PageLoaders } from "./common/page-loader";
import type { Database } from "./db/database";
import { createArticleLoaders } from "./modules/article/article.loader";
import { ArticleService } from "./modules/article/article.service";
import { createCommentLoaders } from "./modules/comment/comment.loader";
import { CommentService } from "./modules/comment/comment.service";
import { createInstitutionLoaders } from "./modules/institution/institution.loader";
import { InstitutionService } from "./modules/institution/institution.service";
import { createPersonLoaders } from "./modules/person/person.loader";
import { PersonService } from "./modules/person/person.service";
import { createQuoteLoaders } from "./modules/quote/quote.loader";
import { QuoteService } from "./modules/quote/quote.service";
import { createTagLoaders } from "./modules/tag/tag.loader";
import { TagService } from "./modules/tag/tag.service";

/** The services of one server; stateless apart from the database they share. */
export interface Services {
  readonly articles: ArticleService;
  readonly institutions: InstitutionService;
  readonly people: PersonService;
  readonly quotes: QuoteService;
  readonly comments: CommentService;
  readonly tags: TagService;
}

export function createServices(db: Database): Services {
  return {
    articles: new ArticleService(db),
    institutions: new InstitutionService(db),
    people: new PersonService(db),
    quotes: new QuoteService(db),
    comments: new CommentService(db),
    tags: new TagService(db),
  };
}

function createLoaders(services: Services, viewer: Viewer | null) {
  return {
    ...createArticleLoaders(services.articles),
    ...createTagLoaders(services.tags),
    ...createInstitutionLoaders(services.institutions),
    ...createPersonLoaders(services.people),
    ...createQuoteLoaders(services.quotes),
    ...createCommentLoaders(services.comments, viewer),
    pages: new PageLoaders(),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** What every resolver receives: who is asking, the services, and this request's own loaders. */
export interface Context {
  readonly viewer: Viewer | null;
  readonly services: Services;
  readonly loaders: Loaders;
}

/** A fresh context: loaders are never shared between requests, so no viewer sees another's cache. */
export function createContext(services: Services, viewer: Viewer | null): Context {
  return { viewer, services, loaders: createLoaders(services, viewer) };
}
