import type { EntityManager } from "typeorm";
import { BadUserInputError } from "../kernel/errors";
import { slugify } from "../kernel/slug";
import type { Database } from "../db/database";
import type { StatementTally } from "../kernel/request-scope";
import type { RowReader } from "../db/rows";
import { Select } from "../db/select";
import { SlugAlias } from "../entities/slug-alias.entity";
import type { SlugKind } from "../entities/slug-alias.entity";

const TABLE: Record<SlugKind, string> = { article: "article", institution: "institution", person: "person", author: "author" };

/** Slugs of `kind` equal to `base` or `base-<n>`, held by records other than `exceptPk` (current or former). */
async function takenLike(em: EntityManager, kind: SlugKind, base: string, exceptPk: number): Promise<Set<string>> {
  const pattern = `${base}-%`;
  const current = await em
    .createQueryBuilder()
    .select("t.slug", "slug")
    .from(TABLE[kind], "t")
    .where("(t.slug = :base OR t.slug LIKE :pattern) AND t.id <> :exceptPk", { base, pattern, exceptPk })
    .getRawMany<{ slug: string }>();
  const former = await em
    .getRepository(SlugAlias)
    .createQueryBuilder("s")
    .select("s.slug", "slug")
    .where("s.kind = :kind AND (s.slug = :base OR s.slug LIKE :pattern) AND s.target_id <> :exceptPk", { kind, base, pattern, exceptPk })
    .getRawMany<{ slug: string }>();
  return new Set([...current, ...former].map((r) => r.slug));
}

/**
 * A free slug derived from the first of `texts` that has letters or digits to make one (so a
 * short name of only symbols falls back to the full name): the plain slug when nobody (now or
 * formerly) holds it, else the first free `slug-2`, `slug-3`…
 */
export async function deriveSlug(em: EntityManager, kind: SlugKind, texts: string | ReadonlyArray<string | null | undefined>, exceptPk = 0): Promise<string> {
  const candidates = typeof texts === "string" ? [texts] : texts;
  const base = candidates.map((text) => (text ? slugify(text, 190) : "")).find((slug) => slug !== "") || kind;
  const taken = await takenLike(em, kind, base, exceptPk);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Checks that a slug chosen by hand is free; a hand-picked slug is never silently changed. */
export async function claimSlug(em: EntityManager, kind: SlugKind, slug: string, field: string, exceptPk = 0): Promise<string> {
  const taken = await takenLike(em, kind, slug, exceptPk);
  if (taken.has(slug)) throw new BadUserInputError(`${field} '${slug}' is already used by another ${kind}.`, field);
  return slug;
}

/** Keeps the old slug of a renamed record resolving to it. */
export async function recordRename(em: EntityManager, kind: SlugKind, pk: number, oldSlug: string, newSlug: string): Promise<void> {
  if (oldSlug === newSlug) return;
  const aliases = em.getRepository(SlugAlias);
  await aliases.delete({ kind, slug: newSlug, targetId: pk });
  await aliases.save(aliases.create({ kind, slug: oldSlug, targetId: pk, createdAt: new Date() }));
}

/**
 * Where an `x(id:, slug:)` lookup leads: the key of the record (an id, or a slug it had before a
 * rename), which the caller reads through its own batching so the record is shared with the
 * rest of its request; the record itself, when its current slug found it; or nothing.
 */
export type Located<T> = { readonly pk: number } | { readonly row: T } | null;

/**
 * A record by id or slug, the way every `x(id:, slug:)` query finds it: by key, by its current
 * slug through `rows`, else by a slug it had before a rename.
 */
export async function locateByIdOrSlug<T extends object>(
  db: Database,
  tally: StatementTally | null,
  kind: SlugKind,
  args: { id?: string | null; slug?: string | null },
  toPk: (id: string) => number,
  rows: RowReader<T>,
): Promise<Located<T>> {
  if (args.id) return { pk: toPk(args.id) };
  if (args.slug) {
    // No slug holds a NUL (PostgreSQL would refuse to even compare one): nothing can match.
    if (args.slug.includes("\u0000")) return null;
    const [found = null] = await rows.byKeys(db, tally, "slug", [args.slug]);
    if (found) return { row: found };
    const former = await resolveFormerSlug(db, tally, kind, args.slug);
    return former === null ? null : { pk: former };
  }
  throw new BadUserInputError(`Give the ${kind}'s id or slug.`, "id");
}

/** The record a former slug points at, if any. */
export async function resolveFormerSlug(db: Database, tally: StatementTally | null, kind: SlugKind, slug: string): Promise<number | null> {
  const { sql, values } = new Select(db, "slug_alias", "sa").where("sa.kind = :kind AND sa.slug = :slug", { kind, slug }).compile(`sa."target_id"`);
  const [alias] = await db.readPrepared(sql, values, tally);
  return alias ? Number(alias.target_id) : null;
}
