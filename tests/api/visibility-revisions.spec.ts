import "reflect-metadata";
import { toGlobalId } from "../../src/kernel/ids";
import { useNewsroom } from "../helpers/newsroom";
import { dataOf } from "../helpers/server";
import type { GraphQLResponse } from "../helpers/server";
import { connect } from "../helpers/ws";

/*
 * Revisions, corrections and preview links walked as a reader (and a moderator, who reads no
 * drafts either): a story published, corrected, then taken back and rewritten as an embargoed
 * draft with a preview link. No path shows the draft, its revisions, its note or its link; feeds
 * show the note only as the story was published then; every refusal carries no data.
 */

const ORIGIN = "0000000000000000";
const SECRETS = ["embargo", "Embargo", "DRAFT"];

describe("revisions, corrections and preview links, walked as a reader", () => {
  const { t, s, as } = useNewsroom({ roles: true });
  const story = { id: "", slug: "", revisionIds: [] as string[], correctionId: "", linkId: "", token: "" };

  const editorial = async <T,>(query: string, variables: Record<string, unknown> = {}) => dataOf<T>(await t.gql<T>(query, variables, as.EDITOR));

  beforeAll(async () => {
    const created = (await editorial<{ createArticle: { id: string; slug: string } }>(`mutation { createArticle(input: { title: "Berita terbit lalu dikoreksi", body: "Isi terbit.", tags: ["Koreksi"] }) { id slug } }`)).createArticle;
    Object.assign(story, created);
    await editorial(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id: story.id });
    const corrected = await editorial<{ addCorrection: { corrections: Array<{ id: string }> } }>(`mutation($id: ID!) { addCorrection(article: $id, text: "Koreksi saat terbit.") { corrections { id } } }`, { id: story.id });
    story.correctionId = corrected.addCorrection.corrections[0]!.id;
    await editorial(`mutation($id: ID!) { unpublishArticle(id: $id) { status } }`, { id: story.id });
    await editorial(`mutation($id: ID!) { updateArticle(id: $id, input: { title: "Judul embargo", body: "Isi embargo.", summary: "Ringkasan embargo", tags: ["Tag Embargo"] }) { id } }`, { id: story.id });
    const link = await editorial<{ createPreviewLink: { token: string; link: { id: string } } }>(`mutation($id: ID!, $at: DateTime!) { createPreviewLink(article: $id, expiresAt: $at) { token link { id } } }`, {
      id: story.id,
      at: new Date(Date.now() + 86_400_000).toISOString(),
    });
    story.token = link.createPreviewLink.token;
    story.linkId = link.createPreviewLink.link.id;
    story.revisionIds = (await editorial<{ article: { revisions: { nodes: Array<{ id: string }> } } }>(`query($id: ID!) { article(id: $id) { revisions { nodes { id } } } }`, { id: story.id })).article.revisions.nodes.map((r) => r.id);
  });

  /** No answer a reader gets holds the draft, and a refusal holds no data. */
  const expectNothingShown = (res: GraphQLResponse<unknown>) => {
    for (const secret of SECRETS) expect(res.text).not.toContain(secret);
    expect(res.text).not.toContain("Koreksi saat terbit");
  };

  it.each([["a reader"], ["a moderator"]])("%s finds the story, its revisions, its note and its link on no path", async (who) => {
    const headers = who === "a reader" ? {} : as.MODERATOR;
    const ask = (query: string, variables: Record<string, unknown> = {}) => t.gql(query, variables, headers);
    const nulls = [
      await ask(`query($id: ID!) { article(id: $id) { title corrections { text } correctedAt } }`, { id: story.id }),
      await ask(`query($slug: String!) { article(slug: $slug) { title corrections { text } } }`, { slug: story.slug }),
      ...(await Promise.all([...story.revisionIds, story.correctionId, story.linkId].map((id) => ask(`query($id: ID!) { node(id: $id) { id } }`, { id })))),
    ];
    for (const res of nulls) {
      expectNothingShown(res);
      expect(res.body.errors).toBeUndefined();
      expect(Object.values(res.body.data!)).toEqual([null]);
    }
    const lists = await ask(`{ articles(first: 100, filter: { status: DRAFT }) { nodes { title } } search: articles(first: 100, filter: { search: "embargo" }) { totalCount } tags { name } }`);
    expectNothingShown(lists);
    expect(lists.body.data).toMatchObject({ articles: { nodes: [] }, search: { totalCount: 0 } });

    // What is editors' alone is refused whatever story it is asked of: no data, no count.
    const code = who === "a reader" ? "UNAUTHENTICATED" : "FORBIDDEN";
    const published = toGlobalId("Article", s.published[0]!.pk);
    for (const [query, variables] of [
      [`query($id: ID!) { article(id: $id) { revisions { totalCount nodes { title body } } previewLinks { id } } }`, { id: published }],
      [`query($id: ID!) { articleRevisionDiff(article: $id, from: 1, to: 2) { fields { field } } }`, { id: story.id }],
      [`mutation($id: ID!) { restoreArticleRevision(revision: $id) { title } }`, { id: story.revisionIds[0] }],
      [`mutation($id: ID!) { revokePreviewLink(id: $id) { id } }`, { id: story.linkId }],
      [`mutation($id: ID!) { createPreviewLink(article: $id, expiresAt: "2099-01-01T00:00:00Z") { token } }`, { id: story.id }],
      [`mutation($id: ID!) { addCorrection(article: $id, text: "Koreksi pembaca") { title } }`, { id: published }],
    ] as const) {
      const res = await ask(query, variables);
      expectNothingShown(res);
      expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(expect.arrayContaining([code]));
      expect(JSON.stringify(res.body.data ?? null)).not.toMatch(/totalCount|title|token|fields/);
    }
    // Ids of other kinds are not preview tokens.
    for (const token of [story.linkId, story.revisionIds[0]!, story.id]) expectNothingShown(await ask(`query($token: String!) { articlePreview(token: $token) { title } }`, { token }));
  });

  it("a preview link's holder reads the draft and not the revisions or links behind it", async () => {
    const res = await t.gql<{ articlePreview: { title: string; corrections: Array<{ text: string }>; revisions: unknown; previewLinks: unknown } }>(
      `query($token: String!) { articlePreview(token: $token) { title corrections { text } revisions { nodes { title } } previewLinks { id } } }`,
      { token: story.token },
    );
    expect(res.body.data?.articlePreview).toEqual({ title: "Judul embargo", corrections: [{ text: "Koreksi saat terbit." }], revisions: null, previewLinks: null });
    expect(res.text).not.toContain("Berita terbit lalu dikoreksi");
  });

  it("feeds replay the note only as the story stood when it was published, and never its draft", async () => {
    const client = connect(t.server.port);
    try {
      const sub = client.subscribe<{ articleEvents: { type: string; article: { title: string; correctedAt: string | null; corrections: Array<{ text: string }> } } }>(
        `subscription($after: String) { articleEvents(after: $after, filter: { tag: "koreksi" }) { type article { title summary body correctedAt corrections { text } tags { name } } } }`,
        { after: ORIGIN },
      );
      const events = (await sub.waitFor(3)).map((r) => r.data!.articleEvents);
      expect(events.map((e) => [e.type, e.article.title, e.article.corrections.map((c) => c.text)])).toEqual([
        ["PUBLISHED", "Berita terbit lalu dikoreksi", []],
        ["UPDATED", "Berita terbit lalu dikoreksi", ["Koreksi saat terbit."]],
        ["UNPUBLISHED", "Berita terbit lalu dikoreksi", ["Koreksi saat terbit."]],
      ]);
      for (const secret of SECRETS) expect(JSON.stringify(sub.received)).not.toContain(secret);
    } finally {
      await client.close();
    }
  });
});
