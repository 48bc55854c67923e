import "reflect-metadata";
import { freePort } from "../helpers/daemon";
import { dataOf, metricOf, startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import { bearer, mintToken } from "../helpers/tokens";
import { counterReaches, hasVarnish, purgesSent, startVarnish, VARNISHD } from "../helpers/varnish";
import type { Varnish } from "../helpers/varnish";

if (!hasVarnish) console.warn(`skipped: ${VARNISHD} is absent, so the Varnish test cannot run here (apt-get install varnish varnish-modules)`);

/**
 * A draft's facts behind Varnish (deploy/varnish/default.vcl): pages a reader fetched through the
 * edge while the story was a draft never show them, and the edge's copies follow the story's
 * publication, its deletion and an editor's settlement of a conflict it brought, each on the next
 * GET (the server purges the tags of what changed).
 */
(hasVarnish ? describe : describe.skip)("facts behind Varnish", () => {
  let t: TestServer;
  let varnish: Varnish;
  let editor: Record<string, string>;

  const through = async (query: string): Promise<{ cache: string | null; body: string }> => {
    const res = await fetch(`${varnish.url}/graphql?query=${encodeURIComponent(query)}`);
    return { cache: res.headers.get("x-cache"), body: await res.text() };
  };
  /** Runs a mutation and waits until the server's purge of what it changed has reached Varnish. */
  const mutate = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    const sent = await purgesSent(t);
    const data = dataOf<T>(await t.gql<T>(query, variables, editor));
    await counterReaches(t, "edge_cache_purges_total", 'outcome="sent"', sent + 1, 5000);
    return data;
  };
  /** Every reader page, each read twice through the edge (the second from its copy), as one text. */
  const pages = async (): Promise<string> => {
    let all = "";
    for (const query of PAGES) {
      const first = await through(query);
      const second = await through(query);
      expect({ query, cache: second.cache }).toEqual({ query, cache: "hit" });
      expect(second.body).toBe(first.body);
      all += first.body;
    }
    return all;
  };
  const shown = (body: string) => MARKS.filter((m) => body.includes(m));

  beforeAll(async () => {
    const port = await freePort();
    // A max-age far longer than the test: a page fresh after a change was purged, not expired.
    t = await startTestServer({ seed: true, config: { cache: { purgeUrl: `http://127.0.0.1:${port}/`, maxAgeSeconds: 600, staleSeconds: 0 } } });
    editor = bearer(await mintToken(t, "EDITOR"));
    varnish = await startVarnish(port, t.server.port);
    // Nothing was purged before Varnish ran (the seed is written before the server follows its events), so nothing is retried into the tests' counts.
    expect(await metricOf(t, "edge_cache_purges_total")).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await varnish?.stop();
    await t?.close();
  });

  it("keeps a draft's facts out of the edge's pages, shows them once published and withdraws them when the story is deleted", async () => {
    const { importArticle: draft } = await mutate<{ importArticle: { id: string } }>(IMPORT, { text: STORY });
    expect(shown(await pages())).toEqual([]);
    await mutate(PUBLISH, { id: draft.id });
    expect(shown(await pages())).toEqual(MARKS);
    await mutate(DELETE, { id: draft.id });
    expect(shown(await pages())).toEqual([]);
  });

  it("shows the head an editor chose on the next GET after the conflict is settled", async () => {
    await mutate(IMPORT_PUBLISHED, { text: NEW_HEAD });
    const heads = async () => (JSON.parse((await through(HEADS)).body) as { data: { institutions: { nodes: Array<{ shortName: string; positions: Array<{ person: { name: string } }> }> } } }).data.institutions.nodes.find((i) => i.shortName === "Lapas Banyuwangi")!.positions.map((p) => p.person.name);
    expect(await heads()).toEqual(["I Wayan Nurasta Wibawa"]);
    expect((await through(HEADS)).cache).toBe("hit");
    const { factConflicts } = dataOf(await t.gql<{ factConflicts: Array<{ id: string; fact: string; choices: Array<{ id: string; label: string }> }> }>(CONFLICTS, {}, editor));
    const conflict = factConflicts.find((c) => c.fact === "POSITION")!;
    await mutate(SETTLE, { input: { conflict: conflict.id, choice: conflict.choices.find((c) => c.label.startsWith("Ahmad Fauzi"))!.id } });
    expect(await heads()).toEqual(["Ahmad Fauzi"]);
  });
});

/** What the story states, as words a page would show: its new unit and accreditation, its head and the head's quote. */
const MARKS = ["Rutan Situbondo", "WBBM", "Budi Santoso", "Predikat ini milik"];

const PAGES = [
  `{ institutions(first: 20) { nodes { shortName accreditations { code } positions { person { name } } } } }`,
  `{ people(first: 20) { nodes { name quotes(first: 5) { nodes { text } } } } }`,
  `{ quotes(first: 20) { nodes { text speaker { name } } } }`,
];

const STORY = `Rutan Situbondo Raih Predikat WBBM

SITUBONDO, Contoh.id – Rumah Tahanan Negara (Rutan) Kelas IIB Situbondo meraih predikat Wilayah Birokrasi Bersih dan Melayani (WBBM) pada tahun 2025. Kepala Rutan Situbondo, Budi Santoso, menerima penghargaan itu di Jakarta.

“Predikat ini milik seluruh jajaran kami,” ujar Budi Santoso.`;

const NEW_HEAD = `Ahmad Fauzi Pimpin Lapas Banyuwangi

BANYUWANGI, Contoh.id – Kalapas Banyuwangi Ahmad Fauzi memimpin apel pagi pada Selasa (10/6).`;

const HEADS = `{ institutions(first: 20) { nodes { shortName positions { current person { name } } } } }`;

const IMPORT = `mutation Import($text: String!) { importArticle(text: $text) { id } }`;
const IMPORT_PUBLISHED = `mutation Import($text: String!) { importArticle(text: $text, publish: true) { id } }`;
const PUBLISH = `mutation Publish($id: ID!) { publishArticle(id: $id) { status } }`;
const DELETE = `mutation Delete($id: ID!) { deleteArticle(id: $id) }`;
const CONFLICTS = `{ factConflicts { id fact choices { id label } } }`;
const SETTLE = `mutation Settle($input: SettleConflictInput!) { settleConflict(input: $input) { id } }`;
