import "reflect-metadata";
import { NO_REQUEST, TouchedRecords } from "../../../src/kernel/request-context";
import type { RequestContext } from "../../../src/kernel/request-context";
import { Role } from "../../../src/kernel/viewer";
import { toGlobalId } from "../../../src/kernel/ids";
import { AuditService } from "../../../src/services/audit.service";
import { AuthService } from "../../../src/services/auth.service";
import { useTestServer } from "../../helpers/fixture";
import { dataOf, metricOf } from "../../helpers/server";
import { bearer } from "../../helpers/tokens";
import { capturingLogger } from "../../helpers/logs";

const count = async (t: { server: { db: { reader: { query(sql: string): Promise<Array<{ n: number | string }>> } } } }, sql: string) => Number((await t.server.db.reader.query(sql))[0]!.n);

describe("the audit trail and its change, together", () => {
  const captured = capturingLogger();
  const t = useTestServer({ seed: false, logger: captured.logger });
  let editor: { headers: Record<string, string>; id: string };

  beforeAll(async () => {
    const { token, apiToken } = await new AuthService(t.server.db).createToken(NO_REQUEST, "Redaktur Log", Role.EDITOR);
    editor = { headers: bearer(token), id: apiToken.id };
  });

  /** A request context of the editor, as the API builds one, with a tally of its own. */
  const editorContext = (id: string): RequestContext => ({ viewer: { tokenPk: 1, name: "Redaktur Log", role: Role.EDITOR }, tally: { id, statements: 0 } as RequestContext["tally"], clientAddress: "192.0.2.7", transport: "http", audit: new TouchedRecords() });

  it("names the actor in a mutation's log line (token id and name), and in no query's", async () => {
    await fetch(`http://127.0.0.1:${t.server.port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "log-mutation", ...editor.headers },
      body: JSON.stringify({ query: `mutation Named { createPerson(input: { name: "Tercatat di Log" }) { id } }` }),
    });
    await fetch(`http://127.0.0.1:${t.server.port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "log-query", ...editor.headers },
      body: JSON.stringify({ query: `query Me { me { name } }` }),
    });
    const lineOf = (id: string) => captured.lines.find((l) => l.reqId === id && l.msg === "graphql request");
    expect(lineOf("log-mutation")).toMatchObject({ operation: "Named", outcome: "ok", actor: { id: editor.id, name: "Redaktur Log" } });
    expect(lineOf("log-query")).not.toHaveProperty("actor");
  });

  it("rolls the entry back with a change that does not commit", async () => {
    const audit = new AuditService(t.server.db);
    const ctx = editorContext("rolled-back");
    const before = await count(t, `SELECT COUNT(*) AS n FROM audit_entry`);
    // A listener that fails after the transaction's work and its entry, just before the commit.
    const stop = t.server.db.beforeCommit(async () => {
      throw new Error("refused at commit");
    });
    const running = audit.begin(ctx, { field: "createPerson", operation: null, records: [] });
    try {
      await expect(t.server.db.transaction((em) => em.query(`INSERT INTO person (name, slug, visible) VALUES ('Tak Jadi', 'tak-jadi', TRUE)`), ctx.tally)).rejects.toThrow("refused at commit");
    } finally {
      stop();
    }
    await running.failed("INTERNAL_SERVER_ERROR");
    expect(await count(t, `SELECT COUNT(*) AS n FROM person WHERE slug = 'tak-jadi'`)).toBe(0);
    // Only the failure's own entry, written after: the OK entry went with the change.
    const added = await t.server.db.reader.query(`SELECT field, outcome, address FROM audit_entry ORDER BY id DESC LIMIT ${(await count(t, `SELECT COUNT(*) AS n FROM audit_entry`)) - before}`);
    expect(added).toEqual([{ field: "createPerson", outcome: "INTERNAL_SERVER_ERROR", address: "192.0.2.7" }]);
  });

  it("writes the entry right after a success that wrote through no transaction of its request", async () => {
    const audit = new AuditService(t.server.db);
    const running = audit.begin(editorContext("no-transaction"), { field: "pingSomething", operation: "Ping", records: [toGlobalId("Article", 7)] });
    await running.succeeded([toGlobalId("Person", 8)]);
    const [row] = await t.server.db.reader.query(`SELECT field, outcome, records, request_id AS "requestId" FROM audit_entry ORDER BY id DESC LIMIT 1`);
    expect(row).toEqual({ field: "pingSomething", outcome: "OK", records: `${toGlobalId("Article", 7)} ${toGlobalId("Person", 8)}`, requestId: "no-transaction" });
  });

  it("can be pruned outside the API by the statements docs/operations.md gives, records and all", async () => {
    const audit = new AuditService(t.server.db);
    const old = { tokenId: 1, tokenName: "Lama", tokenRole: Role.EDITOR, operation: null, field: "createPerson", address: "192.0.2.1", outcome: "OK", requestId: null, records: [toGlobalId("Person", 424242)] };
    await t.server.db.transaction(async (em) => {
      await audit.insert(em, { ...old, at: new Date("2020-01-01T00:00:00Z") });
      await audit.insert(em, { ...old, at: new Date(Date.now() - 86_400_000), records: [toGlobalId("Person", 434343)] });
    });
    const statements = t.server.db.isPostgres
      ? [`DELETE FROM audit_entry WHERE at < now() - interval '400 days'`]
      : [`DELETE FROM audit_record WHERE entry_id IN (SELECT id FROM audit_entry WHERE at < datetime('now', '-400 days'))`, `DELETE FROM audit_entry WHERE at < datetime('now', '-400 days')`];
    await t.server.db.transaction(async (em) => {
      for (const sql of statements) await em.query(sql);
    });
    expect(await count(t, `SELECT COUNT(*) AS n FROM audit_record WHERE record = '${toGlobalId("Person", 424242)}'`)).toBe(0);
    expect(await count(t, `SELECT COUNT(*) AS n FROM audit_entry WHERE at < '2021-01-01'`)).toBe(0);
    expect(await count(t, `SELECT COUNT(*) AS n FROM audit_record WHERE record = '${toGlobalId("Person", 434343)}'`)).toBe(1);
  });

  it("refuses a change whose entry cannot be written, and logs and counts an entry it could not write after", async () => {
    const people = await count(t, `SELECT COUNT(*) AS n FROM person`);
    await t.server.db.transaction((em) => em.query(`ALTER TABLE audit_entry RENAME TO audit_entry_gone`));
    try {
      const res = await t.gql(`mutation Lost { createPerson(input: { name: "Tanpa Jejak" }) { id } }`, {}, editor.headers);
      expect(res.body.errors?.[0]?.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
    } finally {
      await t.server.db.transaction((em) => em.query(`ALTER TABLE audit_entry_gone RENAME TO audit_entry`));
    }
    // The change went with its entry: nothing committed without one.
    expect(await count(t, `SELECT COUNT(*) AS n FROM person`)).toBe(people);
    // The refusal's own entry could not be written either: it is in the log, at error level, and counted.
    const lost = captured.lines.find((l) => l.msg === "audit entry not written");
    expect(lost).toMatchObject({ level: 50, audit: { field: "createPerson", operation: "Lost", outcome: "INTERNAL_SERVER_ERROR", tokenName: "Redaktur Log" } });
    expect(await metricOf(t, "audit_entries_lost_total")).toBe(1);
    dataOf(await t.gql(`mutation { createPerson(input: { name: "Jejak Kembali" }) { id } }`, {}, editor.headers));
  });
});
