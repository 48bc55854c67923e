/**
 * A least-recently-used map bounded by an estimate of the bytes its entries hold, not by their
 * number: one cached 10 KB document held ~630 KB of parsed tree and validation state, so a count
 * bound let 1,000 documents take 630 MB. Keys are hashes of the query text, so the text itself
 * is not kept twice.
 */
export class DocumentCache<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private held = 0;

  /** @param maxBytes what all entries together may hold, by their estimates. */
  constructor(private readonly maxBytes: number) {}

  get bytes(): number {
    return this.held;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // Most recently used last, so the oldest is the first to go.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Keeps `value` unless it alone would take more than a tenth of the cache. */
  set(key: string, value: V, bytes: number): void {
    if (bytes > this.maxBytes / 10) return;
    const old = this.entries.get(key);
    if (old) {
      this.held -= old.bytes;
      this.entries.delete(key);
    }
    while (this.held + bytes > this.maxBytes && this.entries.size > 0) {
      const [oldest, entry] = this.entries.entries().next().value!;
      this.entries.delete(oldest);
      this.held -= entry.bytes;
    }
    this.entries.set(key, { value, bytes });
    this.held += bytes;
  }
}
