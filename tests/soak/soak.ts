import fs from "node:fs";
import path from "node:path";
import { createClient } from "graphql-ws";
import type { Client } from "graphql-ws";
import sqlite3 from "sqlite3";
import WebSocket from "ws";
import { copyDataset, ensureDataset } from "../bench/lib/dataset-cache";
import { postGql } from "../bench/lib/gql";
import { BENCH_DIR, ROOT } from "../bench/lib/paths";
import { mb, mintToken, startServer } from "../bench/lib/proc";
import type { Proc } from "../bench/lib/proc";
import { quantile, Random } from "../bench/lib/random";
import { summarizeFile, summaryMarkdown } from "../bench/profile";
import { commentBody, quoteText, storyBody } from "../bench/lib/text";

/*
 * `npm run soak -- --minutes N` — one server process under mixed traffic for N minutes:
 * reads of every kind, editor mutations with a token (create, quote, update, publish,
 * unpublish, delete), reader comments (auto-approved, rate limit raised), long-lived live-feed
 * subscribers and subscription churn (connect, subscribe, unsubscribe, disconnect, over and
 * over). Prints the server's RSS every minute. Fails (exit 1) when RSS at the end is more than
 * 20 % above RSS after the first minute, when any request errs (HTTP other than 200, or any
 * GraphQL error: none is provoked on purpose), or when a subscription errs.
 * Talks only to 127.0.0.1 and stops by itself (a hard stop at N + 2 minutes).
 *
 *   options: --minutes N (default 5) --readers N (default 4) --subscribers N (default 50)
 *            --profile (server under --cpu-prof; the profile is summarised at the end)
 *            --with-relevance-search (also orderBy RELEVANCE searches, slow on this dataset)
 */

