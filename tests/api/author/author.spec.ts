import "reflect-metadata";
import { toGlobalId } from "../../../src/kernel/ids";
import { dataOf } from "../../helpers/server";
import type { GraphQLResponse } from "../../helpers/server";
import { useNewsroom } from "../../helpers/newsroom";
import { expectRefused } from "../../helpers/refusal";

interface AuthorView {
  id: string;
  slug: string;
  name: string;
  bio: string | null;
  role: string;
}

interface ImageView {
  url: string;
  width: number | null;
  height: number | null;
  alt: string;
  caption: string | null;
  credit: string | null;
}

interface StoryView {
  id: string;
  title: string;
  status: string;
  authors: AuthorView[];
  leadImage: ImageView | null;
  images: ImageView[];
}

const LEAD: ImageView = { url: "https://cdn.koran.example/2025/01/lapas-banyuwangi.jpg", width: 1600, height: 900, alt: "Petugas Lapas Banyuwangi menyambut tamu studi tiru", caption: "Studi tiru di Lapas Banyuwangi.", credit: "Foto: Humas Lapas Banyuwangi" };
const SECOND: ImageView = { url: "http://media.koran.example/galeri/2.png?w=800", width: null, height: null, alt: "Plakat predikat WBK", caption: null, credit: null };

