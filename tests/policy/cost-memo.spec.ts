import "reflect-metadata";
import fc from "fast-check";
import { getOperationAST, parse } from "graphql";
import { getVariableValues } from "graphql/execution/values";
import type { GraphQLSchema } from "graphql";
import { DEFAULT_LIMITS } from "../../src/config";
import { createSchema } from "../../src/api/schema";
import { createLogger } from "../../src/kernel/logger";
import { computeOperationCost, estimateOperationCost } from "../../src/policy/limits";
import { OperationPolicy } from "../../src/policy/operation-policy";
import { MAX_QUERY_PARAMETERS, readQueryString } from "../../src/transport/http-request";

/**
 * The policy remembers a document's price per variables with every string emptied (an article
 * page is priced once for every slug). These properties hold the remembered price to the one
 * worked out afresh, for random variables: page sizes in and out of range, cursors, searches and
 * filters present, absent or null, `@include`/`@skip` flags, strings of any content (empty
 * ones too); sent as a POST's variables and as a GET's query string, padded with empty
 * parameters, the way the HTTP door reads it. The policy's price must be the estimate of the
 * very variables that run (admitted.variables).
 */

const DOCUMENTS = [
  // Q1, the article page: only the slug varies.
  `query ArticlePage($slug: String!) { article(slug: $slug) { title body institutions { name } quotes { text speaker { name } } } }`,
  // Every argument the estimate reads, from variables.
  `query Page($first: Int, $last: Int, $after: String, $before: String, $search: String, $tag: String, $status: ArticleStatus, $counted: Boolean!, $far: Boolean!) {
    articles(first: $first, last: $last, after: $after, before: $before, filter: { search: $search, tag: $tag, status: $status }) {
      totalCount @include(if: $counted)
      pageInfo { hasNextPage @skip(if: $far) hasPreviousPage @include(if: $far) }
      nodes { title institutions { name articles(first: $first) { nodes { id } } } }
    }
  }`,
  // A whole filter object as one variable.
  `query Filtered($filter: ArticleFilter, $first: Int, $after: String) { articles(first: $first, after: $after, filter: $filter) { totalCount nodes { title quotes { text } } } }`,
  // `last` alone, so `first`'s default gives way to it.
  `query Last($last: Int, $before: String, $more: Boolean!) { articles(last: $last, before: $before) { pageInfo { hasNextPage } nodes { title people @include(if: $more) { name } } } }`,
];

const text = fc.oneof(fc.constant(""), fc.string({ maxLength: 12 }), fc.constantFrom("MjA=", "a-slug", "kementerian-hukum-dan-ham"));
// Few values, so that requests often share everything but their strings (and the remembered price is used).
const page = fc.oneof(fc.constantFrom(-1, 0, 1, 5, 20, 100, 101), fc.integer({ min: -5, max: 130 }));
/** Absent, null, or a value. */
const maybe = <T>(value: fc.Arbitrary<T>) => fc.option(fc.option(value, { nil: null }), { nil: undefined });

const filter = fc.record(
  { search: maybe(text), tag: maybe(text), status: maybe(fc.constantFrom("PUBLISHED", "DRAFT")), institutionId: maybe(text), publishedAfter: maybe(fc.constantFrom("2026-01-01T00:00:00.000Z")) },
  { requiredKeys: [] },
);

const variables = fc.record(
  {
    slug: text,
    first: maybe(page),
    last: maybe(page),
    after: maybe(text),
    before: maybe(text),
    search: maybe(text),
    tag: maybe(text),
    status: maybe(fc.constantFrom("PUBLISHED", "SCHEDULED")),
    counted: fc.boolean(),
    far: fc.boolean(),
    more: fc.boolean(),
    filter: maybe(filter),
  },
  { requiredKeys: ["counted", "far", "more"] },
);

/** The same variables with every flag flipped (`flags`) or every number moved: a price remembered too coarsely would be used for these. */
function nudged(value: unknown, flags: boolean): unknown {
  if (typeof value === "boolean" && flags) return !value;
  if (typeof value === "number" && !flags) return value + 7;
  if (Array.isArray(value)) return value.map((v) => nudged(v, flags));
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, nudged(v, flags)]));
  return value;
}

