import type { VerifyClientCallbackAsync } from "ws";
import type { OperationPolicy } from "../policy/operation-policy";

/*
 * What only a socket needs guarding against, beside the operation policy every operation passes:
 * pages of origins not allowed, and one client address holding too many connections or
 * subscriptions. (Messages over the size limit are ws's to refuse: `maxPayload`.)
 */

/** Close code for a connection over its address's limit; graphql-ws clients retry it with backoff. */
export const TOO_MANY_CONNECTIONS = 4029;

/**
 * A page served by this server itself (the ticker at /live) connecting back to it: its Origin
 * names the host the upgrade was sent to. A browser cannot forge either header; other clients
 * may send anything, and could leave Origin out anyway.
 */
function isSameHost(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * ws's `verifyClient` for `allowedOrigins`, which ws calls after checking the handshake and before
 * answering 101: an upgrade carrying any other Origin is refused with a plain HTTP 403 (counted by
 * the policy) and no socket is made. A request without Origin is not a browser's and is let
 * through, and so is a page of this server's own host. Null: every origin, no check.
 */
export function originCheck(allowedOrigins: readonly string[] | null, policy: OperationPolicy): VerifyClientCallbackAsync | undefined {
  if (allowedOrigins === null) return undefined;
  const allowed = new Set(allowedOrigins);
  return ({ origin, req }, done) => {
    if (origin === undefined || allowed.has(origin) || isSameHost(origin, req.headers.host)) return done(true);
    policy.refuse("websocket", "FORBIDDEN", `upgrade from origin '${origin.slice(0, 100)}', which WS_ORIGINS does not list`, { status: 403 });
    done(false, 403, "This origin may not open a WebSocket here.", { "content-type": "text/plain; charset=utf-8" });
  };
}

/** A connection as the per-address limits count it: its subscriptions, once graphql-ws knows them (from connection_init on). */
export interface CountedConnection {
  readonly connection: { readonly subscriptions: Readonly<Record<string, unknown>> } | null;
}

/** The open connections of each client address, for the limits per address. */
export class ConnectionsByAddress<C extends CountedConnection> {
  private readonly byAddress = new Map<string, Set<C>>();

  /** How many connections `address` holds. */
  connectionsOf(address: string): number {
    return this.byAddress.get(address)?.size ?? 0;
  }

  /**
   * Whether the connections of `address` hold more than `limit` subscriptions together. Each holds
   * at most `perConnection` (its own limit, checked first): while they cannot pass `limit`
   * together nothing is counted, since the count walks every connection of the address (10,000
   * subscribers behind one address, the limits raised: 9.5 s of CPU in all, counting on every subscribe).
   */
  holdsMoreSubscriptionsThan(address: string, limit: number, perConnection: number): boolean {
    const connections = this.byAddress.get(address);
    if (connections === undefined || connections.size * perConnection <= limit) return false;
    let count = 0;
    for (const other of connections) count += other.connection ? Object.keys(other.connection.subscriptions).length : 0;
    return count > limit;
  }

  add(address: string, connection: C): void {
    const connections = this.byAddress.get(address) ?? new Set<C>();
    connections.add(connection);
    this.byAddress.set(address, connections);
  }

  remove(address: string, connection: C): void {
    const connections = this.byAddress.get(address);
    connections?.delete(connection);
    if (connections?.size === 0) this.byAddress.delete(address);
  }
}
