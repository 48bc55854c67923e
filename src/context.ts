import type { Viewer } from "./auth/viewer";
import { PageLoaders } from "./common/page-loader";
import type { AppConfig } from "./config";
import type { RateLimiter } from "./common/rate-limit";
import type { Database } from "./db/database";
import { articleLoaders } from "./modules/article/article.loader";
import { AuthService } from "./modules/auth/auth.service";
import type { DeliveredEvent, EventBus } from "./events/bus";
import { storyOfEvent } from "./events/outbox";
import type { Article } from "./modules/article/article.entity";
import type { LiveStats } from "./events/stats";
import type { RequestScope } from "./observability/request-scope";
import type { AdmittedOperation } from "./policy/operation-policy";
import { LiveService } from "./modules/live/live.service";
import { ArticleService } from "./modules/article/article.service";
import { commentLoaders } from "./modules/comment/comment.loader";
import { CommentService } from "./modules/comment/comment.service";
import { ImportService } from "./modules/import/import.service";
import { institutionLoaders } from "./modules/institution/institution.loader";
import { InstitutionService } from "./modules/institution/institution.service";
import { personLoaders } from "./modules/person/person.loader";
import { PersonService } from "./modules/person/person.service";
import { quoteLoaders } from "./modules/quote/quote.loader";
import { QuoteService } from "./modules/quote/quote.service";
import { tagLoaders } from "./modules/tag/tag.loader";
import { TagService } from "./modules/tag/tag.service";

/** The services of one server; stateless apart from the database they share. */
export interface Services {
  readonly articles: ArticleService;
  readonly institutions: InstitutionService;
  readonly people: PersonService;
  readonly quotes: QuoteService;
  readonly comments: CommentService;
  readonly tags: TagService;
  readonly auth: AuthService;
  readonly live: LiveService;
  readonly imports: ImportService;
}

export function createServices(
  db: Database,
  config: Pick<AppConfig, "autoApproveComments">,
  live: { bus: EventBus; stats: LiveStats },
  commentLimiter: RateLimiter,
): Services {
  return {
    articles: new ArticleService(db),
    institutions: new InstitutionService(db),
    people: new PersonService(db),
    quotes: new QuoteService(db),
    comments: new CommentService(db, { autoApprove: config.autoApproveComments, limiter: commentLimiter }),
    tags: new TagService(db),
    auth: new AuthService(db),
    live: new LiveService(db, live.bus, live.stats),
    imports: new ImportService(db),
  };
}

const LOADERS = {
  ...articleLoaders,
  ...tagLoaders,
  ...institutionLoaders,
  ...personLoaders,
  ...quoteLoaders,
  ...commentLoaders,
  pages: () => new PageLoaders(),
};

/** A request's DataLoaders, each made on first use. */
export type Loaders = { readonly [K in keyof typeof LOADERS]: ReturnType<(typeof LOADERS)[K]> };

const SERVICES = Symbol("services");
const VIEWER = Symbol("viewer");

/**
 * Loaders built on first use: a request touches two or three of the twenty (the front page: a
 * story's institutions), and building all of them for every request showed as a tenth of the
 * allocations of a trivial query.
 */
class LazyLoaders {
  readonly [SERVICES]: Services;
  readonly [VIEWER]: Viewer | null;

  constructor(services: Services, viewer: Viewer | null) {
    this[SERVICES] = services;
    this[VIEWER] = viewer;
  }
}
for (const [key, build] of Object.entries(LOADERS) as Array<[string, (services: Services, viewer: Viewer | null) => unknown]>) {
  Object.defineProperty(LazyLoaders.prototype, key, {
    get(this: LazyLoaders) {
      const loader = build(this[SERVICES], this[VIEWER]);
      Object.defineProperty(this, key, { value: loader, enumerable: true });
      return loader;
    },
  });
}

/**
 * The services of one request: the server's own objects, each seen through a handle whose
 * database is `db` (one that counts the request's statements). Services keep no per-call state,
 * so one object per service and request is all this costs.
 */
export function servicesFor(services: Services, db: Database): Services {
  const bind = <T extends object>(service: T): T => Object.create(service, { db: { value: db } }) as T;
  return {
    articles: bind(services.articles),
    institutions: bind(services.institutions),
    people: bind(services.people),
    quotes: bind(services.quotes),
    comments: bind(services.comments),
    tags: bind(services.tags),
    auth: bind(services.auth),
    live: bind(services.live),
    imports: bind(services.imports),
  };
}

/** Fresh DataLoaders for one request (or one event and audience). */
export function createLoaders(services: Services, viewer: Viewer | null): Loaders {
  return new LazyLoaders(services, viewer) as unknown as Loaders;
}

/** What every resolver receives: who is asking and from where, the services, and this request's own loaders. */
export interface Context {
  readonly viewer: Viewer | null;
  /** The HTTP request's id and SQL statement count (null over WebSocket). */
  readonly scope: RequestScope | null;
  /** The client's network address, for per-client limits. */
  readonly clientAddress: string;
  /** The operation the policy admitted for this HTTP request (graphql-ws hands its document to execution itself: null). */
  readonly admitted: AdmittedOperation | null;
  readonly services: Services;
  readonly loaders: Loaders;
  /**
   * While a story event executes, the story as the event carries it: a quote's or comment's
   * `article` that is this story answers it, not the current row (null outside story events).
   */
  readonly eventStory: Article | null;
  /** The loaders shared by every subscriber of `event` who sees what `viewer` sees. */
  readonly eventLoaders: (event: DeliveredEvent, viewer: Viewer | null) => Loaders;
}

/** Subscribers with the same audience see the same data, so they can share one event's loaders (and results). */
export function audienceOf(viewer: Viewer | null): string {
  return viewer === null ? "anonymous" : viewer.role;
}

/** A fresh context: loaders are never shared between requests, so no viewer sees another's cache. */
export function createContext(services: Services, viewer: Viewer | null, clientAddress: string, scope: RequestScope | null = null, admitted: AdmittedOperation | null = null): Context {
  return {
    viewer,
    scope,
    clientAddress,
    admitted,
    services,
    loaders: createLoaders(services, viewer),
    eventStory: null,
    eventLoaders: (event, who) => event.sharedFor(`loaders:${audienceOf(who)}`, () => createLoaders(services, who)),
  };
}

/**
 * The context one event of a subscription executes in: the subscriber's, with the event's
 * shared loaders, so that data is fresh for each event and read once for all its subscribers.
 */
export function contextForEvent(context: Context, event: DeliveredEvent): Context {
  return { ...context, loaders: context.eventLoaders(event, context.viewer), eventStory: storyOfEvent(event) };
}
