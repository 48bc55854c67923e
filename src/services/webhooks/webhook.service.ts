import { randomBytes } from "node:crypto";
import net from "node:net";
import type { CountingContext, RequestContext } from "../../kernel/request-context";
import { BadUserInputError, quoted } from "../../kernel/errors";
import type { Ordering, PageArgs } from "../../kernel/page-args";
import type { Database } from "../../db/database";
import { getOrThrow } from "../../db/lookups";
import { fetchPage } from "../../db/pagination";
import type { Page } from "../../db/pagination";
import { RowReader } from "../../db/rows";
import { Select } from "../../db/select";
import { alignByPk, groupBy } from "../../db/sql";
import { EventRecord } from "../../events/event.entity";
import { WebhookAttempt, WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint, WebhookEventType } from "../../entities/webhook.entity";
import type { AddressPolicy, HostResolver } from "./address-policy";
import { sealSecret } from "./secret-box";

/** A secret's prefix, as Standard Webhooks' libraries expect it: `whsec_` and the key in base64. */
const SECRET_PREFIX = "whsec_";
/** More would make every event that many deliveries; a newsroom's receivers are a handful. */
export const MAX_ENDPOINTS = 50;
/** An attempt list shows this many, the latest. */
export const ATTEMPTS_SHOWN = 20;

// An endpoint's deliveries are made in event order, one per event: the unique (endpoint, event) index reads them newest first.
const NEWEST: Ordering = { name: "wd:newest", keys: [{ sql: "d.event_seq", dir: "DESC", type: "int" }] };
const EVENT_ORDER = Object.values(WebhookEventType);

/** The URL with any password hidden, to name it in a message. */
function shown(raw: string): string {
  return quoted(raw.replace(/\/\/([^/@]*)@/, "//***@"));
}

/**
 * Webhook endpoints: admins register, change, delete and re-enable them, and read each one's
 * delivery log. The dispatcher (webhook.dispatcher.ts) sends what they are registered for.
 */
export class WebhookService {
  private readonly endpointRows: RowReader<WebhookEndpoint>;
  private readonly deliveryRows: RowReader<WebhookDelivery>;
  private readonly attemptRows: RowReader<WebhookAttempt>;

  constructor(
    private readonly db: Database,
    private readonly policy: AddressPolicy,
    private readonly resolve: HostResolver,
    /** WEBHOOK_SECRET_KEY: seals secrets before they are stored. */
    private readonly secretKey: Buffer | null = null,
  ) {
    this.endpointRows = new RowReader(db, WebhookEndpoint);
    this.deliveryRows = new RowReader(db, WebhookDelivery);
    this.attemptRows = new RowReader(db, WebhookAttempt);
    this.deliveryEntity = { columns: this.deliveryRows.columnsOf("d"), hydrate: (row) => this.deliveryRows.hydrate(row, "_e_") };
  }

  private readonly deliveryEntity: { columns: string; hydrate(row: Record<string, unknown>): unknown };

