import { NO_REQUEST } from "../../src/kernel/request-context";
import { Role } from "../../src/kernel/viewer";
import { AuthService } from "../../src/services/auth.service";
import type { TestServer } from "./server";

/** Mints a token straight through the service (as the command line does) and returns its secret. */
export async function mintToken(t: TestServer, role: "ADMIN" | "EDITOR" | "MODERATOR", name = `${role.toLowerCase()} of the test`): Promise<string> {
  const { token } = await new AuthService(t.server.db).createToken(NO_REQUEST, name, Role[role]);
  return token;
}

/** The header that carries a token. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
