import "reflect-metadata";
import { toGlobalId } from "../../../src/kernel/ids";
import { dataOf } from "../../helpers/server";
import { useNewsroom } from "../../helpers/newsroom";

type Names = { institutions: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Array<{ name: string }> } };

describe("institutions and institution", () => {
  const { t, s } = useNewsroom({ seed: true });

  const names = async (variables: Record<string, unknown>) => dataOf<Names>(await t.gql(INSTITUTIONS, variables)).institutions;

  it("lists every institution by name and pages to the end", async () => {
    const first = await names({ first: 4 });
    expect(first.totalCount).toBe(6);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await names({ first: 4, after: first.pageInfo.endCursor });
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect([...first.nodes, ...rest.nodes].map((n) => n.name)).toEqual([
      "Kementerian Hukum dan HAM",
      "Kementerian Imigrasi dan Pemasyarakatan",
      "Lapas Bojonegoro",
      "Lembaga Pemasyarakatan Kelas I Surabaya",
      "Lembaga Pemasyarakatan Kelas IIA Banyuwangi",
      "Rumah Tahanan Negara Kelas IIB Denpasar",
    ]);
  });

  it("filters by kind, province, city, accreditation and name", async () => {
    const only = async (filter: Record<string, unknown>) => (await names({ first: 20, filter })).nodes.map((n) => n.name);
    expect(await only({ kind: "RUTAN" })).toEqual(["Rumah Tahanan Negara Kelas IIB Denpasar"]);
    expect(await only({ kind: "MINISTRY" })).toEqual(["Kementerian Hukum dan HAM", "Kementerian Imigrasi dan Pemasyarakatan"]);
    expect(await only({ province: "jawa timur" })).toEqual(["Lembaga Pemasyarakatan Kelas I Surabaya"]);
    expect(await only({ city: "Bojonegoro" })).toEqual(["Lapas Bojonegoro"]);
    expect(await only({ accreditationCode: "WBK" })).toEqual(["Lembaga Pemasyarakatan Kelas IIA Banyuwangi"]);
    expect(await only({ accreditationCode: "wbbm" })).toEqual(["Lembaga Pemasyarakatan Kelas I Surabaya"]);
    expect(await only({ search: "banyuwangi" })).toEqual(["Lembaga Pemasyarakatan Kelas IIA Banyuwangi"]);
    expect(await only({ search: "Lapas" })).toEqual(["Lapas Bojonegoro", "Lembaga Pemasyarakatan Kelas I Surabaya", "Lembaga Pemasyarakatan Kelas IIA Banyuwangi"]);
    expect(await only({ search: "100%" })).toEqual([]);
    expect(await only({ kind: "LAPAS", city: "Surabaya" })).toEqual(["Lembaga Pemasyarakatan Kelas I Surabaya"]);
  });

  it("resolves parent, children, accreditations, positions, published articles and quotes", async () => {
    const data = dataOf<{ institution: Record<string, unknown> }>(
      await t.gql(
        `query($id: ID) { institution(id: $id) { id slug shortName kind classification city province parent { name } children { name }
          accreditations { code title year } positions { title current person { name } }
          articles(first: 2) { totalCount nodes { title } } quotes(first: 2) { totalCount nodes { text speaker { name } } } } }`,
        { id: toGlobalId("Institution", s.surabaya.pk) },
      ),
    );
    expect(data.institution).toEqual({
      id: toGlobalId("Institution", s.surabaya.pk),
      slug: "lembaga-pemasyarakatan-kelas-i-surabaya",
      shortName: "Lapas Surabaya",
      kind: "LAPAS",
      classification: "I",
      city: "Surabaya",
      province: "Jawa Timur",
      parent: { name: "Kementerian Imigrasi dan Pemasyarakatan" },
      children: [],
      accreditations: [{ code: "WBBM", title: "Wilayah Birokrasi Bersih dan Melayani", year: 2024 }],
      positions: [{ title: "Kepala Lapas", current: true, person: { name: "Sari Dewi" } }],
      // 23 published stories mention it; the draft and the scheduled story do not count for readers.
      articles: { totalCount: 23, nodes: [{ title: "Berita nomor 44" }, { title: "Berita nomor 42" }] },
      // Quotes of stories 0, 2 and 4 (newest story first); the draft's quote stays hidden.
      quotes: { totalCount: 3, nodes: [{ text: "Kutipan nomor 4 tentang pembinaan", speaker: { name: "Sari Dewi" } }, { text: "Kutipan nomor 2 tentang pembinaan", speaker: { name: "Sari Dewi" } }] },
    });
    const ministry = dataOf<{ institution: unknown }>(await t.gql(`{ institution(slug: "kementerian-imigrasi-dan-pemasyarakatan") { children { shortName } parent { name } } }`));
    expect(ministry.institution).toEqual({ children: [{ shortName: "Lapas Surabaya" }, { shortName: "Rutan Denpasar" }], parent: null });
  });

  it("pages nested article lists per institution with the same arguments", async () => {
    const query = `query($after: String) { institutions(filter: { kind: LAPAS }) { nodes { shortName articles(first: 1, after: $after) { pageInfo { hasNextPage hasPreviousPage endCursor } nodes { title } } } } }`;
    const first = dataOf<{ institutions: { nodes: Array<{ shortName: string; articles: { pageInfo: { endCursor: string }; nodes: Array<{ title: string }> } }> } }>(await t.gql(query, {}));
    expect(first.institutions.nodes.map((n) => [n.shortName, n.articles.nodes.map((a) => a.title)])).toEqual([
      ["Lapas Bojonegoro", ["Sukses Raih Predikat WBK, Lapas Banyuwangi Jadi Rujukan Studi Tiru Lapas Bojonegoro"]],
      ["Lapas Surabaya", ["Berita nomor 44"]],
      ["Lapas Banyuwangi", ["Sukses Raih Predikat WBK, Lapas Banyuwangi Jadi Rujukan Studi Tiru Lapas Bojonegoro"]],
    ]);
    const surabayaCursor = first.institutions.nodes[1]!.articles.pageInfo.endCursor;
    const second = dataOf<{ institutions: { nodes: Array<{ articles: { pageInfo: { hasPreviousPage: boolean }; nodes: Array<{ title: string }> } }> } }>(await t.gql(query, { after: surabayaCursor }));
    expect(second.institutions.nodes.map((n) => n.articles.nodes.map((a) => a.title))).toEqual([[], ["Berita nomor 42"], []]);
    expect(second.institutions.nodes.map((n) => n.articles.pageInfo.hasPreviousPage)).toEqual([true, true, true]);
  });

  it("answers null for unknown ids and slugs, and BAD_USER_INPUT for another type's id", async () => {
    const data = dataOf<Record<string, unknown>>(await t.gql(`{ a: institution(slug: "tidak-ada") { id } b: institution(id: "${toGlobalId("Institution", 9999)}") { id } }`));
    expect(data).toEqual({ a: null, b: null });
    const wrong = await t.gql(`{ institution(id: "${toGlobalId("Article", 1)}") { id } }`);
    expect(wrong.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" }, message: `'${toGlobalId("Article", 1)}' is not an id of an Institution.` });
  });
});

const INSTITUTIONS = `
  query Institutions($first: Int, $after: String, $filter: InstitutionFilter) {
    institutions(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } nodes { name } }
  }`;
