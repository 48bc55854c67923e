import {
  BREAK,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getVariableValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from "graphql";
import type {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLType,
  OperationDefinitionNode,
  SelectionSetNode,
} from "graphql";
import type { ReadRows } from "../api/read-rows";
import type { WrittenRows } from "../db/database";
import { parseGlobalId } from "../kernel/ids";
import { byUpdate, SEARCHES, tagSlugList } from "../services/story-tags";

/**
 * A kind of record: the coarse tag. As an answer's tag it means "depends on anything of this
 * kind": whatever changes a row of a table drops every answer whose selection reaches the type
 * that table holds, so no write path can be forgotten (the tables a transaction wrote are read off
 * its own SQL statements, see `Database.transaction`). A service may only take a table out when
 * what it wrote there no reader can see (`unseenByReaders`: a comment waiting for moderation).
 *
 * With CACHE_TAGS=row (see {@link tagsOfAnswer} and {@link changeTagsOf}) answers and changes
 * also name rows and lists:
 * - `Article:12`: one record (its fields, and the lists it owns: a story's tags, byline, quotes);
 * - `Article:list`: every list of stories not scoped below; `Institution:3:articles`,
 *   `Person:…:articles`, `Tag:…:articles`, `Author:…:articles`: the stories of one record (a page
 *   of its stories, or `articles(filter: {institutionId})`), `Tag:slug-<slug>:articles` the same
 *   for `articles(filter: {tag})`: membership and the order by publication; each also
 *   `…:by-update` (`Article:list:by-update`, `Institution:3:by-update:articles`) when ordered by
 *   the last edit, and `Article:search` for every search (see services/story-tags.ts);
 *   `Quote:list`, `Institution:list`…: any list of that kind (membership, order, counts);
 * - `Institution:shown`, `Person:shown`: a story's institutions and people, which show only
 *   records readers may see: a change of whether one is seen;
 * - `Article:rows`: carried by every answer that shows rows of a kind by name, so that a change
 *   of that kind whose rows are not known (a coarse tag) still drops it.
 */
export type CacheTag = "Article" | "Institution" | "Accreditation" | "Person" | "Position" | "Quote" | "Comment" | "Tag" | "Author";

/** CACHE_TAGS: whether answers and changes name rows and lists (`row`) or only kinds of record (`type`). */
export type TagMode = "row" | "type";

/** The tables whose rows each tag's answers show. A story's links belong to the story. */
const TABLE_TAGS: Readonly<Record<string, readonly CacheTag[]>> = {
  article: ["Article"],
  article_institution: ["Article"],
  article_person: ["Article"],
  article_tag: ["Article", "Tag"],
  institution: ["Institution"],
  accreditation: ["Accreditation"],
  person: ["Person"],
  position: ["Position"],
  quote: ["Quote"],
  comment: ["Comment"],
  tag: ["Tag"],
  author: ["Author"],
  // A byline shows on the story, and an author's story list shows the story.
  article_author: ["Article", "Author"],
  // Images are shown only through their story.
  article_image: ["Article"],
  // A rename keeps the old slug resolving: lookups by slug of any kind may change.
  slug_alias: ["Article", "Institution", "Person", "Author"],
  // A story's correction notes are part of it. Its revisions and preview links are editors'
  // alone: no cached answer shows them, so they touch no tag.
  article_correction: ["Article"],
};

const TYPE_TAGS: ReadonlySet<string> = new Set<string>(["Article", "Institution", "Accreditation", "Person", "Position", "Quote", "Comment", "Tag", "Author"]);

/** The tag of a type a selection reaches: a connection or edge shows its nodes (its totalCount counts them); `Node` may be any of them. */
function tagsOfType(name: string): readonly CacheTag[] {
  const base = name.replace(/(Connection|Edge)$/, "");
  if (TYPE_TAGS.has(base)) return [base as CacheTag];
  if (name === "Node") return [...TYPE_TAGS] as CacheTag[];
  return [];
}

/** The tags a write to these tables touches; tables no cached answer shows (tokens, the event log) touch none. */
export function tagsOfTables(tables: Iterable<string>): CacheTag[] {
  const tags = new Set<CacheTag>();
  for (const table of tables) for (const tag of TABLE_TAGS[table] ?? []) tags.add(tag);
  return [...tags];
}

/**
 * Scalars worked out from rows of other types, by parent type and field: their answers move with
 * those types' writes, though no selection reaches the types themselves.
 */
const DERIVED_FIELD_TAGS: ReadonlyMap<string, readonly CacheTag[]> = new Map([
  // Counts the events of stories and comments: without tags it would be cached for good.
  ["Query.liveCursor", ["Article", "Comment"]],
  // Counts a story's approved comments: it moves when one is approved or leaves APPROVED.
  ["Article.commentCount", ["Comment"]],
]);

/**
 * Fields whose answers are their caller's alone, whoever the caller is: an operation that selects
 * one is never kept in a cache (a preview link's secret grants one reader one story).
 */
const PRIVATE_FIELDS: ReadonlySet<string> = new Set(["Query.articlePreview"]);

/** What the cache needs to know of an operation, worked out once per parsed operation. */
interface OperationFacts {
  readonly tags: readonly CacheTag[];
  /** It selects a field of {@link PRIVATE_FIELDS}. */
  readonly private: boolean;
}

const byOperation = new WeakMap<OperationDefinitionNode, OperationFacts>();

/**
 * The tags of an operation's answer: every object type its selection can reach, through
 * fragments. Quotes, comments and tags are shown only through a story the reader may see (and
 * authors listed by one), so their answers depend on stories too. Worked out once per parsed operation.
 */
export function tagsOfOperation(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): readonly CacheTag[] {
  return factsOf(schema, document, operation).tags;
}

/**
 * Whether an operation's answer is its caller's alone (it selects `articlePreview`): such an
 * answer is kept in no cache and sent `Cache-Control: private, no-store`, with or without a token.
 */
export function answersPrivately(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): boolean {
  return factsOf(schema, document, operation).private;
}

function factsOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): OperationFacts {
  const known = byOperation.get(operation);
  if (known) return known;
  const tags = new Set<CacheTag>();
  let isPrivate = false;
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const seen = new Set<string>();
  const pending: Array<OperationDefinitionNode | FragmentDefinitionNode> = [operation];
  while (pending.length > 0) {
    const node = pending.pop()!;
    const typeInfo = new TypeInfo(schema);
    visit(
      node,
      visitWithTypeInfo(typeInfo, {
        Field(field) {
          const type = typeInfo.getType();
          const named = type ? getNamedType(type) : null;
          if (named) for (const tag of tagsOfType(named.name)) tags.add(tag);
          const parent = typeInfo.getParentType();
          if (parent) for (const tag of DERIVED_FIELD_TAGS.get(`${parent.name}.${field.name.value}`) ?? []) tags.add(tag);
          if (parent && PRIVATE_FIELDS.has(`${parent.name}.${field.name.value}`)) isPrivate = true;
        },
        FragmentSpread(spread) {
          const fragment = fragments.get(spread.name.value);
          if (fragment && !seen.has(fragment.name.value)) {
            seen.add(fragment.name.value);
            pending.push(fragment);
          }
        },
      }),
    );
  }
  // An author is public once a published story carries them, like a tag.
  if (tags.has("Quote") || tags.has("Comment") || tags.has("Tag") || tags.has("Author")) tags.add("Article");
  const facts: OperationFacts = { tags: [...tags].sort(), private: isPrivate };
  byOperation.set(operation, facts);
  return facts;
}

