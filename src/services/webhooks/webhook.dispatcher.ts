import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { Webhook } from "standardwebhooks";
import type { Logger } from "../../kernel/logger";
import type { Database } from "../../db/database";
import { timeParam } from "../../db/sql";
import type { EventBus } from "../../events/bus";
import { EventRecord } from "../../events/event.entity";
import { parseEvent } from "../../events/log-event";
import { isDeleted } from "../../events/outbox";
import type { LogEvent } from "../../events/log-event";
import { Article, ArticleStatus, ArticleTag } from "../../entities/article.entity";
import { Comment, CommentStatus } from "../../entities/comment.entity";
import { Tag } from "../../entities/tag.entity";
import { webhookIdOf, WebhookAttempt, WebhookAttemptOutcome, WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint, WebhookEventType } from "../../entities/webhook.entity";
import { articleRefV1, articleV1, commentV1, PAYLOAD_TYPE } from "./webhook.payload";
import type { WebhookPayloadV1 } from "./webhook.payload";
import type { SendResult, WebhookSender } from "./webhook.sender";
import { openSecret } from "./secret-box";

/** Events read from the log per transaction when making deliveries (a story event may carry 200 KB of story). */
const FAN_OUT_BATCH = 100;
/** A claim outlasts the attempt's own deadline by this much: the time to record how it went. */
const CLAIM_MARGIN_MS = 5000;

export interface DispatcherOptions {
  readonly sender: WebhookSender;
  readonly logger: Logger;
  readonly timeoutMs: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly disableAfterMs: number;
  readonly concurrency: number;
  readonly pollIntervalMs: number;
  readonly logRetentionMs: number;
  /** Told of every attempt (the metrics count them). */
  readonly onAttempt?: (result: SendResult) => void;
  /** The jitter's source (tests fix it). */
  readonly random?: () => number;
  /** WEBHOOK_SECRET_KEY, to open sealed secrets. */
  readonly secretKey: Buffer | null;
}

/** The webhook event a log event is, or null for events no webhook reports. */
export function webhookEventOf(event: LogEvent): WebhookEventType | null {
  if (event.topic === "comment") return WebhookEventType.COMMENT_APPROVED;
  if (event.topic !== "article") return null;
  switch (event.type) {
    case "PUBLISHED":
      return WebhookEventType.ARTICLE_PUBLISHED;
    case "UPDATED":
      return WebhookEventType.ARTICLE_UPDATED;
    case "UNPUBLISHED":
      return isDeleted(event.snapshot) ? WebhookEventType.ARTICLE_DELETED : WebhookEventType.ARTICLE_UNPUBLISHED;
  }
}

/**
 * The delay before retry `attempt` (1 for the first retry): doubling from `baseMs` up to `maxMs`,
 * then "equal jitter", a random point in its upper half, so receivers coming back from an outage
 * are not hit by every instance's retries at once, and no retry comes sooner than half its step.
 */
export function retryDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 40));
  return Math.round(step / 2 + (random() * step) / 2);
}

/**
 * Sends webhooks from the event log.
 *
 * Deliveries are made, not sent, when an event is read: one transaction reads the events after
 * each endpoint's cursor, inserts a delivery per event and endpoint registered for it, and moves
 * the cursors past them. The log and the cursors are in the database, so a restart (or a kill)
 * loses nothing and makes nothing twice, and a unique (endpoint, event) key backs that up.
 *
 * Sending: a delivery is due when it is PENDING, its endpoint enabled, its next attempt's time
 * come, and no earlier PENDING delivery of the same story waits for the same endpoint (so each
 * story's events arrive in order, and a failing one holds back only its own story's later ones).
 * An instance claims a due delivery with a conditional UPDATE (`claimed_until` still empty or
 * past, checked and set in one statement, in a write transaction; on PostgreSQL those run one at
 * a time under the write lock across instances), so two instances never send the same attempt at
 * once; a claim of an instance that died runs out after the attempt's deadline, and the delivery
 * is sent again: at least once. Each attempt is logged with its status, duration and outcome;
 * a 2xx delivers, anything else is retried with exponential backoff and jitter, and an endpoint
 * with no success for `disableAfterMs` since its first failure is disabled until an admin
 * enables it again (its deliveries keep being made meanwhile, and wait).
 */
