/** Resolves on the loop's next turn, after the I/O that is waiting: what a long pass yields to. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Calls `each` on every item, `size` at a time, letting the loop turn between slices: one pass
 * over thousands of sockets or listeners would keep every request of the process waiting for it.
 */
export async function forEachInSlices<T>(items: readonly T[], size: number, each: (item: T) => void): Promise<void> {
  for (let start = 0; start < items.length; start += size) {
    if (start > 0) await nextTurn();
    const end = Math.min(items.length, start + size);
    for (let i = start; i < end; i++) each(items[i]!);
  }
}
