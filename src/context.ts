import type { Viewer } from "./auth/viewer";
import { PageLoaders } from "./common/page-loader";
import type { AppConfig } from "./config";
import type { RateLimits } from "./common/rate-limit";
import type { Database } from "./db/database";
import { articleLoaders } from "./modules/article/article.loader";
import { authLoaders } from "./modules/auth/auth.loader";
import { AuthService } from "./modules/auth/auth.service";
import type { EventBus } from "./events/bus";
import type { LogEvent } from "./events/log-event";
import { loadersOfEvent, storyOfEvent } from "./modules/live/event-shares";
import type { Article } from "./modules/article/article.entity";
import type { LiveStats } from "./events/stats";
import type { RequestContext } from "./common/request-context";
import type { RequestScope } from "./observability/request-scope";
import type { AdmittedOperation } from "./policy/operation-policy";
import { LiveService } from "./modules/live/live.service";
import { ArticleService } from "./modules/article/article.service";
import { commentLoaders } from "./modules/comment/comment.loader";
import { CommentService } from "./modules/comment/comment.service";
import type { ImportPool } from "./modules/import/import.pool";
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
  config: Pick<AppConfig, "autoApproveComments" | "commentRateLimit" | "commentRateWindowSeconds" | "commentAddressRateLimit" | "commentAddressRateWindowSeconds" | "commentMaxPendingPerStory">,
  live: { bus: EventBus; stats: LiveStats },
  rateLimits: RateLimits,
  imports: ImportPool,
): Services {
  return {
    articles: new ArticleService(db),
    institutions: new InstitutionService(db),
    people: new PersonService(db),
    quotes: new QuoteService(db),
    comments: new CommentService(db, {
      autoApprove: config.autoApproveComments,
      perStory: rateLimits.limiter("comment", { points: config.commentRateLimit, durationSeconds: config.commentRateWindowSeconds }),
      perAddress: rateLimits.limiter("comment-address", { points: config.commentAddressRateLimit, durationSeconds: config.commentAddressRateWindowSeconds }),
      maxPendingPerStory: config.commentMaxPendingPerStory,
    }),
    tags: new TagService(db),
    auth: new AuthService(db),
    live: new LiveService(db, live.bus, live.stats),
    imports: new ImportService(db, imports),
  };
}

const LOADERS = {
  ...articleLoaders,
  ...tagLoaders,
  ...institutionLoaders,
  ...personLoaders,
  ...quoteLoaders,
  ...commentLoaders,
  ...authLoaders,
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

export type { CountingContext, RequestContext } from "./common/request-context";

/** What every resolver receives: the request's context, with the services and what the operation and its events add. */
export interface Context extends RequestContext {
  /** The operation the policy admitted for this HTTP request (graphql-ws hands its document to execution itself: null). */
  readonly admitted: AdmittedOperation | null;
  readonly services: Services;
  /**
   * While a story event executes, the story as the event carries it: a quote's or comment's
   * `article` that is this story answers it, not the current row (null outside story events).
   */
  readonly eventStory: Article | null;
  /** The loaders shared by every subscriber of `event` who sees what `viewer` sees. */
  readonly eventLoaders: (event: LogEvent, viewer: Viewer | null) => Loaders;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Subscribers with the same audience see the same data, so they can share one event's loaders (and results). */
export function audienceOf(viewer: Viewer | null): string {
  return viewer === null ? "anonymous" : viewer.role;
}

/**
 * The loaders every subscriber of one event in one audience reads through. Their context is
 * the audience's, not any one subscriber's: nothing is counted (WebSocket) and no address applies.
 */
function audienceLoaders(services: Services, viewer: Viewer | null): Loaders {
  const ctx: Mutable<RequestContext> = { viewer, tally: null, loaders: null as unknown as Loaders, clientAddress: "", transport: "websocket" };
  ctx.loaders = new LazyLoaders(services, ctx) as unknown as Loaders;
  return ctx.loaders;
}

/** A fresh context: loaders are never shared between requests, so no viewer sees another's cache. */
export function createContext(
  services: Services,
  request: { viewer: Viewer | null; clientAddress: string; transport: "http" | "websocket"; tally?: RequestScope | null; admitted?: AdmittedOperation | null },
): Context {
  const ctx: Mutable<Context> = {
    viewer: request.viewer,
    tally: request.tally ?? null,
    // Set just below: the loaders call services with this very context.
    loaders: null as unknown as Loaders,
    clientAddress: request.clientAddress,
    transport: request.transport,
    admitted: request.admitted ?? null,
    services,
    eventStory: null,
    eventLoaders: (event, who) => loadersOfEvent(event, audienceOf(who), () => audienceLoaders(services, who)),
  };
  ctx.loaders = new LazyLoaders(services, ctx) as unknown as Loaders;
  return ctx;
}

/**
 * The context one event of a subscription executes in: the subscriber's, with the event's
 * shared loaders, so that data is fresh for each event and read once for all its subscribers.
 */
export function contextForEvent(context: Context, event: LogEvent): Context {
  return { ...context, loaders: context.eventLoaders(event, context.viewer), eventStory: event.topic === "article" ? storyOfEvent(event) : null };
}