/** The kind a tag belongs to: `Article` for `Article`, `Article:12`, `Article:list`, `Article:rows`. */
export function kindOfTag(tag: string): string {
  const colon = tag.indexOf(":");
  return colon < 0 ? tag : tag.slice(0, colon);
}

/** Whether a tag is a kind's coarse tag (no row or list named). */
export function isKindTag(tag: string): boolean {
  return !tag.includes(":");
}

/**
 * The kinds whose coarse answer tags a row or list change drops: its own kind, and for a scoped
 * list of stories (`Institution:3:articles`) stories too.
 */
export function kindsOfChange(tag: string): string[] {
  const kind = kindOfTag(tag);
  return tag.endsWith(":articles") && kind !== "Article" ? [kind, "Article"] : [kind];
}

/** The marker every answer naming rows of `kind` carries, dropped by a coarse change of it. */
export function rowsMarker(kind: string): string {
  return `${kind}:rows`;
}

/**
 * What the HTTP cache in front must purge for these changes (it matches xkey tags exactly): a
 * coarse tag also purges every answer that names rows of its kind (its `:rows` marker); a row or
 * list also purges the answers that depend on its whole kind (its coarse tag).
 */
export function edgeKeysOf(changes: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const tag of changes) {
    keys.add(tag);
    if (isKindTag(tag)) keys.add(rowsMarker(tag));
    else for (const kind of kindsOfChange(tag)) keys.add(kind);
  }
  return [...keys];
}

