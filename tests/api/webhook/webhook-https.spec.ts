import "reflect-metadata";
import { capturingLogger } from "../../helpers/logs";
import { dataOf, startTestServer } from "../../helpers/server";
import type { TestServer } from "../../helpers/server";
import { makeTestCertificates } from "../../helpers/tls";
import { bearer, mintToken } from "../../helpers/tokens";
import { startReceiver } from "../../helpers/webhook-receiver";
import type { Receiver } from "../../helpers/webhook-receiver";

/**
 * Webhooks to HTTPS receivers through the running server: one whose certificate a CA the server
 * was told to trust (WEBHOOK_CA_FILE, here its parsed setting) signed gets signed deliveries,
 * checked by the receiver without the server's signing library; one whose certificate no trusted
 * CA signed is never sent a byte of a delivery, each attempt logged as a TLS failure and retried.
 */
describe("signed webhooks to HTTPS receivers", () => {
  const trusted = makeTestCertificates();
  const stranger = makeTestCertificates();
  const captured = capturingLogger();
  let t: TestServer;
  let admin: Record<string, string>;
  let editor: Record<string, string>;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    t = await startTestServer({
      seed: false,
      logger: captured.logger,
      config: { webhooks: { allowHosts: ["127.0.0.1"], retryBaseMs: 20, retryMaxMs: 100, pollIntervalMs: 50, timeoutMs: 2000, extraCaCertificates: [trusted.ca] } },
    });
    admin = bearer(await mintToken(t, "ADMIN"));
    editor = bearer(await mintToken(t, "EDITOR"));
  });
  afterAll(async () => {
    for (const receiver of receivers) await receiver.close();
    await t?.close();
  });

  const register = async (certificates: { key: string; cert: string }) => {
    const receiver = await startReceiver({ tls: certificates });
    receivers.push(receiver);
    const made = dataOf<{ createWebhookEndpoint: { endpoint: { id: string; url: string }; secret: string } }>(await t.gql(CREATE_ENDPOINT, { url: receiver.url, events: ["ARTICLE_PUBLISHED"] }, admin)).createWebhookEndpoint;
    expect(made.endpoint.url).toMatch(/^https:\/\/localhost:\d+\/hooks$/);
    receiver.secret = made.secret;
    return { receiver, id: made.endpoint.id };
  };
  const publish = async (title: string) => {
    const { createArticle } = dataOf<{ createArticle: { id: string } }>(await t.gql(CREATE_ARTICLE, { title }, editor));
    dataOf(await t.gql(PUBLISH, { id: createArticle.id }, editor));
    return createArticle.id;
  };
  const deliveries = async (id: string) =>
    dataOf<{ webhookEndpoint: { deliveries: { nodes: Array<{ status: string; attemptCount: number; attempts: Array<{ outcome: string; statusCode: number | null }> }> } } }>(await t.gql(DELIVERIES, { id }, admin)).webhookEndpoint.deliveries.nodes;

  it("delivers to a receiver whose certificate the trusted CA signed, signed as Standard Webhooks says", async () => {
    const { receiver, id } = await register(trusted);
    const article = await publish("Lapas Tuban terima kunjungan lewat HTTPS");
    await receiver.waitFor((r) => r.length === 1);
    await t.server.webhooks.settle();
    const [got] = receiver.received;
    expect(got!.verified).toBe(true);
    expect(got!.payload).toMatchObject({ version: 1, type: "article.published", data: { article: { id: article } } });
    const [delivery] = await deliveries(id);
    expect(delivery).toMatchObject({ status: "DELIVERED", attemptCount: 1, attempts: [{ outcome: "SUCCESS", statusCode: 204 }] });
  });

  it("refuses a certificate no trusted CA signed: nothing is sent, each attempt is a TLS failure in the log, and the delivery is retried", async () => {
    const { receiver, id } = await register(stranger);
    await publish("Cerita untuk penerima tak dikenal");
    let log = await deliveries(id);
    const deadline = Date.now() + 20_000;
    // Both: the delivery and its attempts are read by two statements, and an attempt committed between them showed 3 rows and a count of 2 (failed in CI).
    while (((log[0]?.attempts.length ?? 0) < 3 || (log[0]?.attemptCount ?? 0) < 3) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      log = await deliveries(id);
    }
    const [delivery] = log;
    expect(delivery!.status).toBe("PENDING");
    expect(delivery!.attemptCount).toBeGreaterThanOrEqual(3);
    expect(delivery!.attempts.every((a) => a.outcome === "TLS" && a.statusCode === null)).toBe(true);
    // The receiver saw handshakes the server broke off, and never a request.
    expect(receiver.received).toEqual([]);
    expect(receiver.tlsErrors.length).toBeGreaterThan(0);
    // The server's own log names why, for its operator.
    const failed = captured.lines.filter((l) => l.msg === "webhook attempt failed" && l.outcome === "TLS");
    expect(failed.length).toBeGreaterThanOrEqual(3);
    expect(failed[0]).toMatchObject({ detail: "UNABLE_TO_VERIFY_LEAF_SIGNATURE", status: null });
  });
});

const CREATE_ENDPOINT = `mutation Create($url: String!, $events: [WebhookEventType!]!) {
  createWebhookEndpoint(url: $url, events: $events) { secret endpoint { id url } }
}`;
const DELIVERIES = `query Deliveries($id: ID!) { webhookEndpoint(id: $id) { deliveries(first: 5) { nodes { status attemptCount attempts { statusCode outcome } } } } }`;
const CREATE_ARTICLE = `mutation Create($title: String!) { createArticle(input: { title: $title, body: "Paragraf pertama.\\n\\nParagraf kedua." }) { id } }`;
const PUBLISH = `mutation Publish($id: ID!) { publishArticle(id: $id) { status } }`;
