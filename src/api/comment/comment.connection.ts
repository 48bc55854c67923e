import { connectionType } from "../../db/pagination";
import { Comment } from "../../entities/comment.entity";

export const CommentConnection = connectionType("Comment", () => Comment);