/** Rows or lists of one kind a change names at most; past it the change names the kind (the outbox's payload stays small). */
export const MAX_CHANGE_ROWS_PER_KIND = 200;

/**
 * The tags of a committed write. `type`: the kinds of the tables it wrote. `row`: the rows and
 * lists its services named (`attributeWrites`), and the kinds of every table it wrote outside
 * such a scope (fail closed: a write nobody attributed drops everything of its kind, as in `type`).
 */
export function changeTagsOf(mode: TagMode, written: ReadonlySet<string>, rows: WrittenRows | undefined): string[] {
  if (mode === "type" || rows === undefined) return tagsOfTables(written);
  const coarse = new Set<string>(tagsOfTables(rows.unattributed));
  const byKind = new Map<string, string[]>();
  for (const tag of rows.tags) {
    const kind = kindOfTag(tag);
    // A record's stories are a list of stories: its kind's coarse tag does not reach every
    // answer listing them (`articles(filter: {tag})` shows no tag), so it is kept beside it.
    if (coarse.has(kind) && !tag.endsWith(":articles")) continue;
    let list = byKind.get(kind);
    if (!list) byKind.set(kind, (list = []));
    list.push(tag);
  }
  const tags: string[] = [...coarse];
  for (const [kind, list] of byKind) {
    if (list.length > MAX_CHANGE_ROWS_PER_KIND) tags.push(kind);
    else tags.push(...list);
  }
  return tags.sort();
}

/** Tags one answer's xkey header carries at most; past it the header names kinds (see {@link headerTags}). */
export const MAX_HEADER_TAGS = 64;

/**
 * The tags an answer's `xkey` and `Surrogate-Key` headers carry: its own, or, when there are more
 * than {@link MAX_HEADER_TAGS} (a long list of rows would make a header too large for the cache
 * in front), the coarse tag of every kind it names, which every change of that kind purges.
 */
export function headerTags(tags: readonly string[]): readonly string[] {
  if (tags.length <= MAX_HEADER_TAGS) return tags;
  return [...new Set(tags.map(kindOfTag))].sort();
}

/** How the walk of one answer goes. */
interface AnswerWalk {
  readonly schema: GraphQLSchema;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly variables: Record<string, unknown>;
  readonly tags: Set<string>;
  /** No directive in the document: which fields an answer has depends on the selection alone (its plans are kept). */
  readonly plain: boolean;
  /** The rows execution read, by answer path: the row of a record shown without its id. */
  readonly read: ReadRows | undefined;
  /** Set when part of the answer could not be told apart (an abstract object without its type or id). */
  lost: boolean;
}

/** Lists a story owns: their members change only with writes to the story (or, unattributed, their own kind). */
const OWNED_LISTS: ReadonlySet<string> = new Set(["Article.tags", "Article.authors", "Article.quotes", "Article.comments"]);

/**
 * {@link DERIVED_FIELD_TAGS} by row: the live cursor moves with every change of stories and
 * comments (their coarse tags); a story's comment count with comment writes, which name no rows
 * (the `:rows` marker), and with the story's own (its row, which the answer names).
 */
const DERIVED_ROW_TAGS: ReadonlyMap<string, readonly string[]> = new Map([
  ["Query.liveCursor", ["Article", "Comment"]],
  ["Article.commentCount", ["Comment:rows"]],
]);
/** A story's lists of records readers may or may not see: a change of whether one is seen moves them. */
const SHOWN_LISTS: ReadonlyMap<string, string> = new Map([
  ["Article.institutions", "Institution:shown"],
  ["Article.people", "Person:shown"],
]);
/** The stories of one record: `<Kind>:<pk>:articles`. */
const STORY_LISTS: ReadonlySet<string> = new Set(["Institution.articles", "Person.articles", "Tag.articles", "Author.articles"]);
/** `articles(filter:)` fields that keep the list to one record's stories, and that record's kind. */
const STORY_FILTERS: ReadonlyArray<readonly [string, CacheTag]> = [
  ["institutionId", "Institution"],
  ["personId", "Person"],
  ["authorId", "Author"],
];

