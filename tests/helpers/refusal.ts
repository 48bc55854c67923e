import type { GraphQLResponse } from "./server";

/** What a refused mutation must answer. */
export interface ErrorExpectation {
  code: string;
  field?: string;
  /** Parts the message must contain: the bad value, or the field it came in. */
  mentions?: string[];
}

/**
 * Runs a mutation that must be refused, checks its one error, and checks that `state` (what
 * the mutation could have written, read through the API and from the tables) is unchanged.
 */
export async function expectRefused<S extends Record<string, unknown>>(run: () => Promise<GraphQLResponse>, expected: ErrorExpectation, state: () => Promise<S>, nonEmpty: keyof S) {
  const before = await state();
  expect((before[nonEmpty] as unknown[]).length).toBeGreaterThan(0);
  const res = await run();
  expect(res.body.errors).toHaveLength(1);
  const error = res.body.errors![0]!;
  expect(error.extensions?.code).toBe(expected.code);
  if (expected.field !== undefined) expect(error.extensions?.field).toBe(expected.field);
  for (const part of expected.mentions ?? []) expect(error.message).toContain(part);
  expect(res.body.data ?? null).toBeNull();
  expect(await state()).toEqual(before);
  return error;
}
