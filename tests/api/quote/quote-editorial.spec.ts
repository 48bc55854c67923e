import "reflect-metadata";
import { toGlobalId } from "../../../src/kernel/ids";
import { dataOf } from "../../helpers/server";
import type { GraphQLResponse } from "../../helpers/server";
import { useNewsroom } from "../../helpers/newsroom";
import { expectRefused } from "../../helpers/refusal";
import type { ErrorExpectation } from "../../helpers/refusal";

interface QuoteView {
  id: string;
  text: string;
  attribution: string | null;
  position: number;
  speaker: { id: string };
  institution: { id: string } | null;
  article: { id: string };
}

describe("quote editorial mutations", () => {
  const { t, s, as } = useNewsroom({ roles: true });

  const personId = (pk: number) => toGlobalId("Person", pk);
  const institutionId = (pk: number) => toGlobalId("Institution", pk);
  const articleId = (pk: number) => toGlobalId("Article", pk);
  const add = (input: Record<string, unknown>, headers: Record<string, string> = as.EDITOR) => t.gql<{ addQuote: QuoteView }>(ADD_QUOTE, { input }, headers);
  const remove = (id: string, headers: Record<string, string> = as.EDITOR) => t.gql<{ removeQuote: string }>(REMOVE_QUOTE, { id }, headers);
  const added = async (input: Record<string, unknown>) => dataOf(await add(input)).addQuote;

  /** A new draft story (as every new story is), with quotes by Sari appended in order. */
  const newStory = async (title: string, texts: string[] = []) => {
    const id = dataOf<{ createArticle: { id: string } }>(await t.gql(CREATE_ARTICLE, { input: { title, body: `${title}.\n\nParagraf kedua.` } }, as.EDITOR)).createArticle.id;
    for (const text of texts) await added({ articleId: id, speakerId: personId(s.sari.pk), text });
    return id;
  };
  /** The quotes of a story in order, as `headers` sees them (an editor by default: new stories are drafts). */
  const quotesOf = async (id: string, headers: Record<string, string> = as.EDITOR) =>
    dataOf<{ article: { quotes: Array<{ id: string; text: string; position: number }> } | null }>(await t.gql(ARTICLE_QUOTES, { id }, headers)).article?.quotes.map(({ text, position }) => ({ text, position })) ?? null;
  const inOrder = (...texts: string[]) => texts.map((text, position) => ({ text, position }));
  const publish = async (id: string) => dataOf(await t.gql(PUBLISH_ARTICLE, { id }, as.EDITOR));

  /** Every quote, as an editor sees it and as the database holds it. */
  const state = async () => ({
    api: dataOf<{ quotes: unknown }>(await t.gql(ALL_QUOTES, {}, as.EDITOR)).quotes,
    quote: await t.server.db.reader.query("SELECT * FROM quote ORDER BY id"),
  });

  /** Runs a mutation that must be refused, checks the error, and checks that it changed nothing. */
  const refused = (run: () => Promise<GraphQLResponse>, expected: ErrorExpectation) => expectRefused(run, expected, state, "quote");

  describe("addQuote", () => {
    it("appends when no position is given and reads the quotes back in order with speaker, institution and attribution", async () => {
      const story = await newStory("Kunjungan kerja ke Lapas Surabaya");
      const first = await added({ articleId: story, speakerId: personId(s.sari.pk), institutionId: institutionId(s.surabaya.pk), text: "Kami terus berbenah.", attribution: "ujarnya" });
      expect(first).toEqual({
        id: expect.any(String),
        text: "Kami terus berbenah.",
        attribution: "ujarnya",
        position: 0,
        speaker: { id: personId(s.sari.pk) },
        institution: { id: institutionId(s.surabaya.pk) },
        article: { id: story },
      });
      const second = await added({ articleId: story, speakerId: personId(s.budi.pk), text: "Kami mendukung." });
      const third = await added({ articleId: story, speakerId: personId(s.sari.pk), text: "Terima kasih.", position: null });
      expect([second.position, third.position]).toEqual([1, 2]);
      expect([second.attribution, second.institution]).toEqual([null, null]);
      expect(await quotesOf(story)).toEqual(inOrder("Kami terus berbenah.", "Kami mendukung.", "Terima kasih."));
      const listed = dataOf<{ quotes: { nodes: QuoteView[] } }>(await t.gql(QUOTES, { filter: { articleId: story } }, as.EDITOR)).quotes.nodes;
      expect(listed).toEqual([first, second, third]);
    });

    it("inserts at a position and renumbers the quotes after it", async () => {
      const story = await newStory("Studi tiru ke Rutan Denpasar", ["A", "B", "C"]);
      expect((await added({ articleId: story, speakerId: personId(s.budi.pk), text: "X", position: 0 })).position).toBe(0);
      expect(await quotesOf(story)).toEqual(inOrder("X", "A", "B", "C"));
      expect((await added({ articleId: story, speakerId: personId(s.budi.pk), text: "Y", position: 2 })).position).toBe(2);
      expect(await quotesOf(story)).toEqual(inOrder("X", "A", "Y", "B", "C"));
      // The position just past the last is the end.
      expect((await added({ articleId: story, speakerId: personId(s.budi.pk), text: "Z", position: 5 })).position).toBe(5);
      expect(await quotesOf(story)).toEqual(inOrder("X", "A", "Y", "B", "C", "Z"));
      expect((await added({ articleId: story, speakerId: personId(s.budi.pk), text: "W" })).position).toBe(6);
      expect(await quotesOf(story)).toEqual(inOrder("X", "A", "Y", "B", "C", "Z", "W"));
    });

    it("keeps positions 0..n-1 when quotes are added at the same time", async () => {
      const story = await newStory("Kutipan serentak", ["Awal"]);
      await Promise.all(["P1", "P2", "P3"].map((text) => added({ articleId: story, speakerId: personId(s.sari.pk), text })));
      await Promise.all(["Q1", "Q2"].map((text) => added({ articleId: story, speakerId: personId(s.sari.pk), text, position: 0 })));
      const read = (await quotesOf(story))!;
      expect(read.map((q) => q.position)).toEqual([0, 1, 2, 3, 4, 5]);
      // The appends all finished before the inserts began; each batch may land in any order.
      const texts = read.map((q) => q.text);
      expect([texts.slice(0, 2).sort(), texts[2], texts.slice(3).sort()]).toEqual([["Q1", "Q2"], "Awal", ["P1", "P2", "P3"]]);
    });

    it("inserts into a published story, where readers see it at once in its place", async () => {
      const story = articleId(s.published[1]!.pk);
      await added({ articleId: story, speakerId: personId(s.ketut.pk), text: "Kutipan sisipan", position: 1 });
      expect(await quotesOf(story, {})).toEqual(inOrder("Kutipan nomor 1 tentang pembinaan", "Kutipan sisipan", "Kutipan tambahan 1"));
      const ketut = dataOf<{ person: { quotes: { nodes: Array<{ text: string; position: number }> } } }>(await t.gql(PERSON_QUOTES, { id: personId(s.ketut.pk) }));
      expect(ketut.person.quotes.nodes).toEqual([{ text: "Kutipan sisipan", position: 1 }]);
    });

    it("keeps a quote on a draft story from anonymous readers until the story is published", async () => {
      const speaker = dataOf<{ createPerson: { id: string } }>(await t.gql(CREATE_PERSON, { input: { name: "Pembicara Draf" } }, as.EDITOR)).createPerson.id;
      const story = await newStory("Draf dengan kutipan");
      const quote = await added({ articleId: story, speakerId: speaker, institutionId: institutionId(s.denpasar.pk), text: "Kutipan rahasia zamrud" });
      await added({ articleId: story, speakerId: speaker, text: "Kutipan rahasia kedua" });
      const seen = async (headers: Record<string, string>) => ({
        ...dataOf<{ byArticle: { totalCount: number }; bySearch: { totalCount: number }; node: { id: string } | null }>(await t.gql(QUOTE_VISIBILITY, { articleId: story, quoteId: quote.id }, headers)),
        ...dataOf<{ person: { quotes: { totalCount: number } }; institution: { quotes: { nodes: Array<{ id: string }> } } }>(
          await t.gql(QUOTE_VISIBILITY_NESTED, { personId: speaker, institutionId: institutionId(s.denpasar.pk) }, headers),
        ),
      });
      const hidden = await seen({});
      expect([hidden.byArticle.totalCount, hidden.bySearch.totalCount, hidden.person.quotes.totalCount, hidden.node]).toEqual([0, 0, 0, null]);
      expect(hidden.institution.quotes.nodes.map((n) => n.id)).not.toContain(quote.id);
      expect(await quotesOf(story, {})).toBeNull();
      const editor = await seen(as.EDITOR);
      expect([editor.byArticle.totalCount, editor.bySearch.totalCount, editor.person.quotes.totalCount, editor.node]).toEqual([2, 1, 2, { id: quote.id }]);

      await publish(story);
      const shown = await seen({});
      expect([shown.byArticle.totalCount, shown.bySearch.totalCount, shown.person.quotes.totalCount, shown.node]).toEqual([2, 1, 2, { id: quote.id }]);
      expect(shown.institution.quotes.nodes.map((n) => n.id)).toContain(quote.id);
      expect(await quotesOf(story, {})).toEqual(inOrder("Kutipan rahasia zamrud", "Kutipan rahasia kedua"));
    });

    it("cleans the text and attribution: trimmed, line breaks kept, a blank attribution is none", async () => {
      const story = await newStory("Kutipan berbaris");
      const quote = await added({ articleId: story, speakerId: personId(s.sari.pk), text: "  Baris satu.\r\nBaris dua.  ", attribution: "   " });
      expect([quote.text, quote.attribution]).toEqual(["Baris satu.\nBaris dua.", null]);
      const longest = await added({ articleId: story, speakerId: personId(s.sari.pk), text: "k".repeat(5000), attribution: "u".repeat(200) });
      const read = dataOf<{ node: { text: string; attribution: string } }>(await t.gql(QUOTE_NODE, { id: longest.id }, as.EDITOR)).node;
      expect([read.text.length, read.attribution.length]).toEqual([5000, 200]);
    });

    describe("refusals", () => {
      let story: string;
      beforeAll(async () => {
        story = await newStory("Cerita untuk penolakan", ["Pertama", "Kedua"]);
      });
      const valid = () => ({ articleId: story, speakerId: personId(s.budi.pk), institutionId: institutionId(s.denpasar.pk), text: "Kutipan sah", attribution: "katanya" });

      it.each([
        { label: "a text over 5000 characters", input: { text: "k".repeat(5001) }, field: "input.text", mentions: ["input.text", "5000"] },
        { label: "a blank text", input: { text: " \n\t " }, field: "input.text", mentions: ["input.text", "blank"] },
        { label: "an empty text", input: { text: "" }, field: "input.text", mentions: ["input.text", "blank"] },
        { label: "an attribution over 200 characters", input: { attribution: "u".repeat(201) }, field: "input.attribution", mentions: ["input.attribution", "200"] },
        { label: "a negative position", input: { position: -1 }, field: "input.position", mentions: ["input.position", "-1"] },
        { label: "a position past the end", input: { position: 3 }, field: "input.position", mentions: ["input.position", "3"] },
        { label: "a position far past the end", input: { position: 100 }, field: "input.position", mentions: ["input.position", "100"] },
      ])("refuses $label with BAD_USER_INPUT and changes nothing", async ({ input, field, mentions }) => {
        await refused(() => add({ ...valid(), ...input }), { code: "BAD_USER_INPUT", field, mentions });
        expect(await quotesOf(story)).toEqual(inOrder("Pertama", "Kedua"));
      });

      it.each([
        { label: "an article id of another type", field: "articleId", value: () => personId(s.sari.pk), code: "BAD_USER_INPUT" },
        { label: "a malformed article id", field: "articleId", value: () => "!!", code: "BAD_USER_INPUT" },
        { label: "an article id that names nothing", field: "articleId", value: () => articleId(987654), code: "NOT_FOUND" },
        { label: "a speaker id of another type", field: "speakerId", value: () => institutionId(s.surabaya.pk), code: "BAD_USER_INPUT" },
        { label: "a speaker id that names nothing", field: "speakerId", value: () => personId(987654), code: "NOT_FOUND" },
        { label: "an institution id of another type", field: "institutionId", value: () => personId(s.sari.pk), code: "BAD_USER_INPUT" },
        { label: "an institution id that names nothing", field: "institutionId", value: () => institutionId(987654), code: "NOT_FOUND" },
      ])("refuses $label with $code and changes nothing", async ({ field, value, code }) => {
        const id = value();
        await refused(() => add({ ...valid(), [field]: id }), { code, field: `input.${field}`, mentions: [id] });
      });

      it("refuses anonymous callers and moderators", async () => {
        await refused(() => add(valid(), {}), { code: "UNAUTHENTICATED", mentions: ["addQuote"] });
        await refused(() => add(valid(), as.MODERATOR), { code: "FORBIDDEN", mentions: ["addQuote", "MODERATOR"] });
      });
    });

    it.each(["EDITOR", "ADMIN"] as const)("lets an %s add one", async (role) => {
      const story = await newStory(`Kutipan oleh ${role}`, ["Sudah ada"]);
      const quote = dataOf(await add({ articleId: story, speakerId: personId(s.budi.pk), text: `Dari ${role}` }, as[role])).addQuote;
      expect(quote.position).toBe(1);
      expect(await quotesOf(story)).toEqual(inOrder("Sudah ada", `Dari ${role}`));
    });
  });

  describe("removeQuote", () => {
    it("removes a quote and moves the ones after it up", async () => {
      const story = await newStory("Cerita untuk penghapusan", ["A", "B", "C", "D"]);
      const ids = async () => dataOf<{ article: { quotes: Array<{ id: string }> } }>(await t.gql(ARTICLE_QUOTES, { id: story }, as.EDITOR)).article.quotes.map((q) => q.id);
      const [a, b, c, d] = await ids();
      expect(dataOf(await remove(b!)).removeQuote).toBe(b);
      expect(await quotesOf(story)).toEqual(inOrder("A", "C", "D"));
      dataOf(await remove(d!));
      expect(await quotesOf(story)).toEqual(inOrder("A", "C"));
      dataOf(await remove(a!));
      expect(await quotesOf(story)).toEqual(inOrder("C"));
      dataOf(await remove(c!));
      expect(await quotesOf(story)).toEqual([]);
      expect(dataOf<{ node: unknown }>(await t.gql(QUOTE_NODE, { id: b }, as.EDITOR)).node).toBeNull();
      // Positions stay dense, so the next quote goes first.
      expect((await added({ articleId: story, speakerId: personId(s.sari.pk), text: "Baru" })).position).toBe(0);
    });

    it("renumbers a published story's quotes for readers too", async () => {
      const story = await newStory("Cerita terbit untuk penghapusan", ["Satu", "Dua", "Tiga"]);
      await publish(story);
      const ids = dataOf<{ article: { quotes: Array<{ id: string }> } }>(await t.gql(ARTICLE_QUOTES, { id: story }, {})).article.quotes.map((q) => q.id);
      dataOf(await remove(ids[0]!));
      expect(await quotesOf(story, {})).toEqual(inOrder("Dua", "Tiga"));
      const listed = dataOf<{ quotes: { totalCount: number; nodes: Array<{ text: string; position: number }> } }>(await t.gql(QUOTES, { filter: { articleId: story } }));
      expect(listed.quotes.nodes.map(({ text, position }) => ({ text, position }))).toEqual(inOrder("Dua", "Tiga"));
    });

    it("leaves the other stories' quotes alone", async () => {
      const one = await newStory("Cerita pertama dari dua", ["P", "Q"]);
      const two = await newStory("Cerita kedua dari dua", ["R", "S"]);
      const first = dataOf<{ article: { quotes: Array<{ id: string }> } }>(await t.gql(ARTICLE_QUOTES, { id: one }, as.EDITOR)).article.quotes[0]!.id;
      dataOf(await remove(first));
      expect(await quotesOf(one)).toEqual(inOrder("Q"));
      expect(await quotesOf(two)).toEqual(inOrder("R", "S"));
    });

    it("refuses an id of another type, a malformed id, one that names nothing, and one already removed", async () => {
      const wrong = articleId(s.published[0]!.pk);
      await refused(() => remove(wrong), { code: "BAD_USER_INPUT", field: "id", mentions: [wrong] });
      await refused(() => remove("bukan-kutipan"), { code: "BAD_USER_INPUT", field: "id", mentions: ["bukan-kutipan"] });
      const missing = toGlobalId("Quote", 987654);
      await refused(() => remove(missing), { code: "NOT_FOUND", field: "id", mentions: [missing] });
      const story = await newStory("Cerita dihapus dua kali", ["Sekali"]);
      const quote = (await added({ articleId: story, speakerId: personId(s.sari.pk), text: "Dua kali" })).id;
      dataOf(await remove(quote));
      await refused(() => remove(quote), { code: "NOT_FOUND", field: "id", mentions: [quote] });
      expect(await quotesOf(story)).toEqual(inOrder("Sekali"));
    });

    it("refuses anonymous callers and moderators", async () => {
      const story = await newStory("Cerita dengan kutipan terlindung", ["Terlindung"]);
      const quote = dataOf<{ article: { quotes: Array<{ id: string }> } }>(await t.gql(ARTICLE_QUOTES, { id: story }, as.EDITOR)).article.quotes[0]!.id;
      await refused(() => remove(quote, {}), { code: "UNAUTHENTICATED", mentions: ["removeQuote"] });
      await refused(() => remove(quote, as.MODERATOR), { code: "FORBIDDEN", mentions: ["removeQuote", "MODERATOR"] });
    });

    it.each(["EDITOR", "ADMIN"] as const)("lets an %s remove one", async (role) => {
      const story = await newStory(`Penghapusan oleh ${role}`, ["Tinggal", "Hapus", "Naik"]);
      const quote = dataOf<{ article: { quotes: Array<{ id: string }> } }>(await t.gql(ARTICLE_QUOTES, { id: story }, as.EDITOR)).article.quotes[1]!.id;
      expect(dataOf(await remove(quote, as[role])).removeQuote).toBe(quote);
      expect(await quotesOf(story)).toEqual(inOrder("Tinggal", "Naik"));
    });
  });
});

