import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { runClientScript } from "../helpers/clients";
import type { SentRequest } from "../helpers/clients";
import { dataOf } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import { bearer, mintToken } from "../helpers/tokens";
import { wsUrl } from "../helpers/ws";
import { useTestServer } from "../helpers/fixture";

const ROOT = path.resolve(__dirname, "..", "..");
const RECIPES = path.join(__dirname, "recipes");

interface ApolloPaging {
  page1: string[];
  page2: string[];
  merged: string[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  sent: SentRequest[];
}
interface ApolloLive {
  query: { articles: { totalCount: number } };
  event: { articlePublished: { cursor: string; type: string; article: { id: string; title: string } } } | null;
  errors: string | null;
  sent: SentRequest[];
}
interface UrqlLive {
  data: { articlePublished: { cursor: string; article: { id: string; title: string } } } | null;
  error: unknown;
  sent: SentRequest[];
}
interface LiveAttempts {
  connecting: number;
  closes: number[];
  ended: { code: number | null; reason: string } | null;
}

/** Waits (polling, bounded) until the server holds at least `count` subscriptions. */
async function subscribed(t: TestServer, count: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (t.server.stats.activeSubscriptions < count) {
    if (Date.now() > deadline) throw new Error(`waited for ${count} subscriptions, the server holds ${t.server.stats.activeSubscriptions}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The client recipes (tests/clients/recipes/, quoted in docs/clients.md), each run in a Node process of its own against a real server. */
describe("the client recipes against the server", () => {
  const t = useTestServer({ seed: true });
  let editor: string;
  let admin: string;
  const publishStory = async (title: string): Promise<string> => {
    const id = dataOf<{ createArticle: { id: string } }>(
      await t.gql(`mutation ($input: CreateArticleInput!) { createArticle(input: $input) { id } }`, { input: { title, body: "Isi berita." } }, bearer(editor)),
    ).createArticle.id;
    dataOf(await t.gql(`mutation ($id: ID!) { publishArticle(id: $id) { status } }`, { id }, bearer(editor)));
    return id;
  };

  beforeAll(async () => {
    editor = await mintToken(t, "EDITOR");
    admin = await mintToken(t, "ADMIN");
    // The seed's one story and three more: two pages of two.
    for (const n of [1, 2, 3]) await publishStory(`Berita untuk halaman ${n}`);
  });

  describe("Apollo Client (HttpLink + GraphQLWsLink, split by operation type)", () => {
    it("pages a connection with fetchMore, and relayStylePagination merges the two pages in the cache", async () => {
      const all = dataOf<{ articles: { nodes: Array<{ id: string }> } }>(await t.gql(`{ articles(first: 100) { nodes { id } } }`)).articles.nodes.map((n) => n.id);
      expect(all.length).toBe(4);
      const result = await runClientScript<ApolloPaging>("apollo.mjs", ["paging", t.server.url, "2"]);
      expect(result.page1).toEqual(all.slice(0, 2));
      expect(result.page2).toEqual(all.slice(2, 4));
      expect(result.merged).toEqual(all);
      expect(result.pageInfo.hasNextPage).toBe(false);
      // Both pages over HTTP, nothing else.
      expect(result.sent).toEqual([
        { method: "POST", url: t.server.url, contentType: "application/json", status: 200 },
        { method: "POST", url: t.server.url, contentType: "application/json", status: 200 },
      ]);
    });

    it("sends the query over HTTP and the subscription over graphql-ws, which receives a story as it is published", async () => {
      const before = t.server.stats.activeSubscriptions;
      const running = runClientScript<ApolloLive>("apollo.mjs", ["subscribe", t.server.url]);
      await subscribed(t, before + 1);
      const id = await publishStory("Berita lewat Apollo");
      const result = await running;
      expect(result.errors).toBeNull();
      expect(result.query.articles.totalCount).toBeGreaterThanOrEqual(4);
      expect(result.event?.articlePublished).toMatchObject({ type: "PUBLISHED", article: { id, title: "Berita lewat Apollo" } });
      // One fetch: the query. The subscription went over the WebSocket (the server counted it).
      expect(result.sent).toEqual([{ method: "POST", url: t.server.url, contentType: "application/json", status: 200 }]);
    });
  });

  describe("urql with subscriptionExchange (graphql-ws)", () => {
    it("receives a story as it is published, over the WebSocket", async () => {
      const before = t.server.stats.activeSubscriptions;
      const running = runClientScript<UrqlLive>("urql.mjs", [t.server.url, "subscription", "subscription { articlePublished { cursor article { id title } } }"]);
      await subscribed(t, before + 1);
      const id = await publishStory("Berita lewat urql");
      const result = await running;
      expect(result.error).toBeNull();
      expect(result.data?.articlePublished.article).toMatchObject({ id, title: "Berita lewat urql" });
      expect(result.sent).toEqual([]);
    });
  });

  describe("graphql-ws: a refused token (4403) is final", () => {
    it("with the recipe's shouldRetry, an invalid token closes with 4403 once and the client does not connect again", async () => {
      const result = await runClientScript<LiveAttempts>("live.mjs", ["recipe", wsUrl(t.server.port), "nwr_not-a-real-token", "2500"]);
      expect(result).toEqual({ connecting: 1, closes: [4403], ended: { code: 4403, reason: expect.stringMatching(/Forbidden/) } });
    });

    it("with the recipe's shouldRetry, revoking the token while subscribed closes with 4403 and the client does not connect again", async () => {
      const created = dataOf<{ createApiToken: { token: string; apiToken: { id: string } } }>(
        await t.gql(`mutation { createApiToken(role: EDITOR, name: "ticker") { token apiToken { id } } }`, {}, bearer(admin)),
      ).createApiToken;
      const before = t.server.stats.activeSubscriptions;
      const running = runClientScript<LiveAttempts>("live.mjs", ["recipe", wsUrl(t.server.port), created.token, "2500"]);
      await subscribed(t, before + 1);
      dataOf(await t.gql(`mutation ($id: ID!) { revokeApiToken(id: $id) }`, { id: created.apiToken.id }, bearer(admin)));
      const result = await running;
      expect(result).toEqual({ connecting: 1, closes: [4403], ended: { code: 4403, reason: expect.stringMatching(/revoked/) } });
    });

    it("without it, graphql-ws's own shouldRetry reconnects after 4403 (the loop the recipe prevents)", async () => {
      const result = await runClientScript<LiveAttempts>("live.mjs", ["default", wsUrl(t.server.port), "nwr_not-a-real-token", "3"]);
      expect(result.connecting).toBe(3);
      expect(result.closes.slice(0, 2)).toEqual([4403, 4403]);
      expect(result.ended).toBeNull();
    });
  });

  describe("docs/clients.md quotes the recipes as they are", () => {
    const readme = fs.readFileSync(path.join(ROOT, "docs", "clients.md"), "utf8");
    for (const file of fs.readdirSync(RECIPES).sort()) {
      it(`tests/clients/recipes/${file} is in docs/clients.md, character for character`, () => {
        const marker = `<!-- recipe: tests/clients/recipes/${file} -->`;
        const at = readme.indexOf(marker);
        expect(at).toBeGreaterThan(-1);
        // The fenced block right under the marker.
        const block = /^\n```\w*\n([^]*?\n)```(?:\n|$)/.exec(readme.slice(at + marker.length));
        expect(block?.[1]).toBe(fs.readFileSync(path.join(RECIPES, file), "utf8"));
      });
    }
  });
});
