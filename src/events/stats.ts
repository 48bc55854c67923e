/**
 * Live-feed figures an operator reads (the metrics endpoint exports them): open WebSocket
 * connections, active subscriptions, and the lag from an event's commit to its push.
 */
export class LiveStats {
  activeSubscriptions = 0;
  openConnections = 0;
  pushes = 0;
  /** Largest push lag since start, in milliseconds (the histogram in /metrics has the distribution). */
  lagMaxMs = 0;
  private readonly lagListeners = new Set<(ms: number) => void>();

  recordPush(committedAt: Date, now = Date.now()): void {
    const lag = Math.max(0, now - committedAt.getTime());
    this.pushes++;
    if (lag > this.lagMaxMs) this.lagMaxMs = lag;
    for (const listener of this.lagListeners) listener(lag);
  }

  /** Also hands every push lag to `listener` (a histogram). */
  onPushLag(listener: (ms: number) => void): () => void {
    this.lagListeners.add(listener);
    return () => void this.lagListeners.delete(listener);
  }
}
