import { forEachInSlices } from "../../src/kernel/slices";

describe("forEachInSlices", () => {
  it("visits every item in order, and lets the loop turn between slices but not within one", async () => {
    const order: string[] = [];
    const items = Array.from({ length: 1_201 }, (_, i) => i);
    // Queued before the pass: it runs at the first turn the pass lets happen.
    setImmediate(() => order.push("turn"));
    const visited: number[] = [];
    await forEachInSlices(items, 500, (i) => {
      visited.push(i);
      if (i === 499 || i === 500 || i === 1_000) order.push(`item ${i}`);
    });
    expect(visited).toEqual(items);
    expect(order).toEqual(["item 499", "turn", "item 500", "item 1000"]);
  });

  it("takes no turn for a pass that fits in one slice, or for no items", async () => {
    let turned = false;
    setImmediate(() => (turned = true));
    const seen: number[] = [];
    await forEachInSlices([1, 2, 3], 3, (i) => seen.push(i));
    await forEachInSlices([], 3, () => undefined);
    expect(seen).toEqual([1, 2, 3]);
    expect(turned).toBe(false);
  });
});
