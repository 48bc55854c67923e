import "reflect-metadata";
import { buildClientSchema, getIntrospectionQuery, isScalarType } from "graphql";
import type { IntrospectionQuery } from "graphql";
import { dataOf } from "../helpers/server";
import { bearer, mintToken } from "../helpers/tokens";
import { useTestServer } from "../helpers/fixture";

/** DateTime names its specification, and takes as input what that specification (RFC 3339 date-time) allows. */
describe("the DateTime scalar", () => {
  const t = useTestServer({ seed: false });
  let editor: string;
  beforeAll(async () => {
    editor = await mintToken(t, "EDITOR");
  });

  const schedule = async (at: string) => {
    const id = dataOf<{ createArticle: { id: string } }>(
      await t.gql(`mutation { createArticle(input: { title: "Terjadwal", body: "Isi." }) { id } }`, {}, bearer(editor)),
    ).createArticle.id;
    return t.gql<{ publishArticle: { status: string; scheduledFor: string } }>(`mutation ($id: ID!, $at: DateTime) { publishArticle(id: $id, at: $at) { status scheduledFor } }`, { id, at }, bearer(editor));
  };

  it("introspects with its @specifiedBy URL", async () => {
    const res = await t.gql(getIntrospectionQuery({ specifiedByUrl: true }));
    const type = buildClientSchema(dataOf(res) as unknown as IntrospectionQuery).getType("DateTime");
    expect(isScalarType(type) && type.specifiedByURL).toBe("https://scalars.graphql.org/andimarek/date-time");
  });

  it("takes an RFC 3339 date-time with any offset, and answers it in UTC", async () => {
    const res = await schedule("2030-01-01T15:00:00.5+07:00");
    expect(dataOf(res).publishArticle).toEqual({ status: "SCHEDULED", scheduledFor: "2030-01-01T08:00:00.500Z" });
  });

  it("refuses what RFC 3339 does not allow, naming the value, and changes nothing", async () => {
    for (const at of ["2030-01-01T08:00Z", "2030-02-30T08:00:00Z", "2030-01-01T24:00:00Z", "2030-01-01t08:00:00z", "2030-01-01T08:00:00", "2030-01-01T08:00:00+24:00"]) {
      const res = await schedule(at);
      expect(res.body.data ?? null).toBeNull();
      expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" }, message: expect.stringContaining(JSON.stringify(at)) });
    }
    const drafts = dataOf<{ articles: { nodes: Array<{ status: string }> } }>(await t.gql(`{ articles(first: 100, filter: { status: SCHEDULED }) { nodes { status } } }`, {}, bearer(editor)));
    expect(drafts.articles.nodes).toHaveLength(1);
  });
});
