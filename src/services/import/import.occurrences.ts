import { alnumAt, letterAt } from "./import.text";
import type { Span } from "./import.types";

/*
 * Where given phrases are written in the body, all of them in one pass. The extractor asked "is
 * this name written elsewhere?" with a regex over the whole body per name, which is quadratic in
 * a story of many names (six thousand "Kalapas <city> <name>" phrases took 16 s). Here the body is
 * cut once into its runs of letters and digits, the phrases go into a trie of such runs, and each
 * run of the body walks the trie as far as the phrases go (a few runs: a phrase is a name or a
 * place). The answers are the regexes' own:
 *
 *   (?<![\p{L}\p{N}])<phrase, each run of white space as \s+>(?![\p{L}\p{N}])     with the g flag
 *
 * A phrase starts and ends with a letter or digit, so a match starts where a run of the body
 * starts and ends where one ends; between them the runs must be the same and the characters
 * between runs the same once each run of white space is one space.
 */

const RUN = /[\p{L}\p{N}]+/gu;
const WHITE = /\s+/g;

/**
 * A phrase to find: its runs, each after the gap before it, numbered as the body numbers them
 * (see {@link BodyRuns.step}); `steps` is null for one the trie cannot hold, found by a regex on `text`.
 */
export interface Phrase {
  steps: number[] | null;
  text: string;
}

/** A node of the trie: most have one step on (a phrase's own), so a map is made only for a second. */
class Node<T> {
  private step = -1;
  private child: Node<T> | null = null;
  private more: Map<number, Node<T>> | null = null;
  /** The matches of the phrase that ends here (null: none ends here); one list for every phrase given with these steps. */
  found: T[] | null = null;

  next(step: number): Node<T> | undefined {
    if (step === this.step) return this.child!;
    return this.more?.get(step);
  }

  /** The node one step on, made when new. */
  add(step: number): Node<T> {
    const known = this.next(step);
    if (known) return known;
    const node = new Node<T>();
    if (this.child === null) {
      this.step = step;
      this.child = node;
    } else (this.more ??= new Map()).set(step, node);
    return node;
  }

  get leaf(): boolean {
    return this.child === null;
  }
}

/** The body's runs of letters and digits and what stands between them, each text numbered once. */
export class BodyRuns {
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  /** Each run's text, as a number. */
  readonly runs: number[] = [];
  /** What stands before each run (after the one before it), white space as one space, as a number. */
  readonly gaps: number[] = [];
  private readonly runIds = new Map<string, number>();
  private readonly gapIds = new Map<string, number>();
  /** By place in the body: one more than the index of the run that starts (ends) there; 0 where none does. */
  private readonly startingHere: Int32Array;
  private readonly endingHere: Int32Array;

  constructor(public body: string) {
    this.startingHere = new Int32Array(body.length + 1);
    this.endingHere = new Int32Array(body.length + 1);
    // What /[\p{L}\p{N}]+/gu finds, read character by character.
    for (let at = 0; at < body.length; ) {
      let n = alnumAt(body, at, body.length);
      if (n === 0) {
        at++;
        continue;
      }
      const start = at;
      while (n > 0) {
        at += n;
        n = alnumAt(body, at, body.length);
      }
      const i = this.starts.length;
      this.starts.push(start);
      this.ends.push(at);
      this.startingHere[start] = i + 1;
      this.endingHere[at] = i + 1;
      this.runs.push(idOf(this.runIds, body.slice(start, at)));
      this.gaps.push(i === 0 ? -1 : idOf(this.gapIds, normalGap(body.slice(this.ends[i - 1]!, start))));
    }
    // The letters a run with digits opens with are numbered too: a phrase may end there (findAfterMarkers).
    for (const text of [...this.runIds.keys()]) {
      const letters = leadingLetters(text);
      if (letters !== "" && letters !== text) idOf(this.runIds, letters);
    }
    this.written = new Int32Array(this.runIds.size);
    this.writtenAt = new Int32Array(this.runIds.size);
    this.runs.forEach((id, i) => {
      this.written[id]!++;
      this.writtenAt[id] = i;
    });
  }

  /** How often each run's text is written as a run, and the index of one place it is. */
  private readonly written: Int32Array;
  private readonly writtenAt: Int32Array;

