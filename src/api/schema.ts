// Loaded first: type-graphql lists the types that implement Node in the order their classes are
// declared, and ApiToken has always led schema.graphql (reached only through node(id:), it is
// otherwise the last to load).
import "../entities/auth.entity";
import { createPubSub } from "@graphql-yoga/subscription";
import { printSchema } from "graphql";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { authChecker } from "../kernel/permissions";
import { DateTimeScalar } from "../kernel/scalars";
import { ArticleResolver } from "./article/article.resolver";
import { auditMutations } from "./audit/audit.trail";
import { AuditResolver } from "./audit/audit.resolver";
import { AuthResolver } from "./auth/auth.resolver";
import { AuthorResolver } from "./author/author.resolver";
import { CommentResolver } from "./comment/comment.resolver";
import { AccreditationResolver, InstitutionResolver } from "./institution/institution.resolver";
import { FactSourceResolver } from "./facts/fact-source.resolver";
import { FactChoiceResolver, FactConflictResolver } from "./facts/conflict.resolver";
import { ImportResolver } from "./import/import.resolver";
import { LiveResolver } from "./live/live.resolver";
import { NodeResolver } from "./node/node.resolver";
import { PersonResolver, PositionResolver } from "./person/person.resolver";
import { QuoteResolver } from "./quote/quote.resolver";
import { TagResolver } from "./tag/tag.resolver";
import { WebhookDeliveryResolver, WebhookResolver } from "./webhook/webhook.resolver";
import { ArticleRevisionResolver, ArticleRevisionsResolver } from "./revision/revision.resolver";
import { CorrectionResolver } from "./correction/correction.resolver";
import { PreviewResolver } from "./preview/preview.resolver";
import { recordReadRows } from "./read-rows";

/** The kinds of record whose rows execution notes (see read-rows.ts): the cache's tags by row. */
const RECORDED_KINDS: ReadonlySet<string> = new Set(["Article", "Institution", "Accreditation", "Person", "Position", "Quote", "Comment", "Tag", "Author"]);

let built: Promise<GraphQLSchema> | undefined;

/** The served schema, built once per process from the decorated classes; every mutation is audited (audit/audit.trail.ts), and the rows queries read are noted (read-rows.ts). */
export function createSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [NodeResolver, ArticleResolver, TagResolver, InstitutionResolver, AccreditationResolver, PersonResolver, PositionResolver, QuoteResolver, CommentResolver, AuthResolver, LiveResolver, ImportResolver, FactSourceResolver, AuthorResolver, FactConflictResolver, FactChoiceResolver, AuditResolver, WebhookResolver, WebhookDeliveryResolver, ArticleRevisionResolver, ArticleRevisionsResolver, CorrectionResolver, PreviewResolver],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    authChecker,
    // Required by type-graphql for any subscription; ours bring their own event streams
    // (`subscribe` in each @Subscription, fed by the event log), so nothing is published here.
    pubSub: createPubSub(),
    // Inputs are checked by the services, which know the contract's messages and error codes.
    validate: false,
  })
    .then(auditMutations)
    .then((schema) => recordReadRows(schema, RECORDED_KINDS));
  return built;
}

/** The schema as SDL, exactly as written to schema.graphql. */
export async function schemaSdl(): Promise<string> {
  return `${printSchema(await createSchema())}\n`;
}
