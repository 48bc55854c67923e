import "reflect-metadata";
import { randomBytes } from "node:crypto";
import { openSecret, sealSecret } from "../../../src/services/webhooks/secret-box";

describe("sealing webhook secrets", () => {
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  const key = randomBytes(32);

  it("seals with the key, differently each time, and opens with the same key only", () => {
    const a = sealSecret(secret, key);
    const b = sealSecret(secret, key);
    expect(a).toMatch(/^enc1:/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret.slice(6));
    expect(a.length).toBeLessThanOrEqual(200);
    expect(openSecret(a, key)).toBe(secret);
    expect(() => openSecret(a, randomBytes(32))).toThrow("sealed under another WEBHOOK_SECRET_KEY");
    expect(() => openSecret(a, null)).toThrow("WEBHOOK_SECRET_KEY is unset");
  });

  it("keeps a secret as it is without a key, and reads one stored before a key was set", () => {
    expect(sealSecret(secret, null)).toBe(secret);
    expect(openSecret(secret, key)).toBe(secret);
  });
});
