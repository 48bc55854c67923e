import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { serverAudits } from "graphql-http";
import type { Audit, AuditResult } from "graphql-http";
import { useTestServer } from "../helpers/fixture";

/*
 * The GraphQL over HTTP audits of graphql-http, run against the real server. Every MUST audit is
 * a test of its own, named by the audit, so a failure says which requirement broke. SHOULD and
 * MAY audits are recommendations: their results are printed and written to
 * .bench/http-audit-should.md (for the README), not asserted.
 */

const ROOT = path.resolve(__dirname, "..", "..");
const REPORT = path.join(ROOT, ".bench", "http-audit-should.md");
const AUDITOR_VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", "graphql-http", "package.json"), "utf8")) as { version: string }).version;

let url = "";
// The URL is read when each audit runs, so the list (and the test names) exists before the server.
const audits: Audit[] = serverAudits({ url: () => url, fetchFn: fetch });
const must = audits.filter((audit) => audit.name.startsWith("MUST"));
const recommended = audits.filter((audit) => !audit.name.startsWith("MUST"));

/** What the server answered to a failing audit: status, content type and (the start of) the body. */
async function answer(result: AuditResult, max = 400): Promise<string> {
  if (result.status === "ok") return "ok";
  let body: string;
  try {
    body = await result.response.clone().text();
  } catch {
    body = "(body already read by the audit)";
  }
  const shown = body.length > max ? `${body.slice(0, max)}…` : body;
  return `HTTP ${result.response.status} ${result.response.headers.get("content-type") ?? ""}: ${shown.trim()}`;
}

describe("GraphQL over HTTP (graphql-http server audits)", () => {
  const t = useTestServer({ seed: true });
  beforeAll(async () => {
    url = `http://127.0.0.1:${t.server.port}/graphql`;
  });

  it("has MUST audits to run", () => {
    expect(must.length).toBeGreaterThan(0);
  });

  for (const audit of must) {
    it(audit.name, async () => {
      const result = await audit.fn();
      if (result.status !== "ok") throw new Error(`audit ${audit.id} (${result.status}): ${result.reason}\nserver answered ${await answer(result)}`);
    });
  }

  it("reports the SHOULD and MAY audits", async () => {
    const lines: string[] = [];
    let passed = 0;
    for (const audit of recommended) {
      const result = await audit.fn();
      if (result.status === "ok") {
        passed++;
        lines.push(`- ✅ ${audit.name}`);
      } else {
        lines.push(`- ❌ ${audit.name} (${result.status}, audit ${audit.id}): ${result.reason}. server: ${(await answer(result, 160)).replace(/\s+/g, " ")}`);
      }
    }
    const report = [
      `### GraphQL over HTTP: SHOULD and MAY audits (graphql-http ${AUDITOR_VERSION})`,
      "",
      `${passed} of ${recommended.length} recommended audits pass; all ${must.length} MUST audits are asserted by tests/transport/http-audit.spec.ts.`,
      "",
      ...lines,
      "",
    ].join("\n");
    fs.mkdirSync(path.dirname(REPORT), { recursive: true });
    fs.writeFileSync(REPORT, report);
    console.info(report);
    expect(lines).toHaveLength(recommended.length);
  });
});
