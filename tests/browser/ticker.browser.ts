import "reflect-metadata";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { CHROMIUM, hasChromium, launchChromium } from "../helpers/browser";
import { dataOf, startTestServer, tempSqliteFile } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import { bearer, mintToken } from "../helpers/tokens";

/** Debian's Chromium; Playwright's own browser downloads are not available on these machines. */
if (!hasChromium) console.warn(`skipped: ${CHROMIUM} is absent, so the ticker's browser test cannot run here (apt-get install chromium)`);

const SCREENSHOT = path.resolve(__dirname, "..", "..", "docs", "ticker.png");
const PHONE = { width: 390, height: 844 };

/**
 * The live ticker as readers see it: Chromium opens /live (and a page of another origin that
 * embeds it as a script and as an iframe) with every request elsewhere refused, while an editor
 * publishes, updates, unpublishes and deletes through the API, and the server is stopped and
 * started again under the open page.
 */
(hasChromium ? describe : describe.skip)("live ticker in Chromium", () => {
  const file = tempSqliteFile();
  let t: TestServer;
  let port: number;
  let base: string;
  let editor: Record<string, string>;
  let embedder: http.Server;
  let embedOrigin: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Every URL a page asked for; checked after each test to be this server's, the embedding page's or the image server's. */
  let requested: string[];
  /** The newsroom's picture server (in TICKER_IMAGE_ORIGINS), and another that is not: what each was asked for, with the Referer sent. */
  let images: http.Server;
  let imageOrigin: string;
  let elsewhere: http.Server;
  let elsewhereOrigin: string;
  let imageHits: Array<{ path: string; referer: string | undefined }>;
  let elsewhereHits: string[];
  /** CSP violations the pages reported (securitypolicyviolation events, and the console's "Refused to …"). */
  let violations: string[];

  const start = (serverPort: number) =>
    startTestServer({
      seed: true,
      file,
      keepFile: true,
      config: { http: { port: serverPort }, cors: { origins: [embedOrigin] }, ticker: { frameAncestors: `'self' ${embedOrigin}`, imageOrigins: [imageOrigin] } },
    });

  beforeAll(async () => {
    // The other site, on a port of its own: a page with the script-tag embed, and one with the iframe.
    embedder = http.createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://embedder");
      const tag = url.searchParams.get("tag") ?? "";
      const body =
        url.pathname === "/frame"
          ? `<!doctype html><html><head><meta charset="utf-8"><title>Frame embed</title></head><body><h1>Another site</h1><iframe title="Latest news" src="${base}/live?tag=${tag}" width="400" height="500"></iframe></body></html>`
          : `<!doctype html><html><head><meta charset="utf-8"><title>Script embed</title><script src="${base}/live/ticker.js" defer></script></head><body><h1>Another site</h1><newsroom-ticker tag="${tag}" limit="5"></newsroom-ticker></body></html>`;
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(body);
    });
    await new Promise<void>((resolve) => embedder.listen(0, "127.0.0.1", resolve));
    embedOrigin = `http://127.0.0.1:${(embedder.address() as AddressInfo).port}`;
    images = http.createServer((req, res) => {
      const name = /^\/foto\/([a-z0-9-]+)\.svg$/.exec(req.url ?? "")?.[1];
      imageHits.push({ path: req.url ?? "", referer: req.headers.referer });
      if (name === undefined || name.startsWith("hilang")) res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      else res.writeHead(200, { "content-type": "image/svg+xml", "cache-control": "no-store" }).end(pictureOf(name));
    });
    await new Promise<void>((resolve) => images.listen(0, "127.0.0.1", resolve));
    imageOrigin = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
    elsewhere = http.createServer((req, res) => {
      elsewhereHits.push(req.url ?? "");
      res.writeHead(200, { "content-type": "image/svg+xml" }).end(pictureOf("asing"));
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, "127.0.0.1", resolve));
    elsewhereOrigin = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
    t = await start(0);
    port = t.server.port;
    base = `http://127.0.0.1:${port}`;
    editor = bearer(await mintToken(t, "EDITOR"));
    browser = await launchChromium();
  }, 60_000);
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 900, height: 640 } });
    requested = [];
    imageHits = [];
    elsewhereHits = [];
    violations = [];
    context.on("request", (request) => void requested.push(request.url()));
    // The other picture server is reachable, so that a request to it would really be made (and seen below).
    await context.route("**/*", (route) => (isLocal(route.request().url()) || route.request().url().startsWith(`${elsewhereOrigin}/`) ? route.continue() : route.abort("internetdisconnected")));
    // Through the browser's own protocol, so the /live page's CSP does not stop this script itself.
    await context.exposeFunction("reportViolation", (text: string) => void violations.push(text));
    await context.addInitScript(`document.addEventListener("securitypolicyviolation", (event) => void window.reportViolation(event.violatedDirective + " " + event.blockedURI), true);`);
    page = await context.newPage();
    watchConsole(page);
  });
  afterEach(async () => {
    await context.close();
    expect(requested.filter((url) => !isLocal(url))).toEqual([]);
    expect(elsewhereHits).toEqual([]);
    expect(violations).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await new Promise((resolve) => embedder?.close(resolve));
    await new Promise((resolve) => images?.close(resolve));
    await new Promise((resolve) => elsewhere?.close(resolve));
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  function isLocal(url: string): boolean {
    return url.startsWith(`${base}/`) || url.startsWith(`${embedOrigin}/`) || url.startsWith(`${imageOrigin}/`) || /^(data|blob):/.test(url);
  }

  function watchConsole(target: Page): void {
    target.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
  }

  /** A lead image on the newsroom's picture server (`origin` another to put it elsewhere). */
  const picture = (name: string, origin = imageOrigin) => ({ url: `${origin}/foto/${name}.svg`, width: 1200, height: 800, alt: `Foto ${name.replace(/-/g, " ")}`, caption: `Keterangan ${name}` });

  async function createStory(title: string, input: Record<string, unknown> = {}): Promise<{ id: string; slug: string }> {
    return dataOf<{ createArticle: { id: string; slug: string } }>(
      await t.gql(`mutation ($input: CreateArticleInput!) { createArticle(input: $input) { id slug } }`, { input: { title, body: `${title}.\n\nBadan berita.`, ...input } }, editor),
    ).createArticle;
  }

  async function publish(title: string, input: Record<string, unknown> = {}): Promise<{ id: string; slug: string }> {
    const story = await createStory(title, input);
    dataOf(await t.gql(`mutation ($id: ID!) { publishArticle(id: $id) { status } }`, { id: story.id }, editor));
    return story;
  }

  async function openTicker(target: Page, query = ""): Promise<Locator> {
    await target.goto(`${base}/live${query}`);
    const ticker = target.locator("newsroom-ticker");
    await ticker.locator(".status[data-state=live]").waitFor({ timeout: 10_000 });
    return ticker;
  }

  /** A headline's link, by its exact title. */
  function headline(ticker: Locator, title: string): Locator {
    return ticker.locator("li a", { hasText: new RegExp(`^${escapeRegExp(title)}$`) });
  }

  const titlesOf = (ticker: Locator) => ticker.locator("li a").allTextContents();

  it("shows the newest published stories, with aria-live, a connection state and links from TICKER_STORY_URL, and never a draft", async () => {
    await publish("Kemenkumham Jatim Gelar Rapat Koordinasi Pelayanan Publik");
    await publish("Lapas Kelas I Surabaya Terima Kunjungan Ombudsman");
    await createStory("Draf Rahasia Yang Belum Terbit");
    const ticker = await openTicker(page);
    await headline(ticker, "Lapas Kelas I Surabaya Terima Kunjungan Ombudsman").waitFor();
    const titles = await titlesOf(ticker);
    expect(titles.slice(0, 2)).toEqual(["Lapas Kelas I Surabaya Terima Kunjungan Ombudsman", "Kemenkumham Jatim Gelar Rapat Koordinasi Pelayanan Publik"]);
    expect(titles).not.toContain("Draf Rahasia Yang Belum Terbit");
    expect(await ticker.locator("ol").getAttribute("aria-live")).toBe("polite");
    expect(await ticker.locator(".status").textContent()).toBe("Live");
    expect(await ticker.getAttribute("state")).toBe("live");
    const link = headline(ticker, "Lapas Kelas I Surabaya Terima Kunjungan Ombudsman");
    expect(await link.getAttribute("href")).toBe("/articles/lapas-kelas-i-surabaya-terima-kunjungan-ombudsman");
    expect(await link.getAttribute("target")).toBe("_top");
    expect(await page.content()).not.toContain("Draf Rahasia");
  }, 60_000);

  it("shows each story's byline as text, and a byline changed on a published story in place", async () => {
    const author = async (name: string) => dataOf<{ createAuthor: { id: string } }>(await t.gql(`mutation ($input: CreateAuthorInput!) { createAuthor(input: $input) { id } }`, { input: { name } }, editor));
    const rina = (await author("Rina Wulandari")).createAuthor.id;
    const hostile = (await author("<b>Dimas</b> Pratama")).createAuthor.id;
    const story = await publish("Lapas Pemuda Madiun Gelar Pameran Karya Warga Binaan", { authorIds: [rina] });
    const ticker = await openTicker(page);
    const item = headline(ticker, "Lapas Pemuda Madiun Gelar Pameran Karya Warga Binaan").locator("..");
    await item.waitFor();
    expect(await item.locator(".byline").textContent()).toBe("by Rina Wulandari");

    dataOf(await t.gql(`mutation ($id: ID!, $input: UpdateArticleInput!) { updateArticle(id: $id, input: $input) { id } }`, { id: story.id, input: { authorIds: [rina, hostile] } }, editor));
    await item.locator(".byline", { hasText: "by Rina Wulandari, <b>Dimas</b> Pratama" }).waitFor({ timeout: 10_000 });
    expect(await item.locator(".byline b").count()).toBe(0);
  }, 60_000);

  it("shows a story published through the API on the open page within 1 s, then its update in place, and takes it down when unpublished", async () => {
    const ticker = await openTicker(page);
    const story = await publish("Warga Binaan Lapas Banyuwangi Panen Sayur Hidroponik");
    // The figure: on the open page within one second of the publish's answer.
    await headline(ticker, "Warga Binaan Lapas Banyuwangi Panen Sayur Hidroponik").waitFor({ timeout: 1000 });

    const item = await headline(ticker, "Warga Binaan Lapas Banyuwangi Panen Sayur Hidroponik").elementHandle();
    const position = (await titlesOf(ticker)).indexOf("Warga Binaan Lapas Banyuwangi Panen Sayur Hidroponik");
    dataOf(await t.gql(`mutation ($id: ID!, $input: UpdateArticleInput!) { updateArticle(id: $id, input: $input) { title } }`, { id: story.id, input: { title: "Warga Binaan Lapas Banyuwangi Panen Raya Sayur Hidroponik" } }, editor));
    await headline(ticker, "Warga Binaan Lapas Banyuwangi Panen Raya Sayur Hidroponik").waitFor({ timeout: 10_000 });
    // The same element, in the same place: changed in place rather than added again.
    expect(await item!.evaluate((a: { isConnected: boolean; textContent: string | null }) => a.isConnected && a.textContent)).toBe("Warga Binaan Lapas Banyuwangi Panen Raya Sayur Hidroponik");
    const titles = await titlesOf(ticker);
    expect(titles.indexOf("Warga Binaan Lapas Banyuwangi Panen Raya Sayur Hidroponik")).toBe(position);
    expect(titles).not.toContain("Warga Binaan Lapas Banyuwangi Panen Sayur Hidroponik");

    dataOf(await t.gql(`mutation ($id: ID!) { unpublishArticle(id: $id) { status } }`, { id: story.id }, editor));
    await headline(ticker, "Warga Binaan Lapas Banyuwangi Panen Raya Sayur Hidroponik").waitFor({ state: "detached", timeout: 10_000 });
  }, 60_000);

  it("takes a deleted story down, and a draft published and deleted meanwhile never shows", async () => {
    const ticker = await openTicker(page);
    const story = await publish("Rutan Kelas IIB Situbondo Resmikan Ruang Layanan Terpadu");
    await headline(ticker, "Rutan Kelas IIB Situbondo Resmikan Ruang Layanan Terpadu").waitFor({ timeout: 10_000 });
    dataOf(await t.gql(`mutation ($id: ID!) { deleteArticle(id: $id) }`, { id: story.id }, editor));
    await headline(ticker, "Rutan Kelas IIB Situbondo Resmikan Ruang Layanan Terpadu").waitFor({ state: "detached", timeout: 10_000 });

    // A draft deleted without ever being published leaves no trace; the story after it shows that the feed moved past it.
    const draft = await createStory("Draf Yang Dihapus Sebelum Terbit");
    dataOf(await t.gql(`mutation ($id: ID!) { deleteArticle(id: $id) }`, { id: draft.id }, editor));
    await publish("Bapas Jember Dampingi Klien Pemasyarakatan");
    await headline(ticker, "Bapas Jember Dampingi Klien Pemasyarakatan").waitFor({ timeout: 10_000 });
    expect(await titlesOf(ticker)).not.toContain("Draf Yang Dihapus Sebelum Terbit");
  }, 60_000);

  it("filters by the URL's institution, tag and person: a story outside the filter does not show", async () => {
    const institution = dataOf<{ createInstitution: { id: string; slug: string } }>(
      await t.gql(`mutation ($input: CreateInstitutionInput!) { createInstitution(input: $input) { id slug } }`, { input: { name: "Lapas Kelas IIA Jember", kind: "LAPAS" } }, editor),
    ).createInstitution;
    const person = dataOf<{ createPerson: { id: string; slug: string } }>(await t.gql(`mutation { createPerson(input: { name: "Sri Filter Wahyuni" }) { id slug } }`, {}, editor)).createPerson;
    await publish("Lapas Jember Sebelum Tiker Dibuka", { tags: ["pembinaan"], institutionIds: [institution.id], personIds: [person.id] });
    const ticker = await openTicker(page, `?institution=${institution.slug}&tag=pembinaan&person=${person.slug}`);
    await headline(ticker, "Lapas Jember Sebelum Tiker Dibuka").waitFor();

    // Published before the matching one: were either shown, it would be by the time the matching one is.
    await publish("Berita Lain Dengan Tag Sama", { tags: ["pembinaan"] });
    await publish("Lapas Jember Tanpa Tag", { institutionIds: [institution.id], personIds: [person.id] });
    await publish("Lapas Jember Tanpa Orang", { tags: ["pembinaan"], institutionIds: [institution.id] });
    await publish("Lapas Jember Gelar Pelatihan Kerja", { tags: ["pembinaan"], institutionIds: [institution.id], personIds: [person.id] });
    await headline(ticker, "Lapas Jember Gelar Pelatihan Kerja").waitFor({ timeout: 10_000 });
    expect(await titlesOf(ticker)).toEqual(["Lapas Jember Gelar Pelatihan Kerja", "Lapas Jember Sebelum Tiker Dibuka"]);

    // An unknown slug is said so, rather than shown as an empty list.
    const other = await context.newPage();
    await other.goto(`${base}/live?institution=tidak-ada-lembaga-ini`);
    await other.locator("newsroom-ticker .status[data-state=error]", { hasText: "tidak-ada-lembaga-ini" }).waitFor({ timeout: 10_000 });
  }, 60_000);

  it("resumes from the cursor kept in localStorage: a reload lists nothing twice, and a page opened later shows what it missed, once and in order", async () => {
    let lists = 0;
    page.on("request", (request) => {
      if (request.url().includes("operationName=TickerList")) lists++;
    });
    let ticker = await openTicker(page, "?tag=resume");
    await publish("Tiker Lanjut Satu", { tags: ["resume"] });
    await headline(ticker, "Tiker Lanjut Satu").waitFor({ timeout: 10_000 });
    expect(lists).toBe(1);

    await page.reload();
    ticker = page.locator("newsroom-ticker");
    await ticker.locator(".status[data-state=live]").waitFor({ timeout: 10_000 });
    await publish("Tiker Lanjut Dua", { tags: ["resume"] });
    await headline(ticker, "Tiker Lanjut Dua").waitFor({ timeout: 10_000 });
    expect(await titlesOf(ticker)).toEqual(["Tiker Lanjut Dua", "Tiker Lanjut Satu"]);
    // The reload showed the saved stories and followed from the saved cursor, without listing again.
    expect(lists).toBe(1);

    // Closed while three are published and one taken down; the next visit catches up.
    await page.close();
    await publish("Tiker Lanjut Tiga", { tags: ["resume"] });
    const fourth = await publish("Tiker Lanjut Empat", { tags: ["resume"] });
    await publish("Tiker Lanjut Lima", { tags: ["resume"] });
    dataOf(await t.gql(`mutation ($id: ID!) { unpublishArticle(id: $id) { status } }`, { id: fourth.id }, editor));
    page = await context.newPage();
    page.on("request", (request) => {
      if (request.url().includes("operationName=TickerList")) lists++;
    });
    ticker = await openTicker(page, "?tag=resume");
    await headline(ticker, "Tiker Lanjut Lima").waitFor({ timeout: 10_000 });
    expect(await titlesOf(ticker)).toEqual(["Tiker Lanjut Lima", "Tiker Lanjut Tiga", "Tiker Lanjut Dua", "Tiker Lanjut Satu"]);
    expect(lists).toBe(1);
  }, 60_000);

  it("works as <newsroom-ticker> on a page of another origin: lists over CORS, follows over WebSocket, links to that site's story pages", async () => {
    await publish("Tiker Di Situs Lain Sebelum", { tags: ["embed"] });
    await page.goto(`${embedOrigin}/?tag=embed`);
    const ticker = page.locator("newsroom-ticker");
    await ticker.locator(".status[data-state=live]").waitFor({ timeout: 10_000 });
    await headline(ticker, "Tiker Di Situs Lain Sebelum").waitFor({ timeout: 10_000 });
    await publish("Tiker Di Situs Lain Langsung", { tags: ["embed"] });
    await headline(ticker, "Tiker Di Situs Lain Langsung").waitFor({ timeout: 10_000 });
    expect(await titlesOf(ticker)).toEqual(["Tiker Di Situs Lain Langsung", "Tiker Di Situs Lain Sebelum"]);
    // A relative TICKER_STORY_URL is the embedding site's own path.
    expect(await headline(ticker, "Tiker Di Situs Lain Langsung").evaluate((a: { href: string }) => a.href)).toBe(`${embedOrigin}/articles/tiker-di-situs-lain-langsung`);
    expect(requested.some((url) => url.startsWith(`${base}/graphql?`))).toBe(true);
  }, 60_000);

  it("works in an iframe on a site TICKER_FRAME_ANCESTORS names", async () => {
    await publish("Tiker Dalam Bingkai", { tags: ["frame"] });
    await page.goto(`${embedOrigin}/frame?tag=frame`);
    const ticker = page.frameLocator("iframe").locator("newsroom-ticker");
    await ticker.locator(".status[data-state=live]").waitFor({ timeout: 10_000 });
    await headline(ticker, "Tiker Dalam Bingkai").waitFor({ timeout: 10_000 });
  }, 60_000);

  it("shows a lead image from TICKER_IMAGE_ORIGINS as a loaded thumbnail (sized, alt text, lazy, no referrer), and none from another origin or that fails, without asking for it or a CSP violation", async () => {
    const gambar = { tags: ["gambar"] };
    await publish("Lapas Banyuwangi Resmikan Galeri Karya", { ...gambar, leadImage: picture("galeri-karya") });
    await publish("Foto Dari Luar Tidak Tampil", { ...gambar, leadImage: picture("asing", elsewhereOrigin) });
    await publish("Foto Yang Hilang Tidak Rusak", { ...gambar, leadImage: picture("hilang-sama-sekali") });
    const ticker = await openTicker(page, "?tag=gambar");
    const itemOf = (title: string) => headline(ticker, title).locator("..");
    await headline(ticker, "Foto Yang Hilang Tidak Rusak").waitFor({ timeout: 10_000 });

    const thumb = itemOf("Lapas Banyuwangi Resmikan Galeri Karya").locator("img.thumb");
    // Loaded and decoded: a picture, not a broken-image box.
    expect(await thumb.evaluate(async (img: { decode(): Promise<void>; naturalWidth: number }) => (await img.decode(), img.naturalWidth))).toBeGreaterThan(0);
    expect(await thumb.evaluate((img: { getAttribute(name: string): string | null; alt: string }) => ["src", "width", "height", "loading", "referrerpolicy"].map((name) => img.getAttribute(name)).concat(img.alt))).toEqual([
      picture("galeri-karya").url,
      "96",
      "64",
      "lazy",
      "no-referrer",
      "Foto galeri karya",
    ]);
    const box = (await thumb.boundingBox())!;
    expect([box.width, box.height]).toEqual([96, 64]);
    expect(imageHits.filter((hit) => hit.path === "/foto/galeri-karya.svg")).toEqual([{ path: "/foto/galeri-karya.svg", referer: undefined }]);
    // Not on an allowed origin: no picture, and nothing asked of that origin (afterEach checks the browser's requests too).
    expect(await itemOf("Foto Dari Luar Tidak Tampil").locator("img").count()).toBe(0);
    // On an allowed origin but gone: asked for once, then the item shows without a picture.
    await itemOf("Foto Yang Hilang Tidak Rusak").locator("img").waitFor({ state: "detached", timeout: 10_000 });
    expect(imageHits.filter((hit) => hit.path.startsWith("/foto/hilang"))).toHaveLength(1);

    // Live: a story published with a picture shows it; one whose picture moves elsewhere loses it.
    const live = await publish("Rutan Surabaya Buka Pojok Baca", { ...gambar, leadImage: picture("pojok-baca") });
    const liveThumb = itemOf("Rutan Surabaya Buka Pojok Baca").locator("img.thumb");
    await liveThumb.waitFor({ timeout: 10_000 });
    expect(await liveThumb.evaluate(async (img: { decode(): Promise<void>; naturalWidth: number }) => (await img.decode(), img.naturalWidth))).toBeGreaterThan(0);
    dataOf(await t.gql(`mutation ($id: ID!, $input: UpdateArticleInput!) { updateArticle(id: $id, input: $input) { id } }`, { id: live.id, input: { leadImage: picture("pindah", elsewhereOrigin) } }, editor));
    await liveThumb.waitFor({ state: "detached", timeout: 10_000 });

    // Embedded on another site, whose page sets no CSP: the element itself keeps to the allowed origin.
    const embedded = await context.newPage();
    watchConsole(embedded);
    await embedded.goto(`${embedOrigin}/?tag=gambar`);
    const embeddedTicker = embedded.locator("newsroom-ticker");
    await headline(embeddedTicker, "Foto Dari Luar Tidak Tampil").waitFor({ timeout: 10_000 });
    const embeddedThumb = headline(embeddedTicker, "Lapas Banyuwangi Resmikan Galeri Karya").locator("..").locator("img.thumb");
    expect(await embeddedThumb.evaluate(async (img: { decode(): Promise<void>; naturalWidth: number }) => (await img.decode(), img.naturalWidth))).toBeGreaterThan(0);
    expect(await headline(embeddedTicker, "Foto Dari Luar Tidak Tampil").locator("..").locator("img").count()).toBe(0);
    expect(await headline(embeddedTicker, "Rutan Surabaya Buka Pojok Baca").locator("..").locator("img").count()).toBe(0);
  }, 60_000);

  it("is readable on a phone: no sideways scrolling, headlines wrap", async () => {
    await page.setViewportSize(PHONE);
    await publish("Kanwil Kemenkumham Jawa Timur Canangkan Zona Integritas Menuju Wilayah Birokrasi Bersih dan Melayani di Seluruh Unit Pelaksana Teknis");
    const ticker = await openTicker(page);
    await headline(ticker, "Kanwil Kemenkumham Jawa Timur Canangkan Zona Integritas Menuju Wilayah Birokrasi Bersih dan Melayani di Seluruh Unit Pelaksana Teknis").waitFor();
    expect(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).toBe(true);
    const box = await ticker.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    expect(await page.locator("meta[name=viewport]").getAttribute("content")).toContain("width=device-width");
  }, 60_000);

  it("catches up after the server is stopped and started again on the same port and file: what was published meanwhile shows once, in order", async () => {
    // Realistic headlines under a tag of their own: the screenshot in the README is of this page.
    const jatim = { tags: ["jatim"] };
    await publish("Lapas Pemuda Madiun Latih Warga Binaan Membatik Tulis", { ...jatim, leadImage: picture("membatik-tulis") });
    const ticker = await openTicker(page, "?tag=jatim");
    const before = await publish("Kalapas Banyuwangi Terima Penghargaan Pelayanan Publik", jatim);
    await headline(ticker, "Kalapas Banyuwangi Terima Penghargaan Pelayanan Publik").waitFor({ timeout: 10_000 });

    await t.close();
    await ticker.locator(".status[data-state=reconnecting]").waitFor({ timeout: 10_000 });
    expect(await ticker.locator(".status").textContent()).toMatch(/^Reconnecting in \d+ s…$/);

    // Meanwhile, through another instance on another port (so the page cannot reach it): three
    // stories published and the one the page showed taken down.
    t = await start(0);
    const meanwhile = [
      "Rutan Surabaya Gelar Bakti Sosial di Hari Bhakti Pemasyarakatan",
      "Bapas Malang Perkuat Pembimbingan Klien Anak",
      "Lapas Madiun Raih Predikat Wilayah Bebas dari Korupsi",
    ];
    for (const [i, title] of meanwhile.entries()) await publish(title, { ...jatim, leadImage: picture(["bakti-sosial", "pembimbingan-klien", "predikat-wbk"][i]!) });
    dataOf(await t.gql(`mutation ($id: ID!) { unpublishArticle(id: $id) { status } }`, { id: before.id }, editor));
    await t.close();
    expect(await ticker.locator(".status").getAttribute("data-state")).not.toBe("live");

    t = await start(port);
    await ticker.locator(".status[data-state=live]").waitFor({ timeout: 30_000 });
    await headline(ticker, meanwhile[2]!).waitFor({ timeout: 10_000 });
    const titles = await titlesOf(ticker);
    expect(titles).toEqual([...meanwhile].reverse().concat("Lapas Pemuda Madiun Latih Warga Binaan Membatik Tulis"));

    // Still live on the new server.
    await publish("Kanwil Jawa Timur Luncurkan Layanan Kunjungan Daring", jatim);
    await headline(ticker, "Kanwil Jawa Timur Luncurkan Layanan Kunjungan Daring").waitFor({ timeout: 10_000 });
    expect((await titlesOf(ticker)).length).toBe(5);
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.locator("main").screenshot({ path: SCREENSHOT });
    await page.setViewportSize(PHONE);
    await page.locator("main").screenshot({ path: SCREENSHOT.replace(/\.png$/, "-phone.png") });
  }, 90_000);
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A made-up picture for the test's image server: sky, hills and a building, in colours of its own per name. */
function pictureOf(name: string): string {
  let hue = 0;
  for (const c of name) hue = (hue * 31 + c.charCodeAt(0)) % 360;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200" viewBox="0 0 300 200">
<rect width="300" height="200" fill="hsl(${hue} 55% 78%)"/>
<circle cx="240" cy="50" r="22" fill="hsl(${(hue + 40) % 360} 90% 70%)"/>
<path d="M0 150 Q75 105 150 140 T300 130 V200 H0 Z" fill="hsl(${(hue + 120) % 360} 35% 45%)"/>
<rect x="70" y="95" width="90" height="70" fill="hsl(${(hue + 200) % 360} 20% 92%)"/>
<path d="M60 98 L115 65 L170 98 Z" fill="hsl(${(hue + 10) % 360} 45% 40%)"/>
<rect x="105" y="130" width="20" height="35" fill="hsl(${(hue + 200) % 360} 25% 35%)"/>
</svg>`;
}
