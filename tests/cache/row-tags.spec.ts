import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { toGlobalId } from "../../src/kernel/ids";
import { MAX_HEADER_TAGS } from "../../src/cache/tags";
import { startNewsroom } from "../helpers/newsroom";
import type { Newsroom, RoleHeaders } from "../helpers/newsroom";
import { addStory, BASE_TIME, HOUR } from "../helpers/scenarios";
import { ArticleStatus } from "../../src/entities/article.entity";
import { dataOf, metricOf } from "../helpers/server";
import type { TestServer } from "../helpers/server";

/*
 * Invalidation by row (CACHE_TAGS=row, the default), walked as an anonymous reader: a write drops
 * the answers that show what it changed and keeps the others. Every check that an answer is
 * fresh compares it with a fresh execution of the same operation (its text with a comment added
 * is another key, never cached before). With CACHE_TAGS=type the same walks must stay fresh;
 * only the checks that an unrelated answer stays a hit are row mode's.
 */

const rowMode = (process.env.CACHE_TAGS ?? "row") === "row";
const inRowMode = rowMode ? it : it.skip;

let t: TestServer;
let s: Newsroom;
let as: RoleHeaders;
let freshCount = 0;

beforeAll(async () => {
  ({ t, s, as } = await startNewsroom({ roles: true }));
});
afterAll(async () => {
  await t.close();
});

const hits = () => metricOf(t, "response_cache_hits_total");
const edit = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => dataOf<T>(await t.gql<T>(query, variables, as.EDITOR));

/** Reads `query` until it is stored (the admission keeps an answer on its second request). */
async function warm(query: string): Promise<void> {
  await t.gql(query);
  await t.gql(query);
}

/** Reads `query` as a reader; whether the answer came from the cache (unless `counted` is false), and that it equals a fresh execution. */
async function readFresh(query: string, counted = true): Promise<{ hit: boolean; body: unknown }> {
  const before = counted ? await hits() : 0;
  const cached = await t.gql(query);
  const hit = counted && (await hits()) === before + 1;
  const fresh = await t.gql(`${query}\n# fresh ${++freshCount}`);
  expect({ query, body: cached.body }).toEqual({ query, body: fresh.body });
  return { hit, body: cached.body };
}

const id = (type: Parameters<typeof toGlobalId>[0], pk: number) => toGlobalId(type, pk);

const byTagSlug = (slug: string) => `{ articles(first: 50, filter: { tag: "${slug}" }) { totalCount nodes { id title } } }`;
const storyPage = (pk: number) => `{ article(id: "${id("Article", pk)}") { id title status institutions { id name } people { id name } tags { id name } quotes { id text } comments { nodes { id body } } commentCount } }`;
const institutionPage = (pk: number) => `{ institution(id: "${id("Institution", pk)}") { id name city accreditations { id code } positions { id title person { id name } } articles(first: 5) { totalCount nodes { id title } } } }`;
const FRONT = `{ articles(first: 5) { totalCount nodes { id title } } }`;

/*
 * Pages as Apollo Client sends them: no `id` asked (its cache keys by the fields it is given),
 * `__typename` added to every selection set. Their records are tagged by the rows execution read.
 */
const apolloStoryPage = (storyId: string) =>
  `query StoryPage { article(id: "${storyId}") { __typename title status institutions { __typename name city } people { __typename name } tags { __typename name } quotes { __typename text speaker { __typename name } } comments(first: 10) { __typename totalCount nodes { __typename body } } commentCount } }`;
const apolloInstitutionPage = (institutionId: string) =>
  `query InstitutionPage { institution(id: "${institutionId}") { __typename name city accreditations { __typename code } positions { __typename title person { __typename name } } articles(first: 5) { __typename totalCount nodes { __typename title } } } }`;
const apolloPersonPage = (personId: string) =>
  `query PersonPage { person(id: "${personId}") { __typename name positions { __typename title } quotes(first: 5) { __typename nodes { __typename text article { __typename title } } } articles(first: 5) { __typename nodes { __typename title } } } }`;