  /**
   * Where a phrase can only start when one of its runs (the last one aside with `lastAside`) is
   * written once in the body: the index of that run less its place in the phrase; -1 when one is
   * written nowhere as a run; undefined when each is written more than once.
   */
  onlyStart(steps: readonly number[], lastAside: boolean): number | undefined {
    const width = this.runIds.size + 1;
    for (let t = 0; t < (lastAside ? steps.length - 1 : steps.length); t++) {
      const id = t === 0 ? steps[0]! : steps[t]! % width;
      const written = this.written[id]!;
      if (written === 0) return -1;
      if (written === 1) return this.writtenAt[id]! - t;
    }
    return undefined;
  }

  /**
   * Whether one of the body's runs from `start` to `end` (the last one aside with `lastAside`) is
   * written once in the body: then the words there are written nowhere else.
   */
  writtenOnce(start: number, end: number, lastAside: boolean): boolean {
    const first = this.startingAt(start);
    const last = this.endingAt(end);
    if (first === undefined || last === undefined) return false;
    for (let i = first; i <= (lastAside ? last - 1 : last); i++) if (this.written[this.runs[i]!] === 1) return true;
    return false;
  }

  /** Whether the phrase's steps but the last `spare` are the body's from run `at` on. */
  stepsAt(steps: readonly number[], at: number, spare: number): boolean {
    if (at < 0 || at + steps.length > this.runs.length) return false;
    for (let t = 0; t < steps.length - spare; t++) if ((t === 0 ? this.runs[at]! : this.stepAt(at + t)) !== steps[t]) return false;
    return true;
  }

  /** The body's own text from `start` to `end` as a phrase, taken from the runs (nothing cut or compared); null unless a run starts at `start` and one ends at `end`. */
  phraseAt(start: number, end: number): Phrase | null {
    const first = this.startingAt(start);
    const last = this.endingAt(end);
    if (first === undefined || last === undefined || last < first) return null;
    const steps = [this.runs[first]!];
    for (let i = first + 1; i <= last; i++) steps.push(this.stepAt(i));
    return { steps, text: this.body.slice(start, end) };
  }

  /** A phrase given as text; null when the body has a run or gap it has not, so that it is written nowhere. */
  phrase(text: string): Phrase | null {
    const steps: number[] = [];
    let last = 0;
    RUN.lastIndex = 0;
    for (let m = RUN.exec(text); m !== null; m = RUN.exec(text)) {
      if (steps.length === 0 && m.index !== 0) return { steps: null, text };
      const step = steps.length === 0 ? this.run(m[0]) : this.step(text.slice(last, m.index), m[0]);
      if (step === -1) return null;
      steps.push(step);
      last = m.index + m[0].length;
    }
    return steps.length === 0 || last !== text.length ? { steps: null, text } : { steps, text };
  }

  /** The number of a run's text; -1 when the body has no such run. */
  run(text: string): number {
    return this.runIds.get(text) ?? -1;
  }

  /** The number of a step: a gap, then a run; -1 when the body has no such gap or run. */
  step(gap: string, run: string): number {
    const g = this.gapIds.get(normalGap(gap));
    const r = this.runIds.get(run);
    return g === undefined || r === undefined ? -1 : g * (this.runIds.size + 1) + r;
  }

  /** The step from run i-1 to run i of the body. */
  stepAt(i: number): number {
    return this.gaps[i]! * (this.runIds.size + 1) + this.runs[i]!;
  }

  /** The run that starts at `at`, if one does. */
  startingAt(at: number): number | undefined {
    const i = at >= 0 && at <= this.body.length ? this.startingHere[at]! : 0;
    return i === 0 ? undefined : i - 1;
  }

  /** The run that ends at `at`, if one does. */
  endingAt(at: number): number | undefined {
    const i = at >= 0 && at <= this.body.length ? this.endingHere[at]! : 0;
    return i === 0 ? undefined : i - 1;
  }
}

/** The last body's runs: the institutions' reader and the people's each need them. */
let lastRuns: BodyRuns | null = null;

/** The runs of `body`, made once for it. */
export function runsOf(body: string): BodyRuns {
  if (lastRuns === null || lastRuns.body !== body) lastRuns = new BodyRuns(body);
  // Strings compare by content: an equal body read again is compared in full once, and then by reference.
  else lastRuns.body = body;
  return lastRuns;
}

