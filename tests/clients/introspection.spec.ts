import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { buildClientSchema, buildSchema, getIntrospectionQuery, isObjectType, Kind, lexicographicSortSchema, parse, printSchema } from "graphql";
import type { DocumentNode, FragmentDefinitionNode, IntrospectionQuery, SelectionSetNode } from "graphql";
import type { TestServer } from "../helpers/server";
import { connect } from "../helpers/ws";
import { useTestServer } from "../helpers/fixture";

/** What GraphiQL 5 and GraphQL Code Generator send: graphql-js's query with these options. */
const OPTIONS = { descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true } as const;
const STANDARD = getIntrospectionQuery(OPTIONS);
/** The standard query with one more level of `ofType` than graphql-js's default (9). */
const ONE_LEVEL_DEEPER = getIntrospectionQuery({ ...OPTIONS, typeDepth: 10 });
/** The classic abusive shape: every type's fields' types' fields…, nested past the standard query. */
const RECURSIVE = `query Recursive { __schema { types { ${"fields { type { ".repeat(7)} name ${"} } ".repeat(7)} } } }`;

interface WireError {
  message: string;
  extensions?: { code?: string };
}
interface Answer {
  status: number;
  body: { data?: unknown; errors?: WireError[] };
}

/** POSTs as the introspecting tools do: JSON body with the operation name. */
async function post(t: TestServer, query: string): Promise<Answer> {
  const res = await fetch(t.server.url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json" },
    body: JSON.stringify({ query, operationName: operationName(query) }),
  });
  return { status: res.status, body: (await res.json()) as Answer["body"] };
}

/** Runs the query over graphql-ws (a real graphql-ws client); resolves with its one result, or with the errors it was refused with. */
async function overWebSocket(t: TestServer, query: string): Promise<{ data?: unknown; errors?: WireError[] }> {
  const live = connect(t.server.port);
  try {
    const subscription = live.subscribe<IntrospectionQuery>(query);
    // A query completes after its one result; a refused one ends with the errors.
    const ended = await subscription.ended;
    if (Array.isArray(ended)) return { errors: ended as WireError[] };
    if (ended !== null || subscription.received.length !== 1) throw new Error(`expected one result, got ${JSON.stringify(subscription.received)} and ${String(ended)}`);
    return subscription.received[0] as { data?: unknown; errors?: WireError[] };
  } finally {
    await live.close();
  }
}

function operationName(query: string): string | undefined {
  return /^\s*query\s+(\w+)/.exec(query)?.[1];
}

/** Deepest field nesting of a document's first operation, through fragment spreads. */
function depthOf(document: DocumentNode): number {
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const walk = (set: SelectionSetNode | undefined): number =>
    Math.max(
      0,
      ...(set?.selections ?? []).map((s) => {
        if (s.kind === Kind.FIELD) return 1 + walk(s.selectionSet);
        if (s.kind === Kind.INLINE_FRAGMENT) return walk(s.selectionSet);
        return walk(fragments.get(s.name.value)?.selectionSet);
      }),
    );
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  return walk(operation?.kind === Kind.OPERATION_DEFINITION ? operation.selectionSet : undefined);
}

/** The emitted schema.graphql, which tests/api/schema.spec.ts keeps equal to what the server builds. */
const EMITTED = lexicographicSortSchema(buildSchema(fs.readFileSync(path.resolve(__dirname, "..", "..", "schema.graphql"), "utf8")));

function expectTheContract(data: unknown): void {
  const schema = buildClientSchema(data as IntrospectionQuery);
  const article = schema.getType("Article");
  expect(isObjectType(article) && Object.keys(article.getFields())).toEqual(expect.arrayContaining(["id", "title", "slug", "body", "publishedAt", "quotes", "institutions"]));
  const articleEvents = schema.getSubscriptionType()?.getFields()["articleEvents"];
  expect(articleEvents?.args.map((a) => a.name).sort()).toEqual(["after", "filter"]);
  expect(String(articleEvents?.type)).toBe("ArticleEvent!");
  // Descriptions and deprecations came along: the whole schema reads back as the emitted SDL.
  expect(printSchema(lexicographicSortSchema(schema))).toBe(printSchema(EMITTED));
}

describe("graphql-js getIntrospectionQuery (GraphiQL 5, GraphQL Code Generator) against the server", () => {
  const t = useTestServer({ seed: true });

  it("answers the standard introspection query over HTTP POST, and buildClientSchema gives the contract", async () => {
    const res = await post(t, STANDARD);
    expect(res.body.errors).toBeUndefined();
    expect(res.status).toBe(200);
    expectTheContract(res.body.data);
  });

  it("answers the standard introspection query over graphql-ws, the same schema", async () => {
    const result = await overWebSocket(t, STANDARD);
    expect(result.errors).toBeUndefined();
    expectTheContract(result.data);
  });

  it("still refuses introspection nested deeper than the standard query, on HTTP and WebSocket", async () => {
    const standardDepth = depthOf(parse(STANDARD));
    for (const query of [ONE_LEVEL_DEEPER, RECURSIVE]) {
      expect(depthOf(parse(query))).toBeGreaterThan(standardDepth);
      const http = await post(t, query);
      expect(http.status).toBe(400);
      expect(http.body.data ?? null).toBeNull();
      expectRefusedAsTooDeep(http.body.errors);
      const ws = await overWebSocket(t, query);
      expect(ws.data ?? null).toBeNull();
      expectRefusedAsTooDeep(ws.errors);
    }
  });
});

/** Refused by the cost check, or by a depth rule (graphql-js's own MaxIntrospectionDepthRule answers as a validation error). */
function expectRefusedAsTooDeep(errors: WireError[] | undefined): void {
  // A shape that breaks more than one rule may be told each of them.
  expect(errors?.length).toBeGreaterThan(0);
  for (const error of errors!) {
    if (error.extensions?.code === "GRAPHQL_VALIDATION_FAILED") expect(error.message).toMatch(/depth/i);
    else expect(error.extensions?.code).toBe("QUERY_TOO_COMPLEX");
  }
}
