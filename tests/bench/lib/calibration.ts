import { getIntrospectionQuery } from "graphql";

/*
 * The operations the cost estimate is calibrated against (`npm run calibrate`) and that
 * tests/policy/cost-calibration.spec.ts proves the default limits admit: what real pages send, and the
 * attack shapes that try to get the most server work past the limits. Plain text only, so the
 * driver, the test and the README all mean the same documents.
 */

/** Values the realistic operations need, read from whatever server they run against. */
export interface Samples {
  articleSlug: string;
  institutionSlug: string;
  institutionId: string;
  personSlug: string;
  /** A word readers would search for, from a real title. */
  search: string;
  /** What a reader types to find a person: the first word of a real name. */
  personSearch: string;
}

/** What {@link samplesFrom} reads: the newest stories, their institutions and people. */
export const SAMPLES_QUERY = `{ articles(first: 20) { nodes { slug title institutions { id slug } people { slug name } } } }`;

interface SamplesData {
  articles: { nodes: Array<{ slug: string; title: string; institutions: Array<{ id: string; slug: string }>; people: Array<{ slug: string; name: string }> }> };
}

export function samplesFrom(data: SamplesData): Samples {
  const story = data.articles.nodes.find((n) => n.institutions.length > 0 && n.people.length > 0);
  if (!story?.institutions[0] || !story.people[0]) throw new Error("no recent story has an institution and a person to sample");
  const search = story.title.split(/\s+/).find((word) => /^\p{L}{4,}$/u.test(word));
  if (!search) throw new Error(`no searchable word in the title '${story.title}'`);
  const [institution, person] = [story.institutions[0], story.people[0]];
  return {
    articleSlug: story.slug,
    institutionSlug: institution.slug,
    institutionId: institution.id,
    personSlug: person.slug,
    search,
    personSearch: person.name.split(/\s+/)[0]!,
  };
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
    name: "person page, fact graph (posts with their institutions' stories and quotes, quotes across stories with the story count of the institution spoken for; with counts)",
    query: `query PersonFacts($slug: String!) {
  person(slug: $slug) {
    id slug name
    positions {
      title current
      institution {
        name slug kind parent { name slug }
        articles(first: 5) { totalCount nodes { slug title publishedAt } }
        quotes(first: 3) { totalCount nodes { text speaker { name slug } } }
      }
    }
    quotes(first: 20) {
      totalCount
      nodes {
        text attribution position
        article { slug title publishedAt commentCount people { name slug } }
        institution { name slug articles(first: 1) { totalCount } }
      }
      pageInfo { hasNextPage endCursor }
    }
    articles(first: 20) { totalCount nodes { slug title summary publishedAt institutions { name slug } } pageInfo { hasNextPage endCursor } }
  }
}`,
    variables: (s) => ({ slug: s.personSlug }),
  },
  {
    name: "people search with quote counts (the refused reader query)",
    query: `query PeopleQuotes($search: String!) {
  people(filter: { search: $search }) { nodes { name quotes { totalCount nodes { text } } } }
}`,
    variables: (s) => ({ search: s.personSearch }),
  },
  {
    name: "people directory (search; posts, three latest quotes and quote count each)",
    query: `query PeopleDirectory($search: String!) {
  people(first: 20, filter: { search: $search }) {
    totalCount
    nodes {
      slug name
      positions { title current institution { name slug } }
      quotes(first: 3) { totalCount nodes { text article { slug title publishedAt } } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`,
    variables: (s) => ({ search: s.personSearch }),
  },
  {
    name: "institution page, fact graph (units below with story counts, heads over time with their stories and quotes, accreditations, stories, quotes; with counts)",
    query: `query InstitutionFacts($slug: String!) {
  institution(slug: $slug) {
    id slug name shortName kind classification city province
    parent { name slug parent { name slug } }
    children { name slug kind articles(first: 1) { totalCount } }
    accreditations { code title year }
    positions {
      title current
      person { name slug articles(first: 3) { totalCount nodes { slug title } } quotes(first: 3) { totalCount nodes { text article { slug title } } } }
    }
    articles(first: 20) { totalCount nodes { slug title summary publishedAt people { name slug } } pageInfo { hasNextPage endCursor } }
    quotes(first: 10) { totalCount nodes { text attribution speaker { name slug } article { slug title publishedAt } } pageInfo { hasNextPage endCursor } }
  }
}`,
    variables: (s) => ({ slug: s.institutionSlug }),
  },
  {
    name: "institution directory (20 units with heads, accreditations, five latest stories and story count each)",
    query: `query InstitutionDirectory {
  institutions(first: 20, filter: { kind: LAPAS }) {
    totalCount
    nodes {
      slug name shortName kind classification city province
      positions { title current person { name slug } }
      accreditations { code title year }
      articles(first: 5) { totalCount nodes { slug title publishedAt } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`,
    variables: () => ({}),
  },
  {
    name: "quotes by institution (speakers with their posts and quote counts, stories)",
    query: `query InstitutionQuotes($id: ID!) {
  quotes(first: 20, filter: { institutionId: $id }) {
    totalCount
    nodes {
      text attribution
      speaker { name slug positions { title current institution { name slug } } quotes(first: 1) { totalCount } }
      article { slug title publishedAt }
    }
    pageInfo { hasNextPage endCursor }
  }
}`,
    variables: (s) => ({ id: s.institutionId }),
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
/** The global id of the `pk`-th row of a type (the node resolver's encoding). */
export const globalId = (type: string, pk: number) => Buffer.from(`${type}:${pk}`).toString("base64url");
/** The global id of the `pk`-th story. */
export const articleId = (pk: number) => globalId("Article", pk);
/** A cursor of a list's ordering (pagination.ts's encoding): the ordering's name, then its keys. */
const cursor = (ordering: string, ...keys: Array<string | number>) => Buffer.from(JSON.stringify([ordering, ...keys])).toString("base64url");
/** Before any story, quote or comment of either dataset: a page after it is empty, and every row lies on its far side. */
const Y2K = "2000-01-01 00:00:00.000";
/** A page of `k` rows, forward for even `i` and backward for odd: aliases with distinct page arguments, so each is a batch of its own. */
const pageOf = (i: number) => `${i % 2 === 0 ? "first" : "last"}: ${1 + (i >> 1)}`;
/** The bench's most quoted person (569 quotes), the institution with the most quotes and stories (762, 441), the tag with the most stories (1,053), and a story (5 comments). */
const BUSIEST = { person: globalId("Person", 8), institution: globalId("Institution", 8), tag: globalId("Tag", 2), article: globalId("Article", 1) };

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
  {
    name: "aliased quote pages (no index orders quotes: each sorts them all)",
    maxSize: 100,
    build: (n) => `{ ${range(n).map((i) => `q${i}: quotes(first: ${1 + (i % 10)}) { nodes { text } }`).join(" ")} }`,
  },
  {
    name: "aliased comment pages after a cursor, with the far-side flag",
    maxSize: 100,
    build: (n) => `{ ${range(n).map((i) => `c${i}: comments(first: 1, after: "${cursor("c:newest", Y2K, i + 1)}") { pageInfo { hasPreviousPage } }`).join(" ")} }`,
  },
  {
    name: "aliased story pages after a cursor, with the far-side flag",
    maxSize: 100,
    build: (n) => `{ ${range(n).map((i) => `a${i}: articles(first: 1, after: "${cursor("a:published-desc", Y2K, i + 1)}") { pageInfo { hasPreviousPage } }`).join(" ")} }`,
  },
  {
    name: "aliased quote pages after a cursor, with the far-side flag",
    maxSize: 100,
    build: (n) => `{ ${range(n).map((i) => `q${i}: quotes(first: 1, after: "${cursor("q:newest", Y2K, i + 1, 0, 1)}") { pageInfo { hasPreviousPage } }`).join(" ")} }`,
  },
  {
    name: "aliased story pages filtered by a person nobody is (the index walks every story)",
    maxSize: 100,
    build: (n) => `{ ${range(n).map((i) => `a${i}: articles(first: 1, filter: { personId: "${globalId("Person", 100_000 + i)}" }) { nodes { title } }`).join(" ")} }`,
  },
  {
    name: "50 institutions × aliased story pages (each a batch reading every link)",
    maxSize: 100,
    build: (n) => `{ institutions(first: 50) { nodes { ${range(n).map((i) => `a${i}: articles(${pageOf(i)}) { nodes { id } }`).join(" ")} } } }`,
  },
  {
    name: "50 institutions × aliased quote pages with totalCount",
    maxSize: 100,
    build: (n) => `{ institutions(first: 50) { nodes { ${range(n).map((i) => `q${i}: quotes(${pageOf(i)}) { totalCount nodes { id } }`).join(" ")} } } }`,
  },
  {
    name: "100 people × aliased quote totalCounts",
    maxSize: 100,
    build: (n) => `{ people(first: 100) { nodes { ${range(n).map((i) => `c${i}: quotes(${pageOf(i)}) { totalCount }`).join(" ")} } } }`,
  },
  {
    name: "tags × aliased story totalCounts",
    maxSize: 100,
    build: (n) => `{ tags { ${range(n).map((i) => `c${i}: articles(${pageOf(i)}) { totalCount }`).join(" ")} } }`,
  },
  {
    name: "20 institutions × aliased story pages after a cursor, with the far-side flag",
    maxSize: 100,
    build: (n) => `{ institutions(first: 20) { nodes { ${range(n).map((i) => `a${i}: articles(first: 1, after: "${cursor("a:published-desc", Y2K, i + 1)}") { pageInfo { hasPreviousPage } }`).join(" ")} } } }`,
  },
  {
    name: "the most quoted person × aliased quote pages with totalCount",
    maxSize: 100,
    build: (n) => `{ node(id: "${BUSIEST.person}") { ... on Person { ${range(n).map((i) => `q${i}: quotes(${pageOf(i)}) { totalCount nodes { id } }`).join(" ")} } } }`,
  },
  {
    name: "the most quoted institution × aliased quote pages",
    maxSize: 100,
    build: (n) => `{ node(id: "${BUSIEST.institution}") { ... on Institution { ${range(n).map((i) => `q${i}: quotes(${pageOf(i)}) { nodes { id } }`).join(" ")} } } }`,
  },
  {
    name: "the institution with the most stories × aliased story pages with totalCount",
    maxSize: 100,
    build: (n) => `{ node(id: "${BUSIEST.institution}") { ... on Institution { ${range(n).map((i) => `a${i}: articles(${pageOf(i)}) { totalCount nodes { id } }`).join(" ")} } } }`,
  },
  {
    name: "a story × aliased comment pages with totalCount",
    maxSize: 100,
    build: (n) => `{ node(id: "${BUSIEST.article}") { ... on Article { ${range(n).map((i) => `c${i}: comments(${pageOf(i)}) { totalCount nodes { id } }`).join(" ")} } } }`,
  },
  {
    name: "the busiest tag × aliased story pages with totalCount",
    maxSize: 100,
    build: (n) => `{ node(id: "${BUSIEST.tag}") { ... on Tag { ${range(n).map((i) => `a${i}: articles(${pageOf(i)}) { totalCount nodes { id } }`).join(" ")} } } }`,
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

/**
 * The largest size the default limits admit of the shapes that price a statement once per place
 * rather than per row (counts, scans, nested batches): tests/policy/cost-calibration.spec.ts admits each
 * at its size and refuses it one size up, and `npm run calibrate` fails when its bisection finds
 * another size (the weights changed: measure, then update this).
 */
export const ADMITTED_SIZES: Readonly<Record<string, number>> = {
  "aliased comment totalCount": 5,
  "institutions × story and quote totalCount": 37,
  "aliased quote pages (no index orders quotes: each sorts them all)": 5,
  "aliased comment pages after a cursor, with the far-side flag": 2,
  "aliased story pages after a cursor, with the far-side flag": 24,
  "aliased quote pages after a cursor, with the far-side flag": 2,
  "aliased story pages filtered by a person nobody is (the index walks every story)": 48,
  "50 institutions × aliased story pages (each a batch reading every link)": 1,
  "50 institutions × aliased quote pages with totalCount": 2,
  "100 people × aliased quote totalCounts": 2,
  "tags × aliased story totalCounts": 1,
  "20 institutions × aliased story pages after a cursor, with the far-side flag": 2,
  "the most quoted person × aliased quote pages with totalCount": 8,
  "the most quoted institution × aliased quote pages": 14,
  "the institution with the most stories × aliased story pages with totalCount": 25,
  "a story × aliased comment pages with totalCount": 40,
  "the busiest tag × aliased story pages with totalCount": 17,
};
