/** The benchmark's reads, as a client sends them, and how their answers are compared. */

/** Q1, the article page: one story by slug with its institutions and its quotes' speakers. */
export const Q1_ARTICLE_PAGE = `query ArticlePage($slug: String!) {
  article(slug: $slug) { title body publishedAt institutions { name slug } quotes { text speaker { name } } }
}`;

/** Q2, the front page: the 20 newest published stories; the page shows each one's first institution. */
export const Q2_FRONT_PAGE = `query FrontPage {
  articles(first: 20) { nodes { id slug title summary publishedAt institutions { name } } }
}`;

/** Q0, not a page: the cheapest operation there is, the cost of the HTTP and GraphQL plumbing alone. */
export const Q0_TYPENAME = `query Floor { __typename }`;

/** The published story the live-feed runs subscribe to. */
export const SUBSCRIBE_PUBLISHED = `subscription Ticker { articlePublished { cursor type article { id slug title publishedAt } } }`;

export const CREATE_DRAFT = `mutation Draft($input: CreateArticleInput!) { createArticle(input: $input) { id slug status } }`;
export const PUBLISH = `mutation Publish($id: ID!) { publishArticle(id: $id) { id status publishedAt } }`;

export function q1Body(slug: string): string {
  return JSON.stringify({ operationName: "ArticlePage", query: Q1_ARTICLE_PAGE, variables: { slug } });
}

export function q0Body(): string {
  return JSON.stringify({ operationName: "Floor", query: Q0_TYPENAME, variables: {} });
}

export function q2Body(): string {
  return JSON.stringify({ operationName: "FrontPage", query: Q2_FRONT_PAGE, variables: {} });
}

interface FrontPageData {
  articles: { nodes: Array<{ id: string; slug: string; title: string; summary: string | null; publishedAt: string | null; institutions: Array<{ name: string }> }> };
}

/**
 * Q2 as the page uses it: the ceiling answers only the first institution (one statement), the
 * GraphQL server all of them (the schema has no "first institution" field), so both are reduced
 * to the first one's name before comparing.
 */
export function normalizeFrontPage(data: FrontPageData): unknown {
  return data.articles.nodes.map((n) => ({ id: n.id, slug: n.slug, title: n.title, summary: n.summary, publishedAt: n.publishedAt, institution: n.institutions[0]?.name ?? null }));
}
