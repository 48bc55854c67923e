import { connectionType } from "../../db/pagination";
import { Article } from "../../entities/article.entity";

export const ArticleConnection = connectionType("Article", () => Article);
