import { connectionType } from "../connection";
import { Comment } from "../../entities/comment.entity";

export const CommentConnection = connectionType("Comment", () => Comment);
