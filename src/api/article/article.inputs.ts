import { ArgsType, Field, ID, InputType, Int, registerEnumType } from "type-graphql";
import type * as Accepted from "../../services/article.inputs";
import { PageArgsInput } from "../args";
import { ArticleStatus } from "../../entities/article.entity";
import { ArticleOrder } from "../../services/article.inputs";

registerEnumType(ArticleOrder, {
  name: "ArticleOrder",
  valuesConfig: { RELEVANCE: { description: "Best full-text match first (bm25); needs filter.search, else newest first." } },
});

@InputType("ArticleFilter")
export class ArticleFilter implements Accepted.ArticleFilter {
  @Field(() => ArticleStatus, { nullable: true, description: "Anyone but editors only ever sees PUBLISHED." })
  status?: ArticleStatus | null;

  @Field(() => ID, { nullable: true })
  institutionId?: string | null;

  @Field(() => ID, { nullable: true })
  personId?: string | null;

  @Field(() => ID, { nullable: true, description: "Stories with this author in the byline." })
  authorId?: string | null;

  @Field(() => String, { nullable: true })
  tag?: string | null;

  @Field(() => Date, { nullable: true, description: "Published at or after this instant." })
  publishedAfter?: Date | null;

  @Field(() => Date, { nullable: true, description: "Published before this instant." })
  publishedBefore?: Date | null;

  @Field(() => String, { nullable: true, description: "Full-text search over title, summary and body." })
  search?: string | null;
}

@ArgsType()
export class ArticlesArgs extends PageArgsInput {
  @Field(() => ArticleFilter, { nullable: true })
  filter?: ArticleFilter | null;

  @Field(() => ArticleOrder, { nullable: true, defaultValue: ArticleOrder.PUBLISHED_AT_DESC })
  orderBy?: ArticleOrder | null;
}

@InputType("ImageInput", { description: "A picture on the newsroom's CDN or media library; the server stores its address, not the file." })
export class ImageInput implements Accepted.ImageInput {
  @Field(() => String, { description: "An absolute http or https address, at most 2,000 characters." })
  url!: string;

  @Field(() => Int, { nullable: true, description: "In pixels, from 1 to 20,000." })
  width?: number | null;

  @Field(() => Int, { nullable: true, description: "In pixels, from 1 to 20,000." })
  height?: number | null;

  @Field(() => String, { description: "What the picture shows; required, at most 500 characters." })
  alt!: string;

  @Field(() => String, { nullable: true, description: "At most 1,000 characters." })
  caption?: string | null;

  @Field(() => String, { nullable: true, description: "Who made it; at most 300 characters." })
  credit?: string | null;
}

@InputType("CreateArticleInput")
export class CreateArticleInput implements Accepted.CreateArticleInput {
  @Field(() => String, { description: "At most 300 characters." })
  title!: string;

  @Field(() => String, { nullable: true, description: "Derived from the title when left out." })
  slug?: string | null;

  @Field(() => String, { nullable: true, description: "At most 1,000 characters." })
  summary?: string | null;

  @Field(() => String, { description: "Plain text, paragraphs separated by a blank line; at most 200,000 characters." })
  body!: string;

  @Field(() => String, { nullable: true })
  dateline?: string | null;

  @Field(() => String, { nullable: true })
  source?: string | null;

  @Field(() => [String], { nullable: true, description: "Tag names; new ones are created." })
  tags?: string[] | null;

  @Field(() => [ID], { nullable: true })
  institutionIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  personIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: "The byline, in order (at most 20 authors)." })
  authorIds?: string[] | null;

  @Field(() => ImageInput, { nullable: true })
  leadImage?: ImageInput | null;

  @Field(() => [ImageInput], { nullable: true, description: "Further images, in order (at most 50)." })
  images?: ImageInput[] | null;
}

@InputType("UpdateArticleInput", { description: "Fields left out stay as they are; null clears an optional field." })
export class UpdateArticleInput implements Accepted.UpdateArticleInput {
  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true, description: "A new slug; the old one keeps resolving." })
  slug?: string | null;

  @Field(() => String, { nullable: true })
  summary?: string | null;

  @Field(() => String, { nullable: true })
  body?: string | null;

  @Field(() => String, { nullable: true })
  dateline?: string | null;

  @Field(() => String, { nullable: true })
  source?: string | null;

  @Field(() => [String], { nullable: true, description: "Replaces the tags." })
  tags?: string[] | null;

  @Field(() => [ID], { nullable: true, description: "Replaces the institutions." })
  institutionIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: "Replaces the people." })
  personIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: "Replaces the byline." })
  authorIds?: string[] | null;

  @Field(() => ImageInput, { nullable: true, description: "Replaces the lead image; null removes it." })
  leadImage?: ImageInput | null;

  @Field(() => [ImageInput], { nullable: true, description: "Replaces the further images; null or [] removes them." })
  images?: ImageInput[] | null;
}
