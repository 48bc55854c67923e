import fs from "node:fs";
import path from "node:path";
import { extractStory } from "../../../src/services/import/import.extract";
import { factsOf } from "./helpers";

/*
 * Measures the importer at the level of facts: every test story (tests/services/import/stories, and the
 * held-out corpus in tests/services/import/corpus) is extracted, which is what an import plans against an
 * empty store (every record CREATE, nothing to link or contradict), and each kind of fact it states
 * is compared with the facts written down by reading the story. A fact is right only when every
 * field of it is: an institution with the wrong city is a wrong institution.
 *
 *   npm run score:import                 the table for the held-out corpus and for all stories
 *   npm run score:import -- --verbose    and, story by story, each fact missed or wrong
 */

/** The kinds of fact, in the order the table prints them. */
export const KINDS = ["institutions", "classes", "accreditations", "people", "positions", "quotes", "attributions", "unresolved"] as const;
export type Kind = (typeof KINDS)[number];

export interface Tally {
  /** Facts the story states. */
  expected: number;
  /** Facts the importer gave. */
  found: number;
  /** Facts the importer gave that the story states. */
  right: number;
}

export interface StoryScore {
  file: string;
  tallies: Record<Kind, Tally>;
  /** Facts the story states that the importer did not give, and facts it gave that the story does not state. */
  missed: Array<[Kind, string]>;
  wrong: Array<[Kind, string]>;
}

export interface CorpusScore {
  stories: StoryScore[];
  totals: Record<Kind, Tally>;
}

/** The facts of one story, as the expected files write them (and as factsOf gives them). */
interface StoryFacts {
  institutions: Array<{ name: string; shortName: string | null; kind: string; classification: string | null; city: string | null; province: string | null; parent: string | null }>;
  accreditations: Array<{ code: string; year: number; institution: string | null }>;
  people: Array<{ name: string; positions: Array<{ title: string; institution: string | null; current: boolean }> }>;
  quotes: Array<{ text: string; speaker: string; institution: string | null }>;
  /** The quotes a story leaves unsettled: to be reported with UNRESOLVED_SPEAKER and not stored. */
  unresolved: string[];
}

/** Each kind of fact as comparable strings; a kind's facts are a multiset. */
function factStrings(f: StoryFacts): Record<Kind, string[]> {
  return {
    institutions: f.institutions.map((i) => `${i.kind} ${i.name} | short ${i.shortName} | city ${i.city} | province ${i.province} | parent ${i.parent}`),
    classes: f.institutions.filter((i) => i.classification !== null).map((i) => `${i.name}: ${i.classification}`),
    accreditations: f.accreditations.map((a) => `${a.code} ${a.year} ${a.institution}`),
    people: f.people.map((p) => p.name),
    positions: f.people.flatMap((p) => p.positions.map((x) => `${p.name}: ${x.title} @ ${x.institution}${x.current ? "" : " (former)"}`)),
    quotes: f.quotes.map((q) => `“${q.text}” for ${q.institution}`),
    attributions: f.quotes.map((q) => `“${q.text}” said by ${q.speaker}`),
    unresolved: f.unresolved,
  };
}

function compare(expected: string[], found: string[]): { tally: Tally; missed: string[]; wrong: string[] } {
  const left = new Map<string, number>();
  for (const e of expected) left.set(e, (left.get(e) ?? 0) + 1);
  const wrong: string[] = [];
  let right = 0;
  for (const f of found) {
    const n = left.get(f) ?? 0;
    if (n > 0) {
      left.set(f, n - 1);
      right++;
    } else wrong.push(f);
  }
  const missed = [...left].flatMap(([e, n]) => Array<string>(n).fill(e));
  return { tally: { expected: expected.length, found: found.length, right }, missed, wrong };
}


/** The folders of test stories: each `name.txt` with its `name.expected.json`. */
export function storyFolders(): { stories: string; corpus: string } {
  // Run by ts-jest from tests/services/import, or compiled from dist/tests/services/import (the stories are not copied there).
  const here = fs.existsSync(path.join(__dirname, "stories")) ? __dirname : path.resolve(__dirname, "..", "..", "..", "..", "tests", "services", "import");
  return { stories: path.join(here, "stories"), corpus: path.join(here, "corpus") };
}

export function storyFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .sort()
    .map((f) => path.join(dir, f));
}

export function scoreStories(files: readonly string[]): CorpusScore {
  const empty = (): Record<Kind, Tally> => Object.fromEntries(KINDS.map((k) => [k, { expected: 0, found: 0, right: 0 }])) as Record<Kind, Tally>;
  const totals = empty();
  const stories: StoryScore[] = [];
  for (const file of files) {
    const expected = JSON.parse(fs.readFileSync(file.replace(/\.txt$/, ".expected.json"), "utf8")) as StoryFacts;
    const found: StoryFacts = factsOf(extractStory(fs.readFileSync(file, "utf8")));
    const want = factStrings(expected);
    const got = factStrings(found);
    const score: StoryScore = { file: path.basename(file), tallies: empty(), missed: [], wrong: [] };
    for (const kind of KINDS) {
      const { tally, missed, wrong } = compare(want[kind], got[kind]);
      score.tallies[kind] = tally;
      score.missed.push(...missed.map((m): [Kind, string] => [kind, m]));
      score.wrong.push(...wrong.map((w): [Kind, string] => [kind, w]));
      totals[kind].expected += tally.expected;
      totals[kind].found += tally.found;
      totals[kind].right += tally.right;
    }
    stories.push(score);
  }
  return { stories, totals };
}

export const precision = (t: Tally): number => (t.found === 0 ? 1 : t.right / t.found);
export const recall = (t: Tally): number => (t.expected === 0 ? 1 : t.right / t.expected);

export function table(score: CorpusScore): string {
  const pct = (x: number): string => `${(100 * x).toFixed(1)} %`.padStart(9);
  const lines = [`${"facts".padEnd(15)}${"stated".padStart(8)}${"given".padStart(8)}${"right".padStart(8)}${"precision".padStart(11)}${"recall".padStart(9)}`];
  for (const kind of KINDS) {
    const t = score.totals[kind];
    lines.push(`${kind.padEnd(15)}${String(t.expected).padStart(8)}${String(t.found).padStart(8)}${String(t.right).padStart(8)}  ${pct(precision(t))}${pct(recall(t))}`);
  }
  const exact = score.stories.filter((s) => s.missed.length === 0 && s.wrong.length === 0).length;
  lines.push(`${score.stories.length} stories, ${exact} with every fact right`);
  return lines.join("\n");
}

function main(argv: readonly string[]): void {
  const { stories, corpus } = storyFolders();
  const heldOut = scoreStories(storyFiles(corpus));
  const all = scoreStories([...storyFiles(stories), ...storyFiles(corpus)]);
  console.log(`Held-out corpus (tests/import/corpus)\n${table(heldOut)}\n\nAll test stories (tests/import/stories and corpus)\n${table(all)}`);
  if (argv.includes("--verbose")) {
    for (const s of all.stories) {
      if (s.missed.length === 0 && s.wrong.length === 0) continue;
      console.log(`\n${s.file}`);
      for (const [kind, fact] of s.missed) console.log(`  missed ${kind.padEnd(14)} ${fact}`);
      for (const [kind, fact] of s.wrong) console.log(`  wrong  ${kind.padEnd(14)} ${fact}`);
    }
  }
}

if (require.main === module) main(process.argv.slice(2));