/** The primary key a global id names, when it names a row of `kind`. */
function pkOf(id: unknown, kind: string): number | null {
  if (typeof id !== "string") return null;
  try {
    const parsed = parseGlobalId(id);
    return parsed.type === kind ? parsed.pk : null;
  } catch {
    return null;
  }
}

/**
 * The tags of one answer under CACHE_TAGS=row, read off the answer itself: every record it shows
 * by its id, or shown without it by the row execution read at that place (`read`, see
 * api/read-rows.ts): `Article:12`; one whose row is not known, or looked up and not found,
 * depends on its whole kind: `Article`, every list it shows (see {@link CacheTag}), and the `:rows` marker of
 * every kind its selection reaches ({@link tagsOfOperation}). An answer that cannot be read
 * apart gets the operation's coarse tags.
 */
export function tagsOfAnswer(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>, data: unknown, read?: ReadRows): readonly string[] {
  const kinds = tagsOfOperation(schema, document, operation);
  const root = schema.getQueryType();
  if (operation.operation !== "query" || !root || data === null || typeof data !== "object") return kinds;
  // The variables as execution saw them (defaults filled in): `@include(if: $v)` reads them.
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) return kinds;
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const walk: AnswerWalk = { schema, fragments, variables: coerced.coerced, tags: new Set(), plain: !hasDirectives(document), read, lost: false };
  try {
    walkObject(walk, [operation.selectionSet], root, data as Record<string, unknown>, "");
  } catch {
    // An answer that cannot be read apart depends on every kind it reaches.
    return kinds;
  }
  if (walk.lost) return kinds;
  for (const kind of kinds) if (!walk.tags.has(kind)) walk.tags.add(rowsMarker(kind));
  // A kind depended on whole needs no marker or rows of its own.
  for (const tag of [...walk.tags]) if (!isKindTag(tag) && walk.tags.has(kindOfTag(tag)) && !tag.endsWith(":articles")) walk.tags.delete(tag);
  return [...walk.tags].sort();
}

function included(walk: AnswerWalk, node: FieldNode | SelectionSetNode["selections"][number]): boolean {
  if (!node.directives?.length) return true;
  if (getDirectiveValues(GraphQLSkipDirective, node, walk.variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, walk.variables)?.if !== false;
}

function conditionHolds(walk: AnswerWalk, condition: string | undefined, type: GraphQLObjectType): boolean {
  if (condition === undefined || condition === type.name) return true;
  const conditionType = walk.schema.getType(condition);
  return conditionType !== undefined && isAbstractType(conditionType) && walk.schema.isSubType(conditionType, type);
}

/** The fields of `sets` for an object of `type`, by response key (graphql-js's field collection). */
function collectFields(walk: AnswerWalk, sets: readonly SelectionSetNode[], type: GraphQLObjectType, into = new Map<string, FieldNode[]>(), seen = new Set<string>()): Map<string, FieldNode[]> {
  for (const set of sets) {
    for (const selection of set.selections) {
      if (!included(walk, selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const list = into.get(key);
        if (list) list.push(selection);
        else into.set(key, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (conditionHolds(walk, selection.typeCondition?.name.value, type)) collectFields(walk, [selection.selectionSet], type, into, seen);
      } else {
        const fragment = walk.fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value) || !conditionHolds(walk, fragment.typeCondition.name.value, type)) continue;
        seen.add(fragment.name.value);
        collectFields(walk, [fragment.selectionSet], type, into, seen);
      }
    }
  }
  return into;
}

/** The keys under which `sets` (whatever the type conditions) ask for `name`. */
function keysOf(walk: AnswerWalk, sets: readonly SelectionSetNode[], name: string, keys: string[] = [], seen = new Set<string>()): string[] {
  for (const set of sets) {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === name) keys.push(selection.alias?.value ?? name);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        keysOf(walk, [selection.selectionSet], name, keys, seen);
      } else {
        const fragment = walk.fragments.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value)) {
          seen.add(fragment.name.value);
          keysOf(walk, [fragment.selectionSet], name, keys, seen);
        }
      }
    }
  }
  return keys;
}

