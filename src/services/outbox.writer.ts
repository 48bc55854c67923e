import type { EntityManager } from "typeorm";
import { ArticleInstitution, ArticlePerson, ArticleTag } from "../entities/article.entity";
import type { Article } from "../entities/article.entity";
import type { Comment } from "../entities/comment.entity";
import { Quote } from "../entities/quote.entity";
import { Tag } from "../entities/tag.entity";
import { ArticleAuthor, Author } from "../entities/author.entity";
import { ArticleImage } from "../entities/image.entity";
import { Correction } from "../entities/correction.entity";
import type { CommentSnapshot, EventStoryV4 } from "../events/outbox";

/*
 * What the services write into the outbox (events/outbox.ts), built from the rows as they stand
 * in the writing transaction: the outbox itself knows only its plain payload types.
 */

/** A story as its events carry it, its links and rows read as they stand in this transaction. */
export async function snapshotArticle(em: EntityManager, article: Article): Promise<EventStoryV4> {
  // One after another: a transaction is one connection, and pg will not run two queries on it at once.
  const institutions = await em.find(ArticleInstitution, { where: { articleId: article.pk }, order: { position: "ASC" } });
  const people = await em.find(ArticlePerson, { where: { articleId: article.pk }, order: { position: "ASC" } });
  const tagLinks = await em.find(ArticleTag, { where: { articleId: article.pk }, order: { position: "ASC" } });
  const found = tagLinks.length === 0 ? [] : await em.createQueryBuilder(Tag, "t").where("t.id IN (:...ids)", { ids: tagLinks.map((l) => l.tagId) }).getMany();
  const byPk = new Map(found.map((t) => [t.pk, t]));
  const tags = tagLinks.map((l) => byPk.get(l.tagId)!);
  const quotes = await em.find(Quote, { where: { articleId: article.pk }, order: { position: "ASC", pk: "ASC" } });
  const authorLinks = await em.find(ArticleAuthor, { where: { articleId: article.pk }, order: { position: "ASC" } });
  const authorRows = authorLinks.length === 0 ? [] : await em.createQueryBuilder(Author, "au").where("au.id IN (:...ids)", { ids: authorLinks.map((l) => l.authorId) }).getMany();
  const authorByPk = new Map(authorRows.map((a) => [a.pk, a]));
  const authors = authorLinks.map((l) => authorByPk.get(l.authorId)!);
  const images = await em.find(ArticleImage, { where: { articleId: article.pk }, order: { lead: "DESC", position: "ASC", pk: "ASC" } });
  const corrections = await em.find(Correction, { where: { articleId: article.pk }, order: { pk: "ASC" } });
  const { pk, slug, title, summary, body, dateline, source, status } = article;
  return {
    version: 4,
    article: {
      pk,
      slug,
      title,
      summary,
      body,
      dateline,
      source,
      status,
      publishedAt: article.publishedAt?.toISOString() ?? null,
      scheduledFor: article.scheduledFor?.toISOString() ?? null,
      createdAt: article.createdAt.toISOString(),
      updatedAt: article.updatedAt.toISOString(),
    },
    institutionPks: institutions.map((l) => l.institutionId),
    personPks: people.map((l) => l.personId),
    tags: tags.map((t) => t.slug),
    relations: {
      tags: tags.map(({ pk: tagPk, slug: tagSlug, name }) => ({ pk: tagPk, slug: tagSlug, name })),
      quotes: quotes.map((q) => ({ pk: q.pk, text: q.text, attribution: q.attribution, position: q.position, speakerId: q.speakerId, institutionId: q.institutionId })),
    },
    credits: {
      authors: authors.map((a) => ({ pk: a.pk, slug: a.slug, name: a.name, bio: a.bio, role: a.role })),
      images: images.map(({ lead, position, url, width, height, alt, caption, credit }) => ({ lead, position, url, width, height, alt, caption, credit })),
    },
    correctedAt: article.correctedAt?.toISOString() ?? null,
    corrections: corrections.map((c) => ({ pk: c.pk, text: c.text, createdAt: c.createdAt.toISOString() })),
  };
}

/** A comment as its event carries it: everything public, never the email. */
export function snapshotComment(comment: Comment): CommentSnapshot {
  return {
    comment: {
      pk: comment.pk,
      articleId: comment.articleId,
      parentId: comment.parentId,
      authorName: comment.authorName,
      authorWebsite: comment.authorWebsite,
      body: comment.body,
      status: comment.status,
      createdAt: comment.createdAt.toISOString(),
    },
  };
}