interface Options {
  minutes: number;
  readers: number;
  subscribers: number;
  /** Run the server under --cpu-prof and summarise the profile at the end. */
  profile: boolean;
  /**
   * Also search with orderBy RELEVANCE. Off by default: on this dataset one such search with a
   * common word takes seconds (the FTS match runs once per story, see the bench report) and
   * stalls every read behind it, which would make the soak measure only that.
   */
  relevance: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const number = (name: string, fallback: number): number => {
    const i = argv.indexOf(`--${name}`);
    if (i === -1) return fallback;
    const n = Number(argv[i + 1]);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number, got '${argv[i + 1]}'`);
    return n;
  };
  return { minutes: number("minutes", 5), readers: Math.round(number("readers", 4)), subscribers: Math.round(number("subscribers", 50)), profile: argv.includes("--profile"), relevance: argv.includes("--with-relevance-search") };
}

const RSS_GROWTH_LIMIT = 0.2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const gid = (type: string, pk: number) => Buffer.from(`${type}:${pk}`, "utf8").toString("base64url");

/** What the traffic did, and what went wrong. */
class Tally {
  readonly counts = new Map<string, number>();
  readonly errors: string[] = [];
  errorCount = 0;

  count(kind: string): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
  }

  private readonly latencies: number[] = [];

  /** Notes one request's round trip (ms). */
  latency(ms: number): void {
    this.latencies.push(ms);
  }

  /** p50 / p99 / max of the round trips since the last call, and forgets them. */
  takeLatencies(): string {
    const sorted = this.latencies.splice(0).sort((a, b) => a - b);
    if (sorted.length === 0) return "no requests";
    return `${sorted.length} requests, p50 ${quantile(sorted, 0.5).toFixed(0)} ms, p99 ${quantile(sorted, 0.99).toFixed(0)} ms, max ${sorted[sorted.length - 1]!.toFixed(0)} ms`;
  }

  error(message: string): void {
    this.errorCount++;
    if (this.errors.length < 20) this.errors.push(message);
  }

  line(): string {
    return [...this.counts.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
  }
}

interface World {
  server: Proc;
  token: string;
  tally: Tally;
  rnd: Random;
  slugs: string[];
  /** The dataset's published stories: read, commented on and followed. The editor never touches them, so they stay visible. */
  published: readonly string[];
  institutionIds: string[];
  institutionSlugs: string[];
  personIds: string[];
  relevance: boolean;
  stopping: boolean;
}

/** One request; counts it, and records it as an error unless HTTP 200 without GraphQL errors. */
async function call<T>(world: World, kind: string, query: string, variables: Record<string, unknown> = {}, withToken = false): Promise<T | null> {
  try {
    const result = await postGql<T>(world.server.url, query, variables, withToken ? world.token : undefined);
    world.tally.count(kind);
    world.tally.latency(result.ms);
    if (result.status !== 200 || result.errors || result.data === null) {
      world.tally.error(`${kind}: HTTP ${result.status} ${JSON.stringify(result.errors ?? result.data).slice(0, 300)}`);
      return null;
    }
    return result.data;
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
    world.tally.error(`${kind}: ${error instanceof Error ? error.message : String(error)}${cause}`);
    return null;
  }
}

async function reader(world: World): Promise<void> {
  const { rnd } = world;
  while (!world.stopping) {
    const pick = rnd.int(0, 9);
    if (pick <= 2) {
      await call(world, "read:article", ARTICLE_PAGE, { slug: rnd.pick(world.slugs) });
    } else if (pick === 3) {
      await call(world, "read:front", FRONT_PAGE);
    } else if (pick === 4) {
      const first = await call<{ articles: { pageInfo: { endCursor: string | null } } }>(world, "read:front", FRONT_PAGE_CURSOR);
      const after = first?.articles.pageInfo.endCursor;
      if (after) await call(world, "read:page2", FRONT_PAGE_AFTER, { after });
    } else if (pick === 5) {
      const search = rnd.pick(["lapas pembinaan", "remisi", "warga binaan", "narkoba rehabilitasi", "kunjungan", "bojonegoro"]);
      if (world.relevance && rnd.chance(0.5)) await call(world, "read:search-relevance", SEARCH_RELEVANCE, { search });
      else await call(world, "read:search", SEARCH, { search });
    } else if (pick === 6) {
      await call(world, "read:institution", INSTITUTION, { slug: rnd.pick(world.institutionSlugs) });
    } else if (pick === 7) {
      await call(world, "read:person", PERSON, { id: rnd.pick(world.personIds) });
    } else if (pick === 8) {
      await call(world, "read:comments", COMMENTS, { id: rnd.pick(world.published) });
    } else {
      await call(world, "read:node", NODE, { id: rnd.pick(world.published) });
    }
  }
}

async function editor(world: World): Promise<void> {
  const { rnd } = world;
  for (let n = 0; !world.stopping; n++) {
    const institutions = rnd.sample(world.institutionIds, rnd.int(1, 3));
    const people = rnd.sample(world.personIds, rnd.int(1, 2));
    const title = `Uji ketahanan ${n}: ${rnd.pick(["Lapas", "Rutan", "Bapas"])} ${rnd.pick(["Gelar Pembinaan", "Terima Kunjungan", "Raih Penghargaan", "Perketat Pengamanan"])}`;
    const created = await call<{ createArticle: { id: string } }>(
      world,
      "write:create",
      CREATE_ARTICLE,
      { input: { title, summary: "Ringkasan berita uji ketahanan.", body: storyBody(rnd, "JAKARTA", "Lapas", ["Budi Santoso"], 3000), tags: ["Pemasyarakatan", `Uji ${n % 7}`], institutionIds: institutions, personIds: people } },
      true,
    );
    if (!created) continue;
    const id = created.createArticle.id;
    await call(world, "write:quote", ADD_QUOTE, { input: { articleId: id, speakerId: people[0], institutionId: institutions[0], text: quoteText(rnd), attribution: "ujarnya" } }, true);
    await call(world, "write:update", UPDATE_ARTICLE, { id, input: { summary: `Ringkasan diperbarui ${n}.` } }, true);
    await call(world, "write:publish", PUBLISH, { id }, true);
    await call(world, "write:quote", ADD_QUOTE, { input: { articleId: id, speakerId: people[people.length - 1], text: quoteText(rnd), position: 0 } }, true);
    if (n % 5 === 4) {
      await call(world, "write:unpublish", UNPUBLISH, { id }, true);
      await call(world, "write:delete", DELETE_ARTICLE, { id }, true);
    } else if (n % 3 === 2) {
      await call(world, "write:unpublish", UNPUBLISH, { id }, true);
    }
    if (n % 20 === 19) {
      const person = await call<{ createPerson: { id: string } }>(world, "write:person", CREATE_PERSON, { input: { name: `Narasumber Uji ${n} ${rnd.int(1000, 9999)}` } }, true);
      if (person) world.personIds.push(person.createPerson.id);
    }
    await sleep(100);
  }
}

async function commenter(world: World): Promise<void> {
  const { rnd } = world;
  for (let n = 0; !world.stopping; n++) {
    const articleId = rnd.pick(world.published);
    const posted = await call<{ addComment: { id: string } }>(world, "comment", ADD_COMMENT, {
      input: { articleId, authorName: rnd.pick(["Rina", "Pak Darto", "Bu Wati", "Yusuf"]), authorEmail: `pembaca${n % 100}@example.id`, body: commentBody(rnd) },
    });
    if (posted && rnd.chance(0.3)) {
      await call(world, "comment:reply", ADD_COMMENT, {
        input: { articleId, parentId: posted.addComment.id, authorName: "Andika", authorEmail: "andika@example.id", body: "Setuju dengan komentar di atas." },
      });
    }
    await sleep(20);
  }
}

function liveClient(world: World): Client {
  return createClient({ url: `ws://127.0.0.1:${world.server.port}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
}

/** Subscribes; counts what arrives; records errors (a subscription the server ends is not one). */
function follow(world: World, client: Client, kind: string, query: string, variables: Record<string, unknown>): () => void {
  return client.subscribe(
    { query, variables },
    {
      next: (value) => {
        if (value.errors) world.tally.error(`${kind}: ${JSON.stringify(value.errors).slice(0, 300)}`);
        else world.tally.count(`live:${kind}`);
      },
      error: (error) => {
        if (!world.stopping) world.tally.error(`${kind}: subscription failed: ${error instanceof Error ? error.message : JSON.stringify(error).slice(0, 300)}`);
      },
      complete: () => undefined,
    },
  );
}

/** Subscribe/unsubscribe loops: short-lived sockets with a few subscriptions, some dropped before the socket closes. */
async function churner(world: World): Promise<void> {
  const { rnd } = world;
  while (!world.stopping) {
    const client = liveClient(world);
    const stops = [
      follow(world, client, "churn", ARTICLE_EVENTS, {}),
      follow(world, client, "churn", COMMENT_ADDED, { articleId: rnd.pick(world.published) }),
      follow(world, client, "churn", ARTICLE_PUBLISHED, { filter: { institutionId: rnd.pick(world.institutionIds) } }),
    ];
    world.tally.count("live:churn-cycles");
    await sleep(rnd.int(50, 800));
    // Drop some subscriptions on the open socket, add another, then close the socket.
    stops[rnd.int(0, 2)]!();
    stops.push(follow(world, client, "churn", COMMENT_ADDED, {}));
    await sleep(rnd.int(20, 300));
    for (const stop of stops) stop();
    // dispose() rejects when the socket never got its ack; the subscriptions' error sinks have reported that already.
    await Promise.resolve(client.dispose()).catch(() => undefined);
  }
}

function readPool(file: string): Promise<{ slugs: string[]; published: string[]; institutions: Array<{ id: number; slug: string }>; people: number[] }> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY);
    db.all<{ id: number; slug: string }>(`SELECT id, slug FROM article WHERE status = 'PUBLISHED'`, (e1, articles) => {
      if (e1) return reject(e1);
      db.all<{ id: number; slug: string }>(`SELECT id, slug FROM institution`, (e2, institutions) => {
        if (e2) return reject(e2);
        db.all<{ id: number }>(`SELECT id FROM person`, (e3, people) => {
          db.close();
          if (e3) return reject(e3);
          resolve({ slugs: articles.map((a) => a.slug), published: articles.map((a) => gid("Article", a.id)), institutions, people: people.map((p) => p.id) });
        });
      });
    });
  });
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const log = (line: string) => console.log(line);
  const hardStop = setTimeout(() => {
    console.error("soak: hard stop (ran 2 minutes over); exiting");
    process.exit(1);
  }, (options.minutes + 2) * 60_000);
  hardStop.unref();
  await ensureDataset(log);
  const dir = path.join(BENCH_DIR, "soak");
  fs.rmSync(dir, { recursive: true, force: true });
  const file = copyDataset(path.join(dir, "soak.sqlite"));
  const pool = await readPool(file);
  const token = await mintToken(file, "EDITOR", "soak");
  const profileFile = path.join(BENCH_DIR, "profiles", "soak.cpuprofile");
  const profileArgs = options.profile ? ["--cpu-prof", `--cpu-prof-dir=${path.dirname(profileFile)}`, `--cpu-prof-name=${path.basename(profileFile)}`] : [];
  const server = await startServer(file, { COMMENT_RATE_LIMIT: "1000000", COMMENT_ADDRESS_RATE_LIMIT: "1000000", AUTO_APPROVE_COMMENTS: "true" }, profileArgs);
  log(`soak: ${options.minutes} min against server pid ${server.pid} (${server.url}); ${options.readers} readers, 1 editor, 2 commenters, ${options.subscribers} long-lived subscribers, 1 churner`);
  const tally = new Tally();
  const world: World = {
    server,
    token,
    tally,
    rnd: new Random(7),
    slugs: pool.slugs,
    published: pool.published,
    institutionIds: pool.institutions.map((i) => gid("Institution", i.id)),
    institutionSlugs: pool.institutions.map((i) => i.slug),
    personIds: pool.people.map((p) => gid("Person", p)),
    relevance: options.relevance,
    stopping: false,
  };
  const subscribers: Client[] = [];
  for (let i = 0; i < options.subscribers; i++) {
    const client = liveClient(world);
    follow(world, client, "events", ARTICLE_EVENTS, {});
    follow(world, client, "comments", COMMENT_ADDED, {});
    subscribers.push(client);
  }
  const samples: Array<{ minute: number; rss: number }> = [{ minute: 0, rss: server.rss() }];
  log(`  0:00  RSS ${mb(samples[0]!.rss)}`);
  const workers = [
    ...Array.from({ length: options.readers }, () => reader(world)),
    editor(world),
    commenter(world),
    commenter(world),
    churner(world),
  ];
  for (let minute = 1; minute <= options.minutes; minute++) {
    await sleep(60_000);
    const rss = server.rss();
    samples.push({ minute, rss });
    const growth = minute > 1 ? ` (${((rss / samples[1]!.rss - 1) * 100).toFixed(1)} % since 1:00)` : "";
    log(`  ${minute}:00  RSS ${mb(rss)}${growth}; errors ${tally.errorCount}; HTTP ${tally.takeLatencies()}`);
    log(`        ${tally.line()}`);
    if (!Number.isFinite(rss)) {
      tally.error("the server process is gone");
      break;
    }
  }
  world.stopping = true;
  await Promise.all(workers);
  for (const client of subscribers) await Promise.resolve(client.dispose()).catch(() => undefined);
  const peakEver = server.peakRss();
  const ended = await server.stop();
  const first = samples[1]?.rss ?? Number.NaN;
  const last = samples[samples.length - 1]!.rss;
  const peak = Math.max(...samples.slice(1).map((s) => s.rss));
  const failures: string[] = [];
  if (tally.errorCount > 0) failures.push(`${tally.errorCount} requests or subscriptions erred, e.g.:\n    ${tally.errors.slice(0, 10).join("\n    ")}`);
  if (options.minutes >= 2 && last > first * (1 + RSS_GROWTH_LIMIT)) failures.push(`RSS grew ${((last / first - 1) * 100).toFixed(1)} % after the first minute (${mb(first)} → ${mb(last)}), more than ${RSS_GROWTH_LIMIT * 100} %`);
  if ((tally.counts.get("live:events") ?? 0) === 0) failures.push("the long-lived subscribers received no events at all");
  log("");
  log(`soak summary: RSS after 1 min ${mb(first)}, at the end ${mb(last)} (${((last / first - 1) * 100).toFixed(1)} %), peak sample ${mb(peak)}, peak ever (VmHWM) ${mb(peakEver)}`);
  log(`  traffic: ${tally.line()}`);
  log(`  on SIGTERM the server ${ended === 0 ? "exited 0" : `ended with ${String(ended)}`}`);
  if (options.minutes < 2) log("  (under 2 minutes there is nothing after the first minute to compare; the RSS check needs --minutes 2 or more)");
  fs.rmSync(dir, { recursive: true, force: true });
  if (options.profile && fs.existsSync(profileFile)) log(summaryMarkdown(`Server profile (${path.relative(ROOT, profileFile)})`, summarizeFile(profileFile, 25)));
  if (failures.length > 0) {
    log(`SOAK FAILED:\n  ${failures.join("\n  ")}`);
    return 1;
  }
  log(`soak passed (${path.relative(ROOT, dir)} removed)`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

const ARTICLE_PAGE = `query ArticlePage($slug: String!) {
  article(slug: $slug) { id title body publishedAt tags { name } institutions { name slug } people { name } quotes { text attribution speaker { name } institution { shortName } } commentCount }
}`;
const FRONT_PAGE = `query FrontPage { articles(first: 20) { nodes { id slug title summary publishedAt institutions { name } } } }`;
const FRONT_PAGE_CURSOR = `query FrontPageCursor { articles(first: 20) { pageInfo { endCursor hasNextPage } nodes { id } } }`;
const FRONT_PAGE_AFTER = `query FrontPageAfter($after: String!) { articles(first: 20, after: $after) { nodes { id slug title publishedAt } } }`;
const SEARCH = `query Search($search: String!) { articles(first: 10, filter: { search: $search }) { nodes { id title publishedAt } } }`;
const SEARCH_RELEVANCE = `query SearchRelevance($search: String!) { articles(first: 10, filter: { search: $search }, orderBy: RELEVANCE) { nodes { id title } } }`;
const INSTITUTION = `query Institution($slug: String!) {
  institution(slug: $slug) { name classification parent { name } accreditations { code year } positions { title person { name } } articles(first: 5) { nodes { title publishedAt } } }
}`;
const PERSON = `query Person($id: ID!) { node(id: $id) { ... on Person { name positions { title institution { shortName } } quotes(first: 5) { nodes { text article { title } } } } } }`;
const COMMENTS = `query Comments($id: ID!) { node(id: $id) { ... on Article { title comments(first: 20) { totalCount nodes { authorName body createdAt replies { body } } } } } }`;
const NODE = `query Node($id: ID!) { node(id: $id) { id ... on Article { title status } } }`;

const CREATE_ARTICLE = `mutation Create($input: CreateArticleInput!) { createArticle(input: $input) { id slug status } }`;
const UPDATE_ARTICLE = `mutation Update($id: ID!, $input: UpdateArticleInput!) { updateArticle(id: $id, input: $input) { id updatedAt } }`;
const PUBLISH = `mutation Publish($id: ID!) { publishArticle(id: $id) { id status publishedAt } }`;
const UNPUBLISH = `mutation Unpublish($id: ID!) { unpublishArticle(id: $id) { id status } }`;
const DELETE_ARTICLE = `mutation Delete($id: ID!) { deleteArticle(id: $id) }`;
const ADD_QUOTE = `mutation AddQuote($input: AddQuoteInput!) { addQuote(input: $input) { id position } }`;
const CREATE_PERSON = `mutation CreatePerson($input: CreatePersonInput!) { createPerson(input: $input) { id slug } }`;
const ADD_COMMENT = `mutation AddComment($input: AddCommentInput!) { addComment(input: $input) { id status } }`;

const ARTICLE_EVENTS = `subscription Events { articleEvents { cursor type article { id title publishedAt institutions { name } } } }`;
const ARTICLE_PUBLISHED = `subscription Published($filter: ArticleSubscriptionFilter) { articlePublished(filter: $filter) { cursor article { id slug title } } }`;
const COMMENT_ADDED = `subscription Comments($articleId: ID) { commentAdded(articleId: $articleId) { cursor comment { authorName body createdAt } } }`;
