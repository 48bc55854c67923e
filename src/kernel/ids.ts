import { BadUserInputError, quoted } from "./errors";

/**
 * GraphQL types whose ids are global. `node(id:)` fetches those that implement Node; a story's
 * revisions, corrections and preview links are reached through their story.
 */
export type NodeType = "Article" | "Institution" | "Person" | "Quote" | "Comment" | "Accreditation" | "Position" | "ApiToken" | "Tag" | "Author" | "ArticleRevision" | "Correction" | "PreviewLink" | "WebhookEndpoint" | "WebhookDelivery";

const NODE_TYPES: ReadonlySet<string> = new Set<NodeType>(["Article", "Institution", "Person", "Quote", "Comment", "Accreditation", "Position", "ApiToken", "Tag", "Author", "ArticleRevision", "Correction", "PreviewLink", "WebhookEndpoint", "WebhookDelivery"]);

/** The public id of a row: opaque, and says which type it is so `node(id:)` needs no guessing. */
export function toGlobalId(type: NodeType, pk: number): string {
  return Buffer.from(`${type}:${pk}`, "utf8").toString("base64url");
}

/** Splits a public id; throws BAD_USER_INPUT naming the id when it is not one of ours. */
export function parseGlobalId(id: string, field = "id"): { type: NodeType; pk: number } {
  const decoded = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? Buffer.from(id, "base64url").toString("utf8") : "";
  const match = /^([A-Za-z]+):([1-9][0-9]{0,15})$/.exec(decoded);
  if (match === null || !NODE_TYPES.has(match[1]!)) {
    throw new BadUserInputError(`${quoted(id)} is not a valid id.`, field);
  }
  const pk = Number(match[2]);
  if (!Number.isSafeInteger(pk)) throw new BadUserInputError(`${quoted(id)} is not a valid id.`, field);
  return { type: match[1] as NodeType, pk };
}

/** The primary key behind an id that must be of `type`; BAD_USER_INPUT when it is another type's. */
export function pkOf(id: string, type: NodeType, field = "id"): number {
  const parsed = parseGlobalId(id, field);
  if (parsed.type !== type) {
    throw new BadUserInputError(`${quoted(id)} is not an id of a${/^[AEIOU]/.test(type) ? "n" : ""} ${type}.`, field);
  }
  return parsed.pk;
}
