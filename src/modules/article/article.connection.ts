import { connectionType } from "../../common/pagination";
import { Article } from "./article.entity";

export const ArticleConnection = connectionType("Article", () => Article);
