import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApolloServerPlugin } from "@apollo/server";
import type { Request, RequestHandler, Response } from "express";
import type { GraphQLSchema } from "graphql";
import Negotiator from "negotiator";
import type { Logger } from "../kernel/logger";
import { mergeVary } from "../kernel/vary";
import type { Metrics } from "../observability/metrics";
import { requestIdOf, scopeOf } from "../kernel/request-scope";
import type { AdmittedOperation } from "../policy/operation-policy";
import { EarlyHits } from "./early-hits";
import { ResponseCache } from "./response-cache";
import type { CachedResponse, CacheSlot, RawSpelling } from "./response-cache";
import { readRowsOf } from "../api/read-rows";
import type { ReadRows, RowNotes } from "../api/read-rows";
import { answersPrivately, headerTags, tagsOfAnswer, tagsOfOperation } from "./tags";
import type { TagMode } from "./tags";

/** The media types Apollo answers a single result with, in its order of preference. */
const MEDIA_TYPES = ["application/json; charset=utf-8", "application/graphql-response+json; charset=utf-8"];

/** What every GraphQL answer depends on besides its URL and body: the viewer's token, and the media type asked for. */
const ANSWER_VARY = "Authorization, Accept";

export interface HttpCacheOptions {
  /** Seconds a shared cache (a CDN, Varnish) may serve an anonymous GET answer as fresh. */
  readonly maxAgeSeconds: number;
  /** Seconds past that it may serve it while it revalidates. */
  readonly staleWhileRevalidateSeconds: number;
  /** CACHE_TAGS: answers tagged with the rows and lists they show (`row`, the default) or the kinds they reach (`type`). */
  readonly tags?: TagMode;
}

/** The media type Apollo will answer this request with, as Apollo chooses it; null when it answers none of ours. */
function mediaTypeOf(req: Request): string | null {
  const accept = req.get("accept");
  if (!accept) return MEDIA_TYPES[0]!;
  const chosen = new Negotiator({ headers: { accept } }).mediaType(MEDIA_TYPES);
  return chosen ?? null;
}

/**
 * HTTP caching of anonymous queries, in two layers that share one decision: the response cache
 * in this process (answers by document, operation, variables and media type, dropped by the
 * tags of what changed), and the headers a CDN can use (`Cache-Control: public` with a strong
 * ETag and `xkey`/`Surrogate-Key` tags for anonymous GETs, 304 on a matching If-None-Match;
 * `private, no-store` for anything sent with a token, and for a preview link's reading, which
 * neither layer keeps). Only the operation policy's admitted operations get here.
 */
export class HttpCache {
  private readonly slots = new WeakMap<AdmittedOperation, CacheSlot>();
  /** Answers repeats before Express; null with RESPONSE_CACHE=false (nothing to answer from). */
  readonly early: EarlyHits | null;

