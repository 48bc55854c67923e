import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Verifies a Standard Webhooks signature as the specification describes it, with node:crypto
 * alone (an implementation independent of the library the server signs with): the secret is
 * `whsec_` and base64; the signed content is `<webhook-id>.<webhook-timestamp>.<body>`; the
 * header holds space-separated `v1,<base64 HMAC-SHA256>` signatures; the timestamp must lie
 * within five minutes of now.
 */
export function verifySignature(secret: string, headers: IncomingHttpHeaders, body: string, nowSeconds = Date.now() / 1000): boolean {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"];
  const signatures = headers["webhook-signature"];
  if (typeof id !== "string" || typeof timestamp !== "string" || typeof signatures !== "string") return false;
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  if (!secret.startsWith("whsec_")) return false;
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`, "utf8").digest();
  return signatures.split(" ").some((entry) => {
    const [version, value] = entry.split(",");
    if (version !== "v1" || value === undefined) return false;
    const given = Buffer.from(value, "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** One request the receiver got. */
export interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Whether the signature verified with the receiver's secret at the time. */
  readonly verified: boolean;
  readonly id: string;
  readonly payload: { version: number; type: string; timestamp: string; data: Record<string, Record<string, unknown>> };
}

/** How to answer a request: a status (and body), or `stall` to hold it open without answering. */
export type Answer = { status: number; body?: string; headers?: Record<string, string> } | "stall";

/** A local receiver of webhooks that records what it gets and answers as a test says. */
export interface Receiver {
  readonly url: string;
  readonly received: Received[];
  /** The secret to verify with (the one createWebhookEndpoint returned). */
  secret: string;
  /** Connections made to the receiver (TCP), whether or not a request came over them. */
  connections: number;
  /** TLS handshakes that failed (an HTTPS receiver only): the caller refused the certificate, say. */
  readonly tlsErrors: string[];
  /** Decides each answer; `n` counts requests from 0. Default: 204. */
  answer: (request: Omit<Received, "verified">, n: number) => Answer;
  /** Received requests, one per webhook-id (the first of each), in the order they first came. */
  distinct(): Received[];
  /** Resolves once `condition` holds of what was received (polling), or fails after `ms`. */
  waitFor(condition: (received: Received[]) => boolean, ms?: number): Promise<void>;
  close(): Promise<void>;
}

/** `tls`: listen for HTTPS with this key and certificate (see tests/helpers/tls.ts) instead of plain HTTP. */
export async function startReceiver(options: { tls?: { key: string; cert: string } } = {}): Promise<Receiver> {
  const stalled = new Set<http.ServerResponse>();
  let count = 0;
  const receiver: Receiver = {
    url: "",
    received: [],
    tlsErrors: [],
    connections: 0,
    secret: "",
    answer: () => ({ status: 204 }),
    distinct() {
      const seen = new Set<string>();
      return receiver.received.filter((r) => !seen.has(r.id) && seen.add(r.id));
    },
    async waitFor(condition, ms = 20_000) {
      const deadline = Date.now() + ms;
      while (!condition(receiver.received)) {
        if (Date.now() > deadline) throw new Error(`the receiver did not get what was expected within ${ms} ms; it got: ${JSON.stringify(receiver.received.map((r) => [r.id, r.payload.type]))}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close() {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const handle: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const request = { path: req.url ?? "", headers: req.headers, body, id: String(req.headers["webhook-id"]), payload: JSON.parse(body || "null") as Received["payload"] };
      receiver.received.push({ ...request, verified: verifySignature(receiver.secret, req.headers, body) });
      const answer = receiver.answer(request, count++);
      if (answer === "stall") {
        stalled.add(res);
        return;
      }
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? "");
    });
  };
  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handle) : http.createServer(handle);
  // What a TLS handshake the receiver refused or that was refused to it ended with, as the receiver saw it.
  server.on("connection", () => void receiver.connections++);
  server.on("tlsClientError", (error: Error) => receiver.tlsErrors.push(error.message));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  // An HTTPS receiver is called by the name its certificate has.
  (receiver as { url: string }).url = options.tls ? `https://localhost:${port}/hooks` : `http://127.0.0.1:${port}/hooks`;
  return receiver;
}
