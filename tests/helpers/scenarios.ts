import type { EntityManager } from "typeorm";
import { slugify } from "../../src/kernel/slug";
import type { Database } from "../../src/db/database";
import { Article, ArticleInstitution, ArticlePerson, ArticleStatus, ArticleTag } from "../../src/entities/article.entity";
import { Comment, CommentStatus } from "../../src/entities/comment.entity";
import { Accreditation, Institution, InstitutionKind } from "../../src/entities/institution.entity";
import { Person, Position } from "../../src/entities/person.entity";
import { Quote } from "../../src/entities/quote.entity";
import { Tag } from "../../src/entities/tag.entity";
import { ArticleAuthor, Author, AuthorRole } from "../../src/entities/author.entity";
import { ArticleImage } from "../../src/entities/image.entity";

/** Named test data, written straight to the store (the write API comes with the editorial issue). */

export const BASE_TIME = Date.parse("2025-01-01T00:00:00.000Z");
export const HOUR = 3_600_000;

export interface StoryOptions {
  title: string;
  body?: string;
  summary?: string | null;
  status?: ArticleStatus;
  publishedAt?: Date | null;
  institutions?: Institution[];
  people?: Person[];
  tags?: Tag[];
}

export async function addStory(em: EntityManager, options: StoryOptions): Promise<Article> {
  const status = options.status ?? ArticleStatus.PUBLISHED;
  const publishedAt = status === ArticleStatus.PUBLISHED ? (options.publishedAt ?? new Date(BASE_TIME)) : null;
  const stamp = publishedAt ?? new Date(BASE_TIME);
  const article = await em.save(
    em.create(Article, {
      slug: slugify(options.title),
      title: options.title,
      summary: options.summary ?? null,
      body: options.body ?? `${options.title}.\n\nParagraf kedua.`,
      dateline: "JAKARTA",
      source: "Test",
      status,
      publishedAt,
      scheduledFor: status === ArticleStatus.SCHEDULED ? new Date("2099-01-01T00:00:00.000Z") : null,
      createdAt: stamp,
      updatedAt: stamp,
    }),
  );
  await em.save((options.institutions ?? []).map((i, position) => em.create(ArticleInstitution, { articleId: article.pk, institutionId: i.pk, position })));
  await em.save((options.people ?? []).map((p, position) => em.create(ArticlePerson, { articleId: article.pk, personId: p.pk, position })));
  await em.save((options.tags ?? []).map((t, position) => em.create(ArticleTag, { articleId: article.pk, tagId: t.pk, position })));
  return article;
}

export async function addInstitution(em: EntityManager, fields: Partial<Institution> & { name: string; kind: InstitutionKind }): Promise<Institution> {
  return em.save(em.create(Institution, { slug: slugify(fields.name), shortName: null, classification: null, city: null, province: null, parentId: null, ...fields }));
}

export async function addPerson(em: EntityManager, name: string, at?: { institution: Institution; title: string; current?: boolean }): Promise<Person> {
  const person = await em.save(em.create(Person, { name, slug: slugify(name) }));
  if (at) await em.save(em.create(Position, { personId: person.pk, institutionId: at.institution.pk, title: at.title, current: at.current ?? true }));
  return person;
}

export async function addTag(em: EntityManager, name: string): Promise<Tag> {
  return em.save(em.create(Tag, { name, slug: slugify(name) }));
}

export async function addAuthor(em: EntityManager, name: string, role = AuthorRole.WRITER, fields: { bio?: string; listed?: boolean } = {}): Promise<Author> {
  return em.save(em.create(Author, { name, slug: slugify(name), role, bio: fields.bio ?? null, listed: fields.listed ?? true }));
}

/** Puts `authors` in the byline of `article`, in this order. */
export async function addByline(em: EntityManager, article: Article, authors: Author[]): Promise<void> {
  await em.save(authors.map((author, position) => em.create(ArticleAuthor, { articleId: article.pk, authorId: author.pk, position })));
}

/** An image of `article`: its lead image with `lead`, else the next of its further images. */
export async function addImage(em: EntityManager, article: Article, fields: { url: string; alt: string; lead?: boolean; position?: number; width?: number; height?: number; caption?: string; credit?: string }): Promise<ArticleImage> {
  return em.save(
    em.create(ArticleImage, {
      articleId: article.pk,
      lead: fields.lead ?? false,
      position: fields.position ?? 0,
      url: fields.url,
      alt: fields.alt,
      width: fields.width ?? null,
      height: fields.height ?? null,
      caption: fields.caption ?? null,
      credit: fields.credit ?? null,
    }),
  );
}

export async function addQuote(em: EntityManager, article: Article, speaker: Person, text: string, position: number, institution?: Institution): Promise<Quote> {
  return em.save(em.create(Quote, { articleId: article.pk, speakerId: speaker.pk, institutionId: institution?.pk ?? null, text, attribution: "katanya", position }));
}

