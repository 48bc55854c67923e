import "reflect-metadata";
import { NO_REQUEST } from "../../src/kernel/request-context";
import { Role } from "../../src/kernel/viewer";
import { AuthService } from "../../src/services/auth.service";
import { useTestServer } from "../helpers/fixture";
import { capturingLogger } from "../helpers/logs";
import { bearer } from "../helpers/tokens";
import { connect } from "../helpers/ws";

/**
 * Every query and mutation has one log line, whichever transport brought it: over HTTP (the
 * observability plugin's) and over graphql-ws (the socket adapter's), with the same fields, and
 * for a mutation the same actor (the token's id and name, never the token).
 */
describe("the log line of an operation over HTTP and over WebSocket", () => {
  const captured = capturingLogger();
  const t = useTestServer({ seed: false, logger: captured.logger });
  let editor: { token: string; id: string };

  beforeAll(async () => {
    const { token, apiToken } = await new AuthService(t.server.db).createToken(NO_REQUEST, "Redaktur Soket", Role.EDITOR);
    editor = { token, id: apiToken.id };
  });

  const requestLines = (operation: string) => captured.lines.filter((l) => l.msg === "graphql request" && l.operation === operation);

  it("names a mutation's actor alike over both, once per operation, and never the token", async () => {
    const http = await fetch(`http://127.0.0.1:${t.server.port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "lewat-http", ...bearer(editor.token) },
      body: JSON.stringify({ query: `mutation LewatHttp { createPerson(input: { name: "Orang Lewat HTTP" }) { id } }` }),
    });
    expect(http.status).toBe(200);

    const client = connect(t.server.port, bearer(editor.token));
    try {
      const [created] = await client.subscribe<{ createPerson: { id: string } }>(`mutation LewatSoket { createPerson(input: { name: "Orang Lewat Soket" }) { id } }`).waitFor(1);
      expect(created!.data!.createPerson.id).toEqual(expect.any(String));
      const [refused] = await client.subscribe(`mutation SoketDitolak { createPerson(input: { name: "" }) { id } }`).waitFor(1);
      expect(refused!.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT" });
      const [read] = await client.subscribe<{ me: { name: string } }>(`query SiapaSoket { me { name } }`).waitFor(1);
      expect(read!.data).toEqual({ me: { name: "Redaktur Soket" } });
    } finally {
      await client.close();
    }

    const [overHttp, ...moreHttp] = requestLines("LewatHttp");
    const [overSocket, ...moreSocket] = requestLines("LewatSoket");
    expect([moreHttp, moreSocket]).toEqual([[], []]);
    const actor = { id: editor.id, name: "Redaktur Soket" };
    expect(overHttp).toMatchObject({ reqId: "lewat-http", transport: "http", outcome: "ok", status: 200, actor });
    expect(overSocket).toMatchObject({ reqId: expect.any(String), transport: "websocket", outcome: "ok", actor });
    // The same fields (HTTP's status aside: a socket's operation has none).
    const fields = (line: Record<string, unknown>) => Object.keys(line).filter((k) => k !== "status" && k !== "time" && k !== "pid" && k !== "hostname").sort();
    expect(fields(overSocket!)).toEqual(fields(overHttp!));
    for (const line of [overHttp!, overSocket!]) {
      expect(line.durationMs).toEqual(expect.any(Number));
      expect(line.statements).toBeGreaterThan(0);
    }
    // Each socket operation has an id of its own, which the mutation's audit entry carries too.
    expect(overSocket!.reqId).not.toBe(overHttp!.reqId);
    const entries = await t.server.db.reader.query(`SELECT request_id AS "requestId" FROM audit_entry WHERE operation = 'LewatSoket'`);
    expect(entries).toEqual([{ requestId: overSocket!.reqId }]);

    // A refused mutation's line has its error code and actor; a query's line has no actor.
    expect(requestLines("SoketDitolak")).toEqual([expect.objectContaining({ transport: "websocket", outcome: "BAD_USER_INPUT", actor })]);
    const [query, ...moreQueries] = requestLines("SiapaSoket");
    expect(moreQueries).toEqual([]);
    expect(query).toMatchObject({ transport: "websocket", outcome: "ok" });
    expect(query).not.toHaveProperty("actor");

    // No line holds the token, whole or its secret part.
    const secret = editor.token.slice(editor.token.length - 16);
    expect(captured.raw.filter((line) => line.includes(editor.token) || line.includes(secret))).toEqual([]);
  });
});
