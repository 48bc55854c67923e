import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";

/*
 * The fan-out ceiling: a bare `ws` server on node:http that, on `POST /graphql`, sends one message
 * to every open socket, one `send` each. No filtering, no execution, no bookkeeping beyond what
 * the wire needs: what pushing one message to N sockets costs on this machine, for comparison
 * with the GraphQL server's fan-out in the same run. Two kinds of socket, told apart by what they
 * send first:
 *
 * - plain sockets (they send nothing): get the request body as it is;
 * - graphql-ws sockets (they send `connection_init`): get the least of the graphql-transport-ws
 *   protocol a real graphql-ws client needs (`connection_ack`, `pong`, their subscriptions' ids
 *   noted), and on a POST, per subscription, `{"id":<its id>,"type":"next","payload":` + the
 *   request body + `}`: the frame the GraphQL server writes, made the way its lane makes it (the
 *   subscription's own head, the shared payload, the tail, one Buffer.concat and one send). The
 *   bench runs real graphql-ws clients against it, so both servers' subscribers do the same work.
 *
 *   PORT=0 node dist/tests/bench/ws-ceiling.js   → prints {"url":"http://127.0.0.1:PORT/graphql"}
 */

const TAIL = Buffer.from("}");

/** Per graphql-ws socket: each subscription's `{"id":…,"type":"next","payload":` bytes, by id. */
const subscriptions = new Map<WebSocket, Map<string, Buffer>>();

const server = http.createServer((req, res) => {
  if (req.method !== "POST") {
    res.writeHead(405).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const message = body.toString("utf8");
    let sent = 0;
    for (const client of sockets.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      const heads = subscriptions.get(client);
      if (heads === undefined) {
        client.send(message);
        sent++;
        continue;
      }
      for (const head of heads.values()) {
        client.send(Buffer.concat([head, body, TAIL]), { binary: false });
        sent++;
      }
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ sent }));
  });
});

// ws accepts the first subprotocol a client asks for (graphql-ws asks for graphql-transport-ws).
const sockets = new WebSocketServer({ server, path: "/graphql" });

sockets.on("connection", (socket) => {
  socket.on("message", (data: Buffer) => {
    const message = JSON.parse(data.toString("utf8")) as { type?: string; id?: string };
    if (message.type === "connection_init") {
      subscriptions.set(socket, new Map());
      socket.send(JSON.stringify({ type: "connection_ack" }));
    } else if (message.type === "ping") {
      socket.send(JSON.stringify({ type: "pong" }));
    } else if (message.type === "subscribe" && message.id !== undefined) {
      subscriptions.get(socket)?.set(message.id, Buffer.from(`{"id":${JSON.stringify(message.id)},"type":"next","payload":`));
    } else if (message.type === "complete" && message.id !== undefined) {
      subscriptions.get(socket)?.delete(message.id);
    }
  });
  socket.on("close", () => subscriptions.delete(socket));
});

server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ msg: "ws ceiling ready", url: `http://127.0.0.1:${port}/graphql` }));
});

process.once("SIGTERM", () => {
  for (const client of sockets.clients) client.terminate();
  sockets.close();
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
