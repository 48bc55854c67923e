import { Article } from "../../entities/article.entity";
import { Comment } from "../../entities/comment.entity";
import { Correction } from "../../entities/correction.entity";
import { Quote } from "../../entities/quote.entity";
import { Tag } from "../../entities/tag.entity";
import { Author } from "../../entities/author.entity";
import { ArticleImage } from "../../entities/image.entity";
import type { CommentSnapshot, EventStory } from "../../events/outbox";
import { correctionsOf, creditsOf, relationsOf } from "../../events/outbox";

/**
 * A story event as the fields of its subscribers' operations answer it: the story itself (one
 * object per event: every field that reaches the event's story answers this one), and what its
 * nested fields answer, the links and rows the event carries, never the current rows (which may
 * be a later draft). `tags` and `quotes` are null for events of version 1, `authors` and `images`
 * for events before version 3, `corrections` for events before version 4, which did not carry
 * them; the current rows may then stand in only while the story is visible to the reader now.
 * The event's quotes, facts the story states, are shown on the same condition.
 */
export interface StoryOfEvent {
  readonly article: Article;
  readonly institutionPks: readonly number[];
  readonly personPks: readonly number[];
  readonly tags: Tag[] | null;
  readonly quotes: Quote[] | null;
  /** Null for events before version 3, which carried no byline. */
  readonly authors: Author[] | null;
  /** Lead image first (flagged); null for events before version 3. */
  readonly images: ArticleImage[] | null;
  /** Null for events before version 4, which carried no correction notes. */
  readonly corrections: Correction[] | null;
}

/** The story an event carries, as the entities the resolvers answer with. */
export function storyFromEvent(story: EventStory): StoryOfEvent {
  const a = story.article;
  const corrected = correctionsOf(story);
  const article = Object.assign(new Article(), {
    ...a,
    publishedAt: a.publishedAt ? new Date(a.publishedAt) : null,
    scheduledFor: a.scheduledFor ? new Date(a.scheduledFor) : null,
    createdAt: new Date(a.createdAt),
    updatedAt: new Date(a.updatedAt),
    // Events before version 4 did not carry it: null there.
    correctedAt: corrected?.correctedAt ? new Date(corrected.correctedAt) : null,
  });
  const relations = relationsOf(story);
  const credits = creditsOf(story);
  return {
    article,
    institutionPks: story.institutionPks,
    personPks: story.personPks,
    tags: relations ? relations.tags.map((t) => Object.assign(new Tag(), t)) : null,
    quotes: relations ? relations.quotes.map((q) => Object.assign(new Quote(), { ...q, articleId: a.pk })) : null,
    authors: credits ? credits.authors.map((au) => Object.assign(new Author(), au)) : null,
    images: credits ? credits.images.map((image) => Object.assign(new ArticleImage(), { ...image, articleId: a.pk })) : null,
    corrections: corrected ? corrected.corrections.map((c) => Object.assign(new Correction(), { ...c, articleId: a.pk, tokenId: null, createdAt: new Date(c.createdAt) })) : null,
  };
}

/**
 * `current` (the context's story event) when `article` is its story, so that the story's
 * fields answer from the event; undefined for a story read from the store.
 */
export function eventStoryOf(current: StoryOfEvent | null, article: Article): StoryOfEvent | undefined {
  return current !== null && current.article === article ? current : undefined;
}

/** The comment an event snapshot describes. */
export function commentFromSnapshot(snapshot: CommentSnapshot): Comment {
  const c = snapshot.comment;
  return Object.assign(new Comment(), { ...c, createdAt: new Date(c.createdAt) });
}
