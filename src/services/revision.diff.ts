import { diffArrays, diffLines, diffWordsWithSpace } from "diff";
import { DiffChange, RevisedField } from "../entities/revision.entity";
import { fieldOf, REVISED_FIELDS, sameValue } from "./revisions";
import type { StorySnapshot } from "./revisions";

/** One stretch of a field's diff: text in both versions, or in one of them. */
export interface DiffPart {
  readonly change: DiffChange;
  readonly text: string;
}

/** How one field differs between two versions, in reading order. */
export interface FieldDiff {
  readonly field: RevisedField;
  readonly parts: DiffPart[];
}

/**
 * Bounds on the work of one diff, so that two unrelated 200,000-character bodies cost tens of
 * milliseconds, not seconds (measured in docs/api.md#revisions): past them a stretch is shown as
 * removed and added whole rather than compared further.
 */
const LIMITS = {
  /** Paragraph lines a body's line diff may change before the body is shown as replaced whole. */
  bodyLines: 400,
  /** Words a replaced paragraph's word diff may change before it is shown as replaced whole. */
  pairWords: 200,
  /** Characters of replaced paragraphs a body's diff compares within {@link pairWords}, in all. */
  refinedChars: 20_000,
  /** Past that, words a replaced paragraph's diff may change (a corrected figure still shows as one). */
  pairWordsPastBudget: 20,
  /** Words a title's or summary's diff may change before it is shown as replaced whole. */
  shortWords: 1000,
};

function replacedWhole(before: string, after: string): DiffPart[] {
  return [
    ...(before === "" ? [] : [{ change: DiffChange.REMOVED, text: before }]),
    ...(after === "" ? [] : [{ change: DiffChange.ADDED, text: after }]),
  ];
}

function changeOf(c: { added: boolean; removed: boolean }): DiffChange {
  return c.added ? DiffChange.ADDED : c.removed ? DiffChange.REMOVED : DiffChange.SAME;
}

function partsOf(changes: ReadonlyArray<{ value: string; added: boolean; removed: boolean }>): DiffPart[] {
  return changes.map((c) => ({ change: changeOf(c), text: c.value }));
}

/** Neighbouring parts of one kind as one (a refined paragraph ends where the next unchanged one starts). */
function merged(parts: readonly DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (last && last.change === part.change) out[out.length - 1] = { change: last.change, text: last.text + part.text };
    else if (part.text !== "") out.push(part);
  }
  return out;
}

/**
 * Changes separated only by spaces as one removal and one addition: a rewritten sentence reads
 * as the old one and the new one, not as its words interleaved around the spaces they share.
 */
function coalesced(parts: readonly DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  let i = 0;
  while (i < parts.length) {
    if (parts[i]!.change === DiffChange.SAME) {
      out.push(parts[i++]!);
      continue;
    }
    let removed = "";
    let added = "";
    for (; i < parts.length; i++) {
      const part = parts[i]!;
      if (part.change === DiffChange.SAME) {
        const next = parts[i + 1];
        if (!/^\s+$/.test(part.text) || next === undefined || next.change === DiffChange.SAME) break;
        removed += part.text;
        added += part.text;
      } else if (part.change === DiffChange.REMOVED) removed += part.text;
      else added += part.text;
    }
    out.push(...replacedWhole(removed, added));
  }
  return out;
}

function wordDiff(before: string, after: string, maxWords: number): DiffPart[] {
  // Spaces count as words: a diff must spell out both versions exactly (diffWords takes a change of spacing for none).
  const changes = diffWordsWithSpace(before, after, { maxEditLength: maxWords });
  return changes === undefined ? replacedWhole(before, after) : coalesced(partsOf(changes));
}

/**
 * A body's diff: paragraph lines first, then each paragraph replaced by another compared word
 * by word, so a corrected figure shows as that figure, not as its whole paragraph.
 */
function bodyDiff(before: string, after: string): DiffPart[] {
  const lines = diffLines(before, after, { maxEditLength: LIMITS.bodyLines });
  if (lines === undefined) return replacedWhole(before, after);
  const parts: DiffPart[] = [];
  let refined = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const next = lines[i + 1];
    if (line.removed && next?.added) {
      const size = line.value.length + next.value.length;
      const withinBudget = refined + size <= LIMITS.refinedChars;
      if (withinBudget) refined += size;
      parts.push(...wordDiff(line.value, next.value, withinBudget ? LIMITS.pairWords : LIMITS.pairWordsPastBudget));
      i++;
    } else {
      parts.push(...partsOf([line]));
    }
  }
  return merged(parts);
}

/** A list's diff (tags by name, images one line each), item by item. */
function listDiff(before: string[], after: string[]): DiffPart[] {
  return diffArrays(before, after).flatMap((c) => c.value.map((item): DiffPart => ({ change: changeOf(c), text: item })));
}

/**
 * How `to` differs from `from`, field by field; fields that are the same in both are left out, and
 * so are images when either revision was written before images were kept.
 */
export function diffSnapshots(from: StorySnapshot, to: StorySnapshot): FieldDiff[] {
  const diffs: FieldDiff[] = [];
  for (const field of REVISED_FIELDS) {
    const before = fieldOf(from, field);
    const after = fieldOf(to, field);
    if (sameValue(before, after) || before === undefined || after === undefined) continue;
    let parts: DiffPart[];
    if (Array.isArray(before) || Array.isArray(after)) parts = listDiff((before ?? []) as string[], (after ?? []) as string[]);
    else if (field === RevisedField.BODY) parts = bodyDiff(before ?? "", after ?? "");
    else parts = merged(wordDiff(before ?? "", after ?? "", LIMITS.shortWords));
    diffs.push({ field, parts });
  }
  return diffs;
}
