import "reflect-metadata";
import { toGlobalId } from "../../../src/kernel/ids";
import { ArticleStatus } from "../../../src/entities/article.entity";
import { addStory, addTag } from "../../helpers/scenarios";
import { dataOf } from "../../helpers/server";
import { useNewsroom } from "../../helpers/newsroom";

describe("node and me", () => {
  const { t, s, as } = useNewsroom({ roles: true });

  const node = async (id: string, headers: Record<string, string> = {}) => dataOf<{ node: Record<string, unknown> | null }>(await t.gql(NODE, { id }, headers)).node;

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

  it("answers tags, accreditations and positions by the ids their other paths show an anonymous reader", async () => {
    const seen = dataOf<{
      tags: Array<{ id: string; slug: string; name: string }>;
      institution: { accreditations: Array<{ id: string; code: string }>; positions: Array<{ id: string; title: string }> };
      person: { positions: Array<{ id: string; title: string }> };
    }>(await t.gql(`{ tags { id slug name } institution(slug: "lembaga-pemasyarakatan-kelas-i-surabaya") { accreditations { id code } positions { id title } } person(slug: "ketut-arya") { positions { id title } } }`));
    expect(seen.tags.map((tag) => tag.id)).toEqual([toGlobalId("Tag", s.korupsi.pk), toGlobalId("Tag", s.pendidikan.pk)]);
    for (const tag of seen.tags) expect(await node(tag.id)).toEqual({ __typename: "Tag", ...tag });
    const [accreditation] = seen.institution.accreditations;
    expect(await node(accreditation!.id)).toEqual({ __typename: "Accreditation", ...accreditation, year: 2024, institution: { name: "Lembaga Pemasyarakatan Kelas I Surabaya" } });
    // A former position is as public as a current one, as on the person's page.
    for (const position of [...seen.institution.positions, ...seen.person.positions]) {
      expect(await node(position.id)).toEqual({ __typename: "Position", ...position, current: position.title !== "Staf", person: { name: expect.any(String) } });
    }
    for (const type of ["Tag", "Accreditation", "Position"] as const) expect(await node(toGlobalId(type, 99999))).toBeNull();
  });

  it("shows a tag that only drafts carry to editors and admins, as the tag list does", async () => {
    const hidden = await t.server.db.transaction(async (em) => {
      const tag = await addTag(em, "Rahasia");
      await addStory(em, { title: "Draf bertanda rahasia", status: ArticleStatus.DRAFT, tags: [tag] });
      return tag;
    });
    const id = toGlobalId("Tag", hidden.pk);
    const listed = async (headers: Record<string, string>) => dataOf<{ tags: Array<{ id: string }> }>(await t.gql(`{ tags { id } }`, {}, headers)).tags.some((tag) => tag.id === id);
    expect(await listed({})).toBe(false);
    expect(await node(id)).toBeNull();
    expect(await listed(as.MODERATOR)).toBe(false);
    expect(await node(id, as.MODERATOR)).toBeNull();
    for (const role of ["EDITOR", "ADMIN"] as const) {
      expect(await listed(as[role])).toBe(true);
      expect(await node(id, as[role])).toEqual({ __typename: "Tag", id, slug: "rahasia", name: "Rahasia" });
    }
  });

  it("answers an API token to admins only; anyone else gets null, as for a draft", async () => {
    const made = dataOf<{ createApiToken: { apiToken: { id: string; name: string; role: string } } }>(
      await t.gql(`mutation { createApiToken(name: "Meja redaksi", role: EDITOR) { apiToken { id name role } } }`, {}, as.ADMIN),
    ).createApiToken.apiToken;
    expect(await node(made.id)).toBeNull();
    expect(await node(made.id, as.EDITOR)).toBeNull();
    expect(await node(made.id, as.MODERATOR)).toBeNull();
    expect(await node(made.id, as.ADMIN)).toEqual({ __typename: "ApiToken", ...made, createdAt: expect.any(String) });
    expect(await node(toGlobalId("ApiToken", 99999), as.ADMIN)).toBeNull();
    // The secret's hash is no field of the type, so nothing of it can be asked for through node.
    const probe = await t.gql(`query($id: ID!) { node(id: $id) { ... on ApiToken { tokenHash } } }`, { id: made.id }, as.ADMIN);
    expect(probe.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("batches node lookups: many ids of a type cost the statements of one", async () => {
    const tags = [s.korupsi, s.pendidikan].map((tag) => toGlobalId("Tag", tag.pk));
    const positions = dataOf<{ people: { nodes: Array<{ positions: Array<{ id: string }> }> } }>(await t.gql(`{ people { nodes { positions { id } } } }`)).people.nodes.flatMap((p) => p.positions.map((x) => x.id));
    expect(positions.length).toBeGreaterThanOrEqual(3);
    // The reads of tags and positions (the server's background jobs run statements of their own meanwhile).
    const reads = async (ids: string[]) => {
      const seen: string[] = [];
      const listener = (sql: string) => void (/FROM "(tag|position)"/.test(sql) && seen.push(sql));
      t.server.db.listeners.add(listener);
      try {
        const query = `{ ${ids.map((id, i) => `n${i}: node(id: "${id}") { id }`).join(" ")} }`;
        const data = dataOf<Record<string, { id: string } | null>>(await t.gql(query));
        expect(Object.values(data).map((n) => n?.id)).toEqual(ids);
      } finally {
        t.server.db.listeners.delete(listener);
      }
      return seen.length;
    };
    // A tag's row and its visibility, and the positions: three statements, however many ids.
    expect(await reads([tags[0]!, positions[0]!])).toBe(3);
    expect(await reads([...tags, ...positions])).toBe(3);
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
      ... on Tag { slug name }
      ... on Accreditation { code year institution { name } }
      ... on Position { title current person { name } }
      ... on ApiToken { name role createdAt }
    }
  }`;