describe("bylines and images", () => {
  const { t, as } = useNewsroom({ roles: true });

  const createAuthor = async (input: Record<string, unknown>) => dataOf(await t.gql<{ createAuthor: AuthorView }>(CREATE_AUTHOR, { input }, as.EDITOR)).createAuthor;
  const createStory = async (input: Record<string, unknown>) => dataOf(await t.gql<{ createArticle: StoryView }>(CREATE_ARTICLE, { input }, as.EDITOR)).createArticle;
  const publish = async (id: string) => dataOf(await t.gql(PUBLISH, { id }, as.EDITOR));
  const authorPage = async (slug: string, headers: Record<string, string> = {}) =>
    dataOf(await t.gql<{ author: (AuthorView & { articles: { totalCount: number; nodes: Array<{ title: string }> } }) | null }>(AUTHOR_PAGE, { slug }, headers)).author;

  it("lets editors manage authors, and nobody else", async () => {
    const made = await createAuthor({ name: "  Rina   Wulandari ", bio: "Wartawan hukum.\nMeliput pemasyarakatan sejak 2015.", role: "REPORTER" });
    expect(made).toEqual({ id: made.id, slug: "rina-wulandari", name: "Rina Wulandari", bio: "Wartawan hukum.\nMeliput pemasyarakatan sejak 2015.", role: "REPORTER" });
    const anonymous = await t.gql(CREATE_AUTHOR, { input: { name: "Siapa Saja" } });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const moderator = await t.gql(CREATE_AUTHOR, { input: { name: "Siapa Saja" } }, as.MODERATOR);
    expect(moderator.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const renamed = dataOf(await t.gql<{ updateAuthor: AuthorView }>(UPDATE_AUTHOR, { id: made.id, input: { name: "Rina W.", slug: "rina-w", bio: null } }, as.EDITOR)).updateAuthor;
    expect(renamed).toMatchObject({ slug: "rina-w", name: "Rina W.", bio: null, role: "REPORTER" });
    // The old slug keeps resolving, and node(id:) answers the author.
    expect((await authorPage("rina-wulandari"))?.id).toBe(made.id);
    expect(dataOf<{ node: { name: string } | null }>(await t.gql(`query($id: ID!) { node(id: $id) { ... on Author { name } } }`, { id: made.id })).node).toEqual({ name: "Rina W." });

    const listed = dataOf<{ authors: { nodes: Array<{ name: string }> } }>(await t.gql(AUTHORS, { filter: { role: "REPORTER", search: "rina" } })).authors.nodes;
    expect(listed).toEqual([{ name: "Rina W." }]);
  });

  it("stores a story's byline in order with its lead image and further images, shown to readers once it is published", async () => {
    const writer = await createAuthor({ name: "Made Sukarta", role: "WRITER" });
    const photographer = await createAuthor({ name: "Yoga Pratama", role: "PHOTOGRAPHER" });
    const story = await createStory({ title: "Lapas Banyuwangi raih WBK", body: "Isi berita.", authorIds: [photographer.id, writer.id], leadImage: LEAD, images: [SECOND] });
    expect(story.authors.map((a) => a.name)).toEqual(["Yoga Pratama", "Made Sukarta"]);
    expect(story.leadImage).toEqual(LEAD);
    expect(story.images).toEqual([SECOND]);

    // A draft: nothing of it for readers, through the story or the author page.
    expect(dataOf<{ article: StoryView | null }>(await t.gql(STORY, { id: story.id })).article).toBeNull();
    expect((await authorPage("made-sukarta"))?.articles).toEqual({ totalCount: 0, nodes: [] });
    expect((await authorPage("made-sukarta", as.EDITOR))?.articles.nodes).toEqual([{ title: "Lapas Banyuwangi raih WBK" }]);

    await publish(story.id);
    const read = dataOf<{ article: StoryView }>(await t.gql(STORY, { id: story.id })).article;
    expect(read).toEqual({ ...story, status: "PUBLISHED" });
    expect((await authorPage("made-sukarta"))?.articles).toEqual({ totalCount: 1, nodes: [{ title: "Lapas Banyuwangi raih WBK" }] });
    const front = dataOf<{ articles: { nodes: StoryView[] } }>(await t.gql(FRONT_PAGE, { authorId: writer.id })).articles.nodes;
    expect(front.map((s) => [s.title, s.authors.map((a) => a.slug), s.leadImage?.url])).toEqual([["Lapas Banyuwangi raih WBK", ["yoga-pratama", "made-sukarta"], LEAD.url]]);

    // Replacing: the byline and the images change as named, and null takes the lead image away.
    const updated = dataOf(await t.gql<{ updateArticle: StoryView }>(UPDATE_ARTICLE, { id: story.id, input: { authorIds: [writer.id], leadImage: null } }, as.EDITOR)).updateArticle;
    expect(updated.authors.map((a) => a.name)).toEqual(["Made Sukarta"]);
    expect(updated.leadImage).toBeNull();
    expect(updated.images).toEqual([SECOND]);
    const cleared = dataOf(await t.gql<{ updateArticle: StoryView }>(UPDATE_ARTICLE, { id: story.id, input: { images: [] } }, as.EDITOR)).updateArticle;
    expect(cleared.images).toEqual([]);

    // Deleting an author leaves the story, without them in the byline.
    expect(dataOf(await t.gql(DELETE_AUTHOR, { id: writer.id }, as.EDITOR))).toEqual({ deleteAuthor: writer.id });
    expect(dataOf<{ article: StoryView }>(await t.gql(STORY, { id: story.id })).article.authors).toEqual([]);
  });

  it("keeps an author of drafts only as a public record whose story list shows readers nothing", async () => {
    const author = await createAuthor({ name: "Penulis Draf Saja" });
    await createStory({ title: "Draf rahasia tentang Rutan", body: "Embargo.", authorIds: [author.id], leadImage: { ...LEAD, url: "https://cdn.koran.example/rahasia.jpg" } });
    const page = await authorPage("penulis-draf-saja");
    expect(page).toMatchObject({ name: "Penulis Draf Saja", articles: { totalCount: 0, nodes: [] } });
    expect(dataOf<{ articles: { nodes: StoryView[] } }>(await t.gql(FRONT_PAGE, { authorId: author.id })).articles.nodes).toEqual([]);
    expect(dataOf<{ articles: { nodes: StoryView[] } }>(await t.gql(FRONT_PAGE, { authorId: author.id }, as.EDITOR)).articles.nodes.map((s) => s.leadImage?.url)).toEqual(["https://cdn.koran.example/rahasia.jpg"]);
  });

  describe("refuses a bad image, naming the value, and stores nothing", () => {
    const state = async () => ({
      articles: await t.server.db.reader.query(`SELECT id, title FROM article ORDER BY id`),
      images: await t.server.db.reader.query(`SELECT * FROM article_image ORDER BY id`),
    });
    const refused = (input: Record<string, unknown>, field: string, mentions: string[], code = "BAD_USER_INPUT") =>
      expectRefused(() => t.gql(CREATE_ARTICLE, { input: { title: "Berita bergambar", body: "Isi.", ...input } }, as.EDITOR) as Promise<GraphQLResponse>, { code, field, mentions }, state, "articles");

    it.each([
      ["javascript:alert(document.cookie)", ["'javascript:alert(document.cookie)'", "http or https"]],
      ["data:image/png;base64,iVBORw0KGgo=", ["'data:image/png;base64,iVBORw0KGgo='"]],
      ["ftp://files.koran.example/a.jpg", ["'ftp://files.koran.example/a.jpg'", "ftp:"]],
      ["/uploads/a.jpg", ["'/uploads/a.jpg'", "absolute"]],
      ["//cdn.koran.example/a.jpg", ["'//cdn.koran.example/a.jpg'"]],
      ["https://user:secret@cdn.koran.example/a.jpg", ["user name or password"]],
      ["https://cdn.koran.example/a b.jpg", ["spaces"]],
    ])("lead image url %s", async (url, mentions) => {
      await refused({ leadImage: { ...LEAD, url } }, "input.leadImage.url", mentions);
    });

    it("a missing or blank alt text, an absurd width or height, too many images", async () => {
      await refused({ leadImage: { ...LEAD, alt: "   " } }, "input.leadImage.alt", ["input.leadImage.alt"]);
      await refused({ images: [SECOND, { ...SECOND, width: 10_000_000 }] }, "input.images[1].width", ["10000000", "1 to 20000"]);
      await refused({ images: [{ ...SECOND, height: 0 }] }, "input.images[0].height", ["got 0"]);
      await refused({ images: [{ ...SECOND, width: -4 }] }, "input.images[0].width", ["-4"]);
      await refused({ images: Array.from({ length: 51 }, () => SECOND) }, "input.images", ["at most 50", "51"]);
      const missing = await t.gql(CREATE_ARTICLE, { input: { title: "x", body: "y", leadImage: { url: LEAD.url } } }, as.EDITOR);
      expect(missing.body.errors?.[0]?.message).toContain("alt");
    });

    it("an author id that names nothing or something else", async () => {
      await refused({ authorIds: [toGlobalId("Author", 999_999)] }, "input.authorIds", [toGlobalId("Author", 999_999)], "NOT_FOUND");
      await refused({ authorIds: [toGlobalId("Person", 1)] }, "input.authorIds", ["not an id of an Author"]);
    });
  });
});

const AUTHOR_FIELDS = `id slug name bio role`;
const IMAGE_FIELDS = `url width height alt caption credit`;
const STORY_FIELDS = `id title status authors { ${AUTHOR_FIELDS} } leadImage { ${IMAGE_FIELDS} } images { ${IMAGE_FIELDS} }`;
const CREATE_AUTHOR = `mutation($input: CreateAuthorInput!) { createAuthor(input: $input) { ${AUTHOR_FIELDS} } }`;
const UPDATE_AUTHOR = `mutation($id: ID!, $input: UpdateAuthorInput!) { updateAuthor(id: $id, input: $input) { ${AUTHOR_FIELDS} } }`;
const DELETE_AUTHOR = `mutation($id: ID!) { deleteAuthor(id: $id) }`;
const AUTHOR_PAGE = `query($slug: String!) { author(slug: $slug) { ${AUTHOR_FIELDS} articles(first: 10) { totalCount nodes { title } } } }`;
const AUTHORS = `query($filter: AuthorFilter) { authors(filter: $filter) { nodes { name } } }`;
const CREATE_ARTICLE = `mutation($input: CreateArticleInput!) { createArticle(input: $input) { ${STORY_FIELDS} } }`;
const UPDATE_ARTICLE = `mutation($id: ID!, $input: UpdateArticleInput!) { updateArticle(id: $id, input: $input) { ${STORY_FIELDS} } }`;
const PUBLISH = `mutation($id: ID!) { publishArticle(id: $id) { status } }`;
const STORY = `query($id: ID!) { article(id: $id) { ${STORY_FIELDS} } }`;
const FRONT_PAGE = `query($authorId: ID) { articles(first: 10, filter: { authorId: $authorId }) { nodes { ${STORY_FIELDS} } } }`;
