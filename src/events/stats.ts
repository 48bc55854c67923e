/**
 * Live-feed figures an operator reads (the metrics endpoint exports them): open WebSocket
 * connections, active subscriptions, and the lag from an event's commit to its push.
 */
export class LiveStats {
  activeSubscriptions = 0;
  openConnections = 0;
  pushes = 0;
  /** Of `pushes`, those the WebSocket fan-out's direct lane wrote (the rest went through graphql-ws's per-subscriber loop). */
  directPushes = 0;
  /** Largest push lag since start, in milliseconds (the histogram in /metrics has the distribution). */
  lagMaxMs = 0;
  /** Events pushed from a replay (`after`): counted apart, their age is not a lag. */
  replays = 0;
  private readonly lagListeners = new Set<(ms: number) => void>();
  private readonly replayListeners = new Set<() => void>();

  /** A replayed event went out to a subscriber. */
  recordReplay(): void {
    this.replays++;
    for (const listener of this.replayListeners) listener();
  }

  /** Also tells `listener` of every replayed push (a counter). */
  onReplay(listener: () => void): () => void {
    this.replayListeners.add(listener);
    return () => void this.replayListeners.delete(listener);
  }

  /** A live event went out to a subscriber, `now - committedAt` after its commit; `direct` when the direct lane wrote it. */
  recordPush(committedAt: Date, now = Date.now(), path: "direct" | "loop" = "loop"): void {
    const lag = Math.max(0, now - committedAt.getTime());
    this.pushes++;
    if (path === "direct") this.directPushes++;
    if (lag > this.lagMaxMs) this.lagMaxMs = lag;
    for (const listener of this.lagListeners) listener(lag);
  }

  /** Also hands every push lag to `listener` (a histogram). */
  onPushLag(listener: (ms: number) => void): () => void {
    this.lagListeners.add(listener);
    return () => void this.lagListeners.delete(listener);
  }
}
