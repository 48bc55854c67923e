import { createHash, randomBytes } from "node:crypto";

/** A new secret: `prefix` (which says what it opens) and 32 random bytes in base64url, 43 characters. */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

/** What the store keeps of a secret: its SHA-256, hex. The secret itself is shown once and kept nowhere. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}