describe("invalidation by row", () => {
  inRowMode("a publish drops the front page and the lists the story enters, and keeps an unrelated story page and an unrelated institution's page", async () => {
    // Story 1 mentions no institution, person or tag; the new story mentions Surabaya.
    const unrelatedStory = storyPage(s.published[1]!.pk);
    const unrelatedInstitution = institutionPage(s.denpasar.pk);
    const entered = institutionPage(s.surabaya.pk);
    const enteredFilter = `{ articles(first: 3, filter: { institutionId: "${id("Institution", s.surabaya.pk)}" }) { nodes { id title } } }`;
    for (const q of [unrelatedStory, unrelatedInstitution, entered, enteredFilter, FRONT]) await warm(q);

    const created = await edit<{ createArticle: { id: string } }>(`mutation($i: [ID!]) { createArticle(input: { title: "Lapas Surabaya membuka kelas", body: "Isi.", institutionIds: $i }) { id } }`, { i: [id("Institution", s.surabaya.pk)] });
    // A draft: nothing readers see changed, so every page is still a hit.
    for (const q of [unrelatedStory, unrelatedInstitution, entered, enteredFilter, FRONT]) expect(await readFresh(q)).toMatchObject({ hit: true });

    await edit(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id: created.createArticle.id });
    expect(await readFresh(unrelatedStory)).toMatchObject({ hit: true });
    expect(await readFresh(unrelatedInstitution)).toMatchObject({ hit: true });
    for (const q of [entered, enteredFilter, FRONT]) {
      const read = await readFresh(q);
      expect(read.hit).toBe(false);
      expect(JSON.stringify(read.body)).toContain("Lapas Surabaya membuka kelas");
    }
  });

  inRowMode("an institution's edit drops the pages that show it and keeps the others", async () => {
    // Story 2 mentions Surabaya only; story 3 Denpasar only; story 1 neither.
    const showing = [institutionPage(s.surabaya.pk), storyPage(s.published[2]!.pk), `{ institutions(first: 10) { nodes { id name } } }`];
    const others = [institutionPage(s.denpasar.pk), storyPage(s.published[3]!.pk), storyPage(s.published[1]!.pk), FRONT];
    for (const q of [...showing, ...others]) await warm(q);
    await edit(`mutation($id: ID!) { updateInstitution(id: $id, input: { name: "Lapas Surabaya (baru)" }) { name } }`, { id: id("Institution", s.surabaya.pk) });
    for (const q of showing) {
      const read = await readFresh(q);
      expect(read.hit).toBe(false);
      expect(JSON.stringify(read.body)).toContain("Lapas Surabaya (baru)");
    }
    for (const q of others) expect(await readFresh(q)).toMatchObject({ hit: true });
  });

  it("tags an answer whose @include reads a variable's default (the walk sees the variables as execution did)", async () => {
    const query = `query($show: Boolean! = false, $ids: Boolean! = true) { articles(first: 2) { nodes { id @include(if: $ids) title @include(if: $show) } } }`;
    const res = await fetch(`http://127.0.0.1:${t.server.port}/graphql?query=${encodeURIComponent(query)}`);
    expect(res.status).toBe(200);
    const xkey = res.headers.get("xkey")?.split(" ") ?? [];
    if (rowMode) expect(xkey).toEqual(expect.arrayContaining(["Article:list", "Article:rows"]));
    else expect(xkey).toEqual(["Article"]);
  });

  it("carries the rows in xkey up to the cap, and the kind past it", async () => {
    // Enough published stories for a page of exactly the cap's tags and one more: each story, its list, the kind's marker.
    const have = s.published.length;
    await t.server.db.transaction(async (em) => {
      for (let i = have; i < MAX_HEADER_TAGS; i++) await addStory(em, { title: `Cerita tambahan ${i}`, status: ArticleStatus.PUBLISHED, publishedAt: new Date(BASE_TIME - (i + 1) * HOUR) });
    });
    // An answer computed while this instance reads the stories' change back from the log is sent
    // uncached and without tags (it may be older than the change): ask again until it is tagged.
    const tagsOf = async (n: number): Promise<string[]> => {
      for (let attempt = 0; ; attempt++) {
        const res = await fetch(`http://127.0.0.1:${t.server.port}/graphql?query=${encodeURIComponent(`{ articles(first: ${n}) { nodes { id } } }`)}`);
        const xkey = res.headers.get("xkey");
        if (xkey !== null || attempt === 20) return (xkey ?? "").split(" ");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const under = await tagsOf(MAX_HEADER_TAGS - 2);
    const over = await tagsOf(MAX_HEADER_TAGS - 1);
    if (rowMode) {
      expect(under).toHaveLength(MAX_HEADER_TAGS);
      expect(under).toEqual(expect.arrayContaining(["Article:list", "Article:rows", `Article:${s.published[0]!.pk}`]));
      expect(over).toEqual(["Article"]);
    } else {
      expect(under).toEqual(["Article"]);
      expect(over).toEqual(["Article"]);
    }
  });
});

describe("lists of stories, by what can change them", () => {
  const byTag = (slug: string, more = "") => `{ articles(first: 50, filter: { tag: "${slug}"${more} }) { totalCount nodes { id title } } }`;

  inRowMode("an edit of a published story drops the lists ordered by edit and the searches, and keeps the lists ordered by publication that do not show it", async () => {
    // Story 4 mentions Surabaya and carries Korupsi; the front page (first 5) shows newer stories only.
    const story = s.published[4]!;
    const mustChange = [
      `{ articles(first: 5, orderBy: UPDATED_AT_DESC) { totalCount nodes { id title } } }`,
      `{ articles(first: 3, filter: { tag: "korupsi" }, orderBy: UPDATED_AT_DESC) { nodes { id title } } }`,
      `{ articles(first: 3, filter: { institutionId: "${id("Institution", s.surabaya.pk)}" }, orderBy: UPDATED_AT_DESC) { nodes { id title } } }`,
      `{ articles(first: 5, filter: { search: "zebra" }) { totalCount nodes { id title } } }`,
    ];
    // Lists ordered by publication that do not show it, of records it does not link (the lists of
    // those it links are dropped with its event: it might have just entered them).
    const mustStay = [
      FRONT,
      `{ articles(first: 3, filter: { tag: "pendidikan" }) { totalCount nodes { id title } } }`,
      `{ articles(first: 3, filter: { tag: "pendidikan" }, orderBy: UPDATED_AT_DESC) { nodes { id title } } }`,
      institutionPage(s.denpasar.pk),
      apolloInstitutionPage(id("Institution", s.denpasar.pk)),
      `{ node(id: "${id("Tag", s.pendidikan.pk)}") { id ... on Tag { name articles(first: 3) { totalCount nodes { id title } } } } }`,
      storyPage(s.published[3]!.pk),
    ];
    for (const q of [...mustChange, ...mustStay]) await warm(q);
    await edit(`mutation($id: ID!) { updateArticle(id: $id, input: { title: "Zebra di halaman Lapas" }) { id } }`, { id: id("Article", story.pk) });
    for (const q of mustChange) {
      const read = await readFresh(q);
      expect({ q, hit: read.hit }).toEqual({ q, hit: false });
      expect(JSON.stringify(read.body)).toContain("Zebra di halaman Lapas");
    }
    for (const q of mustStay) expect({ q, ...(await readFresh(q)) }).toMatchObject({ q, hit: true });
  });

  inRowMode("a story that takes a tag enters that tag's lists (by slug and by the tag) and leaves the others a hit", async () => {
    // Story 1 carries no tag and mentions nobody; it is older than every front page.
    const story = s.published[1]!;
    const korupsi = byTag("korupsi");
    const korupsiNode = `query Tagged { node(id: "${id("Tag", s.korupsi.pk)}") { __typename ... on Tag { name articles(first: 50) { __typename totalCount nodes { __typename title } } } } }`;
    const others = [byTag("pendidikan"), FRONT, institutionPage(s.denpasar.pk)];
    for (const q of [korupsi, korupsiNode, ...others]) await warm(q);
    await edit(`mutation($id: ID!) { updateArticle(id: $id, input: { tags: ["Korupsi"] }) { id } }`, { id: id("Article", story.pk) });
    for (const q of [korupsi, korupsiNode]) {
      const read = await readFresh(q);
      expect({ q, hit: read.hit }).toEqual({ q, hit: false });
      expect(JSON.stringify(read.body)).toContain(story.title);
    }
    for (const q of others) expect({ q, ...(await readFresh(q)) }).toMatchObject({ q, hit: true });
    // And leaves them when the tag is taken off again.
    for (const q of [korupsi, korupsiNode]) await warm(q);
    await edit(`mutation($id: ID!) { updateArticle(id: $id, input: { tags: [] }) { id } }`, { id: id("Article", story.pk) });
    for (const q of [korupsi, korupsiNode]) {
      const read = await readFresh(q);
      expect({ q, hit: read.hit }).toEqual({ q, hit: false });
      expect(JSON.stringify(read.body)).not.toContain(story.title);
    }
  });

  inRowMode("a publish drops the lists of the tags the story carries and keeps another tag's and another institution's, and the pages showing a tag other published stories carry", async () => {
    const pendidikan = byTag("pendidikan");
    // Story 0 carries Pendidikan (as do other published stories): the tag was shown before the publish and is after.
    const others = [byTag("korupsi"), institutionPage(s.denpasar.pk), storyPage(s.published[2]!.pk), storyPage(s.published[0]!.pk), apolloStoryPage(id("Article", s.published[0]!.pk)), `{ tags { id name slug } }`];
    for (const q of [pendidikan, FRONT, ...others]) await warm(q);
    const created = await edit<{ createArticle: { id: string } }>(`mutation { createArticle(input: { title: "Kelas menjahit dibuka", body: "Isi.", tags: ["Pendidikan"] }) { id } }`);
    await edit(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id: created.createArticle.id });
    for (const q of [pendidikan, FRONT]) {
      const read = await readFresh(q);
      expect({ q, hit: read.hit }).toEqual({ q, hit: false });
      expect(JSON.stringify(read.body)).toContain("Kelas menjahit dibuka");
    }
    for (const q of others) expect({ q, ...(await readFresh(q)) }).toMatchObject({ q, hit: true });
  });
});

