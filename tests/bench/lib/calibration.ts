import { getIntrospectionQuery } from "graphql";

/*
 * The operations the cost estimate is calibrated against (`npm run calibrate`) and that
 * tests/cost-calibration.spec.ts proves the default limits admit: what real pages send, and the
 * attack shapes that try to get the most server work past the limits. Plain text only, so the
 * driver, the test and the README all mean the same documents.
 */

/** Values the realistic operations need, read from whatever server they run against. */
export interface Samples {
  articleSlug: string;
  institutionSlug: string;
  personSlug: string;
  /** A word readers would search for, from a real title. */
  search: string;
}

/** What {@link samplesFrom} reads: the newest stories, their institutions and people. */
export const SAMPLES_QUERY = `{ articles(first: 20) { nodes { slug title institutions { slug } people { slug } } } }`;

interface SamplesData {
  articles: { nodes: Array<{ slug: string; title: string; institutions: Array<{ slug: string }>; people: Array<{ slug: string }> }> };
}

export function samplesFrom(data: SamplesData): Samples {
  const story = data.articles.nodes.find((n) => n.institutions.length > 0 && n.people.length > 0);
  if (!story?.institutions[0] || !story.people[0]) throw new Error("no recent story has an institution and a person to sample");
  const search = story.title.split(/\s+/).find((word) => /^\p{L}{4,}$/u.test(word));
  if (!search) throw new Error(`no searchable word in the title '${story.title}'`);
  return { articleSlug: story.slug, institutionSlug: story.institutions[0].slug, personSlug: story.people[0].slug, search };
}

export interface RealisticOperation {
  readonly name: string;
  readonly query: string;
  variables(samples: Samples): Record<string, unknown>;
  /** Sent with a token of this role; anonymous otherwise. */
  readonly role?: "MODERATOR";
}

/** graphql-js's standard introspection query with every option on: what GraphiQL 5 and GraphQL Code Generator send. */
export const STANDARD_INTROSPECTION_QUERY = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true });

export const REALISTIC_OPERATIONS: readonly RealisticOperation[] = [
  {
    name: "front page",
    query: `query FrontPage {
  articles(first: 20) {
    nodes { id slug title summary publishedAt commentCount institutions { name slug } tags { name slug } }
    pageInfo { hasNextPage endCursor }
  }
}`,
    variables: () => ({}),
  },
  {
    name: "article page, everything",
    query: `query ArticlePage($slug: String!) {
  article(slug: $slug) {
    id slug title summary dateline source status publishedAt updatedAt body paragraphs commentCount
    tags { slug name }
    institutions { id slug name shortName kind classification city province parent { name slug } accreditations { code title year } }
    people { id slug name positions { title current institution { name slug } } }
    quotes { id text attribution position speaker { name slug } institution { name slug } }
    comments(first: 20) {
      totalCount
      nodes { id authorName authorWebsite body createdAt replies { id authorName authorWebsite body createdAt } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`,
    variables: (s) => ({ slug: s.articleSlug }),
  },
  {
    name: "search page, 50 results",
    query: `query SearchPage($search: String!) {
  articles(first: 50, filter: { search: $search }) {
    totalCount
    nodes {
      id slug title summary publishedAt
      institutions { name slug accreditations { code title year } }
      people { name slug positions { title current institution { name slug } } }
      quotes { text speaker { name slug } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`,
    variables: (s) => ({ search: s.search }),
  },
  {
    name: "institution page",
    query: `query InstitutionPage($slug: String!) {
  institution(slug: $slug) {
    id slug name shortName kind classification city province
    parent { name slug }
    children { name slug kind }
    accreditations { code title year }
    positions { title current person { name slug } }
    articles(first: 20) { totalCount nodes { slug title summary publishedAt } pageInfo { hasNextPage endCursor } }
    quotes(first: 20) { totalCount nodes { text attribution speaker { name slug } article { slug title } } pageInfo { hasNextPage endCursor } }
  }
}`,
    variables: (s) => ({ slug: s.institutionSlug }),
  },
  {
    name: "person page",
    query: `query PersonPage($slug: String!) {
  person(slug: $slug) {
    id slug name
    positions { title current institution { name slug kind } }
    quotes(first: 20) { totalCount nodes { text attribution article { slug title publishedAt } institution { name slug } } pageInfo { hasNextPage endCursor } }
    articles(first: 20) { totalCount nodes { slug title summary publishedAt } pageInfo { hasNextPage endCursor } }
  }
}`,
    variables: (s) => ({ slug: s.personSlug }),
  },
  {
    name: "moderation queue (MODERATOR)",
    query: `query ModerationQueue {
  comments(first: 50, filter: { status: PENDING }) {
    totalCount
    nodes { id authorName authorWebsite body status createdAt article { id slug title } parent { id authorName body } }
    pageInfo { hasNextPage endCursor }
  }
}`,
    variables: () => ({}),
    role: "MODERATOR",
  },
  {
    name: "standard introspection query",
    query: STANDARD_INTROSPECTION_QUERY,
    variables: () => ({}),
  },
];

