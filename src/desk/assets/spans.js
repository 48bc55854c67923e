// Highlights as a tree: the spans of a preview (quotes holding names, a post holding its person
// and unit, a mention inside a warning) nest; where two only overlap, the later one is cut at the
// earlier one's end and goes on after it, so every highlight is one or more whole elements.
// In O(n log n) per level of nesting: a story at the body limit may hold thousands of mentions in
// one paragraph, and the page must not stall on them.

/** Outer before inner when two spans cover the same words. */
export const RANK = { quote: 0, accreditation: 1, post: 2, conflict: 3, dropped: 3, unattributed: 3, attribution: 4, institution: 5, person: 6 };

function order(a, b) {
  return a.start - b.start || b.end - a.end || (RANK[a.kind] ?? 9) - (RANK[b.kind] ?? 9);
}

/** A binary min-heap in `order`: the pieces of spans cut at another's end, waiting for their place. */
class Waiting {
  constructor() {
    this.items = [];
  }

  get size() {
    return this.items.length;
  }

  peek() {
    return this.items[0];
  }

  push(item) {
    const items = this.items;
    items.push(item);
    let at = items.length - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (order(items[parent], items[at]) <= 0) break;
      [items[parent], items[at]] = [items[at], items[parent]];
      at = parent;
    }
  }

  pop() {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0) {
      items[0] = last;
      let at = 0;
      for (;;) {
        const left = 2 * at + 1;
        const right = left + 1;
        let least = at;
        if (left < items.length && order(items[left], items[least]) < 0) least = left;
        if (right < items.length && order(items[right], items[least]) < 0) least = right;
        if (least === at) break;
        [items[least], items[at]] = [items[at], items[least]];
        at = least;
      }
    }
    return top;
  }
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

/** `list` sorted in `order`, every item within [from, to). */
function build(list, from, to) {
  const pieces = [];
  const waiting = new Waiting();
  let next = 0;
  const more = () => next < list.length || waiting.size > 0;
  const peek = () => (waiting.size > 0 && (next >= list.length || order(waiting.peek(), list[next]) < 0) ? waiting.peek() : list[next]);
  const take = () => (waiting.size > 0 && (next >= list.length || order(waiting.peek(), list[next]) < 0) ? waiting.pop() : list[next++]);
  let cursor = from;
  while (more()) {
    const first = take();
    if (first.start > cursor) pieces.push({ text: [cursor, first.start] });
    const children = [];
    while (more() && peek().start < first.end) {
      const other = take();
      if (other.end <= first.end) children.push(other);
      else {
        children.push({ ...other, end: first.end });
        waiting.push({ ...other, start: first.end });
      }
    }
    pieces.push({ span: first.span, start: first.start, end: first.end, children: build(children.sort(order), first.start, first.end) });
    cursor = first.end;
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
