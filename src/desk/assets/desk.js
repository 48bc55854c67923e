// The editor's desk: sign in with a token, then import stories (paste, see what the server read,
// correct it, import) and settle conflicts between sources. Everything goes through the GraphQL
// API with the editor's token; the page holds no rights of its own.
//
// The token is kept in sessionStorage: this tab only, gone when it closes, and sent by this
// script alone in the Authorization header. A cookie would travel with every request to the
// server, including ones other sites' pages make, which the API's design (no ambient credentials,
// see docs/security.md) rules out.
import { Api, VIEWER } from "./api.js";
import { ConflictsDesk } from "./conflicts.js";
import { bdi, h, replace } from "./dom.js";
import { recordView } from "./records.js";
import { ImportDesk } from "./review.js";

const TOKEN_KEY = "newsroom-desk:token";
const EDITORIAL = new Set(["EDITOR", "ADMIN"]);

const endpoint = new URL(document.querySelector('meta[name="newsroom-endpoint"]').content, location.href).href;
const signin = document.getElementById("signin");
const form = document.getElementById("signin-form");
const tokenInput = document.getElementById("token");
const notice = document.getElementById("notice");
const who = document.getElementById("who");
const nav = document.getElementById("nav");
const view = document.getElementById("view");
const live = h("p", { class: "sr-only", role: "status", "aria-live": "polite" });
document.body.append(live);

let api = null;
let importDesk = null;
let conflictsDesk = null;
const recordSection = h("section", { class: "record", "aria-live": "polite" });

/** Thrown in place of an API error once the token is refused: the page has signed out. */
class SignedOut extends Error {}

function announce(text) {
  live.textContent = "";
  // A change the screen reader hears even when the same words are said twice.
  setTimeout(() => (live.textContent = text), 50);
}

function say(text) {
  notice.hidden = !text;
  notice.textContent = text || "";
}

function readToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function keepToken(token) {
  try {
    if (token === null) sessionStorage.removeItem(TOKEN_KEY);
    else sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Without storage the desk still works until the page is reloaded.
  }
}

/** Runs an operation with the signed-in token; a refused token signs the page out. */
async function call(document, operationName, variables) {
  if (!api) throw new SignedOut();
  try {
    return await api.run(document, operationName, variables);
  } catch (error) {
    if (error.signedOut) {
      signOut(`Signed out: the server no longer accepts this token (${error.message}) It was revoked, or it is not a token of this server.`);
      throw new SignedOut();
    }
    throw error;
  }
}

function signOut(reason) {
  keepToken(null);
  api = null;
  importDesk = null;
  conflictsDesk = null;
  who.hidden = true;
  nav.hidden = true;
  replace(view);
  signin.hidden = false;
  say(reason);
  tokenInput.value = "";
  tokenInput.focus();
}

async function signIn(token) {
  const probe = new Api(endpoint, token);
  let me;
  try {
    ({ me } = await probe.run(VIEWER, "DeskViewer"));
  } catch (error) {
    if (error.signedOut) signOut(`The server does not accept this token (${error.message}) It was revoked, or it is not a token of this server.`);
    else say(error.message);
    return;
  }
  if (!me) {
    signOut("The server took this token for an anonymous reader. Give an EDITOR or ADMIN token.");
    return;
  }
  if (!EDITORIAL.has(me.role)) {
    signOut(`This token is ${me.name}'s, a ${me.role}: the desk previews and imports stories and settles conflicts, which only EDITOR and ADMIN tokens may do. Ask an admin for an editor's token.`);
    return;
  }
  keepToken(token);
  api = probe;
  importDesk = new ImportDesk({ call, announce });
  conflictsDesk = new ConflictsDesk({ call, announce });
  say("");
  signin.hidden = true;
  tokenInput.value = "";
  replace(
    who,
    "Signed in as ",
    h("strong", { class: "who-name" }, bdi(me.name)),
    " ",
    h("span", { class: "badge badge-role" }, me.role),
    " ",
    h("button", { type: "button", on: { click: () => signOut("Signed out.") } }, "Sign out"),
  );
  who.hidden = false;
  nav.hidden = false;
  await route();
}

/** Shows the view the address names: #import (the default), #conflicts, or a stored record. */
async function route() {
  if (!api) return;
  const [name, ...rest] = location.hash.replace(/^#/, "").split("/");
  const key = decodeURIComponent(rest.join("/"));
  for (const link of nav.querySelectorAll("a")) {
    if (link.getAttribute("href") === `#${name || "import"}`) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  try {
    if (name === "conflicts") {
      replace(view, conflictsDesk.element);
      focusHeading(conflictsDesk.element);
      await conflictsDesk.load();
    } else if ((name === "article" || name === "institution" || name === "person") && key) {
      replace(recordSection, h("p", { class: "status" }, "Loading…"));
      replace(view, recordSection);
      replace(recordSection, ...(await recordView(call, name, key)));
      focusHeading(recordSection);
    } else {
      replace(view, importDesk.element);
      if (name === "import") focusHeading(importDesk.element);
    }
  } catch (error) {
    if (error instanceof SignedOut) return;
    say(error.message);
  }
}

function focusHeading(section) {
  const heading = section.querySelector("h2");
  if (heading) heading.focus();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const token = tokenInput.value.trim();
  if (token) void signIn(token);
});
window.addEventListener("hashchange", () => void route());
// A desk left open elsewhere (another tab signed out, a revoked token) shows it on its next request.
window.addEventListener("unhandledrejection", (event) => {
  if (event.reason instanceof SignedOut) event.preventDefault();
});

const saved = readToken();
if (saved) void signIn(saved);
else {
  signin.hidden = false;
  tokenInput.focus();
}