export async function addComment(em: EntityManager, article: Article, fields: { body: string; status: CommentStatus; parent?: Comment; at?: Date; email?: string }): Promise<Comment> {
  return em.save(
    em.create(Comment, {
      articleId: article.pk,
      parentId: fields.parent?.pk ?? null,
      authorName: "Pembaca",
      authorEmail: fields.email ?? "pembaca@example.com",
      authorWebsite: null,
      body: fields.body,
      status: fields.status,
      createdAt: fields.at ?? new Date(BASE_TIME),
    }),
  );
}

/**
 * "A regional newsroom": two institutions under a ministry, three people, two tags, 45 published
 * stories an hour apart (mentions and tags by index), two drafts and one scheduled story, quotes
 * on the first five stories, and comments of every status on story 0.
 */
export async function regionalNewsroom(db: Database) {
  return db.transaction(async (em) => {
    const ministry = await addInstitution(em, { name: "Kementerian Imigrasi dan Pemasyarakatan", kind: InstitutionKind.MINISTRY });
    const surabaya = await addInstitution(em, { name: "Lembaga Pemasyarakatan Kelas I Surabaya", shortName: "Lapas Surabaya", kind: InstitutionKind.LAPAS, classification: "I", city: "Surabaya", province: "Jawa Timur", parentId: ministry.pk });
    const denpasar = await addInstitution(em, { name: "Rumah Tahanan Negara Kelas IIB Denpasar", shortName: "Rutan Denpasar", kind: InstitutionKind.RUTAN, classification: "IIB", city: "Denpasar", province: "Bali", parentId: ministry.pk });
    await em.save(em.create(Accreditation, { institutionId: surabaya.pk, code: "WBBM", title: "Wilayah Birokrasi Bersih dan Melayani", year: 2024 }));
    const sari = await addPerson(em, "Sari Dewi", { institution: surabaya, title: "Kepala Lapas" });
    const budi = await addPerson(em, "Budi Santoso", { institution: denpasar, title: "Kepala Rutan" });
    const ketut = await addPerson(em, "Ketut Arya", { institution: denpasar, title: "Staf", current: false });
    const korupsi = await addTag(em, "Korupsi");
    const pendidikan = await addTag(em, "Pendidikan");

    const published: Article[] = [];
    for (let i = 0; i < 45; i++) {
      published.push(
        await addStory(em, {
          title: `Berita nomor ${String(i).padStart(2, "0")}`,
          publishedAt: new Date(BASE_TIME + i * HOUR),
          institutions: [...(i % 2 === 0 ? [surabaya] : []), ...(i % 3 === 0 ? [denpasar] : [])],
          people: i % 5 === 0 ? [sari, budi] : [],
          tags: [...(i % 4 === 0 ? [korupsi] : []), ...(i % 9 === 0 ? [pendidikan] : [])],
        }),
      );
    }
    const drafts = [
      await addStory(em, { title: "Draf rahasia tentang Lapas Surabaya", status: ArticleStatus.DRAFT, institutions: [surabaya], people: [sari], tags: [korupsi] }),
      await addStory(em, { title: "Draf kedua", status: ArticleStatus.DRAFT }),
    ];
    const scheduled = await addStory(em, { title: "Berita terjadwal", status: ArticleStatus.SCHEDULED, institutions: [surabaya] });
    for (let i = 0; i < 5; i++) {
      await addQuote(em, published[i]!, i % 2 === 0 ? sari : budi, `Kutipan nomor ${i} tentang pembinaan`, 0, i % 2 === 0 ? surabaya : denpasar);
      await addQuote(em, published[i]!, budi, `Kutipan tambahan ${i}`, 1);
    }
    await addQuote(em, drafts[0]!, sari, "Kutipan dari draf", 0, surabaya);
    const approved = await addComment(em, published[0]!, { body: "Komentar disetujui", status: CommentStatus.APPROVED, at: new Date(BASE_TIME + HOUR) });
    const reply = await addComment(em, published[0]!, { body: "Balasan disetujui", status: CommentStatus.APPROVED, parent: approved, at: new Date(BASE_TIME + 2 * HOUR) });
    const pendingReply = await addComment(em, published[0]!, { body: "Balasan menunggu", status: CommentStatus.PENDING, parent: approved, at: new Date(BASE_TIME + 3 * HOUR) });
    const pending = await addComment(em, published[0]!, { body: "Komentar menunggu", status: CommentStatus.PENDING });
    const spam = await addComment(em, published[0]!, { body: "Beli obat murah", status: CommentStatus.SPAM });
    const onDraft = await addComment(em, drafts[0]!, { body: "Komentar di draf", status: CommentStatus.APPROVED });
    return { ministry, surabaya, denpasar, sari, budi, ketut, korupsi, pendidikan, published, drafts, scheduled, comments: { approved, reply, pendingReply, pending, spam, onDraft } };
  });
}
