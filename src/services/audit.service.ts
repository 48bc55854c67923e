import type { EntityManager } from "typeorm";
import type { RequestContext } from "../kernel/request-context";
import { parseGlobalId, pkOf } from "../kernel/ids";
import type { Ordering, PageArgs } from "../kernel/page-args";
import type { Database } from "../db/database";
import { unseenByReaders } from "../db/database";
import { fetchPage } from "../db/pagination";
import type { Page } from "../db/pagination";
import { RowReader } from "../db/rows";
import { Select } from "../db/select";
import { timeParam } from "../db/sql";
import { AuditEntry, AuditRecord } from "../entities/audit.entity";

/** What the trail can be filtered by; every condition given must hold. */
export interface AuditFilter {
  /** The API token's id. */
  actor?: string | null;
  /** A record's global id: entries that name it. */
  record?: string | null;
  /** The mutation field, e.g. publishArticle. */
  field?: string | null;
  /** The client's operation name. */
  operation?: string | null;
  /** OK, or an error code. */
  outcome?: string | null;
  /** From this instant on (inclusive). */
  since?: Date | null;
  /** Before this instant. */
  until?: Date | null;
}

/** One mutation field about to run, as the API layer sees it. */
export interface AuditDraft {
  readonly field: string;
  readonly operation: string | null;
  /** The global ids among its arguments. */
  readonly records: readonly string[];
}

/** An entry as it is written (and, when writing fails, logged instead). */
export type AuditRow = Pick<AuditEntry, "at" | "tokenId" | "tokenName" | "tokenRole" | "operation" | "field" | "address" | "outcome" | "requestId"> & { readonly records: readonly string[] };

/** Told of an entry that could not be written after its mutation ended (the server logs it at error level and counts it). */
export type LostAuditEntry = (entry: AuditRow, error: unknown) => void;

const NEWEST: Ordering = { name: "audit:newest", keys: [{ sql: "e.id", dir: "DESC", type: "int" }] };

/** Rows of audit_record per insert: two parameters each, well under SQLite's limit. */
const RECORDS_PER_INSERT = 200;

/** `value` when it is one of the store's global ids. */
export function asGlobalId(value: unknown): string | null {
  if (typeof value !== "string") return null;
  try {
    parseGlobalId(value);
    return value;
  } catch {
    return null;
  }
}

/**
 * The global ids a write transaction's result holds: itself (an id), its `id` (a record), and
 * those of the records it holds one level down (`{ article, plan }`), lists included.
 */
function idsOfResult(value: unknown, depth = 2, found = new Set<string>()): Set<string> {
  const id = asGlobalId(value);
  if (id !== null) found.add(id);
  if (depth === 0 || typeof value !== "object" || value === null || value instanceof Date) return found;
  if (Array.isArray(value)) {
    for (const item of value.slice(0, 1000)) idsOfResult(item, depth - 1, found);
    return found;
  }
  const own = asGlobalId((value as { id?: unknown }).id);
  if (own !== null) found.add(own);
  for (const item of Object.values(value)) if (typeof item === "object" && item !== null) idsOfResult(item, depth - 1, found);
  return found;
}

function cut(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}

/**
 * The audit trail: one entry per mutation, written by the API layer's wrapper around every
 * Mutation field (api/audit/audit.trail.ts) through {@link begin}. A change's entry is written in
 * the change's own transaction (it commits or rolls back with it); a refused attempt's right after
 * the refusal. Nothing in the API changes or removes an entry.
 */
export class AuditService {
  private readonly rows: RowReader<AuditEntry>;

  constructor(
    private readonly db: Database,
    private readonly lost: LostAuditEntry = () => undefined,
  ) {
    this.rows = new RowReader(db, AuditEntry);
  }

  /**
   * Starts the audit of one mutation field of `ctx`'s request: from now until it ends, each write
   * transaction the request opens writes an entry (outcome OK) before it commits, naming the
   * arguments' records, those the services touched ({@link RequestContext.audit}) and those in
   * the transaction's result. End it with {@link MutationAudit.succeeded} or {@link MutationAudit.failed}.
   */
  begin(ctx: RequestContext, draft: AuditDraft): MutationAudit {
    return new MutationAudit(this, ctx, draft);
  }