describe("a tag a story creates", () => {
  inRowMode("is named by its row: the story pages showing other tags stay hits, and its page by slug, the list of tags and its lookup show the story", async () => {
    // Story 6 carries no tag; story 0 carries Korupsi and Pendidikan.
    const story = s.published[6]!;
    const keep = [apolloStoryPage(id("Article", s.published[0]!.pk)), storyPage(s.published[0]!.pk), byTagSlug("korupsi")];
    const change = [byTagSlug("tahanan-anak"), `{ tags { name slug } }`, `{ articles(first: 3, filter: { tag: "tahanan-anak" }, orderBy: UPDATED_AT_DESC) { nodes { title tags { name } } } }`];
    for (const q of [...keep, ...change]) await warm(q);
    await edit(`mutation($id: ID!) { updateArticle(id: $id, input: { tags: ["Tahanan Anak"] }) { id } }`, { id: id("Article", story.pk) });
    for (const [q, shown] of change.map((q, i) => [q, i === 1 ? "Tahanan Anak" : story.title] as const)) {
      const read = await readFresh(q);
      expect({ q, hit: read.hit }).toEqual({ q, hit: false });
      expect(JSON.stringify(read.body)).toContain(shown);
    }
    for (const q of keep) expect({ q, ...(await readFresh(q)) }).toMatchObject({ q, hit: true });
  });
});

