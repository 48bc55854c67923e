import type { EntityManager } from "typeorm";
import { BadUserInputError } from "../kernel/errors";
import { pkOf } from "../kernel/ids";
import type { CountingContext, RequestContext } from "../kernel/request-context";
import type { Ordering, PageArgs } from "../kernel/page-args";
import { optionalText, requiredText, slugInput } from "../kernel/validate";
import { canSeeDrafts } from "../kernel/viewer";
import { slugify } from "../kernel/slug";
import { attributeWrites } from "../db/database";
import type { Database } from "../db/database";
import { getOrThrow } from "../db/lookups";
import { fetchPage } from "../db/pagination";
import type { Page } from "../db/pagination";
import { RowReader } from "../db/rows";
import { Select } from "../db/select";
import { alignByPk, containsPattern, containsSql } from "../db/sql";
import { ArticleStatus } from "../entities/article.entity";
import { Author, AuthorRole } from "../entities/author.entity";
import { saveNewRow } from "./new-rows";
import { claimSlug, deriveSlug, locateByIdOrSlug, recordRename } from "./slugs";
import type { Located } from "./slugs";
import type { AuthorFilter, CreateAuthorInput, UpdateAuthorInput } from "./author.inputs";

const BY_NAME: Ordering = { name: "au:name", keys: [{ sql: "au.name", dir: "ASC", type: "text" }, { sql: "au.id", dir: "ASC", type: "int" }] };

/**
 * The authors readers see (alias `au`): those an editor entered, and those a published story
 * carries. An author the importer made from a draft's byline stays the editors' until then, so
 * a draft's byline shows nowhere.
 */
const PUBLIC_AUTHOR = "au.listed = TRUE OR EXISTS (SELECT 1 FROM article_author pl JOIN article pa ON pa.id = pl.article_id WHERE pl.author_id = au.id AND pa.status = :published)";

/** The longest bio, in characters. */
const MAX_BIO = 1000;

/**
 * Reads and writes the newsroom's authors. Authors are public records (editors manage them);
 * what readers see of an author's stories follows the story rules (published only).
 */
export class AuthorService {
  private readonly rows: RowReader<Author>;

  constructor(private readonly db: Database) {
    this.rows = new RowReader(db, Author);
  }

  private publicOnly(qb: Select, ctx: Pick<RequestContext, "viewer">): Select {
    return canSeeDrafts(ctx.viewer) ? qb : qb.where(PUBLIC_AUTHOR, { published: ArticleStatus.PUBLISHED });
  }

  /** Authors by key as the viewer may see them (null for one they may not), in the order asked. */
  async byPks(ctx: RequestContext, pks: readonly number[]): Promise<Array<Author | null>> {
    if (pks.length === 0) return [];
    const { sql, values } = this.publicOnly(new Select(this.db, "author", "au").whereIn("au.id", pks), ctx).compile(this.rows.columnsOf("au", ""));
    return alignByPk(pks, (await this.db.readPrepared(sql, values, ctx.tally)).map((row) => this.rows.hydrate(row)));
  }

  /** Where `author(id:, slug:)` leads (see {@link Located}); an author the viewer may not see is not found. */
  async locate(ctx: RequestContext, args: { id?: string | null; slug?: string | null }): Promise<Located<Author>> {
    const found = await locateByIdOrSlug(this.db, ctx.tally, "author", args, (id) => pkOf(id, "Author"), this.rows);
    // A row found by its slug is checked through byPks, as keys are: one rule.
    if (found !== null && "row" in found) return { pk: found.row.pk };
    return found;
  }

  /** A page of authors by name. */
  list(ctx: RequestContext, filter: AuthorFilter | null | undefined, page: PageArgs): Promise<Page> {
    const qb = this.publicOnly(new Select(this.db, "author", "au"), ctx);
    if (filter?.role) qb.where("au.role = :role", { role: filter.role });
    if (filter?.search) qb.where(containsSql(this.db, "au.name", "search"), { search: containsPattern(filter.search) });
    return fetchPage({ select: qb, pkSql: "au.id", ordering: BY_NAME, entity: { columns: this.rows.columnsOf("au"), hydrate: (row) => this.rows.hydrate(row, "_e_") } }, page, ctx.tally);
  }

