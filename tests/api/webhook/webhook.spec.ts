import "reflect-metadata";
import { dataOf, metricOf, startTestServer } from "../../helpers/server";
import type { TestServer } from "../../helpers/server";
import { bearer, mintToken } from "../../helpers/tokens";
import { startReceiver } from "../../helpers/webhook-receiver";
import type { Receiver } from "../../helpers/webhook-receiver";

/** Quick retries, so a test sees several attempts; the allow-list names the local receiver's address. */
const FAST = { allowHosts: ["127.0.0.1"], retryBaseMs: 20, retryMaxMs: 100, pollIntervalMs: 50, timeoutMs: 2000 };
const ALL_EVENTS = ["ARTICLE_PUBLISHED", "ARTICLE_UPDATED", "ARTICLE_UNPUBLISHED", "ARTICLE_DELETED", "COMMENT_APPROVED"];

interface Attempt {
  statusCode: number | null;
  outcome: string;
  durationMs: number;
}
interface Delivery {
  webhookId: string;
  eventType: string;
  status: string;
  attemptCount: number;
  attempts: Attempt[];
}

describe("signed webhooks", () => {
  let t: TestServer;
  let admin: Record<string, string>;
  let editor: Record<string, string>;
  let moderator: Record<string, string>;
  const receivers: Receiver[] = [];
  const endpoints: string[] = [];

  beforeAll(async () => {
    t = await startTestServer({ seed: false, config: { webhooks: FAST } });
    admin = bearer(await mintToken(t, "ADMIN"));
    editor = bearer(await mintToken(t, "EDITOR"));
    moderator = bearer(await mintToken(t, "MODERATOR"));
  });
  afterEach(async () => {
    for (const id of endpoints.splice(0)) await t.gql(DELETE_ENDPOINT, { id }, admin);
    for (const r of receivers.splice(0)) await r.close();
  });
  afterAll(async () => {
    await t.close();
  });

  /** A receiver registered for `events`, verifying with the secret it was given. */
  const register = async (events = ALL_EVENTS) => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const made = dataOf<{ createWebhookEndpoint: { endpoint: { id: string }; secret: string } }>(await t.gql(CREATE_ENDPOINT, { url: receiver.url, events }, admin)).createWebhookEndpoint;
    receiver.secret = made.secret;
    endpoints.push(made.endpoint.id);
    return { receiver, id: made.endpoint.id, secret: made.secret };
  };
  const story = async (title: string, publish = true) => {
    const { createArticle } = dataOf<{ createArticle: { id: string; slug: string } }>(await t.gql(CREATE_ARTICLE, { title }, editor));
    if (publish) dataOf(await t.gql(PUBLISH, { id: createArticle.id }, editor));
    return createArticle;
  };
  const deliveries = async (id: string): Promise<Delivery[]> =>
    dataOf<{ webhookEndpoint: { deliveries: { nodes: Delivery[] } } }>(await t.gql(DELIVERIES, { id }, admin)).webhookEndpoint.deliveries.nodes;

  it("registers an endpoint for admins only, with a whsec_ secret shown once and never listed", async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const made = dataOf<{ createWebhookEndpoint: { endpoint: { id: string; url: string; events: string[]; enabled: boolean }; secret: string } }>(
      await t.gql(CREATE_ENDPOINT, { url: receiver.url, events: ["COMMENT_APPROVED", "ARTICLE_PUBLISHED"] }, admin),
    ).createWebhookEndpoint;
    endpoints.push(made.endpoint.id);
    expect(made.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(made.endpoint).toMatchObject({ url: receiver.url, events: ["ARTICLE_PUBLISHED", "COMMENT_APPROVED"], enabled: true });
    const listed = await t.gql<{ webhookEndpoints: Array<{ id: string }> }>(LIST_ENDPOINTS, {}, admin);
    expect(dataOf<{ webhookEndpoints: Array<{ id: string }> }>(listed).webhookEndpoints.map((e) => e.id)).toContain(made.endpoint.id);
    expect(listed.text).not.toContain(made.secret.slice(6));
    expect(dataOf<{ node: { id: string } | null }>(await t.gql(NODE, { id: made.endpoint.id }, admin)).node).toEqual({ id: made.endpoint.id });

    for (const [headers, code] of [[editor, "FORBIDDEN"], [{}, "UNAUTHENTICATED"]] as const) {
      expect((await t.gql(LIST_ENDPOINTS, {}, headers)).body.errors?.[0]?.extensions?.code).toBe(code);
      expect((await t.gql(CREATE_ENDPOINT, { url: receiver.url, events: ALL_EVENTS }, headers)).body.errors?.[0]?.extensions?.code).toBe(code);
    }
    expect(dataOf<{ node: unknown }>(await t.gql(NODE, { id: made.endpoint.id }, editor)).node).toBeNull();
  });

  it.each([
    ["ftp://hooks.example/in", "must be an http:// or https:// URL"],
    ["not a url", "is not a URL"],
    ["https://user:hunter2@hooks.example/in", "must not hold credentials"],
    ["https://hooks.example/in#frag", "must not have a fragment"],
    ["http://10.1.2.3/in", "10.1.2.3 is a private address"],
    ["http://169.254.169.254/latest/meta-data", "169.254.169.254 is a link-local address"],
    ["http://[::1]:8080/in", "::1 is a loopback address"],
    ["http://[::ffff:192.168.1.1]/in", "192.168.1.1 is a private address"],
    ["http://0.0.0.0:4000/", "'this network' address"],
  ])("refuses %s with BAD_USER_INPUT naming it", async (url, message) => {
    const res = await t.gql(CREATE_ENDPOINT, { url, events: ALL_EVENTS }, admin);
    const error = res.body.errors?.[0];
    expect(error?.extensions).toEqual({ code: "BAD_USER_INPUT", field: "url" });
    expect(error?.message).toContain(message);
    // The value is named, a password never.
    expect(error?.message).toContain(url.includes("hunter2") ? "https://***@hooks.example/in" : url.slice(0, 20));
    expect(error?.message).not.toContain("hunter2");
  });

  it("refuses an empty or unknown event list", async () => {
    const res = await t.gql(CREATE_ENDPOINT, { url: "https://hooks.example/in", events: [] }, admin);
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: "BAD_USER_INPUT", field: "events" });
  });

  it("delivers each event signed as Standard Webhooks says, in order, with explicit versioned payloads", async () => {
    const { receiver, id } = await register();
    const steps: Array<[string, () => Promise<unknown>]> = [];
    const a = await story("Lapas Banyuwangi raih WBK");
    await receiver.waitFor((r) => r.length === 1);
    steps.push(["article.updated", () => t.gql(UPDATE_ARTICLE, { id: a.id, title: "Lapas Banyuwangi raih predikat WBK" }, editor)]);
    steps.push([
      "comment.approved",
      async () => {
        const comment = dataOf<{ addComment: { id: string } }>(await t.gql(ADD_COMMENT, { input: { articleId: a.id, authorName: "Budi", authorEmail: "budi@example.com", body: "Selamat!" } })).addComment;
        return t.gql(MODERATE, { id: comment.id, status: "APPROVED" }, moderator);
      },
    ]);
    steps.push(["article.unpublished", () => t.gql(UNPUBLISH, { id: a.id }, editor)]);
    steps.push(["article.published", () => t.gql(PUBLISH, { id: a.id }, editor)]);
    steps.push(["article.deleted", () => t.gql(DELETE_ARTICLE, { id: a.id }, editor)]);
    // Each step waits for the one before to arrive: what is sent is what readers may see when it is sent.
    for (const [i, [, step]] of steps.entries()) {
      dataOf((await step()) as never);
      await receiver.waitFor((r) => r.length === i + 2);
    }
    await t.server.webhooks.settle();
    const got = receiver.received;
    expect(got.map((r) => r.payload.type)).toEqual(["article.published", ...steps.map(([type]) => type)]);
    expect(got.every((r) => r.verified)).toBe(true);
    expect(got.map((r) => r.id)).toEqual([...got.map((r) => r.id)].sort());
    expect(got.every((r) => r.payload.version === 1 && r.payload.data.article!.id === a.id)).toBe(true);
    expect(got.find((r) => r.payload.type === "article.updated")!.payload.data.article!.title).toBe("Lapas Banyuwangi raih predikat WBK");
    for (const r of got.filter((x) => /unpublished|deleted/.test(x.payload.type))) expect(r.payload.data.article).toEqual({ id: a.id, slug: a.slug });
    // The ids match the log's cursors, and the endpoint's log shows each delivery.
    const log = await deliveries(id);
    expect(log.map((d) => d.webhookId).reverse()).toEqual(got.map((r) => r.id));
    expect(log.every((d) => d.status === "DELIVERED" && d.attemptCount === 1)).toBe(true);
  });

  it("withdraws a delivery whose story was taken down before it could be sent: the body goes out only while readers may see it", async () => {
    const { receiver, id } = await register(["ARTICLE_PUBLISHED", "ARTICLE_UNPUBLISHED"]);
    let down = true;
    receiver.answer = () => (down ? { status: 503 } : { status: 204 });
    const a = await story("Cerita yang ditarik sebelum terkirim");
    await receiver.waitFor((r) => r.length >= 1);
    dataOf(await t.gql(UNPUBLISH, { id: a.id }, editor));
    down = false;
    await receiver.waitFor((r) => r.some((x) => x.payload.type === "article.unpublished"));
    await t.server.webhooks.settle();
    expect(receiver.received.filter((x) => x.payload.type === "article.published").length).toBeGreaterThanOrEqual(1);
    expect(receiver.received.at(-1)!.payload).toMatchObject({ type: "article.unpublished", data: { article: { id: a.id, slug: a.slug } } });
    const log = await deliveries(id);
    expect(log.map((d) => [d.eventType, d.status])).toEqual([["ARTICLE_UNPUBLISHED", "DELIVERED"], ["ARTICLE_PUBLISHED", "WITHDRAWN"]]);
    expect(log[1]!.attempts.every((x) => x.statusCode === 503)).toBe(true);
  });

  it("sends a published story's public fields and an approved comment, never its email", async () => {
    const { receiver } = await register();
    const a = await story("Rutan Surabaya buka layanan kunjungan daring");
    await receiver.waitFor((r) => r.length >= 1);
    const comment = dataOf<{ addComment: { id: string } }>(await t.gql(ADD_COMMENT, { input: { articleId: a.id, authorName: "Sari", authorEmail: "sari@example.com", body: "Bagus." } })).addComment;
    dataOf(await t.gql(MODERATE, { id: comment.id, status: "APPROVED" }, moderator));
    await receiver.waitFor((r) => r.length >= 2);
    const [published, approved] = receiver.distinct();
    expect(published!.verified && approved!.verified).toBe(true);
    expect(published!.headers["webhook-id"]).toMatch(/^evt_\d{16}$/);
    expect(published!.headers["content-type"]).toBe("application/json");
    expect(published!.payload).toEqual({
      version: 1,
      type: "article.published",
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      data: {
        article: {
          id: a.id,
          slug: a.slug,
          title: "Rutan Surabaya buka layanan kunjungan daring",
          summary: null,
          body: "Paragraf pertama.\n\nParagraf kedua.",
          dateline: null,
          source: null,
          publishedAt: expect.any(String),
          updatedAt: expect.any(String),
          tags: [{ slug: "pemasyarakatan", name: "Pemasyarakatan" }],
        },
      },
    });
    expect(approved!.payload).toMatchObject({ version: 1, type: "comment.approved", data: { article: { id: a.id, slug: a.slug }, comment: { id: comment.id, articleId: a.id, authorName: "Sari", body: "Bagus.", parentId: null } } });
    expect(approved!.body).not.toContain("sari@example.com");
  });

  it("never fires for a draft: its creation, edits, comments or deletion", async () => {
    const { receiver, id } = await register();
    const draft = await story("Draf: rencana studi tiru", false);
    dataOf(await t.gql(UPDATE_ARTICLE, { id: draft.id, title: "Draf: rencana studi tiru ke Bojonegoro" }, editor));
    // A comment that waited on a published story, approved once the story is a draft again.
    const live = await story("Cerita yang kemudian ditarik");
    await receiver.waitFor((r) => r.length === 1);
    const comment = dataOf<{ addComment: { id: string } }>(await t.gql(ADD_COMMENT, { input: { articleId: live.id, authorName: "Ani", authorEmail: "ani@example.com", body: "Menunggu." } })).addComment;
    dataOf(await t.gql(UNPUBLISH, { id: live.id }, editor));
    dataOf(await t.gql(MODERATE, { id: comment.id, status: "APPROVED" }, moderator));
    dataOf(await t.gql(DELETE_ARTICLE, { id: draft.id }, editor));
    await receiver.waitFor((r) => r.length >= 2);
    await t.server.webhooks.settle();
    expect(receiver.received.map((r) => `${r.payload.type} ${r.payload.data.article!.id}`)).toEqual([`article.published ${live.id}`, `article.unpublished ${live.id}`]);
    const log = await deliveries(id);
    expect(log.find((d) => d.eventType === "COMMENT_APPROVED")).toMatchObject({ status: "WITHDRAWN", attemptCount: 0 });
    expect(log.some((d) => d.eventType === "ARTICLE_DELETED")).toBe(false);
  });

  it("retries with backoff until a 2xx, logging status, duration and outcome of each attempt, never the response body", async () => {
    const { receiver, id } = await register(["ARTICLE_PUBLISHED"]);
    receiver.answer = (_request, n) => (n < 2 ? { status: 500, body: "STACK TRACE OF THE RECEIVER" } : { status: 200, body: "ok" });
    await story("Bapas Malang gelar pembinaan");
    await receiver.waitFor((r) => r.length >= 3);
    await t.server.webhooks.settle();
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(1);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    const res = await t.gql<{ webhookEndpoint: { deliveries: { nodes: Delivery[] } } }>(DELIVERIES, { id }, admin);
    const [delivery] = dataOf<{ webhookEndpoint: { deliveries: { nodes: Delivery[] } } }>(res).webhookEndpoint.deliveries.nodes;
    expect(delivery).toMatchObject({ status: "DELIVERED", attemptCount: 3, webhookId: receiver.received[0]!.id });
    expect(delivery!.attempts.map((a) => [a.outcome, a.statusCode])).toEqual([["HTTP_STATUS", 500], ["HTTP_STATUS", 500], ["SUCCESS", 200]]);
    expect(delivery!.attempts.every((a) => Number.isInteger(a.durationMs) && a.durationMs >= 0)).toBe(true);
    expect(res.text).not.toContain("STACK TRACE");
    const stored = JSON.stringify(await t.server.db.reader.query(`SELECT * FROM webhook_attempt`)) + JSON.stringify(await t.server.db.reader.query(`SELECT * FROM webhook_delivery`));
    expect(stored).not.toContain("STACK TRACE");
    expect(await metricOf(t, "webhook_attempts_total", 'outcome="HTTP_STATUS"')).toBeGreaterThanOrEqual(2);
    expect(await metricOf(t, "webhook_attempts_total", 'outcome="SUCCESS"')).toBeGreaterThanOrEqual(1);
  });

  it("holds a story's later events while an earlier one fails, and lets other stories through", async () => {
    const { receiver } = await register(["ARTICLE_PUBLISHED", "ARTICLE_UPDATED"]);
    const slow = await story("Cerita pertama");
    let failing = true;
    receiver.answer = (request) => (failing && request.payload.data.article!.id === slow.id ? { status: 503 } : { status: 204 });
    await receiver.waitFor((r) => r.length >= 2);
    dataOf(await t.gql(UPDATE_ARTICLE, { id: slow.id, title: "Cerita pertama, diperbarui" }, editor));
    const other = await story("Cerita kedua");
    await receiver.waitFor((r) => r.some((x) => x.payload.data.article!.id === other.id));
    // The update waits behind the failing publication of its story.
    expect(receiver.received.filter((x) => x.payload.data.article!.id === slow.id).every((x) => x.payload.type === "article.published")).toBe(true);
    failing = false;
    await receiver.waitFor((r) => r.some((x) => x.payload.type === "article.updated"));
    const order = receiver.received.filter((x) => x.payload.data.article!.id === slow.id).map((x) => x.payload.type);
    expect(order.indexOf("article.updated")).toBe(order.length - 1);
    expect(order.filter((x) => x === "article.updated")).toHaveLength(1);
  });

  it("follows no redirect, and reads a long answer only up to its limit", async () => {
    const { receiver, id } = await register(["ARTICLE_PUBLISHED"]);
    receiver.answer = (_request, n) => (n === 0 ? { status: 302, headers: { location: `${receiver.url}/elsewhere` } } : { status: 200, body: "x".repeat(1_000_000) });
    await story("Cerita dengan pengalihan");
    await receiver.waitFor((r) => r.length >= 2);
    await t.server.webhooks.settle();
    expect(receiver.received.map((r) => r.path)).toEqual(["/hooks", "/hooks"]);
    const [delivery] = await deliveries(id);
    expect(delivery!.attempts.map((a) => [a.outcome, a.statusCode])).toEqual([["HTTP_STATUS", 302], ["SUCCESS", 200]]);
  });
});