  /** A page of the trail, newest first. Admins only: the resolver checks the role. */
  list(ctx: RequestContext, filter: AuditFilter | null | undefined, page: PageArgs): Promise<Page> {
    const qb = new Select(this.db, "audit_entry", "e");
    if (filter?.actor != null) qb.where("e.token_id = :actor", { actor: pkOf(filter.actor, "ApiToken", "filter.actor") });
    if (filter?.record != null) {
      parseGlobalId(filter.record, "filter.record");
      // Read from the record's index (an EXISTS per entry walked the whole trail: 120 ms a page of 100,000 entries).
      qb.where("e.id IN (SELECT r.entry_id FROM audit_record r WHERE r.record = :record)", { record: filter.record });
    }
    if (filter?.field != null) qb.where("e.field = :field", { field: filter.field });
    if (filter?.operation != null) qb.where("e.operation = :operation", { operation: filter.operation });
    if (filter?.outcome != null) qb.where("e.outcome = :outcome", { outcome: filter.outcome });
    if (filter?.since != null) qb.where("e.at >= :since", { since: timeParam(this.db, filter.since) });
    if (filter?.until != null) qb.where("e.at < :until", { until: timeParam(this.db, filter.until) });
    return fetchPage({ select: qb, pkSql: "e.id", ordering: NEWEST, entity: { columns: this.rows.columnsOf("e"), hydrate: (row) => this.rows.hydrate(row, "_e_") } }, page, ctx.tally);
  }

  /** Writes `row` with `em` (inside a transaction). */
  async insert(em: EntityManager, row: AuditRow): Promise<void> {
    const { records, ...columns } = row;
    const result = await em.insert(AuditEntry, { ...columns, recordList: records.join(" ") });
    const entryId = Number(result.identifiers[0]!.pk);
    for (let i = 0; i < records.length; i += RECORDS_PER_INSERT) {
      await em.insert(
        AuditRecord,
        records.slice(i, i + RECORDS_PER_INSERT).map((record) => ({ entryId, record })),
      );
    }
  }

  /** Writes `row` in a transaction of its own; when that fails the entry is reported lost, never thrown. */
  async insertAfter(row: AuditRow): Promise<void> {
    try {
      await this.db.transaction(async (em) => {
        this.unseen(em);
        await this.insert(em, row);
      });
    } catch (error) {
      this.lost(row, error);
    }
  }

  /** The trail changes nothing a reader sees: no cached answer is dropped for it. */
  unseen(em: EntityManager): void {
    unseenByReaders(em, "audit_entry");
    unseenByReaders(em, "audit_record");
  }

  /** Runs `hook` inside the write transactions of `ctx`'s request (none without a tally). */
  hookTransactionsOf(ctx: RequestContext, hook: (em: EntityManager, result: unknown) => Promise<void>): () => void {
    return ctx.tally === null ? () => undefined : this.db.hookTransactionsOf(ctx.tally, hook);
  }
}

/**
 * The audit of one running mutation field. Its entries: one per write transaction it commits
 * (written inside it); when it commits none but succeeds, one right after; when it fails, one
 * right after with the error code, for a caller with a token (an anonymous caller's refusals are
 * in the request's log line only, so no one without a token can grow the trail).
 */
export class MutationAudit {
  /** The records the entries written so far name. */
  private readonly written = new Set<string>();
  private entries = 0;
  private readonly release: () => void;

  constructor(
    private readonly trail: AuditService,
    private readonly ctx: RequestContext,
    private readonly draft: AuditDraft,
  ) {
    // Touches left over from an earlier field of the request belong to no entry of this one.
    ctx.audit?.take();
    this.release = trail.hookTransactionsOf(ctx, (em, result) => this.writeIn(em, result));
  }

  private row(outcome: string, records: Iterable<string>): AuditRow {
    const { viewer, clientAddress, tally } = this.ctx;
    return {
      at: new Date(),
      tokenId: viewer?.tokenPk ?? null,
      tokenName: viewer?.name ?? null,
      tokenRole: viewer?.role ?? null,
      operation: this.draft.operation === null ? null : cut(this.draft.operation, 100),
      field: cut(this.draft.field, 100),
      records: [...new Set(records)],
      address: cut(clientAddress || "unknown", 100),
      outcome,
      // The id its request's log line has (over WebSocket, the operation's own).
      requestId: tally?.id ?? null,
    };
  }

  private async writeIn(em: EntityManager, result: unknown): Promise<void> {
    const records = new Set([...this.draft.records, ...(this.ctx.audit?.take() ?? []), ...idsOfResult(result)]);
    this.trail.unseen(em);
    await this.trail.insert(em, this.row("OK", records));
    for (const id of records) this.written.add(id);
    this.entries++;
  }

  /**
   * The field answered `resultIds`. Records no entry names yet (the result's, or touched outside
   * a transaction) get an entry of their own, written right after; so does a success that wrote
   * through no transaction of this request.
   */
  async succeeded(resultIds: readonly string[]): Promise<void> {
    this.release();
    const rest = [...(this.ctx.audit?.take() ?? []), ...resultIds].filter((id) => !this.written.has(id));
    if (this.entries === 0) await this.trail.insertAfter(this.row("OK", [...this.draft.records, ...rest]));
    else if (rest.length > 0) await this.trail.insertAfter(this.row("OK", rest));
  }

  /** The field failed with `code`: what it touched rolled back with it; the attempt is kept for a caller with a token. */
  async failed(code: string): Promise<void> {
    this.release();
    this.ctx.audit?.take();
    if (this.ctx.viewer === null) return;
    await this.trail.insertAfter(this.row(code, this.draft.records));
  }
}
