import "reflect-metadata";
import { GraphQLError } from "graphql";
import { checkPageArgs, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../../src/kernel/page-args";

function refusal(call: () => unknown): GraphQLError {
  try {
    call();
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error("it did not throw");
}

describe("checkPageArgs", () => {
  it("pages forward by the default size when neither first nor last is given", () => {
    expect(checkPageArgs({}, false)).toEqual({ count: DEFAULT_PAGE_SIZE, backward: false, after: null, before: null });
    expect(checkPageArgs({ first: null, after: "c1" }, false)).toEqual({ count: DEFAULT_PAGE_SIZE, backward: false, after: "c1", before: null });
  });

  it("lets last win over the schema's default first, and keeps both cursors", () => {
    expect(checkPageArgs({ first: DEFAULT_PAGE_SIZE, last: 5, before: "c2", after: "c1" }, false)).toEqual({ count: 5, backward: true, after: "c1", before: "c2" });
  });

  it("refuses a first and a last both written, naming both", () => {
    const error = refusal(() => checkPageArgs({ first: 3, last: 5 }, true));
    expect(error.message).toBe("first (3) and last (5) cannot be used together: page forward with first/after, or backward with last/before.");
    expect(error.extensions).toEqual({ code: "BAD_USER_INPUT", field: "last" });
  });

  it.each(["first", "last"] as const)("takes %s from 0 to the largest page and refuses just outside, naming the value", (name) => {
    for (const size of [0, MAX_PAGE_SIZE]) expect(checkPageArgs({ [name]: size }, name === "first").count).toBe(size);
    for (const size of [-1, MAX_PAGE_SIZE + 1, 1.5]) {
      const error = refusal(() => checkPageArgs({ [name]: size }, name === "first"));
      expect(error.message).toBe(`${name} must be from 0 to ${MAX_PAGE_SIZE}, got ${size}.`);
      expect(error.extensions).toEqual({ code: "BAD_USER_INPUT", field: name });
    }
  });
});