function idOf(ids: Map<string, number>, text: string): number {
  let id = ids.get(text);
  if (id === undefined) ids.set(text, (id = ids.size));
  return id;
}

/** The letters a run opens with ("Binjai" of "Binjai2"). */
function leadingLetters(run: string): string {
  let i = 0;
  for (let n = letterAt(run, 0); n > 0; n = letterAt(run, i)) i += n;
  return i === run.length ? run : run.slice(0, i);
}

/** `/(?:^|[^\p{L}\p{N}])\p{L}+$/u`: the text ends with a run of letters (not one of letters and digits). */
function endsWithLetters(text: string): boolean {
  let i = text.length;
  // Read backwards: a low surrogate's letter is its pair's.
  while (i > 0) {
    const pair = i >= 2 && letterAt(text, i - 2) === 2;
    if (pair) i -= 2;
    else if (letterAt(text, i - 1) === 1) i--;
    else break;
  }
  if (i === text.length) return false;
  return i === 0 || alnumAt(text, i - 1, text.length) === 0 && !(i >= 2 && alnumAt(text, i - 2, text.length) === 2);
}

const normalGap = (gap: string): string => (gap === " " ? gap : gap.replace(WHITE, " "));

/**
 * The phrases as a trie of steps, and each phrase's list of matches (to be filled): the same list
 * for phrases with the same steps, so a phrase given once per form is found once. A phrase the
 * body cannot hold (null) gets an empty list; one the trie cannot hold a list of its own and a
 * place in `unsplit`, to be searched by regex. With `lastRunLetters`, a phrase whose last run is
 * not all letters is one of those (see findAfterMarkers).
 */
function trieOf<T>(phrases: ReadonlyArray<Phrase | null>, lastRunLetters: boolean): { root: Node<T>; lists: T[][]; unsplit: number[] } {
  const root = new Node<T>();
  const unsplit: number[] = [];
  const lists = phrases.map((phrase, id): T[] => {
    if (!phrase) return [];
    if (!phrase.steps || (lastRunLetters && !endsWithLetters(phrase.text))) {
      unsplit.push(id);
      return [];
    }
    let node = root;
    for (const step of phrase.steps) node = node.add(step);
    return (node.found ??= []);
  });
  return { root, lists, unsplit };
}

/** Keeps in each list, left to right, the matches that do not overlap the one kept before (what a g-flag regex's exec loop returns). */
function leftmost<T extends Span>(lists: T[][]): T[][] {
  for (const list of new Set(lists)) {
    if (list.length < 2) continue;
    list.sort((a, b) => a.start - b.start);
    let kept = 1;
    for (let i = 1; i < list.length; i++) if (list[i]!.start >= list[kept - 1]!.end) list[kept++] = list[i]!;
    list.length = kept;
  }
  return lists;
}

/**
 * Where a phrase of findAfterMarkers whose runs but the last are the body's from run `at` on ends:
 * its last run whole, or the letters that open a run with digits; -1 where it does not end there.
 */
