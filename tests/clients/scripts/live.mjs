// The README's graphql-ws client (createLiveClient) with a token the server refuses, counting
// its connection attempts: it subscribes, and reports once the subscription ended and a window
// of <windowMs> has passed, in which a retrying client would have connected again.
//   recipe <url> <token> <windowMs>: the recipe as it is.
//   default <url> <token> <attempts>: graphql-ws's own shouldRetry, retrying without end (fast),
//     for contrast: reports once it has connected <attempts> times.
// The subscription is articlePublished; the test publishes nothing, so only closes end it.
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { createLiveClient } from "../recipes/graphql-ws.mjs";
import { report } from "./record-fetch.mjs";

const [mode, url, token, limit] = process.argv.slice(2);
const closes = [];
let connecting = 0;
const on = {
  connecting: () => {
    connecting += 1;
    if (mode === "default" && connecting >= Number(limit)) finish(null);
  },
  closed: (event) => closes.push(event.code),
};
const client =
  mode === "recipe"
    ? createLiveClient({ url, token, on })
    : createClient({ url, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: Infinity, retryWait: () => new Promise((r) => setTimeout(r, 20)), on });

function finish(ended) {
  report({ connecting, closes, ended });
  process.exit(0);
}

client.subscribe(
  { query: "subscription { articlePublished { cursor } }" },
  {
    next: () => undefined,
    error: (error) => {
      const ended = { code: error?.code ?? null, reason: error?.reason ?? String(error) };
      if (mode === "recipe") setTimeout(() => finish(ended), Number(limit));
    },
    complete: () => (mode === "recipe" ? setTimeout(() => finish({ code: null, reason: "complete" }), Number(limit)) : undefined),
  },
);