describe("records created by hand", () => {
  inRowMode("a new institution or person drops the lists of its kind and the lookups that found nothing, and keeps the story pages showing others", async () => {
    const keep = [apolloStoryPage(id("Article", s.published[0]!.pk)), storyPage(s.published[0]!.pk), institutionPage(s.surabaya.pk)];
    const institutions = `{ institutions(first: 100) { totalCount nodes { name } } }`;
    const people = `{ people(first: 100) { totalCount nodes { name } } }`;
    const lookups = [`{ institution(slug: "lapas-baru-kediri") { name } }`, `{ person(slug: "dewi-anggraini") { name } }`];
    for (const q of [institutions, people, ...lookups, ...keep]) await warm(q);
    await edit(`mutation { createInstitution(input: { name: "Lapas Baru Kediri", kind: LAPAS, slug: "lapas-baru-kediri" }) { id } }`);
    await edit(`mutation { createPerson(input: { name: "Dewi Anggraini", slug: "dewi-anggraini" }) { id } }`);
    for (const q of [institutions, people, ...lookups]) {
      const read = await readFresh(q);
      expect({ q, hit: read.hit }).toEqual({ q, hit: false });
    }
    expect(JSON.stringify((await readFresh(lookups[0]!)).body)).toContain("Lapas Baru Kediri");
    for (const q of keep) expect({ q, ...(await readFresh(q)) }).toMatchObject({ q, hit: true });
  });
});

