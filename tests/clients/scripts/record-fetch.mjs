/**
 * Wraps the global fetch, which the clients read at call time, so that the test sees what each
 * client really put on the wire (method, content type) and what the server answered. The
 * request itself goes through unchanged.
 */
export function recordFetch() {
  const sent = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (resource, init = {}) => {
    const request = new Request(resource, init);
    const entry = { method: request.method, url: request.url, contentType: request.headers.get("content-type"), status: null };
    sent.push(entry);
    const response = await realFetch(resource, init);
    entry.status = response.status;
    return response;
  };
  return sent;
}

/** The one line the test reads: a JSON document on stdout. */
export function report(value) {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
