import { createHash, randomBytes } from "node:crypto";

/** Counters saturate here: past 15 readings a page is hot, and a small ceiling lets halving forget a past hit quickly. */
const MAX_COUNT = 15;
/** Rows of the sketch: a key's count is the least of its four counters, so a collision must hit all four to lift it. */
const ROWS = 4;
/** Bits the doorkeeper sets per key; with 8 bits per key of its capacity, a key never seen looks seen about 2.4% of the time when it is full. */
const PROBES = 4;
/** Sightings per window, per counter of a row (as Caffeine: ten times the entries the cache can hold). */
const WINDOW_PER_COUNTER = 10;
/** The smallest answer the cache keeps costs about this many bytes: one counter per such answer the cache could hold. */
const BYTES_PER_COUNTER = 1024;
const MIN_COUNTERS = 4096;
const MAX_COUNTERS = 1 << 24;

/**
 * How often each answer's key was asked for lately, to decide which answers the response cache
 * keeps: TinyLFU (Einziger, Friedman and Manes, "TinyLFU: A Highly Efficient Cache Admission
 * Policy", 2017), the admission policy of Caffeine and Ristretto.
 *
 * Why frequency: a news site's reads are steeply skewed. The front page and the section pages are
 * read thousands of times between two publishes; most story pages a few times in that while, and
 * a crawler's or a scraper's pages (each with arguments of their own) once. An LRU keeps every
 * answer, so a stream of answers that will never be asked for again pushes out the ones that
 * will (measured: 240 distinct large pages emptied a 64 MB cache in 2 s, and the front page
 * missed). Storing on a second sighting alone stops the one-off stream but not a reader who asks
 * for each page twice; comparing counts also stops that one: a new answer goes in only in place
 * of answers asked for less often than it, so whatever is read more often than a flood repeats
 * itself stays. Recency still decides among equals (the cache behind this is an LRU), and counts
 * are halved every window so yesterday's hot page gives way.
 *
 * Two parts, both fixed in size at start (5 bytes per counter, one counter per KB of cache, at
 * least 4,096 and at most 2^24 counters: 320 KB beside a 64 MB cache, 20 KB at the least):
 * - the doorkeeper, a Bloom filter that takes a key's first sighting, so one-off keys never reach
 *   the counters (and cannot crowd them);
 * - a count-min sketch of 4-bit-range counters (one byte each) taking every further sighting.
 * A window ends after ten sightings per counter, or once the doorkeeper holds as many keys as it
 * has bytes (a flood of new keys would otherwise fill it until every key looked seen): then every
 * counter is halved and the doorkeeper emptied. A request touches eight fixed places (O(1)); a
 * window's end walks the counters once, and comes only after as many requests as a row has counters.
 */
export class Admission {
  private readonly counters: Uint8Array;
  /** The same bytes by four, to halve four counters in one step. */
  private readonly counterWords: Uint32Array;
  private readonly doorkeeper: Uint32Array;
  private readonly mask: number;
  private readonly doorMask: number;
  private readonly window: number;
  private sightings = 0;
  private newKeys = 0;
  /** Keys are the readers' to choose: with a known hash one could craft many keys that share a page's counters. */
  private readonly secret = randomBytes(16);

  /** @param cacheBytes the response cache's bound, which sizes the counters. */
  constructor(cacheBytes: number) {
    let width = MIN_COUNTERS;
    while (width < cacheBytes / BYTES_PER_COUNTER && width < MAX_COUNTERS) width *= 2;
    this.counterWords = new Uint32Array(width);
    this.counters = new Uint8Array(this.counterWords.buffer);
    this.mask = width - 1;
    // Eight bits per key of capacity, capacity one key per counter.
    this.doorkeeper = new Uint32Array(width / 4);
    this.doorMask = width * 8 - 1;
    this.window = width * WINDOW_PER_COUNTER;
  }

  /** The key as the counters know it: 32 bits of a keyed digest (computed once per miss; stored answers keep theirs). */
  hashOf(key: string): number {
    return createHash("sha256").update(this.secret).update(key).digest().readUInt32LE(0);
  }

  /** Counts one request for the key. */
  record(hash: number): void {
    const step = spread(hash);
    if (!this.seen(hash, step)) {
      for (let i = 0; i < PROBES; i++) {
        const bit = (hash + Math.imul(i, step)) & this.doorMask;
        this.doorkeeper[bit >>> 5]! |= 1 << (bit & 31);
      }
      if (++this.newKeys >= this.doorkeeper.byteLength) this.age();
    } else {
      const width = this.mask + 1;
      for (let row = 0; row < ROWS; row++) {
        const at = row * width + ((step + Math.imul(row, hash | 1)) & this.mask);
        if (this.counters[at]! < MAX_COUNT) this.counters[at]!++;
      }
    }
    if (++this.sightings >= this.window) this.age();
  }

  /** How many times the key was asked for lately (this window, and the ones before at half weight each), at most 16. */
  frequency(hash: number): number {
    const step = spread(hash);
    const width = this.mask + 1;
    let least = MAX_COUNT;
    for (let row = 0; row < ROWS; row++) least = Math.min(least, this.counters[row * width + ((step + Math.imul(row, hash | 1)) & this.mask)]!);
    return (this.seen(hash, step) ? 1 : 0) + least;
  }

  /** Whether the doorkeeper saw the key in this window. */
  private seen(hash: number, step: number): boolean {
    for (let i = 0; i < PROBES; i++) {
      const bit = (hash + Math.imul(i, step)) & this.doorMask;
      if ((this.doorkeeper[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }

  /** Ends a window: counts halve (a page's past weighs half as much as its present), the doorkeeper forgets. */
  private age(): void {
    for (let i = 0; i < this.counterWords.length; i++) this.counterWords[i] = (this.counterWords[i]! >>> 1) & 0x7f7f7f7f;
    this.doorkeeper.fill(0);
    this.sightings = 0;
    this.newKeys = 0;
  }
}

/** A second hash from the first (murmur3's finaliser), odd, for double hashing (Kirsch and Mitzenmacher). */
function spread(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 1;
}
