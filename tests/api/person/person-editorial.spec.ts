import "reflect-metadata";
import { toGlobalId } from "../../../src/kernel/ids";
import { dataOf } from "../../helpers/server";
import type { GraphQLResponse } from "../../helpers/server";
import { useNewsroom } from "../../helpers/newsroom";
import { expectRefused } from "../../helpers/refusal";
import type { ErrorExpectation } from "../../helpers/refusal";

interface PersonView {
  id: string;
  slug: string;
  name: string;
  positions: Array<{ id: string; title: string; current: boolean; institution: { id: string } }>;
}

interface PositionView {
  id: string;
  title: string;
  current: boolean;
  person: { id: string };
  institution: { id: string };
}

describe("person editorial mutations", () => {
  const { t, s, as } = useNewsroom({ roles: true });

  const personId = (pk: number) => toGlobalId("Person", pk);
  const institutionId = (pk: number) => toGlobalId("Institution", pk);
  const create = (input: Record<string, unknown>, headers: Record<string, string> = as.EDITOR) => t.gql<{ createPerson: PersonView }>(CREATE_PERSON, { input }, headers);
  const update = (id: string, input: Record<string, unknown>, headers: Record<string, string> = as.EDITOR) =>
    t.gql<{ updatePerson: PersonView }>(UPDATE_PERSON, { id, input }, headers);
  const assign = (input: Record<string, unknown>, headers: Record<string, string> = as.EDITOR) => t.gql<{ assignPosition: PositionView }>(ASSIGN_POSITION, { input }, headers);
  const created = async (input: Record<string, unknown>) => dataOf(await create(input)).createPerson;
  const byId = async (id: string) => dataOf<{ person: PersonView | null }>(await t.gql(PERSON_BY_ID, { id })).person;
  const bySlug = async (slug: string) => dataOf<{ person: PersonView | null }>(await t.gql(PERSON_BY_SLUG, { slug })).person;
  const peopleAt = async (institution: string) =>
    dataOf<{ people: { nodes: Array<{ id: string }> } }>(await t.gql(PEOPLE, { filter: { institutionId: institution } })).people.nodes.map((n) => n.id);

  /** Everything these mutations may write, as a reader sees it and as the database holds it. */
  const state = async () => ({
    api: dataOf<{ people: unknown }>(await t.gql(PEOPLE, {})).people,
    person: await t.server.db.reader.query("SELECT * FROM person ORDER BY id"),
    position: await t.server.db.reader.query("SELECT * FROM position ORDER BY id"),
    slugAlias: await t.server.db.reader.query("SELECT kind, slug, target_id FROM slug_alias ORDER BY id"),
  });

  /** Runs a mutation that must be refused, checks the error, and checks that it changed nothing. */
  const refused = (run: () => Promise<GraphQLResponse>, expected: ErrorExpectation) => expectRefused(run, expected, state, "person");

  describe("createPerson", () => {
    it("creates a person and reads them back by id, by slug and in lists", async () => {
      const made = await created({ name: "  Ni Luh   Putu Ayu  " });
      const expected: PersonView = { id: made.id, slug: "ni-luh-putu-ayu", name: "Ni Luh Putu Ayu", positions: [] };
      expect(made).toEqual(expected);
      expect(await byId(made.id)).toEqual(expected);
      expect(await bySlug("ni-luh-putu-ayu")).toEqual(expected);
      const found = dataOf<{ people: { nodes: Array<{ id: string; name: string }> } }>(await t.gql(PEOPLE, { filter: { search: "putu ayu" } }));
      expect(found.people.nodes).toEqual([{ id: made.id, name: "Ni Luh Putu Ayu", slug: "ni-luh-putu-ayu", positions: [] }]);
    });

    it("derives the slug from Indonesian text as lowercase ASCII with hyphens", async () => {
      expect((await created({ name: "Dr. Ir. Anak Agung Ngurah Gédé, S.H., M.Hum." })).slug).toBe("dr-ir-anak-agung-ngurah-gede-s-h-m-hum");
      expect((await created({ name: "I Wayan Nurasta Wibawa" })).slug).toBe("i-wayan-nurasta-wibawa");
    });

    it("suffixes -2, -3 when the derived slug is taken", async () => {
      const slugs = [];
      for (let i = 0; i < 3; i++) slugs.push((await created({ name: "Agus Salim" })).slug);
      expect(slugs).toEqual(["agus-salim", "agus-salim-2", "agus-salim-3"]);
      expect(await bySlug("agus-salim-3")).toMatchObject({ name: "Agus Salim", slug: "agus-salim-3" });
    });

    it("gives concurrent creates of the same name distinct slugs", async () => {
      const made = await Promise.all([1, 2, 3].map(() => created({ name: "Rina Serentak" })));
      expect(made.map((m) => m.slug).sort()).toEqual(["rina-serentak", "rina-serentak-2", "rina-serentak-3"]);
      for (const m of made) expect((await bySlug(m.slug))!.id).toBe(m.id);
    });

    it("takes a hand-picked slug as it is", async () => {
      const made = await created({ name: "Yohanes Pilihan", slug: "yohanes-2025" });
      expect(made.slug).toBe("yohanes-2025");
      expect((await bySlug("yohanes-2025"))!.id).toBe(made.id);
      expect(await bySlug("yohanes-pilihan")).toBeNull();
    });

    it("accepts a name of 200 characters", async () => {
      const made = await created({ name: `Nama ${"p".repeat(195)}` });
      expect((await byId(made.id))!.name).toHaveLength(200);
    });

    it.each([
      { label: "a name over 200 characters", input: { name: `Nama ${"p".repeat(196)}` }, field: "input.name", mentions: ["input.name", "200"] },
      { label: "a blank name", input: { name: " \n\t " }, field: "input.name", mentions: ["input.name", "blank"] },
      { label: "an empty name", input: { name: "" }, field: "input.name", mentions: ["input.name", "blank"] },
      { label: "a slug with capitals", input: { name: "Tolak Slug", slug: "Tolak-Slug" }, field: "input.slug", mentions: ["'Tolak-Slug'"] },
      { label: "a slug with spaces", input: { name: "Tolak Slug", slug: "tolak slug" }, field: "input.slug", mentions: ["'tolak slug'"] },
      { label: "a slug with a leading hyphen", input: { name: "Tolak Slug", slug: "-tolak" }, field: "input.slug", mentions: ["'-tolak'"] },
      { label: "an empty slug", input: { name: "Tolak Slug", slug: "" }, field: "input.slug", mentions: ["input.slug"] },
      { label: "a slug another person holds", input: { name: "Tolak Slug", slug: "sari-dewi" }, field: "input.slug", mentions: ["'sari-dewi'"] },
    ])("refuses $label with BAD_USER_INPUT and changes nothing", async ({ input, field, mentions }) => {
      await refused(() => create(input), { code: "BAD_USER_INPUT", field, mentions });
    });

    it("refuses anonymous callers and moderators", async () => {
      await refused(() => create({ name: "Tanpa Izin" }, {}), { code: "UNAUTHENTICATED", mentions: ["createPerson"] });
      await refused(() => create({ name: "Tanpa Izin" }, as.MODERATOR), { code: "FORBIDDEN", mentions: ["createPerson", "MODERATOR"] });
    });

    it.each(["EDITOR", "ADMIN"] as const)("lets an %s create", async (role) => {
      const made = dataOf(await create({ name: `Dibuat Oleh ${role}` }, as[role])).createPerson;
      expect((await byId(made.id))!.name).toBe(`Dibuat Oleh ${role}`);
    });
  });

  describe("updatePerson", () => {
    it("renames a person without changing the slug", async () => {
      const made = await created({ name: "Bambang Lama" });
      const updated = dataOf(await update(made.id, { name: "  Bambang   Baru " })).updatePerson;
      const expected = { id: made.id, slug: "bambang-lama", name: "Bambang Baru", positions: [] };
      expect(updated).toEqual(expected);
      expect(await byId(made.id)).toEqual(expected);
      expect(await bySlug("bambang-lama")).toEqual(expected);
    });

    it("changes nothing when the input is empty or null", async () => {
      const made = await created({ name: "Tetap Sama" });
      expect(dataOf(await update(made.id, {})).updatePerson).toEqual(made);
      expect(dataOf(await update(made.id, { name: null, slug: null })).updatePerson).toEqual(made);
      expect(await byId(made.id)).toEqual(made);
    });

    it("changes the slug by hand and keeps every former slug resolving to the person", async () => {
      const made = await created({ name: "Dewi Ganti Slug" });
      expect(dataOf(await update(made.id, { slug: "dewi-baru" })).updatePerson.slug).toBe("dewi-baru");
      for (const slug of ["dewi-ganti-slug", "dewi-baru"]) expect(await bySlug(slug)).toMatchObject({ id: made.id, slug: "dewi-baru" });
      dataOf(await update(made.id, { slug: "dewi-terbaru", name: "Dewi Terbaru" }));
      for (const slug of ["dewi-ganti-slug", "dewi-baru", "dewi-terbaru"]) expect(await bySlug(slug)).toMatchObject({ id: made.id, slug: "dewi-terbaru", name: "Dewi Terbaru" });
      // Back to the first slug: allowed, and the slug it leaves keeps resolving.
      dataOf(await update(made.id, { slug: "dewi-ganti-slug" }));
      for (const slug of ["dewi-ganti-slug", "dewi-baru", "dewi-terbaru"]) expect(await bySlug(slug)).toMatchObject({ id: made.id, slug: "dewi-ganti-slug" });
    });

    it("never hands a former slug to another person", async () => {
      const renamed = await created({ name: "Hendra Bekas" });
      dataOf(await update(renamed.id, { slug: "hendra-sekarang" }));
      expect((await created({ name: "Hendra Bekas" })).slug).toBe("hendra-bekas-2");
      await refused(() => create({ name: "Hendra Perebut", slug: "hendra-bekas" }), { code: "BAD_USER_INPUT", field: "input.slug", mentions: ["'hendra-bekas'"] });
      await refused(() => update(personId(s.ketut.pk), { slug: "hendra-bekas" }), { code: "BAD_USER_INPUT", field: "input.slug", mentions: ["'hendra-bekas'"] });
      expect(await bySlug("hendra-bekas")).toMatchObject({ id: renamed.id, slug: "hendra-sekarang" });
    });

    it.each([
      { label: "a name over 200 characters", input: { name: "p".repeat(201) }, field: "input.name", mentions: ["input.name", "200"] },
      { label: "a blank name", input: { name: "   " }, field: "input.name", mentions: ["input.name", "blank"] },
      { label: "a malformed slug", input: { name: "Tidak Berubah", slug: "budi_santoso" }, field: "input.slug", mentions: ["'budi_santoso'"] },
      { label: "a slug another person holds", input: { name: "Tidak Berubah", slug: "sari-dewi" }, field: "input.slug", mentions: ["'sari-dewi'"] },
    ])("refuses $label with BAD_USER_INPUT and changes nothing", async ({ input, field, mentions }) => {
      await refused(() => update(personId(s.budi.pk), input), { code: "BAD_USER_INPUT", field, mentions });
    });

    it("refuses an id of another type, a malformed id, and one that names nothing", async () => {
      const wrong = institutionId(s.surabaya.pk);
      await refused(() => update(wrong, { name: "Tidak Berubah" }), { code: "BAD_USER_INPUT", field: "id", mentions: [wrong] });
      await refused(() => update("bukan id", { name: "Tidak Berubah" }), { code: "BAD_USER_INPUT", field: "id", mentions: ["bukan id"] });
      const missing = personId(987654);
      await refused(() => update(missing, { name: "Tidak Berubah" }), { code: "NOT_FOUND", field: "id", mentions: [missing] });
    });

    it("refuses anonymous callers and moderators", async () => {
      await refused(() => update(personId(s.budi.pk), { name: "Tanpa Izin" }, {}), { code: "UNAUTHENTICATED", mentions: ["updatePerson"] });
      await refused(() => update(personId(s.budi.pk), { name: "Tanpa Izin" }, as.MODERATOR), { code: "FORBIDDEN", mentions: ["updatePerson", "MODERATOR"] });
    });

    it.each(["EDITOR", "ADMIN"] as const)("lets an %s update", async (role) => {
      const made = await created({ name: `Diubah ${role}` });
      dataOf(await update(made.id, { name: `Sudah Diubah ${role}` }, as[role]));
      expect((await byId(made.id))!.name).toBe(`Sudah Diubah ${role}`);
    });
  });

  describe("assignPosition", () => {
    it("records a position, current by default, and reads it back from the person, the institution and the people filter", async () => {
      const made = await created({ name: "Rudi Kalapas" });
      const position = dataOf(await assign({ personId: made.id, institutionId: institutionId(s.surabaya.pk), title: "  Kepala   Seksi Pembinaan " })).assignPosition;
      expect(position).toEqual({ id: expect.any(String), title: "Kepala Seksi Pembinaan", current: true, person: { id: made.id }, institution: { id: institutionId(s.surabaya.pk) } });
      expect((await byId(made.id))!.positions).toEqual([{ id: position.id, title: "Kepala Seksi Pembinaan", current: true, institution: { id: institutionId(s.surabaya.pk) } }]);
      const atSurabaya = dataOf<{ institution: { positions: Array<{ id: string; title: string; person: { id: string } }> } }>(
        await t.gql(INSTITUTION_POSITIONS, { id: institutionId(s.surabaya.pk) }),
      ).institution.positions;
      expect(atSurabaya).toContainEqual({ id: position.id, title: "Kepala Seksi Pembinaan", current: true, person: { id: made.id } });
      expect(await peopleAt(institutionId(s.surabaya.pk))).toContain(made.id);
      expect(await peopleAt(institutionId(s.denpasar.pk))).not.toContain(made.id);
    });

    it("records a past position, and keeps current ones first", async () => {
      const made = await created({ name: "Wati Mantan" });
      dataOf(await assign({ personId: made.id, institutionId: institutionId(s.denpasar.pk), title: "Kepala Rutan", current: false }));
      dataOf(await assign({ personId: made.id, institutionId: institutionId(s.surabaya.pk), title: "Kepala Lapas" }));
      expect((await byId(made.id))!.positions.map((p) => [p.title, p.current, p.institution.id])).toEqual([
        ["Kepala Lapas", true, institutionId(s.surabaya.pk)],
        ["Kepala Rutan", false, institutionId(s.denpasar.pk)],
      ]);
    });

    it("updates the same title at the same institution rather than repeating it", async () => {
      const made = await created({ name: "Joko Berulang" });
      const first = dataOf(await assign({ personId: made.id, institutionId: institutionId(s.denpasar.pk), title: "Kepala Rutan" })).assignPosition;
      const again = dataOf(await assign({ personId: made.id, institutionId: institutionId(s.denpasar.pk), title: " Kepala  Rutan ", current: false })).assignPosition;
      expect(again).toEqual({ ...first, current: false });
      expect((await byId(made.id))!.positions).toEqual([{ id: first.id, title: "Kepala Rutan", current: false, institution: { id: institutionId(s.denpasar.pk) } }]);
      // Another title, or another institution, is another position.
      dataOf(await assign({ personId: made.id, institutionId: institutionId(s.denpasar.pk), title: "Staf" }));
      dataOf(await assign({ personId: made.id, institutionId: institutionId(s.surabaya.pk), title: "Kepala Rutan" }));
      expect((await byId(made.id))!.positions).toHaveLength(3);
    });

    it("accepts a title of 200 characters", async () => {
      const made = await created({ name: "Judul Panjang" });
      dataOf(await assign({ personId: made.id, institutionId: institutionId(s.surabaya.pk), title: "J".repeat(200) }));
      expect((await byId(made.id))!.positions.map((p) => p.title)).toEqual(["J".repeat(200)]);
    });

    const valid = () => ({ personId: personId(s.ketut.pk), institutionId: institutionId(s.surabaya.pk), title: "Staf Baru" });
    it.each([
      { label: "a title over 200 characters", input: { title: "J".repeat(201) }, field: "input.title", mentions: ["input.title", "200"] },
      { label: "a blank title", input: { title: "  " }, field: "input.title", mentions: ["input.title", "blank"] },
      { label: "an empty title", input: { title: "" }, field: "input.title", mentions: ["input.title", "blank"] },
    ])("refuses $label with BAD_USER_INPUT and changes nothing", async ({ input, field, mentions }) => {
      await refused(() => assign({ ...valid(), ...input }), { code: "BAD_USER_INPUT", field, mentions });
    });

    it("refuses a person id of another type, a malformed one, and one that names nothing", async () => {
      const wrong = institutionId(s.denpasar.pk);
      await refused(() => assign({ ...valid(), personId: wrong }), { code: "BAD_USER_INPUT", field: "input.personId", mentions: [wrong] });
      await refused(() => assign({ ...valid(), personId: "???" }), { code: "BAD_USER_INPUT", field: "input.personId", mentions: ["???"] });
      const missing = personId(987654);
      await refused(() => assign({ ...valid(), personId: missing }), { code: "NOT_FOUND", field: "input.personId", mentions: [missing] });
    });

    it("refuses an institution id of another type, a malformed one, and one that names nothing", async () => {
      const wrong = personId(s.sari.pk);
      await refused(() => assign({ ...valid(), institutionId: wrong }), { code: "BAD_USER_INPUT", field: "input.institutionId", mentions: [wrong] });
      await refused(() => assign({ ...valid(), institutionId: "???" }), { code: "BAD_USER_INPUT", field: "input.institutionId", mentions: ["???"] });
      const missing = institutionId(987654);
      await refused(() => assign({ ...valid(), institutionId: missing }), { code: "NOT_FOUND", field: "input.institutionId", mentions: [missing] });
    });

    it("refuses anonymous callers and moderators", async () => {
      await refused(() => assign(valid(), {}), { code: "UNAUTHENTICATED", mentions: ["assignPosition"] });
      await refused(() => assign(valid(), as.MODERATOR), { code: "FORBIDDEN", mentions: ["assignPosition", "MODERATOR"] });
    });

    it.each(["EDITOR", "ADMIN"] as const)("lets an %s assign", async (role) => {
      const made = await created({ name: `Ditugaskan ${role}` });
      dataOf(await assign({ personId: made.id, institutionId: institutionId(s.denpasar.pk), title: `Jabatan ${role}` }, as[role]));
      expect((await byId(made.id))!.positions.map((p) => p.title)).toEqual([`Jabatan ${role}`]);
    });
  });
});

const PERSON_FIELDS = `
  fragment PersonFields on Person { id slug name positions { id title current institution { id } } }`;

const CREATE_PERSON = `
  mutation CreatePerson($input: CreatePersonInput!) { createPerson(input: $input) { ...PersonFields } }
  ${PERSON_FIELDS}`;

const UPDATE_PERSON = `
  mutation UpdatePerson($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { ...PersonFields } }
  ${PERSON_FIELDS}`;

const ASSIGN_POSITION = `
  mutation AssignPosition($input: PositionInput!) { assignPosition(input: $input) { id title current person { id } institution { id } } }`;

const PERSON_BY_ID = `
  query PersonById($id: ID) { person(id: $id) { ...PersonFields } }
  ${PERSON_FIELDS}`;

const PERSON_BY_SLUG = `
  query PersonBySlug($slug: String) { person(slug: $slug) { ...PersonFields } }
  ${PERSON_FIELDS}`;

const PEOPLE = `
  query People($filter: PersonFilter) { people(first: 100, filter: $filter) { totalCount nodes { name ...PersonFields } } }
  ${PERSON_FIELDS}`;

const INSTITUTION_POSITIONS = `
  query InstitutionPositions($id: ID) { institution(id: $id) { positions { id title current person { id } } } }`;
