import "reflect-metadata";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { schemaSdl } from "../../src/api/schema";
import { regionalNewsroom } from "../helpers/scenarios";
import { dataOf } from "../helpers/server";
import { useTestServer } from "../helpers/fixture";

const ROOT = path.resolve(__dirname, "..", "..");
const CONTRACT_TOOL = path.resolve(ROOT, "..", "shared", "tools", "check-contract.mjs");

describe("schema", () => {
  it("schema.graphql is what the code serves (run `npm run schema:emit` after changing the schema)", async () => {
    expect(fs.readFileSync(path.join(ROOT, "schema.graphql"), "utf8")).toBe(await schemaSdl());
  });

  it("keeps the public contract (../shared/contract.graphql)", () => {
    if (!fs.existsSync(CONTRACT_TOOL)) {
      console.warn(`skipped: ${CONTRACT_TOOL} is absent (no ../shared beside the project), so the contract cannot be checked here`);
      return;
    }
    let output: string;
    try {
      output = execFileSync(process.execPath, [CONTRACT_TOOL, "schema.graphql"], { cwd: ROOT, encoding: "utf8" });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    // Every part of the contract is built: no shortfall is allowed.
    expect(output.split("\n").filter((line) => /^[A-Z_]+: /.test(line))).toEqual([]);
    expect(output).toMatch(/^0 shortfalls against the contract/m);
  });
});

describe("the commenter's email", () => {
  const t = useTestServer({ seed: true });
  beforeAll(async () => {
    await regionalNewsroom(t.server.db);
  });

  it("is no field of any output type", async () => {
    const { __schema } = dataOf<{ __schema: { types: Array<{ name: string; kind: string; fields: Array<{ name: string }> | null }> } }>(
      await t.gql(`{ __schema { types { name kind fields { name } } } }`),
    );
    const leaks = __schema.types.filter((ty) => ty.kind === "OBJECT" || ty.kind === "INTERFACE").flatMap((ty) => (ty.fields ?? []).filter((f) => /email/i.test(f.name)).map((f) => `${ty.name}.${f.name}`));
    expect(leaks).toEqual([]);
    const comment = __schema.types.find((ty) => ty.name === "Comment")!;
    expect(comment.fields!.map((f) => f.name).sort()).toEqual(["article", "authorName", "authorWebsite", "body", "createdAt", "id", "parent", "replies", "status"]);
  });

  it("appears in no response, though it is stored", async () => {
    const stored = await t.server.db.reader.query(`SELECT COUNT(*) AS n FROM comment WHERE author_email = 'pembaca@example.com'`);
    expect(Number(stored[0].n)).toBeGreaterThan(0);
    const res = await t.gql<{ comments: { nodes: unknown[] } }>(`{ comments(first: 50) { nodes { id authorName authorWebsite body status createdAt parent { body } replies { body } article { comments(first: 10) { nodes { body } } } } } }`);
    expect(res.status).toBe(200);
    expect(dataOf(res).comments.nodes.length).toBe(2);
    expect(res.text).not.toContain("pembaca@example.com");
    expect(res.text).not.toMatch(/@example\.com/);
  });
});
