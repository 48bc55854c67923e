import { getIntrospectionQuery, getNamedType, getNullableType, isListType, Kind, parse } from "graphql";
import type { ASTVisitor, DocumentNode, FieldNode, FragmentDefinitionNode, GraphQLSchema, SelectionSetNode, ValidationContext, ValidationRule } from "graphql";
import { getComplexity } from "graphql-query-complexity";
import type { ComplexityEstimator } from "graphql-query-complexity";
import { QueryTooComplexError } from "../kernel/errors";
import { MAX_PAGE_SIZE } from "../kernel/page-args";
import type { QueryLimits } from "../config";

/**
 * What the estimator counts for work beyond the fields themselves. Calibrated by `npm run
 * calibrate` on the bench dataset (10,000 stories, 30,000 quotes, 50,000 comments), where the
 * limit of 5,000 is to stand for at most 250 ms of server CPU, 20 units a millisecond; each weight
 * keeps a margin of about 1.5–2× for a busier machine (the README's calibration table).
 */
export const COST_WEIGHTS = {
  /**
   * Multiplier for relation lists without a `first` (a story's institutions, people, quotes; a
   * person's positions…): their typical length, not their worst. The bench's stories have 1–3 of
   * each; at 3 the search page (story → people → positions → institution, 3 × 3 on one path)
   * was estimated at 5,901 and refused while it ran in ~25 ms.
   */
  listFactor: 2,
  /** A list straight under Query (only `tags`) holds a whole table: 15 tags on the bench, more in a real archive. At 3, four aliases of `tags { articles(first: 100) { nodes { body paragraphs } } }` were admitted and took 547 ms. */
  rootListFactor: 20,
  /** Page size of a connection whose `first` is left out. */
  defaultPage: 20,
  /**
   * A full-text search matches every story before it pages: ranking `"a"*` over 10,000 stories
   * took ~20 ms (400 units), and at 150 thirty-two of them were admitted (900 ms with their
   * counts). At 500, nine were admitted: 178–195 ms on one day, 255 ms on a slower phase of the
   * same machine (the same SQL, ~27 ms a search); at 560 eight took 219 ms alone and 252–313 ms
   * beside three introspections; at 640 seven are (the search page, one search, stays under the limit).
   */
  search: 640,
  /**
   * The `totalCount` of a list under Query counts every row its filter matches, whatever the
   * page: counting the 50,000 comments took 23 ms (460 units). At 1, times the page, a hundred
   * aliased counts were admitted and took 2.3 s. At 700, seven comment counts were admitted:
   * 253 ms on a slow phase of this machine (36 ms a count); at 900, five.
   */
  totalCount: 900,
};

/** What the statements of a list under Query cost beyond the rows they return (see {@link ROOT_LISTS}). */
interface RootListCost {
  /** One statement that reads every row the list's filter matches, measured on the bench. */
  readonly scan: number;
  /** Whether an index reads the list in its order; when not, every page is a scan (sorting every row to keep a few). */
  readonly ordered: boolean;
  /** Filters the index still reads in order; any other makes a page a scan (it may walk the whole list to fill a page). */
  readonly indexedFilters: readonly string[];
}

/**
 * The lists under Query. A first page of an ordered list reads its rows in index order and costs
 * what it returns; a page after or before a cursor is a scan (the keyset condition is spelled
 * without row values, so SQLite walks the index from the list's start to the cursor), and so is
 * the page flag of the side the page started from (`hasPreviousPage` after `after`,
 * `hasNextPage` before `before`: every row beyond the cursor is looked at). Each scan is priced
 * once per place the list is selected. On the bench a scan of the 10,000 stories took ~2 ms,
 * of the 50,000 comments 9 ms (a page) to 47 ms (the far-side flag: each comment joins its
 * story), and a page of quotes 33 ms (no index orders quotes by their story's date): before
 * these were priced, a hundred aliased `quotes(first: 1)` (cost 300) took 3.3 s and a hundred
 * far-side comment flags 5.6 s.
 */