describe("authors entered by hand", () => {
  inRowMode("a new author and an author's edit drop the lists of authors and the author's lookups, and keep the story pages", async () => {
    // Story 2's byline shows another author: the page depends on authors' rows.
    const other = await edit<{ createAuthor: { id: string } }>(`mutation { createAuthor(input: { name: "Agus Pratama" }) { id } }`);
    await edit(`mutation($id: ID!, $a: [ID!]) { updateArticle(id: $id, input: { authorIds: $a }) { id } }`, { id: id("Article", s.published[2]!.pk), a: [other.createAuthor.id] });
    const byline = `query Byline { article(id: "${id("Article", s.published[2]!.pk)}") { __typename title authors { __typename name bio } } }`;
    const keep = [byline, apolloStoryPage(id("Article", s.published[0]!.pk)), storyPage(s.published[1]!.pk), FRONT];
    const authors = `{ authors(first: 50) { totalCount nodes { name bio } } }`;
    const lookup = `{ author(slug: "rina-wulandari") { name bio } }`;
    for (const q of [authors, lookup, ...keep]) await warm(q);
    const created = await edit<{ createAuthor: { id: string } }>(`mutation { createAuthor(input: { name: "Rina Wulandari", slug: "rina-wulandari" }) { id } }`);
    for (const q of [authors, lookup]) {
      const read = await readFresh(q);
      expect({ q, hit: read.hit }).toEqual({ q, hit: false });
      expect(JSON.stringify(read.body)).toContain("Rina Wulandari");
    }
    expect(await readFresh(byline)).toMatchObject({ hit: true });
    for (const q of [authors, lookup]) await warm(q);
    await edit(`mutation($id: ID!) { updateAuthor(id: $id, input: { bio: "Wartawan hukum." }) { id } }`, { id: created.createAuthor.id });
    for (const q of [authors, lookup]) {
      const read = await readFresh(q);
      expect({ q, hit: read.hit }).toEqual({ q, hit: false });
      expect(JSON.stringify(read.body)).toContain("Wartawan hukum.");
    }
    for (const q of keep) expect({ q, ...(await readFresh(q)) }).toMatchObject({ q, hit: true });
  });
});

describe("pages without ids, as Apollo Client sends them", () => {
  inRowMode("are tagged by the rows read: a write of another story keeps the story page, an edit of a record it shows drops it", async () => {
    // Story 0 mentions Surabaya and Denpasar, Sari and Budi, carries both tags, two quotes and comments.
    const story = s.published[0]!;
    const page = apolloStoryPage(id("Article", story.pk));
    const xkeyOf = async (query: string): Promise<string[]> => {
      const res = await fetch(`http://127.0.0.1:${t.server.port}/graphql?query=${encodeURIComponent(query)}`);
      return (res.headers.get("xkey") ?? "").split(" ");
    };
    await warm(page);
    const xkey = await xkeyOf(page);
    expect(xkey).toEqual(expect.arrayContaining([`Article:${story.pk}`, `Institution:${s.denpasar.pk}`, `Person:${s.budi.pk}`, `Tag:${s.korupsi.pk}`]));
    // No kind depended on whole: any write of one would drop the page.
    for (const kind of ["Article", "Institution", "Person", "Tag", "Quote"]) expect(xkey).not.toContain(kind);

    // Another story published, another story edited: still a hit.
    await edit(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id: id("Article", s.drafts[1]!.pk) });
    expect(await readFresh(page)).toMatchObject({ hit: true });
    await edit(`mutation($id: ID!) { updateArticle(id: $id, input: { title: "Berita nomor 07 (diperbarui)" }) { id } }`, { id: id("Article", s.published[7]!.pk) });
    expect(await readFresh(page)).toMatchObject({ hit: true });

    // An edit of what it shows: an institution's name, a speaker's name, the story's tags.
    const edits: Array<[string, Record<string, unknown>, string]> = [
      [`mutation($id: ID!) { updateInstitution(id: $id, input: { name: "Rutan Denpasar (baru)" }) { id } }`, { id: id("Institution", s.denpasar.pk) }, "Rutan Denpasar (baru)"],
      [`mutation($id: ID!) { updatePerson(id: $id, input: { name: "Budi Santoso (baru)" }) { id } }`, { id: id("Person", s.budi.pk) }, "Budi Santoso (baru)"],
      [`mutation($id: ID!) { updateArticle(id: $id, input: { tags: ["Korupsi", "Tag Baru"] }) { id } }`, { id: id("Article", story.pk) }, "Tag Baru"],
    ];
    for (const [mutation, variables, shown] of edits) {
      await warm(page);
      expect(await readFresh(page)).toMatchObject({ hit: true });
      await edit(mutation, variables);
      const read = await readFresh(page);
      expect(read.hit).toBe(false);
      expect(JSON.stringify(read.body)).toContain(shown);
    }
  });
});

