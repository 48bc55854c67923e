import "reflect-metadata";
import { useNewsroom } from "../../helpers/newsroom";
import { dataOf } from "../../helpers/server";

const STORY = (title: string, byline: string) =>
  [title, "", `SURABAYA, Contoh.id – Lapas Surabaya menggelar kegiatan ${title.toLowerCase()}.`, "", "Kegiatan berlangsung tertib.", "", byline, "", "Tinggalkan Balasan", "Editor: Bukan Penulis"].join("\n");

describe("importArticle reads the byline", () => {
  const { t, as } = useNewsroom({ roles: true });

  const importAs = async (text: string, publish: boolean) => dataOf(await t.gql<{ importArticle: { id: string; authors: Array<{ name: string; slug: string; role: string }> } }>(IMPORT, { text, publish }, as.EDITOR)).importArticle;
  const authorNamed = async (slug: string, headers: Record<string, string> = {}) =>
    dataOf(await t.gql<{ author: { name: string; articles: { nodes: Array<{ title: string }> } } | null }>(AUTHOR, { slug }, headers)).author;

  it("links a byline to the author of that name, and makes one the newsroom does not have, unseen by readers until the story is published", async () => {
    const known = dataOf(await t.gql<{ createAuthor: { id: string } }>(`mutation { createAuthor(input: { name: "Made Sukarta", role: WRITER }) { id } }`, {}, as.EDITOR)).createAuthor;

    const draft = await importAs(STORY("Pelatihan Menjahit", "Penulis: made sukarta\nReporter: Andi Saputra"), false);
    expect(draft.authors).toEqual([
      { name: "Made Sukarta", slug: "made-sukarta", role: "WRITER" },
      { name: "Andi Saputra", slug: "andi-saputra", role: "REPORTER" },
    ]);
    expect(dataOf<{ authors: { nodes: Array<{ id: string }> } }>(await t.gql(`{ authors(filter: { search: "Made" }) { nodes { id } } }`)).authors.nodes).toEqual([{ id: known.id }]);
    // Made from a draft's byline: the editors' record until the story is published.
    expect(await authorNamed("andi-saputra")).toBeNull();
    expect(await authorNamed("andi-saputra", as.EDITOR)).toEqual({ name: "Andi Saputra", articles: { nodes: [{ title: "Pelatihan Menjahit" }] } });
    expect(JSON.stringify(dataOf(await t.gql(`{ authors(first: 100) { nodes { name } } }`)))).not.toContain("Andi");
    // Below the comment form nothing is a byline.
    expect(await authorNamed("bukan-penulis", as.EDITOR)).toBeNull();

    await t.gql(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id: draft.id }, as.EDITOR);
    expect(await authorNamed("andi-saputra")).toEqual({ name: "Andi Saputra", articles: { nodes: [{ title: "Pelatihan Menjahit" }] } });
  });

  it("leaves a story without a byline line without authors", async () => {
    const story = await importAs(STORY("Senam Pagi", ""), true);
    expect(story.authors).toEqual([]);
  });
});

describe("previewImport lists the byline it read", () => {
  const { t, as } = useNewsroom({ roles: true });
  const preview = async (text: string) => dataOf(await t.gql<{ previewImport: { authors: PreviewAuthor[] } }>(PREVIEW, { text }, as.EDITOR)).previewImport.authors;

  it("each name once with the role its label gives, linked to the stored author or to be made, writing nothing; the import then puts those authors on the story", async () => {
    const known = dataOf(await t.gql<{ createAuthor: { id: string } }>(`mutation { createAuthor(input: { name: "Rina Wulandari", role: REPORTER }) { id } }`, {}, as.EDITOR)).createAuthor;
    const text = STORY("Kunjungan Keluarga", "Oleh: rina wulandari & Budi Santoso (ant)\nFotografer: Citra Dewi, budi santoso");
    const authors = await preview(text);
    expect(authors).toEqual([
      { action: "LINK", id: known.id, storedName: "Rina Wulandari", name: "rina wulandari", role: "WRITER" },
      { action: "CREATE", id: null, storedName: null, name: "Budi Santoso", role: "WRITER" },
      { action: "CREATE", id: null, storedName: null, name: "Citra Dewi", role: "PHOTOGRAPHER" },
    ]);
    // Nothing made: an editor finds no Budi or Citra yet.
    const editorsAuthors = async () => dataOf<{ authors: { nodes: Array<{ name: string }> } }>(await t.gql(`{ authors(first: 100) { nodes { name } } }`, {}, as.EDITOR)).authors.nodes.map((a) => a.name);
    expect(await editorsAuthors()).toEqual(["Rina Wulandari"]);

    const imported = dataOf(await t.gql<{ importArticle: { authors: Array<{ id: string; name: string; role: string }> } }>(IMPORT_WITH_IDS, { text }, as.EDITOR)).importArticle.authors;
    expect(imported.map((a) => [a.name, a.role])).toEqual([
      ["Rina Wulandari", "REPORTER"],
      ["Budi Santoso", "WRITER"],
      ["Citra Dewi", "PHOTOGRAPHER"],
    ]);
    expect(imported[0]!.id).toBe(known.id);

    // The next story's preview links the authors the import made.
    const next = await preview(STORY("Donor Darah", "Reporter: Citra Dewi"));
    expect(next).toEqual([{ action: "LINK", id: imported[2]!.id, storedName: "Citra Dewi", name: "Citra Dewi", role: "REPORTER" }]);
  });

  it("is empty for a text without a byline line, and never reads one below the comment form", async () => {
    expect(await preview(STORY("Senam Sore", ""))).toEqual([]);
  });
});

interface PreviewAuthor {
  action: string;
  id: string | null;
  storedName: string | null;
  name: string;
  role: string;
}

const IMPORT = `mutation Import($text: String!, $publish: Boolean) { importArticle(text: $text, publish: $publish) { id authors { name slug role } } }`;
const AUTHOR = `query($slug: String!) { author(slug: $slug) { name articles(first: 5) { nodes { title } } } }`;
const PREVIEW = `query Preview($text: String!) { previewImport(text: $text) { authors { action id storedName name role } } }`;
const IMPORT_WITH_IDS = `mutation Import($text: String!) { importArticle(text: $text) { authors { id name role } } }`;
