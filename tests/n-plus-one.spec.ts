import "reflect-metadata";
import { DEFAULT_LIMITS } from "../src/common/limits";
import { regionalNewsroom } from "./helpers/scenarios";
import { dataOf, startTestServer } from "./helpers/server";
import type { TestServer } from "./helpers/server";

/** Counts the SQL statements one GraphQL request runs, through the store's query listener. */
async function statementsOf(t: TestServer, query: string, variables: Record<string, unknown>): Promise<{ count: number; data: unknown }> {
  const seen: string[] = [];
  const listener = (sql: string) => void seen.push(sql);
  t.server.db.listeners.add(listener);
  try {
    const data = dataOf(await t.gql(query, variables));
    return { count: seen.length, data };
  } finally {
    t.server.db.listeners.delete(listener);
  }
}

describe("no N+1", () => {
  let t: TestServer;
  beforeAll(async () => {
    // The deepest page here costs more than the default ceiling; the ceiling has its own tests.
    t = await startTestServer({ seed: true, config: { limits: { ...DEFAULT_LIMITS, maxComplexity: 100_000 } } });
    await regionalNewsroom(t.server.db);
  });
  afterAll(async () => {
    await t.close();
  });

  /*
   * A loader reached along two paths (people of a story, speakers of its quotes) may dispatch one
   * batch or two depending on when the database answers, so the count can differ by a few
   * between runs; what it never does is follow the number of rows. The ceiling is the number of
   * loader batches the query shape allows, well below one statement per story.
   */
  it("runs a fixed number of statements for 1, 5, 20 and 40 stories with all their relations", async () => {
    const counts: number[] = [];
    for (const first of [1, 5, 20, 40]) {
      const { count, data } = await statementsOf(t, FRONT_PAGE_DEEP, { first });
      expect((data as { articles: { nodes: unknown[] } }).articles.nodes).toHaveLength(first);
      counts.push(count);
    }
    expect(Math.max(...counts)).toBeLessThanOrEqual(16);
    expect(counts[3]! - counts[0]!).toBeLessThanOrEqual(3);
  });

  it("batches nested connections across parents (institutions with their stories, people with their quotes)", async () => {
    const small = await statementsOf(t, NESTED, { first: 1 });
    const large = await statementsOf(t, NESTED, { first: 6 });
    expect((large.data as { institutions: { nodes: unknown[] } }).institutions.nodes.length).toBe(6);
    expect((large.data as { people: { nodes: unknown[] } }).people.nodes.length).toBe(5);
    expect(large.count).toBeLessThanOrEqual(small.count + 3);
    expect(large.count).toBeLessThanOrEqual(20);
  });

  it("reports the front-page query's statement count", async () => {
    const { count } = await statementsOf(t, FRONT_PAGE, {});
    // The figure quoted in the README and the issue note; it must not creep up unnoticed.
    expect(count).toBe(4);
  });
});

const FRONT_PAGE_DEEP = `
  query Deep($first: Int) {
    articles(first: $first) {
      totalCount
      nodes {
        title
        institutions { name parent { name } }
        people { name positions { title institution { name } } }
        tags { slug }
        quotes { text speaker { name } institution { shortName } }
        commentCount
      }
    }
  }`;

const NESTED = `
  query Nested($first: Int) {
    institutions(first: $first) { nodes { name articles(first: 3) { totalCount nodes { title } } quotes(first: 2) { nodes { text speaker { name } } } } }
    people(first: $first) { nodes { name quotes(first: 2) { totalCount nodes { text } } articles(first: 2) { nodes { title } } } }
  }`;

const FRONT_PAGE = `
  query FrontPage {
    articles(first: 20) { nodes { id slug title summary publishedAt institutions { name } } }
  }`;
