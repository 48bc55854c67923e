import type { CommentsConfig } from "../config";
import type { Database } from "../db/database";
import type { EventBus } from "../events/bus";
import type { LiveStats } from "../events/stats";
import { ArticleService } from "./article.service";
import { AuthService } from "./auth.service";
import { CommentService } from "./comment.service";
import { FactSourceService } from "./fact-source.service";
import type { ImportPool } from "./import/import.pool";
import { ImportService } from "./import/import.service";
import { InstitutionService } from "./institution.service";
import { LiveService } from "./live.service";
import { PersonService } from "./person.service";
import { QuoteService } from "./quote.service";
import type { RateLimits } from "./rate-limit";
import { TagService } from "./tag.service";

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
  readonly facts: FactSourceService;
}

export function createServices(
  db: Database,
  comments: CommentsConfig,
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
      autoApprove: comments.autoApprove,
      perStory: rateLimits.limiter("comment", { points: comments.rateLimit, durationSeconds: comments.rateWindowSeconds }),
      perAddress: rateLimits.limiter("comment-address", { points: comments.addressRateLimit, durationSeconds: comments.addressRateWindowSeconds }),
      maxPendingPerStory: comments.maxPendingPerStory,
    }),
    tags: new TagService(db),
    auth: new AuthService(db),
    live: new LiveService(db, live.bus, live.stats),
    imports: new ImportService(db, imports),
    facts: new FactSourceService(db),
  };
}
