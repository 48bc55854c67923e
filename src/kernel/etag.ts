import { createHash } from "node:crypto";

/** A strong validator for a body: the same bytes always give the same tag, on every instance. */
export function strongEtag(body: string | Buffer): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
}