/** The same variables with every string replaced by another: the same remembered price, which must be this one's own. */
function restrung(value: unknown, strings: readonly string[], at = { i: 0 }): unknown {
  if (typeof value === "string") return strings[at.i++ % strings.length];
  if (Array.isArray(value)) return value.map((v) => restrung(v, strings, at));
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restrung(v, strings, at)]));
  return value;
}

/** Drops the keys fast-check left undefined, as JSON would. */
const sent = (value: Record<string, unknown>): Record<string, unknown> => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

describe("the remembered cost equals the computed one", () => {
  let schema: GraphQLSchema;
  let policy: OperationPolicy;
  beforeAll(async () => {
    schema = await createSchema();
    policy = new OperationPolicy(schema, {
      limits: DEFAULT_LIMITS,
      introspection: false,
      hideHints: true,
      logger: createLogger("silent"),
      metrics: { refused: { inc: () => undefined }, documentsChecked: { inc: () => undefined }, documentCacheBytes: { set: () => undefined } } as never,
    });
  });

  /** The policy's price of a request, or null when it refuses it; also checks it against the estimate made afresh from the variables that run. */
  const admittedCost = (request: { query: unknown; variables?: unknown; method: string }): number | null => {
    const admission = policy.admit({ transport: "http", ...request });
    if (admission.refused) return null;
    const { admitted } = admission;
    expect(admitted.cost).toBe(computeOperationCost(schema, parse(admitted.source), admitted.operationName, admitted.variables));
    return admitted.cost;
  };

  it("for the same parsed document, whatever came before (8,000 estimates: variables, the same with other strings, the same with other numbers and flags)", () => {
    const parsed = DOCUMENTS.map((d) => parse(d));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(DOCUMENTS.length - 1), variables, fc.array(text, { minLength: 1, maxLength: 4 })), { minLength: 1, maxLength: 20 }), (runs) => {
        for (const [which, vars] of runs.flatMap(([w, v, s]) => [[w, sent(v)], [w, restrung(sent(v), s)], [w, nudged(sent(v), true)], [w, nudged(sent(v), false)]] as const)) {
          const values = vars as Record<string, unknown>;
          // Variables the schema refuses are refused by the policy before any price (the next property).
          const operation = getOperationAST(parsed[which]!);
          if (getVariableValues(schema, operation!.variableDefinitions ?? [], values).errors) continue;
          let fresh: number | Error;
          try {
            fresh = computeOperationCost(schema, parse(DOCUMENTS[which]!), null, values);
          } catch (error) {
            fresh = error as Error;
          }
          if (fresh instanceof Error) expect(() => estimateOperationCost(schema, parsed[which]!, null, values)).toThrow(fresh.message);
          else expect(estimateOperationCost(schema, parsed[which]!, null, values)).toBe(fresh);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("through the policy, as a POST and as a padded GET (1,000 requests each)", () => {
    fc.assert(
      fc.property(fc.nat(DOCUMENTS.length - 1), variables, fc.nat(MAX_QUERY_PARAMETERS + 1), fc.boolean(), (which, vars, padding, emptyVariables) => {
        const query = DOCUMENTS[which]!;
        const values = sent(vars);
        const posted = admittedCost({ query, variables: values, method: "POST" });
        // The GET: the parameters and `padding` empty segments in between, read by the door's own parser.
        const parts = [`query=${encodeURIComponent(query)}`, emptyVariables ? "variables=" : `variables=${encodeURIComponent(JSON.stringify(values))}`];
        const url = `/graphql?${parts[0]}${"&".repeat(padding + 1)}${parts[1]}`;
        const read = readQueryString(url);
        if ("problem" in read) {
          // Refused at the door, never priced: only a query string over the limit is.
          expect(padding + 2).toBeGreaterThan(MAX_QUERY_PARAMETERS);
          return;
        }
        const got = admittedCost({ query: read.params.query, variables: read.params.variables, method: "GET" });
        if (!emptyVariables) expect(got).toBe(posted);
        else expect(got).toBe(admittedCost({ query, method: "POST" }));
      }),
      { numRuns: 1000 },
    );
  });
});
