import "reflect-metadata";
import { toGlobalId } from "../../src/kernel/ids";
import { InstitutionKind } from "../../src/entities/institution.entity";
import { addInstitution, addPerson } from "../helpers/scenarios";
import { dataOf, metricOf, startTestServer, tempSqliteFile } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import { bearer, mintToken } from "../helpers/tokens";
import { connect } from "../helpers/ws";
import type { LiveClient } from "../helpers/ws";
import { useTestServer } from "../helpers/fixture";

type ArticleEventData = { cursor: string; type: string; article: { id: string; title: string; status?: string } };

/** Opens everything it is asked for and closes it after each test. */
function tracker() {
  const open: Array<{ close(): Promise<void> }> = [];
  return {
    add<T extends { close(): Promise<void> }>(thing: T): T {
      open.push(thing);
      return thing;
    },
    async closeAll() {
      for (const thing of open.splice(0).reverse()) await thing.close().catch(() => undefined);
    },
  };
}

const settle = (ms = 150) => new Promise((r) => setTimeout(r, ms));

/** The errors a refused subscription ended with (graphql-ws sends them as an error message or a result). */
async function errorsOf(sub: { ended: Promise<unknown>; received: Array<{ errors?: readonly unknown[] }> }): Promise<Array<{ message: string; extensions?: { code?: string } }>> {
  const ended = await Promise.race([sub.ended, settle(3000).then(() => "timeout")]);
  return (Array.isArray(ended) ? ended : sub.received.flatMap((r) => r.errors ?? [])) as Array<{ message: string; extensions?: { code?: string } }>;
}

