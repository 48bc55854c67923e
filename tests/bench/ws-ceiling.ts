import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";

/*
 * The fan-out ceiling: a bare `ws` server on node:http that, on `POST /graphql`, sends the request
 * body as it is to every open socket, one `send` each. No protocol, no filtering, no execution:
 * what pushing one message to N sockets costs on this machine, for comparison with the GraphQL
 * server's fan-out in the same run.
 *
 *   PORT=0 node dist/tests/bench/ws-ceiling.js   → prints {"url":"http://127.0.0.1:PORT/graphql"}
 */

const server = http.createServer((req, res) => {
  if (req.method !== "POST") {
    res.writeHead(405).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const message = Buffer.concat(chunks).toString("utf8");
    let sent = 0;
    for (const client of sockets.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      client.send(message);
      sent++;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ sent }));
  });
});

const sockets = new WebSocketServer({ server, path: "/graphql" });

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
