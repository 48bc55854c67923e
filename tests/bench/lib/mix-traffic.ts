import { createHash } from "node:crypto";
import http from "node:http";
import { mustGql, postGql } from "./gql";
import { Q2_FRONT_PAGE } from "./queries";
import { quantile, Random } from "./random";
import { StaleReadChecker } from "./stale-reads";
import { clockNow, inlineTickers, workerTickers } from "./ticker-host";
import type { TickerPool } from "./ticker-host";
import { CITIES, FIRST_NAMES, LAST_NAMES, TAGS } from "./text";
import { ZipfPicker } from "./zipf";

/*
 * A newsroom's traffic against one server (`npm run bench -- --mix`, tests/bench/mix.ts): the
 * reads of its readers offered at a fixed rate with Poisson arrivals (open loop: a request's
 * latency runs from when it was due, so a server that falls behind is charged for the queue),
 * an editor publishing or editing every 2 s, a reader's comment every second, and ticker
 * subscribers on graphql-ws. Every piece here is also exercised briefly by
 * tests/bench/mix-pieces.spec.ts against a test server.
 */

/** Where the traffic goes: the GraphQL URL and its port (the WebSocket and /metrics are on the same port). */
export interface MixTarget {
  url: string;
  port: number;
  /** CPU the server has used so far, in ms, when it is a process of its own. */
  cpuMs?: () => number;
}

/** What the traffic reads: the stories in Zipf rank order (the most read first), tag and institution slugs. */
export interface Catalog {
  stories: ReadonlyArray<{ id: string; slug: string; summary: string | null }>;
  /** Tags by name (as an editor types them) and slug (as a tag page asks for them). */
  tags: ReadonlyArray<{ name: string; slug: string }>;
  institutions: readonly string[];
}

/** The story page a reader's browser asks for: the story, its facts and the first approved comments. */
export const STORY_PAGE = `query StoryPage($slug: String!) {
  article(slug: $slug) { id title summary body publishedAt updatedAt tags { name slug } institutions { name slug } quotes { text speaker { name } } commentCount comments(first: 10) { nodes { authorName body createdAt } } }
}`;
export const TAG_PAGE = `query TagPage($tag: String!) {
  articles(first: 20, filter: { tag: $tag }) { nodes { id slug title summary publishedAt } }
}`;
export const INSTITUTION_PAGE = `query InstitutionPage($slug: String!) {
  institution(slug: $slug) { name shortName kind city accreditations { code title year } positions { title person { name } } articles(first: 10) { nodes { slug title publishedAt } } }
}`;
export const SEARCH_PAGE = `query Search($q: String!) {
  articles(first: 10, filter: { search: $q }, orderBy: RELEVANCE) { nodes { slug title summary publishedAt } }
}`;
const CREATE_DRAFT = `mutation Draft($input: CreateArticleInput!) { createArticle(input: $input) { id slug status } }`;
const PUBLISH = `mutation Publish($id: ID!) { publishArticle(id: $id) { id status publishedAt } }`;
const EDIT = `mutation Edit($id: ID!, $input: UpdateArticleInput!) { updateArticle(id: $id, input: $input) { id summary updatedAt } }`;
const COMMENT = `mutation Comment($input: AddCommentInput!) { addComment(input: $input) { id status } }`;

const OPERATIONS = { StoryPage: STORY_PAGE, FrontPage: Q2_FRONT_PAGE, TagPage: TAG_PAGE, InstitutionPage: INSTITUTION_PAGE, Search: SEARCH_PAGE } as const;
type Operation = keyof typeof OPERATIONS;
const HASHES = Object.fromEntries(Object.entries(OPERATIONS).map(([name, text]) => [name, createHash("sha256").update(text).digest("hex")])) as Record<Operation, string>;

/** Shares of the reads: story pages, the front page, tag pages, institution pages, searches (1 %). */
export const READ_MIX: ReadonlyArray<readonly [Operation, number]> = [
  ["StoryPage", 0.74],
  ["FrontPage", 0.13],
  ["TagPage", 0.06],
  ["InstitutionPage", 0.06],
  ["Search", 0.01],
];
/**
 * How each read is spelled, as the clients of docs/clients.md send them: a POST with the text
 * (Apollo Client's default), a GET with the text in the URL (urql, a CDN-friendly Apollo setup)
 * and Apollo's automatic persisted query as a GET carrying the hash alone
 * (`createPersistedQueryLink({ useGETForHashedQueries: true })`).
 */
