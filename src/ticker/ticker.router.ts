import fs from "node:fs";
import path from "node:path";
import express from "express";
import type { Request, Response, Router } from "express";
import { strongEtag } from "../kernel/etag";
import { renderTickerPage, TICKER_FILTERS } from "./ticker.page";
import type { TickerFilters } from "./ticker.page";

/** Options of {@link createTickerRouter}, from the server's configuration. */
export interface TickerOptions {
  /** TICKER_STORY_URL: where a headline links, `{slug}` standing for the story's slug. */
  readonly storyUrl: string;
  /** TICKER_FRAME_ANCESTORS: the page's CSP `frame-ancestors` sources. */
  readonly frameAncestors: string;
  /** The GraphQL endpoint below the router's mount point, which the page's ticker talks to. */
  readonly endpoint: string;
  /** TICKER_IMAGE_ORIGINS: the origins thumbnails may come from, in the page's CSP `img-src` and in ticker.js; empty: none. */
  readonly imageOrigins: readonly string[];
}

/** A file served as it is built at start: body, type and a strong ETag over the body. */
interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_SLUG = 200;
// Only a plain host[:port] (or a bracketed IPv6 address) goes into the CSP; anything else falls back to 'self' alone.
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The folder of the ticker's browser files: next to this module in src/ and, copied by the build, in dist/src/. */
const ASSETS = path.join(__dirname, "assets");

function asset(body: Buffer, type: string): Asset {
  return { body, type, etag: strongEtag(body) };
}

/** Reads a browser file of the ticker once, at start; a missing one stops the server rather than serving 404s. */
function readAsset(name: string): Buffer {
  const file = path.join(ASSETS, name);
  if (!fs.existsSync(file)) throw new Error(`the ticker's ${name} is not at ${file}: was the build's copy of src/ticker/assets skipped?`);
  return fs.readFileSync(file);
}

function sendAsset(req: Request, res: Response, file: Asset): void {
  res.set({
    "content-type": file.type,
    etag: file.etag,
    // Short-lived so a new release reaches embedding pages soon; revalidation costs a 304.
    "cache-control": "public, max-age=300",
    "x-content-type-options": "nosniff",
    // Meant to be loaded by pages of other sites (the <script> embed).
    "cross-origin-resource-policy": "cross-origin",
  });
  if (req.get("if-none-match") === file.etag) {
    res.status(304).end();
    return;
  }
  res.send(file.body);
}

/**
 * The page's CSP: its own scripts, styles and API only, images also from TICKER_IMAGE_ORIGINS
 * (checked plain origins, config.ts), framed by whom TICKER_FRAME_ANCESTORS allows.
 */
function pagePolicy(req: Request, options: TickerOptions): string {
  // CSP3 lets 'self' cover ws: and wss: of the page's own host, but not every browser in use
  // does; the host is named as well when it is a plain one.
  const host = req.get("host");
  const sockets = host !== undefined && HOST.test(host) ? ` ws://${host} wss://${host}` : "";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src 'self'${sockets}`,
    ["img-src 'self'", ...options.imageOrigins].join(" "),
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${options.frameAncestors}`,
  ].join("; ");
}

/** The filters of a page's URL; a string naming what is wrong with one that is not a slug. */
function filtersOf(req: Request): TickerFilters | string {
  const filters: Record<string, string> = {};
  for (const name of TICKER_FILTERS) {
    const value: unknown = req.query[name];
    if (value === undefined || value === "") continue;
    if (typeof value !== "string") return `Give ${name} once, as one slug.`;
    if (value.length > MAX_SLUG || !SLUG.test(value)) return `The ${name} filter must be a slug (lowercase letters, digits and hyphens), got '${value.slice(0, MAX_SLUG)}'.`;
    filters[name] = value;
  }
  return filters;
}

/**
 * An express router serving the live ticker: the page on GET `/live` (filters from its query
 * string), and below it `ticker.js` (the `<newsroom-ticker>` custom element, which the page and
 * other sites' pages load) and `ticker.css` (the page's own layout). Everything the page loads
 * is served here; the element reads the newest stories with an anonymous GraphQL GET (cacheable)
 * and follows `articleEvents` over graphql-ws.
 */
export function createTickerRouter(options: TickerOptions): Router {
  // The image origins only when set, so a ticker without thumbnails is served as before.
  const defaults = JSON.stringify({ storyUrl: options.storyUrl, endpoint: options.endpoint, ...(options.imageOrigins.length > 0 ? { imageOrigins: options.imageOrigins } : {}) });
  // A replacer function, so that `$'`, `$&` and the like in a setting are written as they are, not expanded.
  const script = asset(Buffer.from(readAsset("ticker.js").toString("utf8").replace("/* TICKER_DEFAULTS */ {}", () => defaults)), "text/javascript; charset=utf-8");
  const style = asset(readAsset("ticker.css"), "text/css; charset=utf-8");
  const router = express.Router();

  router.get("/live", (req, res) => {
    const filters = filtersOf(req);
    res.set("x-content-type-options", "nosniff");
    if (typeof filters === "string") {
      res.status(400).type("text/plain").send(filters);
      return;
    }
    res.set({
      "content-security-policy": pagePolicy(req, options),
      "referrer-policy": "strict-origin-when-cross-origin",
      // The page is the same for everyone; the stories come from the API, live.
      "cache-control": "public, max-age=60",
    });
    res.type("html").send(renderTickerPage({ base: req.baseUrl, filters }));
  });
  router.get("/live/ticker.js", (req, res) => sendAsset(req, res, script));
  router.get("/live/ticker.css", (req, res) => sendAsset(req, res, style));
  return router;
}
