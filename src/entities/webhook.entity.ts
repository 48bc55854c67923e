import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from "typeorm";
import { toGlobalId } from "../kernel/ids";
import { Node } from "../kernel/node";
import { InstantColumn } from "../db/column-types";

/** What a webhook endpoint can be told of. Each is one `type` of the payload (`article.published`…). */
export enum WebhookEventType {
  ARTICLE_PUBLISHED = "ARTICLE_PUBLISHED",
  ARTICLE_UPDATED = "ARTICLE_UPDATED",
  ARTICLE_UNPUBLISHED = "ARTICLE_UNPUBLISHED",
  ARTICLE_DELETED = "ARTICLE_DELETED",
  COMMENT_APPROVED = "COMMENT_APPROVED",
}
registerEnumType(WebhookEventType, {
  name: "WebhookEventType",
  description: "What a webhook endpoint is told of; the payload's `type` is the same in lower case with a dot (`article.published`).",
});

/** Where a delivery stands. */
export enum WebhookDeliveryStatus {
  /** Not yet answered with a 2xx: waiting for its first attempt or its next retry. */
  PENDING = "PENDING",
  DELIVERED = "DELIVERED",
  /** Not sent: what it would report is no longer for readers (the story was taken down, the comment rejected). */
  WITHDRAWN = "WITHDRAWN",
}
registerEnumType(WebhookDeliveryStatus, { name: "WebhookDeliveryStatus" });

/** How one attempt ended; the response body is never kept. */
export enum WebhookAttemptOutcome {
  /** A 2xx answer. */
  SUCCESS = "SUCCESS",
  /** Any other status (statusCode says which); redirects are not followed and count here too. */
  HTTP_STATUS = "HTTP_STATUS",
  TIMEOUT = "TIMEOUT",
  /** The host name did not resolve. */
  DNS = "DNS",
  /** Every address the host resolved to is private, loopback, link-local or reserved, and not allowed. */
  ADDRESS_REFUSED = "ADDRESS_REFUSED",
  /** Refused, reset or unreachable. */
  CONNECTION = "CONNECTION",
  TLS = "TLS",
}
registerEnumType(WebhookAttemptOutcome, { name: "WebhookAttemptOutcome" });

/**
 * A receiver of signed webhooks. Its secret signs every delivery; it is shown once, when the
 * endpoint is made, and stored only so the server can sign (it cannot be a hash).
 */
@ObjectType("WebhookEndpoint", { simpleResolvers: true, implements: Node, description: "Admins only." })
@Entity("webhook_endpoint")
export class WebhookEndpoint implements Node {
  @PrimaryGeneratedColumn({ name: "id" })
  pk!: number;

  @Field(() => ID)
  get id(): string {
    return toGlobalId("WebhookEndpoint", this.pk);
  }

  @Field(() => String)
  @Column({ type: "varchar", length: 2000 })
  url!: string;

  /** The event types, comma-separated in the order of {@link WebhookEventType}. */
  @Column({ name: "event_types", type: "varchar", length: 200 })
  eventTypes!: string;

  @Field(() => [WebhookEventType])
  get events(): WebhookEventType[] {
    return this.eventTypes.split(",") as WebhookEventType[];
  }

  /** The signing secret, sealed when WEBHOOK_SECRET_KEY is set (services/webhooks/secret-box.ts); never selected for the API. */
  @Column({ type: "varchar", length: 200, select: false })
  secret?: string;

  /** The last event of the log this endpoint's deliveries were made up to. */
  @Column({ name: "event_cursor", type: "integer" })
  eventCursor!: number;

  @Field(() => Boolean)
  get enabled(): boolean {
    return this.disabledAt === null;
  }

  @Field(() => Date, { nullable: true, description: "When deliveries stopped: after WEBHOOK_DISABLE_AFTER_MS of failures without a success. enableWebhookEndpoint starts them again." })
  @InstantColumn({ name: "disabled_at", nullable: true })
  disabledAt!: Date | null;

  @Field(() => String, { nullable: true })
  @Column({ name: "disabled_reason", type: "varchar", length: 300, nullable: true })
  disabledReason!: string | null;

  @Field(() => Date, { nullable: true, description: "The first failed attempt since the last success; null while deliveries succeed." })
  @InstantColumn({ name: "failing_since", nullable: true })
  failingSince!: Date | null;

  @Field(() => Date)
  @InstantColumn({ name: "created_at" })
  createdAt!: Date;

  @Field(() => Date)
  @InstantColumn({ name: "updated_at" })
  updatedAt!: Date;
}

