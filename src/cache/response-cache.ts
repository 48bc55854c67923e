import { strongEtag } from "../kernel/etag";
import { Admission } from "./admission";
import { isKindTag, kindOfTag, kindsOfChange, rowsMarker } from "./tags";

/** A cached answer: the response body as sent, its strong ETag, and what it depends on. */
export interface CachedResponse {
  readonly body: string;
  /** The body encoded once, as every hit sends it. */
  readonly bytes: Buffer;
  readonly etag: string;
  /** What it depends on (see `CacheTag`): kinds of record, rows, lists. */
  readonly tags: readonly string[];
}

/** Where a request that missed will store its answer, and the moment it started reading. */
export interface CacheSlot {
  readonly key: string;
  /** The tags the answer is stored under unless {@link ResponseCache.store} is given those read off the answer. */
  readonly tags: readonly string[];
  readonly generation: number;
  /** The key as the admission counts know it. */
  readonly hash: number;
  /** The request as it arrived (see {@link RawSpelling}), to know it by before it is parsed next time. */
  readonly spelling?: RawSpelling;
  /** false: an answer told apart from a stale one but never kept (see {@link ResponseCache.passingSlot}). */
  readonly keep?: false;
}

/**
 * A request as it arrived, before parsing: method, URL, Accept and body. The same bytes always
 * reach the same admitted operation (the operation policy decides on the text alone), so a
 * spelling whose answer is stored can be answered without parsing, validating or routing it.
 */
export interface RawSpelling {
  readonly raw: string;
  readonly mediaType: string;
  readonly operationName: string | null;
}

/** Rows whose last change is remembered, at most; past it the record starts over (see `changedSince`). */
const MAX_REMEMBERED_ROWS = 100_000;

/** Spellings kept per answer: whitespace or key order make new ones, and each costs memory. */
const SPELLINGS_PER_ENTRY = 4;

/** A stored answer and its key's hash (a hit counts a sighting without hashing the key again). */
interface Stored {
  readonly answer: CachedResponse;
  readonly hash: number;
}

export interface ResponseCacheOptions {
  /** What the cache may hold, in bytes (RESPONSE_CACHE_MB). */
  readonly maxBytes: number;
  /** Sightings of a key before its answer is stored (RESPONSE_CACHE_ADMIT_AFTER; 1 stores every answer that fits). */
  readonly admitAfter: number;
  /** false (RESPONSE_CACHE=false): nothing is kept or served, but answers are still told apart from stale ones, so the headers a CDN caches by stay honest. */
  readonly keeps: boolean;
}

/** What the cache reports to the metrics. */
export interface ResponseCacheCounters {
  hit(): void;
  miss(): void;
  evicted(): void;
  /** An answer stored. */
  admitted(): void;
  /** An answer the admission left out: asked for too rarely yet, or less often than what it would push out. */
  rejected(): void;
  invalidated(entries: number): void;
  bytes(bytes: number): void;
}

