import { ReadBatch } from "../../src/db/read-batch";

/** A read whose statements the test finishes by hand, recording the keys of each. */
function manualRead() {
  const statements: Array<{ keys: string[]; finish: (error?: Error) => void }> = [];
  const read = (keys: string[]) =>
    new Promise<Map<string, string>>((resolve, reject) => {
      statements.push({ keys, finish: (error) => (error ? reject(error) : resolve(new Map(keys.filter((k) => k !== "missing").map((k) => [k, `value of ${k}`])))) });
    });
  return { statements, batch: new ReadBatch(read) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test("an idle batch reads a key at once; keys asked while it reads go together into the next statement", async () => {
  const { statements, batch } = manualRead();
  const first = batch.load("a");
  await settle();
  expect(statements.map((s) => s.keys)).toEqual([["a"]]);
  // Asked while "a" is read: not in that statement (it started before them), all in the next one.
  const later = [batch.load("b"), batch.load("missing"), batch.load("b"), batch.load("c")];
  await settle();
  expect(statements.map((s) => s.keys)).toEqual([["a"]]);
  statements[0]!.finish();
  expect(await first).toBe("value of a");
  await settle();
  expect(statements.map((s) => s.keys)).toEqual([["a"], ["b", "missing", "c"]]);
  statements[1]!.finish();
  expect(await Promise.all(later)).toEqual(["value of b", undefined, "value of b", "value of c"]);
  // Idle again: the next key is read at once, alone.
  const again = batch.load("a");
  await settle();
  expect(statements.map((s) => s.keys)).toEqual([["a"], ["b", "missing", "c"], ["a"]]);
  statements[2]!.finish();
  expect(await again).toBe("value of a");
});

test("a failed statement fails every caller it served, and the batch goes on with the next keys", async () => {
  const { statements, batch } = manualRead();
  const first = batch.load("a");
  await settle();
  const served = [batch.load("b"), batch.load("c")];
  statements[0]!.finish();
  await first;
  await settle();
  const next = batch.load("d");
  statements[1]!.finish(new Error("disk I/O error"));
  await expect(Promise.all(served.map((p) => p.then(() => "read", (e: Error) => e.message)))).resolves.toEqual(["disk I/O error", "disk I/O error"]);
  await settle();
  expect(statements.map((s) => s.keys)).toEqual([["a"], ["b", "c"], ["d"]]);
  statements[2]!.finish();
  expect(await next).toBe("value of d");
});

test("a statement reads at most MAX_KEYS keys; the others go into the next, first asked first", async () => {
  const { statements, batch } = manualRead();
  const first = batch.load("first");
  await settle();
  const keys = Array.from({ length: ReadBatch.MAX_KEYS + 3 }, (_, i) => `k${i}`);
  const loads = keys.map((key) => batch.load(key));
  statements[0]!.finish();
  await first;
  await settle();
  expect(statements.map((s) => s.keys.length)).toEqual([1, ReadBatch.MAX_KEYS]);
  expect(statements[1]!.keys).toEqual(keys.slice(0, ReadBatch.MAX_KEYS));
  statements[1]!.finish();
  await settle();
  expect(statements[2]!.keys).toEqual(keys.slice(ReadBatch.MAX_KEYS));
  statements[2]!.finish();
  expect(await Promise.all(loads)).toEqual(keys.map((key) => `value of ${key}`));
});
