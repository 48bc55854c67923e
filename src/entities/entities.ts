import { Article, ArticleInstitution, ArticlePerson, ArticleTag } from "./article.entity";
import { ApiToken } from "./auth.entity";
import { Comment } from "./comment.entity";
import { Accreditation, Institution } from "./institution.entity";
import { Person, Position } from "./person.entity";
import { Quote } from "./quote.entity";
import { Tag } from "./tag.entity";
import { EventLogState, EventRecord } from "../events/event.entity";
import { SlugAlias } from "./slug-alias.entity";
import { FactSource } from "./fact-source.entity";
import { ArticleAuthor, Author } from "./author.entity";
import { ArticleImage } from "./image.entity";
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from "./webhook.entity";
import { ArticleRevision } from "./revision.entity";
import { Correction } from "./correction.entity";
import { PreviewLink } from "./preview-link.entity";
import { AuditEntry, AuditRecord } from "./audit.entity";

/** Every entity of the store, for the data sources and the migration CLI. */
export const entities = [Article, ArticleInstitution, ArticlePerson, ArticleTag, Tag, Institution, Accreditation, Person, Position, Quote, Comment, ApiToken, SlugAlias, FactSource, Author, ArticleAuthor, ArticleImage, EventRecord, EventLogState, AuditEntry, AuditRecord, WebhookEndpoint, WebhookDelivery, WebhookAttempt, ArticleRevision, Correction, PreviewLink];
