import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { buildSchema } from "graphql";
import type { Browser, BrowserContext, Page, Response, WebSocket } from "playwright-core";
import { CHROMIUM, hasChromium, launchChromium } from "../helpers/browser";
import { dataOf, startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import { bearer, mintToken } from "../helpers/tokens";

/** Debian's Chromium; Playwright's own browser downloads are not available on these machines. */
if (!hasChromium) console.warn(`skipped: ${CHROMIUM} is absent, so the playground's browser test cannot run here (apt-get install chromium)`);

/**
 * The playground as a person uses it: Chromium opens /graphql with every request to another
 * origin refused (as on a machine without internet), browses the schema in the docs explorer,
 * runs the preloaded query, a mutation with a token typed into the headers editor, and a
 * subscription over graphql-ws.
 */
(hasChromium ? describe : describe.skip)("GraphiQL playground in Chromium", () => {
  let t: TestServer;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Every URL the page asked for, including refused ones; checked after each test. */
  let requested: string[];
  beforeAll(async () => {
    t = await startTestServer({ seed: true });
    base = `http://127.0.0.1:${t.server.port}`;
    browser = await launchChromium();
  }, 60_000);
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    requested = [];
    context.on("request", (request) => void requested.push(request.url()));
    await context.route("**/*", (route) => (isLocal(route.request().url(), base) ? route.continue() : route.abort("internetdisconnected")));
    page = await context.newPage();
  });
  afterEach(async () => {
    await context.close();
    expect(requested.filter((url) => !isLocal(url, base))).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it("runs the preloaded seed story query and shows the story's title", async () => {
    await openPlayground(page, base);
    expect(await editorText(page, OPERATION_EDITOR)).toContain("query SeedStory");
    expect(await editorText(page, HEADERS_EDITOR)).toContain('"Authorization": "Bearer <token>"');

    const response = await run(page);
    expect(await response.json()).toMatchObject({ data: { article: { title: TITLE, dateline: "BANYUWANGI", source: "Actanews.id" } } });
    await expectResultToShow(page, TITLE);
    await page.screenshot({ path: process.env.PLAYGROUND_SCREENSHOT ?? "/tmp/playground.png" });
  }, 60_000);

  it("shows the schema in the docs explorer, from the page's own introspection request", async () => {
    // Listening before the page loads: GraphiQL introspects as soon as it starts.
    const introspection = page.waitForResponse((r) => new URL(r.url()).pathname === "/graphql" && r.request().method() === "POST" && (r.request().postData() ?? "").includes("__schema"));
    await openPlayground(page, base);
    const response = await introspection;
    const answer = await response.json();
    expect(answer.errors).toBeUndefined();
    expect(response.status()).toBe(200);
    expect(answer.data.__schema.queryType.name).toBe("Query");

    await page.click(`.graphiql-sidebar button[aria-label="Show Documentation Explorer"]`);
    const explorer = page.locator(".graphiql-doc-explorer");
    await explorer.locator("a.graphiql-doc-explorer-type-name", { hasText: /^Query$/ }).first().click();
    await explorer.locator(".graphiql-doc-explorer-title", { hasText: /^Query$/ }).waitFor({ timeout: 10_000 });
    await explorer.locator(".graphiql-doc-explorer-field-name").first().waitFor({ timeout: 10_000 });
    // Every field of Query, as the emitted schema.graphql has it, is listed.
    const shown = await explorer.locator(".graphiql-doc-explorer-field-name").allTextContents();
    expect(shown.sort()).toEqual(Object.keys(QUERY_FIELDS).sort());
    expect(await explorer.textContent()).not.toContain("Error fetching schema");
  }, 60_000);

  it("runs a mutation with the token typed into the headers editor", async () => {
    const token = await mintToken(t, "EDITOR");
    await openPlayground(page, base);
    await replaceEditorText(page, HEADERS_EDITOR, JSON.stringify({ Authorization: `Bearer ${token}` }));
    await replaceOperation(page, CREATE_PERSON, "AddPerson");

    const response = await run(page);
    expect(response.request().headers()["authorization"]).toBe(`Bearer ${token}`);
    const body = await response.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.createPerson).toMatchObject({ name: PERSON, slug: "ratna-playground-sari" });
    await expectResultToShow(page, '"slug": "ratna-playground-sari"');
  }, 60_000);

  it("runs a subscription over graphql-ws on the page's own /graphql, with the headers as connection params", async () => {
    const token = await mintToken(t, "EDITOR");
    const created = dataOf<{ createArticle: { id: string } }>(await t.gql(CREATE_ARTICLE, { input: { title: LIVE_TITLE, body: "Badan berita." } }, bearer(token)));
    dataOf(await t.gql(PUBLISH_ARTICLE, { id: created.createArticle.id }, bearer(token)));

    await openPlayground(page, base);
    await replaceEditorText(page, HEADERS_EDITOR, JSON.stringify({ Authorization: `Bearer ${token}` }));
    const sent: string[] = [];
    // Listening from the socket's first moment, so that connection_init is not missed.
    const socket = new Promise<WebSocket>((resolve) =>
      page.once("websocket", (ws) => {
        ws.on("framesent", (frame) => void sent.push(String(frame.payload)));
        resolve(ws);
      }),
    );
    // From the first cursor, the feed replays the story published above: no race with the publish.
    await replaceOperation(page, `subscription Live { articlePublished(after: "${FIRST_CURSOR}") { type article { title } } }`, "Live");
    await page.click(EXECUTE);
    const ws = await socket;
    expect(ws.url()).toBe(`${base.replace(/^http/, "ws")}/graphql`);
    await expectResultToShow(page, `"title": "${LIVE_TITLE}"`);
    const messages = sent.map((frame) => JSON.parse(frame) as { type: string; payload?: Record<string, unknown> });
    // graphql-transport-ws: connection_init (carrying the headers editor's JSON), then subscribe.
    expect(messages.map((m) => m.type).slice(0, 2)).toEqual(["connection_init", "subscribe"]);
    expect(messages[0].payload).toEqual({ Authorization: `Bearer ${token}` });
  }, 60_000);
});

