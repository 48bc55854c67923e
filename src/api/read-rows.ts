import { defaultFieldResolver, getNamedType, isAbstractType, isObjectType } from "graphql";
import type { GraphQLFieldResolver, GraphQLResolveInfo, GraphQLSchema, OperationDefinitionNode } from "graphql";

/**
 * The records execution returned, by where they sit in the answer (`article/quotes/0/speaker`):
 * the global id of the row each resolver gave for a field of a kind of record. An answer that
 * shows a record without its `id` (as Apollo Client and urql ask) is tagged by the row read there;
 * a place no resolver recorded, or recorded twice with different rows, keeps the kind's coarse tag.
 */
export type ReadRows = ReadonlyMap<string, string | null>;

/**
 * Where one request's executions note the rows they read, by operation; a context whose
 * `readRows` is null notes nothing (no answer of it will be tagged by row: a viewer's, or one
 * nothing keeps), so its resolvers run as they were written.
 */
export type RowNotes = Map<OperationDefinitionNode, Map<string, string | null>>;

/** The part of a request's context the notes live in. */
interface NotingContext {
  readonly readRows?: RowNotes | null;
}

/** The rows one operation's execution read under this request context (undefined: none recorded). */
export function readRowsOf(context: NotingContext, operation: OperationDefinitionNode): ReadRows | undefined {
  return context.readRows?.get(operation);
}

/** The answer path of a field as `a/b/0/c` (response keys and list indices). */
function pathKey(info: GraphQLResolveInfo): string {
  const keys: Array<string | number> = [];
  for (let p: GraphQLResolveInfo["path"] | undefined = info.path; p; p = p.prev) keys.push(p.key);
  return keys.reverse().join("/");
}

function note(notes: RowNotes, info: GraphQLResolveInfo, value: unknown): void {
  if (value === null || value === undefined) return;
  let rows = notes.get(info.operation);
  if (!rows) notes.set(info.operation, (rows = new Map()));
  const base = pathKey(info);
  const record = (key: string, row: unknown): void => {
    const id = row !== null && typeof row === "object" && typeof (row as { id?: unknown }).id === "string" ? (row as { id: string }).id : null;
    if (id === null) return;
    // The same place read twice (one parsed operation run twice under one context) and not the same row: neither is trusted.
    rows.set(key, rows.has(key) && rows.get(key) !== id ? null : id);
  };
  if (Array.isArray(value)) value.forEach((row, i) => record(`${base}/${i}`, row));
  else record(base, value);
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function";
}

/**
 * Wraps the resolver of every field whose values are records of `kinds` (or may be: `Node`) so
 * that the rows it returns are noted in the request's context (see {@link readRowsOf}). The
 * entities' `id` is their global id, as the answer would show it.
 */
export function recordReadRows(schema: GraphQLSchema, kinds: ReadonlySet<string>): GraphQLSchema {
  // Mutations' and subscriptions' own fields are left as they are: their answers are never kept
  // (and a mutation's resolver is the audit trail's wrapper, which the audit test recognises).
  const skipped = new Set([schema.getMutationType(), schema.getSubscriptionType()]);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__") || skipped.has(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      const reaches = isObjectType(named) ? kinds.has(named.name) : isAbstractType(named) && schema.getPossibleTypes(named).some((t) => kinds.has(t.name));
      if (!reaches) continue;
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        const result = resolve(source, args, context, info);
        // Only queries' answers are kept by the cache: mutations and events need no notes.
        const notes = (context as NotingContext | null)?.readRows;
        if (!notes || info.operation.operation !== "query") return result;
        if (isPromiseLike(result)) {
          return Promise.resolve(result).then((value) => {
            note(notes, info, value);
            return value;
          });
        }
        note(notes, info, result);
        return result;
      };
    }
  }
  return schema;
}
