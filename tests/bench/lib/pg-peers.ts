import fs from "node:fs";
import { canonicalJson, mustGql } from "./gql";
import { runLoad } from "./load";
import type { LoadResult } from "./load";
import { distFile } from "./paths";
import { startProcess } from "./proc";
import type { Proc } from "./proc";
import { normalizeFrontPage, q1Body, q2Body, Q1_ARTICLE_PAGE, Q2_FRONT_PAGE } from "./queries";

/*
 * The peers `bench --postgres` measures beside the server, on the run's PostgreSQL database:
 * a bare ceiling on node-postgres (../ceiling-pg.ts: JSON built in SQL, prepared statements) and
 * PostGraphile 4 (../postgraphile-peer.ts) serving the same tables. Each must give the server's
 * answers (normalised where PostGraphile's schema spells them differently) before its speed
 * counts. bench.ts calls runPostgresPeers with its own measure and adds peersTable's rows.
 */

/** Q1 in PostGraphile's schema: the same story, institutions in the story's order, quotes with speakers. */
const PG_Q1 = `query ArticlePage($slug: String!) {
  articleBySlug(slug: $slug) {
    title body publishedAt
    articleInstitutionsByArticleId(orderBy: [POSITION_ASC, INSTITUTION_ID_ASC]) { nodes { institutionByInstitutionId { name slug } } }
    quotesByArticleId(orderBy: [POSITION_ASC, ID_ASC]) { nodes { text personBySpeakerId { name } } }
  }
}`;

/** Q2 in PostGraphile's schema: the 20 newest published stories with all their institutions, as the server answers them. */
const PG_Q2 = `query FrontPage {
  allArticles(first: 20, condition: { status: "PUBLISHED" }, orderBy: [PUBLISHED_AT_DESC, ID_DESC]) {
    nodes { id slug title summary publishedAt articleInstitutionsByArticleId(orderBy: [POSITION_ASC, INSTITUTION_ID_ASC]) { nodes { institutionByInstitutionId { name } } } }
  }
}`;

const graphileQ1Body = (slug: string) => JSON.stringify({ operationName: "ArticlePage", query: PG_Q1, variables: { slug } });
const graphileQ2Body = () => JSON.stringify({ operationName: "FrontPage", query: PG_Q2, variables: {} });

interface GraphileArticle {
  title: string;
  body: string;
  publishedAt: string | null;
  articleInstitutionsByArticleId: { nodes: Array<{ institutionByInstitutionId: { name: string; slug: string } }> };
  quotesByArticleId: { nodes: Array<{ text: string; personBySpeakerId: { name: string } | null }> };
}

interface GraphileFront {
  allArticles: {
    nodes: Array<{ id: number; slug: string; title: string; summary: string | null; publishedAt: string | null; articleInstitutionsByArticleId: { nodes: Array<{ institutionByInstitutionId: { name: string } }> } }>;
  };
}

/** PostGraphile writes instants with an offset (`+00:00`); the API as ISO UTC with milliseconds. */
const instant = (text: string | null) => (text === null ? null : new Date(text).toISOString());

/** PostGraphile's Q1 answer in the server's shape. */
function graphileArticle(data: { articleBySlug: GraphileArticle | null }): unknown {
  const a = data.articleBySlug;
  if (!a) return { article: null };
  return {
    article: {
      title: a.title,
      body: a.body,
      publishedAt: instant(a.publishedAt),
      institutions: a.articleInstitutionsByArticleId.nodes.map((n) => n.institutionByInstitutionId),
      quotes: a.quotesByArticleId.nodes.map((q) => ({ text: q.text, speaker: q.personBySpeakerId })),
    },
  };
}

/** PostGraphile's Q2 answer in the server's shape (its `id` is the row's, the server's a global id). */
function graphileFront(data: GraphileFront): unknown {
  return {
    articles: {
      nodes: data.allArticles.nodes.map((n) => ({
        id: Buffer.from(`Article:${n.id}`, "utf8").toString("base64url"),
        slug: n.slug,
        title: n.title,
        summary: n.summary,
        publishedAt: instant(n.publishedAt),
        institutions: n.articleInstitutionsByArticleId.nodes.map((i) => i.institutionByInstitutionId),
      })),
    },
  };
}

