import { getNamedType, Kind, TypeInfo, visit, visitWithTypeInfo } from "graphql";
import type { DocumentNode, FragmentDefinitionNode, GraphQLSchema, OperationDefinitionNode } from "graphql";

/**
 * What a cached answer depends on, named by the GraphQL object types of the data it can show.
 * The tags are coarse on purpose: whatever changes a row of a table drops every answer whose
 * selection reaches the type that table holds, so no write path can be forgotten (the tables a
 * transaction wrote are read off its own SQL statements, see `Database.transaction`). A service
 * may only take a table out when what it wrote there no reader can see (`unseenByReaders`: a
 * comment waiting for moderation).
 */
export type CacheTag = "Article" | "Institution" | "Accreditation" | "Person" | "Position" | "Quote" | "Comment" | "Tag" | "Author";

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

const TYPE_TAGS = new Set<string>(["Article", "Institution", "Accreditation", "Person", "Position", "Quote", "Comment", "Tag", "Author"]);

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