const TITLE = "Sukses Raih Predikat WBK, Lapas Banyuwangi Jadi Rujukan Studi Tiru Lapas Bojonegoro";
const PERSON = "Ratna Playground Sari";
const CREATE_PERSON = `mutation AddPerson { createPerson(input: { name: "${PERSON}" }) { id name slug } }`;
const LIVE_TITLE = "Berita Langsung dari Playground";
const FIRST_CURSOR = "0000000000000000";
const CREATE_ARTICLE = `mutation ($input: CreateArticleInput!) { createArticle(input: $input) { id } }`;
const PUBLISH_ARTICLE = `mutation ($id: ID!) { publishArticle(id: $id) { status } }`;

/** Query's fields in the emitted schema.graphql, which tests/api/schema.spec.ts keeps equal to what the server builds. */
const QUERY_FIELDS = buildSchema(fs.readFileSync(path.resolve(__dirname, "..", "..", "schema.graphql"), "utf8")).getQueryType()!.getFields();

const OPERATION_EDITOR = ".graphiql-query-editor";
/** The visible one of the variables and headers editors: {@link openPlayground} leaves Headers showing. */
const HEADERS_EDITOR = ".graphiql-editor-tool .graphiql-editor:not(.hidden)";
const EXECUTE = "button.graphiql-execute-button";

/** Same origin as the server, or a scheme that never leaves the machine. */
function isLocal(url: string, base: string): boolean {
  return url.startsWith(`${base}/`) || url === base || /^(data|blob):/.test(url);
}

/** Opens the page and waits for its editors, with the headers editor showing. */
async function openPlayground(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/graphql`);
  // The editors are Monaco: ready when the operation editor has rendered its lines.
  await page.locator(`${OPERATION_EDITOR} .view-lines`).first().waitFor({ timeout: 30_000 });
  await page.locator(".graphiql-editor-tools button", { hasText: "Headers" }).click();
  await page.locator(`${HEADERS_EDITOR} .view-lines`).first().waitFor({ timeout: 30_000 });
}

/** Presses the run button and returns the answer to the operation (not to the schema's introspection). */
async function run(page: Page): Promise<Response> {
  const response = page.waitForResponse((r) => new URL(r.url()).pathname === "/graphql" && r.request().method() === "POST" && !(r.request().postData() ?? "").includes("IntrospectionQuery"));
  await page.click(EXECUTE);
  return response;
}

/** What an editor shows, as text (Monaco renders spaces as no-break spaces, one div per line). */
async function editorText(page: Page, editor: string): Promise<string> {
  const lines = await page.locator(`${editor} .view-line`).allTextContents();
  return lines.join("\n").replace(/\u00a0/g, " ");
}

async function replaceEditorText(page: Page, editor: string, text: string): Promise<void> {
  await page.locator(`${editor} .monaco-editor`).first().click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  // insertText, not typing: Monaco would add a closing bracket for every opening one typed.
  await page.keyboard.insertText(text);
  await expectEditorToShow(page, editor, text.slice(0, 30));
}

/**
 * Replaces the operation, then waits for its name on the tab: GraphiQL picks up the operation
 * name a moment after an edit, and a run before that asks the server for the previous one.
 */
async function replaceOperation(page: Page, text: string, name: string): Promise<void> {
  await replaceEditorText(page, OPERATION_EDITOR, text);
  await page.locator(".graphiql-tab-button", { hasText: name }).waitFor({ timeout: 10_000 });
}

/**
 * Waits until the editor shows `text` (Monaco renders asynchronously), comparing with whitespace
 * collapsed because the result editor wraps long lines; fails with what it shows.
 */
async function expectEditorToShow(page: Page, editor: string, text: string): Promise<void> {
  const collapse = (s: string) => s.replace(/\s+/g, " ");
  const deadline = Date.now() + 10_000;
  let shown = collapse(await editorText(page, editor));
  while (!shown.includes(collapse(text)) && Date.now() < deadline) {
    await page.waitForTimeout(100);
    shown = collapse(await editorText(page, editor));
  }
  expect(shown).toContain(collapse(text));
}

async function expectResultToShow(page: Page, text: string): Promise<void> {
  await expectEditorToShow(page, ".graphiql-response", text);
}