export const FORMS: ReadonlyArray<readonly ["POST" | "GET" | "APQ", number]> = [
  ["POST", 0.4],
  ["GET", 0.3],
  ["APQ", 0.3],
];
/** How long after a publish or edit was sent a read counts as "near a write" (its fan-out and invalidation). */
export const WRITE_SHADOW_MS = 500;
/** The stories the editor revises: the most read ones, where a stale page would be seen most. */
export const EDITED_STORIES = 10;
/** The summary's revision mark, which the story page's reads are checked against. */
const REVISION = / \[rev (\d+)\]$/;

/** The words unique search terms are made of (names, places, topics of the dataset). */
const SEARCH_WORDS = [...new Set([...FIRST_NAMES, ...LAST_NAMES, ...CITIES.map(([city]) => city), ...TAGS.flatMap((t) => t.split(" "))].map((w) => w.toLowerCase()).filter((w) => w.length >= 4))];

/** Search texts never asked before in this process: a word and the prefix of another (every search is a miss, as most real ones are). */
export class UniqueTerms {
  private readonly seen = new Set<string>();
  constructor(private readonly random: Random) {}

  next(): string {
    for (;;) {
      const a = this.random.pick(SEARCH_WORDS);
      const b = this.random.pick(SEARCH_WORDS);
      const extra = this.seen.size > SEARCH_WORDS.length * SEARCH_WORDS.length ? ` ${this.random.pick(SEARCH_WORDS).slice(0, 3)}` : "";
      const term = `${a} ${b.slice(0, this.random.int(3, b.length))}${extra}`;
      if (!this.seen.has(term)) {
        this.seen.add(term);
        return term;
      }
    }
  }
}

function pickShare<T>(random: Random, shares: ReadonlyArray<readonly [T, number]>): T {
  let u = random.next();
  for (const [item, share] of shares) if ((u -= share) < 0) return item;
  return shares[shares.length - 1]![0];
}

/** One write the editor made, and when each subscriber received its event (ms after the mutation was sent). */
interface Write {
  kind: "PUBLISHED" | "UPDATED";
  id: string;
  /** performance.now() when its mutation was sent, and the same instant on the clock shared with the subscribers' thread. */
  sentAt: number;
  sentAtClock: number;
  step: number;
  receipts: number[];
}

/** What one step of load measured. */
export interface StepResult {
  step: number;
  /** Offered reads per second. */
  rate: number;
  seconds: number;
  /** Reads due in the measured part of the step, and how many were answered. */
  offered: number;
  answered: number;
  /** Reads not sent because too many were outstanding (the server had fallen far behind). */
  shed: number;
  achievedPerSec: number;
  /** Latency from when each read was due to its last byte, ms. */
  p50: number;
  p99: number;
  max: number;
  /** p99 of the reads due within {@link WRITE_SHADOW_MS} after a publish or edit was sent, and of the others. */
  p99NearWrites: number;
  p99AwayFromWrites: number;
  /** p99 of how late the driver sent a read after it was due (its own share of the latency on a busy machine). */
  dispatchP99: number;
  /** Reads answered other than 200 without errors, or that failed on the socket; the first few described. */
  errors: number;
  errorExamples: string[];
  byOperation: Record<string, { count: number; p99: number }>;
  /** Response-cache hits and misses in the server's metrics over the measured part. */
  hits: number;
  misses: number;
  writes: number;
  /** The editor's mutations that failed (the bench fails on any). */
  writeErrors: string[];
  comments: number;
  commentErrors: string[];
  staleChecked: number;
  stale: number;
  serverCpu: number;
  driverCpu: number;
  passed: boolean;
}

/** Whether a step kept up: p99 under the bound, at least 97 % of the offered reads answered in time, none failed. */
export function stepPassed(step: Pick<StepResult, "p99" | "answered" | "offered" | "errors" | "shed">, p99BoundMs: number): boolean {
  return step.p99 < p99BoundMs && step.errors === 0 && step.shed === 0 && step.answered >= 0.97 * step.offered;
}