export class WebhookDispatcher {
  private readonly inFlight = new Map<number, Promise<void>>();
  private running: Promise<void> | null = null;
  /** A look is wanted after the running one: `"full"` from the timer or an attempt, `"event"` when only an event asked. */
  private again: "full" | "event" | null = null;
  /** Whether the last look found any endpoint: events wake the dispatcher only then (the timer looks regardless). */
  private hasEndpoints = true;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private unlisten: (() => void) | null = null;
  private readonly random: () => number;

  constructor(
    private readonly db: Database,
    private readonly bus: EventBus,
    private readonly options: DispatcherOptions,
  ) {
    this.random = options.random ?? Math.random;
  }

  start(): void {
    this.unlisten = this.bus.listen((event) => {
      if (event.topic === "article" || event.topic === "comment") this.poke("event");
    });
    this.timer = setInterval(() => this.poke(), this.options.pollIntervalMs);
    this.timer.unref();
    const pruneEvery = Math.min(3_600_000, Math.max(1000, Math.floor(this.options.logRetentionMs / 10)));
    this.pruneTimer = setInterval(() => void this.prune().catch((error: unknown) => this.options.logger.error({ err: error }, "pruning the webhook log failed")), pruneEvery);
    this.pruneTimer.unref();
    this.poke();
  }

  /**
   * Looks for new events and due deliveries soon (coalesced: one look runs at a time). A look an
   * event asks for is skipped while the last one found no endpoint at all: a server without
   * webhooks then reads nothing more than the timer's one statement (and an endpoint registered
   * on another instance is found by the timer, its events still after its cursor).
   */
  poke(reason: "full" | "event" = "full"): void {
    if (this.stopped) return;
    if (this.running) {
      if (this.again !== "full") this.again = reason;
      return;
    }
    if (reason === "event" && !this.hasEndpoints) return;
    this.running = this.work()
      .catch((error: unknown) => this.options.logger.error({ err: error }, "webhook dispatch failed"))
      .finally(() => {
        this.running = null;
        const again = this.again;
        this.again = null;
        if (again) this.poke(again);
      });
  }

