import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { useTestServer } from "../helpers/fixture";
import { dataOf } from "../helpers/server";
import type { GraphQLResponse } from "../helpers/server";
import { bearer, mintToken } from "../helpers/tokens";

const README = fs.readFileSync(path.resolve(__dirname, "..", "..", "README.md"), "utf8");
const HEADING = "### Corrections, revisions and a preview link";

/** The fenced graphql blocks of the README's section on corrections, revisions and preview links. */
function blocks(): string[] {
  const at = README.indexOf(`\n${HEADING}\n`);
  if (at < 0) throw new Error(`README has no heading ${HEADING}`);
  const section = README.slice(at + HEADING.length + 2);
  const end = section.search(/^#{2,3} /m);
  return [...section.slice(0, end).matchAll(/^```graphql\n([^]*?)^```$/gm)].map((m) => m[1]!);
}

/** The README's correction, story page, history and preview examples, run as written on a seeded server. */
describe("the README's corrections, revisions and preview link", () => {
  const t = useTestServer({ seed: true });

  it("work as written: a correction readers see, the editors' history and diff, a preview link read without a token", async () => {
    const [corrections, preview] = blocks();
    expect(corrections).toBeDefined();
    expect(preview).toBeDefined();
    const editor = bearer(await mintToken(t, "EDITOR"));
    const run = async <T,>(document: string, operationName: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) => {
      const res = await fetch(`http://127.0.0.1:${t.server.port}/graphql`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query: document, operationName, variables }) });
      return dataOf<T>({ status: res.status, body: (await res.json()) as GraphQLResponse<T>["body"], text: "" });
    };
    const { id, slug } = dataOf<{ articles: { nodes: Array<{ id: string; slug: string }> } }>(await t.gql(`{ articles(first: 1) { nodes { id slug } } }`)).articles.nodes[0]!;
    await t.gql(`mutation($id: ID!) { updateArticle(id: $id, input: { summary: "Ringkasan yang diperbaiki." }) { id } }`, { id }, editor);

    const corrected = await run<{ addCorrection: { correctedAt: string } }>(corrections!, "Correct", { id }, editor);
    const page = await run<{ article: { correctedAt: string; corrections: Array<{ text: string }>; paragraphs: string[] } }>(corrections!, "StoryPage", { slug });
    expect(page.article.correctedAt).toBe(corrected.addCorrection.correctedAt);
    expect(page.article.corrections).toHaveLength(1);
    expect(page.article.paragraphs.length).toBeGreaterThan(0);
    const history = await run<{ article: { revisions: { nodes: Array<{ kind: string }> } }; articleRevisionDiff: { fields: Array<{ field: string }> } }>(corrections!, "History", { id }, editor);
    expect(history.article.revisions.nodes.map((r) => r.kind)).toEqual(["UPDATED", "IMPORTED"]);
    expect(history.articleRevisionDiff.fields.map((f) => f.field)).toEqual(["SUMMARY"]);

    const until = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const shared = await run<{ createPreviewLink: { token: string } }>(preview!, "Share", { id, until }, editor);
    const read = await run<{ articlePreview: { title: string; paragraphs: string[] } }>(preview!, "Preview", { token: shared.createPreviewLink.token });
    expect(read.articlePreview.paragraphs).toEqual(page.article.paragraphs);
  });
});
