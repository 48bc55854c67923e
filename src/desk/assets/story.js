// The story as the server will store it, every fact the importer read highlighted where the
// text states it, and the page furniture it leaves out struck through.
import { bdi, h } from "./dom.js";
import { nest, paragraphRanges } from "./spans.js";

/** What each kind of highlight is called, in the legend and in each highlight's title. */
export const KINDS = [
  ["institution", "Institution"],
  ["person", "Person"],
  ["post", "Post (who heads what)"],
  ["accreditation", "Accreditation"],
  ["quote", "Quote"],
  ["attribution", "Attribution (who said it)"],
  ["unattributed", "Quote without a speaker (not stored)"],
  ["conflict", "Conflict or ambiguity"],
  ["dropped", "Left out"],
];

const KIND_NAMES = Object.fromEntries(KINDS);

/** The legend: each kind's look, named, so no highlight is told by its colour alone. */
export function legend() {
  return h(
    "ul",
    { class: "legend", "aria-label": "Highlights" },
    KINDS.map(([kind, name]) => h("li", {}, h("mark", { class: `hl hl-${kind}` }, "Aa"), " ", name)),
  );
}

/**
 * The story's title, lead-in and paragraphs with their highlights. `highlights` are spans of the
 * body `{ start, end, kind, key, label }`: `kind` sets the look (and the nesting, see spans.js),
 * `key` ties the highlight to its entry in the side list, `label` says what it is.
 * `furniture` is `{ before: [...], after: [...] }`: lines left out above and below the story.
 */
export function storyView(preview, highlights, furniture, onPick) {
  const ranges = paragraphRanges(preview.paragraphs);
  const lead = [preview.dateline, preview.source].filter(Boolean).join(" · ");
  return h(
    "article",
    { class: "story", "aria-labelledby": "story-title" },
    furnitureBlock(furniture.before),
    h("h3", { id: "story-title", class: "story-title" }, bdi(preview.title)),
    lead ? h("p", { class: "lead-in" }, h("span", { class: "sr-only" }, "Dateline and source: "), bdi(lead)) : null,
    ranges.map(([from, to]) => h("p", { class: "para" }, pieces(preview.body, nest(highlights, from, to), onPick))),
    furnitureBlock(furniture.after),
  );
}

function furnitureBlock(lines) {
  if (!lines || lines.length === 0) return null;
  return h(
    "div",
    { class: "furniture" },
    h("p", { class: "furniture-label" }, "Page furniture, left out:"),
    lines.map((line) => h("p", {}, h("del", {}, bdi(line)))),
  );
}

function pieces(body, list, onPick) {
  return list.map((piece) => {
    if (piece.text) return body.slice(piece.text[0], piece.text[1]);
    const { kind, key, label } = piece.span;
    return h(
      "mark",
      {
        class: `hl hl-${kind}`,
        dataset: { key },
        title: `${KIND_NAMES[kind] ?? kind}: ${label}`,
        tabindex: "-1",
        on: {
          click: (event) => {
            // The innermost highlight clicked is the one meant, not the quote or post around it.
            event.stopPropagation();
            onPick(key);
          },
        },
      },
      pieces(body, piece.children, onPick),
    );
  });
}

/**
 * The furniture lines split into those above the story and those below it, by where each stands
 * in the text as pasted (the title's line is the dividing line).
 */
export function placeFurniture(text, title, lines) {
  const titleAt = text.indexOf(title);
  const before = [];
  const after = [];
  let from = 0;
  for (const line of lines) {
    const at = text.indexOf(line, from);
    if (at >= 0) from = at + line.length;
    (titleAt >= 0 && at >= 0 && at < titleAt ? before : after).push(line);
  }
  return { before, after };
}
