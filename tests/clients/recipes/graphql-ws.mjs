import { CloseCode, createClient } from "graphql-ws";
import WebSocket from "ws"; // Node only: browsers (and Node 22+) have a WebSocket of their own

// One graphql-ws client per page or process. The server closes with 4403 when the token is
// invalid or revoked: the same token cannot succeed on a retry, so that close is final, where
// graphql-ws would otherwise reconnect. Every other drop (a deploy, the network) is retried,
// without end, backing off to at most 30 s.
export function createLiveClient({ url, token, on }) {
  return createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: Infinity,
    shouldRetry: (closeOrError) => typeof closeOrError?.code === "number" && closeOrError.code !== CloseCode.Forbidden,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** retries, 30_000) * (0.5 + Math.random() / 2))),
    on,
  });
}