describe("a person's edit, by row", () => {
  inRowMode("a rename drops the pages that show the person and keeps a story page whose people and quotes do not", async () => {
    // Story 0 quotes Sari and Budi; story 7 mentions nobody and has no quotes.
    const showing = [apolloStoryPage(id("Article", s.published[0]!.pk)), apolloPersonPage(id("Person", s.sari.pk)), `query People { people(first: 10) { __typename nodes { __typename name } } }`];
    const others = [apolloStoryPage(id("Article", s.published[7]!.pk)), storyPage(s.published[7]!.pk), apolloInstitutionPage(id("Institution", s.ministry.pk))];
    for (const q of [...showing, ...others]) await warm(q);
    await edit(`mutation($id: ID!) { updatePerson(id: $id, input: { name: "Sari Dewi Lestari" }) { id } }`, { id: id("Person", s.sari.pk) });
    for (const q of showing) {
      const read = await readFresh(q);
      expect(read.hit).toBe(false);
      expect(JSON.stringify(read.body)).toContain("Sari Dewi Lestari");
    }
    for (const q of others) expect(await readFresh(q)).toMatchObject({ hit: true });
  });
});

describe("a story taken down, walked as a reader", () => {
  it("drops every page that showed the story, its quotes and its facts, on unpublish and on delete", async () => {
    const text = fs.readFileSync(path.join(__dirname, "..", "..", "src", "services", "seed", "seed-article.txt"), "utf8");
    const imported = await edit<{ importArticle: { id: string; slug: string; title: string; institutions: Array<{ id: string }>; people: Array<{ id: string }>; quotes: Array<{ id: string }> } }>(
      `mutation($text: String!) { importArticle(text: $text, publish: true) { id slug title institutions { id } people { id } quotes { id } } }`,
      { text },
    );
    const story = imported.importArticle;
    const pages = [
      `{ article(id: "${story.id}") { id title quotes { id text } institutions { id name } people { id name } } }`,
      `{ article(slug: "${story.slug}") { title } }`,
      `{ articles(first: 5) { totalCount nodes { id title } } }`,
      `{ articles(first: 5, filter: { search: "Banyuwangi" }) { nodes { title } } }`,
      `{ institutions(first: 50) { totalCount nodes { id name positions { id title } accreditations { id code } } } }`,
      `{ people(first: 50) { totalCount nodes { id name } } }`,
      `{ quotes(first: 20) { totalCount nodes { id text } } }`,
      ...story.institutions.map((i) => `{ institution(id: "${i.id}") { id name city sources { value articleTitle article { id title } } accreditations { id code } positions { id title } articles(first: 5) { nodes { id title } } } }`),
      ...story.people.map((p) => `{ person(id: "${p.id}") { id name positions { id title } quotes(first: 5) { nodes { id text } } articles(first: 5) { nodes { id } } } }`),
      ...story.quotes.map((q) => `{ node(id: "${q.id}") { id ... on Quote { text article { id title } } } }`),
      // The same pages as Apollo Client asks them, without ids.
      apolloStoryPage(story.id),
      ...story.institutions.map((i) => apolloInstitutionPage(i.id)),
      ...story.people.map((p) => apolloPersonPage(p.id)),
      ...story.quotes.map((q) => `query QuotePage { node(id: "${q.id}") { __typename ... on Quote { text speaker { __typename name } article { __typename title } } } }`),
      `query Front { articles(first: 5) { __typename totalCount nodes { __typename title institutions { __typename name } } } }`,
    ];
    const walk = async () => {
      for (const q of pages) await warm(q);
      for (const q of pages) expect(await readFresh(q)).toMatchObject({ hit: true });
    };
    await walk();
    await edit(`mutation($id: ID!) { unpublishArticle(id: $id) { status } }`, { id: story.id });
    for (const q of pages) expect(JSON.stringify((await readFresh(q)).body)).not.toContain(story.title);
    await edit(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id: story.id });
    await walk();
    await edit(`mutation($id: ID!) { deleteArticle(id: $id) }`, { id: story.id });
    for (const q of pages) expect(JSON.stringify((await readFresh(q)).body)).not.toContain(story.title);
  });
});