export const ROOT_LISTS: Readonly<Record<string, RootListCost>> = {
  "Query.articles": { scan: 100, ordered: true, indexedFilters: ["status", "publishedAfter", "publishedBefore"] },
  "Query.comments": { scan: 1200, ordered: true, indexedFilters: ["status", "articleId"] },
  "Query.quotes": { scan: 900, ordered: false, indexedFilters: [] },
  "Query.people": { scan: 50, ordered: true, indexedFilters: [] },
  "Query.institutions": { scan: 50, ordered: true, indexedFilters: [] },
  // A newsroom has tens of authors, not thousands: priced as people are, whose index orders them the same way.
  "Query.authors": { scan: 50, ordered: true, indexedFilters: [] },
  // Admins only. On 100,000 entries a page by actor or record took under 0.5 ms, a scan (a filter
  // by field, or by actor and a time long ago) 24–35 ms; the trail only grows, so priced as comments.
  "Query.auditTrail": { scan: 1200, ordered: true, indexedFilters: ["actor", "record"] },
};

/** What a nested list's batched statements cost (see {@link NESTED_LISTS}). */
interface NestedListCost {
  /** Each statement of a batch (the page, the grouped count, the far-side flag), once per place, whatever the number of parents. */
  readonly batch: number;
  /** Per parent, the page statement (and the far-side flag's): it numbers every row of the parent's list to keep a page. */
  readonly page: number;
  /** Per parent, the grouped count: it counts every row of the parent's list. */
  readonly count: number;
}

/**
 * The connections nested under an object. Their loader reads the page of every parent in one
 * statement and counts them in one more (src/db/pagination.ts), so each statement is priced
 * once per place the list is selected (`batch`), plus per parent what reading that parent's whole
 * list costs (`page`, `count`), since the window numbers all its rows before it keeps a page.
 * That follows the length of the lists on the bench, not the page: a tag has ~1,000 stories, an
 * institution ~400 and ~600 quotes, a person ~75 stories and ~150 quotes, a story 5 comments.
 * `batch` is what one statement costs with one parent: SQLite reads a person's or an
 * institution's quotes by walking every published story (9.5 ms for 569 quotes), the other lists
 * through their own index (under 1 ms). Each is the CPU measured on the bench, ×1.5. Before,
 * a window was priced at its page alone: `institutions(first: 50) { nodes { articles(first: 1) { nodes { id } } } }`
 * cost 201 and took 88 ms, and fifty aliased quote pages of one institution (cost 2,601) 473 ms.
 */
export const NESTED_LISTS: Readonly<Record<string, NestedListCost>> = {
  "Tag.articles": { batch: 50, page: 130, count: 50 },
  "Institution.articles": { batch: 50, page: 50, count: 28 },
  "Person.articles": { batch: 50, page: 10, count: 2 },
  "Institution.quotes": { batch: 300, page: 30, count: 4 },
  "Person.quotes": { batch: 300, page: 8, count: 2 },
  "Article.comments": { batch: 50, page: 1, count: 1 },
  // Read through its own index as a tag's stories are; an author writes far more stories than a person is named in, so priced as a tag.
  "Author.articles": { batch: 50, page: 130, count: 50 },
  // Admins' delivery logs: one statement per endpoint along its index (at most 50 endpoints);
  // with 10,000 deliveries an endpoint, 0.5 ms a page and 0.8 ms a count on a loaded machine.
  "WebhookEndpoint.deliveries": { batch: 0, page: 15, count: 25 },
  // Editors' list of a story's revisions, through its (article_id, number) index. Measured with
  // 50 revisions a story (more than most will have), 200 stories: one parent's page 2 ms, each
  // further parent 0.37 ms with its 20 nodes resolved (the nodes are priced apart), a count 0.07 ms.
  "Article.revisions": { batch: 50, page: 2, count: 2 },
};

/** A connection not in the tables (one added since the last calibration) is priced as the dearest one is. */
const DEAREST_ROOT_LIST: RootListCost = { scan: Math.max(...Object.values(ROOT_LISTS).map((l) => l.scan)), ordered: false, indexedFilters: [] };
const DEAREST_NESTED_LIST: NestedListCost = {
  batch: Math.max(...Object.values(NESTED_LISTS).map((l) => l.batch)),
  page: Math.max(...Object.values(NESTED_LISTS).map((l) => l.page)),
  count: Math.max(...Object.values(NESTED_LISTS).map((l) => l.count)),
};

/**
 * Walks a selection set through its fragments, each fragment's answer worked out once: a chain
 * of fragments that each spread the previous one twice costs linear work here, although it
 * stands for exponentially many selections. Spreads of unknown or cyclic fragments count nothing
 * (graphql-js's own rules refuse those documents).
 */
class FragmentWalker<T> {
  private readonly done = new Map<string, T>();
  private readonly active = new Set<string>();