const QUOTE_FIELDS = `
  fragment QuoteFields on Quote { id text attribution position speaker { id } institution { id } article { id } }`;

const ADD_QUOTE = `
  mutation AddQuote($input: AddQuoteInput!) { addQuote(input: $input) { ...QuoteFields } }
  ${QUOTE_FIELDS}`;

const REMOVE_QUOTE = `
  mutation RemoveQuote($id: ID!) { removeQuote(id: $id) }`;

const CREATE_ARTICLE = `
  mutation CreateArticle($input: CreateArticleInput!) { createArticle(input: $input) { id } }`;

const PUBLISH_ARTICLE = `
  mutation PublishArticle($id: ID!) { publishArticle(id: $id) { id status } }`;

const CREATE_PERSON = `
  mutation CreatePerson($input: CreatePersonInput!) { createPerson(input: $input) { id } }`;

const ARTICLE_QUOTES = `
  query ArticleQuotes($id: ID) { article(id: $id) { quotes { id text position } } }`;

const QUOTES = `
  query Quotes($filter: QuoteFilter) { quotes(first: 100, filter: $filter) { totalCount nodes { ...QuoteFields } } }
  ${QUOTE_FIELDS}`;

const ALL_QUOTES = `
  query AllQuotes { quotes(first: 100) { totalCount nodes { ...QuoteFields } } }
  ${QUOTE_FIELDS}`;

const QUOTE_NODE = `
  query QuoteNode($id: ID!) { node(id: $id) { ... on Quote { id text attribution } } }`;

const PERSON_QUOTES = `
  query PersonQuotes($id: ID) { person(id: $id) { quotes { nodes { text position } } } }`;

// Two operations: every path at once costs more than one reader's operation may.
const QUOTE_VISIBILITY = `
  query QuoteVisibility($articleId: ID!, $quoteId: ID!) {
    byArticle: quotes(filter: { articleId: $articleId }) { totalCount }
    bySearch: quotes(filter: { search: "rahasia zamrud" }) { totalCount }
    node(id: $quoteId) { ... on Quote { id } }
  }`;
const QUOTE_VISIBILITY_NESTED = `
  query QuoteVisibilityNested($personId: ID, $institutionId: ID) {
    person(id: $personId) { quotes { totalCount } }
    institution(id: $institutionId) { quotes(first: 100) { nodes { id } } }
  }`;
