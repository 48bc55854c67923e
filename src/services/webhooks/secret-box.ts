import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** What a sealed secret starts with; anything else is stored as it was given. */
const SEALED = "enc1:";

/**
 * An endpoint's secret as stored: sealed with AES-256-GCM under WEBHOOK_SECRET_KEY when one is
 * set (`enc1:` iv, tag and ciphertext in base64), else as it is. The server must read it to
 * sign, so a hash will not do; sealing keeps it out of a stolen database or backup that comes
 * without the key.
 */
export function sealSecret(secret: string, key: Buffer | null): string {
  if (key === null) return secret;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const sealed = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return `${SEALED}${iv.toString("base64")}:${cipher.getAuthTag().toString("base64")}:${sealed.toString("base64")}`;
}

/** The secret a stored value holds; throws when it is sealed and `key` is missing or another one. */
export function openSecret(stored: string, key: Buffer | null): string {
  if (!stored.startsWith(SEALED)) return stored;
  if (key === null) throw new Error("the endpoint's secret is sealed, and WEBHOOK_SECRET_KEY is unset");
  const [iv, tag, sealed] = stored.slice(SEALED.length).split(":") as [string, string, string];
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(sealed, "base64")), decipher.final()]).toString("utf8");
  } catch {
    throw new Error("the endpoint's secret was sealed under another WEBHOOK_SECRET_KEY");
  }
}