  constructor(
    private readonly context: ValidationContext,
    private readonly empty: T,
    private readonly ofSet: (set: SelectionSetNode, walker: FragmentWalker<T>) => T,
  ) {}

  spread(name: string): T {
    const known = this.done.get(name);
    if (known !== undefined) return known;
    const fragment: FragmentDefinitionNode | null | undefined = this.context.getFragment(name);
    if (!fragment || this.active.has(name)) return this.empty;
    this.active.add(name);
    const value = this.ofSet(fragment.selectionSet, this);
    this.active.delete(name);
    this.done.set(name, value);
    return value;
  }

  set(set: SelectionSetNode): T {
    return this.ofSet(set, this);
  }
}

/**
 * Field nesting of an operation, through fragments. Introspection roots (`__schema`, `__type`)
 * do not count here: {@link introspectionShapeRule} bounds them by the standard query's shape,
 * whose type references nest deeper than any page of the API needs.
 */
function depthRule(max: number): ValidationRule {
  return (context): ASTVisitor => {
    const walker = new FragmentWalker<number>(context, 0, (set, w) => {
      let deepest = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          if (INTROSPECTION_ROOTS.has(selection.name.value)) continue;
          deepest = Math.max(deepest, 1 + (selection.selectionSet ? w.set(selection.selectionSet) : 0));
        } else deepest = Math.max(deepest, selection.kind === Kind.INLINE_FRAGMENT ? w.set(selection.selectionSet) : w.spread(selection.name.value));
      }
      return deepest;
    });
    return {
      OperationDefinition(node) {
        const depth = walker.set(node.selectionSet);
        if (depth > max) context.reportError(new QueryTooComplexError(`Query depth limit of ${max} exceeded, found ${depth}.`));
      },
    };
  };
}

/** Aliases of an operation, counted through fragments. */
function aliasesRule(max: number): ValidationRule {
  return (context): ASTVisitor => {
    const walker = new FragmentWalker<number>(context, 0, (set, w) => {
      let count = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) count += (selection.alias ? 1 : 0) + (selection.selectionSet ? w.set(selection.selectionSet) : 0);
        else if (selection.kind === Kind.INLINE_FRAGMENT) count += w.set(selection.selectionSet);
        else count += w.spread(selection.name.value);
      }
      return count;
    });
    return {
      OperationDefinition(node) {
        const count = walker.set(node.selectionSet);
        if (count > max) context.reportError(new QueryTooComplexError(`Aliases limit of ${max} exceeded, found ${count > 1e9 ? "more than 1,000,000,000" : count} (fragments included).`));
      },
    };
  };
}

/**
 * Per selection set with its fragments merged in, how often each field is selected: a flood of
 * one field (500 inline fragments of `__typename`) is refused before graphql-js's overlap check,
 * whose work grows with the square of it, ever sees it.
 */
function fieldRepeatsRule(max: number): ValidationRule {
  return (context): ASTVisitor => {
    const walker = new FragmentWalker<ReadonlyMap<string, number>>(context, new Map(), (set, w) => {
      const counts = new Map<string, number>();
      const add = (name: string, n: number) => counts.set(name, (counts.get(name) ?? 0) + n);
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) add(selection.name.value, 1);
        else for (const [name, n] of selection.kind === Kind.INLINE_FRAGMENT ? w.set(selection.selectionSet) : w.spread(selection.name.value)) add(name, n);
      }
      return counts;
    });
    return {
      SelectionSet(node) {
        for (const [name, count] of walker.set(node)) {
          if (count > max) {
            context.reportError(new QueryTooComplexError(`Field '${name}' is selected ${count > 1e9 ? "more than 1,000,000,000" : count} times in one selection set (fragments included); at most ${max} are allowed.`));
            return false;
          }
        }
        return undefined;
      },
    };
  };
}

function directivesPerFieldRule(max: number): ValidationRule {
  return (context): ASTVisitor => ({
    Field(node) {
      const count = node.directives?.length ?? 0;
      if (count > max) context.reportError(new QueryTooComplexError(`Field '${node.name.value}' carries ${count} directives; at most ${max} are allowed.`));
    },
  });
}

