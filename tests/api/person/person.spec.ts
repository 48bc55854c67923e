import "reflect-metadata";
import { toGlobalId } from "../../../src/kernel/ids";
import { dataOf } from "../../helpers/server";
import { useNewsroom } from "../../helpers/newsroom";

describe("people and person", () => {
  const { t, s } = useNewsroom({ seed: true });

  const names = async (variables: Record<string, unknown>) =>
    dataOf<{ people: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: Array<{ name: string }> } }>(await t.gql(PEOPLE, variables)).people;

  it("lists people by name and pages to the end", async () => {
    const first = await names({ first: 3 });
    const rest = await names({ first: 3, after: first.pageInfo.endCursor });
    expect(first.totalCount).toBe(5);
    expect([first.pageInfo.hasNextPage, rest.pageInfo.hasNextPage]).toEqual([true, false]);
    expect([...first.nodes, ...rest.nodes].map((n) => n.name)).toEqual(["Budi Santoso", "Hari Winarca", "I Wayan Nurasta Wibawa", "Ketut Arya", "Sari Dewi"]);
  });

  it("filters by institution (any position there) and by name", async () => {
    expect((await names({ filter: { institutionId: toGlobalId("Institution", s.denpasar.pk) } })).nodes.map((n) => n.name)).toEqual(["Budi Santoso", "Ketut Arya"]);
    expect((await names({ filter: { search: "wayan" } })).nodes.map((n) => n.name)).toEqual(["I Wayan Nurasta Wibawa"]);
    expect((await names({ filter: { search: "a", institutionId: toGlobalId("Institution", s.surabaya.pk) } })).nodes.map((n) => n.name)).toEqual(["Sari Dewi"]);
  });

  it("resolves positions, quotes and the stories that mention a person", async () => {
    const data = dataOf<{ person: unknown }>(
      await t.gql(`query($id: ID) { person(id: $id) { name slug positions { title current institution { shortName } } quotes(first: 2) { totalCount pageInfo { hasNextPage } nodes { text article { title } } } articles(first: 2) { totalCount nodes { title } } } }`, {
        id: toGlobalId("Person", s.budi.pk),
      }),
    );
    expect(data.person).toEqual({
      name: "Budi Santoso",
      slug: "budi-santoso",
      positions: [{ title: "Kepala Rutan", current: true, institution: { shortName: "Rutan Denpasar" } }],
      quotes: {
        totalCount: 7,
        pageInfo: { hasNextPage: true },
        nodes: [
          { text: "Kutipan tambahan 4", article: { title: "Berita nomor 04" } },
          { text: "Kutipan nomor 3 tentang pembinaan", article: { title: "Berita nomor 03" } },
        ],
      },
      articles: { totalCount: 9, nodes: [{ title: "Berita nomor 40" }, { title: "Berita nomor 35" }] },
    });
    const past = dataOf<{ person: unknown }>(await t.gql(`{ person(slug: "ketut-arya") { positions { title current } quotes { totalCount } articles { totalCount } } }`));
    expect(past.person).toEqual({ positions: [{ title: "Staf", current: false }], quotes: { totalCount: 0 }, articles: { totalCount: 0 } });
  });

  it("answers null for an unknown person", async () => {
    expect(dataOf<{ person: unknown }>(await t.gql(`{ person(slug: "tidak-ada") { id } }`)).person).toBeNull();
  });
});

const PEOPLE = `
  query People($first: Int, $after: String, $filter: PersonFilter) {
    people(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } nodes { name } }
  }`;
