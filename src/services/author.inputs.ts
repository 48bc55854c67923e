import type { AuthorRole } from "../entities/author.entity";

/*
 * What AuthorService takes, as plain types. The API's GraphQL input types of the same names
 * implement them (api/author/author.inputs.ts).
 */

export interface AuthorFilter {
  role?: AuthorRole | null;
  /** Part of the name. */
  search?: string | null;
}

export interface CreateAuthorInput {
  name: string;
  slug?: string | null;
  bio?: string | null;
  role?: AuthorRole | null;
}

export interface UpdateAuthorInput {
  name?: string | null;
  slug?: string | null;
  bio?: string | null;
  role?: AuthorRole | null;
}
