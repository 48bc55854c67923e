/**
 * Reads by key that requests share while the database is busy: at most one statement runs at a
 * time, and the keys asked for meanwhile, by any request, go into the next one. An idle server
 * reads a key at once (a batch of one); under load each statement serves every request that
 * arrived while the previous one ran, so the hop to node-sqlite3's thread and back (a job on
 * libuv's pool, a wake-up, the conversion of its one result cell) is paid once per batch instead
 * of once per request. node-sqlite3 runs one prepared statement one call at a time anyway, so
 * no parallelism is lost.
 *
 * A key's read always starts after it was asked for, so it sees every write committed before
 * (nothing is served from an earlier read). What the batch reads must not depend on who asks:
 * each caller applies its own visibility to the rows it gets.
 */
export class ReadBatch<K, V> {
  /** At most this many keys per statement, so that no one result (parsed on the main thread at once) grows without bound. */
  static readonly MAX_KEYS = 64;

  private waiting = new Map<K, Array<{ resolve: (value: V | undefined) => void; reject: (error: unknown) => void }>>();
  private running = false;

  /** `read` answers the value of each key it finds (a key it does not find answers undefined). */
  constructor(private readonly read: (keys: K[]) => Promise<Map<K, V>>) {}

  load(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const callers = this.waiting.get(key);
      if (callers) callers.push({ resolve, reject });
      else this.waiting.set(key, [{ resolve, reject }]);
      if (!this.running) void this.next();
    });
  }

  private async next(): Promise<void> {
    this.running = true;
    while (this.waiting.size > 0) {
      let batch = this.waiting;
      this.waiting = new Map();
      if (batch.size > ReadBatch.MAX_KEYS) {
        // The keys asked first go first; the rest wait ahead of any asked later.
        const entries = [...batch];
        batch = new Map(entries.slice(0, ReadBatch.MAX_KEYS));
        this.waiting = new Map(entries.slice(ReadBatch.MAX_KEYS));
      }
      try {
        const found = await this.read([...batch.keys()]);
        for (const [key, callers] of batch) for (const caller of callers) caller.resolve(found.get(key));
      } catch (error) {
        for (const callers of batch.values()) for (const caller of callers) caller.reject(error);
      }
    }
    this.running = false;
  }
}