/**
 * Answers of anonymous queries, kept in memory by the key of what decides them (document,
 * operation, variables, audience, media type), bounded by their bytes (least recently used goes
 * first). Each entry carries the tags of what it shows; a change to those tags drops it: a
 * kind's coarse tag drops every answer of that kind (its coarse tag or its `:rows` marker), a
 * row or list drops the answers naming it and those that depend on its whole kind. An answer
 * read before a change it depends on is never stored after it: every change bumps a
 * generation, and a slot opened before the change of one of its tags stores nothing.
 *
 * Not every answer is stored ({@link Admission}): while the cache has room for it, any answer is;
 * when room must be made, only one whose key was asked for at least `admitAfter` times lately,
 * and only in place of answers asked for less often, so a flood of pages read once fills the
 * free room and pushes nothing out. A refused answer is still sent as computed, with the same caching headers: it is
 * as fresh as a stored one, and a cache in front has a memory and a judgement of its own.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Stored>();
  private readonly byTag = new Map<string, Set<string>>();
  private held = 0;
  private generation = 0;
  /** By kind: the last change of anything of it (a coarse tag, a row or a list). */
  private readonly kindChangedAt = new Map<string, number>();
  /** By kind: the last coarse change of it. */
  private readonly coarseChangedAt = new Map<string, number>();
  /** By row or list tag: its last change (bounded: see {@link rowsForgottenAt}). */
  private readonly rowChangedAt = new Map<string, number>();
  /** The generation at which {@link rowChangedAt} last started over: a slot older than it counts every row as changed. */
  private rowsForgottenAt = 0;
  private readonly spellings = new Map<string, { readonly key: string; readonly spelling: RawSpelling }>();
  private readonly spellingsOf = new Map<string, RawSpelling[]>();
  private readonly maxBytes: number;
  private readonly admitAfter: number;
  /** Null when nothing is kept (RESPONSE_CACHE=false). */
  private readonly admission: Admission | null;

  constructor(
    options: ResponseCacheOptions,
    private readonly counters: ResponseCacheCounters,
  ) {
    this.maxBytes = options.maxBytes;
    this.admitAfter = options.admitAfter;
    this.admission = options.keeps ? new Admission(this.maxBytes) : null;
  }

  /** False with RESPONSE_CACHE=false: nothing is kept or served. */
  get keepsAnswers(): boolean {
    return this.admission !== null;
  }

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.held;
  }

  /** The key of an operation's answer for one audience and media type. */
  static keyOf(parts: { sourceHash: string; operationName: string | null; variables: Record<string, unknown>; audience: string; mediaType: string }): string {
    // The document enters by its hash (the policy made it already); the rest is short.
    return `${parts.audience}\u0000${parts.mediaType}\u0000${parts.sourceHash}\u0000${parts.operationName ?? ""}\u0000${JSON.stringify(parts.variables)}`;
  }

  /** The cached answer, or a slot to store the answer in once it is computed. */
  lookup(key: string, tags: readonly string[], spelling?: RawSpelling): { hit: CachedResponse; slot?: undefined } | { slot: CacheSlot; hit?: undefined } {
    if (!this.admission) return { slot: { key, tags, generation: this.generation, hash: 0 } };
    const stored = this.entries.get(key);
    if (stored) {
      this.entries.delete(key);
      this.entries.set(key, stored);
      this.admission.record(stored.hash);
      this.counters.hit();
      if (spelling) this.addSpelling(key, spelling);
      return { hit: stored.answer };
    }
    const hash = this.admission.hashOf(key);
    this.admission.record(hash);
    this.counters.miss();
    return { slot: { key, tags, generation: this.generation, hash, spelling } };
  }

  /**
   * A slot whose answer is only checked for staleness by {@link store}, never kept: for an
   * answer that changes with the clock alone, which no change would drop.
   */
  passingSlot(key: string, tags: readonly string[]): CacheSlot {
    return { key, tags, generation: this.generation, hash: 0, keep: false };
  }

  /** The stored answer a request spelled exactly so was last answered with. */
  lookupSpelling(raw: string): { hit: CachedResponse; spelling: RawSpelling } | undefined {
    const known = this.spellings.get(raw);
    if (!known) return undefined;
    const stored = this.entries.get(known.key);
    if (!stored) return undefined;
    this.entries.delete(known.key);
    this.entries.set(known.key, stored);
    this.admission?.record(stored.hash);
    this.counters.hit();
    return { hit: stored.answer, spelling: known.spelling };
  }

  /** Remembers that `spelling` is answered by the stored answer under `key` (nothing when none is stored). */
  addSpelling(key: string, spelling: RawSpelling): void {
    if (!this.admission || this.spellings.has(spelling.raw) || !this.entries.has(key)) return;
    const known = this.spellingsOf.get(key) ?? [];
    if (known.length >= SPELLINGS_PER_ENTRY) return;
    const bytes = spelling.raw.length * 2 + 128;
    if (this.held + bytes > this.maxBytes) return;
    known.push(spelling);
    this.spellingsOf.set(key, known);
    this.spellings.set(spelling.raw, { key, spelling });
    this.held += bytes;
    this.counters.bytes(this.held);
  }

  /**
   * Keeps an answer if the admission lets it in, unless something it depends on changed since
   * its slot opened: then it is "stale" (already older than a change this instance knows of) and
   * must be cached nowhere. Kept or not, a fresh answer comes back with its ETag. `tags`: what
   * the answer depends on, when read off the answer itself (else the slot's).
   */
  store(slot: CacheSlot, body: string, tags: readonly string[] = slot.tags): CachedResponse | "stale" {
    for (const tag of tags) if (this.changedSince(tag, slot.generation)) return "stale";
    const entry: CachedResponse = { body, bytes: Buffer.from(body), etag: strongEtag(body), tags };
    // Keys hold the variables as JSON: they count too.
    const bytes = (body.length + slot.key.length) * 2 + 256;
    if (!this.admission || slot.keep === false || bytes > this.maxBytes / 10) return entry;
    const frequency = this.admission.frequency(slot.hash);
    // A key asked for fewer than admitAfter times lately is kept only in room no answer holds:
    // nothing is pushed out for it. The long tail of story pages is read a few times a cache
    // lifetime, and its second read was a miss too while the first was never kept (under a
    // newsroom's traffic, 85 % hits against 91 % at the same rate).
    if (frequency < this.admitAfter && this.held + bytes > this.maxBytes) {
      this.counters.rejected();
      return entry;
    }
    this.remove(slot.key);
    // The least recently used go first, each only for an answer asked for more often than it
    // (a tie keeps the one already in: to be let in, a page must prove itself).
    while (this.held + bytes > this.maxBytes && this.entries.size > 0) {
      const [victimKey, victim] = this.entries.entries().next().value!;
      if (this.admission.frequency(victim.hash) >= frequency) {
        this.counters.rejected();
        this.counters.bytes(this.held);
        return entry;
      }
      this.remove(victimKey);
      this.counters.evicted();
    }
    this.entries.set(slot.key, { answer: entry, hash: slot.hash });
    this.counters.admitted();
    this.held += bytes;
    for (const tag of tags) {
      let keys = this.byTag.get(tag);
      if (!keys) this.byTag.set(tag, (keys = new Set()));
      keys.add(slot.key);
    }
    if (slot.spelling) this.addSpelling(slot.key, slot.spelling);
    this.counters.bytes(this.held);
    return entry;
  }

  /** Whether something an answer tagged `tag` depends on changed after `generation`. */
  private changedSince(tag: string, generation: number): boolean {
    if (isKindTag(tag)) return (this.kindChangedAt.get(tag) ?? 0) > generation;
    const kind = kindOfTag(tag);
    if ((this.coarseChangedAt.get(kind) ?? 0) > generation) return true;
    if (tag === rowsMarker(kind)) return false;
    return generation < this.rowsForgottenAt || (this.rowChangedAt.get(tag) ?? 0) > generation;
  }

  /**
   * Drops every answer that depends on any of `tags` (see the class): a kind drops every answer
   * of it; a row or list those naming it and those depending on its whole kind. Answers being
   * computed now will not be stored.
   */
  invalidate(tags: readonly string[]): void {
    if (tags.length === 0) return;
    const generation = ++this.generation;
    let dropped = 0;
    const drop = (tag: string): void => {
      for (const key of this.byTag.get(tag) ?? []) if (this.remove(key)) dropped++;
    };
    for (const tag of tags) {
      if (isKindTag(tag)) {
        this.kindChangedAt.set(tag, generation);
        this.coarseChangedAt.set(tag, generation);
        drop(tag);
        drop(rowsMarker(tag));
        continue;
      }
      if (this.rowChangedAt.size >= MAX_REMEMBERED_ROWS) {
        this.rowChangedAt.clear();
        this.rowsForgottenAt = generation;
      }
      this.rowChangedAt.set(tag, generation);
      drop(tag);
      for (const kind of kindsOfChange(tag)) {
        this.kindChangedAt.set(kind, generation);
        drop(kind);
      }
    }
    this.counters.invalidated(dropped);
    this.counters.bytes(this.held);
  }

  private remove(key: string): boolean {
    const stored = this.entries.get(key);
    if (!stored) return false;
    this.entries.delete(key);
    this.held -= (stored.answer.body.length + key.length) * 2 + 256;
    for (const tag of stored.answer.tags) this.byTag.get(tag)?.delete(key);
    for (const spelling of this.spellingsOf.get(key) ?? []) {
      this.spellings.delete(spelling.raw);
      this.held -= spelling.raw.length * 2 + 128;
    }
    this.spellingsOf.delete(key);
    return true;
  }
}
