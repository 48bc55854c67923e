// Open conflicts between sources: for each disputed fact, the value readers see and the ones that
// dispute it, the words of each story that state them, and a button that settles it through
// settleConflict.
import { CONFLICTS, SETTLE } from "./api.js";
import { bdi, h, plural, replace } from "./dom.js";

const FACT_NAMES = { CLASSIFICATION: "Class", CITY: "City", PROVINCE: "Province", SHORT_NAME: "Short name", PARENT: "Parent unit", POSITION: "Current holder" };

/** What the conflict is about: "Class", or a post's title ("Current Kepala Lapas"). */
const about = (conflict) => (conflict.fact === "POSITION" && conflict.title ? `Current ${conflict.title}` : (FACT_NAMES[conflict.fact] ?? conflict.fact));

export class ConflictsDesk {
  constructor({ call, announce }) {
    this.call = call;
    this.announce = announce;
    this.list = h("ol", { class: "conflicts" });
    this.status = h("p", { class: "status", role: "status", "aria-live": "polite" });
    this.error = h("p", { class: "error", role: "alert", hidden: true });
    this.element = h(
      "section",
      { class: "conflicts-view", "aria-labelledby": "conflicts-title" },
      h("h2", { id: "conflicts-title", tabindex: "-1" }, "Conflicts between sources"),
      h("p", { class: "help" }, "Where two sources state a fact differently, readers see the stored value and the other stays on record as disputing it. Settle one by choosing the value that is right."),
      h("div", { class: "buttons" }, h("button", { type: "button", on: { click: () => void this.load() } }, "Reload"), this.status),
      this.error,
      this.list,
    );
  }

  async load() {
    this.error.hidden = true;
    this.status.textContent = "Loading…";
    try {
      const { factConflicts } = await this.call(CONFLICTS, "DeskConflicts");
      this.render(factConflicts);
      this.status.textContent = factConflicts.length === 0 ? "No open conflicts." : `${plural(factConflicts.length, "open conflict")}.`;
    } catch (error) {
      if (!error.code) throw error;
      this.status.textContent = "";
      this.error.hidden = false;
      this.error.textContent = error.code === "GRAPHQL_VALIDATION_FAILED" ? "This server does not list conflicts yet (its API has no factConflicts)." : error.message;
      replace(this.list);
    }
  }

  render(conflicts) {
    replace(
      this.list,
      conflicts.map((conflict) => {
        const titleId = `conflict-${conflict.id}`;
        return h(
          "li",
          { class: "conflict", id: `entry-${titleId}`, tabindex: "-1", "aria-labelledby": titleId },
          h(
            "h3",
            { id: titleId },
            about(conflict),
            " — ",
            h("a", { href: `#institution/${encodeURIComponent(conflict.institution.id)}` }, bdi(conflict.institution.name)),
            conflict.proposed ? [" ", h("span", { class: "badge badge-PROPOSED", title: "Stated by a story not published yet" }, "PROPOSED")] : null,
          ),
          conflict.proposed ? h("p", { class: "detail" }, "Proposed: a story not published yet states it; readers see none of this until it is.") : null,
          h(
            "ul",
            { class: "choices" },
            conflict.choices.map((choice) =>
              h(
                "li",
                { class: ["choice-card", choice.accepted && "is-accepted"] },
                h(
                  "p",
                  { class: "title" },
                  h("span", { class: `badge ${choice.accepted ? "badge-LINK" : "badge-CONFLICT"}` }, choice.accepted ? "STORED" : "DISPUTING"),
                  " ",
                  h("strong", {}, bdi(choice.label)),
                  choice.position ? [" ", h("span", { class: "detail" }, bdi(`${choice.position.person.name}, ${choice.position.title}`))] : null,
                ),
                h(
                  "ul",
                  { class: "plain sources" },
                  choice.sources.map((s) =>
                    h(
                      "li",
                      {},
                      s.direct ? "Entered by an editor" : s.article ? h("a", { href: `#article/${encodeURIComponent(s.article.slug)}` }, bdi(s.article.title)) : bdi(s.articleTitle ?? "A deleted story"),
                      s.proposed ? [" ", h("span", { class: "badge badge-PROPOSED" }, "proposed")] : null,
                      stated(s),
                    ),
                  ),
                ),
                h("button", { type: "button", class: choice.accepted ? "" : "primary", on: { click: () => void this.settle(conflict, choice) } }, choice.accepted ? "Keep the stored value " : "Settle on this value ", h("span", { class: "sr-only" }, bdi(choice.label))),
              ),
            ),
          ),
        );
      }),
    );
  }

  async settle(conflict, choice) {
    this.error.hidden = true;
    this.status.textContent = "Settling…";
    try {
      await this.call(SETTLE, "DeskSettle", { input: { conflict: conflict.id, choice: choice.id } });
      const said = `Settled: ${about(conflict)} of ${conflict.institution.name} is “${choice.label}”.`;
      await this.load();
      this.status.textContent = said;
      this.announce(said);
    } catch (error) {
      if (!error.code) throw error;
      this.status.textContent = "";
      this.error.hidden = false;
      this.error.textContent = error.message;
    }
  }
}

/** The sentence of the story that states a source, its words marked; the excerpt alone when the story is gone. */
function stated(source) {
  const body = source.article && source.article.body;
  if (!body || !source.span || source.span.end > body.length) return source.excerpt ? h("blockquote", {}, bdi(source.excerpt)) : null;
  const { start, end } = source.span;
  const [from, to] = sentenceAround(body, start, end);
  return h("blockquote", {}, h("bdi", {}, body.slice(from, start), h("mark", { class: "hl hl-conflict-source" }, body.slice(start, end)), body.slice(end, to)));
}

/** Where the sentence holding [start, end) begins and ends: at a full stop (or ! ?) followed by a space, or a paragraph's edge. */
export function sentenceAround(body, start, end) {
  let from = start;
  while (from > 0 && body[from - 1] !== "\n" && !(/\s/.test(body[from - 1]) && /[.!?]/.test(body[from - 2] ?? ""))) from--;
  let to = end;
  while (to < body.length && body[to] !== "\n" && !(/[.!?]/.test(body[to]) && (to + 1 === body.length || /\s/.test(body[to + 1])))) to++;
  if (to < body.length && body[to] !== "\n") to++;
  return [from, to];
}
