import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../context";
import { Article } from "../../entities/article.entity";
import { Role } from "../../kernel/viewer";
import { ImportChoices } from "./import.inputs";
import { ImportPreview, toPreview } from "./import.preview";

@Resolver()
export class ImportResolver {
  @Authorized(Role.EDITOR)
  @Mutation(() => Article, {
    description: "Turns a plain-text news story (the shape of shared/seed-article.txt) into an article with its institutions, people and attributed quotes.",
  })
  async importArticle(
    @Arg("text", () => String) text: string,
    @Arg("publish", () => Boolean, { nullable: true, defaultValue: false }) publish: boolean | null,
    @Ctx() ctx: Context,
    @Arg("choices", () => ImportChoices, { nullable: true, description: "An editor's corrections to what the importer reads; see ImportChoices." }) choices?: ImportChoices | null,
  ): Promise<Article> {
    return (await ctx.services.imports.import(ctx, text, { publish: publish === true, choices })).article;
  }

  @Authorized(Role.EDITOR)
  @Query(() => ImportPreview, { description: "What importArticle would store for this text, each record with the span it came from and whether it links a stored record or creates one, and the warnings. Writes nothing." })
  async previewImport(
    @Arg("text", () => String) text: string,
    @Ctx() ctx: Context,
    @Arg("choices", () => ImportChoices, { nullable: true, description: "An editor's corrections to what the importer reads; see ImportChoices." }) choices?: ImportChoices | null,
  ): Promise<ImportPreview> {
    return toPreview(await ctx.services.imports.preview(text, choices));
  }
}
