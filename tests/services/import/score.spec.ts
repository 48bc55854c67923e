import fs from "node:fs";
import { extractStory } from "../../../src/services/import/import.extract";
import { expectNothingInvented } from "./helpers";
import { KINDS, precision, recall, scoreStories, storyFiles, storyFolders, table } from "./score";

const { stories, corpus } = storyFolders();
const CORPUS = storyFiles(corpus);
const ALL = [...storyFiles(stories), ...CORPUS];

describe("the importer, measured at the level of facts over every test story", () => {
  const score = scoreStories(ALL);

  it("has at least 30 held-out stories, each with its expected facts", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(30);
    for (const file of CORPUS) expect(fs.existsSync(file.replace(/\.txt$/, ".expected.json"))).toBe(true);
  });

  it("never gives a quote to the wrong speaker", () => {
    const wrong = score.stories.flatMap((s) => s.wrong.filter(([kind]) => kind === "attributions").map(([, fact]) => `${s.file}: ${fact}`));
    expect(wrong).toEqual([]);
    expect(precision(score.totals.attributions)).toBe(1);
  });

  it.each(KINDS.filter((k) => k !== "unresolved"))("%s: precision at least 99 %, recall at least 95 %", (kind) => {
    const t = score.totals[kind];
    const detail = `\n${table(score)}\n${score.stories.flatMap((s) => [...s.missed, ...s.wrong].filter(([k]) => k === kind).map(([, f]) => `${s.file}: ${f}`)).join("\n")}`;
    expect({ kind, precision: precision(t) >= 0.99, recall: recall(t) >= 0.95, detail: precision(t) >= 0.99 && recall(t) >= 0.95 ? "" : detail }).toEqual({ kind, precision: true, recall: true, detail: "" });
  });

  it.each(CORPUS.map((f) => f.slice(corpus.length + 1)))("%s: nothing is invented", (file) => {
    expectNothingInvented(extractStory(fs.readFileSync(`${corpus}/${file}`, "utf8")));
  });
});