/** The members of a `__Type` that list further types, fields or values. */
const TYPE_MEMBERS = new Set(["fields", "inputFields", "interfaces", "possibleTypes", "enumValues"]);
const INTROSPECTION_ROOTS = new Set(["__schema", "__type"]);
/** GraphiQL, GraphQL Code Generator and Apollo's tools send one introspection root; a few more are allowed. */
const MAX_INTROSPECTION_ROOTS = 3;

interface IntrospectionShape {
  /** Deepest field nesting below an introspection root, the root counted. */
  depth: number;
  /** Most `__Type` member lists on one path (a type's fields' type's fields… multiplies the answer). */
  members: number;
  /** Introspection root fields, counted through fragments. */
  roots: number;
}

const NO_SHAPE: IntrospectionShape = { depth: 0, members: 0, roots: 0 };

/** The shape of a selection set, measured from inside (`inside`) or outside an introspection root. */
function shapeWalker(context: ValidationContext | null, fragments: ReadonlyMap<string, FragmentDefinitionNode>) {
  const memo = new Map<string, IntrospectionShape>();
  const active = new Set<string>();
  const walk = (set: SelectionSetNode, inside: boolean): IntrospectionShape => {
    let depth = 0;
    let members = 0;
    let roots = 0;
    const merge = (shape: IntrospectionShape, addDepth: number, addMembers: number) => {
      depth = Math.max(depth, shape.depth + addDepth);
      members = Math.max(members, shape.members + addMembers);
      roots += shape.roots;
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const root = !inside && INTROSPECTION_ROOTS.has(name);
        if (root) roots++;
        const child = selection.selectionSet ? walk(selection.selectionSet, inside || root) : NO_SHAPE;
        if (inside || root) merge(child, 1, inside && TYPE_MEMBERS.has(name) ? 1 : 0);
        else roots += child.roots;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        merge(walk(selection.selectionSet, inside), 0, 0);
      } else {
        const name = selection.name.value;
        const key = `${inside ? "in" : "out"}:${name}`;
        let shape = memo.get(key);
        if (shape === undefined) {
          const fragment = context ? context.getFragment(name) : fragments.get(name);
          if (!fragment || active.has(key)) continue;
          active.add(key);
          shape = walk(fragment.selectionSet, inside);
          active.delete(key);
          memo.set(key, shape);
        }
        merge(shape, 0, 0);
      }
    }
    return { depth, members, roots };
  };
  return walk;
}

/** The shape of graphql-js's standard introspection query with every option on: what GraphiQL 5 and codegen send. */
const STANDARD_INTROSPECTION: IntrospectionShape = (() => {
  const document = parse(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true }));
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  return shapeWalker(null, fragments)(operation!.selectionSet, false);
})();

/**
 * Introspection is priced by its shape, not by the estimator: it may be as deep and as nested
 * as the standard introspection query, no deeper, and an operation holds at most
 * {@link MAX_INTROSPECTION_ROOTS} introspection roots. The schema is finite, so that bounds the
 * answer (the README's calibration table shows the most expensive admitted one).
 */
function introspectionShapeRule(): ValidationRule {
  return (context): ASTVisitor => {
    const walk = shapeWalker(context, new Map());
    return {
      OperationDefinition(node) {
        const shape = walk(node.selectionSet, false);
        if (shape.roots > MAX_INTROSPECTION_ROOTS) context.reportError(new QueryTooComplexError(`An operation may hold at most ${MAX_INTROSPECTION_ROOTS} introspection fields (__schema, __type); found ${shape.roots}.`));
        if (shape.depth > STANDARD_INTROSPECTION.depth) context.reportError(new QueryTooComplexError(`Introspection nested ${shape.depth} levels deep; the standard introspection query needs ${STANDARD_INTROSPECTION.depth}, and no more is allowed.`));
        if (shape.members > STANDARD_INTROSPECTION.members) context.reportError(new QueryTooComplexError(`Introspection expands a type's members ${shape.members} times on one path; the standard introspection query does it ${STANDARD_INTROSPECTION.members} time, and no more is allowed.`));
      },
    };
  };
}

/**
 * The rules that enforce the limits. They are cheap and linear in the document (fragments are
 * worked out once), and the operation policy runs them before graphql-js's own rules, so a
 * refused document never reaches the expensive ones.
 */
export function limitRules(limits: QueryLimits): ValidationRule[] {
  return [
    depthRule(limits.maxDepth),
    aliasesRule(limits.maxAliases),
    fieldRepeatsRule(limits.maxFieldRepeats),
    directivesPerFieldRule(limits.maxDirectivesPerField),
    introspectionShapeRule(),
  ];
}

