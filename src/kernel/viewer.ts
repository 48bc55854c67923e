import { registerEnumType } from "type-graphql";

/** What an API token may do; ADMIN may do everything. */
export enum Role {
  ADMIN = "ADMIN",
  EDITOR = "EDITOR",
  MODERATOR = "MODERATOR",
}
registerEnumType(Role, { name: "Role" });

/** Who is calling: an API token's holder, or nobody (`null`, an anonymous reader). */
export interface Viewer {
  readonly tokenPk: number;
  readonly name: string;
  readonly role: Role;
}

/** Editors (and admins) see drafts and scheduled stories; everyone else only published ones. */
export function canSeeDrafts(viewer: Viewer | null): boolean {
  return viewer !== null && (viewer.role === Role.ADMIN || viewer.role === Role.EDITOR);
}

/** Only admins see API tokens (they alone make and revoke them). */
export function canManageTokens(viewer: Viewer | null): boolean {
  return viewer !== null && viewer.role === Role.ADMIN;
}

/** Only admins see webhook endpoints and their deliveries (they alone register them). */
export function canManageWebhooks(viewer: Viewer | null): boolean {
  return viewer !== null && viewer.role === Role.ADMIN;
}

/** Moderators (and admins) see comments that are not approved. */
export function canModerate(viewer: Viewer | null): boolean {
  return viewer !== null && (viewer.role === Role.ADMIN || viewer.role === Role.MODERATOR);
}