/** An attack shape sized by one number: the driver finds the largest size the default limits admit. */
export interface AttackFamily {
  readonly name: string;
  /** Sizes from 1 to this are tried. */
  readonly maxSize: number;
  build(size: number): string;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** A day before the first story of both datasets, shifted by `i` minutes: aliases with distinct arguments, so nothing is answered twice from one read. */
const since = (i: number) => new Date(Date.parse("2000-01-01T00:00:00.000Z") + i * 60_000).toISOString();
/** The global id of the `pk`-th story (the node resolver's encoding). */
export const articleId = (pk: number) => Buffer.from(`Article:${pk}`).toString("base64");

/** The standard introspection query's `__schema` selection and fragments, to be aliased. */
const INTROSPECTION_PARTS = (() => {
  const start = STANDARD_INTROSPECTION_QUERY.indexOf("__schema");
  const open = STANDARD_INTROSPECTION_QUERY.indexOf("{", start);
  let depth = 0;
  let end = open;
  for (; end < STANDARD_INTROSPECTION_QUERY.length; end++) {
    if (STANDARD_INTROSPECTION_QUERY[end] === "{") depth++;
    if (STANDARD_INTROSPECTION_QUERY[end] === "}" && --depth === 0) break;
  }
  const selection = STANDARD_INTROSPECTION_QUERY.slice(open, end + 1);
  const fragments = STANDARD_INTROSPECTION_QUERY.slice(STANDARD_INTROSPECTION_QUERY.indexOf("fragment "));
  return { selection, fragments };
})();

/** `n` aliased copies of the standard introspection's `__schema` (the policy allows three roots). */
export function aliasedIntrospection(n: number, extra = ""): string {
  return `query { ${range(n).map((i) => `introspection${i}: __schema ${INTROSPECTION_PARTS.selection}`).join(" ")} ${extra} } ${INTROSPECTION_PARTS.fragments}`;
}

/** Every alias a full-text search over all stories (`"a"*` matches nearly every one), ranked by bm25, counted. */
export const relevanceSearches = (n: number) => `{ ${range(n).map((i) => `s${i}: articles(first: 1, filter: { search: "a", publishedAfter: "${since(i)}" }, orderBy: RELEVANCE) { totalCount nodes { title } }`).join(" ")} }`;

export const ATTACK_FAMILIES: readonly AttackFamily[] = [
  { name: "aliased relevance searches with totalCount", maxSize: 100, build: relevanceSearches },
  {
    name: "aliased relevance searches",
    maxSize: 100,
    build: (n) => `{ ${range(n).map((i) => `s${i}: articles(first: 1, filter: { search: "a", publishedAfter: "${since(i)}" }, orderBy: RELEVANCE) { nodes { title } }`).join(" ")} }`,
  },
  {
    name: "aliased searches (newest first) with totalCount",
    maxSize: 100,
    build: (n) => `{ ${range(n).map((i) => `s${i}: articles(first: 1, filter: { search: "a", publishedAfter: "${since(i)}" }) { totalCount nodes { title } }`).join(" ")} }`,
  },
  {
    name: "aliased quote searches with totalCount",
    maxSize: 100,
    build: (n) => `{ ${range(n).map((i) => `s${i}: quotes(first: 1, filter: { search: "${"aeiou"[i % 5]}" }) { totalCount nodes { text } }`).join(" ")} }`,
  },
  {
    name: "aliased story totalCount",
    maxSize: 100,
    build: (n) => `{ ${range(n).map((i) => `c${i}: articles(first: 1, filter: { publishedAfter: "${since(i)}" }) { totalCount }`).join(" ")} }`,
  },
  {
    name: "aliased comment totalCount",
    maxSize: 100,
    build: (n) => `{ ${range(n).map((i) => `c${i}: comments(first: ${1 + (i % 50)}) { totalCount }`).join(" ")} }`,
  },
  {
    name: "institutions × story and quote totalCount",
    maxSize: 50,
    build: (n) => `{ institutions(first: ${n}) { nodes { articles(first: 1) { totalCount } quotes(first: 1) { totalCount } } } }`,
  },
  {
    name: "institutions × 100 stories with body and paragraphs",
    maxSize: 50,
    build: (n) => `{ institutions(first: ${n}) { nodes { articles(first: 100) { totalCount nodes { title body paragraphs } } } } }`,
  },
  {
    name: "aliased pages of 100 stories with body and paragraphs",
    maxSize: 100,
    build: (n) => `{ ${range(n).map((i) => `p${i}: articles(first: 100, filter: { publishedAfter: "${since(i)}" }) { nodes { title body paragraphs } }`).join(" ")} }`,
  },
  {
    name: "tags × 100 stories with body (tags priced as a short list)",
    maxSize: 100,
    build: (n) => `{ ${range(n).map((i) => `t${i}: tags { articles(first: ${100 - i}) { totalCount nodes { body paragraphs } } }`).join(" ")} }`,
  },
  {
    name: "people → quotes → story → comments → replies, depth 10",
    maxSize: 100,
    build: (n) => `{ people(first: ${n}) { nodes { quotes(first: 20) { nodes { article { body comments(first: 20) { totalCount nodes { replies { article { title } } } } } } } } } }`,
  },
  {
    name: "institution tree: children × children × stories",
    maxSize: 100,
    build: (n) => `{ institutions(first: ${n}) { nodes { children { children { articles(first: 20) { totalCount nodes { body } } } } } } }`,
  },
  {
    name: "aliased node(id) story pages with 100 comments",
    maxSize: 100,
    build: (n) =>
      `{ ${range(n).map((i) => `n${i}: node(id: "${articleId(i + 1)}") { ... on Article { body paragraphs quotes { text speaker { name } } comments(first: 100) { totalCount nodes { body replies { body } } } } }`).join(" ")} }`,
  },
  {
    name: "aliases through fragments (10 per fragment) of story pages",
    maxSize: 20,
    build: (n) =>
      `{ ${range(n).map((f) => `...F${f}`).join(" ")} } ${range(n)
        .map((f) => `fragment F${f} on Query { ${range(10).map((i) => `f${f}a${i}: articles(first: 100, filter: { publishedAfter: "${since(f * 10 + i)}" }) { nodes { body } }`).join(" ")} }`)
        .join(" ")}`,
  },
  { name: "standard introspection ×N (aliased __schema)", maxSize: 10, build: (n) => aliasedIntrospection(n) },
  {
    name: "deep __type ×N (FullType of Query)",
    maxSize: 10,
    build: (n) => `query { ${range(n).map((i) => `t${i}: __type(name: "${["Query", "Article", "Mutation", "Institution"][i % 4]}") { ...FullType }`).join(" ")} } ${INTROSPECTION_PARTS.fragments}`,
  },
];

/**
 * The most expensive data shape the default limits admit, as `npm run calibrate` found it on the
 * bench dataset (README, Calibration): one size more is refused.
 */
export const WORST_ADMITTED = { family: "aliased relevance searches", size: 7 } as const;
