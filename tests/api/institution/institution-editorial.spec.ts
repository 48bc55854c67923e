import "reflect-metadata";
import { toGlobalId } from "../../../src/kernel/ids";
import { dataOf } from "../../helpers/server";
import type { GraphQLResponse } from "../../helpers/server";
import { useNewsroom } from "../../helpers/newsroom";
import { expectRefused } from "../../helpers/refusal";
import type { ErrorExpectation } from "../../helpers/refusal";

interface InstitutionView {
  id: string;
  slug: string;
  name: string;
  shortName: string | null;
  kind: string;
  classification: string | null;
  city: string | null;
  province: string | null;
  parent: { id: string; slug: string } | null;
  children: Array<{ slug: string }>;
  accreditations: Array<{ code: string; title: string; year: number }>;
}

const NEXT_YEAR = new Date().getUTCFullYear() + 1;

describe("institution editorial mutations", () => {
  const { t, s, as } = useNewsroom({ roles: true });

  const idOf = (pk: number) => toGlobalId("Institution", pk);
  const create = (input: Record<string, unknown>, headers: Record<string, string> = as.EDITOR) =>
    t.gql<{ createInstitution: InstitutionView }>(CREATE_INSTITUTION, { input }, headers);
  const update = (id: string, input: Record<string, unknown>, headers: Record<string, string> = as.EDITOR) =>
    t.gql<{ updateInstitution: InstitutionView }>(UPDATE_INSTITUTION, { id, input }, headers);
  const accredit = (institutionId: string, input: Record<string, unknown>, headers: Record<string, string> = as.EDITOR) =>
    t.gql<{ addAccreditation: { id: string; code: string; title: string; year: number; institution: { id: string } } }>(ADD_ACCREDITATION, { institutionId, input }, headers);
  const created = async (input: Record<string, unknown>) => dataOf(await create(input)).createInstitution;
  const byId = async (id: string) => dataOf<{ institution: InstitutionView | null }>(await t.gql(INSTITUTION_BY_ID, { id })).institution;
  const bySlug = async (slug: string) => dataOf<{ institution: InstitutionView | null }>(await t.gql(INSTITUTION_BY_SLUG, { slug })).institution;

  /** Everything these mutations may write, as a reader sees it and as the database holds it. */
  const state = async () => ({
    api: dataOf<{ institutions: unknown }>(await t.gql(ALL_INSTITUTIONS)).institutions,
    institution: await t.server.db.reader.query("SELECT * FROM institution ORDER BY id"),
    accreditation: await t.server.db.reader.query("SELECT * FROM accreditation ORDER BY id"),
    slugAlias: await t.server.db.reader.query("SELECT kind, slug, target_id FROM slug_alias ORDER BY id"),
  });

  /** Runs a mutation that must be refused, checks the error, and checks that it changed nothing. */
  const refused = (run: () => Promise<GraphQLResponse>, expected: ErrorExpectation) => expectRefused(run, expected, state, "institution");

  describe("createInstitution", () => {
    it("creates an institution with every field and reads it back by id, by slug and in lists", async () => {
      const made = await created({
        name: "  Lembaga Pemasyarakatan   Kelas IIA Malang ",
        shortName: "Lapas Malang",
        kind: "LAPAS",
        classification: "IIA",
        city: "Malang",
        province: "Jawa Timur",
        parentId: idOf(s.ministry.pk),
      });
      const expected: InstitutionView = {
        id: made.id,
        slug: "lapas-malang",
        name: "Lembaga Pemasyarakatan Kelas IIA Malang",
        shortName: "Lapas Malang",
        kind: "LAPAS",
        classification: "IIA",
        city: "Malang",
        province: "Jawa Timur",
        parent: { id: idOf(s.ministry.pk), slug: "kementerian-imigrasi-dan-pemasyarakatan" },
        children: [],
        accreditations: [],
      };
      expect(made).toEqual(expected);
      expect(await byId(made.id)).toEqual(expected);
      expect(await bySlug("lapas-malang")).toEqual(expected);
      const listed = dataOf<{ institutions: { nodes: Array<{ id: string }> } }>(await t.gql(INSTITUTIONS_FILTERED, { filter: { city: "malang", kind: "LAPAS" } }));
      expect(listed.institutions.nodes).toEqual([{ id: made.id }]);
      expect((await byId(idOf(s.ministry.pk)))!.children.map((c) => c.slug)).toContain("lapas-malang");
    });

    it("creates with only the required fields; the others are null", async () => {
      const made = await created({ name: "Badan Pemasyarakatan Sederhana", kind: "BAPAS" });
      expect(await byId(made.id)).toEqual({
        id: made.id,
        slug: "badan-pemasyarakatan-sederhana",
        name: "Badan Pemasyarakatan Sederhana",
        shortName: null,
        kind: "BAPAS",
        classification: null,
        city: null,
        province: null,
        parent: null,
        children: [],
        accreditations: [],
      });
    });

    it("derives the slug from the name as lowercase ASCII with hyphens when there is no short name", async () => {
      const made = await created({ name: "Rumah Tahanan Négara Kelas IIB", kind: "RUTAN" });
      expect(made.slug).toBe("rumah-tahanan-negara-kelas-iib");
      expect((await bySlug("rumah-tahanan-negara-kelas-iib"))!.id).toBe(made.id);
      const blankShort = await created({ name: "Lapas Perempuan Kelas IIA Sigli", shortName: "   ", kind: "LAPAS" });
      expect(blankShort).toMatchObject({ slug: "lapas-perempuan-kelas-iia-sigli", shortName: null });
    });

    it("derives the slug from the short name when one is given", async () => {
      const made = await created({ name: "Lembaga Pembinaan Khusus Anak Kelas I Blitar", shortName: "LPKA Blitar (Jatim)", kind: "LPKA" });
      expect(made.slug).toBe("lpka-blitar-jatim");
      expect((await bySlug("lpka-blitar-jatim"))!.name).toBe("Lembaga Pembinaan Khusus Anak Kelas I Blitar");
    });

    it("suffixes -2, -3 when the derived slug is taken", async () => {
      const first = await created({ name: "Lapas Kembar Satu", shortName: "Lapas Kembar", kind: "LAPAS" });
      const second = await created({ name: "Lapas Kembar Dua", shortName: "Lapas Kembar", kind: "LAPAS" });
      const third = await created({ name: "Lapas Kembar", kind: "LAPAS" });
      expect([first.slug, second.slug, third.slug]).toEqual(["lapas-kembar", "lapas-kembar-2", "lapas-kembar-3"]);
      expect((await bySlug("lapas-kembar-2"))!.name).toBe("Lapas Kembar Dua");
      expect((await bySlug("lapas-kembar-3"))!.name).toBe("Lapas Kembar");
    });

    it("gives concurrent creates of the same name distinct slugs", async () => {
      const made = await Promise.all([1, 2, 3].map(() => created({ name: "Lapas Serentak", kind: "LAPAS" })));
      expect(made.map((m) => m.slug).sort()).toEqual(["lapas-serentak", "lapas-serentak-2", "lapas-serentak-3"]);
      for (const m of made) expect((await bySlug(m.slug))!.id).toBe(m.id);
    });

    it("takes a hand-picked slug as it is", async () => {
      const made = await created({ name: "Lapas Kelas III Pilihan", shortName: "Lapas Pilihan", kind: "LAPAS", slug: "lapas-pilihan-2025" });
      expect(made.slug).toBe("lapas-pilihan-2025");
      expect((await bySlug("lapas-pilihan-2025"))!.id).toBe(made.id);
      expect(await bySlug("lapas-pilihan")).toBeNull();
    });

    it("accepts every text field at its longest", async () => {
      const input = {
        name: `Lapas ${"n".repeat(294)}`,
        shortName: `Lapas ${"s".repeat(194)}`,
        kind: "LAPAS",
        classification: "K".repeat(20),
        city: "C".repeat(100),
        province: "P".repeat(100),
      };
      const made = await created(input);
      const read = (await byId(made.id))!;
      expect([read.name.length, read.shortName!.length, read.classification, read.city, read.province]).toEqual([300, 200, input.classification, input.city, input.province]);
    });

    const valid = { name: "Lapas Kelas III Tolak", kind: "LAPAS" };
    it.each([
      { label: "a name over 300 characters", input: { ...valid, name: `Lapas ${"n".repeat(295)}` }, field: "input.name", mentions: ["input.name", "300"] },
      { label: "a blank name", input: { ...valid, name: "  \t " }, field: "input.name", mentions: ["input.name", "blank"] },
      { label: "an empty name", input: { ...valid, name: "" }, field: "input.name", mentions: ["input.name", "blank"] },
      { label: "a short name over 200 characters", input: { ...valid, shortName: "s".repeat(201) }, field: "input.shortName", mentions: ["input.shortName", "200"] },
      { label: "a classification over 20 characters", input: { ...valid, classification: "K".repeat(21) }, field: "input.classification", mentions: ["input.classification", "20"] },
      { label: "a city over 100 characters", input: { ...valid, city: "C".repeat(101) }, field: "input.city", mentions: ["input.city", "100"] },
      { label: "a province over 100 characters", input: { ...valid, province: "P".repeat(101) }, field: "input.province", mentions: ["input.province", "100"] },
      { label: "a slug with capitals and spaces", input: { ...valid, slug: "Lapas Tolak" }, field: "input.slug", mentions: ["'Lapas Tolak'"] },
      { label: "a slug with a double hyphen", input: { ...valid, slug: "lapas--tolak" }, field: "input.slug", mentions: ["'lapas--tolak'"] },
      { label: "a slug with a trailing hyphen", input: { ...valid, slug: "lapas-tolak-" }, field: "input.slug", mentions: ["'lapas-tolak-'"] },
      { label: "a slug with diacritics", input: { ...valid, slug: "négara" }, field: "input.slug", mentions: ["'négara'"] },
      { label: "an empty slug", input: { ...valid, slug: "" }, field: "input.slug", mentions: ["input.slug"] },
      { label: "a slug over 200 characters", input: { ...valid, slug: "a".repeat(201) }, field: "input.slug", mentions: ["input.slug", "200"] },
    ])("refuses $label with BAD_USER_INPUT and changes nothing", async ({ input, field, mentions }) => {
      await refused(() => create(input), { code: "BAD_USER_INPUT", field, mentions });
    });

    it("refuses a hand-picked slug another institution holds", async () => {
      await refused(() => create({ ...valid, slug: "lembaga-pemasyarakatan-kelas-i-surabaya" }), {
        code: "BAD_USER_INPUT",
        field: "input.slug",
        mentions: ["'lembaga-pemasyarakatan-kelas-i-surabaya'"],
      });
    });

    it("refuses a parent id of another type, a malformed one, and one that names nothing", async () => {
      const personId = toGlobalId("Person", s.sari.pk);
      await refused(() => create({ ...valid, parentId: personId }), { code: "BAD_USER_INPUT", field: "input.parentId", mentions: [personId] });
      await refused(() => create({ ...valid, parentId: "bukan-id!" }), { code: "BAD_USER_INPUT", field: "input.parentId", mentions: ["bukan-id!"] });
      const missing = idOf(987654);
      await refused(() => create({ ...valid, parentId: missing }), { code: "NOT_FOUND", field: "input.parentId", mentions: [missing] });
    });

    it("refuses anonymous callers and moderators", async () => {
      await refused(() => create(valid, {}), { code: "UNAUTHENTICATED", mentions: ["createInstitution"] });
      await refused(() => create(valid, as.MODERATOR), { code: "FORBIDDEN", mentions: ["createInstitution", "MODERATOR"] });
    });

    it.each(["EDITOR", "ADMIN"] as const)("lets an %s create", async (role) => {
      const res = await create({ name: `Lapas Kelas III Dibuat ${role}`, kind: "LAPAS" }, as[role]);
      const made = dataOf(res).createInstitution;
      expect((await byId(made.id))!.name).toBe(`Lapas Kelas III Dibuat ${role}`);
    });
  });

  it("derives the slug from the full name when the short name has no letters or digits", async () => {
    const made = await created({ name: "Balai Pemasyarakatan Kelas I Semarang", shortName: "—", kind: "BAPAS" });
    expect(made.slug).toBe("balai-pemasyarakatan-kelas-i-semarang");
  });

  it("refuses an empty parent id instead of reading it as no parent", async () => {
    await refused(() => create({ name: "Lapas Tanpa Induk", kind: "LAPAS", parentId: "" }), { code: "BAD_USER_INPUT", field: "input.parentId" });
  });

  describe("updateInstitution", () => {
    it("changes the fields given, keeps the ones left out, and clears optional ones set to null", async () => {
      const made = await created({ name: "Rutan Kelas IIB Lama", shortName: "Rutan Lama", kind: "RUTAN", classification: "IIB", city: "Kediri", province: "Jawa Timur", parentId: idOf(s.ministry.pk) });
      const updated = dataOf(await update(made.id, { name: "  Rumah Tahanan Negara Kelas IIA   Kediri ", classification: "IIA", city: null, province: "  " })).updateInstitution;
      const expected: InstitutionView = {
        id: made.id,
        slug: "rutan-lama",
        name: "Rumah Tahanan Negara Kelas IIA Kediri",
        shortName: "Rutan Lama",
        kind: "RUTAN",
        classification: "IIA",
        city: null,
        province: null,
        parent: { id: idOf(s.ministry.pk), slug: "kementerian-imigrasi-dan-pemasyarakatan" },
        children: [],
        accreditations: [],
      };
      expect(updated).toEqual(expected);
      expect(await byId(made.id)).toEqual(expected);
      dataOf(await update(made.id, { kind: "LAPAS", shortName: null }));
      expect(await byId(made.id)).toEqual({ ...expected, kind: "LAPAS", shortName: null });
    });

    it("changes nothing when the input is empty", async () => {
      const made = await created({ name: "Lapas Kelas III Tetap", kind: "LAPAS", city: "Tetap" });
      const before = await byId(made.id);
      expect(dataOf(await update(made.id, {})).updateInstitution).toEqual(before);
      expect(await byId(made.id)).toEqual(before);
    });

    it("moves an institution under another parent and clears the parent", async () => {
      const made = await created({ name: "Lapas Kelas III Pindah", kind: "LAPAS", parentId: idOf(s.ministry.pk) });
      dataOf(await update(made.id, { parentId: idOf(s.denpasar.pk) }));
      expect((await byId(made.id))!.parent).toEqual({ id: idOf(s.denpasar.pk), slug: "rumah-tahanan-negara-kelas-iib-denpasar" });
      expect((await byId(idOf(s.denpasar.pk)))!.children).toEqual([{ slug: "lapas-kelas-iii-pindah" }]);
      expect((await byId(idOf(s.ministry.pk)))!.children.map((c) => c.slug)).not.toContain("lapas-kelas-iii-pindah");
      dataOf(await update(made.id, { parentId: null }));
      expect((await byId(made.id))!.parent).toBeNull();
      expect((await byId(idOf(s.denpasar.pk)))!.children).toEqual([]);
    });

    it("refuses a parent that is the institution itself or one below it", async () => {
      const top = await created({ name: "Kanwil Lingkar", kind: "KANWIL" });
      const middle = await created({ name: "Lapas Lingkar Tengah", kind: "LAPAS", parentId: top.id });
      const bottom = await created({ name: "Lapas Lingkar Bawah", kind: "LAPAS", parentId: middle.id });
      for (const parent of [top, middle, bottom]) {
        await refused(() => update(top.id, { parentId: parent.id }), { code: "BAD_USER_INPUT", field: "input.parentId", mentions: [parent.id] });
      }
      await refused(() => update(middle.id, { parentId: bottom.id, name: "Tidak Berubah" }), { code: "BAD_USER_INPUT", field: "input.parentId", mentions: [bottom.id] });
      // Moving the bottom one up the same chain is no loop.
      dataOf(await update(bottom.id, { parentId: top.id }));
      expect((await byId(top.id))!.children.map((c) => c.slug)).toEqual(["lapas-lingkar-bawah", "lapas-lingkar-tengah"]);
    });

    it("changes the slug by hand and keeps every former slug resolving to the record", async () => {
      const made = await created({ name: "Lapas Kelas IIB Ganti Nama", kind: "LAPAS" });
      expect(made.slug).toBe("lapas-kelas-iib-ganti-nama");
      expect(dataOf(await update(made.id, { slug: "lapas-nama-baru" })).updateInstitution.slug).toBe("lapas-nama-baru");
      for (const slug of ["lapas-kelas-iib-ganti-nama", "lapas-nama-baru"]) expect(await bySlug(slug)).toMatchObject({ id: made.id, slug: "lapas-nama-baru" });
      dataOf(await update(made.id, { slug: "lapas-nama-terbaru" }));
      for (const slug of ["lapas-kelas-iib-ganti-nama", "lapas-nama-baru", "lapas-nama-terbaru"]) expect(await bySlug(slug)).toMatchObject({ id: made.id, slug: "lapas-nama-terbaru" });
      // The same slug again is no change.
      expect(dataOf(await update(made.id, { slug: "lapas-nama-terbaru" })).updateInstitution.slug).toBe("lapas-nama-terbaru");
      // A rename of the name alone leaves the slug.
      expect(dataOf(await update(made.id, { name: "Lapas Kelas IIA Nama Lain" })).updateInstitution.slug).toBe("lapas-nama-terbaru");
      // Back to its first slug: allowed, and the slug it leaves keeps resolving.
      dataOf(await update(made.id, { slug: "lapas-kelas-iib-ganti-nama" }));
      for (const slug of ["lapas-kelas-iib-ganti-nama", "lapas-nama-baru", "lapas-nama-terbaru"]) expect(await bySlug(slug)).toMatchObject({ id: made.id, slug: "lapas-kelas-iib-ganti-nama" });
    });

    it("never hands a former slug to another institution", async () => {
      const renamed = await created({ name: "Lapas Bekas Slug", kind: "LAPAS" });
      dataOf(await update(renamed.id, { slug: "lapas-slug-sekarang" }));
      // Derived: the former slug counts as taken.
      const derived = await created({ name: "Lapas Bekas Slug", kind: "LAPAS" });
      expect(derived.slug).toBe("lapas-bekas-slug-2");
      const derivedFromShort = await created({ name: "Lapas Lain", shortName: "Lapas Bekas Slug", kind: "LAPAS" });
      expect(derivedFromShort.slug).toBe("lapas-bekas-slug-3");
      // By hand, on create and on update.
      await refused(() => create({ name: "Lapas Perebut", kind: "LAPAS", slug: "lapas-bekas-slug" }), { code: "BAD_USER_INPUT", field: "input.slug", mentions: ["'lapas-bekas-slug'"] });
      await refused(() => update(derived.id, { slug: "lapas-bekas-slug" }), { code: "BAD_USER_INPUT", field: "input.slug", mentions: ["'lapas-bekas-slug'"] });
      expect(await bySlug("lapas-bekas-slug")).toMatchObject({ id: renamed.id, slug: "lapas-slug-sekarang" });
    });

    const valid = { name: "Lapas Kelas III Tidak Berubah" };
    it.each([
      { label: "a name over 300 characters", input: { name: `Lapas ${"n".repeat(295)}` }, field: "input.name", mentions: ["input.name", "300"] },
      { label: "a blank name", input: { name: "   " }, field: "input.name", mentions: ["input.name", "blank"] },
      { label: "a short name over 200 characters", input: { ...valid, shortName: "s".repeat(201) }, field: "input.shortName", mentions: ["input.shortName", "200"] },
      { label: "a classification over 20 characters", input: { ...valid, classification: "K".repeat(21) }, field: "input.classification", mentions: ["input.classification", "20"] },
      { label: "a city over 100 characters", input: { ...valid, city: "C".repeat(101) }, field: "input.city", mentions: ["input.city", "100"] },
      { label: "a province over 100 characters", input: { ...valid, province: "P".repeat(101) }, field: "input.province", mentions: ["input.province", "100"] },
      { label: "a malformed slug", input: { ...valid, slug: "Lapas_Baru" }, field: "input.slug", mentions: ["'Lapas_Baru'"] },
      { label: "a slug another institution holds", input: { ...valid, slug: "rumah-tahanan-negara-kelas-iib-denpasar" }, field: "input.slug", mentions: ["'rumah-tahanan-negara-kelas-iib-denpasar'"] },
    ])("refuses $label with BAD_USER_INPUT and changes nothing", async ({ input, field, mentions }) => {
      await refused(() => update(idOf(s.surabaya.pk), input), { code: "BAD_USER_INPUT", field, mentions });
    });

    it("refuses an id of another type, a malformed id, and one that names nothing", async () => {
      const articleId = toGlobalId("Article", s.published[0]!.pk);
      await refused(() => update(articleId, valid), { code: "BAD_USER_INPUT", field: "id", mentions: [articleId] });
      await refused(() => update("%%%", valid), { code: "BAD_USER_INPUT", field: "id", mentions: ["%%%"] });
      const missing = idOf(987654);
      await refused(() => update(missing, valid), { code: "NOT_FOUND", field: "id", mentions: [missing] });
    });

    it("refuses a parent id of another type or one that names nothing", async () => {
      const personId = toGlobalId("Person", s.sari.pk);
      await refused(() => update(idOf(s.surabaya.pk), { ...valid, parentId: personId }), { code: "BAD_USER_INPUT", field: "input.parentId", mentions: [personId] });
      const missing = idOf(987654);
      await refused(() => update(idOf(s.surabaya.pk), { ...valid, parentId: missing }), { code: "NOT_FOUND", field: "input.parentId", mentions: [missing] });
    });

    it("refuses anonymous callers and moderators", async () => {
      await refused(() => update(idOf(s.surabaya.pk), valid, {}), { code: "UNAUTHENTICATED", mentions: ["updateInstitution"] });
      await refused(() => update(idOf(s.surabaya.pk), valid, as.MODERATOR), { code: "FORBIDDEN", mentions: ["updateInstitution", "MODERATOR"] });
    });

    it.each(["EDITOR", "ADMIN"] as const)("lets an %s update", async (role) => {
      const made = await created({ name: `Lapas Kelas III Diubah ${role}`, kind: "LAPAS" });
      dataOf(await update(made.id, { city: `Kota ${role}` }, as[role]));
      expect((await byId(made.id))!.city).toBe(`Kota ${role}`);
    });
  });

  describe("addAccreditation", () => {
    it("records an accreditation, upper-casing the code, and reads it back newest year first", async () => {
      const made = await created({ name: "Lapas Kelas IIA Berpredikat", kind: "LAPAS" });
      const first = dataOf(await accredit(made.id, { code: " wbk ", title: "  Wilayah Bebas  dari Korupsi ", year: 2023 })).addAccreditation;
      expect(first).toEqual({ id: expect.any(String), code: "WBK", title: "Wilayah Bebas dari Korupsi", year: 2023, institution: { id: made.id } });
      dataOf(await accredit(made.id, { code: "WBBM", title: "Wilayah Birokrasi Bersih dan Melayani", year: 2024 }));
      expect((await byId(made.id))!.accreditations).toEqual([
        { code: "WBBM", title: "Wilayah Birokrasi Bersih dan Melayani", year: 2024 },
        { code: "WBK", title: "Wilayah Bebas dari Korupsi", year: 2023 },
      ]);
      const holders = dataOf<{ institutions: { nodes: Array<{ id: string }> } }>(await t.gql(INSTITUTIONS_FILTERED, { filter: { accreditationCode: "WBK", search: "Berpredikat" } }));
      expect(holders.institutions.nodes).toEqual([{ id: made.id }]);
    });

    it("takes the same code in another year and another code in the same year, but not the same code twice in one year", async () => {
      const made = await created({ name: "Lapas Kelas IIA Berulang", kind: "LAPAS" });
      dataOf(await accredit(made.id, { code: "WBK", title: "Wilayah Bebas dari Korupsi", year: 2022 }));
      dataOf(await accredit(made.id, { code: "WBK", title: "Wilayah Bebas dari Korupsi", year: 2023 }));
      dataOf(await accredit(made.id, { code: "WBBM", title: "Wilayah Birokrasi Bersih dan Melayani", year: 2023 }));
      for (const code of ["WBK", "wbk"]) {
        await refused(() => accredit(made.id, { code, title: "Lagi", year: 2023 }), { code: "BAD_USER_INPUT", field: "input", mentions: ["WBK", "2023", "Lapas Kelas IIA Berulang"] });
      }
      expect((await byId(made.id))!.accreditations.map((a) => `${a.code} ${a.year}`)).toEqual(["WBK 2023", "WBBM 2023", "WBK 2022"]);
    });

    it("takes years from 1945 to next year", async () => {
      const made = await created({ name: "Lapas Kelas IIA Bersejarah", kind: "LAPAS" });
      dataOf(await accredit(made.id, { code: "A", title: "Tertua", year: 1945 }));
      dataOf(await accredit(made.id, { code: "B", title: "Terbaru", year: NEXT_YEAR }));
      expect((await byId(made.id))!.accreditations.map((a) => a.year)).toEqual([NEXT_YEAR, 1945]);
    });

    it("accepts a code of 20 and a title of 200 characters", async () => {
      const made = await created({ name: "Lapas Kelas IIA Panjang", kind: "LAPAS" });
      dataOf(await accredit(made.id, { code: "C".repeat(20), title: "T".repeat(200), year: 2020 }));
      expect((await byId(made.id))!.accreditations).toEqual([{ code: "C".repeat(20), title: "T".repeat(200), year: 2020 }]);
    });

    const valid = { code: "WBK", title: "Wilayah Bebas dari Korupsi", year: 2021 };
    it.each([
      { label: "a code over 20 characters", input: { ...valid, code: "C".repeat(21) }, field: "input.code", mentions: ["input.code", "20"] },
      { label: "a blank code", input: { ...valid, code: "  " }, field: "input.code", mentions: ["input.code", "blank"] },
      { label: "a title over 200 characters", input: { ...valid, title: "T".repeat(201) }, field: "input.title", mentions: ["input.title", "200"] },
      { label: "a blank title", input: { ...valid, title: "" }, field: "input.title", mentions: ["input.title", "blank"] },
      { label: "the year 1944", input: { ...valid, year: 1944 }, field: "input.year", mentions: ["input.year", "1944"] },
      { label: "the year after next", input: { ...valid, year: NEXT_YEAR + 1 }, field: "input.year", mentions: ["input.year", String(NEXT_YEAR + 1)] },
      { label: "a negative year", input: { ...valid, year: -2023 }, field: "input.year", mentions: ["input.year", "-2023"] },
    ])("refuses $label with BAD_USER_INPUT and changes nothing", async ({ input, field, mentions }) => {
      await refused(() => accredit(idOf(s.denpasar.pk), input), { code: "BAD_USER_INPUT", field, mentions });
    });

    it("refuses an institution id of another type, a malformed one, and one that names nothing", async () => {
      const personId = toGlobalId("Person", s.budi.pk);
      await refused(() => accredit(personId, valid), { code: "BAD_USER_INPUT", field: "institutionId", mentions: [personId] });
      await refused(() => accredit("", valid), { code: "BAD_USER_INPUT", field: "institutionId" });
      const missing = idOf(987654);
      await refused(() => accredit(missing, valid), { code: "NOT_FOUND", field: "institutionId", mentions: [missing] });
    });

    it("refuses anonymous callers and moderators", async () => {
      await refused(() => accredit(idOf(s.denpasar.pk), valid, {}), { code: "UNAUTHENTICATED", mentions: ["addAccreditation"] });
      await refused(() => accredit(idOf(s.denpasar.pk), valid, as.MODERATOR), { code: "FORBIDDEN", mentions: ["addAccreditation", "MODERATOR"] });
    });

    it.each(["EDITOR", "ADMIN"] as const)("lets an %s add one", async (role) => {
      const made = await created({ name: `Lapas Kelas III Akreditasi ${role}`, kind: "LAPAS" });
      dataOf(await accredit(made.id, valid, as[role]));
      expect((await byId(made.id))!.accreditations).toEqual([{ code: "WBK", title: "Wilayah Bebas dari Korupsi", year: 2021 }]);
    });
  });
});