function lastRunEnd(runs: BodyRuns, steps: readonly number[], at: number): number {
  const last = steps.length - 1;
  const j = at + last;
  if (j >= runs.starts.length) return -1;
  const text = runs.body.slice(runs.starts[j], runs.ends[j]);
  const letters = leadingLetters(text);
  if (letters === text) return (last === 0 ? runs.runs[j]! : runs.stepAt(j)) === steps[last] ? runs.ends[j]! : -1;
  if (letters === "") return -1;
  const step = last === 0 ? runs.run(letters) : runs.step(runs.body.slice(runs.ends[j - 1], runs.starts[j]), letters);
  return step === steps[last] ? runs.starts[j]! + letters.length : -1;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+");

/**
 * Every match of each phrase in the body, as `(?<![\p{L}\p{N}])<phrase>(?![\p{L}\p{N}])` with the
 * g flag finds them (white space in a phrase matching any run of white space). Index i of the
 * answer is phrases[i]'s matches, left to right; phrases alike share one list (not to be changed).
 */
export function findPhrases(runs: BodyRuns, phrases: ReadonlyArray<Phrase | null>): Span[][] {
  // A phrase with a run written once in the body can be written only there: it is looked for there, not by the trie.
  const alone = new Map<number, Span[]>();
  phrases.forEach((phrase, id) => {
    const at = phrase?.steps ? runs.onlyStart(phrase.steps, false) : undefined;
    if (at !== undefined) alone.set(id, runs.stepsAt(phrase!.steps!, at, 0) ? [{ start: runs.starts[at]!, end: runs.ends[at + phrase!.steps!.length - 1]! }] : []);
  });
  const { root, lists, unsplit } = trieOf<Span>(alone.size === 0 ? phrases : phrases.map((p, id) => (alone.has(id) ? null : p)), false);
  for (const [id, list] of alone) lists[id] = list;
  const count = runs.starts.length;
  for (let i = 0; i < count; i++) {
    let node = root.next(runs.runs[i]!);
    for (let j = i; node; ) {
      node.found?.push({ start: runs.starts[i]!, end: runs.ends[j]! });
      if (++j >= count || node.leaf) break;
      node = node.next(runs.stepAt(j));
    }
  }
  for (const id of unsplit) {
    const re = new RegExp(String.raw`(?<![\p{L}\p{N}])${escape(phrases[id]!.text)}(?![\p{L}\p{N}])`, "gu");
    for (let m = re.exec(runs.body); m !== null; m = re.exec(runs.body)) lists[id]!.push({ start: m.index, end: m.index + m[0].length });
  }
  return leftmost(lists);
}

/**
 * Every match of each phrase right after a marker word, as `<markers>(<phrase>)(?![\p{L}])` with
 * the g flag finds them (`markers` a g-flag regex that ends where a phrase may start): the spans
 * are the whole matches, marker included, and `at` where the phrase starts. Only a letter goes on
 * a phrase here ("di Binjai2" names Binjai), so its last run may be the letters that open a
 * longer run of the body.
 */
export function findAfterMarkers(runs: BodyRuns, markers: RegExp, phrases: ReadonlyArray<Phrase | null>): Array<Array<Span & { at: number }>> {
  // Where each marker ends (where a phrase may start), and where it starts.
  const marked = new Map<number, number>();
  markers.lastIndex = 0;
  for (let m = markers.exec(runs.body); m !== null; m = markers.exec(runs.body)) marked.set(m.index + m[0].length, m.index);
  // A phrase with a run but its last written once in the body can start only at one place: it is looked for there, not by the trie.
  const alone = new Map<number, Array<Span & { at: number }>>();
  phrases.forEach((phrase, id) => {
    if (!phrase?.steps || !endsWithLetters(phrase.text)) return;
    const at = runs.onlyStart(phrase.steps, true);
    if (at === undefined) return;
    const markerAt = at < 0 ? undefined : marked.get(runs.starts[at]!);
    const end = markerAt === undefined || !runs.stepsAt(phrase.steps, at, 1) ? -1 : lastRunEnd(runs, phrase.steps, at);
    alone.set(id, end === -1 ? [] : [{ start: markerAt!, end, at: runs.starts[at]! }]);
  });
  const { root, lists, unsplit } = trieOf<Span & { at: number }>(alone.size === 0 ? phrases : phrases.map((p, id) => (alone.has(id) ? null : p)), true);
  for (const [id, list] of alone) lists[id] = list;
  const count = runs.starts.length;
  for (const [at, markerAt] of marked) {
    const i = runs.startingAt(at);
    if (i === undefined) continue;
    let node: Node<Span & { at: number }> | undefined = root;
    for (let j = i; node && j < count; j++) {
      const whole = node.next(j === i ? runs.runs[j]! : runs.stepAt(j));
      const text = runs.body.slice(runs.starts[j], runs.ends[j]);
      const letters = leadingLetters(text);
      // Where the run's opening letters are not the whole run, a phrase may end with them.
      const opening = letters !== "" && letters !== text ? node.next(j === i ? runs.run(letters) : runs.step(runs.body.slice(runs.ends[j - 1], runs.starts[j]), letters)) : undefined;
      const end = letters === text ? whole : opening;
      end?.found?.push({ start: markerAt, end: runs.starts[j]! + letters.length, at });
      node = whole;
    }
  }
  for (const id of unsplit) {
    const re = new RegExp(String.raw`${markers.source}(${escape(phrases[id]!.text)})(?![\p{L}])`, "gu");
    for (let m = re.exec(runs.body); m !== null; m = re.exec(runs.body)) lists[id]!.push({ start: m.index, end: m.index + m[0].length, at: m.index + m[0].length - m[1]!.length });
  }
  return leftmost(lists);
}