  constructor(
    private readonly schema: GraphQLSchema,
    /** The response cache (with RESPONSE_CACHE=false it keeps nothing, and the headers are still sent). */
    private readonly cache: ResponseCache,
    private readonly options: HttpCacheOptions,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {
    this.early = cache.keepsAnswers
      ? new EarlyHits(cache, (req, res, hit, spelling) => this.sendHit(req, res, hit, { mediaType: spelling.mediaType, operationName: spelling.operationName, requestId: requestIdOf(req.headers["x-request-id"]) }))
      : null;
  }

  private publicControl(): string {
    return `public, max-age=${this.options.maxAgeSeconds}, stale-while-revalidate=${this.options.staleWhileRevalidateSeconds}`;
  }

  /**
   * Names in Vary, for every answer of the GraphQL endpoint (Apollo's, a hit's, a refusal), the
   * request headers it depends on, added to those named before (CORS's Origin). Set on the
   * response before Apollo runs, because Apollo's own headers replace those of the same name.
   */
  varyHeaders(): RequestHandler {
    return (_req, res, next) => {
      res.setHeader("vary", mergeVary(res.getHeader("vary"), ANSWER_VARY));
      next();
    };
  }

  /**
   * Answers an admitted operation from the cache when it can (true: answered). Otherwise, for
   * a cacheable one, opens the slot its answer will be stored in once Apollo has computed it.
   */
  answer(req: Request, res: Response, admitted: AdmittedOperation): boolean {
    if (admitted.operation.operation !== "query" || req.get("authorization") !== undefined) return false;
    // No slot: its answer is stored nowhere, so neither this path nor an early hit can ever serve it.
    if (answersPrivately(this.schema, admitted.document, admitted.operation)) return false;
    const mediaType = mediaTypeOf(req);
    if (mediaType === null) return false;
    const found = this.lookup(req, admitted, mediaType);
    if (found.slot) {
      this.slots.set(admitted, found.slot);
      return false;
    }
    this.sendHit(req, res, found.hit, { mediaType, operationName: admitted.operationName, requestId: scopeOf(res)?.id });
    return true;
  }

  /** The stored answer of an anonymous, public query, or the slot its answer will be stored in; recorded as a sighting either way. */
  private lookup(req: IncomingMessage, admitted: AdmittedOperation, mediaType: string): ReturnType<ResponseCache["lookup"]> {
    const tags = tagsOfOperation(this.schema, admitted.document, admitted.operation);
    const key = ResponseCache.keyOf({ sourceHash: admitted.sourceHash, operationName: admitted.operationName, variables: admitted.variables, audience: "anonymous", mediaType });
    const raw = this.early?.spellingOf(req);
    const spelling: RawSpelling | undefined = raw === undefined ? undefined : { raw, mediaType, operationName: admitted.operationName };
    return this.cache.lookup(key, tags, spelling);
  }

  /**
   * {@link answer} for the early path (src/transport/early-execution.ts), which has admitted an
   * anonymous public query POSTed with the media type `mediaType` and set the headers the Express
   * chain sets first: true when it was answered from the cache here; otherwise the slot its answer
   * is stored in ({@link storeEarly}).
   */
  answerEarly(req: IncomingMessage, res: ServerResponse, admitted: AdmittedOperation, mediaType: string, requestId: string): true | CacheSlot {
    const found = this.lookup(req, admitted, mediaType);
    if (found.slot) return found.slot;
    this.sendHit(req, res, found.hit, { mediaType, operationName: admitted.operationName, requestId });
    return true;
  }

  /** Whether answers are kept (false with RESPONSE_CACHE=false, where only a GET's headers are worked out). */
  get keepsAnswers(): boolean {
    return this.cache.keepsAnswers;
  }

  /**
   * Stores an early execution's answer (its bytes exactly as sent) as {@link plugin} stores
   * Apollo's, and sets the same headers in the same order: none but Cache-Control: no-store when
   * it was read before a change this instance knows of; else its ETag, and for a GET public
   * caching and its tags, for a POST no-store.
   */
  storeEarly(res: ServerResponse, slot: CacheSlot, text: string, get: boolean, answer: { admitted: AdmittedOperation; data: unknown; readRows: ReadRows | undefined }): void {
    const entry = this.cache.store(slot, text, this.tagsOf(slot, answer.admitted, answer.data, answer.readRows));
    if (entry === "stale") {
      res.setHeader("cache-control", "no-store");
      return;
    }
    res.setHeader("etag", entry.etag);
    if (!get) {
      res.setHeader("cache-control", "no-store");
      return;
    }
    res.setHeader("cache-control", this.publicControl());
    if (entry.tags.length > 0) {
      const named = headerTags(entry.tags).join(" ");
      res.setHeader("xkey", named);
      res.setHeader("surrogate-key", named);
    }
  }

  /**
   * The tags an answer is stored under, the same on both paths: with CACHE_TAGS=row the rows and
   * lists it shows, read off the answer and the rows its execution noted; else (or without the
   * admitted operation) the kinds its operation reaches, which its slot holds.
   */
  private tagsOf(slot: CacheSlot, admitted: AdmittedOperation | null, data: unknown, readRows: ReadRows | undefined): readonly string[] {
    if ((this.options.tags ?? "row") !== "row" || !admitted) return slot.tags;
    return tagsOfAnswer(this.schema, admitted.document, admitted.operation, admitted.variables, data, readRows);
  }

  /**
   * Sends a stored answer with the headers every cached answer carries (a strong ETag, public
   * caching and tags for a GET, 304 on its ETag), counted and logged as a request: the one way
   * a hit is answered, before Express ({@link EarlyHits}) or after the policy ({@link answer}).
   */
  sendHit(req: IncomingMessage, res: ServerResponse, hit: CachedResponse, answer: { mediaType: string; operationName: string | null; requestId: string | undefined }): void {
    const started = performance.now();
    const get = req.method === "GET";
    // Added to what CORS named (Origin): writeHead replaces a header set before under the same name.
    const headers: Record<string, string | number> = { vary: mergeVary(res.getHeader("vary"), ANSWER_VARY), etag: hit.etag, "cache-control": get ? this.publicControl() : "no-store" };
    if (answer.requestId !== undefined) headers["x-request-id"] = answer.requestId;
    if (get && hit.tags.length > 0) headers.xkey = headers["surrogate-key"] = headerTags(hit.tags).join(" ");
    const status = get && req.headers["if-none-match"] === hit.etag ? 304 : 200;
    if (status === 304) {
      res.writeHead(304, headers);
      res.end();
    } else {
      headers["content-type"] = answer.mediaType;
      headers["content-length"] = hit.bytes.length;
      res.writeHead(200, headers);
      res.end(hit.bytes);
    }
    this.metrics.requests.inc({ operation: this.metrics.operationLabel(answer.operationName), outcome: "ok" });
    if (this.logger.isLevelEnabled("info")) {
      this.logger.info({ reqId: answer.requestId, operation: answer.operationName, outcome: "ok", status, cache: "hit", durationMs: Math.round((performance.now() - started) * 10) / 10, statements: 0 }, "graphql request");
    }
  }

  /** Stores what a cacheable operation's slot waits for, and gives every answer Apollo sends its caching headers (Vary is {@link varyHeaders}'s). */
  plugin<TContext extends { readonly admitted: AdmittedOperation | null; readonly readRows?: RowNotes | null }>(): ApolloServerPlugin<TContext> {
    return {
      requestDidStart: async () => ({
        willSendResponse: async ({ request, response, contextValue }) => {
          const headers = response.http.headers;
          const admitted = contextValue.admitted;
          if (request.http?.headers.get("authorization") !== undefined || (admitted && answersPrivately(this.schema, admitted.document, admitted.operation))) {
            headers.set("cache-control", "private, no-store");
            return;
          }
          const slot = admitted ? this.slots.get(admitted) : undefined;
          const body = response.body;
          // A POST answer nothing keeps needs no serialising here: no header of it depends on its bytes.
          if (request.http?.method !== "GET" && !this.cache.keepsAnswers) {
            headers.set("cache-control", "no-store");
            return;
          }
          if (!slot || body.kind !== "single" || body.singleResult.errors?.length || response.http.status !== undefined) {
            headers.set("cache-control", "no-store");
            return;
          }
          // Apollo writes a single result as its JSON and a newline: the cached bytes are the same.
          const text = `${JSON.stringify(body.singleResult)}\n`;
          const entry = this.cache.store(slot, text, this.tagsOf(slot, admitted, body.singleResult.data, admitted ? readRowsOf(contextValue, admitted.operation) : undefined));
          // Read before a change this instance already knows of: an edge must not keep it either (its purge may have passed).
          if (entry === "stale") {
            headers.set("cache-control", "no-store");
            return;
          }
          headers.set("etag", entry.etag);
          if (request.http?.method === "GET") {
            headers.set("cache-control", this.publicControl());
            if (entry.tags.length > 0) {
              const named = headerTags(entry.tags).join(" ");
              headers.set("xkey", named);
              headers.set("surrogate-key", named);
            }
          } else {
            headers.set("cache-control", "no-store");
          }
        },
      }),
    };
  }
}
