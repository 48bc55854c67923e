import type { AuthChecker } from "type-graphql";
import { ForbiddenError, UnauthenticatedError } from "./errors";
import { canSeeDrafts, Role } from "./viewer";
import type { Viewer } from "./viewer";

/**
 * Decides `@Authorized(...roles)`: no viewer is UNAUTHENTICATED, a viewer without one of the
 * roles is FORBIDDEN. ADMIN may do everything.
 */
export const authChecker: AuthChecker<{ readonly viewer: Viewer | null }, Role> = ({ context, info }, roles) => {
  const viewer = context.viewer;
  if (viewer === null) throw new UnauthenticatedError(`${info.fieldName} needs an API token: send 'Authorization: Bearer <token>'.`);
  if (roles.length === 0 || viewer.role === Role.ADMIN || roles.includes(viewer.role)) return true;
  throw new ForbiddenError(`${info.fieldName} needs the role ${[...new Set([...roles, Role.ADMIN])].join(" or ")}; this token's role is ${viewer.role}.`);
};

/**
 * For services whose reads are editors' alone whatever path reaches them (a story's revisions,
 * its preview links): UNAUTHENTICATED without a viewer, FORBIDDEN for a role that does not see
 * drafts. `what` names them, e.g. "A story's revisions".
 */
export function requireEditor(viewer: Viewer | null, what: string): void {
  if (canSeeDrafts(viewer)) return;
  if (viewer === null) throw new UnauthenticatedError(`${what} are for editors: sign in with an EDITOR token.`);
  throw new ForbiddenError(`${what} are for editors; this token's role is ${viewer.role}.`);
}