/** A small deterministic generator (the same writes every run; the seed is in the failure's query list). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Random writes in the freshness walk. */
const ROUNDS = 36;

describe("every answer showing a changed record is dropped (random writes)", () => {
  it("after each random write, every cached answer equals a fresh execution", async () => {
    const next = random(21);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const stories = [...s.published.slice(0, 8), ...s.drafts].map((a) => a.pk);
    const institutions = [s.ministry, s.surabaya, s.denpasar].map((i) => i.pk);
    const people = [s.sari, s.budi].map((p) => p.pk);
    const pages = [
      FRONT,
      `{ articles(first: 3) { nodes { title } } }`,
      `{ articles(first: 5, orderBy: UPDATED_AT_DESC) { nodes { id title } } }`,
      ...stories.slice(0, 6).map(storyPage),
      `{ article(id: "${id("Article", stories[1]!)}") { corrections { text } commentCount } }`,
      `{ article(id: "${id("Article", stories[0]!)}") { title tags { name } } }`,
      ...institutions.map(institutionPage),
      ...people.map((pk) => `{ person(id: "${id("Person", pk)}") { id name articles(first: 5) { nodes { id title } } quotes(first: 5) { nodes { id text } } } }`),
      `{ institutions(first: 10) { totalCount nodes { id name children { id name } } } }`,
      `{ people(first: 10) { totalCount nodes { id name } } tags { id name } }`,
      `{ quotes(first: 10) { totalCount nodes { id text article { id } } } }`,
      `{ comments(first: 10) { totalCount nodes { id body } } }`,
      `{ articles(first: 5, filter: { institutionId: "${id("Institution", s.denpasar.pk)}" }) { totalCount nodes { id title } } }`,
      `{ node(id: "${id("Tag", s.korupsi.pk)}") { id ... on Tag { name articles(first: 3) { nodes { id } } } } }`,
      `{ node(id: "${id("Comment", s.comments.approved.pk)}") { id ... on Comment { body } } }`,
      // Lists by what can change them: a tag by slug, ordered by publication or by the last edit,
      // two filters at once, searches, a record's stories by the last edit, the oldest first.
      `{ articles(first: 5, filter: { tag: "korupsi" }) { totalCount nodes { id title } } }`,
      `{ articles(first: 5, filter: { tag: "baru" }) { totalCount nodes { id title } } }`,
      `{ articles(first: 5, filter: { tag: "pendidikan" }, orderBy: UPDATED_AT_DESC) { totalCount nodes { id title } } }`,
      `{ articles(first: 5, filter: { tag: "korupsi", institutionId: "${id("Institution", s.surabaya.pk)}" }) { totalCount nodes { id title } } }`,
      `{ articles(first: 5, filter: { institutionId: "${id("Institution", s.surabaya.pk)}" }, orderBy: UPDATED_AT_DESC) { totalCount nodes { id title } } }`,
      `{ articles(first: 5, filter: { search: "judul" }) { totalCount nodes { id title } } }`,
      `{ articles(first: 5, filter: { search: "ringkasan" }, orderBy: RELEVANCE) { totalCount nodes { id title } } }`,
      `{ articles(last: 3, orderBy: PUBLISHED_AT_ASC) { totalCount nodes { id title } } }`,
      `query TagPage { articles(first: 5, filter: { tag: "pendidikan" }) { __typename nodes { __typename title summary } } }`,
      // Pages without ids, as Apollo Client sends them.
      ...stories.slice(0, 4).map((pk) => apolloStoryPage(id("Article", pk))),
      ...institutions.map((pk) => apolloInstitutionPage(id("Institution", pk))),
      ...people.map((pk) => apolloPersonPage(id("Person", pk))),
      `query Quotes { quotes(first: 10) { __typename nodes { __typename text speaker { __typename name } article { __typename title } } } }`,
      `query People { people(first: 10) { __typename nodes { __typename name positions { __typename title } } } tags { __typename name } }`,
      `query Tagged { node(id: "${id("Tag", s.korupsi.pk)}") { __typename ... on Tag { name articles(first: 3) { __typename nodes { __typename title tags { __typename name } } } } } }`,
    ];
    let quoteCount = 0;
    // A write may be refused (a quote on a draft, a moderation to the status it has): the answers must stay fresh either way.
    const edit = (query: string, variables: Record<string, unknown>) => t.gql(query, variables, as.EDITOR);
    const writes: Array<() => Promise<unknown>> = [
      () => edit(`mutation($id: ID!) { publishArticle(id: $id) { id } }`, { id: id("Article", pick(stories)) }),
      () => edit(`mutation($id: ID!) { unpublishArticle(id: $id) { id } }`, { id: id("Article", pick(stories)) }),
      () => edit(`mutation($id: ID!, $t: String!) { updateArticle(id: $id, input: { title: $t }) { id } }`, { id: id("Article", pick(stories)), t: `Judul ${Math.floor(next() * 1e6)}` }),
      () => edit(`mutation($id: ID!, $t: String!) { updateArticle(id: $id, input: { summary: $t }) { id } }`, { id: id("Article", pick(stories)), t: `Ringkasan ${Math.floor(next() * 1e6)}` }),
      () => edit(`mutation($id: ID!, $i: [ID!]) { updateArticle(id: $id, input: { institutionIds: $i }) { id } }`, { id: id("Article", pick(stories)), i: institutions.filter(() => next() < 0.5).map((pk) => id("Institution", pk)) }),
      () => edit(`mutation($id: ID!, $tags: [String!]) { updateArticle(id: $id, input: { tags: $tags }) { id } }`, { id: id("Article", pick(stories)), tags: next() < 0.5 ? ["Korupsi"] : ["Pendidikan", "Baru"] }),
      () => edit(`mutation($id: ID!, $n: String!) { updateInstitution(id: $id, input: { name: $n }) { id } }`, { id: id("Institution", pick(institutions)), n: `Lembaga ${Math.floor(next() * 1e6)}` }),
      () => edit(`mutation($id: ID!, $n: String!) { updatePerson(id: $id, input: { name: $n }) { id } }`, { id: id("Person", pick(people)), n: `Orang ${Math.floor(next() * 1e6)}` }),
      () => edit(`mutation($a: ID!, $p: ID!, $text: String!) { addQuote(input: { articleId: $a, speakerId: $p, text: $text }) { id } }`, { a: id("Article", pick(stories)), p: id("Person", pick(people)), text: `Kutipan acak ${++quoteCount}` }),
      () => edit(`mutation($id: ID!, $text: String!) { addCorrection(article: $id, text: $text) { id } }`, { id: id("Article", pick(stories)), text: `Ralat ${Math.floor(next() * 1e6)}` }),
      () => t.gql(`mutation($a: ID!, $body: String!) { addComment(input: { articleId: $a, authorName: "Pembaca", authorEmail: "p@contoh.id", body: $body }) { id } }`, { a: id("Article", pick(stories)), body: `Komentar ${Math.floor(next() * 1e6)}` }),
      () => t.gql(`mutation($id: ID!, $st: CommentStatus!) { moderateComment(id: $id, status: $st) { id } }`, { id: id("Comment", pick([s.comments.approved.pk, s.comments.pending.pk, s.comments.reply.pk])), st: pick(["APPROVED", "SPAM", "PENDING"]) }, as.MODERATOR),
    ];
    let reads = 0;
    let hitCount = 0;
    for (const q of pages) await warm(q);
    for (let round = 0; round < ROUNDS; round++) {
      const write = Math.floor(next() * writes.length);
      await writes[write]!();
      // Fresh executions are never hits (their text is new): the round's hits are the cached reads'.
      const before = await hits();
      for (const q of pages) await readFresh(q, false);
      reads += pages.length;
      hitCount += (await hits()) - before;
    }
    if (process.env.ROW_TAGS_REPORT) process.stdout.write(`CACHE_TAGS=${rowMode ? "row" : "type"}: ${hitCount} hits of ${reads} reads after random writes\n`);
    expect(reads).toBe(ROUNDS * pages.length);
  }, 180_000);
});
