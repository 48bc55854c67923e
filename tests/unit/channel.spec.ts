import { Channel } from "../../src/events/channel";
import { RateLimitedError } from "../../src/kernel/errors";

/*
 * The slow-consumer limit of a live feed's channel counts every event its subscriber has not been
 * written yet: those queued for graphql-ws's loop and those the direct lane has taken and not
 * written (a socket that stopped reading holds both).
 */
describe("Channel: the slow-consumer limit", () => {
  it("fails once the events held for a consumer, in the lane and in the queue together, reach the limit", async () => {
    const limit = 5;
    const channel = new Channel<number>(limit);
    const settles: Array<() => void> = [];
    // A lane that takes two events and then declines (as the direct lane does at its limit ahead).
    channel.bypassWith((_value, settle) => {
      if (settles.length >= 2) return false;
      settles.push(settle);
      return true;
    });
    const first = channel.next();
    for (let i = 1; i <= limit; i++) channel.push(i);
    // Two in the lane, three queued: the limit held, and not one more.
    expect(channel.closed).toBe(false);
    channel.push(limit + 1);
    expect(channel.closed).toBe(true);
    // What the lane took is written (settled), then the queue, then the error.
    for (const settle of settles) settle();
    await expect(first).resolves.toEqual({ value: 3, done: false });
    await expect(channel.next()).resolves.toEqual({ value: 4, done: false });
    await expect(channel.next()).resolves.toEqual({ value: 5, done: false });
    await expect(channel.next()).rejects.toBeInstanceOf(RateLimitedError);
  });
});
