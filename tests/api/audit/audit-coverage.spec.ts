import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { buildSchema as buildSdl, getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType } from "graphql";
import type { GraphQLField, GraphQLInputType } from "graphql";
import { createSchema } from "../../../src/api/schema";
import { isAudited } from "../../../src/api/audit/audit.trail";
import { NO_REQUEST } from "../../../src/kernel/request-context";
import { Role } from "../../../src/kernel/viewer";
import { AuthService } from "../../../src/services/auth.service";
import { useTestServer } from "../../helpers/fixture";
import { dataOf } from "../../helpers/server";
import { bearer } from "../../helpers/tokens";

const EMITTED = buildSdl(fs.readFileSync(path.join(__dirname, "..", "..", "..", "schema.graphql"), "utf8"));
const MUTATIONS = Object.values(EMITTED.getMutationType()!.getFields());

/**
 * A literal of `type` that passes validation and coercion: required input fields filled, the
 * rest left out. Whether the mutation then accepts the values does not matter here.
 */
function placeholder(type: GraphQLInputType): string {
  if (isNonNullType(type)) return placeholder(type.ofType);
  if (isListType(type)) return `[${placeholder(type.ofType)}]`;
  if (isInputObjectType(type)) {
    const required = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return `{ ${required.map((f) => `${f.name}: ${placeholder(f.type)}`).join(", ")} }`;
  }
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isScalarType(type)) {
    switch (type.name) {
      case "Int":
      case "Float":
        return "1";
      case "Boolean":
        return "false";
      case "DateTime":
        return `"2030-01-01T00:00:00Z"`;
      default:
        // ID, String, and any scalar read from a string. A new scalar that is not gets its own case here.
        return `"x"`;
    }
  }
  throw new Error(`no placeholder for ${String(type)}`);
}

/** `mutation Probe { field(required args) { __typename } }`. */
function probeOf(field: GraphQLField<unknown, unknown>): string {
  const args = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  const argumentList = args.length > 0 ? `(${args.map((a) => `${a.name}: ${placeholder(a.type)}`).join(", ")})` : "";
  const selection = isScalarType(getNamedType(field.type)) || isEnumType(getNamedType(field.type)) ? "" : " { __typename }";
  return `mutation Probe { ${field.name}${argumentList}${selection} }`;
}

describe("the audit trail's coverage", () => {
  it("wraps every field of the emitted schema's Mutation type, whichever resolver declares it", async () => {
    const served = (await createSchema()).getMutationType()!.getFields();
    expect(MUTATIONS.length).toBeGreaterThan(15);
    expect(MUTATIONS.filter((f) => !served[f.name] || !isAudited(served[f.name]!)).map((f) => f.name)).toEqual([]);
  });

  describe("through the server", () => {
    const t = useTestServer({ seed: false });

    it("keeps an entry for each Mutation field a token calls, whatever it answers", async () => {
      const { token, apiToken } = await new AuthService(t.server.db).createToken(NO_REQUEST, "Penguji cakupan", Role.MODERATOR);
      for (const field of MUTATIONS) {
        const res = await t.gql(probeOf(field), {}, bearer(token));
        // Each probe reaches the resolver: a refusal before execution would leave no entry and say nothing of the wrapper.
        expect([field.name, res.status, res.body.errors?.[0]?.extensions?.code]).not.toEqual([field.name, 400, "GRAPHQL_VALIDATION_FAILED"]);
      }
      const { auditTrail } = dataOf<{ auditTrail: { nodes: Array<{ field: string; operation: string; actor: { id: string } }> } }>(
        await t.gql(`{ auditTrail(first: 100, filter: { actor: "${apiToken.id}" }) { nodes { field operation actor { id } } } }`, {}, bearer((await new AuthService(t.server.db).createToken(NO_REQUEST, "Admin", Role.ADMIN)).token)),
      );
      expect(new Set(auditTrail.nodes.map((e) => e.field))).toEqual(new Set(MUTATIONS.map((f) => f.name)));
      expect(auditTrail.nodes.every((e) => e.operation === "Probe" && e.actor.id === apiToken.id)).toBe(true);
    });
  });
});
