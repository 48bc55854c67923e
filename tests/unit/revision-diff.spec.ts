import "reflect-metadata";
import fc from "fast-check";
import { diffSnapshots } from "../../src/services/revision.diff";
import { imageLines } from "../../src/services/revisions";
import type { StorySnapshot } from "../../src/services/revisions";
import { RevisedField } from "../../src/entities/revision.entity";

/** A field's text as one side of its diff has it: the parts in both, and those only on that side. */
const side = (parts: Array<{ change: string; text: string }>, drop: "ADDED" | "REMOVED") => parts.filter((p) => p.change !== drop).map((p) => p.text);

const story = (fields: Partial<StorySnapshot>): StorySnapshot => ({ title: "Judul", summary: null, body: "Paragraf.", tags: [], images: { lead: null, others: [] }, ...fields });

const words = fc.array(fc.constantFrom("remisi", "warga", "binaan", "120", "125", "Lapas", "Kelas", "IIA", ",", ".", "—", "dan", "di"), { maxLength: 12 }).map((w) => w.join(" "));
const body = fc.array(words, { minLength: 1, maxLength: 6 }).map((ps) => ps.join("\n\n"));
const image = fc.record({
  url: fc.constantFrom("https://cdn.example/a.jpg", "https://cdn.example/b.jpg", "https://cdn.example/c.jpg"),
  width: fc.constantFrom(null, 1200),
  height: fc.constantFrom(null, 800),
  alt: fc.constantFrom("Petugas Lapas", "Warga binaan"),
  caption: fc.constantFrom(null, "Kegiatan pembinaan"),
  credit: fc.constantFrom(null, "Foto: Humas"),
});
const images = fc.option(fc.record({ lead: fc.option(image, { nil: null }), others: fc.array(image, { maxLength: 3 }) }), { nil: null, freq: 5 });
const snapshot: fc.Arbitrary<StorySnapshot> = fc.record({ title: words, summary: fc.option(words, { nil: null }), body, tags: fc.uniqueArray(fc.constantFrom("Remisi", "Natal", "Lapas", "Hukum"), { maxLength: 4 }), images });

describe("diffs between two revisions", () => {
  it("spell out both versions of every field that differs, and list no field that does not", () => {
    fc.assert(
      fc.property(snapshot, snapshot, (from, to) => {
        const diffs = diffSnapshots(from, to);
        for (const { field, parts } of diffs) {
          if (field === RevisedField.TAGS) {
            expect(side(parts, "ADDED")).toEqual(from.tags);
            expect(side(parts, "REMOVED")).toEqual(to.tags);
          } else if (field === RevisedField.IMAGES) {
            expect(side(parts, "ADDED")).toEqual(imageLines(from.images!));
            expect(side(parts, "REMOVED")).toEqual(imageLines(to.images!));
          } else {
            const key = field.toLowerCase() as "title" | "summary" | "body";
            expect(side(parts, "ADDED").join("")).toBe(from[key] ?? "");
            expect(side(parts, "REMOVED").join("")).toBe(to[key] ?? "");
            expect(parts.every((p) => p.text !== "")).toBe(true);
          }
        }
        const listed = diffs.map((d) => d.field);
        expect(listed.includes(RevisedField.TITLE)).toBe(from.title !== to.title);
        expect(listed.includes(RevisedField.BODY)).toBe(from.body !== to.body);
        expect(listed.includes(RevisedField.TAGS)).toBe(from.tags.join("|") !== to.tags.join("|"));
        // Images are compared only when both revisions kept them (snapshot version 2 on).
        const imagesDiffer = from.images !== null && to.images !== null && imageLines(from.images).join("|") !== imageLines(to.images).join("|");
        expect(listed.includes(RevisedField.IMAGES)).toBe(imagesDiffer);
      }),
      { numRuns: 300 },
    );
  });

  it("shows a corrected figure in a long body as that figure", () => {
    const paragraphs = Array.from({ length: 400 }, (_, i) => `Paragraf ${i} tentang pembinaan warga binaan di Lapas.`);
    const before = paragraphs.join("\n\n");
    const after = before.replace("Paragraf 250 tentang", "Paragraf 251 tentang");
    const [diff] = diffSnapshots(story({ body: before }), story({ body: after }));
    expect(diff!.parts.filter((p) => p.change !== "SAME")).toEqual([
      { change: "REMOVED", text: "250" },
      { change: "ADDED", text: "251" },
    ]);
  });

  it("shows bodies past its bounds as replaced whole, still spelling out both", () => {
    const paragraphs = (seed: string) => Array.from({ length: 500 }, (_, i) => `${seed} ${i} ${seed}`).join("\n\n");
    const [diff] = diffSnapshots(story({ body: paragraphs("lama") }), story({ body: paragraphs("baru") }));
    expect(diff!.parts.map((p) => p.change)).toEqual(["REMOVED", "ADDED"]);
    expect(diff!.parts.map((p) => p.text)).toEqual([paragraphs("lama"), paragraphs("baru")]);
  });
});
