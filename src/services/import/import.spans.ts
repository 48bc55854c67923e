import type { Span } from "./import.types";

/*
 * Answers to "which span is here" in time that does not grow with the number of spans. The
 * extractor asked such questions once per mention, each by a scan over every span, which made it
 * quadratic in the text (a story of a thousand quotes and a thousand names asked a million times).
 */

/** Which characters of a text a growing set of non-empty spans covers. */
export class Coverage {
  private readonly covered: Uint8Array;

  constructor(length: number, spans: Iterable<Span> = []) {
    this.covered = new Uint8Array(length);
    for (const span of spans) this.add(span);
  }

  add(span: Span): void {
    this.covered.fill(1, span.start, span.end);
  }

  /** Some span holds the character at `at`. */
  covers(at: number): boolean {
    return this.covered[at] === 1;
  }

  /** Some span shares a character with the non-empty `span`. */
  overlaps(span: Span): boolean {
    for (let i = span.start; i < span.end; i++) if (this.covered[i] === 1) return true;
    return false;
  }
}

/** The first span of a list (in the list's order) that holds a character: `spans.find(...)` by a table. */
export class FirstCover<T extends Span> {
  private readonly owner: Int32Array;

  constructor(
    length: number,
    private readonly spans: readonly T[],
  ) {
    this.owner = new Int32Array(length).fill(-1);
    spans.forEach((span, i) => {
      for (let at = Math.max(0, span.start); at < Math.min(length, span.end); at++) if (this.owner[at] === -1) this.owner[at] = i;
    });
  }

  at(at: number): T | undefined {
    const i = this.owner[at];
    return i === undefined || i === -1 ? undefined : this.spans[i];
  }
}

/** The first item of `items` (sorted by `key`, ascending) whose key is at least `value`; `items.length` when none is. */
export function firstAtLeast<T>(items: readonly T[], value: number, key: (item: T) => number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (key(items[mid]!) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The first item at each start, as `items.find((i) => i.start === at)` would give it. */
export function byStart<T extends Span>(items: readonly T[]): Map<number, T> {
  const map = new Map<number, T>();
  for (const item of items) if (!map.has(item.start)) map.set(item.start, item);
  return map;
}
