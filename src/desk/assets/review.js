// Paste, see, correct, import: the desk's import view. The side list is built from the reading
// without choices (so what the editor drops stays listed, struck through, with Undo); what each
// entry will be stored as, and the highlights, come from the preview with the editor's choices.
import { FIND_INSTITUTIONS, FIND_PEOPLE, IMPORT, PREVIEW } from "./api.js";
import { bdi, excerpt, h, plural, replace } from "./dom.js";
import { legend, placeFurniture, storyView } from "./story.js";

const ACTION_TEXT = {
  LINK: "Links a stored record",
  ADD: "Links a stored record and adds to it",
  CREATE: "Creates a new record",
};

const KIND_TEXT = { LAPAS: "Lapas", RUTAN: "Rutan", LPKA: "LPKA", BAPAS: "Bapas", KANWIL: "Kanwil", DITJEN: "Ditjen", MINISTRY: "Ministry", OTHER: "Other" };

const ROLE_TEXT = { WRITER: "Writer", REPORTER: "Reporter", PHOTOGRAPHER: "Photographer", EDITOR: "Editor" };

const postKey = (p) => `${p.personRef}|${p.institutionRef}|${p.title.toLowerCase()}`;
const accreditationKey = (a) => `${a.institutionRef}|${a.code}|${a.year}`;
const editorMade = (w) => w.message.startsWith("The editor ");

/** The editor's choices, keyed as the API names things, turned into ImportChoices. */
class Choices {
  constructor() {
    this.institutions = new Map();
    this.people = new Map();
    this.quotes = new Map();
    this.accreditations = new Map();
    this.positions = new Map();
  }

  get empty() {
    return [this.institutions, this.people, this.quotes, this.accreditations, this.positions].every((m) => m.size === 0);
  }

  copy() {
    const copy = new Choices();
    for (const name of ["institutions", "people", "quotes", "accreditations", "positions"]) copy[name] = new Map(this[name]);
    return copy;
  }

  toInput() {
    if (this.empty) return null;
    const records = (map) => [...map].map(([ref, c]) => ({ ref, drop: c.drop || null, linkTo: c.linkTo || null, create: c.create || null, name: c.name || null }));
    return {
      institutions: records(this.institutions),
      people: records(this.people),
      quotes: [...this.quotes].map(([start, c]) => ({ start, ...c })),
      dropAccreditations: [...this.accreditations.values()],
      dropPositions: [...this.positions.values()],
    };
  }
}

export class ImportDesk {
  /**
   * @param {{ call: (document: string, name: string, variables?: object) => Promise<object>, announce: (text: string) => void }} options
   */
  constructor({ call, announce }) {
    this.call = call;
    this.announce = announce;
    this.text = null;
    this.base = null;
    this.shown = null;
    this.choices = new Choices();
    this.busy = false;
    this.element = this.build();
  }