describe("live feeds", () => {
  const t = useTestServer({ seed: false, config: { comments: { rateLimit: 10_000 }, events: { schedulerIntervalMs: 100 } } });
  let editor: Record<string, string>;
  let moderator: Record<string, string>;
  let institutionId: string;
  let personId: string;
  const opened = tracker();

  beforeAll(async () => {
    editor = bearer(await mintToken(t, "EDITOR"));
    moderator = bearer(await mintToken(t, "MODERATOR"));
    const ids = await t.server.db.transaction(async (em) => ({
      institution: (await addInstitution(em, { name: "Lapas Malang", kind: InstitutionKind.LAPAS })).pk,
      person: (await addPerson(em, "Dewi Lestari")).pk,
    }));
    institutionId = toGlobalId("Institution", ids.institution);
    personId = toGlobalId("Person", ids.person);
  });
  afterEach(async () => {
    await opened.closeAll();
  });

  const live = (params?: Record<string, unknown>): LiveClient => opened.add(connect(t.server.port, params));
  const draft = async (title: string, extra: Record<string, unknown> = {}) =>
    dataOf<{ createArticle: { id: string } }>(await t.gql(`mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }`, { input: { title, body: "Isi berita.", ...extra } }, editor)).createArticle.id;
  const publish = async (id: string, at?: string) => dataOf(await t.gql(`mutation($id: ID!, $at: DateTime) { publishArticle(id: $id, at: $at) { status } }`, { id, at }, editor));
  const story = async (title: string, extra: Record<string, unknown> = {}) => {
    const id = await draft(title, extra);
    await publish(id);
    return id;
  };
  /** Waits until the server's feed has really started (subscriptions start asynchronously). */
  const subscribed = async (count = 1) => {
    const deadline = Date.now() + 3000;
    while (t.server.stats.activeSubscriptions < count && Date.now() < deadline) await settle(10);
  };

  it("pushes a published story to an anonymous subscriber, with its relations", async () => {
    const sub = live().subscribe<{ articlePublished: ArticleEventData & { article: { institutions: Array<{ name: string }> } } }>(PUBLISHED, {});
    await subscribed();
    const id = await story("Berita langsung", { institutionIds: [institutionId] });
    const [first] = await sub.waitFor(1);
    expect(first!.data!.articlePublished).toMatchObject({ type: "PUBLISHED", article: { id, title: "Berita langsung", institutions: [{ name: "Lapas Malang" }] } });
    expect(first!.data!.articlePublished.cursor).toMatch(/^\d{16}$/);
  });

  it("filters by institution, person and tag before anything is pushed", async () => {
    const client = live();
    const byInstitution = client.subscribe<{ articlePublished: ArticleEventData }>(PUBLISHED, { filter: { institutionId } });
    const byPerson = client.subscribe<{ articlePublished: ArticleEventData }>(PUBLISHED, { filter: { personId } });
    const byTag = client.subscribe<{ articlePublished: ArticleEventData }>(PUBLISHED, { filter: { tag: "olahraga" } });
    const both = client.subscribe<{ articlePublished: ArticleEventData }>(PUBLISHED, { filter: { institutionId, tag: "olahraga" } });
    await subscribed(4);
    await story("Tanpa apa-apa");
    await story("Dengan lembaga", { institutionIds: [institutionId] });
    await story("Dengan orang", { personIds: [personId] });
    await story("Dengan tag", { tags: ["Olahraga"] });
    await story("Lembaga dan tag", { institutionIds: [institutionId], tags: ["Olahraga"] });
    await byInstitution.waitFor(2);
    await byPerson.waitFor(1);
    await byTag.waitFor(2);
    await both.waitFor(1);
    await settle(300);
    const titles = (s: { received: Array<{ data?: { articlePublished: ArticleEventData } | null }> }) => s.received.map((r) => r.data!.articlePublished.article.title);
    expect(titles(byInstitution)).toEqual(["Dengan lembaga", "Lembaga dan tag"]);
    expect(titles(byPerson)).toEqual(["Dengan orang"]);
    expect(titles(byTag)).toEqual(["Dengan tag", "Lembaga dan tag"]);
    expect(titles(both)).toEqual(["Lembaga dan tag"]);
  });

  it("reports PUBLISHED, UPDATED and UNPUBLISHED of published stories in order, and a deleted story as last published", async () => {
    const sub = live().subscribe<{ articleEvents: ArticleEventData }>(EVENTS, {});
    const published = live().subscribe<{ articlePublished: ArticleEventData }>(PUBLISHED, {});
    await subscribed(2);
    const id = await draft("Siklus hidup");
    await t.gql(`mutation($id: ID!) { updateArticle(id: $id, input: { title: "Siklus hidup (draf diubah)" }) { id } }`, { id }, editor);
    await publish(id);
    await t.gql(`mutation($id: ID!) { updateArticle(id: $id, input: { title: "Siklus hidup (diperbarui)" }) { id } }`, { id }, editor);
    await t.gql(`mutation($id: ID!) { unpublishArticle(id: $id) { status } }`, { id }, editor);
    await publish(id);
    await t.gql(`mutation($id: ID!) { deleteArticle(id: $id) }`, { id }, editor);
    const events = (await sub.waitFor(5)).map((r) => r.data!.articleEvents);
    expect(events.map((e) => [e.type, e.article.title, e.article.id])).toEqual([
      ["PUBLISHED", "Siklus hidup (draf diubah)", id],
      ["UPDATED", "Siklus hidup (diperbarui)", id],
      ["UNPUBLISHED", "Siklus hidup (diperbarui)", id],
      ["PUBLISHED", "Siklus hidup (diperbarui)", id],
      ["UNPUBLISHED", "Siklus hidup (diperbarui)", id],
    ]);
    expect(events.map((e) => e.article.status)).toEqual(["PUBLISHED", "PUBLISHED", "PUBLISHED", "PUBLISHED", "PUBLISHED"]);
    const cursors = events.map((e) => e.cursor);
    expect([...cursors].sort()).toEqual(cursors);
    expect(new Set(cursors).size).toBe(5);
    await settle(300);
    expect(sub.received).toHaveLength(5);
    expect(published.received.map((r) => r.data!.articlePublished.type)).toEqual(["PUBLISHED", "PUBLISHED"]);
  });

  it("pushes a scheduled story when it goes live", async () => {
    const sub = live().subscribe<{ articlePublished: ArticleEventData }>(PUBLISHED, {});
    await subscribed();
    const id = await draft("Terjadwal untuk ticker");
    await publish(id, new Date(Date.now() + 800).toISOString());
    const [event] = await sub.waitFor(1, 8000);
    expect(event!.data!.articlePublished).toMatchObject({ type: "PUBLISHED", article: { id, title: "Terjadwal untuk ticker", status: "PUBLISHED" } });
  });

  it("pushes comments when they become visible, never while PENDING, per story or across all", async () => {
    const storyId = await story("Berita untuk komentar");
    const otherId = await story("Berita lain untuk komentar");
    const client = live();
    const all = client.subscribe<{ commentAdded: { cursor: string; comment: { body: string; status: string; article: { id: string } } } }>(COMMENTS, {});
    const one = client.subscribe<{ commentAdded: { cursor: string; comment: { body: string } } }>(COMMENTS, { articleId: otherId });
    await subscribed(2);
    const add = async (articleId: string, body: string) =>
      dataOf<{ addComment: { id: string } }>(await t.gql(`mutation($input: AddCommentInput!) { addComment(input: $input) { id } }`, { input: { articleId, authorName: "Pembaca", authorEmail: "live@contoh.id", body } })).addComment.id;
    const a = await add(storyId, "Menunggu lalu disetujui");
    const b = await add(otherId, "Di berita lain");
    const c = await add(storyId, "Ditolak");
    await settle(300);
    expect(all.received).toHaveLength(0);
    const moderate = (id: string, status: string) => t.gql(`mutation($id: ID!, $s: CommentStatus!) { moderateComment(id: $id, status: $s) { status } }`, { id, s: status }, moderator);
    await moderate(a, "APPROVED");
    await moderate(c, "REJECTED");
    await moderate(b, "APPROVED");
    await moderate(a, "APPROVED");
    const events = (await all.waitFor(2)).map((r) => r.data!.commentAdded);
    expect(events.map((e) => [e.comment.body, e.comment.status, e.comment.article.id])).toEqual([
      ["Menunggu lalu disetujui", "APPROVED", storyId],
      ["Di berita lain", "APPROVED", otherId],
    ]);
    expect((await one.waitFor(1)).map((r) => r.data!.commentAdded.comment.body)).toEqual(["Di berita lain"]);
    await settle(300);
    expect(all.received).toHaveLength(2);
    expect(JSON.stringify(all.received)).not.toContain("live@contoh.id");
  });

  it("resumes after a disconnect from the last cursor, missing and repeating nothing", async () => {
    const first = live();
    const sub = first.subscribe<{ articleEvents: ArticleEventData }>(EVENTS, {});
    await subscribed();
    await story("Sebelum putus");
    const [seen] = await sub.waitFor(1);
    const cursor = seen!.data!.articleEvents.cursor;
    await first.close();
    await story("Selama putus 1");
    await story("Selama putus 2");
    const again = live().subscribe<{ articleEvents: ArticleEventData }>(EVENTS, { after: cursor });
    await again.waitFor(2);
    await story("Setelah sambung");
    const titles = (await again.waitFor(3)).map((r) => r.data!.articleEvents.article.title);
    expect(titles).toEqual(["Selama putus 1", "Selama putus 2", "Setelah sambung"]);
    await settle(300);
    expect(again.received).toHaveLength(3);
  });

  it("replays and then follows with no gap and no repeat while events are committed during the replay", async () => {
    const start = live().subscribe<{ articleEvents: ArticleEventData }>(EVENTS, {});
    await subscribed();
    await story("Awal balapan");
    const from = (await start.waitFor(1))[0]!.data!.articleEvents.cursor;
    // 40 stories already in the log, 40 more committed while the replaying subscriber starts.
    for (let i = 0; i < 40; i++) await story(`Balapan lama ${i}`);
    const racing = live().subscribe<{ articleEvents: ArticleEventData }>(EVENTS, { after: from });
    for (let i = 0; i < 40; i++) await story(`Balapan baru ${i}`);
    const received = await racing.waitFor(80, 15_000);
    await settle(300);
    const titles = racing.received.map((r) => r.data!.articleEvents.article.title);
    expect(titles).toEqual([...Array.from({ length: 40 }, (_, i) => `Balapan lama ${i}`), ...Array.from({ length: 40 }, (_, i) => `Balapan baru ${i}`)]);
    const cursors = received.map((r) => Number(r.data!.articleEvents.cursor));
    expect(cursors.every((c, i) => i === 0 || c > cursors[i - 1]!)).toBe(true);
  });

  it.each([
    ["malformed", "abc", "is not an event cursor"],
    ["from the future", "9999999999999999", "past the newest event"],
  ])("refuses a %s cursor with BAD_USER_INPUT", async (_name, after, message) => {
    const errors = await errorsOf(live().subscribe<{ articleEvents: ArticleEventData }>(EVENTS, { after }));
    expect(errors[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(errors[0]?.message).toContain(message);
  });

  it("refuses an expired cursor after the log was pruned", async () => {
    const sub = live().subscribe<{ articleEvents: ArticleEventData }>(EVENTS, {});
    await subscribed();
    await story("Akan kedaluwarsa");
    const cursor = (await sub.waitFor(1))[0]!.data!.articleEvents.cursor;
    await story("Yang terbaru");
    await sub.waitFor(2);
    // Everything older than "now + 1 s" goes: the whole log so far.
    const removed = await t.server.bus.prune(Date.now() + 7 * 86_400_000 + 1000);
    expect(removed).toBeGreaterThan(1);
    const errors = await errorsOf(live().subscribe(EVENTS, { after: cursor }));
    expect(errors[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(errors[0]?.message).toContain("has expired");
  });

  it("lets editors subscribe with their token, and closes with 4403 on a bad one", async () => {
    const token = editor.authorization!;
    const sub = live({ authorization: token }).subscribe<{ articlePublished: ArticleEventData }>(PUBLISHED, {});
    await subscribed();
    await story("Untuk editor");
    expect((await sub.waitFor(1))[0]!.data!.articlePublished.article.title).toBe("Untuk editor");
    const bad = live({ authorization: "Bearer nwr_palsu" }).subscribe(PUBLISHED, {});
    const ended = (await bad.ended) as { code?: number };
    expect(ended.code).toBe(4403);
  });

  it("costs the database the same whether one or many subscribers receive an event", async () => {
    const countFor = async (subscribers: number) => {
      // 25 subscriptions a connection, well under the per-connection cap.
      const clients = Array.from({ length: Math.ceil(subscribers / 25) }, () => live());
      const subs = Array.from({ length: subscribers }, (_, i) =>
        clients[Math.floor(i / 25)]!.subscribe<{ articlePublished: ArticleEventData }>(`subscription { articlePublished { cursor article { id title institutions { name parent { name } } people { name } tags { slug } quotes { text } commentCount } } }`, {}),
      );
      await subscribed(subscribers);
      const id = await draft(`Fan-out ${subscribers}`, { institutionIds: [institutionId], personIds: [personId], tags: ["Sebar"] });
      const statements: string[] = [];
      const listener = (sql: string) => void statements.push(sql);
      t.server.db.listeners.add(listener);
      await publish(id);
      await Promise.all(subs.map((s) => s.waitFor(1)));
      t.server.db.listeners.delete(listener);
      await Promise.all(clients.map((c) => c.close()));
      while (t.server.stats.activeSubscriptions > 0) await settle(10);
      // The scheduler's and the event bus's own reads run on timers; count what subscribers cost.
      return statements.filter((s) => /^\s*SELECT/i.test(s) && !/FROM "event"|scheduled_for/.test(s)).length;
    };
    const one = await countFor(1);
    const many = await countFor(100);
    expect(many).toBeLessThanOrEqual(one + 2);
  });

  it("serialises an event's shared result once for all its subscribers; each still gets its own frame", async () => {
    const query = `subscription { articlePublished { cursor article { title } } }`;
    const clients = Array.from({ length: 4 }, () => live());
    const subs = Array.from({ length: 40 }, (_, i) => clients[i % 4]!.subscribe<{ articlePublished: ArticleEventData }>(query, {}));
    await subscribed(40);
    const id = await draft("Sekali diserialisasi");
    const stringify = jest.spyOn(JSON, "stringify");
    try {
      await publish(id);
      await Promise.all(subs.map((s) => s.waitFor(1)));
      const ofResult = stringify.mock.results.filter((r) => typeof r.value === "string" && (r.value as string).includes('"articlePublished"'));
      expect(ofResult).toHaveLength(1);
    } finally {
      stringify.mockRestore();
    }
    for (const sub of subs) expect(sub.received[0]!.data!.articlePublished.article.title).toBe("Sekali diserialisasi");
    await Promise.all(clients.map((c) => c.close()));
  });

  it("leaves no listener behind after 1,000 subscribe/unsubscribe cycles", async () => {
    const client = live();
    while (t.server.stats.activeSubscriptions > 0) await settle(10);
    const before = t.server.bus.listenerCount;
    for (let i = 0; i < 1000; i++) {
      const sub = client.subscribe(PUBLISHED, {});
      if (i % 100 === 0) await subscribed(1);
      sub.unsubscribe();
      if (i % 50 === 0) await settle(5);
    }
    const deadline = Date.now() + 5000;
    while ((t.server.bus.listenerCount !== before || t.server.stats.activeSubscriptions !== 0) && Date.now() < deadline) await settle(20);
    expect(t.server.bus.listenerCount).toBe(before);
    expect(t.server.stats.activeSubscriptions).toBe(0);
    // The connection still works afterwards.
    const sub = client.subscribe<{ articlePublished: ArticleEventData }>(PUBLISHED, {});
    await subscribed();
    await story("Setelah gonta-ganti");
    expect((await sub.waitFor(1))[0]!.data!.articlePublished.article.title).toBe("Setelah gonta-ganti");
  });

  it("counts connections, subscriptions and push lag", async () => {
    const pushesBefore = t.server.stats.pushes;
    const client = live();
    const sub = client.subscribe(PUBLISHED, {});
    await subscribed();
    expect(t.server.stats.openConnections).toBeGreaterThanOrEqual(1);
    expect(t.server.stats.activeSubscriptions).toBe(1);
    await story("Untuk statistik");
    await sub.waitFor(1);
    expect(t.server.stats.pushes).toBe(pushesBefore + 1);
    expect(t.server.stats.lagMaxMs).toBeGreaterThanOrEqual(0);
  });

  it("counts replayed events apart from the push lag of live ones", async () => {
    const { liveCursor } = dataOf<{ liveCursor: string }>(await t.gql("{ liveCursor }"));
    await story("Sebelum pemutaran ulang");
    const lagBefore = await metricOf(t, "live_event_push_lag_seconds_count");
    const replaysBefore = await metricOf(t, "live_event_replays_total");
    const client = live();
    // Every event since the cursor is replayed, committed before the subscription: none of them is a push lag.
    const replay = client.subscribe<{ articleEvents: { type: string; article: { title: string } } }>(EVENTS, { after: liveCursor });
    const deadline = Date.now() + 5000;
    const counted = async () => (await metricOf(t, "live_event_replays_total")) - replaysBefore + (await metricOf(t, "live_event_push_lag_seconds_count")) - lagBefore;
    // Replayed up to the story published before: from then on, the subscription follows the bus.
    while (!replay.received.some((r) => r.data?.articleEvents.article.title === "Sebelum pemutaran ulang") && Date.now() < deadline) await settle(20);
    await story("Sesudah pemutaran ulang");
    while (!replay.received.some((r) => r.data?.articleEvents.article.title === "Sesudah pemutaran ulang") && Date.now() < deadline) await settle(20);
    // The counts are taken as each result is handed to the socket: wait for the last one's.
    while ((await counted()) < replay.received.length && Date.now() < deadline) await settle(20);
    expect((await metricOf(t, "live_event_push_lag_seconds_count")) - lagBefore).toBe(1);
    expect((await metricOf(t, "live_event_replays_total")) - replaysBefore).toBe(replay.received.length - 1);
  });
});

describe("live feeds across a restart", () => {
  it("resumes from a cursor on the same SQLite file after the server restarts", async () => {
    const file = tempSqliteFile();
    const first = await startTestServer({ seed: false, file, keepFile: true });
    const editor = bearer(await mintToken(first, "EDITOR"));
    const publishNew = async (s: TestServer, title: string) => {
      const id = dataOf<{ createArticle: { id: string } }>(await s.gql(`mutation($t: String!) { createArticle(input: { title: $t, body: "Isi." }) { id } }`, { t: title }, editor)).createArticle.id;
      await s.gql(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id }, editor);
    };
    const client = connect(first.server.port);
    const sub = client.subscribe<{ articleEvents: ArticleEventData }>(EVENTS, {});
    while (first.server.stats.activeSubscriptions < 1) await settle(10);
    await publishNew(first, "Sebelum restart");
    const cursor = (await sub.waitFor(1))[0]!.data!.articleEvents.cursor;
    await client.close().catch(() => undefined);
    await publishNew(first, "Terlewat saat restart");
    await first.server.stop();

    const second = await startTestServer({ seed: false, file });
    const again = connect(second.server.port);
    try {
      const resumed = again.subscribe<{ articleEvents: ArticleEventData }>(EVENTS, { after: cursor });
      await resumed.waitFor(1);
      await publishNew(second, "Setelah restart");
      const titles = (await resumed.waitFor(2)).map((r) => r.data!.articleEvents.article.title);
      expect(titles).toEqual(["Terlewat saat restart", "Setelah restart"]);
    } finally {
      await again.close();
      await second.close();
    }
  });
});

const PUBLISHED = `subscription Published($filter: ArticleSubscriptionFilter, $after: String) { articlePublished(filter: $filter, after: $after) { cursor type article { id title status institutions { name } } } }`;
const EVENTS = `subscription Events($after: String) { articleEvents(after: $after) { cursor type article { id title status } } }`;
const COMMENTS = `subscription Comments($articleId: ID, $after: String) { commentAdded(articleId: $articleId, after: $after) { cursor comment { body status article { id } } } }`;
