import "reflect-metadata";
import { toGlobalId } from "../src/common/ids";
import { dataOf } from "./helpers/server";
import type { TestServer } from "./helpers/server";
import { startNewsroom } from "./helpers/newsroom";
import type { Newsroom } from "./helpers/newsroom";

describe("node and me", () => {
  let t: TestServer;
  let s: Newsroom;
  beforeAll(async () => {
    ({ t, s } = await startNewsroom());
  });
  afterAll(async () => {
    await t.close();
  });

  const node = async (id: string) => dataOf<{ node: Record<string, unknown> | null }>(await t.gql(NODE, { id })).node;

  it("fetches each node type by its global id", async () => {
    expect(await node(toGlobalId("Article", s.published[3]!.pk))).toEqual({ __typename: "Article", id: toGlobalId("Article", s.published[3]!.pk), title: "Berita nomor 03" });
    expect(await node(toGlobalId("Institution", s.denpasar.pk))).toEqual({ __typename: "Institution", id: toGlobalId("Institution", s.denpasar.pk), name: "Rumah Tahanan Negara Kelas IIB Denpasar" });
    expect(await node(toGlobalId("Person", s.sari.pk))).toMatchObject({ __typename: "Person", name: "Sari Dewi" });
    const quote = await node(toGlobalId("Quote", 1));
    expect(quote).toMatchObject({ __typename: "Quote", text: "Kutipan nomor 0 tentang pembinaan" });
    expect(await node(toGlobalId("Comment", s.comments.approved.pk))).toMatchObject({ __typename: "Comment", body: "Komentar disetujui" });
  });

  it("answers null for what does not exist or is not the reader's to see", async () => {
    expect(await node(toGlobalId("Article", 99999))).toBeNull();
    expect(await node(toGlobalId("Article", s.drafts[0]!.pk))).toBeNull();
    expect(await node(toGlobalId("Comment", s.comments.spam.pk))).toBeNull();
    expect(await node(toGlobalId("ApiToken", 1))).toBeNull();
    const draftQuote = dataOf<{ quotes: { nodes: unknown[] } }>(await t.gql(`{ quotes(first: 100) { nodes { id } } }`)).quotes.nodes.length;
    expect(draftQuote).toBe(10);
    expect(await node(toGlobalId("Quote", 11))).toBeNull();
  });

  it("rejects a malformed id with BAD_USER_INPUT naming it", async () => {
    const res = await t.gql(NODE, { id: "Zm9vOjE" });
    expect(res.body.errors?.[0]).toMatchObject({ message: "'Zm9vOjE' is not a valid id.", extensions: { code: "BAD_USER_INPUT" } });
  });

  it("says me is null for an anonymous caller", async () => {
    expect(dataOf<{ me: unknown }>(await t.gql(`{ me { name role } }`)).me).toBeNull();
  });
});

const NODE = `
  query Node($id: ID!) {
    node(id: $id) {
      __typename id
      ... on Article { title }
      ... on Institution { name }
      ... on Person { name }
      ... on Quote { text }
      ... on Comment { body }
    }
  }`;
