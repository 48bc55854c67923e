import { startTestServer } from "./server";
import type { TestServer } from "./server";

/**
 * The shared fixture of a suite that runs against one server: started before the suite's first
 * test and closed after its last, so a spec file writes `const t = useTestServer({ seed: true })`
 * instead of its own `beforeAll`/`afterAll` pair. The handle answers only while the server runs
 * (inside tests and the suite's own hooks); outside, it says so.
 */
export function useTestServer(options: Parameters<typeof startTestServer>[0] = {}): TestServer {
  let started: TestServer | null = null;
  beforeAll(async () => {
    started = await startTestServer(options);
  });
  afterAll(async () => {
    await started?.close();
    started = null;
  });
  return handleOf(() => started);
}

/**
 * A TestServer that forwards to the one `current()` returns, so a suite can hold it before its
 * beforeAll has started the server; outside the suite's tests and hooks it says so.
 */
export function handleOf(current: () => TestServer | null): TestServer {
  const running = (): TestServer => {
    const server = current();
    if (server === null) throw new Error("the suite's test server is not running here: use it inside a test or a hook after its beforeAll");
    return server;
  };
  return {
    get server() {
      return running().server;
    },
    get file() {
      return running().file;
    },
    gql: (query, variables, headers) => running().gql(query, variables, headers),
    get: (pathname) => running().get(pathname),
    close: () => running().close(),
  };
}
