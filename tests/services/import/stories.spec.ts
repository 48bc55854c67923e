import fs from "node:fs";
import path from "node:path";
import { extractStory } from "../../../src/services/import/import.extract";
import { expectNothingInvented, factsOf } from "./helpers";

const DIR = path.join(__dirname, "stories");
const STORIES = fs.readdirSync(DIR).filter((f) => f.endsWith(".txt")).sort();

describe("the test stories", () => {
  it("are at least ten, each with its expected facts", () => {
    expect(STORIES.length).toBeGreaterThanOrEqual(10);
    for (const file of STORIES) expect(fs.existsSync(path.join(DIR, file.replace(/\.txt$/, ".expected.json")))).toBe(true);
  });

  it.each(STORIES)("%s gives exactly its expected facts", (file) => {
    const expected: unknown = JSON.parse(fs.readFileSync(path.join(DIR, file.replace(/\.txt$/, ".expected.json")), "utf8"));
    expect(factsOf(extractStory(fs.readFileSync(path.join(DIR, file), "utf8")))).toEqual(expected);
  });

  it.each([...STORIES, "../../../../src/services/seed/seed-article.txt"])("%s: nothing is invented", (file) => {
    expectNothingInvented(extractStory(fs.readFileSync(path.join(DIR, file), "utf8")));
  });

  it("leave no page furniture in a body", () => {
    for (const file of STORIES) {
      const { story } = extractStory(fs.readFileSync(path.join(DIR, file), "utf8"));
      for (const furniture of ["banner", "iklan", "ADVERTISEMENT", "SCROLL TO CONTINUE", "Baca Juga", "Editor:", "Bagikan", "Berita Terkait", "Tinggalkan Balasan", "Alamat email", "WIB"]) {
        expect(story.body).not.toContain(furniture);
      }
    }
  });

  it("report what they drop: the unresolvable speakers of 07 are named in the warnings, not stored", () => {
    const r = extractStory(fs.readFileSync(path.join(DIR, "07-unresolved.txt"), "utf8"));
    const unresolved = r.warnings.filter((w) => w.code === "UNRESOLVED_SPEAKER");
    expect(unresolved.map((w) => r.story.body.slice(w.span!.start, w.span!.end))).toEqual([
      "Semua kamar sudah kami periksa sejak pagi",
      "Kami menemukan dua telepon genggam dan beberapa kabel pengisi daya",
      "Barang-barang itu langsung kami musnahkan di halaman",
    ]);
    for (const w of unresolved) expect(r.quotes.some((q) => q.span.start === w.span!.start)).toBe(false);
    expect(r.warnings.find((w) => w.code === "AMBIGUOUS_NAME")!.message).toMatch(/Agus Salim and Agus Pranoto/);
  });
});