/** The object type of a value of an abstract type: by its `__typename`, else by the type its global id names. */
function runtimeType(walk: AnswerWalk, sets: readonly SelectionSetNode[], type: GraphQLCompositeType, value: Record<string, unknown>): GraphQLObjectType | null {
  if (isObjectType(type)) return type;
  const named = (name: unknown): GraphQLObjectType | null => {
    const found = typeof name === "string" ? walk.schema.getType(name) : undefined;
    return found && isObjectType(found) && walk.schema.isSubType(type, found) ? found : null;
  };
  for (const key of keysOf(walk, sets, "__typename")) {
    const found = named(value[key]);
    if (found) return found;
  }
  for (const key of keysOf(walk, sets, "id")) {
    if (typeof value[key] !== "string") continue;
    try {
      const found = named(parseGlobalId(value[key] as string).type);
      if (found) return found;
    } catch {
      // Not one of ours: the type stays unknown.
    }
  }
  return null;
}

/** The kinds an absent object of `type` could have been. */
function kindsOfType(walk: AnswerWalk, type: GraphQLCompositeType): string[] {
  if (TYPE_TAGS.has(type.name)) return [type.name];
  if (isAbstractType(type)) return walk.schema.getPossibleTypes(type).map((t) => t.name).filter((name) => TYPE_TAGS.has(name));
  return [];
}

/** One field of an object's selection, worked out once per selection set and type. */
interface FieldPlan {
  readonly key: string;
  readonly node: FieldNode;
  readonly def: GraphQLField<unknown, unknown>;
  readonly isId: boolean;
  readonly derived: readonly string[];
  /** The type of its objects; null for a scalar field. */
  readonly named: GraphQLCompositeType | null;
  /** Its list's tag, or null for none, or SCOPED when it depends on the answer (see {@link addScopedListTags}). */
  readonly list: string | null;
  readonly sub: readonly SelectionSetNode[];
}

/** A list whose tag names the record it belongs to, or the one its filter names. */
const SCOPED = "\u0000scoped";

/** Plans of selection sets without directives (the same for every answer), by set and type. */
const plans = new WeakMap<SelectionSetNode, Map<string, readonly FieldPlan[]>>();
const directivesIn = new WeakMap<DocumentNode, boolean>();

/** Whether a document holds a directive anywhere (then which fields an answer has depends on its variables). */
function hasDirectives(document: DocumentNode): boolean {
  let known = directivesIn.get(document);
  if (known === undefined) {
    known = false;
    visit(document, {
      Directive() {
        known = true;
        return BREAK;
      },
    });
    directivesIn.set(document, known);
  }
  return known;
}

function planOf(walk: AnswerWalk, sets: readonly SelectionSetNode[], type: GraphQLObjectType): readonly FieldPlan[] {
  const cacheable = sets.length === 1 && walk.plain;
  if (cacheable) {
    const known = plans.get(sets[0]!)?.get(type.name);
    if (known) return known;
  }
  const defs = type.getFields();
  const plan: FieldPlan[] = [];
  for (const [key, nodes] of collectFields(walk, sets, type)) {
    const name = nodes[0]!.name.value;
    const def = defs[name];
    if (!def) continue;
    const named = getNamedType(def.type);
    const composite = isCompositeType(named) ? named : null;
    plan.push({
      key,
      node: nodes[0]!,
      def,
      isId: name === "id",
      derived: DERIVED_ROW_TAGS.get(`${type.name}.${name}`) ?? [],
      named: composite,
      list: composite ? listPlanOf(type, def) : null,
      sub: nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : [])),
    });
  }
  if (cacheable) {
    let byType = plans.get(sets[0]!);
    if (!byType) plans.set(sets[0]!, (byType = new Map()));
    byType.set(type.name, plan);
  }
  return plan;
}

