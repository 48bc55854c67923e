import { connectionType } from "../../common/pagination";
import { Comment } from "./comment.entity";

export const CommentConnection = connectionType("Comment", () => Comment);
