import { connectionType } from "../connection";
import { Author } from "../../entities/author.entity";

export const AuthorConnection = connectionType("Author", () => Author);