/** A `first` or `last` as the estimate counts it: out-of-range values are refused at execution (BAD_USER_INPUT naming them), so they are priced at the nearest allowed page. */
function pageOf(size: unknown): number {
  if (typeof size !== "number" || !Number.isFinite(size)) return COST_WEIGHTS.defaultPage;
  return Math.min(Math.max(size, 1), MAX_PAGE_SIZE);
}

/**
 * The page a connection's arguments stand for. `args` has the schema's defaults filled in, so
 * `first` is 20 whenever the document leaves it out: a `last` then sets the page, as it does at
 * execution. When the document writes both (refused at execution) the larger one is priced, so
 * no spelling of a page is cheaper here than the rows it could read.
 */
function connectionPage(args: Record<string, unknown>, node: FieldNode): number {
  if (args.last == null) return pageOf(args.first);
  const firstWritten = node.arguments?.some((a) => a.name.value === "first") ?? false;
  return firstWritten ? Math.max(pageOf(args.first), pageOf(args.last)) : pageOf(args.last);
}

function hasSearch(args: Record<string, unknown>): boolean {
  const filter = args.filter as { search?: unknown } | null | undefined;
  return typeof filter?.search === "string";
}

/**
 * What the estimate is given besides the schema: the document's fragments, which of them select
 * a field path (worked out once each), and the statements priced once per place rather than per
 * parent, summed as the walk meets them.
 */
interface EstimateContext {
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly selects: Map<string, boolean>;
  statements: number;
}

/** Whether a selection set selects the field path `path` (e.g. `pageInfo`, `hasPreviousPage`), directly or through its fragments. */
function selectsPath(set: SelectionSetNode | undefined, path: readonly string[], context: EstimateContext): boolean {
  if (!set) return false;
  return set.selections.some((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value === path[0] && (path.length === 1 || selectsPath(selection.selectionSet, path.slice(1), context));
    if (selection.kind === Kind.INLINE_FRAGMENT) return selectsPath(selection.selectionSet, path, context);
    const key = `${selection.name.value}\u0000${path.join(".")}`;
    const known = context.selects.get(key);
    if (known !== undefined) return known;
    // Marked first, so a cyclic spread (which validation refuses anyway) ends here.
    context.selects.set(key, false);
    const found = selectsPath(context.fragments.get(selection.name.value)?.selectionSet, path, context);
    context.selects.set(key, found);
    return found;
  });
}

/**
 * Whether a page asks for the flag of the side it started from (`hasPreviousPage` after `after`,
 * `hasNextPage` before `before`): the one flag the page's own read cannot tell, answered by a
 * statement of its own that looks at every row beyond the cursor.
 */
function asksFarSide(args: Record<string, unknown>, set: SelectionSetNode | undefined, context: EstimateContext): boolean {
  if (args.last != null) return args.before != null && selectsPath(set, ["pageInfo", "hasNextPage"], context);
  return args.after != null && selectsPath(set, ["pageInfo", "hasPreviousPage"], context);
}

/** Whether a page of a list under Query may read rows beyond those it returns: see {@link ROOT_LISTS}. */
function scansRootList(list: RootListCost, args: Record<string, unknown>): boolean {
  if (!list.ordered || args.after != null || args.before != null) return true;
  const filter = (args.filter ?? {}) as Record<string, unknown>;
  return Object.entries(filter).some(([name, value]) => value != null && name !== "search" && !list.indexedFilters.includes(name));
}

/**
 * What a field costs for each time it occurs: 1, plus its children's cost times how many times
 * they can occur. A connection's children occur `first` (or `last`) times (20 when both are left
 * out); its `edges` and `nodes` are not multiplied again. Other lists count
 * {@link COST_WEIGHTS.listFactor} times, lists straight under Query
 * {@link COST_WEIGHTS.rootListFactor} times. Introspection costs nothing here (its shape is
 * bounded by {@link introspectionShapeRule}).
 *
 * The statements a connection issues are priced as the loaders issue them. Under Query: a
 * search, a `totalCount`, and each scan ({@link ROOT_LISTS}), once. Nested under objects, the
 * lists of all parents are read in one batched statement and counted in one more: each is
 * priced once per place (`batch` of {@link NESTED_LISTS}, added to `context.statements` and not
 * multiplied by the parents above it), plus per parent what reading that parent's whole list
 * costs, which is multiplied.
 *
 * It never reads what a string says, only whether one is there: the remembered estimates are
 * keyed with every string emptied ({@link withoutText}).
 */