describe("signed webhooks: a failing endpoint", () => {
  let t: TestServer;
  let admin: Record<string, string>;
  let editor: Record<string, string>;
  let receiver: Receiver;
  beforeAll(async () => {
    t = await startTestServer({ seed: false, config: { webhooks: { ...FAST, timeoutMs: 300, disableAfterMs: 1000 } } });
    admin = bearer(await mintToken(t, "ADMIN"));
    editor = bearer(await mintToken(t, "EDITOR"));
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  it("times out a stalled receiver, is disabled after WEBHOOK_DISABLE_AFTER_MS without a success, and delivers what waited once an admin enables it", async () => {
    const made = dataOf<{ createWebhookEndpoint: { endpoint: { id: string }; secret: string } }>(await t.gql(CREATE_ENDPOINT, { url: receiver.url, events: ["ARTICLE_PUBLISHED"] }, admin)).createWebhookEndpoint;
    receiver.secret = made.secret;
    receiver.answer = (_request, n) => (n === 0 ? "stall" : { status: 503 });
    const { createArticle } = dataOf<{ createArticle: { id: string } }>(await t.gql(CREATE_ARTICLE, { title: "Cerita saat penerima mati" }, editor));
    dataOf(await t.gql(PUBLISH, { id: createArticle.id }, editor));
    const deadline = Date.now() + 20_000;
    let endpoint: { enabled: boolean; disabledAt: string | null; disabledReason: string | null; failingSince: string | null; deliveries: { nodes: Delivery[] } };
    for (;;) {
      endpoint = dataOf<{ webhookEndpoint: typeof endpoint }>(await t.gql(ENDPOINT_STATE, { id: made.endpoint.id }, admin)).webhookEndpoint;
      if (!endpoint.enabled || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(endpoint.enabled).toBe(false);
    expect(endpoint.disabledReason).toContain("No delivery succeeded");
    const [delivery] = endpoint.deliveries.nodes;
    expect(delivery!.status).toBe("PENDING");
    expect(delivery!.attempts[0]).toMatchObject({ outcome: "TIMEOUT", statusCode: null });
    expect(delivery!.attempts.slice(1).every((a) => a.outcome === "HTTP_STATUS" && a.statusCode === 503)).toBe(true);
    // Disabled: no more attempts.
    const attemptsThen = receiver.received.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received.length).toBe(attemptsThen);

    receiver.answer = () => ({ status: 200 });
    const enabled = dataOf<{ enableWebhookEndpoint: { enabled: boolean; failingSince: string | null } }>(await t.gql(ENABLE, { id: made.endpoint.id }, admin)).enableWebhookEndpoint;
    expect(enabled).toEqual({ enabled: true, failingSince: null });
    await receiver.waitFor((r) => r.length > attemptsThen);
    await t.server.webhooks.settle();
    const after = dataOf<{ webhookEndpoint: typeof endpoint }>(await t.gql(ENDPOINT_STATE, { id: made.endpoint.id }, admin)).webhookEndpoint;
    expect(after.deliveries.nodes[0]!.status).toBe("DELIVERED");
    expect(receiver.received.at(-1)!.verified).toBe(true);
  });
});

describe("signed webhooks with WEBHOOK_SECRET_KEY", () => {
  let t: TestServer;
  let receiver: Receiver;
  beforeAll(async () => {
    t = await startTestServer({ seed: false, config: { webhooks: { ...FAST, secretKey: Buffer.alloc(32, 3) } } });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  it("stores the secret sealed, and signs with it all the same", async () => {
    const admin = bearer(await mintToken(t, "ADMIN"));
    const made = dataOf<{ createWebhookEndpoint: { secret: string } }>(await t.gql(CREATE_ENDPOINT, { url: receiver.url, events: ["ARTICLE_PUBLISHED"] }, admin)).createWebhookEndpoint;
    receiver.secret = made.secret;
    const [row] = await t.server.db.reader.query(`SELECT secret FROM webhook_endpoint`);
    expect(row.secret).toMatch(/^enc1:/);
    expect(row.secret).not.toContain(made.secret.slice(6));
    const editor = bearer(await mintToken(t, "EDITOR"));
    const { createArticle } = dataOf<{ createArticle: { id: string } }>(await t.gql(CREATE_ARTICLE, { title: "Cerita bersegel" }, editor));
    dataOf(await t.gql(PUBLISH, { id: createArticle.id }, editor));
    await receiver.waitFor((r) => r.length === 1);
    expect(receiver.received[0]!.verified).toBe(true);
  });
});

describe("signed webhooks without an allow-list", () => {
  let t: TestServer;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await startTestServer({ seed: false });
    admin = bearer(await mintToken(t, "ADMIN"));
  });
  afterAll(async () => {
    await t.close();
  });

  it("refuses a receiver on a loopback address, which the tests' allow-list otherwise names", async () => {
    const receiver = await startReceiver();
    try {
      const res = await t.gql(CREATE_ENDPOINT, { url: receiver.url, events: ALL_EVENTS }, admin);
      expect(res.body.errors?.[0]?.extensions).toEqual({ code: "BAD_USER_INPUT", field: "url" });
      expect(res.body.errors?.[0]?.message).toContain(`'${receiver.url}' is refused: 127.0.0.1 is a loopback address; WEBHOOK_ALLOW_HOSTS must name it`);
      // A name is looked up: localhost's addresses are all loopback ones.
      const byName = await t.gql(CREATE_ENDPOINT, { url: receiver.url.replace("127.0.0.1", "localhost"), events: ALL_EVENTS }, admin);
      expect(byName.body.errors?.[0]?.extensions).toEqual({ code: "BAD_USER_INPUT", field: "url" });
      expect(byName.body.errors?.[0]?.message).toMatch(/is refused: localhost resolves only to addresses webhooks may not reach \((127\.0\.0\.1|::1) is a loopback address/);
      expect(receiver.received).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});

const CREATE_ENDPOINT = `mutation Create($url: String!, $events: [WebhookEventType!]!) {
  createWebhookEndpoint(url: $url, events: $events) { secret endpoint { id url events enabled } }
}`;
const DELETE_ENDPOINT = `mutation Delete($id: ID!) { deleteWebhookEndpoint(id: $id) }`;
const ENABLE = `mutation Enable($id: ID!) { enableWebhookEndpoint(id: $id) { enabled failingSince } }`;
const LIST_ENDPOINTS = `query Endpoints { webhookEndpoints { id url events enabled } }`;
const NODE = `query Node($id: ID!) { node(id: $id) { id } }`;
const DELIVERY_FIELDS = `webhookId eventType status attemptCount attempts { statusCode outcome durationMs }`;
const DELIVERIES = `query Deliveries($id: ID!) { webhookEndpoint(id: $id) { deliveries(first: 50) { nodes { ${DELIVERY_FIELDS} } } } }`;
const ENDPOINT_STATE = `query State($id: ID!) { webhookEndpoint(id: $id) { enabled disabledAt disabledReason failingSince deliveries(first: 5) { nodes { ${DELIVERY_FIELDS} } } } }`;
const CREATE_ARTICLE = `mutation Create($title: String!) { createArticle(input: { title: $title, body: "Paragraf pertama.\\n\\nParagraf kedua.", tags: ["Pemasyarakatan"] }) { id slug } }`;
const PUBLISH = `mutation Publish($id: ID!) { publishArticle(id: $id) { status } }`;
const UPDATE_ARTICLE = `mutation Update($id: ID!, $title: String!) { updateArticle(id: $id, input: { title: $title }) { id } }`;
const UNPUBLISH = `mutation Unpublish($id: ID!) { unpublishArticle(id: $id) { status } }`;
const DELETE_ARTICLE = `mutation Delete($id: ID!) { deleteArticle(id: $id) }`;
const ADD_COMMENT = `mutation Comment($input: AddCommentInput!) { addComment(input: $input) { id } }`;
const MODERATE = `mutation Moderate($id: ID!, $status: CommentStatus!) { moderateComment(id: $id, status: $status) { status } }`;
