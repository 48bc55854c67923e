import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import fc from "fast-check";

/*
 * The desk's highlight tree (src/desk/assets/spans.js, a browser module, loaded here as plain
 * script): whatever spans a preview gives, every highlight covers exactly its words, once, and
 * the pieces tile the paragraph in order.
 */

interface Span {
  start: number;
  end: number;
  kind: string;
  id: number;
}
type Piece = { text: [number, number] } | { span: Span; start: number; end: number; children: Piece[] };

const source = fs.readFileSync(path.join(__dirname, "..", "..", "src", "desk", "assets", "spans.js"), "utf8");
const { nest } = vm.runInNewContext(`${source.replace(/^export /gm, "")}\n({ nest })`) as { nest: (spans: Span[], from: number, to: number) => Piece[] };

const KINDS = ["quote", "accreditation", "post", "conflict", "attribution", "institution", "person"];

/**
 * Checks that `pieces` tile [from, to) in order, each highlight's children within it (throwing on
 * the first break: thousands of expect() calls would cost more than what they check); collects
 * each span's covered stretches.
 */
function walk(pieces: Piece[], from: number, to: number, covered: Map<number, Array<[number, number]>>): void {
  const fail = (what: string): never => {
    throw new Error(`${what} in [${from}, ${to})`);
  };
  let cursor = from;
  for (const piece of pieces) {
    const [start, end] = "text" in piece ? piece.text : [piece.start, piece.end];
    if (start !== cursor) fail(`a piece starts at ${start}, not at ${cursor}`);
    if (end <= start) fail(`an empty piece at ${start}`);
    if (!("text" in piece)) {
      if (start < piece.span.start || end > piece.span.end) fail(`a piece of span ${piece.span.id} runs outside it`);
      const list = covered.get(piece.span.id) ?? [];
      list.push([start, end]);
      covered.set(piece.span.id, list);
      walk(piece.children, start, end, covered);
    }
    cursor = end;
  }
  if (cursor !== to) fail(`the pieces end at ${cursor}`);
}

describe("the desk's highlight tree", () => {
  it("nests a post round its person and unit, and a quote round a name", () => {
    const spans: Span[] = [
      { start: 0, end: 37, kind: "post", id: 0 },
      { start: 7, end: 23, kind: "institution", id: 1 },
      { start: 25, end: 37, kind: "person", id: 2 },
      { start: 40, end: 60, kind: "quote", id: 3 },
      { start: 45, end: 50, kind: "institution", id: 4 },
    ];
    const pieces = nest(spans, 0, 64);
    // A highlight's own words are a text piece inside it; only highlights within it are shown as `in`.
    const shape = (list: Piece[]): unknown[] => list.map((p) => ("text" in p ? p.text : { [p.span.kind]: [p.start, p.end], ...(p.children.some((c) => !("text" in c)) ? { in: shape(p.children) } : {}) }));
    expect(shape(pieces)).toEqual([
      { post: [0, 37], in: [[0, 7], { institution: [7, 23] }, [23, 25], { person: [25, 37] }] },
      [37, 40],
      { quote: [40, 60], in: [[40, 45], { institution: [45, 50] }, [50, 60]] },
      [60, 64],
    ]);
  });

  it("cuts a span that only overlaps another at the other's end, and goes on after it", () => {
    const pieces = nest(
      [
        { start: 0, end: 10, kind: "accreditation", id: 0 },
        { start: 5, end: 15, kind: "post", id: 1 },
      ],
      0,
      20,
    );
    const covered = new Map<number, Array<[number, number]>>();
    walk(pieces, 0, 20, covered);
    expect(covered.get(0)).toEqual([[0, 10]]);
    expect(covered.get(1)).toEqual([
      [5, 10],
      [10, 15],
    ]);
  });

  it("covers each span's words exactly, once, whatever the spans (property)", () => {
    const spanArb = fc.record({ start: fc.integer({ min: 0, max: 60 }), length: fc.integer({ min: 0, max: 30 }), kind: fc.constantFrom(...KINDS) });
    fc.assert(
      fc.property(fc.array(spanArb, { maxLength: 25 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 40, max: 90 }), (raw, from, to) => {
        const spans = raw.map((s, id) => ({ start: s.start, end: s.start + s.length, kind: s.kind, id }));
        const covered = new Map<number, Array<[number, number]>>();
        walk(nest(spans, from, to), from, to, covered);
        for (const span of spans) {
          const start = Math.max(span.start, from);
          const end = Math.min(span.end, to);
          const parts = (covered.get(span.id) ?? []).sort((a, b) => a[0] - b[0]);
          if (end <= start) {
            expect(parts).toEqual([]);
            continue;
          }
          // The stretches tile the span's words: no gap, no overlap.
          expect(parts[0]![0]).toBe(start);
          for (let i = 1; i < parts.length; i++) expect(parts[i]![0]).toBe(parts[i - 1]![1]);
          expect(parts[parts.length - 1]![1]).toBe(end);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("nests 26,000 spans of one paragraph, each covered whole (the shape a story at the body limit can have)", () => {
    // 20,000 names under 2,000 quotes, each quote cut by a post running past its end.
    const spans: Span[] = [];
    for (let q = 0; q < 2000; q++) {
      const at = q * 100;
      spans.push({ start: at, end: at + 90, kind: "quote", id: spans.length }, { start: at + 80, end: at + 95, kind: "post", id: spans.length + 1 });
      for (let n = 0; n < 10; n++) spans.push({ start: at + n * 8, end: at + n * 8 + 6, kind: "person", id: spans.length });
    }
    const pieces = nest(spans, 0, 200_000);
    const covered = new Map<number, Array<[number, number]>>();
    walk(pieces, 0, 200_000, covered);
    expect(covered.size).toBe(spans.length);
  });
});
