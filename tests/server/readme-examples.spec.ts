import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { connect } from "../helpers/ws";
import { useTestServer } from "../helpers/fixture";

const README = fs.readFileSync(path.resolve(__dirname, "..", "..", "README.md"), "utf8");

/** The body of the first fenced block of `language` after `heading` in the README. */
function blockAfter(heading: string, language: string): string {
  const at = README.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`README has no heading ${heading}`);
  const block = new RegExp("^```" + language + "\\n([^]*?)^```$", "m").exec(README.slice(at));
  if (!block) throw new Error(`README has no ${language} block after ${heading}`);
  return block[1]!;
}

/** The JSON bodies of the Quick start's curl examples (`-d '…'`). */
const CURL_BODIES = [...blockAfter("### Three queries against the seed story", "sh").matchAll(/-d '([^']*)'/g)].map((m) => JSON.parse(m[1]!) as { query: string });
/** The Live feeds section's subscription examples, one a line (comments after `#` left out). */
const SUBSCRIPTIONS = blockAfter("## Live feeds", "graphql")
  .split("\n")
  .filter((line) => line.startsWith("subscription"))
  .map((line) => line.replace(/\s+#.*$/, ""));

/** Polls (bounded) until `ok()`. */
async function until(ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error("waited 10 s");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: unknown[];
}

/** Every list anywhere in an answer. */
function listsIn(value: unknown): unknown[][] {
  if (Array.isArray(value)) return [value, ...value.flatMap(listsIn)];
  if (value === null || typeof value !== "object") return [];
  return Object.values(value).flatMap(listsIn);
}

/** The README's examples, parsed out of it, against a freshly seeded server: what a newcomer pastes must work. */
describe("the README's examples on a fresh install", () => {
  const t = useTestServer({ seed: true });

  it("finds the examples", () => {
    expect(CURL_BODIES.length).toBe(3);
    expect(SUBSCRIPTIONS.length).toBeGreaterThanOrEqual(3);
  });

  it.each(CURL_BODIES.map((body, i) => [i + 1, body] as const))("curl example %i answers with data and no errors, and no list in it is empty", async (_n, body) => {
    const res = await t.gql(body.query);
    expect(res.body.errors).toBeUndefined();
    expect(res.status).toBe(200);
    for (const value of Object.values(res.body.data ?? {})) expect(value).not.toBeNull();
    const lists = listsIn(res.body.data);
    expect(lists.length).toBeGreaterThan(0);
    for (const list of lists) expect(list.length).toBeGreaterThan(0);
  });

  it("every id the subscription examples name exists on the seed", async () => {
    const ids = SUBSCRIPTIONS.flatMap((s) => [...s.matchAll(/\b\w*[iI]d: "([^"]+)"/g)].map((m) => m[1]!));
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      const res = await t.gql<{ node: { id: string } | null }>(`query ($id: ID!) { node(id: $id) { id } }`, { id });
      expect({ id, errors: res.body.errors, node: res.body.data?.node }).toEqual({ id, errors: undefined, node: { id } });
    }
  });

  it.each(SUBSCRIPTIONS.map((s) => [s] as const))("%s is accepted and served", async (subscription) => {
    // One at a time: the server's count of subscriptions being served tells that this one is.
    await until(() => t.server.stats.activeSubscriptions === 0);
    const live = connect(t.server.port);
    try {
      const sub = live.subscribe(subscription);
      let ended: unknown = undefined;
      void sub.ended.then((value) => (ended = value));
      // Refused (a bad cursor, filter or id), it ends with errors; accepted, the server serves it.
      await until(() => ended !== undefined || t.server.stats.activeSubscriptions === 1);
      expect(ended).toBeUndefined();
      expect(t.server.stats.activeSubscriptions).toBe(1);
      // A replay from a cursor brings the seed's events, each without errors.
      if (/after:/.test(subscription)) {
        await sub.waitFor(1);
        for (const result of sub.received as Answer[]) expect(result.errors).toBeUndefined();
      }
      sub.unsubscribe();
    } finally {
      await live.close();
    }
  });
});
