import "reflect-metadata";
import { runClientScript } from "../helpers/clients";
import type { SentRequest } from "../helpers/clients";
import { dataOf } from "../helpers/server";
import { bearer, mintToken } from "../helpers/tokens";
import { useTestServer } from "../helpers/fixture";

const SEED_SLUG = "sukses-raih-predikat-wbk-lapas-banyuwangi-jadi-rujukan-studi-tiru-lapas-bojonegoro";
const FRONT_PAGE = `query FrontPage { articles(first: 5) { totalCount nodes { title slug } } }`;
const STORY = `query Story($slug: String!) { article(slug: $slug) { title dateline quotes { text speaker { name } } } }`;
const ADD_COMMENT = `mutation PostComment($input: AddCommentInput!) { addComment(input: $input) { id body status } }`;

interface UrqlResult {
  data: Record<string, unknown> | null;
  error: { message: string; graphQLErrors: Array<{ message: string; code: string | null }>; networkError: string | null } | null;
  sent: SentRequest[];
}
interface GraphqlRequestResult {
  data: Record<string, unknown> | null;
  error: { status: number; errors: Array<{ message: string; code: string | null }> } | null;
  sent: SentRequest[];
}

/**
 * The two clients most web front ends use, each in its own Node process with default options
 * (graphql-request also with `method: "GET"`), against a real server. What they put on the
 * wire is recorded, so a test also proves which transport it exercised.
 */
describe("urql and graphql-request against the server", () => {
  const t = useTestServer({ seed: true });
  let moderator: string;
  let articleId: string;
  /** The answers over a plain JSON POST, which every client must get too. */
  let frontPage: Record<string, unknown>;
  let story: Record<string, unknown>;

  beforeAll(async () => {
    moderator = await mintToken(t, "MODERATOR");
    frontPage = dataOf(await t.gql(FRONT_PAGE));
    story = dataOf(await t.gql(STORY, { slug: SEED_SLUG }));
    const seed = dataOf<{ article: { id: string } | null }>(await t.gql(`query ($slug: String!) { article(slug: $slug) { id } }`, { slug: SEED_SLUG }));
    articleId = seed.article!.id;
  });

  /** Every comment on the seed story, of any status (a moderator's view): what a mutation could have written. */
  async function comments(): Promise<Array<{ body: string; status: string }>> {
    const data = dataOf<{ comments: { nodes: Array<{ body: string; status: string }> } }>(
      await t.gql(`query ($id: ID!) { comments(first: 100, filter: { articleId: $id }) { nodes { body status } } }`, { id: articleId }, bearer(moderator)),
    );
    return data.comments.nodes;
  }

  it("the reference answers hold the seed story", () => {
    expect(frontPage).toMatchObject({ articles: { nodes: expect.arrayContaining([expect.objectContaining({ slug: SEED_SLUG })]) } });
    expect((story as { article: { quotes: unknown[] } }).article.quotes.length).toBeGreaterThan(0);
  });

  describe("urql (@urql/core Client, default exchanges and options)", () => {
    it("sends queries as GET with no content type, and gets the same answers as a POST", async () => {
      for (const [document, variables, expected] of [
        [FRONT_PAGE, {}, frontPage],
        [STORY, { slug: SEED_SLUG }, story],
      ] as const) {
        const result = await runClientScript<UrqlResult>("urql.mjs", [t.server.url, "query", document, JSON.stringify(variables)]);
        expect(result.error).toBeNull();
        expect(result.sent).toEqual([{ method: "GET", url: expect.stringContaining("/graphql?query="), contentType: null, status: 200 }]);
        // urql's document cache adds __typename to every selection; the rest is the same answer.
        expect(result.data).toMatchObject(expected);
      }
    });

    it("sends a mutation as a JSON POST, and it runs", async () => {
      const body = `Komentar lewat urql ${Date.now()}`;
      const input = { articleId, authorName: "Pembaca urql", authorEmail: "pembaca@example.com", body };
      const result = await runClientScript<UrqlResult>("urql.mjs", [t.server.url, "mutation", ADD_COMMENT, JSON.stringify({ input })]);
      expect(result.error).toBeNull();
      expect(result.sent).toEqual([{ method: "POST", url: t.server.url, contentType: "application/json", status: 200 }]);
      expect(result.data).toMatchObject({ addComment: { body, status: "PENDING" } });
      expect(await comments()).toContainEqual({ body, status: "PENDING" });
    });

    it("a mutation never runs over GET, whatever the headers, and nothing is stored", async () => {
      const before = await comments();
      const body = `Komentar lewat GET ${Date.now()}`;
      const mutation = `mutation { addComment(input: { articleId: "${articleId}", authorName: "Lewat GET", authorEmail: "get@example.com", body: "${body}" }) { id } }`;
      // Bare, as a link or an <img> would send it; and with the header that satisfies Apollo's CSRF check, so that check is not what refuses it.
      for (const headers of [{}, { "apollo-require-preflight": "true" }] as Array<Record<string, string>>) {
        const res = await fetch(`${t.server.url}?${new URLSearchParams({ query: mutation })}`, { headers });
        const answer = (await res.json()) as { data?: unknown; errors?: unknown[] };
        expect({ status: res.status, allow: res.headers.get("allow") }).toEqual({ status: 405, allow: "POST" });
        expect(answer.errors?.length).toBeGreaterThan(0);
        expect(answer.data ?? null).toBeNull();
      }
      const after = await comments();
      expect(after).toEqual(before);
      expect(after.map((c) => c.body)).not.toContain(body);
    });
  });

  describe("graphql-request (GraphQLClient)", () => {
    for (const method of ["POST", "GET"] as const) {
      it(`with ${method === "POST" ? "default options (POST)" : 'method: "GET"'}: gets the same answers as a JSON POST`, async () => {
        for (const [document, variables, expected] of [
          [FRONT_PAGE, {}, frontPage],
          [STORY, { slug: SEED_SLUG }, story],
        ] as const) {
          const result = await runClientScript<GraphqlRequestResult>("graphql-request.mjs", [t.server.url, method, document, JSON.stringify(variables)]);
          expect(result.error).toBeNull();
          expect(result.sent).toEqual([{ method, url: method === "GET" ? expect.stringContaining("/graphql?query=") : t.server.url, contentType: method === "GET" ? null : "application/json", status: 200 }]);
          expect(result.data).toEqual(expected);
        }
      });
    }
  });
});
