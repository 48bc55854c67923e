import "reflect-metadata";
import { runTokenCommand } from "../../../src/tools/token";
import { dataOf, startTestServer } from "../../helpers/server";
import type { TestServer } from "../../helpers/server";
import { bearer, mintToken } from "../../helpers/tokens";

describe("API tokens and roles", () => {
  let t: TestServer;
  let admin: string;
  beforeAll(async () => {
    t = await startTestServer({ seed: true });
    admin = await mintToken(t, "ADMIN", "Redaksi admin");
  });
  afterAll(async () => {
    await t.close();
  });

  it("tells the caller who they are", async () => {
    expect(dataOf<{ me: unknown }>(await t.gql(ME, {}, bearer(admin))).me).toEqual({ name: "Redaksi admin", role: "ADMIN" });
    expect(dataOf<{ me: unknown }>(await t.gql(ME)).me).toBeNull();
  });

  it("makes a token once, stores only its hash, and the token works at once", async () => {
    const made = dataOf<{ createApiToken: { token: string; apiToken: { id: string; name: string; role: string; createdAt: string } } }>(
      await t.gql(CREATE_TOKEN, { name: "Meja editor", role: "EDITOR" }, bearer(admin)),
    ).createApiToken;
    expect(made.token).toMatch(/^nwr_[A-Za-z0-9_-]{43}$/);
    expect(made.apiToken).toMatchObject({ name: "Meja editor", role: "EDITOR" });
    expect(Date.parse(made.apiToken.createdAt)).not.toBeNaN();
    const rows: Array<Record<string, unknown>> = await t.server.db.reader.query(`SELECT * FROM api_token`);
    expect(JSON.stringify(rows)).not.toContain(made.token);
    expect(JSON.stringify(rows)).not.toContain(made.token.slice(4));
    expect(dataOf<{ me: unknown }>(await t.gql(ME, {}, bearer(made.token))).me).toEqual({ name: "Meja editor", role: "EDITOR" });
  });

  it("stops a revoked token at once", async () => {
    const made = dataOf<{ createApiToken: { token: string; apiToken: { id: string } } }>(await t.gql(CREATE_TOKEN, { name: "Sementara", role: "MODERATOR" }, bearer(admin))).createApiToken;
    expect(dataOf<{ me: { role: string } }>(await t.gql(ME, {}, bearer(made.token))).me.role).toBe("MODERATOR");
    expect(dataOf<{ revokeApiToken: string }>(await t.gql(REVOKE_TOKEN, { id: made.apiToken.id }, bearer(admin))).revokeApiToken).toBe(made.apiToken.id);
    const after = await t.gql(ME, {}, bearer(made.token));
    expect(after.status).toBe(401);
    expect(after.body.errors?.[0]?.extensions).toEqual({ code: "UNAUTHENTICATED" });
    expect(after.body.errors?.[0]?.message).toContain("revoked");
    // Revoking twice is harmless; an unknown id is NOT_FOUND naming it.
    expect(dataOf(await t.gql(REVOKE_TOKEN, { id: made.apiToken.id }, bearer(admin)))).toEqual({ revokeApiToken: made.apiToken.id });
    const unknown = await t.gql(REVOKE_TOKEN, { id: "QXBpVG9rZW46OTk5OQ" }, bearer(admin));
    expect(unknown.body.errors?.[0]).toMatchObject({ extensions: { code: "NOT_FOUND" } });
    expect(unknown.body.errors?.[0]?.message).toContain("QXBpVG9rZW46OTk5OQ");
  });

  it.each([
    ["Bearer nwr_notarealtoken", "unknown or has been revoked"],
    ["Basic dXNlcjpwYXNz", "must be 'Bearer <token>'"],
    ["Bearer", "must be 'Bearer <token>'"],
  ])("refuses the Authorization value %j with UNAUTHENTICATED, even for reads", async (authorization, message) => {
    const res = await t.gql(`{ articles { totalCount } }`, {}, { authorization });
    expect(res.status).toBe(401);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(res.body.errors?.[0]?.message).toContain(message);
  });

  it("keeps token management for ADMIN: UNAUTHENTICATED without a token, FORBIDDEN for other roles", async () => {
    const before = await t.server.db.reader.query(`SELECT COUNT(*) AS n FROM api_token`);
    const anonymous = await t.gql(CREATE_TOKEN, { name: "x", role: "ADMIN" });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    for (const role of ["EDITOR", "MODERATOR"] as const) {
      const res = await t.gql(CREATE_TOKEN, { name: "x", role: "ADMIN" }, bearer(await mintToken(t, role)));
      expect(res.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect(res.body.errors?.[0]?.message).toContain(role);
    }
    const after = await t.server.db.reader.query(`SELECT COUNT(*) AS n FROM api_token`);
    expect(Number(after[0].n)).toBe(Number(before[0].n) + 2);
  });

  it("checks the name and role of a new token", async () => {
    const blank = await t.gql(CREATE_TOKEN, { name: "   ", role: "EDITOR" }, bearer(admin));
    expect(blank.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "name" } });
    const long = await t.gql(CREATE_TOKEN, { name: "x".repeat(101), role: "EDITOR" }, bearer(admin));
    expect(long.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "name" } });
    const role = await t.gql(CREATE_TOKEN, { name: "ok", role: "OWNER" }, bearer(admin));
    expect(role.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(role.body.errors?.[0]?.message).toContain("OWNER");
  });
});

describe("the token command line", () => {
  it("mints the first token of a new installation, lists and revokes it", async () => {
    const t = await startTestServer({ seed: true });
    try {
      const store = t.server.db.config;
      const env = store.kind === "postgres" ? { DATABASE_URL: store.url } : { SQLITE_FILE: store.file };
      const out: string[] = [];
      expect(await runTokenCommand(["create", "--name", "Pemimpin redaksi", "--role", "admin"], (l) => out.push(l), env)).toBe(0);
      const token = out.at(-1)!;
      expect(token).toMatch(/^nwr_/);
      expect(dataOf<{ me: unknown }>(await t.gql(ME, {}, bearer(token))).me).toEqual({ name: "Pemimpin redaksi", role: "ADMIN" });

      const listed: string[] = [];
      expect(await runTokenCommand(["list"], (l) => listed.push(l), env)).toBe(0);
      expect(listed).toHaveLength(1);
      const [id, role, state] = listed[0]!.split("\t");
      expect([role, state]).toEqual(["ADMIN", "active"]);
      expect(listed.join("\n")).not.toContain(token);

      expect(await runTokenCommand(["revoke", id!], () => undefined, env)).toBe(0);
      expect((await t.gql(ME, {}, bearer(token))).body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      expect(await runTokenCommand(["create", "--name", "x", "--role", "OWNER"], () => undefined, env)).toBe(2);
      expect(await runTokenCommand(["frobnicate"], () => undefined, env)).toBe(2);
    } finally {
      await t.close();
    }
  });
});

const ME = `query Me { me { name role } }`;
const CREATE_TOKEN = `mutation CreateToken($name: String!, $role: Role!) { createApiToken(name: $name, role: $role) { token apiToken { id name role createdAt } } }`;
const REVOKE_TOKEN = `mutation Revoke($id: ID!) { revokeApiToken(id: $id) }`;
