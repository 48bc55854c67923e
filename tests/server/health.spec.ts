import "reflect-metadata";
import { startTestServer } from "../helpers/server";
import { useTestServer } from "../helpers/fixture";

describe("health endpoints", () => {
  const t = useTestServer({ seed: false });

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

describe("/metrics on a port of its own (METRICS_PORT)", () => {
  it("is served there and not on the public port", async () => {
    const t = await startTestServer({ seed: false, config: { metrics: { port: 0, host: "127.0.0.1" } } });
    try {
      const port = t.server.metricsPort;
      expect(port).not.toBeNull();
      expect(port).not.toBe(t.server.port);
      expect((await t.get("/metrics")).status).toBe(404);
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/^# TYPE graphql_requests_total counter$/m);
      // Nothing else is answered there.
      expect((await fetch(`http://127.0.0.1:${port}/graphql`)).status).toBe(404);
    } finally {
      await t.close();
    }
  });

  it("stays on the public port when METRICS_PORT is unset", async () => {
    const t = await startTestServer({ seed: false });
    try {
      expect(t.server.metricsPort).toBeNull();
      expect((await t.get("/metrics")).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