/** The response-cache counters (and the push-lag histogram) from the server's /metrics. */
export async function readMetrics(target: MixTarget): Promise<{ hits: number; misses: number; pushLag: Array<[number, number]> }> {
  const text = await (await fetch(`http://127.0.0.1:${target.port}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? Number.NaN);
  const pushLag = [...text.matchAll(/^live_event_push_lag_seconds_bucket\{le="([^"]+)"\} (\S+)$/gm)].map((m) => [m[1] === "+Inf" ? Number.POSITIVE_INFINITY : Number(m[1]), Number(m[2])] as [number, number]);
  return { hits: value("response_cache_hits_total"), misses: value("response_cache_misses_total"), pushLag };
}

/** The upper bound (seconds) of the histogram bucket holding quantile `q`, from cumulative buckets. */
export function histogramQuantile(buckets: ReadonlyArray<[number, number]>, q: number): number {
  const total = buckets[buckets.length - 1]?.[1] ?? 0;
  if (total === 0) return Number.NaN;
  return buckets.find(([, count]) => count >= q * total)?.[0] ?? Number.NaN;
}

export interface LaneOptions {
  subscribers: number;
  /** Keep-alive connections the readers share (more reads wait in line for one). */
  sockets: number;
  /** ms between the editor's writes (a publish and an edit in turn). */
  writeEveryMs: number;
  commentEveryMs: number;
  /** Reads outstanding past which new ones are shed (counted, and the step fails). */
  maxOutstanding: number;
  seed: number;
  /** Where the subscribers run: a worker thread (so their bursts do not delay this thread's timing of reads), or this thread. */
  tickers: "worker" | "inline";
}

export const DEFAULT_LANE: LaneOptions = { subscribers: 2000, sockets: 64, writeEveryMs: 2000, commentEveryMs: 1000, maxOutstanding: 4000, seed: 21, tickers: "worker" };

/**
 * The traffic of one server. `prepare` writes the drafts to publish, registers the persisted
 * queries and connects the subscribers; each `step` then offers reads at a rate for a while with
 * the editor and the commenter at work; `close` lets everything go.
 */
export class MixLane {
  readonly checker = new StaleReadChecker();
  readonly writes: Write[] = [];
  private readonly random: Random;
  private readonly zipf: ZipfPicker;
  private readonly terms: UniqueTerms;
  private readonly agent: http.Agent;
  private drafts: Array<{ id: string; tag: string }> = [];
  private published = 0;
  private edits = 0;
  private readonly revisions = new Map<string, number>();
  /** Bench-published stories by id: their publish number (the front page's and their tag page's version). */
  private readonly publishIndex = new Map<string, { index: number; tag: string }>();
  private tickers: TickerPool | null = null;
  /** Subscribers acknowledged (they stay counted after close, for the report). */
  private subscribed = 0;
  private stepNumber = 0;
  private outstanding = 0;

  constructor(
    readonly label: string,
    readonly target: MixTarget,
    private readonly token: string,
    private readonly catalog: Catalog,
    readonly options: LaneOptions = DEFAULT_LANE,
  ) {
    this.random = new Random(options.seed);
    this.zipf = new ZipfPicker(catalog.stories.length, 1, options.seed);
    this.terms = new UniqueTerms(new Random(options.seed + 1));
    this.agent = new http.Agent({ keepAlive: true, maxSockets: options.sockets });
  }

  /** `drafts` drafts to publish, the persisted queries registered, the subscribers connected and subscribed. */
  async prepare(drafts: number, log: (line: string) => void = () => undefined): Promise<void> {
    const made: Array<{ id: string; tag: string }> = [];
    for (let i = 0; i < drafts; i++) {
      const tag = this.catalog.tags[i % this.catalog.tags.length]!;
      const title = `Kabar terkini ${this.label} ${i} ${Date.now()}`;
      const data = await mustGql<{ createArticle: { id: string } }>(
        this.target.url,
        CREATE_DRAFT,
        { input: { title, summary: "Berita uji lalu lintas redaksi.", body: `${title}.\n\nParagraf kedua berita uji lalu lintas redaksi.`, tags: [tag.name] } },
        this.token,
      );
      made.push({ id: data.createArticle.id, tag: tag.slug });
    }
    this.drafts = made;
    // Apollo's link sends the text along with the hash once, after the server answered PERSISTED_QUERY_NOT_FOUND.
    for (const [name, text] of Object.entries(OPERATIONS)) {
      const result = await fetch(this.target.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ operationName: name, query: text, variables: this.variablesFor(name as Operation), extensions: { persistedQuery: { version: 1, sha256Hash: HASHES[name as Operation] } } }) });
      const body = (await result.json()) as { errors?: unknown };
      if (result.status !== 200 || body.errors) throw new Error(`registering the persisted ${name} failed (HTTP ${result.status}): ${JSON.stringify(body.errors).slice(0, 300)}`);
    }
    const started = performance.now();
    const url = `ws://127.0.0.1:${this.target.port}/graphql`;
    this.tickers = this.options.tickers === "worker" ? await workerTickers(url, this.options.subscribers) : await inlineTickers(url, this.options.subscribers);
    this.subscribed = this.tickers.subscribed;
    log(`  ${this.label}: ${drafts} drafts written, ${this.options.subscribers} ticker subscribers connected in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    // The server sends no ack for a subscribe: give it time to take the last ones in.
    await new Promise((r) => setTimeout(r, 500 + this.options.subscribers / 4));
  }

  private variablesFor(operation: Operation): Record<string, unknown> {
    switch (operation) {
      case "StoryPage":
        return { slug: this.catalog.stories[this.zipf.next()]!.slug };
      case "FrontPage":
        return {};
      case "TagPage":
        return { tag: this.random.pick(this.catalog.tags).slug };
      case "InstitutionPage":
        return { slug: this.random.pick(this.catalog.institutions) };
      case "Search":
        return { q: this.terms.next() };
    }
  }

  /** The request of one read, as its client spells it. */
  private spell(operation: Operation, variables: Record<string, unknown>): { method: "GET" | "POST"; path: string; body?: string } {
    const form = pickShare(this.random, FORMS);
    const base = new URL(this.target.url).pathname;
    if (form === "POST") return { method: "POST", path: base, body: JSON.stringify({ operationName: operation, query: OPERATIONS[operation], variables }) };
    const params = new URLSearchParams({ operationName: operation, variables: JSON.stringify(variables) });
    if (form === "GET") params.set("query", OPERATIONS[operation]);
    else params.set("extensions", JSON.stringify({ persistedQuery: { version: 1, sha256Hash: HASHES[operation] } }));
    return { method: "GET", path: `${base}?${params.toString()}` };
  }

  /** Checks one answer: no errors and, for the pages a write changed, the write shown. Returns an error text or null. */
  private checkAnswer(operation: Operation, variables: Record<string, unknown>, text: string, sentAt: number): string | null {
    const watched =
      operation === "FrontPage" || (operation === "TagPage" && this.publishIndex.size > 0) || (operation === "StoryPage" && this.revisions.has(variables.slug as string));
    if (!watched) {
      // Parsing every 5 KB story page would cost the driver more CPU than the check is worth: an error answer starts with its list.
      return text.startsWith('{"data"') && !text.includes('"errors":[') ? null : text.slice(0, 300);
    }
    const answer = JSON.parse(text) as { data?: Record<string, unknown>; errors?: unknown };
    if (answer.errors || !answer.data) return JSON.stringify(answer.errors ?? answer).slice(0, 300);
    if (operation === "StoryPage") {
      const article = answer.data.article as { summary: string | null } | null;
      const shown = Number(REVISION.exec(article?.summary ?? "")?.[1] ?? 0);
      this.checker.read(`story ${String(variables.slug)}`, shown, sentAt);
      return null;
    }
    const nodes = (answer.data.articles as { nodes: Array<{ id: string }> }).nodes;
    const newest = Math.max(-1, ...nodes.map((n) => this.publishIndex.get(n.id)?.index ?? -1));
    this.checker.read(operation === "FrontPage" ? "the front page" : `tag page ${String(variables.tag)}`, newest, sentAt);
    return null;
  }

  /** One read, due at `dueAt`; resolves with its latency from then (or an error). */
  private read(dueAt: number, onDone: (operation: Operation, ms: number, error: string | null, dispatchMs: number) => void): void {
    const operation = pickShare(this.random, READ_MIX);
    const variables = this.variablesFor(operation);
    const request = this.spell(operation, variables);
    const sentAt = performance.now();
    this.outstanding++;
    let finished = false;
    const finish = (error: string | null) => {
      if (finished) return;
      finished = true;
      this.outstanding--;
      onDone(operation, performance.now() - dueAt, error, sentAt - dueAt);
    };
    const req = http.request(
      {
        agent: this.agent,
        host: "127.0.0.1",
        port: this.target.port,
        path: request.path,
        method: request.method,
        headers: request.body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json", "content-length": Buffer.byteLength(request.body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let error: string | null;
          try {
            error = res.statusCode === 200 ? this.checkAnswer(operation, variables, text, sentAt) : `HTTP ${res.statusCode}: ${text.slice(0, 200)}`;
          } catch (thrown) {
            error = `unreadable answer: ${String(thrown)}: ${text.slice(0, 200)}`;
          }
          finish(error === null ? null : `${operation}: ${error}`);
        });
        res.on("error", (e) => finish(`${operation}: ${String(e)}`));
      },
    );
    req.on("error", (e) => finish(`${operation}: ${String(e)}`));
    req.end(request.body);
  }

  /** The editor's next write: a publish and an edit in turn (edits alone once the drafts run out). */
  private async write(): Promise<void> {
    const publishing = this.published < this.drafts.length && (this.published + this.edits) % 2 === 0;
    const sentAt = performance.now();
    if (publishing) {
      const draft = this.drafts[this.published]!;
      const index = this.published++;
      const record: Write = { kind: "PUBLISHED", id: draft.id, sentAt, sentAtClock: clockNow(), step: this.stepNumber, receipts: [] };
      this.track(record);
      await mustGql(this.target.url, PUBLISH, { id: draft.id }, this.token);
      const answeredAt = performance.now();
      this.publishIndex.set(draft.id, { index, tag: draft.tag });
      this.checker.answered("the front page", index, answeredAt);
      this.checker.answered(`tag page ${draft.tag}`, index, answeredAt);
      return;
    }
    const story = this.catalog.stories[this.edits++ % Math.min(EDITED_STORIES, this.catalog.stories.length)]!;
    const revision = (this.revisions.get(story.slug) ?? 0) + 1;
    const record: Write = { kind: "UPDATED", id: story.id, sentAt, sentAtClock: clockNow(), step: this.stepNumber, receipts: [] };
    this.track(record);
    await mustGql(this.target.url, EDIT, { id: story.id, input: { summary: `${(story.summary ?? "Ringkasan").replace(REVISION, "")} [rev ${revision}]` } }, this.token);
    this.revisions.set(story.slug, revision);
    this.checker.answered(`story ${story.slug}`, revision, performance.now());
  }

  private track(write: Write): void {
    this.writes.push(write);
  }

  /**
   * A site that has been up a while: the `stories` most read story pages, every tag and
   * institution page and the front page, each asked twice (the cache admits an answer on its
   * second request), `concurrency` at a time. Without it the first minutes would measure a cold
   * cache, not what the tags keep.
   */
  async prime(stories: number, concurrency = 8): Promise<void> {
    const bodies: string[] = [];
    const body = (operation: Operation, variables: Record<string, unknown>) => JSON.stringify({ operationName: operation, query: OPERATIONS[operation], variables });
    for (const story of this.catalog.stories.slice(0, stories)) bodies.push(body("StoryPage", { slug: story.slug }));
    for (const tag of this.catalog.tags) bodies.push(body("TagPage", { tag: tag.slug }));
    for (const slug of this.catalog.institutions) bodies.push(body("InstitutionPage", { slug }));
    bodies.push(body("FrontPage", {}));
    const twice = [...bodies, ...bodies];
    let next = 0;
    const send = async () => {
      while (next < twice.length) {
        const response = await fetch(this.target.url, { method: "POST", headers: { "content-type": "application/json" }, body: twice[next++]! });
        const text = await response.text();
        if (response.status !== 200 || text.includes('"errors":[')) throw new Error(`priming: HTTP ${response.status}: ${text.slice(0, 300)}`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, send));
  }

  /** Errors the subscriptions reported. */
  get tickerErrors(): readonly string[] {
    return this.tickers?.errors ?? [];
  }

  /**
   * Gives every write its receipts: the arrivals of its event (`TYPE:id`) from when its mutation
   * was sent until the next write of the same event was (an edited story is edited again later).
   */
  async collectReceipts(): Promise<void> {
    if (!this.tickers) return;
    const arrivals = await this.tickers.arrivals();
    const byKey = new Map<string, Write[]>();
    for (const write of this.writes) {
      const key = `${write.kind}:${write.id}`;
      let list = byKey.get(key);
      if (!list) byKey.set(key, (list = []));
      list.push(write);
    }
    for (const [key, writes] of byKey) {
      const times = arrivals.get(key) ?? [];
      writes.forEach((write, i) => {
        const until = writes[i + 1]?.sentAtClock ?? Number.POSITIVE_INFINITY;
        write.receipts = times.filter((at) => at >= write.sentAtClock && at < until).map((at) => at - write.sentAtClock);
      });
    }
  }

  /** A reader's comment on a story picked as reads are (anonymous: it waits for moderation as PENDING). */
  private async comment(n: number): Promise<string | null> {
    const story = this.catalog.stories[this.zipf.next()]!;
    const result = await postGql<{ addComment: { status: string } }>(this.target.url, COMMENT, {
      input: { articleId: story.id, authorName: `Pembaca ${n}`, authorEmail: `pembaca${n}@contoh.id`, body: `Terima kasih atas beritanya, semoga pembinaan terus berjalan baik (${n}).` },
    });
    if (result.status !== 200 || result.errors || !result.data) return `HTTP ${result.status}: ${JSON.stringify(result.errors).slice(0, 200)}`;
    return result.data.addComment.status === "PENDING" ? null : `a reader's comment was ${result.data.addComment.status}, not PENDING`;
  }

  /**
   * Offers reads at `rate` per second for `warmupSeconds` (not counted) and then `seconds`, with
   * the writer and the commenter at work, then waits for the last reads to end.
   */
  async step(rate: number, seconds: number, warmupSeconds: number, p99BoundMs = 100): Promise<StepResult> {
    const step = ++this.stepNumber;
    const latencies: number[] = [];
    /** How late this driver sent each read (its own lag on a busy machine), and each read's due time with its latency. */
    const dispatch: number[] = [];
    const timeline: Array<[number, number]> = [];
    const perOperation = new Map<string, number[]>();
    const errorExamples: string[] = [];
    let errors = 0;
    let shed = 0;
    let offered = 0;
    const staleBefore = { checked: this.checker.checked, violations: this.checker.violations };
    const writesBefore = this.writes.length;
    let comments = 0;
    const commentErrors: string[] = [];

    const startedAt = performance.now();
    const measureFrom = startedAt + warmupSeconds * 1000;
    const endAt = measureFrom + seconds * 1000;
    // In an object: TypeScript does not see the assignment inside the timer's callback.
    const before: { metrics: Awaited<ReturnType<typeof readMetrics>> | null } = { metrics: null };
    let cpuBefore = 0;
    let driverBefore: NodeJS.CpuUsage = process.cpuUsage();
    const arrivals = new Random(this.options.seed * 1000 + step);
    let nextDue = startedAt;
    const tasks: Array<Promise<unknown>> = [];

    // The editor and the commenter, each on its own clock for the whole step.
    const everyMs = async (intervalMs: number, act: (n: number) => Promise<void>) => {
      for (let n = 0; ; n++) {
        const due = startedAt + n * intervalMs;
        if (due >= endAt) return;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        await act(n);
      }
    };
    // Caught here: a failure must not surface as an unhandled rejection before the step awaits them.
    const writeErrors: string[] = [];
    tasks.push(everyMs(this.options.writeEveryMs, () => this.write()).catch((error: unknown) => void writeErrors.push(String(error).slice(0, 500))));
    tasks.push(
      everyMs(this.options.commentEveryMs, async (n) => {
        const error = await this.comment(step * 100_000 + n);
        comments++;
        if (error) commentErrors.push(error);
      }).catch((error: unknown) => void commentErrors.push(String(error).slice(0, 500))),
    );

    let metering: Promise<void> | null = null;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        if (before.metrics === null && metering === null && now >= measureFrom) {
          cpuBefore = this.target.cpuMs?.() ?? Number.NaN;
          driverBefore = process.cpuUsage();
          metering = readMetrics(this.target).then((m) => void (before.metrics = m));
        }
        while (nextDue <= now && nextDue < endAt) {
          const due = nextDue;
          // Poisson arrivals: exponential gaps with mean 1/rate.
          nextDue += (-Math.log(1 - arrivals.next()) / rate) * 1000;
          const counted = due >= measureFrom;
          if (counted) offered++;
          if (this.outstanding >= this.options.maxOutstanding) {
            if (counted) shed++;
            continue;
          }
          this.read(due, (operation, ms, error, dispatchMs) => {
            if (!counted) return;
            if (error !== null) {
              errors++;
              if (errorExamples.length < 3) errorExamples.push(error);
              return;
            }
            latencies.push(ms);
            dispatch.push(dispatchMs);
            timeline.push([due, ms]);
            let list = perOperation.get(operation);
            if (!list) perOperation.set(operation, (list = []));
            list.push(ms);
          });
        }
        if (nextDue >= endAt) resolve();
        else setTimeout(tick, 1);
      };
      tick();
    });
    const driver = process.cpuUsage(driverBefore);
    const cpuAfter = this.target.cpuMs?.() ?? Number.NaN;
    const measuredMs = performance.now() - measureFrom;
    await metering;
    const metricsAfter = await readMetrics(this.target);
    // The last reads, the last write and the last comment.
    const drainUntil = performance.now() + 15_000;
    while (this.outstanding > 0 && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 5));
    await Promise.all(tasks);
    const sorted = latencies.sort((a, b) => a - b);
    const answered = sorted.length;
    // Reads due in the half second after one of the editor's mutations was sent (its fan-out to every subscriber) against the rest.
    const writeTimes = this.writes.slice(writesBefore).map((w) => w.sentAt);
    const nearWrite = (due: number) => writeTimes.some((at) => due >= at && due < at + WRITE_SHADOW_MS);
    const away = timeline.filter(([due]) => !nearWrite(due)).map(([, ms]) => ms).sort((a, b) => a - b);
    const near = timeline.filter(([due]) => nearWrite(due)).map(([, ms]) => ms).sort((a, b) => a - b);
    const byOperation = Object.fromEntries(
      [...perOperation].map(([name, list]) => {
        list.sort((a, b) => a - b);
        return [name, { count: list.length, p99: quantile(list, 0.99) }];
      }),
    );
    const result: StepResult = {
      step,
      rate,
      seconds,
      offered,
      answered,
      shed,
      achievedPerSec: answered / (seconds || 1),
      p50: quantile(sorted, 0.5),
      p99: quantile(sorted, 0.99),
      max: sorted[sorted.length - 1] ?? Number.NaN,
      p99NearWrites: quantile(near, 0.99),
      p99AwayFromWrites: quantile(away, 0.99),
      dispatchP99: quantile(dispatch.sort((a, b) => a - b), 0.99),
      errors,
      errorExamples,
      byOperation,
      hits: metricsAfter.hits - (before.metrics?.hits ?? Number.NaN),
      misses: metricsAfter.misses - (before.metrics?.misses ?? Number.NaN),
      writes: this.writes.length - writesBefore,
      writeErrors,
      comments,
      commentErrors,
      staleChecked: this.checker.checked - staleBefore.checked,
      stale: this.checker.violations - staleBefore.violations,
      serverCpu: ((cpuAfter - cpuBefore) / measuredMs) * 100,
      driverCpu: ((driver.user + driver.system) / 1000 / measuredMs) * 100,
      passed: false,
    };
    result.passed = stepPassed(result, p99BoundMs);
    return result;
  }

  /** Every subscriber's receipt of every write (ms from the mutation sent; after {@link collectReceipts}), of the steps `steps` (all when left out), and how many there should be. */
  receipts(steps?: ReadonlySet<number>): { latencies: number[]; expected: number } {
    const writes = this.writes.filter((w) => !steps || steps.has(w.step));
    return { latencies: writes.flatMap((w) => w.receipts).sort((a, b) => a - b), expected: writes.length * this.subscribed };
  }

  async close(): Promise<void> {
    this.agent.destroy();
    await this.tickers?.close();
    this.tickers = null;
  }
}
