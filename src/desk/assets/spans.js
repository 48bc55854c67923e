// Highlights as a tree: the spans of a preview (quotes holding names, a post holding its person
// and unit, a mention inside a warning) nest; where two only overlap, the later one is cut at the
// earlier one's end and goes on after it, so every highlight is one or more whole elements.

/** Outer before inner when two spans cover the same words. */
export const RANK = { quote: 0, accreditation: 1, post: 2, warning: 3, attribution: 4, institution: 5, person: 6 };

function order(a, b) {
  return a.start - b.start || b.end - a.end || (RANK[a.kind] ?? 9) - (RANK[b.kind] ?? 9);
}

/**
 * The stretch [from, to) as a list of pieces: `{ text: [start, end] }` for plain words and
 * `{ span, start, end, children }` for a highlight, `span` being the object given (with `start`,
 * `end` and `kind`). Spans outside the stretch are left out, and cut at its edges.
 */
export function nest(spans, from, to) {
  const inside = [];
  for (const span of spans) {
    const start = Math.max(span.start, from);
    const end = Math.min(span.end, to);
    if (end > start) inside.push({ span, start, end, kind: span.kind });
  }
  return build(inside.sort(order), from, to);
}

function build(list, from, to) {
  const pieces = [];
  let cursor = from;
  let queue = list;
  while (queue.length > 0) {
    const [first, ...others] = queue;
    const start = Math.max(first.start, cursor);
    if (start >= first.end) {
      queue = others;
      continue;
    }
    if (start > cursor) pieces.push({ text: [cursor, start] });
    const children = [];
    const rest = [];
    for (const other of others) {
      if (other.start >= first.end) rest.push(other);
      else if (other.end <= first.end) children.push(other);
      else {
        children.push({ ...other, end: first.end });
        rest.push({ ...other, start: first.end });
      }
    }
    pieces.push({ span: first.span, start, end: first.end, children: build(children.sort(order), start, first.end) });
    cursor = first.end;
    queue = rest.sort(order);
  }
  if (cursor < to) pieces.push({ text: [cursor, to] });
  return pieces;
}

/** Where each paragraph stands in the body they make when joined by blank lines. */
export function paragraphRanges(paragraphs) {
  const ranges = [];
  let at = 0;
  for (const paragraph of paragraphs) {
    ranges.push([at, at + paragraph.length]);
    at += paragraph.length + 2;
  }
  return ranges;
}
