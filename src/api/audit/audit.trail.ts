import { defaultFieldResolver, getNamedType, isInputObjectType, isInterfaceType, isListType, isNonNullType, isObjectType, isUnionType } from "graphql";
import type { GraphQLArgument, GraphQLField, GraphQLFieldResolver, GraphQLInputType, GraphQLOutputType, GraphQLSchema } from "graphql";
import { errorCode } from "../../kernel/errors";
import { asGlobalId } from "../../services/audit.service";
import type { Context } from "../context";

const AUDITED = Symbol("audited");

/** Most list items read for ids: a list longer than any input or result accepts is cut. */
const MAX_ITEMS = 1000;

/** The global ids among a value of an input type: its ID arguments and the ID fields of its inputs. */
function idsOfInput(type: GraphQLInputType, value: unknown, found: Set<string>, depth: number): void {
  if (value === null || value === undefined || depth > 5) return;
  if (isNonNullType(type)) return idsOfInput(type.ofType, value, found, depth);
  if (isListType(type)) {
    if (Array.isArray(value)) for (const item of value.slice(0, MAX_ITEMS)) idsOfInput(type.ofType, item, found, depth);
    return;
  }
  if (isInputObjectType(type)) {
    for (const field of Object.values(type.getFields())) idsOfInput(field.type, (value as Record<string, unknown>)[field.name], found, depth + 1);
    return;
  }
  if (type.name === "ID") {
    const id = asGlobalId(value);
    if (id !== null) found.add(id);
  }
}

/**
 * The global ids in a mutation's result as the resolver returned it, before any field of it
 * resolves: ID values, and the ID fields the returned objects hold themselves (a record's `id`,
 * `apiToken.id` of a created token), two levels down. Fields a resolver would compute (loaders) are
 * not read.
 */
function idsOfOutput(type: GraphQLOutputType, value: unknown, found: Set<string>, depth: number): void {
  if (value === null || value === undefined) return;
  if (isNonNullType(type)) return idsOfOutput(type.ofType, value, found, depth);
  if (isListType(type)) {
    if (Array.isArray(value)) for (const item of value.slice(0, MAX_ITEMS)) idsOfOutput(type.ofType, item, found, depth);
    return;
  }
  if (typeof value !== "object") {
    if (getNamedType(type).name === "ID") {
      const id = asGlobalId(value);
      if (id !== null) found.add(id);
    }
    return;
  }
  if (isInterfaceType(type) || isUnionType(type)) {
    const id = asGlobalId((value as { id?: unknown }).id);
    if (id !== null) found.add(id);
    return;
  }
  if (!isObjectType(type) || depth > 2) return;
  for (const field of Object.values(type.getFields())) {
    const named = getNamedType(field.type);
    if (!(named.name === "ID" || isObjectType(named) || isInterfaceType(named)) || !(field.name in value)) continue;
    const held = (value as Record<string, unknown>)[field.name];
    if (typeof (held as { then?: unknown } | null)?.then === "function") continue;
    idsOfOutput(field.type, held, found, depth + 1);
  }
}

function idsOfArguments(args: readonly GraphQLArgument[], values: Record<string, unknown>): string[] {
  const found = new Set<string>();
  for (const arg of args) idsOfInput(arg.type, values[arg.name], found, 0);
  return [...found];
}

/**
 * Wraps one Mutation field's resolver, authorization included (type-graphql's checks run inside
 * it), so a refused attempt is seen too: the field's audit starts before it runs and ends with its
 * result's records or its error's code (services/audit.service.ts writes the entries).
 */
function audited(field: GraphQLField<unknown, Context>, resolve: GraphQLFieldResolver<unknown, Context>): GraphQLFieldResolver<unknown, Context> {
  const wrapped: GraphQLFieldResolver<unknown, Context> = async (root, args, context, info) => {
    const audit = context.services.audit.begin(context, { field: info.fieldName, operation: info.operation.name?.value ?? null, records: idsOfArguments(field.args, args) });
    let value: unknown;
    try {
      value = await resolve(root, args, context, info);
    } catch (error) {
      await audit.failed(errorCode(error));
      throw error;
    }
    const found = new Set<string>();
    idsOfOutput(field.type, value, found, 0);
    await audit.succeeded([...found]);
    return value;
  };
  return Object.assign(wrapped, { [AUDITED]: true });
}

/** Whether a field's resolver is wrapped by the audit trail. */
export function isAudited(field: GraphQLField<unknown, unknown>): boolean {
  return (field.resolve as { [AUDITED]?: boolean } | undefined)?.[AUDITED] === true;
}

/**
 * Puts every field of the schema's Mutation type under the audit trail, whichever resolver
 * declares it: a mutation added later is audited without anyone remembering to. The built
 * schema's fields are wrapped in place (once).
 */
export function auditMutations(schema: GraphQLSchema): GraphQLSchema {
  const mutation = schema.getMutationType();
  for (const field of Object.values(mutation?.getFields() ?? {})) {
    if (!isAudited(field)) field.resolve = audited(field as GraphQLField<unknown, Context>, (field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, Context>);
  }
  return schema;
}