/**
 * One event to one endpoint. Made in the transaction that moves the endpoint's cursor past the
 * event, so no event is skipped or made twice; sent until a 2xx answers it. What it sends is
 * built at each attempt from what readers may see then.
 */
@ObjectType("WebhookDelivery", { simpleResolvers: true, implements: Node })
@Entity("webhook_delivery")
@Unique("uq_webhook_delivery_event", ["endpointId", "eventSeq"])
@Index("idx_webhook_delivery_due", ["status", "nextAttemptAt"])
@Index("idx_webhook_delivery_story", ["endpointId", "articleId", "status", "pk"])
export class WebhookDelivery implements Node {
  @PrimaryGeneratedColumn({ name: "id" })
  pk!: number;

  @Field(() => ID)
  get id(): string {
    return toGlobalId("WebhookDelivery", this.pk);
  }

  @Column({ name: "endpoint_id", type: "integer" })
  endpointId!: number;

  @ManyToOne(() => WebhookEndpoint, { onDelete: "CASCADE" })
  @JoinColumn({ name: "endpoint_id" })
  endpoint?: WebhookEndpoint;

  /** The event's place in the log. */
  @Column({ name: "event_seq", type: "integer" })
  eventSeq!: number;

  @Field(() => String, { description: "The `webhook-id` header: the same on every attempt, and for every endpoint told of the event." })
  get webhookId(): string {
    return webhookIdOf(this.eventSeq);
  }

  @Field(() => WebhookEventType)
  @Column({ name: "event_type", type: "varchar", length: 32 })
  eventType!: WebhookEventType;

  @Field(() => Date, { description: "When the event happened: the payload's `timestamp`." })
  @InstantColumn({ name: "event_at" })
  eventAt!: Date;

  /** The story the event is about (a comment's story): deliveries of one story go in order. */
  @Column({ name: "article_id", type: "integer" })
  articleId!: number;

  @Column({ name: "comment_id", type: "integer", nullable: true })
  commentId!: number | null;

  /** The story's slug as the event knew it: all an unpublished or deleted story's payload says besides its id. */
  @Column({ type: "varchar", length: 200 })
  slug!: string;

  @Field(() => WebhookDeliveryStatus)
  @Column({ type: "varchar", length: 16 })
  status!: WebhookDeliveryStatus;

  @Field(() => Int, { description: "Attempts made so far." })
  @Column({ name: "attempt_count", type: "integer", default: 0 })
  attemptCount!: number;

  @Field(() => Date, { nullable: true, description: "When the next attempt is due (null once delivered or withdrawn)." })
  @InstantColumn({ name: "next_attempt_at", nullable: true })
  nextAttemptAt!: Date | null;

  /** Until when an instance holds the delivery while it sends it (see the dispatcher). */
  @InstantColumn({ name: "claimed_until", nullable: true })
  claimedUntil!: Date | null;

  @Column({ name: "claim_token", type: "varchar", length: 36, nullable: true })
  claimToken!: string | null;

  @Field(() => Date)
  @InstantColumn({ name: "created_at" })
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  @InstantColumn({ name: "delivered_at", nullable: true })
  deliveredAt!: Date | null;
}

/** One try at sending a delivery, as the endpoint's log shows it: never the response's body. */
@ObjectType("WebhookAttempt", { simpleResolvers: true })
@Entity("webhook_attempt")
@Index("idx_webhook_attempt_delivery", ["deliveryId", "pk"])
export class WebhookAttempt {
  @PrimaryGeneratedColumn({ name: "id" })
  pk!: number;

  @Column({ name: "delivery_id", type: "integer" })
  deliveryId!: number;

  @ManyToOne(() => WebhookDelivery, { onDelete: "CASCADE" })
  @JoinColumn({ name: "delivery_id" })
  delivery?: WebhookDelivery;

  @Field(() => Date)
  @InstantColumn({ name: "attempted_at" })
  attemptedAt!: Date;

  @Field(() => Int)
  @Column({ name: "duration_ms", type: "integer" })
  durationMs!: number;

  @Field(() => Int, { nullable: true, description: "The response's status, when one came." })
  @Column({ name: "status_code", type: "integer", nullable: true })
  statusCode!: number | null;

  @Field(() => WebhookAttemptOutcome)
  @Column({ type: "varchar", length: 16 })
  outcome!: WebhookAttemptOutcome;
}

/** The `webhook-id` of an event's deliveries: its log cursor, the same as live feeds' `cursor`. */
export function webhookIdOf(eventSeq: number): string {
  return `evt_${String(eventSeq).padStart(16, "0")}`;
}
