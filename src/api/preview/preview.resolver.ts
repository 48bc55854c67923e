import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context";
import { asPreview } from "../article/article.preview";
import { Article } from "../../entities/article.entity";
import { PreviewLink } from "../../entities/preview-link.entity";
import { NotFoundError } from "../../kernel/errors";
import { Role } from "../../kernel/viewer";

@ObjectType("CreatedPreviewLink", { simpleResolvers: true, description: "Returned once, when a preview link is made; its token is never shown again." })
export class CreatedPreviewLinkView {
  @Field(() => PreviewLink)
  link!: PreviewLink;

  @Field(() => String, { description: "The secret: whoever holds it reads the story with `articlePreview(token:)` until it expires or is revoked." })
  token!: string;
}

/** Preview links: editors make and revoke them; whoever holds one reads its story. */
@Resolver(() => Article)
export class PreviewResolver {
  @Query(() => Article, {
    nullable: true,
    description:
      "The one story a preview link's token lets its holder read, as it stands (draft or scheduled too). Its answers are never cached for anyone else. Send the token as a variable of a POST: a GET puts it in URLs that proxies log.",
  })
  async articlePreview(@Arg("token", () => String) token: string, @Ctx() ctx: Context): Promise<Article> {
    const pk = await ctx.services.previews.open(ctx, token);
    const story = await ctx.loaders.article.load(pk);
    // Deleted since the token was checked: its links went with it.
    if (story === null) throw new NotFoundError("No preview link has this token.", "token");
    return asPreview(story);
  }

  @Authorized(Role.EDITOR)
  @FieldResolver(() => [PreviewLink], { nullable: true, description: "Editors only: the story's preview links that have not expired, newest first (revoked ones too)." })
  previewLinks(@Root() article: Article, @Ctx() ctx: Context): Promise<PreviewLink[]> {
    return ctx.loaders.previewLinksOfArticle.load(article.pk);
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => CreatedPreviewLinkView, { description: "A preview link to one story, expiring at `expiresAt` (in the future, at most 30 days away); its token is shown this once." })
  createPreviewLink(@Arg("article", () => ID) article: string, @Arg("expiresAt", () => Date) expiresAt: Date, @Ctx() ctx: Context): Promise<CreatedPreviewLinkView> {
    return ctx.services.previews.create(ctx, article, expiresAt);
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => PreviewLink, { description: "Revokes a preview link: its token is refused from the next request on." })
  revokePreviewLink(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<PreviewLink> {
    return ctx.services.previews.revoke(ctx, id);
  }
}
