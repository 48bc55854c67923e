/**
 * The freshness rule of the benches: once a write's mutation has answered, every read of what it
 * changed that is sent afterwards must show it (or something newer). Writes are recorded per key
 * (the front page, one story's page, one tag's page) with a version that grows with each write
 * to that key; a read reports the key, the version it showed and when it was sent. Reads may be
 * checked as they end: a write that answered before a read was sent has been recorded by then.
 */
export class StaleReadChecker {
  /** Per key, the writes in the order they answered: when, and the version each one made. */
  private readonly writes = new Map<string, Array<{ answeredAt: number; version: number }>>();
  private readonly described: string[] = [];
  checked = 0;
  /** Reads that were owed a write and did not show it. */
  violations = 0;

  constructor(private readonly keepExamples = 3) {}

  /** A write to `key` made `version`; its mutation answered at `answeredAt` (performance.now()). */
  answered(key: string, version: number, answeredAt: number): void {
    let list = this.writes.get(key);
    if (!list) this.writes.set(key, (list = []));
    list.push({ answeredAt, version });
  }

  /** The write a read of `key` sent at `sentAt` must show (or something newer), or null when none is owed. */
  required(key: string, sentAt: number): { version: number; answeredAt: number } | null {
    const list = this.writes.get(key);
    if (!list) return null;
    // One writer per key, so they answered in the order of their versions; the latest one
    // answered before the read was sent is what it is owed. Scanned from the end: reads look for recent writes.
    for (let i = list.length - 1; i >= 0; i--) if (list[i]!.answeredAt < sentAt) return list[i]!;
    return null;
  }

  /** A read of `key` sent at `sentAt` showed `version` (-1: none of the written ones). True when it was fresh. */
  read(key: string, version: number, sentAt: number, what = key): boolean {
    this.checked++;
    const owed = this.required(key, sentAt);
    if (owed === null || version >= owed.version) return true;
    this.violations++;
    if (this.described.length < this.keepExamples) {
      this.described.push(`a read of ${what} sent ${(sentAt - owed.answeredAt).toFixed(1)} ms after write #${owed.version} answered showed ${version === -1 ? "none of the writes" : `#${version}`}`);
    }
    return false;
  }

  /** The first few violations, described. */
  examples(): string[] {
    return [...this.described];
  }
}
