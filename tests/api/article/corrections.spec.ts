import "reflect-metadata";
import { toGlobalId } from "../../../src/kernel/ids";
import { useNewsroom } from "../../helpers/newsroom";
import { dataOf, metricOf } from "../../helpers/server";
import { connect } from "../../helpers/ws";

/*
 * Corrections: an editor publishes a correction as one, a note readers see on the story, with
 * `correctedAt` and `updatedAt` saying when; feeds carry it as an UPDATED event. The revisions
 * behind it stay the editors'.
 */

type Story = { title: string; updatedAt: string; correctedAt: string | null; corrections: Array<{ id: string; text: string; createdAt: string }> };

describe("correction notes", () => {
  const { t, s, as } = useNewsroom({ roles: true });

  const read = async (id: string, headers: Record<string, string> = {}) => dataOf<{ article: Story | null }>(await t.gql(STORY, { id }, headers)).article;
  const correct = (id: string, text: string, headers = as.EDITOR) => t.gql<{ addCorrection: Story }>(ADD_CORRECTION, { id, text }, headers);

  it("shows readers the note on the published story, with correctedAt and updatedAt, and not the revisions behind it", async () => {
    const id = toGlobalId("Article", s.published[2]!.pk);
    const before = (await read(id))!;
    expect(before).toMatchObject({ correctedAt: null, corrections: [] });

    await t.gql(`mutation($id: ID!) { updateArticle(id: $id, input: { body: "Sebanyak 125 warga binaan menerima remisi." }) { id } }`, { id }, as.EDITOR);
    const corrected = dataOf(await correct(id, "Versi sebelumnya menyebut 120 warga binaan; yang benar 125.")).addCorrection;
    expect(corrected.corrections.map((c) => c.text)).toEqual(["Versi sebelumnya menyebut 120 warga binaan; yang benar 125."]);
    expect(corrected.correctedAt).toBe(corrected.corrections[0]!.createdAt);
    expect(corrected.updatedAt).toBe(corrected.correctedAt);
    expect(Date.parse(corrected.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));

    const seen = (await read(id))!;
    expect(seen).toEqual(corrected);
    const asked = await t.gql<{ article: { corrections: unknown[]; revisions: unknown } }>(`query($id: ID!) { article(id: $id) { corrections { text } revisions { totalCount } } }`, { id });
    expect(asked.body.data?.article).toEqual({ corrections: [{ text: "Versi sebelumnya menyebut 120 warga binaan; yang benar 125." }], revisions: null });
    expect(asked.body.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);

    const second = dataOf(await correct(id, "Koreksi kedua.")).addCorrection;
    expect(second.corrections.map((c) => c.text)).toEqual(["Versi sebelumnya menyebut 120 warga binaan; yang benar 125.", "Koreksi kedua."]);
    expect(Date.parse(second.correctedAt!)).toBeGreaterThanOrEqual(Date.parse(corrected.correctedAt!));
  });

  it("drops the cached page at once: the next read of a story readers had cached shows the note", async () => {
    const id = toGlobalId("Article", s.published[3]!.pk);
    const hits = await metricOf(t, "response_cache_hits_total");
    // The first read stores the page (the cache has room), the second is answered from it.
    for (let i = 0; i < 2; i++) expect((await read(id))!.corrections).toEqual([]);
    expect(await metricOf(t, "response_cache_hits_total")).toBe(hits + 1);
    dataOf(await correct(id, "Nama narasumber diperbaiki."));
    expect((await read(id))!.corrections.map((c) => c.text)).toEqual(["Nama narasumber diperbaiki."]);
  });

  it("reaches feeds as an UPDATED event that carries the note", async () => {
    const id = toGlobalId("Article", s.published[4]!.pk);
    const client = connect(t.server.port);
    try {
      const sub = client.subscribe<{ articleEvents: { type: string; article: { id: string; correctedAt: string | null; corrections: Array<{ text: string }> } } }>(
        `subscription { articleEvents { type article { id correctedAt corrections { text } } } }`,
      );
      const deadline = Date.now() + 3000;
      while (t.server.stats.activeSubscriptions < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      const corrected = dataOf(await correct(id, "Tanggal kegiatan diperbaiki.")).addCorrection;
      const [event] = await sub.waitFor(1);
      expect(event!.errors).toBeUndefined();
      expect(event!.data!.articleEvents).toEqual({ type: "UPDATED", article: { id, correctedAt: corrected.correctedAt, corrections: [{ text: "Tanggal kegiatan diperbaiki." }] } });
    } finally {
      await client.close();
    }
  });

  it("is refused on a story readers have not read, to readers and moderators, and for a blank note", async () => {
    const draft = toGlobalId("Article", s.drafts[1]!.pk);
    const refused = await correct(draft, "Koreksi draf.");
    expect(refused.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "article" } });
    expect(refused.body.errors?.[0]?.message).toContain("DRAFT");
    const scheduled = await correct(toGlobalId("Article", s.scheduled.pk), "Koreksi terjadwal.");
    expect(scheduled.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "article" } });
    const published = toGlobalId("Article", s.published[5]!.pk);
    expect((await correct(published, "Koreksi.", {})).body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await correct(published, "Koreksi.", as.MODERATOR)).body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await correct(published, "  ")).body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "text" } });
    expect((await read(published))!.corrections).toEqual([]);
  });

  it("goes with its story when the story is unpublished, and comes back with it", async () => {
    const id = toGlobalId("Article", s.published[6]!.pk);
    dataOf(await correct(id, "Koreksi sebelum ditarik."));
    await t.gql(`mutation($id: ID!) { unpublishArticle(id: $id) { status } }`, { id }, as.EDITOR);
    expect(await read(id)).toBeNull();
    expect((await read(id, as.EDITOR))!.corrections.map((c) => c.text)).toEqual(["Koreksi sebelum ditarik."]);
    await t.gql(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id }, as.EDITOR);
    expect((await read(id))!.corrections.map((c) => c.text)).toEqual(["Koreksi sebelum ditarik."]);
  });
});

const STORY = `query($id: ID!) { article(id: $id) { title updatedAt correctedAt corrections { id text createdAt } } }`;
const ADD_CORRECTION = `mutation($id: ID!, $text: String!) { addCorrection(article: $id, text: $text) { title updatedAt correctedAt corrections { id text createdAt } } }`;
