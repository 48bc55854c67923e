import { Random } from "./random";

/**
 * Ranks 0…n−1 drawn with probability proportional to 1 / (rank + 1)^exponent (Zipf's law: the
 * first story is read twice as often as the second, three times as often as the third…), from a
 * seeded PRNG so that two runs offer the same sequence. The cumulative weights are computed once
 * and each draw is a binary search: O(log n), nothing allocated.
 */
export class ZipfPicker {
  private readonly cumulative: Float64Array;
  private readonly random: Random;

  constructor(
    readonly n: number,
    readonly exponent = 1,
    seed = 21,
  ) {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`a Zipf picker needs a positive count, got ${n}`);
    this.cumulative = new Float64Array(n);
    let total = 0;
    for (let rank = 0; rank < n; rank++) this.cumulative[rank] = total += 1 / Math.pow(rank + 1, exponent);
    for (let rank = 0; rank < n; rank++) this.cumulative[rank]! /= total;
    this.random = new Random(seed);
  }

  /** The probability of `rank` (for tests and for the report). */
  probability(rank: number): number {
    return this.cumulative[rank]! - (rank === 0 ? 0 : this.cumulative[rank - 1]!);
  }

  next(): number {
    const u = this.random.next();
    let lo = 0;
    let hi = this.n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