export interface PeerPair {
  q1: LoadResult;
  q2: LoadResult;
}

export interface PostgresPeers {
  ceiling: PeerPair;
  graphile: PeerPair;
  verified: number;
  /** PostgreSQL's CPU per request (ms, its backends serving the run's database) under a short load of each target. */
  dbCpu: Record<"server" | "ceiling" | "graphile", { q1: number; q2: number }>;
}

const TICK_MS = 10;

/**
 * CPU time so far of the PostgreSQL backends serving `database` (user + system, ms), read from
 * /proc: their process title names the database. PostgreSQL runs on this machine in the bench.
 */
function backendCpuMs(database: string): number {
  let total = 0;
  for (const pid of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      if (!stat.includes("(postgres)") || !fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(` ${database} `)) continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/**
 * PostgreSQL's CPU per request while `target` answers `bodies` (3 s at 50 connections after a
 * second's warm-up): the load's "target CPU" read from the database's backends instead of the
 * target process. Throughput on a shared machine moves with its load; this moves much less.
 */
async function dbCpuPerRequest(target: Proc, database: string, bodies: readonly string[]): Promise<number> {
  const backends: Proc = { ...target, cpuMs: () => backendCpuMs(database) };
  await runLoad({ target, bodies, seconds: 1, connections: 50 });
  const result = await runLoad({ target: backends, bodies, seconds: 3, connections: 50 });
  const perRequest = (result.targetCpu * 10) / result.requestsPerSec;
  return perRequest >= 0 ? perRequest : Number.NaN;
}

type Measure = (label: string, target: Proc, bodies: readonly string[]) => Promise<LoadResult>;

/** Q1 for `slugs` and Q2 from `peer`, normalised, must equal `reference`'s (the server). */
async function verify(reference: Proc, peer: Proc, slugs: readonly string[], documents: { q1: string; q2: string }, normalize: { q1(data: never): unknown; q2(data: never): unknown }): Promise<number> {
  for (const slug of slugs) {
    const [a, b] = await Promise.all([mustGql(reference.url, Q1_ARTICLE_PAGE, { slug }), mustGql(peer.url, documents.q1, { slug })]);
    const [ca, cb] = [canonicalJson(a), canonicalJson(normalize.q1(b as never))];
    if (ca !== cb) throw new Error(`Q1 answers differ for '${slug}':\n${reference.name}: ${ca.slice(0, 1500)}\n${peer.name}: ${cb.slice(0, 1500)}`);
  }
  const [a, b] = await Promise.all([mustGql(reference.url, Q2_FRONT_PAGE), mustGql(peer.url, documents.q2)]);
  const [na, nb] = [canonicalJson(normalizeFrontPage(a as never)), canonicalJson(normalizeFrontPage(normalize.q2(b as never) as never))];
  if (na !== nb) throw new Error(`Q2 answers differ:\n${reference.name}: ${na.slice(0, 1500)}\n${peer.name}: ${nb.slice(0, 1500)}`);
  return slugs.length + 1;
}

/**
 * Starts each peer on `databaseUrl` in turn (one target runs at a time), checks its answers
 * against `reference` (the server, running on the same database), and measures Q1 over
 * `slugs` and Q2 with `measure`.
 */
export async function runPostgresPeers(databaseUrl: string, reference: Proc, slugs: readonly string[], measure: Measure, log: (line: string) => void): Promise<PostgresPeers> {
  const env = { DATABASE_URL: databaseUrl, PORT: "0" };
  const database = new URL(databaseUrl).pathname.slice(1);
  const dbCpuOf = async (target: Proc, q1: readonly string[], q2: readonly string[]) => ({ q1: await dbCpuPerRequest(target, database, q1), q2: await dbCpuPerRequest(target, database, q2) });
  const server = await dbCpuOf(reference, slugs.map(q1Body), [q2Body()]);
  const same = { q1: (d: never) => d, q2: (d: never) => d };
  const check = slugs.slice(0, 25);
  let verified = 0;

  const ceilingProc = await startProcess("PostgreSQL ceiling", distFile("tests", "bench", "ceiling-pg.js"), env, { kind: "url-line" });
  let ceiling: PeerPair;
  let ceilingCpu: { q1: number; q2: number };
  try {
    log(`PostgreSQL ceiling (node-postgres, JSON built in SQL) pid ${ceilingProc.pid} at ${ceilingProc.url}`);
    verified += await verify(reference, ceilingProc, check, { q1: Q1_ARTICLE_PAGE, q2: Q2_FRONT_PAGE }, same);
    ceiling = { q1: await measure("Q1 PostgreSQL ceiling", ceilingProc, slugs.map(q1Body)), q2: await measure("Q2 PostgreSQL ceiling", ceilingProc, [q2Body()]) };
    ceilingCpu = await dbCpuOf(ceilingProc, slugs.map(q1Body), [q2Body()]);
  } finally {
    await ceilingProc.stop();
  }

  const graphileProc = await startProcess("PostGraphile", distFile("tests", "bench", "postgraphile-peer.js"), env, { kind: "url-line" });
  let graphile: PeerPair;
  let graphileCpu: { q1: number; q2: number };
  try {
    log(`PostGraphile 4 pid ${graphileProc.pid} at ${graphileProc.url}`);
    verified += await verify(reference, graphileProc, check, { q1: PG_Q1, q2: PG_Q2 }, { q1: graphileArticle, q2: graphileFront });
    graphile = { q1: await measure("Q1 PostGraphile", graphileProc, slugs.map(graphileQ1Body)), q2: await measure("Q2 PostGraphile", graphileProc, [graphileQ2Body()]) };
    graphileCpu = await dbCpuOf(graphileProc, slugs.map(graphileQ1Body), [graphileQ2Body()]);
  } finally {
    await graphileProc.stop();
  }
  const dbCpu = { server, ceiling: ceilingCpu, graphile: graphileCpu };
  log(`  PostgreSQL CPU per request, Q1 / Q2: server ${dbCpu.server.q1.toFixed(3)} / ${dbCpu.server.q2.toFixed(3)} ms, ceiling ${dbCpu.ceiling.q1.toFixed(3)} / ${dbCpu.ceiling.q2.toFixed(3)} ms, PostGraphile ${dbCpu.graphile.q1.toFixed(3)} / ${dbCpu.graphile.q2.toFixed(3)} ms`);
  return { ceiling, graphile, verified, dbCpu };
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "n/a");
const cell = (r: LoadResult) => `${fmt(r.requestsPerSec)} (${r.p50} / ${r.p99} ms)`;

/**
 * The PostgreSQL table: the server uncached and cached beside the peers, req/s with p50 / p99
 * latency, graded by issue 21's target (uncached at least PostGraphile's throughput).
 */
export function peersTable(server: { uncached: PeerPair; cached: PeerPair }, peers: PostgresPeers): string[] {
  const lines = [
    "| read (PostgreSQL) | server uncached | server cached in process | PostgreSQL ceiling (pg, JSON in SQL) | PostGraphile 4 | uncached / PostGraphile | uncached / ceiling | target | result |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
  ];
  for (const [q, title] of [
    ["q1", "Q1 article page"],
    ["q2", "Q2 front page"],
  ] as const) {
    const [u, c, pc, pg] = [server.uncached[q], server.cached[q], peers.ceiling[q], peers.graphile[q]];
    const ratio = u.requestsPerSec / pg.requestsPerSec;
    lines.push(
      `| ${title}: req/s (p50 / p99) | ${cell(u)} | ${cell(c)} | ${cell(pc)} | ${cell(pg)} | ${(ratio * 100).toFixed(1)} % | ${((u.requestsPerSec / pc.requestsPerSec) * 100).toFixed(1)} % | ≥ 100 % of PostGraphile | ${ratio >= 1 ? "PASS" : "**MISS**"} |`,
    );
  }
  const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(3)} ms` : "n/a");
  for (const q of ["q1", "q2"] as const) {
    const c = peers.dbCpu;
    lines.push(`| ${q === "q1" ? "Q1" : "Q2"}: PostgreSQL CPU per request (3 s load each) | ${ms(c.server[q])} | | ${ms(c.ceiling[q])} | ${ms(c.graphile[q])} | | | | |`);
  }
  return lines;
}

/** PostGraphile's Q1 and Q2 bodies, for ad-hoc comparisons outside the bench. */
export const graphileBodies = { q1: graphileQ1Body, q2: graphileQ2Body };
