import "reflect-metadata";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { ArticleStatus } from "../../src/entities/article.entity";
import { Institution } from "../../src/entities/institution.entity";
import { Person } from "../../src/entities/person.entity";
import { InstitutionKind } from "../../src/kernel/institution-kind";
import {
  REALISTIC_OPERATIONS,
  SAMPLES_QUERY,
  samplesFrom,
} from "../bench/lib/calibration";
import {
  Q0_TYPENAME,
  Q1_ARTICLE_PAGE,
  Q2_FRONT_PAGE,
} from "../bench/lib/queries";
import {
  addInstitution,
  addPerson,
  addQuote,
  addStory,
  BASE_TIME,
  HOUR,
  regionalNewsroom,
} from "../helpers/scenarios";
import { dataOf, startTestServer, tempSqliteFile } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import { bearer, mintToken } from "../helpers/tokens";
import type { DatabaseConfig } from "../../src/config";

/*
 * The uncached read path against the full one, byte for byte (issue 21). Servers over the
 * same store, all with RESPONSE_CACHE=false: the old path (EARLY_EXECUTION=false, node-sqlite3's
 * reader cell by cell: SQLITE_JSON_ROWS=false) and the new ones (anonymous queries executed before
 * Express and Apollo, rows as one JSON text per statement; then the same on better-sqlite3 workers
 * when the bench's copy of better-sqlite3 is installed). Every realistic
 * operation, the bench's reads, errors and refusals go to both, anonymously and with an editor's
 * token, with the same request id and Origin; status, body bytes and the raw header list (names,
 * order, values; the Date aside) must be the same. Drafts, scheduled stories and facts readers do
 * not see yet are in the store, so a visibility difference between the paths would show.
 *
 * Then the same with the response cache on (the default): the full path against the early one,
 * which answers the cache's misses and stores their answers. Each anonymous operation (POST and GET) is read
 * three times (a miss, the miss whose answer is stored on its second sighting, a hit), then a
 * draft is published on both and everything is read three times again. On SQLite each cached
 * server has a copy of the store of its own, so each learns of its own publish; on PostgreSQL
 * they share one and only the reads run.
 */

const onPostgres =
  process.env.TEST_DATABASE === "postgres" && Boolean(process.env.DATABASE_URL);
const BENCH_DRIVER = path.join(
  __dirname,
  "..",
  "..",
  "bench",
  "node_modules",
  "better-sqlite3",
);
const workersAvailable =
  !onPostgres &&
  fs.existsSync(
    path.join(BENCH_DRIVER, "build", "Release", "better_sqlite3.node"),
  );
const ORIGIN = "https://pembaca.example";

interface Raw {
  status: number;
  headers: string[];
  body: string;
}

/** The case as a GET's path (query, operationName, variables; padded with empty parameters when asked), or null for a body that is not an object. */
function getPathOf(body: string, padded = false): string | null {
  let params: { query?: unknown; operationName?: unknown; variables?: unknown };
  try {
    params = JSON.parse(body) as typeof params;
  } catch {
    return null;
  }
  if (typeof params !== "object" || params === null || Array.isArray(params))
    return null;
  const search = new URLSearchParams({
    query: String(params.query),
    ...(typeof params.operationName === "string"
      ? { operationName: params.operationName }
      : {}),
    ...(params.variables
      ? { variables: JSON.stringify(params.variables) }
      : {}),
  });
  return `/graphql?${search.toString().replace(/&/g, padded ? "&&&" : "&")}`;
}

/** How two answers to the same request differ (status, body, headers), each difference named with `label`. */
function differencesOf(label: string, before: Raw, after: Raw): string[] {
  const found: string[] = [];
  if (before.status !== after.status) found.push(`${label}: status ${before.status} → ${after.status}`);
  if (before.body !== after.body) found.push(`${label}: body\n  ${before.body.slice(0, 400)}\n  ${after.body.slice(0, 400)}`);
  if (before.headers.join("\n") !== after.headers.join("\n")) found.push(`${label}: headers\n  ${before.headers.join(" | ")}\n  ${after.headers.join(" | ")}`);
  return found;
}