  async create(ctx: CountingContext, input: CreateAuthorInput): Promise<Author> {
    const name = requiredText(input.name, "input.name", { max: 200 });
    const bio = optionalText(input.bio, "input.bio", { max: MAX_BIO, multiline: true });
    const role = checkRole(input.role ?? AuthorRole.WRITER, "input.role");
    const handSlug = input.slug == null ? null : slugInput(input.slug, "input.slug");
    return this.db.transaction(async (em) => {
      const slug = handSlug ? await claimSlug(em, "author", handSlug, "input.slug") : await deriveSlug(em, "author", name);
      return saveNewRow(em, "author", "Author", em.create(Author, { name, slug, bio, role, listed: true }));
    }, ctx.tally);
  }

  /** Changes what `input` names; a new slug leaves the old one resolving. An edited author is listed. */
  async update(ctx: CountingContext, id: string, input: UpdateAuthorInput): Promise<Author> {
    const name = input.name == null ? null : requiredText(input.name, "input.name", { max: 200 });
    const bio = input.bio === undefined ? undefined : optionalText(input.bio, "input.bio", { max: MAX_BIO, multiline: true });
    const role = input.role == null ? null : checkRole(input.role, "input.role");
    const handSlug = input.slug == null ? null : slugInput(input.slug, "input.slug");
    return this.db.transaction(async (em) => {
      const author = await getOrThrow(em, Author, "Author", id, "id");
      // Its row and slugs: its page, the bylines that show it, and the lists of authors (by name;
      // an edited author is listed). Stories are neither searched nor ordered by their authors.
      return attributeWrites(em, ["author", "slug_alias"], async (tag) => {
        tag(`Author:${author.pk}`, "Author:list");
        if (handSlug && handSlug !== author.slug) {
          await claimSlug(em, "author", handSlug, "input.slug", author.pk);
          await recordRename(em, "author", author.pk, author.slug, handSlug);
          author.slug = handSlug;
        }
        if (name !== null) author.name = name;
        if (bio !== undefined) author.bio = bio;
        if (role !== null) author.role = role;
        author.listed = true;
        return em.save(author);
      });
    }, ctx.tally);
  }

  /** Deletes an author; their stories stay, without them in the byline. */
  async delete(ctx: CountingContext, id: string): Promise<string> {
    await this.db.transaction(async (em) => {
      const author = await getOrThrow(em, Author, "Author", id, "id");
      await em.delete(Author, { pk: author.pk });
    }, ctx.tally);
    return id;
  }
}

function checkRole(role: AuthorRole, field: string): AuthorRole {
  if (!Object.values(AuthorRole).includes(role)) throw new BadUserInputError(`${field} '${String(role)}' is not one of ${Object.values(AuthorRole).join(", ")}.`, field);
  return role;
}

/**
 * The stored author a byline's name means, by slug or name (case and accents folded, as slugs
 * fold them); null when there is none, and the importer would make one. Reads only: previewImport
 * asks it too.
 */
export async function storedAuthorForByline(em: EntityManager, name: string): Promise<Author | null> {
  const clean = requiredText(name, "byline", { max: 200 });
  const plain = slugify(clean, 190);
  return (
    (plain === "" ? null : await em.findOneBy(Author, { slug: plain })) ??
    (await em.getRepository(Author).createQueryBuilder("au").where("LOWER(au.name) = LOWER(:name)", { name: clean }).orderBy("au.id", "ASC").getOne())
  );
}

/**
 * The author a byline names, inside the importer's transaction: an author whose name or slug
 * matches (case and accents folded, as slugs fold them), else a new one, unlisted until a
 * published story carries them. Never one the text does not name.
 */
export async function authorForByline(em: EntityManager, name: string, role: AuthorRole): Promise<{ author: Author; created: boolean }> {
  const clean = requiredText(name, "byline", { max: 200 });
  const existing = await storedAuthorForByline(em, clean);
  if (existing) return { author: existing, created: false };
  const slug = await deriveSlug(em, "author", clean);
  return { author: await em.save(em.create(Author, { name: clean, slug, bio: null, role, listed: false })), created: true };
}
