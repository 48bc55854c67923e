import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { getNamedType, getNullableType, isListType, Kind } from "graphql";
import type { ASTVisitor, DocumentNode, GraphQLError, GraphQLSchema, SelectionSetNode, ValidationContext, ValidationRule } from "graphql";
import { getComplexity } from "graphql-query-complexity";
import type { ComplexityEstimator } from "graphql-query-complexity";
import { QueryTooComplexError } from "./errors";

/** The cost limits every operation must keep, over HTTP and WebSocket alike. */
export interface QueryLimits {
  /** Deepest field nesting (introspection excepted). */
  readonly maxDepth: number;
  /** Most aliases in one operation. */
  readonly maxAliases: number;
  /** Most selections of one field in one selection set (aliased or repeated). */
  readonly maxFieldRepeats: number;
  /** Most directives on one field. */
  readonly maxDirectivesPerField: number;
  /** Highest estimated cost (see {@link estimateCost}). */
  readonly maxComplexity: number;
  /** Most lexical tokens in a document (graphql-js `maxTokens`), which bounds parsing and validation work. */
  readonly maxTokens: number;
}

/** The defaults, documented in the README. */
export const DEFAULT_LIMITS: QueryLimits = { maxDepth: 10, maxAliases: 100, maxFieldRepeats: 100, maxDirectivesPerField: 5, maxComplexity: 5000, maxTokens: 5000 };

/** Multiplier for relation lists without a `first` (an article's institutions, a person's positions…). */
const LIST_FACTOR = 5;
const DEFAULT_PAGE = 20;

// graphql-armor's rules report through these callbacks, so the error is ours: QUERY_TOO_COMPLEX.
function asTooComplex(context: ValidationContext | null, error: GraphQLError): void {
  context?.reportError(new QueryTooComplexError(error.message.replace(/^Syntax Error: /, "")));
}

/** Per selection set, how often each field is selected; a flood of one field is refused before it is merged. */
function fieldRepeatsRule(max: number): ValidationRule {
  return (context) => ({
    SelectionSet(node: SelectionSetNode) {
      const counts = new Map<string, number>();
      for (const selection of node.selections) {
        if (selection.kind !== Kind.FIELD) continue;
        const name = selection.name.value;
        const count = (counts.get(name) ?? 0) + 1;
        counts.set(name, count);
        if (count === max + 1) context.reportError(new QueryTooComplexError(`Field '${name}' is selected more than ${max} times in one selection set.`));
      }
    },
  });
}

function directivesPerFieldRule(max: number): ValidationRule {
  return (context): ASTVisitor => ({
    Field(node) {
      const count = node.directives?.length ?? 0;
      if (count > max) context.reportError(new QueryTooComplexError(`Field '${node.name.value}' carries ${count} directives; at most ${max} are allowed.`));
    },
  });
}

/** The validation rules that enforce the limits; Apollo and graphql-ws both get exactly these. */
export function limitRules(limits: QueryLimits): ValidationRule[] {
  const callbacks = { propagateOnRejection: false, onReject: [asTooComplex], exposeLimits: true };
  return [
    maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...callbacks }) as unknown as ValidationRule,
    maxAliasesRule({ n: limits.maxAliases, ...callbacks }) as unknown as ValidationRule,
    fieldRepeatsRule(limits.maxFieldRepeats),
    directivesPerFieldRule(limits.maxDirectivesPerField),
  ];
}

/**
 * What a field costs: 1, plus its children's cost times how many times they can occur. A
 * connection's children occur `first` times (20 when left out); its `edges` and `nodes` are not
 * multiplied again. Other lists count {@link LIST_FACTOR} times.
 */
export const estimateCost: ComplexityEstimator = ({ field, args, childComplexity, type }) => {
  const returned = getNamedType(field.type).name;
  if (returned.endsWith("Connection")) {
    const first = typeof args.first === "number" && args.first >= 0 ? args.first : DEFAULT_PAGE;
    return 1 + Math.max(first, 1) * childComplexity;
  }
  if (type.name.endsWith("Connection") && (field.name === "edges" || field.name === "nodes")) return 1 + childComplexity;
  if (isListType(getNullableType(field.type))) return 1 + LIST_FACTOR * childComplexity;
  return 1 + childComplexity;
};

/** Cost estimates already made, per parsed document (Apollo and graphql-ws reuse a document for the same query text). */
const estimates = new WeakMap<DocumentNode, Map<string, number>>();
/** Per document, how many (operation, variables) pairs are remembered: a client varying its variables cannot grow this without bound. */
const ESTIMATES_PER_DOCUMENT = 32;
/** Variables longer than this as JSON are estimated afresh each time rather than remembered. */
const MAX_REMEMBERED_KEY = 1024;

function estimate(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined): number {
  // The estimate depends only on the document, the operation and the variables; walking the
  // document again for each request showed as 5 % of a front-page request's CPU.
  const key = `${operationName ?? ""}\u0000${variables ? JSON.stringify(variables) : ""}`;
  const known = estimates.get(document);
  const hit = known?.get(key);
  if (hit !== undefined) return hit;
  const cost = getComplexity({ schema, query: document, operationName: operationName ?? undefined, variables: variables ?? {}, estimators: [estimateCost] });
  if (key.length <= MAX_REMEMBERED_KEY) {
    const map = known ?? new Map<string, number>();
    if (!known) estimates.set(document, map);
    if (map.size >= ESTIMATES_PER_DOCUMENT) map.delete(map.keys().next().value!);
    map.set(key, cost);
  }
  return cost;
}

/**
 * Estimates an operation's cost and refuses it with QUERY_TOO_COMPLEX when over the limit.
 * Runs after validation, with the request's variables (a `first: $n` costs what `$n` says).
 * Estimates are remembered per parsed document and variables; the schema and estimator never change in a process.
 */
export function checkComplexity(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined, max: number): number {
  let cost: number;
  try {
    cost = estimate(schema, document, operationName, variables);
  } catch {
    // Variables that do not coerce: execution refuses them (BAD_USER_INPUT) before any resolver runs.
    return 0;
  }
  if (cost > max) throw new QueryTooComplexError(`This operation's estimated cost is ${cost}; at most ${max} is allowed. Ask for fewer items (first) or fewer nested fields.`);
  return cost;
}
