import fs from "node:fs";
import path from "node:path";
import { CORRECTIONAL_CITIES, PROVINCES } from "./import.lexicon";

/*
 * Indonesia's provinces, regencies and cities (the idn-area-data package), so that a place of
 * several words ("Pangkal Pinang", "Lima Puluh Kota", "Nusa Tenggara Timur") is read whole. It is
 * used only to read where a place name ends: a place is a fact only where the text writes it.
 *
 * The package is ESM-only and its API asynchronous, while extraction is synchronous and pure; its
 * CSV files are read once instead, on first use, into plain sets.
 */

interface Gazetteer {
  /** Names of two or more words, lowercase, single-spaced: regencies and cities without "Kabupaten"/"Kota", and provinces. */
  multiWord: Set<string>;
  /** The longest such name, in words. */
  longest: number;
  /** The first words of those names: a run that starts otherwise is no known place (most runs are names). */
  firstWords: Set<string>;
  /** Province names, lowercase. */
  provinces: Set<string>;
}

let gazetteer: Gazetteer | null = null;

function namesIn(file: string): string[] {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .slice(1)
    .map((line) => line.slice(line.lastIndexOf(",") + 1).trim())
    .filter((name) => name !== "");
}

function load(): Gazetteer {
  const data = path.join(path.dirname(require.resolve("idn-area-data/package.json")), "data");
  const key = (name: string): string => name.toLowerCase().replace(/\s+/g, " ").trim();
  const regencies = namesIn(path.join(data, "regencies.csv")).map((n) => key(n.replace(/^(?:KABUPATEN|KOTA)(?:\s+ADMINISTRASI)?\s+/, "")));
  const provinces = [...namesIn(path.join(data, "provinces.csv")), ...PROVINCES].map(key);
  const multiWord = new Set([...regencies, ...provinces, ...CORRECTIONAL_CITIES].filter((n) => n.includes(" ")));
  return {
    multiWord,
    longest: Math.max(...[...multiWord].map((n) => n.split(" ").length)),
    firstWords: new Set([...multiWord].map((n) => n.split(" ")[0]!)),
    provinces: new Set(provinces),
  };
}

function places(): Gazetteer {
  gazetteer ??= load();
  return gazetteer;
}

/**
 * How many of `words` (capitalised words one space apart, as written) make the longest known place
 * of two or more words they start with, or 0: ["Pangkalan", "Bun", "Hendra"] → 2.
 */
export function knownPlaceLength(words: readonly string[]): number {
  const { multiWord, longest, firstWords } = places();
  if (words.length < 2 || !firstWords.has(words[0]!.toLowerCase())) return 0;
  for (let n = Math.min(longest, words.length); n >= 2; n--) {
    if (multiWord.has(words.slice(0, n).join(" ").toLowerCase())) return n;
  }
  return 0;
}

/** A province's name as the gazetteer or the lexicon spells it ("Sulawesi Selatan", "DI Yogyakarta"), case aside. */
export function isProvince(name: string): boolean {
  return places().provinces.has(name.toLowerCase().replace(/\s+/g, " ").trim());
}