  /** Resolves once the events committed so far have their deliveries and what is due has been attempted (tests use it). */
  async settle(): Promise<void> {
    await this.bus.settle();
    this.poke();
    while (this.running || this.inFlight.size > 0) {
      await this.running;
      await Promise.allSettled([...this.inFlight.values()]);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.unlisten?.();
    // Bounded: a look whose database went away under it (a lost connection) may never settle, and
    // must not hold up the server's shutdown; an attempt not recorded is sent again after its claim runs out.
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.timeoutMs + 1000)));
    // Each attempt ends within its deadline; its outcome is recorded before the database closes.
    await Promise.race([Promise.allSettled([this.running, ...this.inFlight.values()]), deadline]);
    clearTimeout(timer);
  }

  private async work(): Promise<void> {
    await this.fanOut();
    if (this.hasEndpoints) await this.sendDue();
  }

  /** Makes the deliveries of every event past the endpoints' cursors, a batch per transaction. */
  async fanOut(): Promise<void> {
    for (;;) {
      // Read first, outside any write transaction: most looks find nothing to do.
      const lowest = await this.db.reader.getRepository(WebhookEndpoint).createQueryBuilder("w").select("MIN(w.event_cursor)", "cursor").getRawOne<{ cursor: number | null }>();
      this.hasEndpoints = lowest?.cursor !== null && lowest?.cursor !== undefined;
      if (!this.hasEndpoints) return;
      const newest = await this.db.reader.getRepository(EventRecord).find({ select: { seq: true }, order: { seq: "DESC" }, take: 1 });
      if ((newest[0]?.seq ?? 0) <= Number(lowest!.cursor)) return;
      const more = await this.db.transaction((em) => this.fanOutBatch(em));
      if (!more || this.stopped) return;
    }
  }

  private async fanOutBatch(em: EntityManager): Promise<boolean> {
    const endpoints = await em.find(WebhookEndpoint, { select: { pk: true, eventTypes: true, eventCursor: true }, order: { pk: "ASC" } });
    if (endpoints.length === 0) return false;
    const from = Math.min(...endpoints.map((e) => e.eventCursor));
    // Read in the write transaction, where no other writer can commit: nothing below it can still appear.
    const head = (await em.find(EventRecord, { select: { seq: true }, order: { seq: "DESC" }, take: 1 }))[0]?.seq ?? 0;
    if (head <= from) return false;
    const rows = await em
      .getRepository(EventRecord)
      .createQueryBuilder("e")
      .where("e.seq > :from AND e.seq <= :head AND e.topic IN (:...topics)", { from, head, topics: ["article", "comment"] })
      .orderBy("e.seq", "ASC")
      .limit(FAN_OUT_BATCH)
      .getMany();
    const through = rows.length === FAN_OUT_BATCH ? rows[rows.length - 1]!.seq : head;
    const now = new Date();
    const deliveries: Array<Partial<WebhookDelivery>> = [];
    for (const row of rows) {
      const event = parseEvent(row);
      const type = event && webhookEventOf(event);
      if (!event || !type) continue;
      const slug = event.topic === "article" ? event.snapshot.article.slug : "";
      for (const endpoint of endpoints) {
        if (row.seq <= endpoint.eventCursor || !endpoint.events.includes(type)) continue;
        deliveries.push({
          endpointId: endpoint.pk,
          eventSeq: row.seq,
          eventType: type,
          eventAt: row.createdAt,
          articleId: row.articleId,
          commentId: row.commentId,
          slug,
          status: WebhookDeliveryStatus.PENDING,
          attemptCount: 0,
          nextAttemptAt: now,
          claimedUntil: null,
          claimToken: null,
          createdAt: now,
          deliveredAt: null,
        });
      }
    }
    for (let i = 0; i < deliveries.length; i += 50) await em.insert(WebhookDelivery, deliveries.slice(i, i + 50));
    for (const endpoint of endpoints) {
      if (endpoint.eventCursor < through) await em.update(WebhookEndpoint, { pk: endpoint.pk }, { eventCursor: through });
    }
    return rows.length === FAN_OUT_BATCH;
  }

  /** Claims and starts what is due, up to the concurrency, until nothing more is. */
  private async sendDue(): Promise<void> {
    while (!this.stopped && this.inFlight.size < this.options.concurrency) {
      const now = new Date();
      const due = await this.dueDeliveries(now, this.options.concurrency + this.inFlight.size);
      let started = 0;
      for (const delivery of due) {
        if (this.inFlight.size >= this.options.concurrency || this.stopped) break;
        if (this.inFlight.has(delivery.pk)) continue;
        const token = randomUUID();
        if (!(await this.claim(delivery.pk, token, now))) continue;
        started++;
        const attempt = this.attempt(delivery, token)
          .catch((error: unknown) => this.options.logger.error({ err: error, delivery: delivery.pk }, "a webhook attempt failed unexpectedly"))
          .finally(() => {
            this.inFlight.delete(delivery.pk);
            this.poke();
          });
        this.inFlight.set(delivery.pk, attempt);
      }
      if (started === 0) return;
    }
  }

  private dueDeliveries(now: Date, limit: number): Promise<WebhookDelivery[]> {
    const at = timeParam(this.db, now);
    return this.db.reader
      .getRepository(WebhookDelivery)
      .createQueryBuilder("d")
      .innerJoin(WebhookEndpoint, "e", "e.id = d.endpoint_id")
      .where("d.status = :pending AND e.disabled_at IS NULL AND d.next_attempt_at <= :at", { pending: WebhookDeliveryStatus.PENDING, at })
      .andWhere("(d.claimed_until IS NULL OR d.claimed_until < :at)")
      .andWhere("NOT EXISTS (SELECT 1 FROM webhook_delivery p WHERE p.endpoint_id = d.endpoint_id AND p.article_id = d.article_id AND p.status = :pending AND p.id < d.id)")
      .orderBy("d.nextAttemptAt", "ASC")
      .addOrderBy("d.pk", "ASC")
      .limit(limit)
      .getMany();
  }

  /** Takes a delivery for this instance until its attempt's deadline has passed; false when another holds it or it is done. */
  private async claim(pk: number, token: string, now: Date): Promise<boolean> {
    const until = new Date(now.getTime() + this.options.timeoutMs + CLAIM_MARGIN_MS);
    const result = await this.db.transaction((em) =>
      em
        .createQueryBuilder()
        .update(WebhookDelivery)
        .set({ claimedUntil: until, claimToken: token })
        .where("id = :pk AND status = :pending AND (claimed_until IS NULL OR claimed_until < :now)", { pk, pending: WebhookDeliveryStatus.PENDING, now: timeParam(this.db, now) })
        .execute(),
    );
    return (result.affected ?? 0) === 1;
  }

  private async attempt(delivery: WebhookDelivery, token: string): Promise<void> {
    const endpoint = await this.db.reader.getRepository(WebhookEndpoint).createQueryBuilder("w").addSelect("w.secret").where("w.id = :pk", { pk: delivery.endpointId }).getOne();
    if (!endpoint || endpoint.disabledAt !== null) {
      await this.release(delivery.pk, token);
      return;
    }
    const payload = await this.payloadOf(delivery);
    if (payload === null) {
      await this.db.transaction((em) =>
        em.update(WebhookDelivery, { pk: delivery.pk, claimToken: token }, { status: WebhookDeliveryStatus.WITHDRAWN, nextAttemptAt: null, claimedUntil: null, claimToken: null }),
      );
      return;
    }
    const body = JSON.stringify(payload);
    const id = webhookIdOf(delivery.eventSeq);
    const sentAt = new Date();
    const headers = {
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
      "webhook-signature": new Webhook(openSecret(endpoint.secret!, this.options.secretKey)).sign(id, sentAt, body),
      "user-agent": "newsroom-webhooks/1",
    };
    const result = await this.options.sender.send(endpoint.url, headers, body);
    this.options.onAttempt?.(result);
    if (result.outcome !== WebhookAttemptOutcome.SUCCESS) {
      this.options.logger.info({ endpoint: endpoint.pk, delivery: delivery.pk, webhookId: id, outcome: result.outcome, status: result.statusCode, detail: result.detail }, "webhook attempt failed");
    }
    await this.record(delivery, token, result, sentAt);
  }

  private release(pk: number, token: string): Promise<unknown> {
    return this.db.transaction((em) => em.update(WebhookDelivery, { pk, claimToken: token }, { claimedUntil: null, claimToken: null }));
  }

  /** Logs the attempt and moves the delivery (and, on failure, its endpoint) on, in one transaction. */
  private async record(delivery: WebhookDelivery, token: string, result: SendResult, at: Date): Promise<void> {
    const ok = result.outcome === WebhookAttemptOutcome.SUCCESS;
    const finished = new Date(at.getTime() + result.durationMs);
    await this.db.transaction(async (em) => {
      // Its endpoint may have been deleted while it was being sent: then there is no log to write.
      if (!(await em.existsBy(WebhookDelivery, { pk: delivery.pk }))) return;
      await em.insert(WebhookAttempt, { deliveryId: delivery.pk, attemptedAt: at, durationMs: result.durationMs, statusCode: result.statusCode, outcome: result.outcome });
      if (ok) {
        await em
          .createQueryBuilder()
          .update(WebhookDelivery)
          .set({ status: WebhookDeliveryStatus.DELIVERED, deliveredAt: finished, nextAttemptAt: null, claimedUntil: null, claimToken: null, attemptCount: () => "attempt_count + 1" })
          .where("id = :pk", { pk: delivery.pk })
          .execute();
        await em.createQueryBuilder().update(WebhookEndpoint).set({ failingSince: null }).where("id = :pk AND failing_since IS NOT NULL", { pk: delivery.endpointId }).execute();
        return;
      }
      const attempts = delivery.attemptCount + 1;
      const next = new Date(finished.getTime() + retryDelay(attempts, this.options.retryBaseMs, this.options.retryMaxMs, this.random));
      // Only while this instance still holds it: a claim that ran out may be another's attempt by now.
      await em
        .createQueryBuilder()
        .update(WebhookDelivery)
        .set({ nextAttemptAt: next, claimedUntil: null, claimToken: null, attemptCount: () => "attempt_count + 1" })
        .where("id = :pk AND status = :pending AND claim_token = :token", { pk: delivery.pk, pending: WebhookDeliveryStatus.PENDING, token })
        .execute();
      const endpoint = await em.findOneBy(WebhookEndpoint, { pk: delivery.endpointId });
      if (!endpoint || endpoint.disabledAt !== null) return;
      if (endpoint.failingSince === null) {
        await em.update(WebhookEndpoint, { pk: endpoint.pk }, { failingSince: at });
      } else if (finished.getTime() - endpoint.failingSince.getTime() >= this.options.disableAfterMs) {
        const last = result.statusCode === null ? result.outcome : `${result.outcome} ${result.statusCode}`;
        const reason = `No delivery succeeded from ${endpoint.failingSince.toISOString()} to ${finished.toISOString()}; the last attempt: ${last}.`;
        await em.update(WebhookEndpoint, { pk: endpoint.pk }, { disabledAt: finished, disabledReason: reason, updatedAt: finished });
        this.options.logger.warn({ endpoint: endpoint.pk, reason }, "webhook endpoint disabled");
      }
    });
  }

  /**
   * What the delivery says, read now, or null when that is no longer for readers: a story's
   * fields only while it is published, a comment only while it is approved on a published story.
   * A story taken down or deleted is named by its id and slug, whatever it was.
   */
  private async payloadOf(delivery: WebhookDelivery): Promise<WebhookPayloadV1 | null> {
    const timestamp = delivery.eventAt.toISOString();
    const type = delivery.eventType;
    const reader = this.db.reader;
    switch (type) {
      case WebhookEventType.ARTICLE_UNPUBLISHED:
      case WebhookEventType.ARTICLE_DELETED:
        return { version: 1, type: PAYLOAD_TYPE[type], timestamp, data: { article: articleRefV1(delivery.articleId, delivery.slug) } } as WebhookPayloadV1;
      case WebhookEventType.ARTICLE_PUBLISHED:
      case WebhookEventType.ARTICLE_UPDATED: {
        const article = await reader.getRepository(Article).findOneBy({ pk: delivery.articleId, status: ArticleStatus.PUBLISHED });
        if (!article) return null;
        const links = await reader.getRepository(ArticleTag).find({ where: { articleId: article.pk }, order: { position: "ASC" } });
        const tags = links.length === 0 ? [] : await reader.getRepository(Tag).createQueryBuilder("t").where("t.id IN (:...ids)", { ids: links.map((l) => l.tagId) }).getMany();
        const byPk = new Map(tags.map((t) => [t.pk, t]));
        const ordered = links.flatMap((l) => byPk.get(l.tagId) ?? []);
        return { version: 1, type: PAYLOAD_TYPE[type], timestamp, data: { article: articleV1(article, ordered) } } as WebhookPayloadV1;
      }
      case WebhookEventType.COMMENT_APPROVED: {
        const comment = delivery.commentId === null ? null : await reader.getRepository(Comment).findOneBy({ pk: delivery.commentId, status: CommentStatus.APPROVED });
        if (!comment) return null;
        const article = await reader.getRepository(Article).findOne({ select: { pk: true, slug: true }, where: { pk: comment.articleId, status: ArticleStatus.PUBLISHED } });
        if (!article) return null;
        return { version: 1, type: "comment.approved", timestamp, data: { article: articleRefV1(article.pk, article.slug), comment: commentV1(comment) } };
      }
    }
  }

  /** Drops delivered and withdrawn deliveries older than the log's retention, with their attempts; pending ones stay. */
  async prune(now = Date.now()): Promise<number> {
    const cutoff = timeParam(this.db, new Date(now - this.options.logRetentionMs));
    const done = [WebhookDeliveryStatus.DELIVERED, WebhookDeliveryStatus.WITHDRAWN];
    return this.db.transaction(async (em) => {
      await em
        .createQueryBuilder()
        .delete()
        .from(WebhookAttempt)
        .where("delivery_id IN (SELECT d.id FROM webhook_delivery d WHERE d.status IN (:...done) AND d.created_at < :cutoff)", { done, cutoff })
        .execute();
      const result = await em.createQueryBuilder().delete().from(WebhookDelivery).where("status IN (:...done) AND created_at < :cutoff", { done, cutoff }).execute();
      return result.affected ?? 0;
    });
  }
}
