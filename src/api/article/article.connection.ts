import { connectionType } from "../connection";
import { Article } from "../../entities/article.entity";

export const ArticleConnection = connectionType("Article", () => Article);
