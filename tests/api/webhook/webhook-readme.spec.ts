import "reflect-metadata";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { freePort } from "../../helpers/daemon";
import { dataOf, startTestServer } from "../../helpers/server";
import type { TestServer } from "../../helpers/server";
import { bearer, mintToken } from "../../helpers/tokens";

const README = fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "README.md"), "utf8");

/** The first fenced block of `language` after `heading` in the README. */
function blockAfter(heading: string, language: string): string {
  const at = README.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`README has no heading ${heading}`);
  const block = new RegExp("^```" + language + "\\n([^]*?)^```$", "m").exec(README.slice(at));
  if (!block) throw new Error(`README has no ${language} block after ${heading}`);
  return block[1]!;
}

/** The README's webhook receiver, run as written (on a free port instead of 8080), against real deliveries. */
describe("the README's webhook receiver", () => {
  let t: TestServer;
  let receiver: ChildProcess | null = null;
  let output = "";

  beforeAll(async () => {
    t = await startTestServer({ seed: false, config: { webhooks: { allowHosts: ["127.0.0.1"], pollIntervalMs: 50 } } });
  });
  afterAll(async () => {
    if (receiver && receiver.exitCode === null) {
      const exited = new Promise((resolve) => receiver!.once("exit", resolve));
      receiver.kill();
      await exited;
    }
    await t.close();
  });

  it("verifies a real delivery, and turns away one whose signature is wrong", async () => {
    const admin = bearer(await mintToken(t, "ADMIN"));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const made = dataOf<{ createWebhookEndpoint: { secret: string } }>(
      await t.gql(`mutation($url: String!) { createWebhookEndpoint(url: $url, events: [ARTICLE_PUBLISHED]) { secret } }`, { url }, admin),
    ).createWebhookEndpoint;
    const source = blockAfter("## Webhooks", "js");
    expect(source).toContain(".listen(8080)");
    receiver = spawn(process.execPath, ["--input-type=module", "-e", source.replace(".listen(8080)", `.listen(${port}, "127.0.0.1", () => console.log("listening"))`)], {
      env: { ...process.env, NEWSROOM_WEBHOOK_SECRET: made.secret },
      stdio: ["ignore", "pipe", "pipe"],
    });
    receiver.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    receiver.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const until = async (ok: () => boolean) => {
      const deadline = Date.now() + 20_000;
      while (!ok()) {
        if (Date.now() > deadline) throw new Error(`waited 20 s; the receiver printed: ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    };
    await until(() => output.includes("listening"));

    const editor = bearer(await mintToken(t, "EDITOR"));
    const { createArticle } = dataOf<{ createArticle: { id: string; slug: string } }>(await t.gql(`mutation { createArticle(input: { title: "Cerita untuk penerima", body: "Isi." }) { id slug } }`, {}, editor));
    dataOf(await t.gql(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id: createArticle.id }, editor));
    await until(() => output.includes(createArticle.slug));
    expect(output).toMatch(new RegExp(`evt_\\d{16} article\\.published ${createArticle.slug}`));
    // The receiver printed before it answered: let the dispatcher record the answer.
    await t.server.webhooks.settle();
    const [delivery] = dataOf<{ webhookEndpoints: Array<{ deliveries: { nodes: Array<{ status: string; attempts: Array<{ statusCode: number }> }> } }> }>(
      await t.gql(`{ webhookEndpoints { deliveries { nodes { status attempts { statusCode } } } } }`, {}, admin),
    ).webhookEndpoints[0]!.deliveries.nodes;
    expect(delivery).toEqual({ status: "DELIVERED", attempts: [{ statusCode: 204 }] });

    const forged = await fetch(url, {
      method: "POST",
      headers: { "webhook-id": "evt_0000000000000001", "webhook-timestamp": String(Math.floor(Date.now() / 1000)), "webhook-signature": `v1,${Buffer.alloc(32).toString("base64")}` },
      body: JSON.stringify({ type: "article.deleted", data: { article: { slug: "forged" } } }),
    });
    expect(forged.status).toBe(401);
    expect(output).not.toContain("forged");
  });
});
