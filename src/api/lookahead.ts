import { Kind } from "graphql";
import type { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from "graphql";

/** The fields named `name` directly in `set`, looking into inline fragments and fragment spreads. */
function fieldsNamed(set: SelectionSetNode | undefined, name: string, fragments: Record<string, FragmentDefinitionNode>, seen: Set<string>, out: FieldNode[]): FieldNode[] {
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === name) out.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      fieldsNamed(selection.selectionSet, name, fragments, seen, out);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      fieldsNamed(fragments[selection.name.value]?.selectionSet, name, fragments, seen, out);
    }
  }
  return out;
}

/**
 * Whether the field being resolved selects `path` below it, e.g. `["nodes", "institutions"]`,
 * by field name (aliases and fragments included; `@skip`/`@include` are not evaluated, so the
 * answer may be yes for a field that is then skipped — it only ever costs a read, never an answer).
 */
export function selects(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  let level: readonly FieldNode[] = info.fieldNodes;
  for (const name of path) {
    level = level.flatMap((field) => fieldsNamed(field.selectionSet, name, info.fragments, new Set(), []));
    if (level.length === 0) return false;
  }
  return true;
}
