import fs from "node:fs";
import path from "node:path";
import express from "express";
import type { Request, Response, Router } from "express";
import { strongEtag } from "../kernel/etag";
import { renderDeskPage } from "./desk.page";

/** Options of {@link createDeskRouter}. */
export interface DeskOptions {
  /** The GraphQL endpoint below the router's mount point, which the page talks to. */
  readonly endpoint: string;
}

/** A file served as it was read at start: body, type and a strong ETag over the body. */
interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

/** The folder of the desk's browser files: next to this module in src/ and, copied by the build, in dist/src/. */
const ASSETS = path.join(__dirname, "assets");

const TYPES: Readonly<Record<string, string>> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

/** Every browser file of the desk, read once at start; a missing folder stops the server rather than serving a page without its script. */
function readAssets(): Map<string, Asset> {
  if (!fs.existsSync(ASSETS)) throw new Error(`the desk's browser files are not at ${ASSETS}: was the build's copy of src/desk/assets skipped?`);
  const assets = new Map<string, Asset>();
  for (const name of fs.readdirSync(ASSETS).sort()) {
    const type = TYPES[path.extname(name)];
    if (type === undefined) continue;
    const body = fs.readFileSync(path.join(ASSETS, name));
    assets.set(name, { body, type, etag: strongEtag(body) });
  }
  return assets;
}

/**
 * The page's CSP: the ticker's (this server's own scripts, styles and API only, no inline code)
 * and stricter: no WebSocket, never framed, and Trusted Types required, so that a string reaching
 * an HTML sink (innerHTML and the like) throws instead of being parsed; the page writes a story's
 * text as text only.
 */
export const DESK_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join("; ");

function sendAsset(req: Request, res: Response, file: Asset): void {
  res.set({
    "content-type": file.type,
    etag: file.etag,
    // Revalidated on every load (a 304 while unchanged), so an editor never runs a stale desk against a new API.
    "cache-control": "no-cache",
    "x-content-type-options": "nosniff",
    "cross-origin-resource-policy": "same-origin",
  });
  if (req.get("if-none-match") === file.etag) {
    res.status(304).end();
    return;
  }
  res.send(file.body);
}

/**
 * An express router serving the editor's desk: the page on GET `/desk` and its files below it
 * (`/desk/desk.js` and the modules it imports, `/desk/desk.css`). Everything the page loads is
 * served here; it reads and writes only through the GraphQL endpoint, with the token the editor
 * gives it, so it can do nothing that token could not do through the API.
 */
export function createDeskRouter(options: DeskOptions): Router {
  const assets = readAssets();
  const router = express.Router();
  router.get("/desk", (req, res) => {
    res.set({
      "content-security-policy": DESK_POLICY,
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "no-referrer",
      "cross-origin-opener-policy": "same-origin",
      // The same page for everyone (no story, no token is in it); revalidated so a release shows at once.
      "cache-control": "no-cache",
    });
    res.type("html").send(renderDeskPage({ base: req.baseUrl, endpoint: req.baseUrl + options.endpoint }));
  });
  router.get("/desk/:file", (req, res, next) => {
    const file = assets.get(req.params.file);
    if (file === undefined) {
      next();
      return;
    }
    sendAsset(req, res, file);
  });
  return router;
}
