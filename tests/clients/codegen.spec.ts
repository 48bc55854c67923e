import "reflect-metadata";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { buildSchema, isEnumType, isInputObjectType } from "graphql";
import { runClientScript } from "../helpers/clients";
import { startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import recipe from "./recipes/codegen";

const ROOT = path.resolve(__dirname, "..", "..");

/**
 * A front end's documents, written as the client preset's guide writes them, with lines that
 * only type-check if the generated types say what the schema says: `@ts-expect-error` fails the
 * compile when its line is not an error, so types that came out as `any` fail too.
 */
const OPERATIONS = `import type { ResultOf, VariablesOf } from "@graphql-typed-document-node/core";
import { graphql } from "./gql";

export const FrontPage = graphql(\`
  query FrontPage($first: Int!) {
    articles(first: $first) { totalCount nodes { id title slug publishedAt institutions { shortName } } }
  }
\`);

export const PostComment = graphql(\`
  mutation PostComment($input: AddCommentInput!) { addComment(input: $input) { id status createdAt } }
\`);

export const Live = graphql(\`
  subscription Live($after: String) { articleEvents(after: $after) { cursor type article { title } } }
\`);

type Page = ResultOf<typeof FrontPage>;
export function firstStory(page: Page): { title: string; publishedAt: string | null | undefined } {
  const story = page.articles.nodes[0]!;
  return { title: story.title, publishedAt: story.publishedAt };
}
// @ts-expect-error totalCount is an Int
export const wrongCount = (page: Page): string => page.articles.totalCount;
// @ts-expect-error the mutation's input requires authorEmail
export const noEmail: VariablesOf<typeof PostComment> = { input: { articleId: "1", authorName: "A", body: "B" } };
export const createdAt = (posted: ResultOf<typeof PostComment>): string => posted.addComment.createdAt;
export const cursor = (event: ResultOf<typeof Live>): string => event.articleEvents.cursor;
`;

/** The text of `export type <name> = …;` in generated code, up to the blank line after it (empty when absent). */
function typeBlock(code: string, name: string): string {
  return new RegExp(`^export type ${name} =[^]*?;\\n(?:\\n|$)`, "m").exec(code)?.[0] ?? "";
}

const TSCONFIG = {
  compilerOptions: { strict: true, noEmit: true, target: "ES2022", lib: ["ES2022"], module: "preserve", moduleResolution: "bundler", skipLibCheck: true, types: [] },
  include: ["operations.ts", "gql/**/*.ts"],
};

/** GraphQL Code Generator (cli + client-preset) with the README's codegen.ts, reading the schema from the running server's URL. */
describe("GraphQL Code Generator against the server's URL", () => {
  let t: TestServer;
  let dir: string;
  beforeAll(async () => {
    t = await startTestServer({ seed: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsroom-codegen-"));
    // The generated code imports @graphql-typed-document-node/core, as in a front end's project.
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    fs.writeFileSync(path.join(dir, "operations.ts"), OPERATIONS);
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2));
  });
  afterAll(async () => {
    await t?.close();
    if (dir) {
      fs.unlinkSync(path.join(dir, "node_modules"));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("generates the client preset's files from the URL, with the schema's types and the operations' types", async () => {
    // The README's codegen.ts, its one output pointed at the temporary folder.
    const outputs = Object.values(recipe.generates);
    expect(outputs).toHaveLength(1);
    const result = await runClientScript<{ files: string[]; error: string | null }>("codegen.mjs", [t.server.url, dir, JSON.stringify(outputs[0])], 120_000);
    expect(result.error).toBeNull();
    expect(result.files).toEqual(["gql/fragment-masking.ts", "gql/gql.ts", "gql/graphql.ts", "gql/index.ts"]);

    const generated = fs.readFileSync(path.join(dir, "gql", "graphql.ts"), "utf8");
    // The client preset (v6) emits only what the documents use: their operations, and the enums and inputs those reach.
    for (const name of ["FrontPageQuery", "FrontPageQueryVariables", "PostCommentMutation", "PostCommentMutationVariables", "LiveSubscription"]) expect(generated).toContain(`export type ${name} = `);
    for (const name of ["FrontPageDocument", "PostCommentDocument", "LiveDocument"]) expect(generated).toContain(`export const ${name} = `);
    // DateTime mapped to string (left unmapped it would be `any`).
    expect(typeBlock(generated, "FrontPageQuery")).toContain("publishedAt: string | null");
    expect(typeBlock(generated, "PostCommentMutation")).toContain("createdAt: string");
    // Enums and inputs as the schema the server emits has them.
    const schema = buildSchema(fs.readFileSync(path.join(ROOT, "schema.graphql"), "utf8"));
    const status = schema.getType("CommentStatus");
    if (!isEnumType(status)) throw new Error("schema.graphql has no CommentStatus enum");
    expect([...typeBlock(generated, "CommentStatus").matchAll(/'(\w+)'/g)].map((m) => m[1]).sort()).toEqual(status.getValues().map((v) => v.name).sort());
    const input = schema.getType("AddCommentInput");
    if (!isInputObjectType(input)) throw new Error("schema.graphql has no AddCommentInput");
    expect([...typeBlock(generated, "AddCommentInput").matchAll(/^ {2}(\w+)\??: /gm)].map((m) => m[1]).sort()).toEqual(Object.keys(input.getFields()).sort());
  }, 120_000);

  it("the generated code and the documents that use it type-check (tsc --noEmit, strict)", async () => {
    expect(fs.existsSync(path.join(dir, "gql", "graphql.ts"))).toBe(true);
    const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const run = await promisify(execFile)(process.execPath, [tsc, "-p", dir], { cwd: dir }).then(
      () => ({ ok: true, output: "" }),
      (error: { stdout?: string; stderr?: string }) => ({ ok: false, output: `${error.stdout ?? ""}${error.stderr ?? ""}` }),
    );
    expect(run).toEqual({ ok: true, output: "" });
  }, 120_000);
});