function walkObject(walk: AnswerWalk, sets: readonly SelectionSetNode[], staticType: GraphQLCompositeType, value: Record<string, unknown>, path: string): void {
  const type = runtimeType(walk, sets, staticType, value);
  if (type === null) {
    walk.lost = true;
    return;
  }
  const plan = planOf(walk, sets, type);
  const kind = TYPE_TAGS.has(type.name) ? type.name : null;
  let pk: number | null = null;
  if (kind !== null) {
    for (const field of plan) if (field.isId) pk ??= pkOf(value[field.key], kind);
    // Shown without its id: the row execution read at this place, if one was noted (else the whole kind).
    if (pk === null && walk.read) pk = pkOf(walk.read.get(path), kind);
    walk.tags.add(pk === null ? kind : `${kind}:${pk}`);
  }
  for (const field of plan) {
    for (const tag of field.derived) walk.tags.add(tag);
    if (field.named === null || !(field.key in value)) continue;
    if (field.list === SCOPED) addScopedListTags(walk, type, field, pk);
    else if (field.list) walk.tags.add(field.list);
    walkValue(walk, field.sub, field.named, value[field.key], path === "" ? field.key : `${path}/${field.key}`);
  }
}

function walkValue(walk: AnswerWalk, sets: readonly SelectionSetNode[], type: GraphQLCompositeType, value: unknown, path: string): void {
  if (value === null || value === undefined) {
    for (const kind of kindsOfType(walk, type)) walk.tags.add(kind);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => walkValue(walk, sets, type, item, `${path}/${i}`));
  } else if (typeof value === "object") {
    walkObject(walk, sets, type, value as Record<string, unknown>, path);
  }
}

function isList(type: GraphQLType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/** The tag of the list a field answers (null: not a list of records, or one its parent's tag covers; {@link SCOPED}: see {@link addScopedListTags}). */
function listPlanOf(parent: GraphQLObjectType, def: GraphQLField<unknown, unknown>): string | null {
  if (/(Connection|Edge)$/.test(parent.name)) return null;
  const named = getNamedType(def.type);
  const connection = /Connection$/.test(named.name);
  if (!connection && !isList(def.type)) return null;
  const element = named.name.replace(/Connection$/, "");
  if (!TYPE_TAGS.has(element)) return null;
  const field = `${parent.name}.${def.name}`;
  if (OWNED_LISTS.has(field)) return null;
  const shown = SHOWN_LISTS.get(field);
  if (shown) return shown;
  if (STORY_LISTS.has(field) || field === "Query.articles") return SCOPED;
  return `${element}:list`;
}

/**
 * The lists of stories a field answers: the parent's (`Institution:3:articles`, newest first),
 * or, for `articles(filter:, orderBy:)`, each record its filter keeps to (an institution, person
 * or author by id, a tag by slug; else every story, `Article:list`), the same ordered by the last
 * edit when it is (`byUpdate`), and every search when it searches ({@link SEARCHES}).
 */
function addScopedListTags(walk: AnswerWalk, parent: GraphQLObjectType, field: FieldPlan, parentPk: number | null): void {
  if (parent.name !== "Query") {
    walk.tags.add(parentPk === null ? "Article:list" : `${parent.name}:${parentPk}:articles`);
    return;
  }
  let args: Record<string, unknown>;
  try {
    args = getArgumentValues(field.def, field.node, walk.variables);
  } catch {
    // Arguments not read apart: any change of a story may change the list.
    walk.tags.add("Article");
    return;
  }
  const filter = (args.filter ?? undefined) as Record<string, unknown> | undefined;
  const lists: string[] = [];
  for (const [name, kind] of STORY_FILTERS) {
    const pk = pkOf(filter?.[name], kind);
    if (pk !== null) lists.push(`${kind}:${pk}:articles`);
  }
  const tag = filter?.tag;
  if (typeof tag === "string" && tag !== "") {
    const list = tagSlugList(tag);
    // A text no slug can be matches no tag's stories; should one ever, any change of tags drops it.
    if (list) lists.push(list);
    else walk.tags.add("Tag");
  }
  if (lists.length === 0) lists.push("Article:list");
  for (const list of lists) {
    walk.tags.add(list);
    if (args.orderBy === "UPDATED_AT_DESC") walk.tags.add(byUpdate(list));
  }
  if (filter?.search !== undefined && filter.search !== null) walk.tags.add(SEARCHES);
}
