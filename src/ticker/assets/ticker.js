// The <newsroom-ticker> custom element: the newest published headlines of a newsroom server,
// kept current over graphql-ws (the graphql-transport-ws protocol, spoken by the small client
// below, so the page needs nothing but this file). Served by the server at /live/ticker.js; the
// server writes its defaults (TICKER_STORY_URL, the GraphQL path) into DEFAULTS.
//
//   <script src="https://news.example/live/ticker.js" defer></script>
//   <newsroom-ticker tag="hukum" limit="8"></newsroom-ticker>
//
// Attributes: institution, person, tag (slugs; every given one must hold), limit (1 to 50,
// default 10), story-url (a template with {slug}), endpoint (the GraphQL URL), link-target
// (default _top, so that a headline in an iframe opens in the whole window).
//
// A story's lead image shows as a thumbnail only when its address is on one of the server's
// TICKER_IMAGE_ORIGINS (written into DEFAULTS, and into the /live page's CSP img-src): an image
// anywhere else is never requested, so a page's policy never has to refuse one.
(() => {
  "use strict";

  const DEFAULTS = /* TICKER_DEFAULTS */ {};
  // Only while this file first runs does the document say which <script> loaded it.
  const SCRIPT_URL = document.currentScript && document.currentScript.src ? document.currentScript.src : location.href;
  const DEFAULT_ENDPOINT = new URL(`..${DEFAULTS.endpoint || "/graphql"}`, SCRIPT_URL).href;
  const DEFAULT_LIMIT = 10;
  const MAX_LIMIT = 50;
  const RETRY_MIN_MS = 500;
  const RETRY_MAX_MS = 15000;
  // v2: stories carry their lead image; a list saved without images is listed afresh.
  const STORAGE_PREFIX = "newsroom-ticker:v2:";
  const IMAGE_ORIGINS = Array.isArray(DEFAULTS.imageOrigins) ? DEFAULTS.imageOrigins : [];
  // The thumbnail's box, 3:2, as width/height attributes: its place is kept before it loads.
  const THUMB_WIDTH = 96;
  const THUMB_HEIGHT = 64;

  const FILTER_QUERY = `query TickerFilter($institution: String, $person: String, $withInstitution: Boolean!, $withPerson: Boolean!) {
  institution(slug: $institution) @include(if: $withInstitution) { id }
  person(slug: $person) @include(if: $withPerson) { id }
}`;
  // liveCursor first: the server reads it before the list, so following from it misses nothing.
  const LIST_QUERY = `query TickerList($first: Int!, $filter: ArticleFilter) {
  liveCursor
  articles(first: $first, filter: $filter) { nodes { id slug title publishedAt authors { name } leadImage { url alt caption } } }
}`;
  const EVENTS_SUBSCRIPTION = `subscription TickerEvents($filter: ArticleSubscriptionFilter, $after: String) {
  articleEvents(filter: $filter, after: $after) { cursor type article { id slug title publishedAt authors { name } leadImage { url alt caption } } }
}`;

  const STYLE = `
:host { display: block; font: inherit; color: inherit; container-type: inline-size; }
.ticker { border: 1px solid color-mix(in srgb, currentColor 20%, transparent); border-radius: 0.5rem; overflow: hidden; }
.status { display: flex; align-items: center; gap: 0.5rem; margin: 0; padding: 0.5rem 0.75rem; font-size: 0.875rem;
  background: color-mix(in srgb, currentColor 6%, transparent); }
.status::before { content: ""; flex: none; width: 0.625rem; height: 0.625rem; border-radius: 50%; background: #b0b0b0; }
.status[data-state="live"]::before { background: #1a9c3c; }
.status[data-state="connecting"]::before, .status[data-state="reconnecting"]::before { background: #d08a00; }
.status[data-state="offline"]::before, .status[data-state="error"]::before { background: #c62828; }
ol { list-style: none; margin: 0; padding: 0; }
li { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.25rem 0.75rem; padding: 0.625rem 0.75rem;
  border-top: 1px solid color-mix(in srgb, currentColor 12%, transparent); }
time { flex: none; font-size: 0.8125rem; font-variant-numeric: tabular-nums; opacity: 0.75; }
a { flex: 1 1 16rem; min-width: 0; color: inherit; font-weight: 600; line-height: 1.35; text-decoration: none; overflow-wrap: anywhere; }
a:hover, a:focus-visible { text-decoration: underline; }
.byline { flex: 1 1 100%; font-size: 0.8125rem; opacity: 0.75; }
.byline[hidden] { display: none; }
li.with-image { position: relative; padding-left: calc(1.5rem + ${THUMB_WIDTH}px); min-height: ${THUMB_HEIGHT}px; }
.thumb { position: absolute; left: 0.75rem; top: 0.625rem; width: ${THUMB_WIDTH}px; height: ${THUMB_HEIGHT}px; object-fit: cover;
  border-radius: 0.25rem; background: color-mix(in srgb, currentColor 8%, transparent); }
.empty { padding: 0.625rem 0.75rem; margin: 0; opacity: 0.75; }
@container (max-width: 24rem) { li { flex-direction: column; } a { flex-basis: auto; }
  li.with-image { padding-left: calc(1.5rem + ${(THUMB_WIDTH * 3) / 4}px); min-height: ${(THUMB_HEIGHT * 3) / 4}px; }
  .thumb { width: ${(THUMB_WIDTH * 3) / 4}px; height: ${(THUMB_HEIGHT * 3) / 4}px; } }
`;

  /** A graphql-transport-ws connection carrying one subscription; `handlers` hear what happens to it. */
  class LiveSocket {
    constructor(url, request, handlers) {
      this.handlers = handlers;
      this.closed = false;
      this.socket = new WebSocket(url, "graphql-transport-ws");
      this.socket.addEventListener("open", () => this.send({ type: "connection_init", payload: {} }));
      this.socket.addEventListener("message", (message) => this.receive(message.data, request));
      this.socket.addEventListener("close", (event) => this.end(`closed (${event.code})`));
      this.socket.addEventListener("error", () => this.end("failed"));
    }

    send(message) {
      if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
    }

    receive(data, request) {
      let message;
      try {
        message = JSON.parse(data);
      } catch {
        this.close(4400, "Invalid message");
        return;
      }
      switch (message.type) {
        case "connection_ack":
          this.handlers.onLive();
          this.send({ id: "1", type: "subscribe", payload: request() });
          break;
        case "ping":
          this.send({ type: "pong", payload: message.payload });
          break;
        case "next":
          if (message.payload && message.payload.errors && message.payload.errors.length) this.fail(message.payload.errors);
          else if (message.payload && message.payload.data) this.handlers.onData(message.payload.data);
          break;
        case "error":
          this.fail(message.payload);
          break;
        case "complete":
          this.close(1000, "Completed");
          break;
        default:
          break;
      }
    }

    fail(errors) {
      this.handlers.onErrors(Array.isArray(errors) ? errors : [errors]);
      this.close(1000, "Subscription failed");
    }

    close(code, reason) {
      if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close(code, reason);
      this.end("closed");
    }

    end(why) {
      if (this.closed) return;
      this.closed = true;
      this.handlers.onClose(why);
    }
  }

  /** An answer of the API with errors: `code` is the first error's extensions.code. */
  class ApiError extends Error {
    constructor(errors) {
      super(errors.map((e) => e.message).join(" "));
      this.code = errors[0] && errors[0].extensions ? errors[0].extensions.code : undefined;
    }
  }

  /** Runs a query as an anonymous GET, the kind the server and any cache in front can answer from cache. */
  async function query(endpoint, document, operationName, variables) {
    const url = new URL(endpoint);
    url.searchParams.set("query", document);
    url.searchParams.set("operationName", operationName);
    url.searchParams.set("variables", JSON.stringify(variables));
    const response = await fetch(url, { headers: { accept: "application/graphql-response+json, application/json" }, credentials: "omit" });
    const body = await response.json();
    if (body.errors && body.errors.length) throw new ApiError(body.errors);
    if (!response.ok || !body.data) throw new Error(`HTTP ${response.status}`);
    return body.data;
  }

  function storyHref(template, slug) {
    return template.split("{slug}").join(encodeURIComponent(slug));
  }

  const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
  const dateTimeFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

  function shownTime(iso) {
    const at = new Date(iso);
    if (Number.isNaN(at.getTime())) return "";
    return at.toDateString() === new Date().toDateString() ? timeFormat.format(at) : dateTimeFormat.format(at);
  }

  class NewsroomTicker extends HTMLElement {
    static get observedAttributes() {
      return ["institution", "person", "tag", "limit", "endpoint", "story-url", "link-target"];
    }

    constructor() {
      super();
      const root = this.attachShadow({ mode: "open" });
      if ("adoptedStyleSheets" in root && typeof CSSStyleSheet === "function" && "replaceSync" in CSSStyleSheet.prototype) {
        // A constructed sheet, not a <style>: a page whose CSP forbids inline styles still styles the element.
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(STYLE);
        root.adoptedStyleSheets = [sheet];
      } else {
        const style = document.createElement("style");
        style.textContent = STYLE;
        root.append(style);
      }
      const section = document.createElement("section");
      section.className = "ticker";
      section.setAttribute("aria-label", "Latest news");
      this.statusLine = document.createElement("p");
      this.statusLine.className = "status";
      this.statusLine.setAttribute("role", "status");
      this.list = document.createElement("ol");
      this.list.setAttribute("aria-live", "polite");
      this.list.setAttribute("aria-relevant", "additions text");
      this.emptyLine = document.createElement("p");
      this.emptyLine.className = "empty";
      this.emptyLine.textContent = "No stories yet.";
      this.emptyLine.hidden = true;
      section.append(this.statusLine, this.list, this.emptyLine);
      root.append(section);
      this.generation = 0;
      // Image addresses that failed to load (gone, or redirected where the page's CSP refuses): not asked for again.
      this.failedImages = new Set();
      this.onOnline = () => {
        if (this.retryTimer !== undefined) this.retryNow();
      };
    }

    connectedCallback() {
      window.addEventListener("online", this.onOnline);
      this.restart();
    }

    disconnectedCallback() {
      window.removeEventListener("online", this.onOnline);
      this.stop();
    }

    attributeChangedCallback(_name, before, after) {
      if (before !== after && this.isConnected && this.started) this.restart();
    }

    /** The connection state, shown in the status line and as the element's `state` attribute. */
    get state() {
      return this.statusLine.dataset.state || "connecting";
    }

    setState(state, text) {
      this.statusLine.dataset.state = state;
      this.statusLine.textContent = text;
      this.setAttribute("state", state);
    }

    settings() {
      const limit = Number.parseInt(this.getAttribute("limit") || "", 10);
      return {
        endpoint: new URL(this.getAttribute("endpoint") || DEFAULT_ENDPOINT, location.href).href,
        storyUrl: this.getAttribute("story-url") || DEFAULTS.storyUrl || "/articles/{slug}",
        linkTarget: this.getAttribute("link-target") || "_top",
        limit: Number.isInteger(limit) ? Math.min(Math.max(limit, 1), MAX_LIMIT) : DEFAULT_LIMIT,
        institution: this.getAttribute("institution") || null,
        person: this.getAttribute("person") || null,
        tag: this.getAttribute("tag") || null,
      };
    }

    stop() {
      this.generation++;
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      if (this.live) this.live.close(1000, "Ticker stopped");
      this.live = undefined;
    }

    restart() {
      this.stop();
      this.started = true;
      this.config = this.settings();
      this.attempt = 0;
      const c = this.config;
      // One saved state per server and filter; the limit may differ between pages and is applied on reading.
      this.storageKey = `${STORAGE_PREFIX}${JSON.stringify([c.endpoint, c.institution, c.person, c.tag])}`;
      this.feed = this.restore();
      this.render();
      this.setState("connecting", "Connecting…");
      if (this.feed) this.connect();
      else void this.load();
    }

    /** The saved feed: cursor, the filter's ids and the stories shown; null when none is usable. */
    restore() {
      try {
        const saved = JSON.parse(localStorage.getItem(this.storageKey) || "null");
        if (saved && typeof saved.cursor === "string" && Array.isArray(saved.stories) && saved.filter && Number.isInteger(saved.next)) return saved;
      } catch {
        // Storage may be off (private windows, sandboxed frames) or hold something else: start afresh.
      }
      return null;
    }

    save() {
      try {
        localStorage.setItem(this.storageKey, JSON.stringify(this.feed));
      } catch {
        // Without storage the ticker still works; a reload then starts from the newest stories.
      }
    }

    forget() {
      this.feed = null;
      try {
        localStorage.removeItem(this.storageKey);
      } catch {
        // As above.
      }
    }

    /** First visit (or a cursor the server no longer keeps): the filter's ids, the newest stories and the cursor they are as of. */
    async load() {
      const generation = this.generation;
      const c = this.config;
      try {
        const filter = {};
        if (c.institution || c.person) {
          const found = await query(c.endpoint, FILTER_QUERY, "TickerFilter", {
            institution: c.institution,
            person: c.person,
            withInstitution: Boolean(c.institution),
            withPerson: Boolean(c.person),
          });
          if (generation !== this.generation) return;
          if (c.institution && !found.institution) return this.setState("error", `No institution “${c.institution}”.`);
          if (c.person && !found.person) return this.setState("error", `No person “${c.person}”.`);
          if (c.institution) filter.institutionId = found.institution.id;
          if (c.person) filter.personId = found.person.id;
        }
        if (c.tag) filter.tag = c.tag;
        const data = await query(c.endpoint, LIST_QUERY, "TickerList", { first: MAX_LIMIT, filter: Object.keys(filter).length ? filter : null });
        if (generation !== this.generation) return;
        const count = data.articles.nodes.length;
        const stories = data.articles.nodes.map((story, index) => ({ ...pick(story), order: count - index }));
        this.feed = { cursor: data.liveCursor, filter, stories, next: count + 1 };
        this.save();
        this.render();
        this.connect();
      } catch (error) {
        if (generation !== this.generation) return;
        if (error instanceof ApiError && error.code === "BAD_USER_INPUT") return this.setState("error", error.message);
        this.retry(() => this.load());
      }
    }

    connect() {
      const generation = this.generation;
      const wsUrl = this.config.endpoint.replace(/^http/, "ws");
      this.live = new LiveSocket(
        wsUrl,
        // Asked at each (re)subscription: the cursor of the last event applied.
        () => ({ query: EVENTS_SUBSCRIPTION, operationName: "TickerEvents", variables: { filter: hasKeys(this.feed.filter) ? this.feed.filter : null, after: this.feed.cursor } }),
        {
          onLive: () => {
            if (generation !== this.generation) return;
            this.attempt = 0;
            this.setState("live", "Live");
          },
          onData: (data) => {
            if (generation !== this.generation || !data.articleEvents) return;
            this.apply(data.articleEvents);
          },
          onErrors: (errors) => {
            if (generation !== this.generation) return;
            const code = errors[0] && errors[0].extensions ? errors[0].extensions.code : undefined;
            // The saved cursor is past the server's log (it keeps events for a while only): list afresh.
            if (code === "BAD_USER_INPUT" && /cursor/i.test(errors[0].message || "")) {
              this.forget();
              this.dropAfterClose = true;
            }
          },
          onClose: () => {
            if (generation !== this.generation) return;
            this.live = undefined;
            if (this.dropAfterClose) {
              this.dropAfterClose = false;
              this.retry(() => this.load());
            } else this.retry(() => this.connect());
          },
        },
      );
    }

    /** Waits longer after each failure in a row (with jitter, so a restarted server is not hit by every ticker at once), then runs `again`. */
    retry(again) {
      const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
      this.attempt++;
      const offline = navigator.onLine === false;
      this.setState(offline ? "offline" : "reconnecting", offline ? "Offline: waiting for the network…" : `Reconnecting in ${Math.max(1, Math.round(delay / 1000))} s…`);
      this.again = again;
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.retryNow(), delay);
    }

    retryNow() {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      const again = this.again;
      this.again = undefined;
      if (!again) return;
      this.setState("connecting", "Connecting…");
      again();
    }

    /** One event, in log order: a story published or updated takes its place by time; an unpublished (or deleted) one leaves. */
    apply(event) {
      const feed = this.feed;
      const story = event.article;
      const at = feed.stories.findIndex((s) => s.id === story.id);
      if (event.type === "UNPUBLISHED") {
        if (at >= 0) feed.stories.splice(at, 1);
      } else if (at >= 0) {
        feed.stories[at] = { ...pick(story), order: feed.stories[at].order };
      } else {
        feed.stories.push({ ...pick(story), order: feed.next++ });
      }
      feed.stories.sort(newestFirst);
      feed.stories.length = Math.min(feed.stories.length, MAX_LIMIT);
      feed.cursor = event.cursor;
      this.save();
      this.render();
    }

    /** Shows the first `limit` stories, keeping the element of each story shown before (an update changes it in place). */
    render() {
      const stories = this.feed ? this.feed.stories.slice(0, this.config.limit) : [];
      const existing = new Map([...this.list.children].map((item) => [item.dataset.id, item]));
      let previous = null;
      for (const story of stories) {
        let item = existing.get(story.id);
        existing.delete(story.id);
        if (!item) {
          item = document.createElement("li");
          item.dataset.id = story.id;
          const byline = document.createElement("span");
          byline.className = "byline";
          item.append(document.createElement("time"), document.createElement("a"), byline);
        }
        const [time, link, byline] = item.children;
        if (time.dateTime !== story.publishedAt) {
          time.dateTime = story.publishedAt || "";
          time.textContent = story.publishedAt ? shownTime(story.publishedAt) : "";
        }
        const href = storyHref(this.config.storyUrl, story.slug);
        if (link.getAttribute("href") !== href) link.setAttribute("href", href);
        if (link.target !== this.config.linkTarget) link.target = this.config.linkTarget;
        if (link.textContent !== story.title) link.textContent = story.title;
        // The newsroom's byline, as text like the title: a name is never read as markup.
        const credit = story.authors.length > 0 ? `by ${story.authors.join(", ")}` : "";
        if (byline.textContent !== credit) byline.textContent = credit;
        byline.hidden = credit === "";
        this.showImage(item, story.image);
        const wanted = previous ? previous.nextSibling : this.list.firstChild;
        if (wanted !== item) this.list.insertBefore(item, wanted);
        previous = item;
      }
      for (const gone of existing.values()) gone.remove();
      this.emptyLine.hidden = !this.feed || stories.length > 0;
    }

    /** Puts the story's lead image on its item as a thumbnail, changes it, or takes it away (none, not on an allowed origin, or failed). */
    showImage(item, image) {
      const src = allowedImage(image);
      let thumb = item.querySelector(".thumb");
      if (src === null || this.failedImages.has(src)) {
        if (thumb) thumb.remove();
        item.classList.remove("with-image");
        return;
      }
      if (!thumb) {
        thumb = document.createElement("img");
        thumb.className = "thumb";
        // All set before its src, so that the one request made is lazy and carries no referrer.
        thumb.width = THUMB_WIDTH;
        thumb.height = THUMB_HEIGHT;
        thumb.loading = "lazy";
        thumb.decoding = "async";
        thumb.referrerPolicy = "no-referrer";
        thumb.addEventListener("error", () => {
          // No broken-image icon: the item shows without a picture.
          this.failedImages.add(thumb.getAttribute("src"));
          thumb.remove();
          item.classList.remove("with-image");
        });
        item.append(thumb);
      }
      // As an attribute, like the title as text: what the newsroom wrote is never read as markup.
      const alt = image.alt || image.caption || "";
      if (thumb.getAttribute("alt") !== alt) thumb.setAttribute("alt", alt);
      if (thumb.getAttribute("src") !== src) thumb.setAttribute("src", src);
      item.classList.add("with-image");
    }
  }

  /** The address to load a lead image from, or null when there is none or it is not on one of IMAGE_ORIGINS. */
  function allowedImage(image) {
    if (!image || typeof image.url !== "string" || IMAGE_ORIGINS.length === 0) return null;
    let url;
    try {
      url = new URL(image.url);
    } catch {
      return null;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    return IMAGE_ORIGINS.includes(url.origin) ? url.href : null;
  }

  function pick(story) {
    const authors = Array.isArray(story.authors) ? story.authors.map((author) => author.name) : [];
    const lead = story.leadImage;
    const image = lead && typeof lead.url === "string" ? { url: lead.url, alt: typeof lead.alt === "string" ? lead.alt : "", caption: typeof lead.caption === "string" ? lead.caption : "" } : null;
    return { id: story.id, slug: story.slug, title: story.title, publishedAt: story.publishedAt, authors, image };
  }

  function hasKeys(object) {
    return Boolean(object) && Object.keys(object).length > 0;
  }

  /** Newest publication first; among equal times, the one that arrived later. */
  function newestFirst(a, b) {
    const byTime = Date.parse(b.publishedAt || 0) - Date.parse(a.publishedAt || 0);
    return byTime !== 0 && !Number.isNaN(byTime) ? byTime : b.order - a.order;
  }

  if (!customElements.get("newsroom-ticker")) customElements.define("newsroom-ticker", NewsroomTicker);
})();
