import { buildSchema, parse } from "graphql";
import type { OperationDefinitionNode } from "graphql";
import type { AdmittedOperation } from "../../src/policy/operation-policy";
import { CompiledExecution } from "../../src/transport/compiled-execution";

/*
 * The compiled set's bounds: a document is compiled only after its second admission and off the
 * caller's turn, once while remembered, and neither compiled nor seen-once documents grow past
 * the capacity (least recently used go first).
 */

const schema = buildSchema(`type Query { hello(n: Int): String }`);
schema.getQueryType()!.getFields().hello!.resolve = (
  _root,
  args: { n?: number },
) => `hello ${args.n ?? 0}`;

function admittedOf(n: number): AdmittedOperation {
  const source = `query Q${n} { hello(n: ${n}) }`;
  const document = parse(source);
  const operation = document.definitions[0] as OperationDefinitionNode;
  return {
    source,
    sourceHash: `hash-${n}`,
    document,
    operation,
    operationName: `Q${n}`,
    variables: {},
    cost: 1,
  };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("CompiledExecution", () => {
  it("compiles a document after its second sighting, off the caller's turn, and runs it", async () => {
    const compiled = new CompiledExecution(schema, { capacity: 4 });
    const a = admittedOf(1);
    expect(compiled.compiledFor(a)).toBeUndefined();
    expect(compiled.compiledFor(a)).toBeUndefined();
    expect(compiled.size).toBe(0);
    await turn();
    expect(compiled.size).toBe(1);
    const query = compiled.compiledFor(a);
    expect(query).toBeDefined();
    expect(await compiled.execute(query!, {}, {})).toEqual({
      data: { hello: "hello 1" },
    });
    // Once while remembered: the same compiled query again, nothing more compiled.
    expect(compiled.compiledFor(a)).toBe(query);
    await turn();
    expect(compiled.size).toBe(1);
  });

  it("keeps at most `capacity` compiled documents, dropping the least recently used", async () => {
    const compiled = new CompiledExecution(schema, { capacity: 2 });
    const docs = [1, 2, 3].map(admittedOf);
    for (const d of docs) {
      compiled.compiledFor(d);
      compiled.compiledFor(d);
      await turn();
      // The first stays the most recently used.
      compiled.compiledFor(docs[0]!);
    }
    expect(compiled.size).toBe(2);
    expect(compiled.compiledFor(docs[0]!)).toBeDefined();
    expect(compiled.compiledFor(docs[2]!)).toBeDefined();
    // The second was dropped: seen again, it is a first sighting.
    expect(compiled.compiledFor(docs[1]!)).toBeUndefined();
    expect(compiled.compiledFor(docs[1]!)).toBeUndefined();
    await turn();
    expect(compiled.size).toBe(2);
  });

  it("forgets seen-once documents beyond `capacity`, so many distinct documents compile nothing", async () => {
    const compiled = new CompiledExecution(schema, { capacity: 2 });
    const docs = [1, 2, 3, 4].map(admittedOf);
    for (const d of docs) compiled.compiledFor(d);
    // The first was forgotten: its second sending is a first sighting again.
    compiled.compiledFor(docs[0]!);
    await turn();
    expect(compiled.size).toBe(0);
  });

  it("hands a result with errors back to the caller (graphql-js answers it)", async () => {
    const failing = buildSchema(`type Query { boom: String }`);
    failing.getQueryType()!.getFields().boom!.resolve = () => {
      throw new Error("boom");
    };
    const outcomes: string[] = [];
    const compiled = new CompiledExecution(failing, {
      capacity: 2,
      count: (outcome) => outcomes.push(outcome),
    });
    const source = `{ boom }`;
    const document = parse(source);
    const admitted: AdmittedOperation = {
      source,
      sourceHash: "boom",
      document,
      operation: document.definitions[0] as OperationDefinitionNode,
      operationName: null,
      variables: {},
      cost: 1,
    };
    compiled.compiledFor(admitted);
    compiled.compiledFor(admitted);
    await turn();
    expect(
      await compiled.execute(compiled.compiledFor(admitted)!, {}, {}),
    ).toBeUndefined();
    expect(outcomes).toEqual(["fallback"]);
  });
});
