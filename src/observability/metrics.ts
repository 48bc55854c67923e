import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Metric } from "prom-client";
import type { LiveStats } from "../events/stats";

const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_OPERATION_LABELS = 200;

/**
 * A label-less histogram kept in plain counters, exported in Prometheus' histogram form. The push
 * lag is observed once per subscriber of every event (5,000 in one burst), where prom-client's
 * `Histogram.observe` cost about 3 µs each (measured in the fan-out's profile).
 */
class CountingHistogram {
  readonly type = "histogram";
  readonly aggregator = "sum";
  private readonly counts: number[];
  private sum = 0;
  private count = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly bounds: readonly number[],
  ) {
    this.counts = bounds.map(() => 0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count++;
    for (let i = 0; i < this.bounds.length; i++) {
      if (value <= this.bounds[i]!) {
        this.counts[i]!++;
        return;
      }
    }
  }

  async get() {
    let cumulative = 0;
    const bucket = `${this.name}_bucket`;
    const values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> = this.bounds.map((le, i) => ({ labels: { le }, value: (cumulative += this.counts[i]!), metricName: bucket }));
    values.push({ labels: { le: "+Inf" }, value: this.count, metricName: bucket }, { labels: {}, value: this.sum, metricName: `${this.name}_sum` }, { labels: {}, value: this.count, metricName: `${this.name}_count` });
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}

/**
 * The server's Prometheus metrics, in a registry of its own (several servers may share a
 * process in tests). Operation names come from clients, so they become labels only while they
 * look like names and only up to 200 distinct ones; the rest count as "other".
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly seenOperations = new Set<string>();

  readonly requests = new Counter({ name: "graphql_requests_total", help: "GraphQL requests over HTTP by operation name and outcome (ok or the error code).", labelNames: ["operation", "outcome"], registers: [this.registry] });
  readonly duration = new Histogram({
    name: "graphql_request_duration_seconds",
    help: "Time to answer a GraphQL request over HTTP.",
    labelNames: ["operation"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly compiledExecutions = new Counter({ name: "graphql_compiled_executions_total", help: "Early-path executions by graphql-jit: their result answered (compiled), or had errors or no data and graphql-js answered (fallback).", labelNames: ["outcome"], registers: [this.registry] });
  readonly statements = new Histogram({ name: "graphql_sql_statements_per_request", help: "SQL statements one GraphQL request ran.", buckets: [0, 1, 2, 4, 6, 8, 12, 16, 24, 32, 64, 128], registers: [this.registry] });
  readonly rateLimited = new Counter({ name: "graphql_rate_limited_total", help: "Operations refused with RATE_LIMITED.", registers: [this.registry] });
  readonly auditEntriesLost = new Counter({ name: "audit_entries_lost_total", help: "Audit entries that could not be written after their mutation ended (each logged at error level with its content).", registers: [this.registry] });
  readonly refused = new Counter({
    name: "graphql_operations_refused_total",
    help: "Operations the operation policy or a transport limit refused before running them, by transport and code.",
    labelNames: ["transport", "code"],
    registers: [this.registry],
  });
  readonly connectionsRefused = new Counter({
    name: "http_connections_refused_total",
    help: "TCP connections closed on accept, before reading a byte, by reason: address_limit (HTTP_MAX_CONNECTIONS_PER_ADDRESS) or server_limit (HTTP_MAX_CONNECTIONS).",
    labelNames: ["reason"],
    registers: [this.registry],
  });
  readonly connectionsOpen = new Gauge({ name: "http_connections_open", help: "Open TCP connections admitted by the connection caps, HTTP and WebSocket alike.", registers: [this.registry] });
  readonly documentsChecked = new Counter({ name: "graphql_documents_checked_total", help: "Document texts the operation policy parsed and validated (a text seen before, admitted or refused, is looked up instead).", registers: [this.registry] });
  readonly documentCacheBytes = new Gauge({ name: "graphql_document_cache_bytes", help: "Estimated bytes held by the operation policy's document cache (bounded).", registers: [this.registry] });
  readonly webhookAttempts = new Counter({ name: "webhook_attempts_total", help: "Webhook delivery attempts by outcome (SUCCESS, HTTP_STATUS, TIMEOUT, DNS, ADDRESS_REFUSED, CONNECTION, TLS).", labelNames: ["outcome"], registers: [this.registry] });
  readonly cacheHits = new Counter({ name: "response_cache_hits_total", help: "Anonymous queries answered from the response cache.", registers: [this.registry] });
  readonly cacheMisses = new Counter({ name: "response_cache_misses_total", help: "Cacheable anonymous queries that had to be computed.", registers: [this.registry] });
  readonly cacheEvictions = new Counter({ name: "response_cache_evictions_total", help: "Answers dropped to keep the response cache within its bytes.", registers: [this.registry] });
  readonly cacheAdmissions = new Counter({
    name: "response_cache_admissions_total",
    help: "Computed answers the response cache's admission stored (admitted) or left out (rejected: their key asked for too rarely yet, or less often than the answers they would push out).",
    labelNames: ["outcome"],
    registers: [this.registry],
  });
  readonly cacheInvalidations = new Counter({ name: "response_cache_invalidated_total", help: "Answers dropped because something they show changed.", registers: [this.registry] });
  readonly cacheBytes = new Gauge({ name: "response_cache_bytes", help: "Estimated bytes the response cache holds.", registers: [this.registry] });
  readonly edgePurges = new Counter({
    name: "edge_cache_purges_total",
    help: "Purge requests to the HTTP cache in front (CACHE_PURGE_URL) by outcome: sent (answered 2xx) or failed (refused, timed out or unreachable; retried).",
    labelNames: ["outcome"],
    registers: [this.registry],
  });
  readonly pushLag = new CountingHistogram("live_event_push_lag_seconds", "From a live event's commit to its push to a subscriber (replays are counted in live_event_replays_total instead).", [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5]);

  constructor(stats: LiveStats) {
    collectDefaultMetrics({ register: this.registry });
    // The registry reads a metric through get(); prom-client's Metric type also names methods (reset, labels…) it never calls on one.
    this.registry.registerMetric(this.pushLag as unknown as Metric);
    new Gauge({ name: "websocket_connections_open", help: "Open graphql-ws connections.", registers: [this.registry], collect() { this.set(stats.openConnections); } });
    new Gauge({ name: "graphql_subscriptions_active", help: "Subscriptions being served.", registers: [this.registry], collect() { this.set(stats.activeSubscriptions); } });
    stats.onPushLag((ms) => this.pushLag.observe(ms / 1000));
    new Counter({ name: "live_event_direct_pushes_total", help: "Live events the WebSocket fan-out's direct lane wrote to caught-up subscribers (the rest of live_event_push_lag_seconds_count went through graphql-ws's per-subscriber loop).", registers: [this.registry], collect() { this.reset(); this.inc(stats.directPushes); } });
    const replays = new Counter({ name: "live_event_replays_total", help: "Events pushed to subscribers from a replay of the log (a subscription's `after`).", registers: [this.registry] });
    stats.onReplay(() => replays.inc());
  }

  /** A safe label for a client-chosen operation name. */
  operationLabel(name: string | null | undefined): string {
    if (!name) return "anonymous";
    if (!OPERATION_NAME.test(name)) return "other";
    if (this.seenOperations.has(name)) return name;
    if (this.seenOperations.size >= MAX_OPERATION_LABELS) return "other";
    this.seenOperations.add(name);
    return name;
  }
}