/** A POST of `body`, or with `body` a GET path (starting with "/"), that path. */
function post(
  t: TestServer,
  body: string,
  headers: Record<string, string>,
): Promise<Raw> {
  const get = body.startsWith("/");
  return new Promise((resolve, reject) => {
    const req = http.request(
      get
        ? {
            host: "127.0.0.1",
            port: t.server.port,
            path: body,
            method: "GET",
            headers,
          }
        : {
            host: "127.0.0.1",
            port: t.server.port,
            path: "/graphql",
            method: "POST",
            headers: {
              "content-type": "application/json",
              "content-length": String(Buffer.byteLength(body)),
              ...headers,
            },
          },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          const raw: string[] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2)
            if (res.rawHeaders[i]!.toLowerCase() !== "date")
              raw.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
          resolve({ status: res.statusCode ?? 0, headers: raw, body: text });
        });
      },
    );
    req.on("error", reject);
    req.end(get ? undefined : body);
  });
}

describe("uncached reads: the early path and the worker reads answer as the full path does", () => {
  let old: TestServer;
  /** The new path: early execution and rows as JSON on node-sqlite3; then the same on better-sqlite3 workers. */
  const fresh: TestServer[] = [];
  let editor: string;
  const oldFile = onPostgres ? undefined : tempSqliteFile();
  let slugs: {
    published: string;
    draft: string;
    scheduled: string;
    hidden: string;
  };
  /** With the response cache on: the full path, then the early one. */
  const cached: TestServer[] = [];
  const cachedFiles: string[] = [];
  const cases: Array<{ name: string; body: string }> = [];
  let brokenSlug: string | undefined;

  beforeAll(async () => {
    // Every server here reads the same wrong preview tokens from 127.0.0.1, three times each; on
    // PostgreSQL + Redis they share one limiter, which would refuse the later ones with a
    // "try again in N s" that differs by a second between servers. The limit has its own tests.
    const previews = { rateLimit: 1_000_000, rateWindowSeconds: 600 };
    const common = {
      cache: { enabled: false },
      cors: { origins: [ORIGIN] },
      previews,
    } as const;
    // Today's path: Express and Apollo, node-sqlite3's reader cell by cell.
    old = await startTestServer({
      seed: true,
      ...(oldFile
        ? {
            file: oldFile,
            database: { kind: "sqlite", file: oldFile, jsonRows: false },
          }
        : {}),
      config: { ...common, graphql: { earlyExecution: false } },
    });
    const scenario = await regionalNewsroom(old.server.db);
    // A person and an institution readers do not see yet (their only source unpublished), on a published story.
    const hidden = await old.server.db.transaction(async (em) => {
      const person = await addPerson(em, "Orang Usulan");
      await em.update(Person, person.pk, { visible: false });
      const unit = await addInstitution(em, {
        name: "Unit Usulan",
        kind: InstitutionKind.LAPAS,
      });
      await em.update(Institution, unit.pk, { visible: false });
      const story = await addStory(em, {
        title: "Berita dengan fakta usulan",
        publishedAt: new Date(BASE_TIME + 50 * HOUR),
        institutions: [unit, scenario.surabaya],
        people: [person, scenario.sari],
      });
      await addQuote(em, story, person, "Kutipan orang usulan", 0, unit);
      await addQuote(
        em,
        story,
        scenario.sari,
        "Kutipan yang terlihat",
        1,
        scenario.surabaya,
      );
      return story;
    });
    if (oldFile) {
      // A story whose updatedAt SQLite holds as text no Date reads (a masked internal error beside data).
      const broken = await old.server.db.transaction((em) =>
        addStory(em, {
          title: "Berita dengan waktu rusak",
          publishedAt: new Date(BASE_TIME + 51 * HOUR),
        }),
      );
      await old.server.db.writer.query(
        `UPDATE article SET updated_at = 'bukan waktu' WHERE slug = ?`,
        [broken.slug],
      );
      brokenSlug = broken.slug;
    }
    editor = await mintToken(old, "EDITOR");
    const databases: Array<DatabaseConfig | undefined> = oldFile
      ? [
          { kind: "sqlite", file: oldFile },
          ...(workersAvailable
            ? [
                {
                  kind: "sqlite" as const,
                  file: oldFile,
                  readWorkers: 2,
                  readDriver: BENCH_DRIVER,
                },
              ]
            : []),
        ]
      : [undefined];
    // The first new path runs graphql-js only; the others (default) graphql-jit's compiled execution of documents seen twice.
    fresh.push(
      await startTestServer({
        seed: false,
        file: oldFile ?? old.file ?? undefined,
        keepFile: true,
        ...(databases[0] ? { database: databases[0] } : {}),
        config: {
          ...common,
          graphql: { earlyExecution: true, compiledExecution: false },
        },
      }),
    );
    for (const database of databases)
      fresh.push(
        await startTestServer({
          seed: false,
          file: oldFile ?? old.file ?? undefined,
          keepFile: true,
          ...(database ? { database } : {}),
          config: {
            ...common,
            graphql: { earlyExecution: true, compiledExecution: true },
          },
        }),
      );
    for (const earlyExecution of [false, true]) {
      const file = oldFile ? tempSqliteFile() : undefined;
      if (file) {
        await old.server.db.writer.query(`VACUUM INTO '${file}'`);
        cachedFiles.push(file);
      }
      const config = {
        cache: { enabled: true },
        cors: { origins: [ORIGIN] },
        graphql: { earlyExecution },
        previews,
      } as const;
      cached.push(
        await startTestServer({
          seed: false,
          file: file ?? old.file ?? undefined,
          keepFile: !file,
          ...(file
            ? { database: { kind: "sqlite", file, jsonRows: earlyExecution } }
            : {}),
          config,
        }),
      );
    }
    slugs = {
      published: scenario.published[0]!.slug,
      draft: scenario.drafts[0]!.slug,
      scheduled: scenario.scheduled.slug,
      hidden: hidden.slug,
    };
    expect(scenario.drafts[0]!.status).toBe(ArticleStatus.DRAFT);

    const samples = samplesFrom(
      dataOf(await old.gql(SAMPLES_QUERY)) as Parameters<typeof samplesFrom>[0],
    );
    for (const op of REALISTIC_OPERATIONS)
      cases.push({
        name: op.name,
        body: JSON.stringify({
          query: op.query,
          variables: op.variables(samples),
        }),
      });
    for (const slug of Object.values(slugs))
      cases.push({
        name: `Q1 ${slug}`,
        body: JSON.stringify({
          operationName: "ArticlePage",
          query: Q1_ARTICLE_PAGE,
          variables: { slug },
        }),
      });
    const more: Array<[string, string, Record<string, unknown>?]> = [
      ["Q2", Q2_FRONT_PAGE],
      ["Q0", Q0_TYPENAME],
      [
        "relevance page (floating-point cursors)",
        `{ articles(first: 3, orderBy: RELEVANCE, filter: { search: "Berita" }) { edges { cursor node { slug } } pageInfo { endCursor hasNextPage } } }`,
      ],
      // The stories' institutions read in the page's statement: cell by cell (a relevance rank), read backwards, with drafts and proposals for the editor.
      [
        "stories' institutions, relevance page",
        `{ articles(first: 3, orderBy: RELEVANCE, filter: { search: "Berita" }) { nodes { slug institutions { name slug } } } }`,
      ],
      [
        "stories' institutions, last page",
        `{ articles(last: 3) { edges { node { slug institutions { name } } } } }`,
      ],
      [
        "stories' institutions, every story",
        `{ articles(first: 40) { nodes { slug status institutions { name slug } } } }`,
      ],
      [
        "oldest first, second page",
        `{ articles(first: 2, orderBy: PUBLISHED_AT_ASC) { pageInfo { endCursor } } }`,
      ],
      [
        "drafts asked for",
        `{ articles(first: 10, filter: { status: DRAFT }) { nodes { slug status } } }`,
      ],
      [
        "scheduled by slug",
        `query($s: String!) { article(slug: $s) { slug status publishedAt } }`,
        { s: slugs.scheduled },
      ],
      [
        "draft by slug with quotes",
        `query($s: String!) { article(slug: $s) { slug quotes { text speaker { name } } institutions { name } } }`,
        { s: slugs.draft },
      ],
      [
        "proposed facts",
        `query($s: String!) { article(slug: $s) { people { name } institutions { name } quotes { text speaker { name } institution { name } } } }`,
        { s: slugs.hidden },
      ],
      [
        "unknown id (an error beside data)",
        `{ article(id: "bm9wZQ") { title } institution(slug: "lapas-surabaya") { name } }`,
      ],
      [
        "node of a draft",
        `query($s: String!) { article(slug: $s) { id } }`,
        { s: slugs.draft },
      ],
      // Shapes the compiled execution must answer as graphql-js does (or leave to it).
      [
        "fragments, aliases, __typename",
        `query Page($s: String!) { a: article(slug: $s) { ...Head __typename } b: article(slug: $s) { ... on Article { t: title } } } fragment Head on Article { __typename slug title publishedAt }`,
        { s: slugs.published },
      ],
      [
        "@include/@skip with variables (true)",
        `query($s: String!, $yes: Boolean!, $no: Boolean!) { article(slug: $s) { slug title @include(if: $yes) status @skip(if: $no) quotes @include(if: $no) { text } } }`,
        { s: slugs.published, yes: true, no: false },
      ],
      [
        "@include/@skip with variables (flipped)",
        `query($s: String!, $yes: Boolean!, $no: Boolean!) { article(slug: $s) { slug title @include(if: $yes) status @skip(if: $no) quotes @include(if: $no) { text } } }`,
        { s: slugs.published, yes: false, no: true },
      ],
      [
        "defaulted variable",
        `query($n: Int = 2) { articles(first: $n) { nodes { slug } } }`,
      ],
      [
        "lists and nulls",
        `{ articles(first: 5) { nodes { slug summary leadImage { url } people { name } quotes { text institution { name } } } } }`,
      ],
      ["a missing story (null)", `{ article(slug: "tidak-ada") { title } }`],
      [
        "node by global id",
        `query($s: String!) { article(slug: $s) { id } }`,
        { s: slugs.published },
      ],
      [
        "error beside data, aliased",
        `{ x: article(id: "bm9wZQ") { title } y: articles(first: 1) { nodes { slug } } }`,
      ],
      ["refused: unknown field", `{ nope }`],
      ["refused: syntax", `{ articles(first: 1) { nodes { title } }`],
      [
        "refused: variable type",
        `query($s: String!) { article(slug: $s) { title } }`,
        { s: 5 },
      ],
      [
        "refused: page too large",
        `{ articles(first: 1000) { nodes { title } } }`,
      ],
      [
        "mutation (full path)",
        `mutation { addComment(input: { articleId: "x", authorName: "a", authorEmail: "no-at", body: "b" }) { id } }`,
      ],
      [
        "preview (private, full path)",
        `{ articlePreview(token: "nope") { title } }`,
      ],
    ];
    if (brokenSlug)
      more.push([
        "a masked internal error beside data",
        `query($s: String!) { article(slug: $s) { slug updatedAt } articles(first: 1) { nodes { slug } } }`,
        { s: brokenSlug },
      ]);
    for (const [name, query, variables] of more)
      cases.push({
        name,
        body: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
      });
    // The same as GETs (Apollo Client's plain and persisted-query GETs take this form), and padded with empty parameters.
    for (const { name, body } of [...cases]) {
      const path = getPathOf(body);
      if (path) cases.push({ name: `${name} (GET)`, body: path });
    }
    for (const { name, body } of cases.filter(
      (c) =>
        c.name.startsWith("Q1") ||
        c.name === "Q2" ||
        c.name.startsWith("refused: page"),
    )) {
      const path = getPathOf(body, true);
      if (path && !body.startsWith("/"))
        cases.push({ name: `${name} (padded GET)`, body: path });
    }
    cases.push({ name: "refused: not an object", body: "[1]" });
    cases.push({ name: "refused: not JSON", body: "{nope" });
  });

  afterAll(async () => {
    for (const t of [...fresh, ...cached]) await t.close();
    for (const file of cachedFiles)
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    await old?.close();
    if (oldFile)
      fs.rmSync(path.dirname(oldFile), { recursive: true, force: true });
  });

  it.each([
    ["anonymously", false],
    ["with an editor's token", true],
  ])(
    "answers every operation %s with the same status, headers and bytes",
    async (_how, withToken) => {
      const differences: string[] = [];
      let n = 0;
      // Three rounds: a document is compiled after its second sighting and executed compiled from its third.
      for (const round of [1, 2, 3])
        for (const { name, body } of cases) {
          const headers = {
            "x-request-id": `diff-${n++}`,
            origin: ORIGIN,
            ...(withToken ? bearer(editor) : {}),
          };
          const before = await post(old, body, headers);
          for (const [i, t] of fresh.entries()) {
            const after = await post(t, body, headers);
            differences.push(...differencesOf(`${name} (new path ${i}, round ${round})`, before, after));
          }
        }
      expect(differences).toEqual([]);
    },
  );

  it("with the response cache on, answers misses, stored answers and hits as the full path does, before and after a publish", async () => {
    const differences: string[] = [];
    let n = 0;
    const readAll = async (when: string) => {
      for (const { name, body } of cases) {
        for (const read of ["first", "second", "third"]) {
          // A GET asks for the other media type: its answers are then stored under keys of their own, not served from the POSTs' (the key has no method).
          const headers = {
            "x-request-id": `cached-${n++}`,
            origin: ORIGIN,
            ...(body.startsWith("/")
              ? { accept: "application/graphql-response+json" }
              : {}),
          };
          const [before, after] = [
            await post(cached[0]!, body, headers),
            await post(cached[1]!, body, headers),
          ];
          differences.push(...differencesOf(`${name} (${when}, ${read} read)`, before, after));
        }
      }
    };
    await readAll("before the publish");
    // The early path did store: its third read of the front page is a hit with an ETag.
    expect(
      (
        await post(cached[1]!, JSON.stringify({ query: Q2_FRONT_PAGE }), {})
      ).headers.some((h) => h.toLowerCase().startsWith("etag:")),
    ).toBe(true);
    if (!onPostgres) {
      for (const t of cached) {
        const id = (
          dataOf(
            await t.gql(
              `query($s: String!) { article(slug: $s) { id } }`,
              { s: slugs.draft },
              bearer(editor),
            ),
          ) as { article: { id: string } }
        ).article.id;
        dataOf(
          await t.gql(
            `mutation($id: ID!) { publishArticle(id: $id) { status } }`,
            { id },
            bearer(editor),
          ),
        );
      }
      // The same instant on both (each publish took its own clock's), before anything reads the story again.
      const [{ at }] = (await cached[0]!.server.db.writer.query(
        `SELECT published_at AS at FROM article WHERE slug = ?`,
        [slugs.draft],
      )) as Array<{ at: string }>;
      await cached[1]!.server.db.writer.query(
        `UPDATE article SET published_at = ? WHERE slug = ?`,
        [at, slugs.draft],
      );
      await readAll("after the publish");
      // The publish reached both caches: the draft is now public on both.
      expect(
        JSON.parse(
          (
            await post(
              cached[1]!,
              JSON.stringify({
                query: `query($s: String!) { article(slug: $s) { slug } }`,
                variables: { s: slugs.draft },
              }),
              {},
            )
          ).body,
        ),
      ).toEqual({ data: { article: { slug: slugs.draft } } });
    }
    expect(differences).toEqual([]);
  });

  it("answered from compiled executions, and left those with errors to graphql-js", async () => {
    const counted = async (t: TestServer, outcome: string) => {
      const line = (
        await (await fetch(`http://127.0.0.1:${t.server.port}/metrics`)).text()
      )
        .split("\n")
        .find((l) =>
          l.startsWith(
            `graphql_compiled_executions_total{outcome="${outcome}"}`,
          ),
        );
      return Number(line?.split(" ").pop() ?? 0);
    };
    for (const t of fresh.slice(1)) {
      expect(await counted(t, "compiled")).toBeGreaterThan(cases.length / 2);
      // The errors beside data, among them.
      expect(await counted(t, "fallback")).toBeGreaterThan(0);
    }
    expect(await counted(fresh[0]!, "compiled")).toBe(0);
    // The broken instant's case is what it says: a masked internal error beside data.
    const masked = cases.find(
      (c) => c.name === "a masked internal error beside data",
    );
    if (masked)
      expect(
        JSON.parse((await post(fresh[1]!, masked.body, {})).body),
      ).toMatchObject({
        errors: [
          {
            message: "Unexpected error.",
            extensions: { code: "INTERNAL_SERVER_ERROR" },
          },
        ],
        data: { article: null },
      });
  });

  it("shows editors what readers do not see, on both paths", async () => {
    const draft = JSON.stringify({
      query: `query($s: String!) { article(slug: $s) { slug } }`,
      variables: { s: slugs.draft },
    });
    for (const t of [old, ...fresh]) {
      expect(JSON.parse((await post(t, draft, {})).body)).toEqual({
        data: { article: null },
      });
      expect(JSON.parse((await post(t, draft, bearer(editor))).body)).toEqual({
        data: { article: { slug: slugs.draft } },
      });
    }
  });

  it("counts and logs early answers as requests", async () => {
    const body = JSON.stringify({
      query: Q2_FRONT_PAGE,
      operationName: "FrontPage",
    });
    const metrics = async () =>
      (
        await (
          await fetch(`http://127.0.0.1:${fresh[0]!.server.port}/metrics`)
        ).text()
      )
        .split("\n")
        .find((l) =>
          l.startsWith(
            'graphql_requests_total{operation="FrontPage",outcome="ok"}',
          ),
        );
    const count = (line: string | undefined) =>
      Number(line?.split(" ").pop() ?? 0);
    const before = count(await metrics());
    await post(fresh[0]!, body, {});
    expect(count(await metrics())).toBe(before + 1);
  });
});
