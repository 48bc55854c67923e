import type { IncomingMessage } from "node:http";
import proxyAddr from "proxy-addr";
import type { TrustProxy } from "../config";

/** Whether the hop `hop` away from this server (0: the socket's peer), at `address`, is a trusted proxy. */
export type ProxyTrust = (address: string, hop: number) => boolean;

/** The network address of the client behind a request: what per-client limits count by. */
export type ClientAddressOf = (req: IncomingMessage) => string;

/**
 * The trust rule for a TRUST_PROXY setting. Express gets this very function as its `trust proxy`
 * so that anything reading `req.ip` agrees with {@link clientAddressOf}.
 */
export function proxyTrust(setting: TrustProxy): ProxyTrust {
  if (setting === false) return () => false;
  if (typeof setting === "number") return (_address, hop) => hop < setting;
  return proxyAddr.compile([...setting]);
}

/**
 * One address rule for HTTP requests and WebSocket upgrades alike: walking X-Forwarded-For from
 * the socket leftwards past trusted proxies, the first hop not trusted is the client. Entries
 * further left were written by that client and are never believed.
 */
export function clientAddressOf(setting: TrustProxy): ClientAddressOf {
  const trust = proxyTrust(setting);
  // A socket already closed has no remote address; proxy-addr then answers undefined.
  return (req) => (proxyAddr(req, trust) as string | undefined) ?? "unknown";
}
