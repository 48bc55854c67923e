import fs from "node:fs";
import path from "node:path";
import express from "express";
import type { Request, Router } from "express";
import { ruruHTML } from "ruru/server";
import { DEFAULT_PLAYGROUND_HEADERS } from "./default-query";

// GraphiQL comes from `ruru`, which ships GraphiQL 5 prebuilt (React, the Monaco editors and their
// workers, graphql-ws) as static files served here from node_modules, so the playground needs no
// build step of ours and no network beyond this server, unlike bundling `graphiql` with esbuild.

/** Where the playground's own files are served, below the router's mount point. */
export const PLAYGROUND_ASSETS_PATH = "/playground";

/**
 * The playground's icon: a folded newspaper in two colours, small enough to live here. Browsers
 * ask for `/favicon.ico` whatever the page says, and accept an SVG there by its content type.
 */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">' +
  '<rect x="3" y="5" width="26" height="22" rx="3" fill="#1d4ed8"/>' +
  '<rect x="7" y="9" width="18" height="4" fill="#fff"/>' +
  '<rect x="7" y="16" width="8" height="7" fill="#fff"/>' +
  '<rect x="17" y="16" width="8" height="2" fill="#fff"/><rect x="17" y="21" width="8" height="2" fill="#fff"/>' +
  "</svg>";

/** Options of {@link createPlaygroundRouter}. */
export interface PlaygroundOptions {
  /**
   * Path of the GraphQL endpoint below the router's mount point, e.g. `/graphql`. The page is
   * served on GET of this path and sends operations to it: queries and mutations over HTTP,
   * subscriptions over graphql-ws (`graphql-transport-ws`) on the same path.
   */
  endpoint: string;
  /** The operation in the editor on a first visit; later visits restore the visitor's own tabs. */
  defaultQuery: string;
}

// What Apollo answers a GraphQL request with: a client that ranks any of these at least as high as
// HTML (curl's and fetch's `*/*`, for one) is an API client and gets Apollo.
const GRAPHQL_RESPONSE_TYPES = ["application/json", "application/graphql-response+json", "multipart/mixed"];

/**
 * An express router serving a self-hosted GraphiQL on GET `options.endpoint` to browsers, and its
 * assets below {@link PLAYGROUND_ASSETS_PATH}. Mount it before the GraphQL middleware: it hands
 * every GraphQL request (POST, and GET with a `query` or `extensions` parameter) and every request
 * that does not prefer HTML on to `next()`. Nothing the page loads comes from another origin.
 */
export function createPlaygroundRouter(options: PlaygroundOptions): Router {
  const assets = ruruStaticFolder();
  const router = express.Router();

  router.get(options.endpoint, (req, res, next) => {
    if (!wantsPlayground(req)) {
      next();
      return;
    }
    // Paths are built from the mount point so the page also works when the router is mounted below `/`.
    const html = ruruHTML({
      endpoint: req.baseUrl + options.endpoint,
      staticPath: `${req.baseUrl}${PLAYGROUND_ASSETS_PATH}/`,
      htmlParts: {
        titleTag: "<title>Newsroom GraphQL playground</title>",
        metaTags: (original) => `${original}\n<link rel="icon" type="image/svg+xml" href="${req.baseUrl}/favicon.ico" />`,
      },
      clientConfig: {
        defaultQuery: options.defaultQuery,
        defaultHeaders: DEFAULT_PLAYGROUND_HEADERS,
        isHeadersEditorEnabled: true,
        // Ruru's other tools explain Grafast plans and PostGraphile SQL, which this server does not produce.
        debugTools: [],
      },
    });
    // The same URL answers JSON to API clients, so caches must key on Accept.
    res.vary("Accept");
    res.set("Cache-Control", "no-cache");
    res.type("html").send(html);
  });

  router.get("/favicon.ico", (_req, res) => {
    // It changes only with a release; a day keeps browsers from asking on every visit.
    res.set("Cache-Control", "public, max-age=86400");
    res.type("image/svg+xml").send(FAVICON_SVG);
  });

  // Plain files rather than ruru's own `serveStatic`: that one loads its brotli bundle through a
  // dynamic import(), which fails inside Jest's module sandbox, where the tests run this server.
  router.use(PLAYGROUND_ASSETS_PATH, express.static(assets, { index: false, redirect: false, fallthrough: true }));

  return router;
}

function wantsPlayground(req: Request): boolean {
  // A GraphQL GET carries its operation in the query string (only `extensions` for a persisted query).
  if ("query" in req.query || "extensions" in req.query) return false;
  return req.headers.accept !== undefined && req.accepts([...GRAPHQL_RESPONSE_TYPES, "text/html"]) === "text/html";
}

/** ruru's folder of prebuilt files, found from its `ruru/static` entry (its package.json is not exported). */
function ruruStaticFolder(): string {
  const folder = path.join(path.dirname(require.resolve("ruru/static")), "..", "static");
  if (!fs.existsSync(path.join(folder, "ruru.js"))) throw new Error(`ruru's prebuilt GraphiQL is not at ${folder}: has the ruru package changed its layout?`);
  return folder;
}