  build() {
    this.textarea = h("textarea", {
      id: "story-text",
      rows: "12",
      spellcheck: "false",
      "aria-describedby": "story-help",
      on: {
        input: () => this.textChanged(),
        keydown: (event) => {
          if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            void this.preview();
          }
        },
      },
    });
    this.previewButton = h("button", { type: "button", class: "primary", on: { click: () => void this.preview() } }, "Preview");
    this.status = h("p", { class: "status", role: "status", "aria-live": "polite" });
    this.error = h("p", { class: "error", role: "alert", hidden: true });
    this.review = h("div", { class: "review", hidden: true });
    this.result = h("p", { class: "result", role: "status", "aria-live": "polite" });
    return h(
      "section",
      { class: "import", "aria-labelledby": "import-title" },
      h("h2", { id: "import-title", tabindex: "-1" }, "Import a story"),
      h(
        "div",
        { class: "paste" },
        h("label", { for: "story-text" }, "The story as it came"),
        h("p", { id: "story-help", class: "help" }, "Paste it whole: banner lines, the lead-in and the comment form may stay; the server leaves out what is not the story. Ctrl+Enter previews."),
        this.textarea,
        h("div", { class: "buttons" }, this.previewButton, this.status),
        this.error,
      ),
      this.review,
    );
  }

  textChanged() {
    if (this.base && this.textarea.value !== this.text) {
      this.status.textContent = "The text changed since the preview: preview again before importing.";
      for (const button of this.review.querySelectorAll("button.import-button")) button.disabled = true;
    }
  }

  showError(error) {
    this.error.hidden = false;
    this.error.textContent = error.field ? `${error.message} (${error.field})` : error.message;
  }

  clearError() {
    this.error.hidden = true;
    this.error.textContent = "";
  }

  /** Reads the text afresh: a new text drops the choices made on the old one. */
  async preview() {
    const text = this.textarea.value;
    if (text.trim() === "") {
      this.showError({ message: "Paste a story first." });
      this.textarea.focus();
      return;
    }
    if (this.busy) return;
    this.busy = true;
    this.clearError();
    this.result.textContent = "";
    this.status.textContent = "Reading…";
    try {
      if (text !== this.text) this.choices = new Choices();
      const base = (await this.call(PREVIEW, "DeskPreview", { text, choices: null })).previewImport;
      const shown = this.choices.empty ? base : (await this.call(PREVIEW, "DeskPreview", { text, choices: this.choices.toInput() })).previewImport;
      this.text = text;
      this.base = base;
      this.shown = shown;
      // The preview is what the editor reads now; the pasted text stays a few lines tall (and can be dragged taller).
      this.textarea.rows = 5;
      this.textarea.scrollTop = 0;
      this.render();
      this.status.textContent = `Read: ${this.summary()}`;
    } catch (error) {
      if (!error.code) throw error;
      this.status.textContent = "";
      this.showError(error);
    } finally {
      this.busy = false;
    }
  }

  /** Applies a change to the choices and previews with them; a choice the server refuses is undone and its reason shown. */
  async choose(change, focusKey) {
    if (this.busy || !this.base) return;
    const before = this.choices.copy();
    change(this.choices);
    this.busy = true;
    this.clearError();
    this.status.textContent = "Previewing with your choices…";
    try {
      this.shown = this.choices.empty ? this.base : (await this.call(PREVIEW, "DeskPreview", { text: this.text, choices: this.choices.toInput() })).previewImport;
      this.render();
      this.status.textContent = `Previewed with your choices: ${this.summary()}`;
    } catch (error) {
      if (!error.code) throw error;
      this.choices = before;
      this.status.textContent = "";
      this.showError(error);
    } finally {
      this.busy = false;
    }
    const entry = focusKey && document.getElementById(`entry-${focusKey}`);
    if (entry) entry.focus();
  }

  summary() {
    const c = this.shown.counts;
    return [
      plural(this.shown.institutions.length, "institution"),
      plural(this.shown.people.length, "person", "people"),
      plural(this.shown.positions.length, "post"),
      plural(this.shown.accreditations.length, "accreditation"),
      plural(c.quotes, "quote"),
      plural(c.warnings, "warning"),
    ].join(", ");
  }

  /** Marks the highlights of `key` and moves to its entry in the side list. */
  pick(key) {
    this.select(key);
    const entry = document.getElementById(`entry-${key}`);
    if (entry) {
      entry.scrollIntoView({ block: "nearest" });
      entry.focus({ preventScroll: true });
    }
  }

  select(key) {
    for (const mark of this.review.querySelectorAll("mark.selected, li.selected")) mark.classList.remove("selected");
    for (const mark of this.review.querySelectorAll(`mark[data-key="${CSS.escape(key)}"]`)) mark.classList.add("selected");
    const entry = document.getElementById(`entry-${key}`);
    if (entry) entry.classList.add("selected");
  }

  /** Moves to the first highlight of `key` in the text. */
  showInText(key) {
    this.select(key);
    const mark = this.review.querySelector(`mark[data-key="${CSS.escape(key)}"]`);
    if (mark) {
      mark.scrollIntoView({ block: "center" });
      mark.focus({ preventScroll: true });
    }
  }

  render() {
    const shown = this.shown;
    // Entries by what the API names them.
    const keys = this.entryKeys();
    const highlights = this.highlights(keys);
    const furniture = placeFurniture(this.text, shown.title, shown.furniture);
    const side = h(
      "aside",
      { class: "facts", "aria-labelledby": "facts-title" },
      h("h3", { id: "facts-title" }, "What the server read"),
      h("p", { class: "counts" }, this.summary()),
      this.bylineList(),
      this.institutionList(),
      this.peopleList(),
      this.postList(),
      this.accreditationList(),
      this.quoteList(),
      this.warningList(keys),
      shown.furniture.length > 0
        ? h("section", { "aria-labelledby": "furniture-title" }, h("h4", { id: "furniture-title" }, `Page furniture left out (${shown.furniture.length})`), h("ul", { class: "plain" }, shown.furniture.map((line) => h("li", {}, h("del", {}, bdi(line))))))
        : null,
      this.importControls(),
    );
    replace(
      this.review,
      h(
        "div",
        { class: "document" },
        h("h3", { class: "sr-only" }, "The story as it will be stored"),
        legend(),
        storyView(shown, highlights, furniture, (key) => this.pick(key)),
      ),
      side,
    );
    this.review.hidden = false;
  }

  /** Which side-list entry a warning's span belongs to, when it is one the editor's choice made. */
  entryKeys() {
    const byStart = new Map();
    for (const i of this.base.institutions) if (i.mentions[0]) byStart.set(`${i.mentions[0].start}|${i.mentions[0].end}`, `institution-${i.ref}`);
    for (const p of this.base.people) if (p.mentions[0]) byStart.set(`${p.mentions[0].start}|${p.mentions[0].end}`, `person-${p.ref}`);
    for (const p of this.base.positions) byStart.set(`${p.span.start}|${p.span.end}`, this.postEntry(p));
    for (const a of this.base.accreditations) byStart.set(`${a.span.start}|${a.span.end}`, this.accreditationEntry(a));
    for (const q of this.baseQuotes()) byStart.set(`${q.span.start}|${q.span.end}`, `quote-${q.span.start}`);
    return (w, index) => (w.span && (editorMade(w) || w.code === "UNRESOLVED_SPEAKER") && byStart.get(`${w.span.start}|${w.span.end}`)) || `warning-${index}`;
  }

  /** A post's entry, by its place in the reading without choices (so that the key is a plain word, fit for an id). */
  postEntry(p) {
    return `post-${this.places().posts.get(postKey(p))}`;
  }

  accreditationEntry(a) {
    return `accreditation-${this.places().accreditations.get(accreditationKey(a))}`;
  }

  /** Where each post and accreditation stands in the reading without choices, worked out once per reading. */
  places() {
    if (this.placesOf !== this.base) {
      this.placesOf = this.base;
      this.placed = {
        posts: new Map(this.base.positions.map((p, index) => [postKey(p), index])),
        accreditations: new Map(this.base.accreditations.map((a, index) => [accreditationKey(a), index])),
      };
    }
    return this.placed;
  }

  highlights(keyOf) {
    const shown = this.shown;
    const list = [];
    const add = (span, kind, key, label) => {
      if (span) list.push({ start: span.start, end: span.end, kind, key, label });
    };
    for (const i of shown.institutions) for (const m of i.mentions) add(m, "institution", `institution-${i.ref}`, `${i.name} (${i.action})`);
    for (const p of shown.people) for (const m of p.mentions) add(m, "person", `person-${p.ref}`, `${p.name} (${p.action})`);
    for (const p of shown.positions) add(p.span, "post", this.postEntry(p), `${p.personName}, ${p.title} of ${p.institutionName}`);
    for (const a of shown.accreditations) add(a.span, "accreditation", this.accreditationEntry(a), `${a.code} ${a.year}, ${a.institutionName}`);
    for (const q of shown.quotes) {
      add(q.span, "quote", `quote-${q.span.start}`, `said by ${q.speakerName}`);
      add(q.attributionSpan, "attribution", `quote-${q.span.start}`, `said by ${q.speakerName}`);
    }
    shown.warnings.forEach((w, index) => {
      const key = keyOf(w, index);
      if (w.code === "UNRESOLVED_SPEAKER") add(w.span, "unattributed", key, w.message);
      else if (w.code === "DROPPED") add(w.span, "dropped", key, w.message);
      else add(w.span, "conflict", key, w.message);
    });
    return list;
  }

  baseQuotes() {
    const stored = this.base.quotes.map((q) => ({ span: q.span, text: q.text, attribution: q.attribution }));
    const unresolved = this.base.warnings.filter((w) => w.code === "UNRESOLVED_SPEAKER" && w.span).map((w) => ({ span: w.span, text: w.span.text, attribution: null, unresolved: w.message }));
    return [...stored, ...unresolved].sort((a, b) => a.span.start - b.span.start);
  }

  section(id, title, count, items) {
    return h("section", { "aria-labelledby": id }, h("h4", { id }, `${title} (${count})`), count === 0 ? h("p", { class: "none" }, "None read.") : h("ol", { class: "entries" }, items));
  }

  entry(key, { dropped = false }, ...children) {
    return h(
      "li",
      {
        id: `entry-${key}`,
        tabindex: "-1",
        class: ["entry", dropped && "is-dropped"],
        on: { mouseenter: () => this.select(key), focusin: () => this.select(key) },
      },
      children,
      h("button", { type: "button", class: "link-button", on: { click: () => this.showInText(key) } }, "Show in text"),
    );
  }

  actionBadge(action) {
    return h("span", { class: `badge badge-${action}`, title: ACTION_TEXT[action] }, action);
  }

  storedLine(kind, record) {
    if (!record) return null;
    if (record.action === "CREATE") return h("p", { class: "detail" }, "A new record.");
    return h(
      "p",
      { class: "detail" },
      "Stored as ",
      h("a", { href: `#${kind}/${encodeURIComponent(record.id)}` }, bdi(record.storedName ?? record.name)),
      " ",
      h("code", {}, record.id),
      record.added && record.added.length > 0 ? ` · adds ${record.added.join(", ")}` : null,
    );
  }

  /**
   * The byline the importer read: who the story will be credited to, each linked to the stored
   * author of that name or to be made. Its lines are page furniture, so there is nothing to
   * highlight or show in the text, and no choice to make yet (ImportChoices has none for authors).
   */
  bylineList() {
    const authors = this.shown.authors;
    return this.section(
      "byline-title",
      "Byline",
      authors.length,
      authors.map((a, index) =>
        h(
          "li",
          { id: `entry-author-${index}`, class: "entry" },
          h("p", { class: "title" }, this.actionBadge(a.action), " ", h("strong", {}, bdi(a.name))),
          h(
            "p",
            { class: "detail" },
            `${ROLE_TEXT[a.role] ?? a.role} by the byline's label`,
            a.action === "CREATE" ? " · a new author, listed once a published story carries them" : [" · stored as ", bdi(a.storedName ?? a.name), " ", h("code", {}, a.id), " (keeps the stored role)"],
          ),
        ),
      ),
    );
  }

  institutionList() {
    const shown = new Map(this.shown.institutions.map((i) => [i.ref, i]));
    return this.section(
      "institutions-title",
      "Institutions",
      this.base.institutions.length,
      this.base.institutions.map((b) => {
        const s = shown.get(b.ref);
        const choice = this.choices.institutions.get(b.ref);
        const key = `institution-${b.ref}`;
        const facts = [KIND_TEXT[b.kind] ?? b.kind, b.classification && `class ${b.classification}`, b.city, b.province].filter(Boolean).join(" · ");
        return this.entry(
          key,
          { dropped: !s },
          h("p", { class: "title" }, s ? this.actionBadge(s.action) : h("span", { class: "badge badge-DROPPED" }, "DROPPED"), " ", s ? h("strong", {}, bdi(s.name)) : h("s", {}, bdi(b.name))),
          h("p", { class: "detail" }, facts, ` · named ${plural(b.mentions.length, "time")}`),
          this.storedLine("institution", s),
          this.choiceLine(choice, () => this.choose((c) => c.institutions.delete(b.ref), key)),
          s ? this.recordControls("institution", b, s, choice, (change) => this.choose((c) => change(c.institutions), key)) : null,
        );
      }),
    );
  }

  peopleList() {
    const shown = new Map(this.shown.people.map((p) => [p.ref, p]));
    return this.section(
      "people-title",
      "People",
      this.base.people.length,
      this.base.people.map((b) => {
        const s = shown.get(b.ref);
        const choice = this.choices.people.get(b.ref);
        const key = `person-${b.ref}`;
        return this.entry(
          key,
          { dropped: !s },
          h("p", { class: "title" }, s ? this.actionBadge(s.action) : h("span", { class: "badge badge-DROPPED" }, "DROPPED"), " ", s ? h("strong", {}, bdi(s.name)) : h("s", {}, bdi(b.name))),
          h("p", { class: "detail" }, `Named ${plural(b.mentions.length, "time")}`),
          this.storedLine("person", s),
          this.choiceLine(choice, () => this.choose((c) => c.people.delete(b.ref), key)),
          s ? this.recordControls("person", b, s, choice, (change) => this.choose((c) => change(c.people), key)) : null,
        );
      }),
    );
  }

  choiceLine(choice, undo) {
    if (!choice) return null;
    const said = choice.drop
      ? "dropped"
      : choice.linkTo
        ? `linked to ${choice.linkName ?? choice.linkTo}`
        : [choice.create && "a new record", choice.name && `named “${choice.name}”`].filter(Boolean).join(", ");
    return h("p", { class: "choice" }, h("span", { class: "choice-label" }, "Your choice: "), bdi(said), " ", h("button", { type: "button", on: { click: undo } }, "Undo"));
  }

  /** Correct: spell the name, link another stored record, create a new one, or drop it. */
  recordControls(kind, base, shown, choice, change) {
    const id = `${kind}-${base.ref}`;
    const name = h("input", { id: `name-${id}`, type: "text", value: choice?.name ?? shown.name, autocomplete: "off", spellcheck: "false" });
    const search = h("input", { id: `search-${id}`, type: "search", value: base.name, autocomplete: "off" });
    const results = h("ul", { class: "results", "aria-live": "polite" });
    const find = async () => {
      const term = search.value.trim();
      if (!term) return;
      replace(results, h("li", {}, "Searching…"));
      const lookup = async (words) => {
        const data = kind === "institution" ? await this.call(FIND_INSTITUTIONS, "DeskFindInstitutions", { search: words }) : await this.call(FIND_PEOPLE, "DeskFindPeople", { search: words });
        return kind === "institution" ? data.institutions.nodes : data.people.nodes;
      };
      try {
        let nodes = await lookup(term);
        let note = null;
        // A misspelt name finds nothing whole: its longest word may still find the record meant.
        const longest = term.split(/\s+/).sort((a, b) => b.length - a.length)[0];
        if (nodes.length === 0 && longest !== term && longest.length >= 3) {
          nodes = await lookup(longest);
          if (nodes.length > 0) note = h("li", { class: "detail" }, "Nothing has the whole name; these have “", bdi(longest), "”:");
        }
        if (nodes.length === 0) {
          replace(results, h("li", {}, "No stored record has that in its name."));
          return;
        }
        replace(
          results,
          note,
          nodes.map((node) => {
            const about = kind === "institution" ? [KIND_TEXT[node.kind] ?? node.kind, node.city].filter(Boolean).join(" · ") : node.positions.map((p) => `${p.title}, ${p.institution.name}`).join("; ");
            return h(
              "li",
              {},
              h("button", { type: "button", on: { click: () => change((map) => map.set(base.ref, { linkTo: node.id, linkName: node.name })) } }, "Link to ", bdi(node.name)),
              " ",
              h("code", {}, node.id),
              about ? h("span", { class: "detail" }, " ", bdi(about)) : null,
            );
          }),
        );
      } catch (error) {
        if (!error.code) throw error;
        replace(results, h("li", {}, error.message));
      }
    };
    return h(
      "details",
      { class: "correct" },
      h("summary", {}, "Correct ", h("span", { class: "sr-only" }, bdi(shown.name))),
      h(
        "div",
        { class: "field" },
        h("label", { for: `name-${id}` }, "Name, spelt right"),
        name,
        h(
          "button",
          {
            type: "button",
            on: {
              click: () => {
                const value = name.value.trim();
                if (value === "" || value === shown.name) return;
                change((map) => map.set(base.ref, { create: choice?.create, name: value }));
              },
            },
          },
          "Use this name",
        ),
      ),
      h(
        "div",
        { class: "field" },
        h("label", { for: `search-${id}` }, `Link another stored ${kind === "institution" ? "institution" : "person"}`),
        search,
        h("button", { type: "button", on: { click: () => void find() } }, "Search"),
        results,
      ),
      h(
        "div",
        { class: "buttons" },
        shown.action !== "CREATE" || choice?.linkTo
          ? h("button", { type: "button", on: { click: () => change((map) => map.set(base.ref, { create: true, name: choice?.name })) } }, "Create a new one instead")
          : null,
        h("button", { type: "button", class: "danger", on: { click: () => change((map) => map.set(base.ref, { drop: true })) } }, "Drop it"),
      ),
    );
  }

  postList() {
    return this.droppableList({
      titleId: "posts-title",
      title: "Posts",
      base: this.base.positions,
      shown: this.shown.positions,
      keyOf: postKey,
      choicesOf: (c) => c.positions,
      entryKey: (b) => this.postEntry(b),
      what: (b, s) => [bdi(s?.personName ?? b.personName), `, ${b.title}${b.current ? "" : " (former)"} of `, bdi(s?.institutionName ?? b.institutionName)],
      choice: (b) => ({ personRef: b.personRef, institutionRef: b.institutionRef, title: b.title }),
      dropLabel: "Drop this post",
    });
  }

  accreditationList() {
    return this.droppableList({
      titleId: "accreditations-title",
      title: "Accreditations",
      base: this.base.accreditations,
      shown: this.shown.accreditations,
      keyOf: accreditationKey,
      choicesOf: (c) => c.accreditations,
      entryKey: (b) => this.accreditationEntry(b),
      what: (b, s) => [`${b.code} ${b.year} (${b.title}), `, bdi(s?.institutionName ?? b.institutionName)],
      choice: (b) => ({ institutionRef: b.institutionRef, code: b.code, year: b.year }),
      dropLabel: "Drop this accreditation",
    });
  }

  /**
   * A section of facts the editor can only drop (posts, accreditations): each entry as the
   * importer read it, struck through when a dropped record took it out, with the editor's choice
   * and its undo.
   */
  droppableList({ titleId, title, base, shown, keyOf, choicesOf, entryKey, what, choice, dropLabel }) {
    const shownByKey = new Map(shown.map((item) => [keyOf(item), item]));
    return this.section(
      titleId,
      title,
      base.length,
      base.map((b) => {
        const k = keyOf(b);
        const s = shownByKey.get(k);
        const isChosen = choicesOf(this.choices).has(k);
        const key = entryKey(b);
        const text = what(b, s);
        return this.entry(
          key,
          { dropped: !s },
          h("p", { class: "title" }, s ? this.actionBadge(s.action) : h("span", { class: "badge badge-DROPPED" }, "DROPPED"), " ", s ? h("span", {}, text) : h("s", {}, text)),
          !s && !isChosen ? h("p", { class: "detail" }, "Left out with a record you dropped.") : null,
          isChosen
            ? h("p", { class: "choice" }, h("span", { class: "choice-label" }, "Your choice: "), "dropped ", h("button", { type: "button", on: { click: () => this.choose((c) => choicesOf(c).delete(k), key) } }, "Undo"))
            : s
              ? h("button", { type: "button", class: "danger", on: { click: () => this.choose((c) => choicesOf(c).set(k, choice(b)), key) } }, dropLabel)
              : null,
        );
      }),
    );
  }

  quoteList() {
    const shown = new Map(this.shown.quotes.map((q) => [q.span.start, q]));
    const warnings = new Map(this.shown.warnings.filter((w) => w.span && (w.code === "UNRESOLVED_SPEAKER" || w.code === "DROPPED")).map((w) => [w.span.start, w]));
    const people = this.base.people.filter((p) => !this.choices.people.get(p.ref)?.drop);
    const names = new Map(this.shown.people.map((p) => [p.ref, p.name]));
    const quotes = this.baseQuotes();
    return this.section(
      "quotes-title",
      "Quotes",
      quotes.length,
      quotes.map((b, n) => {
        const start = b.span.start;
        const s = shown.get(start);
        const choice = this.choices.quotes.get(start);
        const key = `quote-${start}`;
        const id = `speaker-${start}`;
        const current = choice ? (choice.speakerRef ?? (choice.unattributed ? "unattributed" : "drop")) : s ? s.speakerRef : "unattributed";
        const select = h(
          "select",
          { id },
          people.map((p) => h("option", { value: String(p.ref), selected: String(current) === String(p.ref) }, names.get(p.ref) ?? p.name)),
          h("option", { value: "unattributed", selected: current === "unattributed" }, "Unattributed (not stored)"),
          h("option", { value: "drop", selected: current === "drop" }, "Not a quote (drop it)"),
        );
        const apply = () => {
          const value = select.value;
          const next = value === "unattributed" ? { unattributed: true } : value === "drop" ? { drop: true } : { speakerRef: Number(value) };
          void this.choose((c) => c.quotes.set(start, next), key);
        };
        const warning = warnings.get(start);
        return this.entry(
          key,
          { dropped: !s },
          h("p", { class: "title" }, h("span", { class: "badge badge-QUOTE" }, s ? `Q${s.position + 1}` : `Q–`), " ", h("q", {}, bdi(excerpt(b.text, 160)))),
          s
            ? h("p", { class: "detail" }, "Said by ", h("strong", {}, bdi(s.speakerName)), s.institutionName ? [" for ", bdi(s.institutionName)] : null, s.attribution ? [" · “", bdi(s.attribution), "”"] : null)
            : h("p", { class: "detail warn-text" }, warning ? bdi(warning.message) : "Not stored."),
          choice
            ? h(
                "p",
                { class: "choice" },
                h("span", { class: "choice-label" }, "Your choice: "),
                choice.speakerRef != null ? ["speaker ", bdi(names.get(choice.speakerRef) ?? String(choice.speakerRef))] : choice.unattributed ? "unattributed" : "not a quote",
                " ",
                h("button", { type: "button", on: { click: () => this.choose((c) => c.quotes.delete(start), key) } }, "Undo"),
              )
            : null,
          h("div", { class: "field inline" }, h("label", { for: id }, `Speaker of quote ${n + 1}`), select, h("button", { type: "button", on: { click: apply } }, "Apply")),
        );
      }),
    );
  }

  warningList(keyOf) {
    const listed = this.shown.warnings.map((w, index) => ({ w, key: keyOf(w, index) })).filter(({ w }) => w.code !== "UNRESOLVED_SPEAKER" && !editorMade(w));
    return this.section(
      "warnings-title",
      "Warnings",
      listed.length,
      listed.map(({ w, key }) =>
        this.entry(
          key,
          {},
          h("p", { class: "title" }, h("span", { class: `badge badge-${w.code}` }, w.code), " ", bdi(w.message)),
          w.span ? h("p", { class: "detail" }, "At “", bdi(excerpt(w.span.text, 100)), "”") : null,
        ),
      ),
    );
  }

  importControls() {
    const draft = h("button", { type: "button", class: "import-button primary", on: { click: () => void this.import(false) } }, "Import as draft");
    const publish = h("button", { type: "button", class: "import-button", on: { click: () => void this.import(true) } }, "Import and publish");
    return h(
      "section",
      { class: "import-controls", "aria-labelledby": "import-controls-title" },
      h("h4", { id: "import-controls-title" }, "Import"),
      h("p", { class: "help" }, this.choices.empty ? "As read above." : "With your choices above."),
      h("div", { class: "buttons" }, draft, publish),
      this.result,
    );
  }

  async import(publish) {
    if (this.busy || !this.base) return;
    if (this.textarea.value !== this.text) {
      this.showError({ message: "The text changed since the preview: preview again before importing." });
      return;
    }
    this.busy = true;
    this.clearError();
    this.result.textContent = publish ? "Importing and publishing…" : "Importing…";
    try {
      const { importArticle } = await this.call(IMPORT, "DeskImport", { text: this.text, publish, choices: this.choices.toInput() });
      replace(
        this.result,
        publish ? "Published: " : "Imported as a draft: ",
        h("a", { href: `#article/${encodeURIComponent(importArticle.slug)}`, class: "story-link" }, bdi(importArticle.title)),
        " ",
        h("span", { class: `badge badge-${importArticle.status}` }, importArticle.status),
      );
      for (const button of this.review.querySelectorAll("button.import-button")) button.disabled = true;
      this.announce(`Imported ${importArticle.title}`);
    } catch (error) {
      if (!error.code) throw error;
      this.result.textContent = "";
      this.showError(error);
    } finally {
      this.busy = false;
    }
  }
}
