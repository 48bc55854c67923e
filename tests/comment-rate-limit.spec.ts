import "reflect-metadata";
import net from "node:net";
import { toGlobalId } from "../src/kernel/ids";
import { createLogger } from "../src/kernel/logger";
import { addStory } from "./helpers/scenarios";
import { startTestServer } from "./helpers/server";

const ADD = `mutation Add($input: AddCommentInput!) { addComment(input: $input) { id } }`;

/** A local port nothing listens on: a Redis that is down. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("the comment limit with REDIS_URL set and Redis down", () => {
  it("still limits on this instance, and logs the outage once", async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const logger = createLogger("info", { write: (line: string) => void lines.push(JSON.parse(line)) });
    const t = await startTestServer({ seed: false, logger, config: { redisUrl: `redis://127.0.0.1:${await closedPort()}`, commentRateLimit: 5, commentRateWindowSeconds: 60 } });
    try {
      const story = await t.server.db.transaction((em) => addStory(em, { title: "Redis mati" }));
      const outcomes: string[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await t.gql(ADD, { input: { articleId: toGlobalId("Article", story.pk), authorName: "Pembaca", authorEmail: "pembaca@contoh.id", body: `Komentar ${i}.` } });
        outcomes.push(res.body.errors?.length ? String(res.body.errors[0]!.extensions?.code) : "ok");
      }
      expect(outcomes).toEqual(["ok", "ok", "ok", "ok", "ok", "RATE_LIMITED", "RATE_LIMITED"]);
      const outage = lines.filter((l) => /^rate limits/.test(l.msg));
      expect(outage).toHaveLength(1);
      expect(outage[0]).toMatchObject({ level: 40, msg: expect.stringMatching(/Redis.*this instance/i) });
    } finally {
      await t.close();
    }
  });
});
