import fs from "node:fs";
import type http from "node:http";
import type { Socket } from "node:net";
import type { Logger } from "../kernel/logger";
import type { Metrics } from "../observability/metrics";

/** The time limits of {@link httpServerOptions}. */
export interface RequestTimeLimits {
  /** Time to send a request's headers, counted from its first byte (the first request's: from connecting). */
  readonly headersTimeoutMs: number;
  /** Time to send the whole request, headers and body. */
  readonly requestTimeoutMs: number;
}

/**
 * node:http's options for clients that send slowly. Node answers 408 and closes a connection
 * whose request is not complete in time (its defaults, 60 s for the headers and 300 s for the
 * request, let one address hold thousands of connections for minutes), but it looks only every
 * `connectionsCheckingInterval` (30 s by default): checking every quarter of the headers' time,
 * at most every second, cuts a slow client at most a quarter late. Each check walks only the
 * requests still being received.
 *
 * A connection upgraded to a WebSocket has left node:http's parser and these checks with it, and
 * a request once received may take as long as it needs to answer: neither limit reaches them.
 */
export function httpServerOptions(limits: RequestTimeLimits): http.ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, Math.ceil(limits.headersTimeoutMs / 4)),
  };
}

/** Settings of {@link guardConnections}. */
export interface ConnectionGuardOptions {
  /** TCP connections the server holds at once, HTTP and WebSocket: each holds a file descriptor. */
  readonly maxConnections: number;
  /** TCP connections one peer address may hold at once, HTTP and WebSocket. */
  readonly maxConnectionsPerAddress: number;
  /** Whether a peer is a trusted proxy (TRUST_PROXY): its connections carry many clients and are not capped per address. */
  readonly isTrustedProxy: (address: string) => boolean;
  readonly metrics: Metrics;
  readonly logger: Logger;
}

/**
 * Descriptors the process needs besides client connections: the database's files or pool, Redis,
 * the standard streams, libuv's own. A generous guess: running out of them is the failure to avoid.
 */
const OTHER_DESCRIPTORS = 256;

/** The process's limit on open files (Linux's /proc/self/limits); null where it cannot be read. */
function openFileLimit(): number | null {
  try {
    const soft = /^Max open files\s+(\d+)/m.exec(fs.readFileSync("/proc/self/limits", "utf8"))?.[1];
    return soft === undefined ? null : Number(soft);
  } catch {
    return null;
  }
}

/**
 * Caps the connections of one peer address and of the whole server, so that one client cannot
 * take the descriptors every other client needs.
 *
 * The address is the TCP peer's, known before a byte is read: a connection over its address's
 * cap is reset at once, before node:http parses anything. Behind a proxy that peer is the proxy,
 * which carries every reader's requests; the trusted proxies (the socket's peer as TRUST_PROXY
 * trusts it, so with a hop count every peer) are therefore exempt and bounded by the server's
 * cap alone, and the proxy limits its own clients. A connection upgraded to a WebSocket keeps
 * its place here (it still holds a descriptor); the WebSocket cap per client address
 * (WS_MAX_CONNECTIONS_PER_ADDRESS, which reads X-Forwarded-For) applies on top of it.
 *
 * Past the server's cap Node itself closes new connections on accept ('drop'). That cap is
 * there so the process never reaches its descriptor limit, where accepting fails for everyone
 * and the database cannot open a file: a start whose cap cannot do that is logged as a warning.
 */
export function guardConnections(server: http.Server, options: ConnectionGuardOptions): void {
  const { metrics, maxConnectionsPerAddress } = options;
  // Node has no call that reads the limit; where Linux shows it, a cap too high to protect anything is said at start.
  const fileLimit = openFileLimit();
  if (fileLimit !== null && options.maxConnections + OTHER_DESCRIPTORS > fileLimit) {
    options.logger.warn(
      { maxConnections: options.maxConnections, openFileLimit: fileLimit },
      `HTTP_MAX_CONNECTIONS (${options.maxConnections}) leaves fewer than ${OTHER_DESCRIPTORS} of the process's ${fileLimit} file descriptors (ulimit -n) for everything else: lower it or raise the limit, or the process runs out of descriptors before the cap refuses anyone`,
    );
  }
  server.maxConnections = options.maxConnections;
  server.on("drop", () => metrics.connectionsRefused.inc({ reason: "server_limit" }));
  const open = new Map<string, number>();
  // Ahead of node:http's own listener: a refused connection is reset before anything reads from it.
  server.prependListener("connection", (socket: Socket) => {
    const address = socket.remoteAddress;
    // Reset by the client before it was accepted; node:http cleans up after it.
    if (address === undefined) return;
    const capped = !options.isTrustedProxy(address);
    if (capped) {
      const count = open.get(address) ?? 0;
      if (count >= maxConnectionsPerAddress) {
        metrics.connectionsRefused.inc({ reason: "address_limit" });
        // A reset, not a FIN: the server keeps no TIME_WAIT state for connections it never served.
        socket.resetAndDestroy();
        return;
      }
      open.set(address, count + 1);
    }
    metrics.connectionsOpen.inc();
    socket.once("close", () => {
      metrics.connectionsOpen.dec();
      if (!capped) return;
      const left = open.get(address)! - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
