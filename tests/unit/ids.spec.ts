import fc from "fast-check";
import { GraphQLError } from "graphql";
import { parseGlobalId, pkOf, toGlobalId } from "../../src/kernel/ids";
import type { NodeType } from "../../src/kernel/ids";

const TYPES: readonly NodeType[] = ["Article", "Institution", "Person", "Quote", "Comment", "Accreditation", "Position", "ApiToken", "Tag"];

const idOf = (text: string) => Buffer.from(text, "utf8").toString("base64url");

/** The error a call throws, so its message, code and field can be read. */
function refusal(call: () => unknown): GraphQLError {
  try {
    call();
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error("it did not throw");
}

describe("global ids", () => {
  it("read back to the type and key they were made of, for every type and every safe key", () => {
    fc.assert(
      fc.property(fc.constantFrom(...TYPES), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (type, pk) => {
        const id = toGlobalId(type, pk);
        expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(parseGlobalId(id)).toEqual({ type, pk });
        expect(pkOf(id, type)).toBe(pk);
      }),
    );
  });

  it.each([
    ["not base64url", "Article:1!"],
    ["padded", `${idOf("Article:1")}=`],
    ["an unknown type", idOf("Story:1")],
    ["a type in the wrong case", idOf("article:1")],
    ["key 0", idOf("Article:0")],
    ["a negative key", idOf("Article:-1")],
    ["a leading zero", idOf("Article:01")],
    ["a fraction", idOf("Article:1.5")],
    ["a key past the safe integers", idOf(`Article:${Number.MAX_SAFE_INTEGER + 2}`)],
    ["seventeen digits", idOf("Article:10000000000000000")],
    ["no key", idOf("Article:")],
    ["an empty id", ""],
  ])("refuses %s as BAD_USER_INPUT naming the id and the argument", (_, id) => {
    const error = refusal(() => parseGlobalId(id, "articleId"));
    expect(error.message).toBe(`'${id}' is not a valid id.`);
    expect(error.extensions).toEqual({ code: "BAD_USER_INPUT", field: "articleId" });
  });

  it("takes the largest safe key and refuses the next", () => {
    expect(parseGlobalId(idOf(`Tag:${Number.MAX_SAFE_INTEGER}`))).toEqual({ type: "Tag", pk: Number.MAX_SAFE_INTEGER });
    expect(() => parseGlobalId(idOf(`Tag:${Number.MAX_SAFE_INTEGER + 1}`))).toThrow(/is not a valid id/);
  });

  it("cuts a long id in the message", () => {
    const id = "A".repeat(100);
    expect(refusal(() => parseGlobalId(id)).message).toBe(`'${"A".repeat(57)}…' is not a valid id.`);
  });

  it("refuses another type's id where one type is expected, with the right article", () => {
    const person = toGlobalId("Person", 7);
    expect(refusal(() => pkOf(person, "Article", "articleId")).message).toBe(`'${person}' is not an id of an Article.`);
    expect(refusal(() => pkOf(person, "Institution")).message).toBe(`'${person}' is not an id of an Institution.`);
    expect(refusal(() => pkOf(person, "Tag")).message).toBe(`'${person}' is not an id of a Tag.`);
    expect(refusal(() => pkOf(person, "Article", "articleId")).extensions).toEqual({ code: "BAD_USER_INPUT", field: "articleId" });
  });
});
