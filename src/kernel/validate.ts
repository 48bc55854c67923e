import { BadUserInputError, quoted } from "./errors";

/*
 * Input checks shared by every mutation. Each returns the cleaned value or throws
 * BAD_USER_INPUT naming the field (its path in the operation, e.g. `input.title`) and the value.
 */

// C0/C1 control characters except tab and newlines, which plain-text bodies legitimately hold.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;


export interface TextRule {
  /** Longest accepted length in characters (after trimming). */
  max: number;
  /** Shortest accepted length; 1 makes the field non-blank. Default 1. */
  min?: number;
  /** Keep newlines and tabs (bodies); otherwise whitespace runs fold to one space. */
  multiline?: boolean;
}

/** A required string: control characters stripped, trimmed, within length. */
export function requiredText(value: string | null | undefined, field: string, rule: TextRule): string {
  if (value === null || value === undefined) throw new BadUserInputError(`${field} is required.`, field);
  let cleaned = value.replace(CONTROL, "");
  cleaned = rule.multiline ? cleaned.replace(/\r\n?/g, "\n").trim() : cleaned.replace(/\s+/g, " ").trim();
  const min = rule.min ?? 1;
  if (cleaned.length < min) {
    throw new BadUserInputError(min === 1 ? `${field} must not be blank.` : `${field} must be at least ${min} characters, got ${cleaned.length}.`, field);
  }
  if (cleaned.length > rule.max) throw new BadUserInputError(`${field} must be at most ${rule.max} characters, got ${cleaned.length}.`, field);
  return cleaned;
}

/** An optional string: null or blank becomes null, anything else follows {@link requiredText}. */
export function optionalText(value: string | null | undefined, field: string, rule: TextRule): string | null {
  if (value === null || value === undefined || value.replace(CONTROL, "").trim() === "") return null;
  return requiredText(value, field, rule);
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A slug given by hand: lowercase ASCII words joined by single hyphens. */
export function slugInput(value: string, field: string): string {
  if (!SLUG.test(value) || value.length > 200) {
    throw new BadUserInputError(`${field} ${quoted(value)} must be lowercase letters and digits joined by single hyphens, at most 200 characters.`, field);
  }
  return value;
}

// Deliberately plain: one @, a dot in the domain, no spaces; deliverability is not our business.
const EMAIL = /^[^\s@]{1,64}@[^\s@.]+(?:\.[^\s@.]+)+$/;

/** An email address (never echoed back: the message does not repeat it). */
export function emailInput(value: string, field: string): string {
  const cleaned = value.replace(CONTROL, "").trim();
  if (cleaned.length > 254 || !EMAIL.test(cleaned)) throw new BadUserInputError(`${field} is not a valid email address.`, field);
  return cleaned;
}

/** An optional http(s) URL. */
export function optionalWebsite(value: string | null | undefined, field: string): string | null {
  const cleaned = value?.replace(CONTROL, "").trim();
  if (!cleaned) return null;
  let url: URL | null = null;
  try {
    url = new URL(cleaned);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || cleaned.length > 500) {
    throw new BadUserInputError(`${field} ${quoted(cleaned)} must be an http or https address of at most 500 characters.`, field);
  }
  return cleaned;
}

/** An integer within bounds. */
export function intInRange(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new BadUserInputError(`${field} must be an integer from ${min} to ${max}, got ${value}.`, field);
  return value;
}

/** A list of ids with no repeats, at most `max` long. */
export function idList(values: readonly string[] | null | undefined, field: string, max = 50): string[] {
  const list = values ?? [];
  if (list.length > max) throw new BadUserInputError(`${field} may hold at most ${max} ids, got ${list.length}.`, field);
  const seen = new Set<string>();
  for (const id of list) {
    if (seen.has(id)) throw new BadUserInputError(`${field} names ${quoted(id)} twice.`, field);
    seen.add(id);
  }
  return [...list];
}
