import "reflect-metadata";
import { toGlobalId } from "../../../src/kernel/ids";
import { dataOf } from "../../helpers/server";
import { useNewsroom } from "../../helpers/newsroom";

describe("quotes", () => {
  const { t, s } = useNewsroom();

  const texts = async (variables: Record<string, unknown>) =>
    dataOf<{ quotes: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: Array<{ text: string }> } }>(await t.gql(QUOTES, variables)).quotes;

  it("lists quotes of published stories, newest story first and in story order, to the end", async () => {
    const first = await texts({ first: 6 });
    const rest = await texts({ first: 6, after: first.pageInfo.endCursor });
    expect(first.totalCount).toBe(10);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect([...first.nodes, ...rest.nodes].map((n) => n.text)).toEqual([4, 3, 2, 1, 0].flatMap((i) => [`Kutipan nomor ${i} tentang pembinaan`, `Kutipan tambahan ${i}`]));
  });

  it("filters by speaker, institution, story and text", async () => {
    expect((await texts({ filter: { speakerId: toGlobalId("Person", s.sari.pk) } })).nodes.map((n) => n.text)).toEqual([4, 2, 0].map((i) => `Kutipan nomor ${i} tentang pembinaan`));
    expect((await texts({ filter: { institutionId: toGlobalId("Institution", s.denpasar.pk) } })).nodes.map((n) => n.text)).toEqual([3, 1].map((i) => `Kutipan nomor ${i} tentang pembinaan`));
    expect((await texts({ filter: { articleId: toGlobalId("Article", s.published[2]!.pk) } })).nodes.map((n) => n.text)).toEqual(["Kutipan nomor 2 tentang pembinaan", "Kutipan tambahan 2"]);
    expect((await texts({ filter: { search: "TAMBAHAN 3" } })).nodes.map((n) => n.text)).toEqual(["Kutipan tambahan 3"]);
    expect((await texts({ filter: { articleId: toGlobalId("Article", s.drafts[0]!.pk) } })).totalCount).toBe(0);
    expect((await texts({ filter: { search: "draf" } })).totalCount).toBe(0);
  });

  it("rejects an id of the wrong type", async () => {
    const res = await t.gql(QUOTES, { filter: { speakerId: toGlobalId("Institution", 1) } });
    expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "filter.speakerId" } });
  });
});

const QUOTES = `
  query Quotes($first: Int, $after: String, $filter: QuoteFilter) {
    quotes(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } nodes { text } }
  }`;
