import "reflect-metadata";
import { useTestServer } from "../../helpers/fixture";
import { mintToken } from "../../helpers/tokens";
import { addInstitution, addPerson, addQuote, addStory, BASE_TIME, HOUR } from "../../helpers/scenarios";
import { ArticleStatus } from "../../../src/entities/article.entity";
import { Institution, InstitutionKind } from "../../../src/entities/institution.entity";
import { Person } from "../../../src/entities/person.entity";

/**
 * The article page by slug reads the story, its institutions and its quotes with their speakers
 * in one statement (ArticleService.bySlugWith, on SQLite and PostgreSQL), and applies the same
 * visibility as the reads it replaces: an anonymous reader never gets a draft or a scheduled
 * story, nor a person or institution only an unpublished story proposes, even on a published
 * story that names them; an editor sees all of them.
 */

const t = useTestServer({ seed: false, config: { cache: { enabled: false } } });

const PAGE = /* GraphQL */ `query ArticlePage($slug: String!) {
  article(slug: $slug) { title status institutions { name } quotes { text speaker { name } institution { name } } }
}`;

interface Page {
  article: { title: string; status: string; institutions: Array<{ name: string }>; quotes: Array<{ text: string; speaker: { name: string } | null; institution: { name: string } | null }> } | null;
}

let slugs: { published: string; spoken: string; draft: string; scheduled: string };
let editor: Record<string, string>;

beforeAll(async () => {
  slugs = await t.server.db.transaction(async (em) => {
    const seen = await addInstitution(em, { name: "Lapas Terlihat", kind: InstitutionKind.LAPAS });
    const speaker = await addPerson(em, "Pembicara Terlihat");
    // What only an unpublished story brings in stays hidden from readers (docs/facts.md).
    const unit = await addInstitution(em, { name: "Unit Usulan Draf", kind: InstitutionKind.LAPAS });
    await em.update(Institution, unit.pk, { visible: false });
    const proposed = await addPerson(em, "Orang Usulan Draf");
    await em.update(Person, proposed.pk, { visible: false });
    const published = await addStory(em, { title: "Berita terbit", publishedAt: new Date(BASE_TIME + HOUR), institutions: [unit, seen] });
    await addQuote(em, published, speaker, "Kutipan pertama", 0, unit);
    await addQuote(em, published, speaker, "Kutipan kedua", 1, seen);
    const spoken = await addStory(em, { title: "Berita terbit dengan pembicara usulan", publishedAt: new Date(BASE_TIME + 2 * HOUR), institutions: [seen] });
    await addQuote(em, spoken, proposed, "Kutipan orang usulan", 0, seen);
    const draft = await addStory(em, { title: "Draf rahasia", status: ArticleStatus.DRAFT, institutions: [unit] });
    await addQuote(em, draft, proposed, "Kutipan draf", 0, unit);
    const scheduled = await addStory(em, { title: "Berita terjadwal", status: ArticleStatus.SCHEDULED, institutions: [unit] });
    await addQuote(em, scheduled, proposed, "Kutipan terjadwal", 0, unit);
    return { published: published.slug, spoken: spoken.slug, draft: draft.slug, scheduled: scheduled.slug };
  });
  editor = { authorization: `Bearer ${await mintToken(t, "EDITOR")}` };
});

/** The page as `headers`' viewer reads it, and the statements it ran that read institutions or quotes. */
async function readPage(slug: string, headers: Record<string, string> = {}): Promise<{ page: Page; text: string; relationReads: number }> {
  const seen: string[] = [];
  const listen = (sql: string) => void seen.push(sql);
  t.server.db.listeners.add(listen);
  try {
    const res = await t.gql<Page>(PAGE, { slug }, headers);
    return { page: res.body.data as Page, text: res.text, relationReads: seen.filter((sql) => /FROM "article_institution" l|FROM "quote" q/.test(sql)).length };
  } finally {
    t.server.db.listeners.delete(listen);
  }
}

test("an anonymous reader's page leaves out what only an unpublished story proposes, read in one statement", async () => {
  const { page, text, relationReads } = await readPage(slugs.published);
  expect(page.article).toEqual({
    title: "Berita terbit",
    status: "PUBLISHED",
    institutions: [{ name: "Lapas Terlihat" }],
    quotes: [
      { text: "Kutipan pertama", speaker: { name: "Pembicara Terlihat" }, institution: null },
      { text: "Kutipan kedua", speaker: { name: "Pembicara Terlihat" }, institution: { name: "Lapas Terlihat" } },
    ],
  });
  expect(text).not.toMatch(/Usulan Draf/);
  // The institutions and quotes came with the story (SQLite reads them so only with its rows as JSON).
  if (t.server.db.isPostgres || t.server.db.rowsAsJson) expect(relationReads).toBe(1);
});

test("an anonymous reader never gets the name of a speaker only an unpublished story proposes", async () => {
  // (The page does not show such a quote either: a quote's speaker is not nullable.)
  const { page, text } = await readPage(slugs.spoken);
  expect(page.article?.quotes.map((q) => q.speaker)).not.toEqual(expect.arrayContaining([{ name: "Orang Usulan Draf" }]));
  expect(text).not.toMatch(/Usulan Draf/);
});

test("an anonymous reader gets no draft or scheduled story, nor anything they propose", async () => {
  for (const slug of [slugs.draft, slugs.scheduled]) {
    const { page, text } = await readPage(slug);
    expect({ slug, article: page.article }).toEqual({ slug, article: null });
    expect(text).not.toMatch(/Usulan Draf|Kutipan draf|Kutipan terjadwal/);
  }
});

test("an editor's page shows the proposals, drafts and scheduled stories included", async () => {
  const published = (await readPage(slugs.published, editor)).page.article!;
  expect(published.institutions.map((i) => i.name)).toEqual(["Unit Usulan Draf", "Lapas Terlihat"]);
  expect(published.quotes.map((q) => [q.speaker?.name ?? null, q.institution?.name ?? null])).toEqual([
    ["Pembicara Terlihat", "Unit Usulan Draf"],
    ["Pembicara Terlihat", "Lapas Terlihat"],
  ]);
  expect((await readPage(slugs.spoken, editor)).page.article!.quotes).toEqual([{ text: "Kutipan orang usulan", speaker: { name: "Orang Usulan Draf" }, institution: { name: "Lapas Terlihat" } }]);
  for (const [slug, status, quote] of [
    [slugs.draft, "DRAFT", "Kutipan draf"],
    [slugs.scheduled, "SCHEDULED", "Kutipan terjadwal"],
  ] as const) {
    const { article } = (await readPage(slug, editor)).page;
    expect({ slug, status: article?.status, institutions: article?.institutions, quotes: article?.quotes.map((q) => q.text) }).toEqual({ slug, status, institutions: [{ name: "Unit Usulan Draf" }], quotes: [quote] });
  }
});

test("pages read at the same time (read together on SQLite) answer each reader as pages read one by one", async () => {
  const asks = [slugs.published, slugs.spoken, slugs.draft, slugs.scheduled, "no-such-story"].flatMap((slug) => [
    { slug, headers: {} },
    { slug, headers: editor },
  ]);
  const alone: string[] = [];
  for (const ask of asks) alone.push((await readPage(ask.slug, ask.headers)).text);
  const together = await Promise.all(Array.from({ length: 4 }, () => asks).flat().map((ask) => t.gql<Page>(PAGE, { slug: ask.slug }, ask.headers)));
  expect(together.map((res) => res.text)).toEqual(Array.from({ length: 4 }, () => alone).flat());
});
