import type { GraphQLResolveInfo } from "graphql";
import { Args, Authorized, Ctx, Info, Query, Resolver } from "type-graphql";
import { pageArgs } from "../args";
import type { Context } from "../context";
import { AuditEntry } from "../../entities/audit.entity";
import { Role } from "../../kernel/viewer";
import { AuditEntryConnection } from "./audit.connection";
import { AuditTrailArgs } from "./audit.inputs";

/**
 * The audit trail, for admins: it shows every token's doings, editors' and admins' own, and the
 * attempts refused to them. Read-only here; no mutation changes or removes an entry.
 */
@Resolver(() => AuditEntry)
export class AuditResolver {
  @Authorized(Role.ADMIN)
  @Query(() => AuditEntryConnection, { description: "Every mutation, newest first: who (the token), what (field, operation, records), when, from which address, and how it ended. Admins only." })
  async auditTrail(@Args(() => AuditTrailArgs) args: AuditTrailArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const page = await ctx.services.audit.list(ctx, args.filter, pageArgs(args, info));
    return AuditEntryConnection.of(page, page.rows as AuditEntry[]);
  }
}
