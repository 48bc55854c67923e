import "reflect-metadata";
import { startTestServer } from "./helpers/server";
import type { TestServer } from "./helpers/server";

describe("health endpoints", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ seed: false });
  });
  afterAll(async () => {
    await t.close();
  });

  it("GET /healthz says the process is up", async () => {
    const res = await t.get("/healthz");
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ status: "ok" });
  });

  it("GET /readyz says the database answers", async () => {
    const res = await t.get("/readyz");
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ status: "ok", database: "up" });
  });

  it("GET /readyz says 503 when the database is gone", async () => {
    const other = await startTestServer({ seed: false });
    await other.server.db.reader.destroy();
    try {
      const res = await other.get("/readyz");
      expect(res.status).toBe(503);
      expect(JSON.parse(res.text)).toEqual({ status: "unavailable", database: "down" });
    } finally {
      await other.close();
    }
  });
});
