import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { toGlobalId } from "../../../src/kernel/ids";
import { NO_REQUEST } from "../../../src/kernel/request-context";
import { Role } from "../../../src/kernel/viewer";
import { AuthService } from "../../../src/services/auth.service";
import { useNewsroom } from "../../helpers/newsroom";
import { addStory } from "../../helpers/scenarios";
import { dataOf } from "../../helpers/server";
import type { TestServer } from "../../helpers/server";
import { bearer } from "../../helpers/tokens";
import { connect } from "../../helpers/ws";

const SEED_TEXT = fs.readFileSync(path.join(__dirname, "..", "..", "..", "src", "services", "seed", "seed-article.txt"), "utf8");

interface Entry {
  id: string;
  at: string;
  actor: { id: string; name: string; role: string } | null;
  operation: string | null;
  field: string;
  records: string[];
  address: string;
  outcome: string;
  requestId: string | null;
}

interface Trail {
  totalCount: number;
  nodes: Entry[];
  edges: Array<{ cursor: string }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** A token made as the command line makes it, with its id. */
async function tokenOf(t: TestServer, role: Role, name: string): Promise<{ headers: Record<string, string>; id: string; name: string }> {
  const { token, apiToken } = await new AuthService(t.server.db).createToken(NO_REQUEST, name, role);
  return { headers: bearer(token), id: apiToken.id, name };
}

/** A short pause, so that instants taken on either side of it differ (the trail keeps milliseconds). */
const tick = () => new Promise((resolve) => setTimeout(resolve, 15));

describe("the audit trail", () => {
  const { t, s, as } = useNewsroom({ roles: true });
  let editor: Awaited<ReturnType<typeof tokenOf>>;
  let otherEditor: Awaited<ReturnType<typeof tokenOf>>;

  beforeAll(async () => {
    editor = await tokenOf(t, Role.EDITOR, "Redaktur Audit");
    otherEditor = await tokenOf(t, Role.EDITOR, "Redaktur Lain");
  });

  const trail = async (variables: Record<string, unknown>): Promise<Trail> => dataOf<{ auditTrail: Trail }>(await t.gql(TRAIL, variables, as.ADMIN)).auditTrail;
  const asEditor = <T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, requestId: string) => t.gql<T>(query, variables, { ...editor.headers, "x-request-id": requestId });

  it("records a publish, an unpublish and a delete with the editor who made them, newest first, filtered by record, actor and time", async () => {
    const created = dataOf(await asEditor<{ createArticle: { id: string } }>(CREATE, { input: { title: "Jejak audit", body: "Isi." } }, "audit-create")).createArticle;
    const quote = dataOf(await asEditor<{ addQuote: { id: string } }>(ADD_QUOTE, { input: { articleId: created.id, speakerId: s.sari.id, text: "Semua tercatat." } }, "audit-quote")).addQuote;
    await tick();
    const beforePublish = new Date();
    await tick();
    dataOf(await asEditor(PUBLISH, { id: created.id }, "audit-publish"));
    await tick();
    const afterPublish = new Date();
    await tick();
    dataOf(await asEditor(UNPUBLISH, { id: created.id }, "audit-unpublish"));
    dataOf(await asEditor(DELETE, { id: created.id }, "audit-delete"));
    // Another editor's change to another story, in the same time range.
    const others = dataOf<{ createArticle: { id: string } }>(await t.gql(CREATE, { input: { title: "Bukan jejak ini", body: "Isi." } }, otherEditor.headers)).createArticle;

    const ofStory = await trail({ filter: { record: created.id } });
    expect(ofStory.nodes.map((e) => [e.field, e.operation, e.outcome, e.requestId])).toEqual([
      ["deleteArticle", "Delete", "OK", "audit-delete"],
      ["unpublishArticle", "Unpublish", "OK", "audit-unpublish"],
      ["publishArticle", "Publish", "OK", "audit-publish"],
      ["addQuote", "AddQuote", "OK", "audit-quote"],
      ["createArticle", "Create", "OK", "audit-create"],
    ]);
    expect(ofStory.totalCount).toBe(5);
    for (const entry of ofStory.nodes) {
      expect(entry.actor).toEqual({ id: editor.id, name: "Redaktur Audit", role: "EDITOR" });
      expect(entry.address).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
      expect(entry.records).toContain(created.id);
    }
    // The delete names what went with the story: its quote.
    const [deleted, , published] = ofStory.nodes;
    expect(deleted!.records).toEqual(expect.arrayContaining([created.id, quote.id]));
    expect(published!.records).toEqual(expect.arrayContaining([created.id]));
    expect(Date.parse(published!.at)).toBeGreaterThanOrEqual(beforePublish.getTime());
    expect(Date.parse(published!.at)).toBeLessThan(afterPublish.getTime());
    expect(await trail({ filter: { record: quote.id } })).toMatchObject({ nodes: [{ field: "deleteArticle" }, { field: "addQuote" }] });

    const byActor = await trail({ filter: { actor: otherEditor.id } });
    expect(byActor.nodes.map((e) => [e.field, e.records])).toEqual([["createArticle", [others.id]]]);

    const since = await trail({ filter: { actor: editor.id, since: afterPublish.toISOString() } });
    expect(since.nodes.map((e) => e.field)).toEqual(["deleteArticle", "unpublishArticle"]);
    const window = await trail({ filter: { actor: editor.id, since: beforePublish.toISOString(), until: afterPublish.toISOString() } });
    expect(window.nodes.map((e) => e.field)).toEqual(["publishArticle"]);
    const byField = await trail({ filter: { record: created.id, field: "publishArticle" } });
    expect(byField.nodes.map((e) => e.requestId)).toEqual(["audit-publish"]);
    expect((await trail({ filter: { record: created.id, operation: "Unpublish" } })).nodes.map((e) => e.field)).toEqual(["unpublishArticle"]);
  });

  it("pages the trail with cursors, newest first", async () => {
    for (let i = 0; i < 5; i++) dataOf(await t.gql(CREATE, { input: { title: `Halaman audit ${i}`, body: "Isi." } }, otherEditor.headers));
    const all = await trail({ filter: { actor: otherEditor.id }, first: 100 });
    expect(all.nodes.map((e) => Number(e.id))).toEqual([...all.nodes.map((e) => Number(e.id))].sort((a, b) => b - a));
    const first = await trail({ filter: { actor: otherEditor.id }, first: 2 });
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await trail({ filter: { actor: otherEditor.id }, first: 2, after: first.pageInfo.endCursor });
    expect([...first.nodes, ...second.nodes].map((e) => e.id)).toEqual(all.nodes.slice(0, 4).map((e) => e.id));
    expect(second.totalCount).toBe(all.totalCount);
    const bad = await t.gql(TRAIL, { first: 2, after: "bm90LWEtY3Vyc29y" }, as.ADMIN);
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
  });

  it("is for admins only: readers, moderators and editors are refused", async () => {
    const reader = await t.gql(TRAIL, {});
    expect(reader.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    for (const headers of [as.MODERATOR, as.EDITOR]) {
      const refused = await t.gql(TRAIL, {}, headers);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      // One role named once: admins alone may read it.
      expect(refused.body.errors?.[0]?.message).toMatch(/auditTrail needs the role ADMIN; this token's role is (MODERATOR|EDITOR)\./);
      expect(refused.body.data).toBeNull();
    }
    const bad = await t.gql(TRAIL, { filter: { record: "nonsense" } }, as.ADMIN);
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.record" });
  });

  it("keeps a refused attempt with its code when the caller has a token, and no entry for an anonymous one", async () => {
    const story = await t.server.db.transaction((em) => addStory(em, { title: "Sasaran percobaan" }));
    const id = toGlobalId("Article", story.pk);
    const moderator = await tokenOf(t, Role.MODERATOR, "Moderator Penasaran");
    const refused = await t.gql(DELETE, { id }, moderator.headers);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const anonymous = await t.gql(DELETE, { id });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    dataOf(await t.gql(PUBLISH, { id, at: "2020-01-01T00:00:00Z" }, editor.headers));
    const missing = await t.gql(UNPUBLISH, { id: toGlobalId("Article", 999_999) }, editor.headers);
    expect(missing.body.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");

    const ofStory = await trail({ filter: { record: id } });
    expect(ofStory.nodes.map((e) => [e.field, e.outcome, e.actor?.name ?? null])).toEqual([
      ["publishArticle", "OK", "Redaktur Audit"],
      ["deleteArticle", "FORBIDDEN", "Moderator Penasaran"],
    ]);
    expect((await trail({ filter: { record: toGlobalId("Article", 999_999) } })).nodes.map((e) => [e.field, e.outcome])).toEqual([["unpublishArticle", "NOT_FOUND"]]);
    expect((await trail({ filter: { outcome: "FORBIDDEN", actor: moderator.id } })).totalCount).toBe(1);
  });

  it("records a reader's comment without an actor, and a refused change only as refused, with the ids it was given", async () => {
    const story = await t.server.db.transaction((em) => addStory(em, { title: "Cerita untuk komentar audit" }));
    const articleId = toGlobalId("Article", story.pk);
    const comment = dataOf<{ addComment: { id: string } }>(await t.gql(ADD_COMMENT, { input: { articleId, authorName: "Pembaca", authorEmail: "pembaca.audit@contoh.id", body: "Bagus." } })).addComment;
    const taken = await t.gql(CREATE, { input: { title: "Lain", body: "Isi.", slug: "jejak-audit-sengaja", institutionIds: [articleId] } }, editor.headers);
    expect(taken.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");

    const ofStory = await trail({ filter: { record: articleId } });
    expect(ofStory.nodes.map((e) => [e.field, e.outcome, e.actor])).toEqual([
      // A refused create names the ids it was given; it stored nothing, so it names nothing it made.
      ["createArticle", "BAD_USER_INPUT", { id: editor.id, name: "Redaktur Audit", role: "EDITOR" }],
      ["addComment", "OK", null],
    ]);
    expect(ofStory.nodes[1]!.records.sort()).toEqual([articleId, comment.id].sort());
    // Arguments' values are not kept: the commenter's email is nowhere in the trail.
    const raw = await t.server.db.reader.query(`SELECT * FROM audit_entry`);
    expect(JSON.stringify(raw)).not.toContain("pembaca.audit@contoh.id");
  });

  it("names what an import created and linked", async () => {
    const imported = dataOf<{ importArticle: { id: string; institutions: Array<{ id: string }>; people: Array<{ id: string }>; quotes: Array<{ id: string }> } }>(
      await t.gql(IMPORT, { text: SEED_TEXT }, editor.headers),
    ).importArticle;
    const [entry] = (await trail({ filter: { record: imported.id } })).nodes;
    expect(entry).toMatchObject({ field: "importArticle", outcome: "OK" });
    const named = [imported.id, ...imported.institutions.map((i) => i.id), ...imported.people.map((p) => p.id), ...imported.quotes.map((q) => q.id)];
    expect(entry!.records).toEqual(expect.arrayContaining(named));
    expect((await trail({ filter: { record: imported.people[0]!.id } })).nodes[0]!.field).toBe("importArticle");
    // Deleting the story withdraws what its sources stated: the delete names those records too.
    dataOf(await t.gql(DELETE, { id: imported.id }, editor.headers));
    const [deleted] = (await trail({ filter: { record: imported.id } })).nodes;
    expect(deleted).toMatchObject({ field: "deleteArticle", outcome: "OK" });
    expect(deleted!.records).toEqual(expect.arrayContaining(named));
  });

  it("records a mutation over WebSocket with its actor", async () => {
    const client = connect(t.server.port, { authorization: editor.headers.authorization });
    try {
      const result = await client.subscribe<{ createPerson: { id: string } }>(`mutation Langsung { createPerson(input: { name: "Orang Lewat Soket" }) { id } }`).waitFor(1);
      const id = result[0]!.data!.createPerson.id;
      expect((await trail({ filter: { record: id } })).nodes.map((e) => [e.field, e.operation, e.actor?.id, e.requestId])).toEqual([["createPerson", "Langsung", editor.id, expect.any(String)]]);
    } finally {
      await client.close();
    }
  });

  it("answers the example of docs/api.md", async () => {
    const docs = fs.readFileSync(path.join(__dirname, "..", "..", "..", "docs", "api.md"), "utf8");
    const example = /^```graphql\n([^]*?)^```$/m.exec(docs.slice(docs.indexOf("## The audit trail (admins)")))![1]!;
    const story = dataOf<{ createArticle: { id: string } }>(await t.gql(CREATE, { input: { title: "Contoh dokumen", body: "Isi." } }, editor.headers)).createArticle;
    const res = dataOf<{ ofStory: { nodes: Entry[] }; lastWeek: Trail }>(await t.gql(example, { story: story.id, editor: editor.id }, as.ADMIN));
    expect(res.ofStory.nodes.map((e) => [e.field, e.actor?.id])).toEqual([["createArticle", editor.id]]);
  });

  it("has no mutation that changes or removes an entry", async () => {
    const { __schema } = dataOf<{ __schema: { mutationType: { fields: Array<{ name: string; type: TypeRef; args: Array<{ name: string; type: TypeRef }> }> } } }>(
      await t.gql(`{ __schema { mutationType { fields { name type { ...T } args { name type { ...T } } } } } } fragment T on __Type { name kind ofType { name kind ofType { name kind ofType { name kind } } } }`, {}, as.ADMIN),
    );
    const touching = __schema.mutationType.fields.filter((f) => /audit/i.test(f.name) || /^Audit/.test(namedOf(f.type)) || f.args.some((a) => /audit/i.test(a.name) || /^Audit/.test(namedOf(a.type))));
    expect(touching.map((f) => f.name)).toEqual([]);
  });
});

interface TypeRef {
  name: string | null;
  kind: string;
  ofType: TypeRef | null;
}

function namedOf(type: TypeRef): string {
  return type.ofType ? namedOf(type.ofType) : (type.name ?? "");
}

const TRAIL = `query Trail($filter: AuditFilter, $first: Int, $after: String) {
  auditTrail(filter: $filter, first: $first, after: $after) {
    totalCount
    nodes { id at actor { id name role } operation field records address outcome requestId }
    edges { cursor }
    pageInfo { hasNextPage endCursor }
  }
}`;
const CREATE = `mutation Create($input: CreateArticleInput!) { createArticle(input: $input) { id } }`;
const PUBLISH = `mutation Publish($id: ID!, $at: DateTime) { publishArticle(id: $id, at: $at) { status } }`;
const UNPUBLISH = `mutation Unpublish($id: ID!) { unpublishArticle(id: $id) { status } }`;
const DELETE = `mutation Delete($id: ID!) { deleteArticle(id: $id) }`;
const ADD_QUOTE = `mutation AddQuote($input: AddQuoteInput!) { addQuote(input: $input) { id } }`;
const ADD_COMMENT = `mutation Comment($input: AddCommentInput!) { addComment(input: $input) { id } }`;
const IMPORT = `mutation Import($text: String!) { importArticle(text: $text) { id institutions { id } people { id } quotes { id } } }`;