const estimateCost: ComplexityEstimator = ({ field, args, childComplexity, type, node, context }) => {
  if (field.name.startsWith("__") && field.name !== "__typename") return 0;
  if (type.name.startsWith("__")) return 0;
  const returned = getNamedType(field.type).name;
  if (returned.endsWith("Connection")) {
    const estimate = context as EstimateContext;
    const counted = selectsPath(node.selectionSet, ["totalCount"], estimate);
    const farSide = asksFarSide(args, node.selectionSet, estimate);
    const rows = 1 + connectionPage(args, node) * childComplexity;
    const coordinate = `${type.name}.${field.name}`;
    if (type.name === "Query") {
      const list = ROOT_LISTS[coordinate] ?? DEAREST_ROOT_LIST;
      estimate.statements += (hasSearch(args) ? COST_WEIGHTS.search : 0) + (counted ? COST_WEIGHTS.totalCount : 0) + (scansRootList(list, args) ? list.scan : 0) + (farSide ? list.scan : 0);
      return rows;
    }
    const list = NESTED_LISTS[coordinate] ?? DEAREST_NESTED_LIST;
    estimate.statements += list.batch * (1 + (counted ? 1 : 0) + (farSide ? 1 : 0));
    return rows + list.page + (counted ? list.count : 0) + (farSide ? list.page : 0);
  }
  if (type.name.endsWith("Connection")) {
    if (field.name === "edges" || field.name === "nodes") return 1 + childComplexity;
    // Priced on its connection, above.
    if (field.name === "totalCount") return 0;
  }
  if (isListType(getNullableType(field.type))) return 1 + (type.name === "Query" ? COST_WEIGHTS.rootListFactor : COST_WEIGHTS.listFactor) * childComplexity;
  return 1 + childComplexity;
};

/** Cost estimates already made, per parsed document (the policy reuses a document for the same query text). */
const estimates = new WeakMap<DocumentNode, Map<string, number>>();
/** Per document, how many (operation, variables) pairs are remembered: a client varying its variables cannot grow this without bound. */
const ESTIMATES_PER_DOCUMENT = 32;
/** Variables longer than this as JSON are estimated afresh each time rather than remembered. */
const MAX_REMEMBERED_KEY = 1024;

/**
 * An operation's estimated cost, remembered per parsed document and variables (walking the
 * document again for each request showed as 5 % of a front-page request's CPU). Throws when the
 * estimate cannot be made; the caller refuses the operation then, never admits it.
 */
export function estimateOperationCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined): number {
  const key = `${operationName ?? ""}\u0000${variables ? JSON.stringify(variables, withoutText) : ""}`;
  const known = estimates.get(document);
  const hit = known?.get(key);
  if (hit !== undefined) return hit;
  const cost = computeOperationCost(schema, document, operationName, variables);
  if (key.length <= MAX_REMEMBERED_KEY) {
    const map = known ?? new Map<string, number>();
    if (!known) estimates.set(document, map);
    if (map.size >= ESTIMATES_PER_DOCUMENT) map.delete(map.keys().next().value!);
    map.set(key, cost);
  }
  return cost;
}

/**
 * The variables as the estimate sees them, for the key it is remembered by: every string made
 * empty. {@link estimateCost} asks of a string only whether it is one (`filter.search`) or
 * whether it is there at all (cursors, filters), never what it says, so an article page's cost
 * is worked out once for every slug rather than once per slug (2.5 % of an uncached article
 * page's CPU). Numbers (page sizes), booleans (`@include`, `@skip`), nulls, lists and object
 * keys stay as sent. Variables are coerced by the policy before they are priced, so a string
 * the schema would refuse never reaches a remembered price.
 */
function withoutText(_key: string, value: unknown): unknown {
  return typeof value === "string" ? "" : value;
}

/** The estimate itself, never remembered (the tests hold the remembered one to it). */
export function computeOperationCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined): number {
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const context: EstimateContext = { fragments, selects: new Map(), statements: 0 };
  const cost = getComplexity({ schema, query: document, operationName: operationName ?? undefined, variables: variables ?? {}, estimators: [estimateCost], context }) + context.statements;
  if (!Number.isFinite(cost)) throw new QueryTooComplexError("This operation's cost could not be estimated.");
  return cost;
}
