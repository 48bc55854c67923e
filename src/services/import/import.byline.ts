import type { EntityManager } from "typeorm";
import { ArticleAuthor, AuthorRole } from "../../entities/author.entity";
import { toGlobalId } from "../../kernel/ids";
import { authorForByline, storedAuthorForByline } from "../author.service";
import { TAIL_START } from "./import.parser";

/** A name a byline line gives, with the role its label says. */
export interface Byline {
  readonly name: string;
  readonly role: AuthorRole;
}

/** Byline labels as Indonesian newsrooms write them, and the role each names. */
const LABELS: ReadonlyArray<[RegExp, AuthorRole]> = [
  [/^(?:penulis|oleh)$/i, AuthorRole.WRITER],
  [/^(?:reporter|pewarta|wartawan)$/i, AuthorRole.REPORTER],
  [/^(?:fotografer|pewarta foto)$/i, AuthorRole.PHOTOGRAPHER],
  [/^(?:editor|redaktur|penyunting)$/i, AuthorRole.EDITOR],
];

/** A line that is a byline: a label, a colon, the names. */
const BYLINE_LINE = /^([\p{L} ]{4,20}?)\s*:\s*(.+)$/u;
/** Between two names on one line: commas, ampersands, "dan"/"and", slashes. */
const NAME_SEPARATOR = /\s*(?:,|&|\/|\s(?:dan|and)\s)\s*/i;
/** What a name is not: addresses, digits, more than eight words, or nothing to read. */
const NOT_A_NAME = /https?:|www\.|@|\d/i;

function cleanName(raw: string): string | null {
  // A trailing outlet note, "(ant)" or "- Actanews.id", is not part of the name.
  const name = raw.replace(/\s*\([^)]*\)\s*$/, "").replace(/\s+[-–—|].*$/, "").replace(/\s+/g, " ").trim();
  if (name.length < 2 || name.length > 100 || NOT_A_NAME.test(name) || !/\p{L}/u.test(name) || name.split(" ").length > 8) return null;
  return name;
}

/**
 * The names the text's byline lines give ("Penulis: Made Sukarta", "Reporter: Andi, Budi",
 * "Oleh: X", "Editor: Y"), in the order they stand, each once (at its first role). Only short
 * lines above the page's comment form count, and only what they name: a story without such a
 * line has no byline, none is ever made up.
 */
export function readBylines(text: string): Byline[] {
  const bylines: Byline[] = [];
  const seen = new Set<string>();
  for (const raw of text.replace(/\r\n?/g, "\n").split("\n")) {
    const line = raw.replace(/[\u00A0\u2007\u202F]/g, " ").trim();
    if (TAIL_START.test(line)) break;
    if (line.length > 200) continue;
    const match = BYLINE_LINE.exec(line);
    if (!match) continue;
    const role = LABELS.find(([label]) => label.test(match[1]!.trim()))?.[1];
    // An address is no byline, and its slashes are no separators.
    if (role === undefined || /https?:|www\.|@/i.test(match[2]!)) continue;
    for (const part of match[2]!.split(NAME_SEPARATOR)) {
      const name = cleanName(part);
      if (name === null || seen.has(name.toLowerCase())) continue;
      seen.add(name.toLowerCase());
      bylines.push({ name, role });
    }
  }
  return bylines;
}

/**
 * Puts the byline's authors on a story in the importer's transaction: each linked to the author
 * of that name or slug, or made (unlisted until a published story carries them).
 */
export async function linkBylines(em: EntityManager, articlePk: number, bylines: readonly Byline[]): Promise<void> {
  const pks: number[] = [];
  for (const byline of bylines) {
    const { author } = await authorForByline(em, byline.name, byline.role);
    if (!pks.includes(author.pk)) pks.push(author.pk);
  }
  if (pks.length > 0) await em.save(pks.map((authorId, position) => em.create(ArticleAuthor, { articleId: articlePk, authorId, position })));
}

/** A byline's name as previewImport shows it, with the stored author the import would link (null: it would make one). */
export interface PlannedByline extends Byline {
  readonly stored: { readonly id: string; readonly name: string } | null;
}

/** What {@link linkBylines} would do with each name of the byline, in its order; reads only. */
export async function planBylines(em: EntityManager, bylines: readonly Byline[]): Promise<PlannedByline[]> {
  const planned: PlannedByline[] = [];
  for (const byline of bylines) {
    const author = await storedAuthorForByline(em, byline.name);
    planned.push({ ...byline, stored: author === null ? null : { id: toGlobalId("Author", author.pk), name: author.name } });
  }
  return planned;
}