const INSTITUTION_FIELDS = `
  fragment InstitutionFields on Institution {
    id slug name shortName kind classification city province
    parent { id slug } children { slug } accreditations { code title year }
  }`;

const CREATE_INSTITUTION = `
  mutation CreateInstitution($input: CreateInstitutionInput!) { createInstitution(input: $input) { ...InstitutionFields } }
  ${INSTITUTION_FIELDS}`;

const UPDATE_INSTITUTION = `
  mutation UpdateInstitution($id: ID!, $input: UpdateInstitutionInput!) { updateInstitution(id: $id, input: $input) { ...InstitutionFields } }
  ${INSTITUTION_FIELDS}`;

const ADD_ACCREDITATION = `
  mutation AddAccreditation($institutionId: ID!, $input: AccreditationInput!) {
    addAccreditation(institutionId: $institutionId, input: $input) { id code title year institution { id } }
  }`;

const INSTITUTION_BY_ID = `
  query InstitutionById($id: ID) { institution(id: $id) { ...InstitutionFields } }
  ${INSTITUTION_FIELDS}`;

const INSTITUTION_BY_SLUG = `
  query InstitutionBySlug($slug: String) { institution(slug: $slug) { ...InstitutionFields } }
  ${INSTITUTION_FIELDS}`;

const INSTITUTIONS_FILTERED = `
  query InstitutionsFiltered($filter: InstitutionFilter) { institutions(first: 100, filter: $filter) { nodes { id } } }`;

const ALL_INSTITUTIONS = `
  query AllInstitutions { institutions(first: 100) { totalCount nodes { ...InstitutionFields } } }
  ${INSTITUTION_FIELDS}`;
