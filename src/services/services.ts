import type { CommentsConfig, PreviewsConfig, WebhooksConfig } from "../config";
import type { Database } from "../db/database";
import type { EventBus } from "../events/bus";
import type { LiveStats } from "../events/stats";
import { ArticleService } from "./article.service";
import { AuditService } from "./audit.service";
import type { LostAuditEntry } from "./audit.service";
import { AuthService } from "./auth.service";
import { AuthorService } from "./author.service";
import { CommentService } from "./comment.service";
import { ConflictService } from "./conflict.service";
import { CorrectionService } from "./correction.service";
import { FactSourceService } from "./fact-source.service";
import type { ImportPool } from "./import/import.pool";
import { ImportService } from "./import/import.service";
import { InstitutionService } from "./institution.service";
import { LiveService } from "./live.service";
import { PersonService } from "./person.service";
import { PreviewService } from "./preview.service";
import { QuoteService } from "./quote.service";
import type { RateLimits } from "./rate-limit";
import { RevisionService } from "./revision.service";
import { TagService } from "./tag.service";
import { AddressPolicy, systemResolver } from "./webhooks/address-policy";
import { WebhookService } from "./webhooks/webhook.service";

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
  readonly authors: AuthorService;
  readonly conflicts: ConflictService;
  readonly audit: AuditService;
  readonly webhooks: WebhookService;
  readonly revisions: RevisionService;
  readonly corrections: CorrectionService;
  readonly previews: PreviewService;
}

/** What the services are built from, named so a new one never lands in the wrong place. */
export interface ServiceDependencies {
  readonly db: Database;
  readonly comments: CommentsConfig;
  readonly live: { readonly bus: EventBus; readonly stats: LiveStats };
  readonly rateLimits: RateLimits;
  readonly webhooks: Pick<WebhooksConfig, "allowHosts" | "secretKey">;
  readonly previews: PreviewsConfig;
  readonly imports: ImportPool;
  /** Where an audit entry goes when it cannot be written (the log, in the server). */
  readonly lostAudit?: LostAuditEntry;
}

export function createServices(deps: ServiceDependencies): Services {
  const { db, comments, live, rateLimits, webhooks, previews, imports } = deps;
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
    authors: new AuthorService(db),
    conflicts: new ConflictService(db),
    audit: new AuditService(db, deps.lostAudit),
    webhooks: new WebhookService(db, new AddressPolicy(webhooks.allowHosts), systemResolver, webhooks.secretKey),
    revisions: new RevisionService(db),
    corrections: new CorrectionService(db),
    previews: new PreviewService(db, rateLimits.limiter("preview-address", { points: previews.rateLimit, durationSeconds: previews.rateWindowSeconds })),
  };
}