  /**
   * Registers an endpoint for `events`, told of events from now on. The secret returned is the
   * only time it is shown.
   */
  async create(ctx: CountingContext, url: string, events: readonly WebhookEventType[]): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const target = await this.checkUrl(url, "url");
    const eventTypes = checkEvents(events, "events");
    const secret = `${SECRET_PREFIX}${randomBytes(32).toString("base64")}`;
    const endpoint = await this.db.transaction(async (em) => {
      const count = await em.count(WebhookEndpoint);
      if (count >= MAX_ENDPOINTS) throw new BadUserInputError(`At most ${MAX_ENDPOINTS} webhook endpoints may be registered; delete one first.`, "url");
      // Told of what happens from now on: the newest event is where its deliveries start.
      const newest = await em.getRepository(EventRecord).find({ select: { seq: true }, order: { seq: "DESC" }, take: 1 });
      const now = new Date();
      return em.save(
        em.create(WebhookEndpoint, { url: target, eventTypes, secret: sealSecret(secret, this.secretKey), eventCursor: newest[0]?.seq ?? 0, disabledAt: null, disabledReason: null, failingSince: null, createdAt: now, updatedAt: now }),
      );
    }, ctx.tally);
    delete endpoint.secret;
    return { endpoint, secret };
  }

  /** Changes the URL or the events (what is named, nothing else); deliveries already made keep going to it. */
  async update(ctx: CountingContext, id: string, changes: { url?: string | null; events?: readonly WebhookEventType[] | null }): Promise<WebhookEndpoint> {
    const target = changes.url == null ? null : await this.checkUrl(changes.url, "url");
    const eventTypes = changes.events == null ? null : checkEvents(changes.events, "events");
    return this.db.transaction(async (em) => {
      const endpoint = await getOrThrow(em, WebhookEndpoint, "WebhookEndpoint", id, "id");
      if (target !== null) endpoint.url = target;
      if (eventTypes !== null) endpoint.eventTypes = eventTypes;
      endpoint.updatedAt = new Date();
      return em.save(endpoint);
    }, ctx.tally);
  }

  /** Deletes an endpoint with its deliveries and their attempts. */
  async delete(ctx: CountingContext, id: string): Promise<string> {
    await this.db.transaction(async (em) => {
      const endpoint = await getOrThrow(em, WebhookEndpoint, "WebhookEndpoint", id, "id");
      await em.createQueryBuilder().delete().from(WebhookAttempt).where("delivery_id IN (SELECT d.id FROM webhook_delivery d WHERE d.endpoint_id = :pk)", { pk: endpoint.pk }).execute();
      await em.delete(WebhookDelivery, { endpointId: endpoint.pk });
      await em.delete(WebhookEndpoint, { pk: endpoint.pk });
    }, ctx.tally);
    return id;
  }

  /**
   * Starts a disabled endpoint's deliveries again, where they stopped: what waited is sent now,
   * in order, and the day of failures before it is disabled again counts from the next failure.
   */
  async enable(ctx: CountingContext, id: string, now = new Date()): Promise<WebhookEndpoint> {
    return this.db.transaction(async (em) => {
      const endpoint = await getOrThrow(em, WebhookEndpoint, "WebhookEndpoint", id, "id");
      if (endpoint.disabledAt === null) return endpoint;
      Object.assign(endpoint, { disabledAt: null, disabledReason: null, failingSince: null, updatedAt: now });
      await em.save(endpoint);
      await em.update(WebhookDelivery, { endpointId: endpoint.pk, status: WebhookDeliveryStatus.PENDING }, { nextAttemptAt: now });
      return endpoint;
    }, ctx.tally);
  }

  /** Every endpoint, oldest first. */
  list(ctx: RequestContext): Promise<WebhookEndpoint[]> {
    return this.endpointRows.all(this.db, ctx.tally, `"id"`);
  }

  async endpointsByPks(ctx: RequestContext, pks: readonly number[]): Promise<Array<WebhookEndpoint | null>> {
    return alignByPk(pks, await this.endpointRows.byKeys(this.db, ctx.tally, "id", pks));
  }

  async deliveriesByPks(ctx: RequestContext, pks: readonly number[]): Promise<Array<WebhookDelivery | null>> {
    return alignByPk(pks, await this.deliveryRows.byKeys(this.db, ctx.tally, "id", pks));
  }

  /**
   * Each endpoint's deliveries, newest first, optionally of one status: its delivery log. One
   * statement per endpoint, each read along the (endpoint, event) index: there are at most
   * {@link MAX_ENDPOINTS}, and a window over all of them would number every delivery each one has
   * (measured with 10,000 deliveries an endpoint, on a loaded machine: 0.5 ms a page along the
   * index, 75 ms an endpoint through the window).
   */
  async deliveryPages(ctx: RequestContext, endpointPks: readonly number[], page: PageArgs, status: WebhookDeliveryStatus | null): Promise<Map<number, Page>> {
    const pages = new Map<number, Page>();
    for (const pk of endpointPks) {
      const select = new Select(this.db, "webhook_delivery", "d").where("d.endpoint_id = :endpoint", { endpoint: pk });
      if (status !== null) select.where("d.status = :status", { status });
      pages.set(pk, await fetchPage({ select, pkSql: "d.id", ordering: NEWEST, entity: this.deliveryEntity }, page, ctx.tally));
    }
    return pages;
  }

  /** Each delivery's latest {@link ATTEMPTS_SHOWN} attempts, oldest of them first. */
  async attemptsOf(ctx: RequestContext, deliveryPks: readonly number[]): Promise<WebhookAttempt[][]> {
    const rows = await this.attemptRows.byKeys(this.db, ctx.tally, "delivery_id", deliveryPks, `"delivery_id", "id"`);
    const groups = groupBy(rows, (a) => a.deliveryId);
    return deliveryPks.map((pk) => (groups.get(pk) ?? []).slice(-ATTEMPTS_SHOWN));
  }

  /**
   * An endpoint URL as registered: http or https, a host, no credentials and no fragment (neither
   * is ever sent), and not an address the dispatcher would refuse. A host name is looked up too:
   * one whose every address is refused is refused now rather than failing every delivery (a
   * name that does not resolve yet is accepted; each delivery checks again when it connects).
   */
  private async checkUrl(raw: string, field: string): Promise<string> {
    const text = requiredUrlText(raw, field);
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new BadUserInputError(`${field} ${shown(text)} is not a URL.`, field);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new BadUserInputError(`${field} ${shown(text)} must be an http:// or https:// URL.`, field);
    if (url.username !== "" || url.password !== "") {
      throw new BadUserInputError(`${field} ${shown(text)} must not hold credentials: the signature tells the receiver who is calling.`, field);
    }
    if (url.hash !== "") throw new BadUserInputError(`${field} ${shown(text)} must not have a fragment (#…): it is never sent.`, field);
    const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    const allowHint = "; WEBHOOK_ALLOW_HOSTS must name it to allow it";
    if (net.isIP(host) !== 0) {
      const why = this.policy.refusal(host, host);
      if (why !== null) throw new BadUserInputError(`${field} ${shown(text)} is refused: ${why}${allowHint}.`, field);
      return url.href;
    }
    if (this.policy.allowsName(host)) return url.href;
    let answers: Array<{ address: string }>;
    try {
      answers = await this.resolve(host);
    } catch {
      return url.href;
    }
    const refusals = answers.map((a) => this.policy.refusal(a.address, host));
    if (answers.length > 0 && refusals.every((why) => why !== null)) {
      throw new BadUserInputError(`${field} ${shown(text)} is refused: ${host} resolves only to addresses webhooks may not reach (${refusals.join("; ")})${allowHint}.`, field);
    }
    return url.href;
  }
}

function requiredUrlText(raw: string, field: string): string {
  const text = raw.trim();
  if (text === "") throw new BadUserInputError(`${field} must not be blank.`, field);
  if (text.length > 2000) throw new BadUserInputError(`${field} must be at most 2000 characters, got ${text.length}.`, field);
  return text;
}

/** The event types as stored: known, at least one, each once, in a fixed order. */
function checkEvents(events: readonly WebhookEventType[], field: string): string {
  if (events.length === 0) throw new BadUserInputError(`${field} must name at least one event type (${EVENT_ORDER.join(", ")}).`, field);
  const unknown = events.find((e) => !EVENT_ORDER.includes(e));
  if (unknown !== undefined) throw new BadUserInputError(`${field}: '${String(unknown)}' is not one of ${EVENT_ORDER.join(", ")}.`, field);
  return EVENT_ORDER.filter((e) => events.includes(e)).join(",");
}
