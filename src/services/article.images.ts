import { BadUserInputError, quoted } from "../kernel/errors";
import { optionalText, requiredText } from "../kernel/validate";
import type { ImageInput } from "./article.inputs";

/** Most further images one story may carry (its lead image aside). */
export const MAX_IMAGES = 50;
/** The longest image address, in characters. */
const MAX_URL = 2000;
/** The widest or tallest image, in pixels: larger than any picture a page or a feed shows. */
export const MAX_IMAGE_SIDE = 20_000;

/** An image as it is stored: checked, trimmed, blanks as null. */
export interface CheckedImage {
  url: string;
  width: number | null;
  height: number | null;
  alt: string;
  caption: string | null;
  credit: string | null;
}

/**
 * An image's address: absolute http or https, no user name or password in it, nothing a browser
 * would read differently from what is stored (spaces, control characters, backslashes). The
 * server hosts no files; what it stores is what a page will load, so `javascript:`, `data:`,
 * `ftp:` and relative addresses are refused rather than cleaned.
 */
function imageUrl(value: string | null | undefined, field: string): string {
  if (value === null || value === undefined) throw new BadUserInputError(`${field} is required.`, field);
  const refuse = (why: string) => new BadUserInputError(`${field} ${quoted(value)} ${why}`, field);
  if (value.length > MAX_URL) throw refuse(`is longer than ${MAX_URL} characters (${value.length}).`);
  if (/[\s\\\p{Cc}]/u.test(value)) throw refuse("must not contain spaces, backslashes or control characters.");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refuse("must be an absolute http or https address.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw refuse(`must be an http or https address, not ${url.protocol}.`);
  if (!/^https?:\/\/[^/]/i.test(value) || url.hostname === "") throw refuse("must be an absolute http or https address with a host.");
  if (url.username !== "" || url.password !== "") throw refuse("must not carry a user name or password.");
  return value;
}

function side(value: number | null | undefined, field: string): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 1 || value > MAX_IMAGE_SIDE) throw new BadUserInputError(`${field} must be a whole number of pixels from 1 to ${MAX_IMAGE_SIDE}, got ${value}.`, field);
  return value;
}

/** Checks one image; `field` is its path, e.g. `input.leadImage` or `input.images[2]`. */
export function checkImage(input: ImageInput, field: string): CheckedImage {
  return {
    url: imageUrl(input.url, `${field}.url`),
    width: side(input.width, `${field}.width`),
    height: side(input.height, `${field}.height`),
    alt: requiredText(input.alt, `${field}.alt`, { max: 500 }),
    caption: optionalText(input.caption, `${field}.caption`, { max: 1000 }),
    credit: optionalText(input.credit, `${field}.credit`, { max: 300 }),
  };
}

/** Checks a story's further images. */
export function checkImages(inputs: readonly ImageInput[], field: string): CheckedImage[] {
  if (inputs.length > MAX_IMAGES) throw new BadUserInputError(`${field} may hold at most ${MAX_IMAGES} images, got ${inputs.length}.`, field);
  return inputs.map((input, i) => checkImage(input, `${field}[${i}]`));
}
