import { regionalNewsroom } from "./scenarios";
import { startTestServer } from "./server";
import type { TestServer } from "./server";
import { bearer, mintToken } from "./tokens";
import { handleOf } from "./fixture";

/** The records {@link regionalNewsroom} writes, by name. */
export type Newsroom = Awaited<ReturnType<typeof regionalNewsroom>>;

type Role = "ADMIN" | "EDITOR" | "MODERATOR";

/** The Authorization header of a fresh token for each role. */
export type RoleHeaders = Record<Role, Record<string, string>>;

/**
 * A test server holding the regional newsroom (and the seed story when `seed`), with a token
 * header for each role when `roles`: what most suites start from in their beforeAll.
 */
export async function startNewsroom(options: { seed?: boolean; roles?: boolean } = {}): Promise<{ t: TestServer; s: Newsroom; as: RoleHeaders }> {
  const t = await startTestServer({ seed: options.seed ?? false });
  const s = await regionalNewsroom(t.server.db);
  const as = {} as RoleHeaders;
  if (options.roles) for (const role of ["ADMIN", "EDITOR", "MODERATOR"] as const) as[role] = bearer(await mintToken(t, role));
  return { t, s, as };
}

/**
 * {@link startNewsroom} as a suite's shared fixture: started before its first test, closed after
 * its last. The records and role headers are filled in by the suite's beforeAll, so read them
 * inside tests and later hooks only.
 */
export function useNewsroom(options: { seed?: boolean; roles?: boolean } = {}): { t: TestServer; s: Newsroom; as: RoleHeaders } {
  let started: TestServer | null = null;
  const s = {} as Newsroom;
  const as = {} as RoleHeaders;
  beforeAll(async () => {
    const newsroom = await startNewsroom(options);
    started = newsroom.t;
    Object.assign(s, newsroom.s);
    Object.assign(as, newsroom.as);
  });
  afterAll(async () => {
    await started?.close();
    started = null;
  });
  return { t: handleOf(() => started), s, as };
}
