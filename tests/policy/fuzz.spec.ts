import "reflect-metadata";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import type { GeneratorValue } from "fast-check";
import {
  buildSchema,
  getIntrospectionQuery,
  getNamedType,
  GraphQLBoolean,
  GraphQLNonNull,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  Kind,
  Lexer,
  parse,
  Source,
  TokenKind,
} from "graphql";
import type {
  FragmentDefinitionNode,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLInputType,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
} from "graphql";
import WebSocket from "ws";
import { toGlobalId } from "../../src/kernel/ids";
import type { NodeType } from "../../src/kernel/ids";
import { GET_PARAMETERS, MAX_QUERY_PARAMETERS } from "../../src/transport/http-request";
import { DEFAULT_LIMITS } from "../../src/config";
import { MAX_VARIABLE_DEPTH } from "../../src/policy/operation-policy";
import { regionalNewsroom } from "../helpers/scenarios";
import { dataOf, startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import { wsUrl } from "../helpers/ws";

/*
 * Property-based fuzzing of the HTTP endpoint as an anonymous client (no token ever): documents
 * generated from schema.graphql, broken envelopes, mutated JSON, wrong content types and methods,
 * random GETs, padded GETs (answered exactly as their JSON POST, or refused with 400: a padded
 * query string once hid variables from the policy) and oversized or deeply nested requests.
 * Every response must stay under 500, leak no stack, SQL or path, and carry only contract error
 * codes (never INTERNAL_SERVER_ERROR); the server must still answer /healthz after each
 * property, and the anonymous traffic must leave the database byte-for-byte as it found it.
 *
 * `addComment` is the one public mutation that writes, so it is generated like every other field
 * but its `authorEmail` is always a string without "@" (or a value of the wrong type): the
 * server's email rule needs one "@", so no generated comment can ever be stored, every other
 * input of addComment (ids, parent, name, website, body, rate limit) is still fuzzed, and a
 * changed database means a real write path for anonymous clients.
 *
 * Then the attack shapes of issue 9, each sent over HTTP and over graphql-ws (a raw socket, so
 * malformed frames can be sent too): deeply nested variables, fragment chains and fragments ×
 * aliases, floods of inline fragments, fields and directives, defaulted variables sent as null,
 * out-of-range page sizes, introspection deeper than the standard query, misspellings against a
 * production server, non-string credentials in connection_init and malformed frames. Each shape
 * knows what it must get: refused with its contract code (naming the bad value where the contract
 * says so), or admitted because it is within the limits; never an internal error, a 4500 close,
 * an answer over 1 MB, a page over 100 or a "Did you mean" in production, and after a refusal
 * the socket still answers `{ __typename }`.
 *
 * Replay: the seed is printed at the start (and by fast-check on failure); FUZZ_SEED=<seed>
 * replays a run (the attack shapes use a fixed seed unless FUZZ_SEED is set), FUZZ_SCALE=0.1
 * runs a tenth of the requests.
 */

const ROOT = path.resolve(__dirname, "..", "..");
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() ^ (Math.random() * 0x7fffffff);
const SCALE = process.env.FUZZ_SCALE ? Number(process.env.FUZZ_SCALE) : 1;
/** Runs (one request each, two for padded GETs) per property; they add up to 9,600 (the attack shapes below add about 1,000 shapes, each sent over both transports). */
const RUNS = {
  queries: 2000,
  mutations: 900,
  envelopes: 1800,
  rawBodies: 1700,
  contentTypes: 1200,
  gets: 1200,
  paddedGets: 500,
  extremes: 300,
} as const;

const runs = (n: number) => Math.max(1, Math.round(n * SCALE));

fc.configureGlobal({ seed: SEED });

const SCHEMA: GraphQLSchema = buildSchema(fs.readFileSync(path.join(ROOT, "schema.graphql"), "utf8"));

const CONTRACT_CODES = new Set([
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "BAD_USER_INPUT",
  "NOT_FOUND",
  "RATE_LIMITED",
  "QUERY_TOO_COMPLEX",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "INTERNAL_SERVER_ERROR",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
]);

/** What must never reach a client: stack frames, SQL and driver errors, this machine's paths. */
const LEAKS: ReadonlyArray<readonly [string, string]> = [
  ["stack frame", "    at "],
  ["stack frame (HTML)", "&nbsp;at "],
  ["TypeScript source position", ".ts:"],
  ["node_modules path", "node_modules"],
  ["SQL", "SELECT "],
  ["SQL", "INSERT "],
  ["SQLite error", "SQLITE_"],
  ["TypeORM error", "QueryFailedError"],
  ["PostgreSQL error", "syntax error at"],
  ["project path", ROOT],
  ["temporary path", os.tmpdir() + path.sep + "newsroom-test-"],
  ["source path", "/src/"],
];

// ---------------------------------------------------------------------------------------------
// Requests and the checks every response must pass

interface FuzzRequest {
  method: string;
  /** Path and query string, e.g. `/graphql?query=…`. */
  target: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

interface FuzzResponse {
  status: number;
  contentType: string;
  text: string;
}

let base = "";
/** Requests sent, shrinking included. */
let sent = 0;
/** Requests generated by the properties' runs (shrinking not counted). */
let generated = 0;

/**
 * How long fast-check may shrink a failure. Shrinking values built with `fc.gen()` can take
 * tens of thousands of requests; past this budget every further candidate passes unsent, so
 * the smallest failure found so far is the one reported (replay it with its seed).
 */
const SHRINK_BUDGET_MS = 10_000;

function bodyText(body: FuzzRequest["body"]): string {
  if (body === undefined) return "";
  return typeof body === "string" ? body : Buffer.from(body).toString("utf8");
}

/** `text` shortened for a report: long runs of one unit folded (`ab⟨×5000⟩`), then cut at `max`. */
function clip(text: string, max: number): string {
  const folded = text.length > max ? text.replace(/(.{1,4}?)\1{15,}/gsu, (run, unit: string) => `${unit}⟨×${run.length / unit.length}⟩`) : text;
  return folded.length > max ? `${folded.slice(0, max)}… (${text.length} characters in all)` : folded === text ? text : `${folded} (${text.length} characters in all)`;
}

function describeRequest(req: FuzzRequest): string {
  return `${req.method} ${clip(req.target, 400)}\nheaders: ${JSON.stringify(req.headers)}\nbody: ${clip(JSON.stringify(bodyText(req.body)), 1500)}`;
}

/** fast-check prints a counterexample with this (huge bodies clipped) instead of in full. */
function printable(req: FuzzRequest): FuzzRequest {
  return Object.defineProperty(req, fc.toStringMethod, { value: () => describeRequest(req), enumerable: false });
}

async function send(req: FuzzRequest, origin = base): Promise<FuzzResponse> {
  sent++;
  let res: Response;
  try {
    res = await fetch(origin + req.target, { method: req.method, headers: req.headers, body: req.body, redirect: "manual" });
  } catch (error) {
    throw new Error(`no HTTP answer (${String((error as Error).cause ?? error)})\nrequest: ${describeRequest(req)}`);
  }
  return { status: res.status, contentType: res.headers.get("content-type") ?? "", text: await res.text() };
}

/** The patterns of {@link LEAKS} in `text` that the client did not send itself (in `haystack`). */
function leaksIn(text: string, haystack: string): string[] {
  return LEAKS.filter(([, pattern]) => text.includes(pattern) && !haystack.includes(pattern)).map(([what, pattern]) => `leaks ${what} (${JSON.stringify(pattern)})`);
}

/** Everything wrong with one response; empty when it is fine. */
function violations(req: FuzzRequest, res: FuzzResponse): string[] {
  const problems: string[] = [];
  if (res.status >= 500) problems.push(`status ${res.status}`);
  // A pattern the client sent itself may be echoed back in an error message (e.g. a bad id).
  let haystack = req.target + bodyText(req.body);
  try {
    haystack += decodeURIComponent(req.target);
  } catch {
    // not percent-decodable: the raw target is already in the haystack
  }
  problems.push(...leaksIn(res.text, haystack));
  if (/json/i.test(res.contentType) && res.text !== "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.text);
    } catch {
      problems.push("content-type says JSON but the body is not JSON");
    }
    const errors = (parsed as { errors?: unknown } | null)?.errors;
    if (errors !== undefined) {
      if (!Array.isArray(errors) || errors.length === 0) problems.push("`errors` is not a non-empty list");
      else {
        for (const error of errors as Array<{ extensions?: { code?: unknown } } | null>) {
          const code = error?.extensions?.code;
          if (typeof code !== "string" || !CONTRACT_CODES.has(code)) problems.push(`error code ${JSON.stringify(code)} is not one of the contract's`);
          else if (code === "INTERNAL_SERVER_ERROR") problems.push("INTERNAL_SERVER_ERROR (an unexpected error)");
        }
      }
    }
  }
  return problems;
}

/** Sends one request and throws, naming request and response, if the response breaks a rule. */
async function check(req: FuzzRequest): Promise<void> {
  const res = await send(req);
  const problems = violations(req, res);
  if (problems.length > 0) {
    throw new Error(`${problems.join("; ")}\nrequest: ${describeRequest(req)}\nresponse: ${res.status} ${res.contentType}\n${clip(res.text, 1500)}`);
  }
}

const JSON_HEADERS = { "content-type": "application/json" };

function postJson(payload: unknown, headers: Record<string, string> = {}): FuzzRequest {
  return { method: "POST", target: "/graphql", headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(payload) };
}

// ---------------------------------------------------------------------------------------------
// Values: strings, ids, numbers, dates

/** Real data read from the API (and ids of rows readers must not see), filled in beforeAll. */
const pool = {
  ids: [] as string[],
  hiddenIds: [] as string[],
  slugs: [] as string[],
  cursors: [] as string[],
  tags: [] as string[],
  words: ["berita", "nomor", "Surabaya", "Denpasar", "lapas", "bojonegoro", "banyuwangi", "WBK", "WBBM", "Korupsi", "pendidikan", "kutipan", "Jawa Timur", "Bali"],
};

const NASTY = [
  "",
  " ",
  "'",
  '"',
  "\\",
  "%",
  "_",
  "%_%",
  "*",
  "' OR '1'='1",
  "'; DROP TABLE article; --",
  "1) OR (1=1",
  '" OR ""="',
  "NEAR(a b)",
  "a OR b NOT c",
  "^title",
  "title:berita",
  '"berita"*',
  "\u0000",
  "a\u0000b",
  "\u202eevil",
  "\ufeff",
  "\ud800",
  "\udfff",
  "🙂🙃",
  "👩‍👩‍👧‍👦",
  "ǅ",
  "İı",
  "ß",
  "ﬃ",
  "a\u0301\u0301\u0301",
  "Ⅻ²³",
  "\r\n\r\n",
  "\t",
  "$where",
  "__proto__",
  "constructor",
  "{{7*7}}",
  "${process.env}",
  "../../etc/passwd",
  "<script>alert(1)</script>",
  "null",
  "undefined",
  "NaN",
  "-0",
  "1e309",
  "https://example.com",
  "javascript:alert(1)",
  "http://",
  "ftp://example.com",
  "2025-01-01T00:00:00Z",
];

/** Up to about 900 KB (the body limit is 1 MiB; the raw-body property goes past it). */
const hugeString = fc
  .tuple(fc.oneof(fc.string({ minLength: 1, maxLength: 4 }), fc.constantFrom("a", "ab ", "🙂", "%", "\u0000", "é")), fc.integer({ min: 8, max: 19 }))
  .map(([unit, exp]) => unit.repeat(Math.ceil(2 ** exp / unit.length)).slice(0, 900_000));

const anyText = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 4, arbitrary: fc.string({ unit: "grapheme", maxLength: 16 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 16 }) },
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: hugeString },
);

function text(g: GeneratorValue, hint: string): string {
  const kind = g(fc.integer, { min: 0, max: 9 });
  if (kind < 4) {
    if (/slug/i.test(hint) && pool.slugs.length) return g(fc.constantFrom, ...pool.slugs);
    if (/tag/i.test(hint) && pool.tags.length) return g(fc.constantFrom, ...pool.tags);
    if (/after|cursor/i.test(hint)) return cursor(g);
    if (/search|name|city|province|code|title|text/i.test(hint)) return g(fc.constantFrom, ...pool.words);
  }
  return g(() => anyText);
}

const NODE_TYPES: NodeType[] = ["Article", "Institution", "Person", "Quote", "Comment", "Accreditation", "Position", "ApiToken"];

function b64(s: string): string {
  return Buffer.from(s, "utf8").toString("base64url");
}

function id(g: GeneratorValue): string {
  switch (g(fc.integer, { min: 0, max: 13 })) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
      return g(fc.constantFrom, ...pool.ids);
    case 5:
    case 6:
      return g(fc.constantFrom, ...pool.hiddenIds);
    case 7:
      return toGlobalId(g(fc.constantFrom, ...NODE_TYPES), g(fc.integer, { min: 1, max: 1_000_000 }));
    case 8:
      return b64(
        `${g(fc.constantFrom, ...NODE_TYPES, "Tag", "Viewer", "Foo", "")}:${g(fc.constantFrom, "0", "-1", "1.5", "1e3", "9007199254740993", "99999999999999999999", " 1", "1 ", "", "x", "0x10")}`,
      );
    case 9: {
      const real = g(fc.constantFrom, ...pool.ids);
      const at = g(fc.nat, real.length);
      return g(
        fc.constantFrom,
        `${real}=`,
        `${real}==`,
        real.toUpperCase(),
        real.slice(0, at),
        `${real.slice(0, at)}${g(fc.string, { minLength: 1, maxLength: 2 })}${real.slice(at + 1)}`,
        ` ${real}`,
        `${real}\n`,
      );
    }
    case 10:
      return Buffer.from(g(fc.uint8Array, { maxLength: 24 })).toString(g(fc.constantFrom, "base64url", "base64", "hex") as BufferEncoding);
    default:
      return g(() => anyText);
  }
}

function cursor(g: GeneratorValue): string {
  const real = pool.cursors.length ? g(fc.constantFrom, ...pool.cursors) : "";
  switch (g(fc.integer, { min: 0, max: 6 })) {
    case 0:
    case 1:
      return real;
    case 2: {
      // A real cursor's ordering name with key values of other types or sizes.
      let decoded: unknown[] = [];
      try {
        decoded = JSON.parse(Buffer.from(real, "base64url").toString("utf8")) as unknown[];
      } catch {
        decoded = ["a:newest"];
      }
      const values = decoded
        .slice(1)
        .map(() =>
          g(() => fc.oneof(fc.string({ maxLength: 30 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(1e308, -1e308, 0, "", "9999-12-31 23:59:59.999", "' OR 1=1 --"))),
        );
      return b64(JSON.stringify([decoded[0], ...values]));
    }
    case 3:
      return b64(JSON.stringify(g(fc.jsonValue, { maxDepth: 3 })));
    case 4:
      return b64(`${g(fc.string, { maxLength: 40 })}`);
    default:
      return g(() => anyText);
  }
}

function int(g: GeneratorValue): number {
  return g(() => fc.oneof(fc.integer({ min: -3, max: 130 }), fc.constantFrom(0, 1, 20, 100, 101, -1, 2_147_483_647, -2_147_483_648, 2_147_483_648, 9_007_199_254_740_991), fc.integer()));
}

/** An Int within GraphQL's 32 bits (which may still be a bad page size or position). */
function int32(g: GeneratorValue): number {
  return g(() => fc.oneof(fc.integer({ min: -3, max: 130 }), fc.constantFrom(0, 1, 20, 100, 101, -1, 2_147_483_647, -2_147_483_648), fc.integer()));
}

function validDateTime(g: GeneratorValue): string {
  return g(() =>
    fc.oneof(
      fc.date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constantFrom("2025-01-01T00:00:00Z", "2025-01-01T07:00:00+07:00", "2099-01-01T00:00:00.000Z"),
    ),
  );
}

function dateTime(g: GeneratorValue): string {
  return g(() =>
    fc.oneof(
      fc.date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constantFrom(
        "2025-01-01T00:00:00Z",
        "2025-01-01T07:00:00+07:00",
        "2025-02-30T00:00:00Z",
        "2025-01-01T24:00:00Z",
        "2025-01-01",
        "2025-01-01T00:00Z",
        "+275760-09-13T00:00:00.000Z",
        "0000-00-00T00:00:00Z",
        "2025-01-01T00:00:00.123456789Z",
        "2025-13-01T00:00:00-99:99",
      ),
      fc.string({ maxLength: 30 }),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// GraphQL values, printed as literals or sent as variables

type Value =
  | { k: "string"; v: string }
  | { k: "int"; v: number }
  | { k: "float"; v: number }
  | { k: "boolean"; v: boolean }
  | { k: "null" }
  | { k: "enum"; v: string }
  | { k: "list"; v: Value[] }
  | { k: "object"; v: Array<[string, Value]> }
  | { k: "variable"; name: string };

function literal(value: Value): string {
  switch (value.k) {
    case "string":
      return JSON.stringify(value.v);
    case "int":
    case "float":
      return String(value.v);
    case "boolean":
      return String(value.v);
    case "null":
      return "null";
    case "enum":
      return value.v;
    case "list":
      return `[${value.v.map(literal).join(", ")}]`;
    case "object":
      return `{${value.v.map(([k, v]) => `${k}: ${literal(v)}`).join(", ")}}`;
    case "variable":
      return `$${value.name}`;
  }
}

function jsonOf(value: Value): unknown {
  switch (value.k) {
    case "string":
    case "int":
    case "float":
    case "boolean":
    case "enum":
      return value.v;
    case "null":
      return null;
    case "list":
      return value.v.map(jsonOf);
    case "object":
      return Object.fromEntries(value.v.map(([k, v]) => [k, jsonOf(v)]));
    case "variable":
      return null;
  }
}

/**
 * One of `items`, drawn by index: `g` memoizes on its arguments with a deep comparison, which
 * never ends on schema objects (a type's fields point back at the type).
 */
function pick<T>(g: GeneratorValue, items: readonly T[]): T {
  return items[g(fc.nat, items.length - 1)]!;
}

/**
 * A document under construction: its variable declarations and values, and its fragments. A
 * strict document is valid GraphQL (values of the right types, known fields and arguments, no
 * conflicting fields), so it executes and brings garbage ids, cursors, sizes and strings to the
 * resolvers; a sloppy one also makes the mistakes validation is there for (wrong types, unknown
 * fields and arguments, misplaced or malformed directives, missing variables, conflicts).
 */
class Doc {
  readonly declarations: string[] = [];
  readonly variables: Record<string, unknown> = {};
  readonly fragments: string[] = [];
  /** Response name → the field it stands for; a strict document aliases a name it would reuse for another field. */
  private readonly responseNames = new Map<string, string>();
  private aliases = 0;
  fieldBudget: number;

  constructor(
    readonly g: GeneratorValue,
    readonly strict: boolean,
    readonly useVariables: boolean,
  ) {
    this.fieldBudget = g(fc.integer, { min: 1, max: 24 });
  }

  chance(percent: number): boolean {
    return this.g(fc.integer, { min: 0, max: 99 }) < percent;
  }

  /** A deliberate mistake, only ever made in sloppy documents. */
  oops(percent: number): boolean {
    return !this.strict && this.chance(percent);
  }

  /** A value of `type` for the input named `hint` (sloppy documents: now and then of a wrong type). */
  value(type: GraphQLInputType, hint: string, depth = 0): Value {
    if (this.useVariables && depth <= 1 && this.chance(20)) return this.variable(type, hint);
    if (this.oops(6)) return this.wrongValue(depth);
    if (isNonNullType(type)) return this.present(type.ofType as GraphQLInputType, hint, depth);
    if (this.chance(5)) return { k: "null" };
    return this.present(type, hint, depth);
  }

  /** A non-null value of the (nullable) `type`. */
  private present(type: GraphQLInputType, hint: string, depth: number): Value {
    const g = this.g;
    if (isListType(type)) {
      const item = type.ofType as GraphQLInputType;
      if (this.chance(15)) return this.value(item, hint, depth + 1); // a single item coerces to a list
      const length = this.chance(5) ? g(fc.integer, { min: 50, max: 400 }) : g(fc.integer, { min: 0, max: 4 });
      return { k: "list", v: Array.from({ length }, () => this.value(item, hint, depth + 1)) };
    }
    if (isInputObjectType(type)) {
      const fields: Array<[string, Value]> = [];
      for (const field of Object.values(type.getFields())) {
        if (isNonNullType(field.type) ? this.oops(5) : this.chance(55)) continue;
        if (type.name === "AddCommentInput" && field.name === "authorEmail") {
          // Never a storable comment: the server's email rule needs an "@" (see the top of the file).
          fields.push([field.name, this.oops(15) ? this.wrongValue(depth + 1) : { k: "string", v: text(g, "email").replace(/@/g, "") }]);
          continue;
        }
        fields.push([field.name, this.value(field.type, field.name, depth + 1)]);
      }
      if (this.oops(4)) fields.push([g(fc.constantFrom, "bogus", "email", "status", "id", "__proto__"), this.wrongValue(depth + 1)]);
      if (this.chance(30)) fields.reverse(); // input field order must not matter
      return { k: "object", v: fields };
    }
    if (isEnumType(type)) {
      return this.oops(8) ? { k: "enum", v: g(fc.constantFrom, "FOO", "published", "DRAFTS", "ADMIN", "true", "null") } : { k: "enum", v: g(fc.constantFrom, ...type.getValues().map((v) => v.name)) };
    }
    switch (getNamedType(type).name) {
      case "ID":
        return this.chance(10) ? { k: "int", v: int32(g) } : { k: "string", v: id(g) };
      case "Int":
        return { k: "int", v: this.oops(20) ? int(g) : int32(g) };
      case "Float":
        return { k: "float", v: g(fc.double, { noNaN: true, noDefaultInfinity: true }) };
      case "Boolean":
        return { k: "boolean", v: g(fc.boolean) };
      case "DateTime":
        if (this.oops(10)) return { k: "int", v: int(g) };
        return { k: "string", v: this.strict && this.chance(85) ? validDateTime(g) : dateTime(g) };
      default:
        return { k: "string", v: text(g, hint) };
    }
  }

  wrongValue(depth: number): Value {
    const g = this.g;
    switch (g(fc.integer, { min: 0, max: 7 })) {
      case 0:
        return { k: "string", v: text(g, "") };
      case 1:
        return { k: "int", v: int(g) };
      case 2:
        return { k: "float", v: g(fc.double, { noNaN: true, noDefaultInfinity: true }) };
      case 3:
        return { k: "boolean", v: g(fc.boolean) };
      case 4:
        return { k: "null" };
      case 5:
        return { k: "enum", v: g(fc.constantFrom, "PUBLISHED", "APPROVED", "ADMIN", "LAPAS", "FOO") };
      case 6:
        return depth > 3 ? { k: "null" } : { k: "list", v: Array.from({ length: g(fc.integer, { min: 0, max: 3 }) }, () => this.wrongValue(depth + 1)) };
      default:
        return depth > 3 ? { k: "null" } : { k: "object", v: [[g(fc.constantFrom, "id", "a", "input", "email"), this.wrongValue(depth + 1)]] };
    }
  }

  /** Declares `$vN` with the location's type and gives it a value (sloppy: other types, wrong or missing values). */
  variable(type: GraphQLInputType, hint: string): Value {
    const g = this.g;
    const name = `v${this.declarations.length}`;
    let declared = String(type);
    if (this.oops(8)) declared = g(fc.constantFrom, "String", "ID", "Int", "[ID!]!", "Boolean!", "ArticleFilter", "Foo", "DateTime", "CommentStatus!", declared.replace(/!$/, ""));
    const inner = new Doc(g, this.strict, false);
    const value = this.oops(10) ? inner.wrongValue(1) : inner.value(type, hint, 1);
    let declaration = `$${name}: ${declared}`;
    if (this.chance(8)) declaration += ` = ${literal(value)}`;
    else if (!this.oops(5)) this.variables[name] = jsonOf(value);
    this.declarations.push(declaration);
    return { k: "variable", name };
  }

  /** Arguments of `field` (sloppy: sometimes a required one missing, or an unknown one). */
  args(field: GraphQLField<unknown, unknown>): string {
    const parts: string[] = [];
    for (const arg of field.args) {
      if (isNonNullType(arg.type) ? this.oops(4) : this.chance(50)) continue;
      parts.push(`${arg.name}: ${literal(this.value(arg.type, arg.name))}`);
    }
    if (this.oops(3)) parts.push(`${this.g(fc.constantFrom, "bogus", "last", "before", "id", "first")}: ${literal(this.wrongValue(0))}`);
    return parts.length ? `(${parts.join(", ")})` : "";
  }

  directives(): string {
    if (!this.chance(12)) return "";
    const g = this.g;
    const condition = () => (this.useVariables && this.chance(40) ? literal(this.variable(new GraphQLNonNull(GraphQLBoolean), "if")) : String(g(fc.boolean)));
    if (this.oops(30)) return ` ${g(fc.constantFrom, "@deprecated", "@foo", "@include", '@skip(if: "yes")', "@include(if: true) @include(if: false)", '@specifiedBy(url: "x")')}`;
    switch (g(fc.integer, { min: 0, max: 2 })) {
      case 0:
        return ` @include(if: ${condition()})`;
      case 1:
        return ` @skip(if: ${condition()})`;
      default:
        return ` @include(if: ${condition()}) @skip(if: ${condition()})`;
    }
  }

  /** A selection set on `type`, at most `depth` levels deep. */
  selection(type: GraphQLCompositeType, depth: number): string {
    const g = this.g;
    const parts: string[] = [];
    const count = g(fc.integer, { min: 1, max: 4 });
    for (let i = 0; i < count && (i === 0 || this.fieldBudget > 0); i++) {
      this.fieldBudget--;
      const roll = g(fc.integer, { min: 0, max: 99 });
      if (isUnionType(type) || ((isInterfaceType(type) || roll < 8) && roll % 2 === 0 && depth > 0)) {
        parts.push(this.inlineFragment(type, depth));
      } else if (roll < 12 && depth > 0 && isObjectType(type)) {
        parts.push(this.fragmentSpread(type, depth));
      } else if (roll < 14) {
        parts.push("__typename");
      } else if (roll < 17 && !this.strict) {
        parts.push(g(fc.constantFrom, "bogusField", "authorEmail", "email", "password", "tokenHash", "__schema { types { name } }", '__type(name: "Article") { fields { name } }'));
      } else {
        parts.push(this.field(type as GraphQLObjectType, depth));
      }
    }
    return parts.join(" ");
  }

  field(type: GraphQLObjectType, depth: number): string {
    const g = this.g;
    const fields = Object.values(type.getFields()).filter((f) => depth > 0 || isLeafType(getNamedType(f.type)));
    if (fields.length === 0) return "__typename";
    const field = pick(g, fields);
    const args = this.args(field);
    let alias = this.chance(12) ? `${g(fc.constantFrom, "a", "_", "A1", "id", "title")}${g(fc.nat, 3)}` : "";
    if (this.strict) {
      // Same response name, same field and arguments: anything else is a conflict validation refuses.
      const meaning = `${type.name}.${field.name}${args}`;
      const responseName = alias || field.name;
      const known = this.responseNames.get(responseName);
      if (known !== undefined && known !== meaning) alias = `${field.name}_${++this.aliases}`;
      this.responseNames.set(alias || field.name, meaning);
    }
    const named = getNamedType(field.type);
    const sub = isCompositeType(named) ? ` { ${this.selection(named, depth - 1)} }` : "";
    return `${alias ? `${alias}: ` : ""}${field.name}${args}${this.directives()}${sub}`;
  }

  inlineFragment(type: GraphQLCompositeType, depth: number): string {
    const g = this.g;
    const possible: GraphQLNamedType[] = isObjectType(type) ? [type] : [...SCHEMA.getPossibleTypes(type)];
    const on = this.oops(5) ? (SCHEMA.getType("Tag") as GraphQLObjectType) : (pick(g, possible) as GraphQLObjectType);
    return `... on ${on.name}${this.directives()} { ${this.selection(on, depth - 1)} }`;
  }

  fragmentSpread(type: GraphQLObjectType, depth: number): string {
    const name = `F${this.fragments.length}`;
    this.fragments.push(""); // reserve the name before the body (which may add fragments of its own)
    const index = this.fragments.length - 1;
    this.fragments[index] = `fragment ${name} on ${type.name} { ${this.selection(type, depth - 1)} }`;
    return `...${name}${this.directives()}`;
  }
}

interface Operation {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
}

/** A document over `root` (Query or Mutation) built from the schema. */
function operation(g: GeneratorValue, root: "query" | "mutation", maxDepth: number): Operation {
  const doc = new Doc(g, g(fc.integer, { min: 0, max: 99 }) < 65, g(fc.boolean));
  const rootType = (root === "query" ? SCHEMA.getQueryType() : SCHEMA.getMutationType())!;
  const rootFields = Object.values(rootType.getFields());
  const selections: string[] = [];
  const count = root === "query" ? g(fc.integer, { min: 1, max: 3 }) : g(fc.integer, { min: 1, max: 2 });
  for (let i = 0; i < count; i++) {
    const field = pick(g, rootFields);
    const alias = count > 1 || doc.chance(10) ? `r${i}: ` : "";
    const named = getNamedType(field.type);
    const sub = isCompositeType(named) ? ` { ${doc.selection(named, g(fc.integer, { min: 0, max: maxDepth }))} }` : "";
    selections.push(`${alias}${field.name}${doc.args(field)}${doc.directives()}${sub}`);
  }
  if (root === "query" && doc.chance(3)) selections.push(g(fc.constantFrom, "__schema { queryType { name } }", '__type(name: "Comment") { fields { name } }'));
  const named = doc.chance(60);
  const operationName = named ? `Op${g(fc.integer, { min: 0, max: 99 })}` : undefined;
  const header = doc.declarations.length || named || root === "mutation" ? `${root}${named ? ` ${operationName}` : ""}${doc.declarations.length ? `(${doc.declarations.join(", ")})` : ""} ` : "";
  const query = `${header}{ ${selections.join(" ")} }${doc.fragments.length ? `\n${doc.fragments.join("\n")}` : ""}`;
  return { query, variables: doc.variables, operationName: named && doc.chance(70) ? operationName : undefined };
}

/** The operation as a JSON POST or, now and then, as a GET (with Apollo's CSRF preflight header). */
function asRequest(g: GeneratorValue, op: Operation): FuzzRequest {
  if (g(fc.integer, { min: 0, max: 9 }) === 0) {
    const params = new URLSearchParams({ query: op.query });
    if (Object.keys(op.variables).length) params.set("variables", JSON.stringify(op.variables));
    if (op.operationName) params.set("operationName", op.operationName);
    return { method: "GET", target: `/graphql?${params}`, headers: { "apollo-require-preflight": "true" } };
  }
  return postJson(op);
}

// ---------------------------------------------------------------------------------------------
// Request-level generators

const SMALL_QUERIES = [
  "{ articles(first: 3) { nodes { id title } } }",
  "query Q($id: ID!) { node(id: $id) { id } }",
  "{ tags { slug name } }",
  'mutation { addComment(input: { articleId: "x", authorName: "a", authorEmail: "nope", body: "b" }) { id } }',
  "subscription { articlePublished { cursor } }",
  "query A { tags { name } } query B { me { name } }",
  "{ __typename }",
  "{",
  "",
];

const jsonish = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2, withNullPrototype: true, withObjectString: true }).map((v) => JSON.parse(JSON.stringify(v) ?? "null") as unknown) },
);

/** The JSON envelope itself: odd `query`, `variables`, `operationName`, `extensions`, batching. */
const envelopeRequest = fc.gen().map((g): FuzzRequest => {
  const op: Operation = g(fc.boolean) ? operation(g, "query", 2) : { query: g(fc.constantFrom, ...SMALL_QUERIES), variables: {} };
  const payload: Record<string, unknown> = {};
  const pickOne = <T>(items: T[]): T => g(fc.constantFrom, ...items);
  if (g(fc.integer, { min: 0, max: 9 }) > 0) payload.query = g(fc.integer, { min: 0, max: 4 }) > 0 ? op.query : g(() => jsonish);
  if (g(fc.boolean)) payload.variables = g(fc.boolean) ? op.variables : g(() => jsonish);
  if (g(fc.boolean)) payload.operationName = pickOne<unknown>([op.operationName ?? null, "Op1", "A", "B", "", 42, null, ["A"], "__proto__"]);
  if (g(fc.integer, { min: 0, max: 2 }) === 0) {
    payload.extensions = pickOne<unknown>([
      { persistedQuery: { version: 1, sha256Hash: createHash("sha256").update(op.query).digest("hex") } },
      { persistedQuery: { version: 1, sha256Hash: g(fc.string, { maxLength: 64 }) } },
      { persistedQuery: { version: g(fc.integer), sha256Hash: null } },
      { persistedQuery: "yes" },
      g(() => jsonish),
      "extensions",
      [],
    ]);
  }
  if (g(fc.integer, { min: 0, max: 5 }) === 0) payload[g(fc.constantFrom, "id", "documentId", "__proto__", "batch", "mutation")] = g(() => jsonish);
  const headers: Record<string, string> = { ...JSON_HEADERS };
  if (g(fc.boolean))
    headers.accept = g(
      fc.constantFrom,
      "application/json",
      "application/graphql-response+json",
      "*/*",
      "text/html",
      "multipart/mixed",
      'multipart/mixed;subscriptionSpec="1.0", application/json',
      "multipart/mixed;deferSpec=20220824",
      "application/xml",
      "",
      "garbage/;;;",
    );
  const body = g(fc.integer, { min: 0, max: 9 }) === 0 ? [payload, payload] : payload;
  return { method: "POST", target: "/graphql", headers, body: JSON.stringify(body) };
});

function mutate(g: GeneratorValue, body: string): string {
  const at = g(fc.nat, body.length);
  const chunk = g(() =>
    fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.string({ unit: "binary", maxLength: 4 }),
      fc.constantFrom('"', "{", "}", "[", "]", ",", ":", "\\", "\\u", "\\ud800", "\u0000", "null", "1e999", "-", "\ufeff"),
    ),
  );
  switch (g(fc.integer, { min: 0, max: 5 })) {
    case 0:
      return body.slice(0, at); // truncated
    case 1:
      return body.slice(0, at) + chunk + body.slice(at);
    case 2:
      return body.slice(0, at) + body.slice(at + g(fc.integer, { min: 1, max: 8 }));
    case 3:
      return body.slice(0, at) + chunk + body.slice(at + chunk.length);
    case 4:
      return body + body.slice(0, at);
    default:
      return body.slice(at) + body.slice(0, at);
  }
}

/** Broken JSON: truncated, mutated, nested thousands deep, huge, with NUL bytes or invalid UTF-8. */
const rawBodyRequest = fc.gen().map((g): FuzzRequest => {
  const valid = JSON.stringify(g(fc.boolean) ? operation(g, "query", 2) : { query: g(fc.constantFrom, ...SMALL_QUERIES) });
  let body: string | Uint8Array;
  switch (g(fc.integer, { min: 0, max: 11 })) {
    case 0:
    case 1:
    case 2:
    case 3: {
      body = valid;
      const times = g(fc.integer, { min: 1, max: 4 });
      for (let i = 0; i < times; i++) body = mutate(g, body);
      break;
    }
    case 4: {
      const depth = g(fc.integer, { min: 100, max: 200_000 });
      const open = g(fc.constantFrom, "[", '{"a":');
      body = `{"query":"{ tags { name } }","variables":{"v":${open.repeat(depth)}1${(open === "[" ? "]" : "}").repeat(depth)}}}`;
      break;
    }
    case 5:
      body = g(fc.constantFrom, "", "null", "true", "0", '"query"', "[]", "{}", "[{}]", "\ufeff{}", "{}{}", '{"query":null}', '{"query":"{ tags { name } }"}garbage', " ".repeat(10_000), "\u0000");
      break;
    case 6: {
      const bytes = Buffer.from(valid, "utf8");
      const noise = g(fc.uint8Array, { minLength: 1, maxLength: 16 });
      const at = g(fc.nat, bytes.length);
      body = Buffer.concat([bytes.subarray(0, at), Buffer.from(noise), bytes.subarray(at)]);
      break;
    }
    case 7:
      body = `{"query":"{ articles(filter: { search: \\"${"x".repeat(g(fc.integer, { min: 1, max: 1_200_000 }))}\\" }) { totalCount } }"}`;
      break;
    case 8:
      body = valid.replace(/"query"/, `"query\u0000"`).replace(/ /g, g(fc.constantFrom, " ", "\u0000", "\u00a0", "\u2028", "\t"));
      break;
    case 9:
      body = JSON.stringify({ query: "query($s: String) { people(filter: { search: $s }) { totalCount } }", variables: { s: g(() => anyText) } });
      break;
    default:
      body = g(fc.string, { unit: "binary", maxLength: 200 });
  }
  const contentType = g(
    fc.constantFrom,
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=UTF-8",
    "application/graphql-response+json",
    "application/json; charset=utf-16",
  );
  return { method: "POST", target: "/graphql", headers: { "content-type": contentType }, body };
});

const randomMediaType = fc.stringMatching(/^[a-z]{1,8}\/[a-z+.-]{1,12}(; ?[a-z]{1,8}=[a-z0-9-]{0,8})?$/);

/** The right body with the wrong framing: content types, encodings, methods. */
const contentTypeRequest = fc.gen().map((g): FuzzRequest => {
  // One plain operation: the envelope properties cover several operations and subscriptions.
  const op = g(fc.boolean) ? operation(g, "query", 1) : { query: g(fc.constantFrom, ...SMALL_QUERIES.slice(0, 4)), variables: {} };
  const json = JSON.stringify(op);
  const boundary = "----fuzz" + g(fc.integer, { min: 0, max: 9999 });
  const variants: Array<[string | null, string]> = [
    ["text/plain", json],
    ["text/plain; charset=utf-8", json],
    ["application/x-www-form-urlencoded", new URLSearchParams({ query: op.query }).toString()],
    ["application/x-www-form-urlencoded", json],
    [
      `multipart/form-data; boundary=${boundary}`,
      `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${json}\r\n--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.file"]}\r\n--${boundary}--\r\n`,
    ],
    ["multipart/form-data", json],
    [null, json],
    ["application/graphql", op.query],
    ["application/graphql-response+json", json],
    ["application/json", json],
    ["application/json; charset=latin1", json],
    ['application/json; charset="', json],
    ["application/*", json],
    ["*/*", json],
    ["application/xml", `<query>${op.query}</query>`],
    [g(() => randomMediaType), json],
  ];
  const [contentType, body] = g(fc.constantFrom, ...variants);
  const method = g(fc.constantFrom, "POST", "POST", "POST", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
  const headers: Record<string, string> = {};
  if (contentType !== null) headers["content-type"] = contentType;
  if (g(fc.integer, { min: 0, max: 3 }) === 0) headers["apollo-require-preflight"] = "true";
  if (g(fc.integer, { min: 0, max: 5 }) === 0) headers["x-apollo-operation-name"] = "Fuzz";
  if (g(fc.integer, { min: 0, max: 5 }) === 0) headers["content-encoding"] = g(fc.constantFrom, "gzip", "deflate", "br", "identity", "compress", "zstd", "x-fuzz", "gzip, gzip");
  return { method, target: "/graphql", headers, body: method === "OPTIONS" && g(fc.boolean) ? undefined : body };
});

const paramValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(...NASTY),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
);

/** GETs with random query strings, paths and percent-encodings. */
const getRequest = fc.gen().map((g): FuzzRequest => {
  const params = new URLSearchParams();
  const op = operation(g, g(fc.integer, { min: 0, max: 9 }) === 0 ? "mutation" : "query", 2);
  if (g(fc.integer, { min: 0, max: 9 }) > 1) params.append("query", g(fc.integer, { min: 0, max: 5 }) > 0 ? op.query : g(() => paramValue));
  if (g(fc.boolean)) params.append("variables", g(fc.boolean) ? JSON.stringify(op.variables) : g(() => paramValue));
  if (g(fc.integer, { min: 0, max: 3 }) === 0)
    params.append(
      "operationName",
      g(() => paramValue),
    );
  if (g(fc.integer, { min: 0, max: 3 }) === 0) params.append("extensions", g(fc.constantFrom, '{"persistedQuery":{"version":1,"sha256Hash":"abc"}}', "{}", "[]", "x", ""));
  const extra = g(fc.integer, { min: 0, max: 3 });
  for (let i = 0; i < extra; i++)
    params.append(
      g(fc.constantFrom, "query", "variables", "x", "__proto__", "query[]", "variables[a]", ""),
      g(() => paramValue),
    );
  let query = params.toString();
  if (g(fc.integer, { min: 0, max: 7 }) === 0) query += g(fc.constantFrom, "&%", "&%zz", "&%E0%A4%A", "&query=%C0%AF", "&&&", "&=", "&query", "#frag", "&%00=%00");
  const pathname =
    g(fc.integer, { min: 0, max: 9 }) > 0
      ? "/graphql"
      : g(fc.constantFrom, "/graphql/", "/graphql/x", "/GRAPHQL", "//graphql", "/graphql/%E0%A4%A", "/graphql%00", "/graphql/..%2f..%2fetc%2fpasswd", "/%", "/healthz", "/readyz", "/favicon.ico");
  const headers: Record<string, string> = {};
  if (g(fc.integer, { min: 0, max: 3 }) > 0) headers["apollo-require-preflight"] = "true";
  if (g(fc.boolean)) headers.accept = g(fc.constantFrom, "application/json", "application/graphql-response+json", "text/html", "*/*", "text/event-stream", "multipart/mixed");
  return { method: g(fc.constantFrom, "GET", "GET", "GET", "HEAD"), target: `${pathname}?${query}`, headers };
});

/** A GET of a generated query whose query string was padded, given a parameter twice, or run together by an odd separator. */
interface PaddedGet {
  /** The parameters it was built from, as a client would have sent them. */
  params: Array<[string, string]>;
  req: FuzzRequest;
}

/** Separators a query string might be joined with; only `&` separates (`&&` pads). */
const ODD_SEPARATORS = [";", "&&", "&amp;", "%26", "?", ",", "&#38;", "\\u0026"];

const paddedGetRequest = fc.gen().map((g): PaddedGet => {
  // Node reads 16 KB of request head: an operation whose parameters take more than 2 KB of URL (up to four copies of
  // them, and 5,000 `&`, are sent) is drawn again, then replaced.
  const tooLong = (o: Operation) => new URLSearchParams({ query: o.query, variables: JSON.stringify(o.variables) }).toString().length > 2000;
  let op = operation(g, "query", 2);
  for (let attempt = 0; attempt < 5 && tooLong(op); attempt++) op = operation(g, "query", 2);
  if (tooLong(op)) op = { query: "query Front($n: Int) { articles(first: $n) { nodes { slug } } }", variables: { n: 2 }, operationName: "Front" };
  const given: Array<[string, string]> = [["query", op.query]];
  if (Object.keys(op.variables).length > 0 || g(fc.boolean)) given.push(["variables", JSON.stringify(op.variables)]);
  if (op.operationName) given.push(["operationName", op.operationName]);
  // As a URL carries them: a lone surrogate cannot be encoded and arrives as U+FFFD.
  const params = given.map(([name, value]): [string, string] => [name, new URLSearchParams(new URLSearchParams({ v: value }).toString()).get("v")!]);
  const segments = g(fc.shuffledSubarray, params, { minLength: params.length, maxLength: params.length }).map(([name, value]) => new URLSearchParams([[name, value]]).toString());
  const repeats = g(fc.integer, { min: 0, max: 9 }) < 3 ? g(fc.integer, { min: 1, max: 3 }) : 0;
  for (let i = 0; i < repeats; i++) {
    const [name, value] = params[g(fc.nat, params.length - 1)]!;
    segments.splice(g(fc.nat, segments.length), 0, new URLSearchParams([[name, g(fc.boolean) ? value : g(() => paramValue)]]).toString());
  }
  // Up to the limit, just under and just over it, and the thousand `&` that once hid parameters from a parser that stopped counting; in one to three runs.
  const padding = g(() => fc.oneof(fc.integer({ min: 0, max: MAX_QUERY_PARAMETERS }), fc.constantFrom(Math.max(0, MAX_QUERY_PARAMETERS - segments.length), MAX_QUERY_PARAMETERS + 1 - segments.length, 999, 1000, 5000)));
  const places = g(fc.array, fc.nat(), { minLength: 1, maxLength: 3 });
  places.forEach((place, i) => {
    const run = i < places.length - 1 ? Math.floor(padding / places.length) : padding - Math.floor(padding / places.length) * (places.length - 1);
    segments.splice(place % (segments.length + 1), 0, ...Array<string>(run).fill(""));
  });
  // Joined by `&`, except where an odd separator runs two segments together.
  const joins = Array<string>(Math.max(0, segments.length - 1)).fill("&");
  if (joins.length > 0) for (const { at, separator } of g(fc.array, fc.record({ at: fc.nat(), separator: fc.constantFrom(...ODD_SEPARATORS) }), { maxLength: 2 })) joins[at % joins.length] = separator;
  const search = segments.map((segment, i) => (i === 0 ? segment : `${joins[i - 1]}${segment}`)).join("");
  return { params, req: { method: "GET", target: `/graphql?${search}`, headers: {} } };
});

/** Deep, wide and long: nesting, aliases, lists, fragments, directives, variables, huge strings. */
const extremeRequest = fc.gen().map((g): FuzzRequest => {
  const n = g(fc.integer, { min: 100, max: 3000 });
  switch (g(fc.integer, { min: 0, max: 10 })) {
    case 0:
      return postJson({ query: `{ ${"{".repeat(n)} tags { name } ${"}".repeat(n)} }` });
    case 1:
      return postJson({ query: `{ institutions { nodes { ${"parent { ".repeat(n)} id ${"} ".repeat(n)} } } }` });
    case 2:
      return postJson({ query: `{ articles { nodes { ${"institutions { articles { nodes { ".repeat(Math.ceil(n / 50))} id ${"} } } ".repeat(Math.ceil(n / 50))} } } }` });
    case 3:
      return postJson({ query: `{ ${Array.from({ length: n }, (_, i) => `a${i}: articles(first: 100) { totalCount nodes { title } }`).join(" ")} }` });
    case 4:
      return postJson({ query: `{ ${"tags { name } ".repeat(n)} }` });
    case 5:
      return postJson({
        query: 'mutation($t: [String!], $i: [ID!]) { createArticle(input: { title: "t", body: "b", tags: $t, institutionIds: $i }) { id } }',
        variables: { t: Array.from({ length: n * 10 }, (_, i) => `tag${i}`), i: Array.from({ length: n * 10 }, () => pool.ids[0]) },
      });
    case 6:
      return postJson({ query: `query(${Array.from({ length: n }, (_, i) => `$v${i}: String`).join(", ")}) { tags { name } }` });
    case 7:
      return postJson({ query: `{ tags { name ${"@include(if: true) ".repeat(n)} } }` });
    case 8:
      return postJson({ query: `{ ...F0 } ${Array.from({ length: n }, (_, i) => `fragment F${i} on Query { ${i + 1 < n ? `...F${i + 1}` : "tags { name }"} }`).join(" ")}` });
    case 9: {
      const field = g(
        fc.constantFrom,
        "people(filter: { search: $s })",
        "institutions(filter: { search: $s })",
        "quotes(filter: { search: $s })",
        "articles(filter: { search: $s })",
        "article(slug: $s)",
        "person(slug: $s)",
        "institution(slug: $s)",
        "articles(filter: { tag: $s })",
        "institutions(filter: { city: $s })",
        "institutions(filter: { accreditationCode: $s })",
      );
      return postJson({ query: `query($s: String) { x: ${field} { __typename } }`, variables: { s: g(() => hugeString) } });
    }
    default:
      return postJson({ query: `query ${"x".repeat(n * 10)} { tags { name } }`, variables: { [g(fc.string, { maxLength: 10 })]: g(() => hugeString) }, operationName: "x".repeat(n * 10) });
  }
});

// ---------------------------------------------------------------------------------------------
// The attack shapes of issue 9, over HTTP and graphql-ws

/**
 * The attack-shape properties run with a fixed seed, so every run sends the same shapes and a
 * failure in CI replays as it is (FUZZ_SEED=<seed> overrides it, as it does for the rest).
 */
const ATTACK_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 92_025;
/** Shapes per property; each is sent over HTTP and over graphql-ws. */
const ATTACK_RUNS = {
  variables: 120,
  fragmentChains: 100,
  fragmentAliases: 80,
  floods: 120,
  nullDefaults: 80,
  pageSizes: 120,
  introspection: 60,
  hints: 150,
  authorization: 40,
  frames: 100,
} as const;

/** No answer, over either transport, may be larger than this. */
const MAX_ANSWER_BYTES = 1_000_000;
/** What the test servers let a WebSocket message be (startTestServer's wsMaxMessageBytes); a larger frame closes with 1009. */
const WS_MAX_MESSAGE_BYTES = 65_536;

/**
 * What a shape must get. `refused`: errors only with these codes (and, with `mentions`, one
 * naming that value); `admitted`: data and no error; `either`: admitted, or refused with these codes.
 */
type Expectation = { readonly kind: "refused"; readonly codes: readonly string[]; readonly mentions?: string } | { readonly kind: "admitted" } | { readonly kind: "either"; readonly codes: readonly string[] };

interface AttackCase {
  /** What the shape is, for the report (e.g. "12 fragments × 100 aliases"). */
  readonly shape: string;
  readonly query: string;
  /** The variables as JSON text: deep values are written out, never built and stringified. */
  readonly variables?: string;
  readonly expect: Expectation;
  /** No error message may carry graphql-js's "Did you mean" hints (a production server). */
  readonly noHints?: boolean;
}

const refusedWith = (codes: readonly string[], mentions?: string): Expectation => ({ kind: "refused", codes, mentions });
const ADMITTED: Expectation = { kind: "admitted" };

function describeCase(c: AttackCase): string {
  return `${c.shape}: ${JSON.stringify(c.expect)}\nquery: ${clip(c.query, 1500)}${c.variables ? `\nvariables: ${clip(c.variables, 600)}` : ""}`;
}

function printableCase(c: AttackCase): AttackCase {
  return Object.defineProperty(c, fc.toStringMethod, { value: () => describeCase(c), enumerable: false });
}

interface GraphQLAnswer {
  data?: unknown;
  errors?: Array<{ message?: unknown; extensions?: { code?: unknown } } | null>;
}

/** The largest `nodes` or `edges` list anywhere in `value` (a page past 100 must never be served). */
function largestPage(value: unknown, key = ""): number {
  if (Array.isArray(value)) return Math.max(key === "nodes" || key === "edges" ? value.length : 0, ...value.map((v) => largestPage(v)));
  if (value !== null && typeof value === "object") return Math.max(0, ...Object.entries(value).map(([k, v]) => largestPage(v, k)));
  return 0;
}

/** How the answer breaks the case's expectation and the rules every answer keeps; empty when it is fine. */
function answerProblems(c: AttackCase, answer: GraphQLAnswer): string[] {
  const problems: string[] = [];
  const errors = answer.errors ?? [];
  const codes = errors.map((e) => e?.extensions?.code);
  for (const code of codes) {
    if (typeof code !== "string" || !CONTRACT_CODES.has(code)) problems.push(`error code ${JSON.stringify(code)} is not one of the contract's`);
    else if (code === "INTERNAL_SERVER_ERROR") problems.push("INTERNAL_SERVER_ERROR (an unexpected error)");
  }
  const messages = errors.map((e) => String(e?.message));
  const expect = c.expect;
  if (expect.kind === "admitted") {
    if (errors.length > 0) problems.push(`refused (${codes.join(", ")}: ${clip(messages[0]!, 300)}), expected admitted`);
    if (answer.data === null || typeof answer.data !== "object") problems.push("no data, expected admitted");
  } else {
    if (expect.kind === "refused" && errors.length === 0) problems.push(`admitted, expected refused with ${expect.codes.join(" or ")}`);
    const wrong = codes.filter((code) => typeof code !== "string" || !expect.codes.includes(code));
    if (wrong.length > 0) problems.push(`answered ${[...new Set(wrong)].join(", ")} (${clip(messages[codes.indexOf(wrong[0])]!, 300)}), expected ${expect.codes.join(" or ")}`);
    if (expect.kind === "refused" && expect.mentions !== undefined && errors.length > 0 && !messages.some((m) => m.includes(expect.mentions!))) {
      problems.push(`no error message names ${JSON.stringify(expect.mentions)}: ${clip(JSON.stringify(messages), 300)}`);
    }
  }
  if (c.noHints && messages.some((m) => /did you mean/i.test(m))) problems.push(`a "Did you mean" hint in production: ${clip(messages.find((m) => /did you mean/i.test(m))!, 300)}`);
  const page = largestPage(answer.data);
  if (page > 100) problems.push(`a page of ${page} items was served`);
  return problems;
}

/** The case as a POST (or, when short enough for a URL, now and then a GET). */
function httpRequestOf(c: AttackCase, asGet: boolean): FuzzRequest {
  if (asGet && c.query.length + (c.variables?.length ?? 0) < 6000 && !/^\s*mutation/.test(c.query)) {
    const params = new URLSearchParams({ query: c.query });
    if (c.variables) params.set("variables", c.variables);
    return { method: "GET", target: `/graphql?${params}`, headers: {} };
  }
  return { method: "POST", target: "/graphql", headers: JSON_HEADERS, body: `{"query":${JSON.stringify(c.query)}${c.variables ? `,"variables":${c.variables}` : ""}}` };
}

/** Sends the case over HTTP; the problems with the answer, each naming the transport. */
async function attackOverHttp(c: AttackCase, origin: string, asGet: boolean): Promise<{ problems: string[]; refused: boolean }> {
  const req = httpRequestOf(c, asGet);
  const res = await send(req, origin);
  const problems = violations(req, res);
  if (res.text.length > MAX_ANSWER_BYTES) problems.push(`an answer of ${res.text.length} bytes`);
  let answer: GraphQLAnswer = {};
  try {
    answer = JSON.parse(res.text) as GraphQLAnswer;
  } catch {
    problems.push(`the answer is not JSON (${res.status} ${res.contentType})`);
  }
  if (problems.length === 0) problems.push(...answerProblems(c, answer));
  return { problems: problems.length ? [`HTTP ${req.method} ${res.status}: ${problems.join("; ")}\n  answer: ${clip(res.text, 600)}`] : [], refused: (answer.errors?.length ?? 0) > 0 };
}

type WsAnswer =
  | { readonly kind: "closed"; readonly code: number; readonly reason: string }
  | { readonly kind: "error"; readonly errors: GraphQLAnswer["errors"]; readonly texts: string[] }
  | { readonly kind: "result"; readonly results: GraphQLAnswer[]; readonly texts: string[] }
  | { readonly kind: "timeout" };

interface Pending {
  readonly results: GraphQLAnswer[];
  readonly texts: string[];
  readonly done: (answer: WsAnswer) => void;
}

/**
 * A raw graphql-transport-ws socket (it sends frames a well-behaved client never would), which
 * matches answers to operation ids and notices when the server closes it.
 */
class WsPeer {
  private readonly pending = new Map<string, Pending>();
  private nextId = 0;
  closed: { code: number; reason: string } | null = null;
  /** Every text frame the server sent that belongs to no pending operation. */
  readonly stray: string[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const text = String(data);
      let message: { id?: unknown; type?: unknown; payload?: unknown };
      try {
        message = JSON.parse(text) as typeof message;
      } catch {
        this.stray.push(text);
        return;
      }
      const pending = typeof message.id === "string" ? this.pending.get(message.id) : undefined;
      if (!pending) return void this.stray.push(text);
      pending.texts.push(text);
      if (message.type === "next") pending.results.push(message.payload as GraphQLAnswer);
      else if (message.type === "error") this.settle(message.id as string, { kind: "error", errors: message.payload as GraphQLAnswer["errors"], texts: pending.texts });
      else if (message.type === "complete") this.settle(message.id as string, { kind: "result", results: pending.results, texts: pending.texts });
    });
    socket.on("close", (code, reason) => {
      this.closed = { code, reason: String(reason) };
      for (const id of [...this.pending.keys()]) this.settle(id, { kind: "closed", ...this.closed });
    });
    socket.on("error", () => undefined);
  }

  /** Opens a socket; with `init`, sends connection_init with that payload and waits for the ack. */
  static async open(url: string, init: Record<string, unknown> | null = {}): Promise<WsPeer> {
    const socket = new WebSocket(url, "graphql-transport-ws");
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    const peer = new WsPeer(socket);
    if (init !== null) {
      socket.send(JSON.stringify({ type: "connection_init", payload: init }));
      const deadline = Date.now() + 3000;
      while (!peer.stray.some((text) => text.includes('"connection_ack"'))) {
        if (peer.closed || Date.now() > deadline) throw new Error(`no connection_ack (${JSON.stringify(peer.closed)})`);
        await new Promise((r) => setTimeout(r, 2));
      }
    }
    return peer;
  }

  private settle(id: string, answer: WsAnswer): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    pending.done(answer);
  }

  /** A fresh operation id. */
  id(): string {
    return `op${++this.nextId}`;
  }

  /** Sends `frame` (text, or bytes as a binary frame) and waits for the answer to operation `id`. */
  call(id: string, frame: string | Buffer, timeoutMs = 10_000): Promise<WsAnswer> {
    if (this.closed) return Promise.resolve({ kind: "closed", ...this.closed });
    return new Promise<WsAnswer>((resolve) => {
      const timer = setTimeout(() => this.settle(id, { kind: "timeout" }), timeoutMs);
      this.pending.set(id, {
        results: [],
        texts: [],
        done: (answer) => {
          clearTimeout(timer);
          resolve(answer);
        },
      });
      this.socket.send(frame);
    });
  }

  /** Runs an operation with the payload given as JSON text. */
  run(payload: string): Promise<WsAnswer> {
    const id = this.id();
    return this.call(id, `{"id":${JSON.stringify(id)},"type":"subscribe","payload":${payload}}`);
  }

  /** Waits until the server closes the socket (or `timeoutMs` passes: null). */
  async waitClosed(timeoutMs = 3000): Promise<{ code: number; reason: string } | null> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    return this.closed;
  }

  close(): void {
    this.socket.terminate();
  }
}

/** One open, acknowledged socket per server, opened again after the server closes it. */
const peers = new Map<string, WsPeer>();

async function peerFor(url: string): Promise<WsPeer> {
  const known = peers.get(url);
  if (known && !known.closed) return known;
  const peer = await WsPeer.open(url);
  peers.set(url, peer);
  return peer;
}

/** What is wrong with a close the server chose: an internal error, or text that should stay inside. */
function closeProblems(closed: { code: number; reason: string }, haystack: string): string[] {
  const problems = leaksIn(closed.reason, haystack);
  if (closed.code === 4500 || closed.code === 1011) problems.push(`closed with ${closed.code} (an internal error)`);
  if (/maximum call stack|error:|exception/i.test(closed.reason)) problems.push(`close reason with internal text: ${JSON.stringify(closed.reason)}`);
  return problems;
}

/** After a refusal the socket still serves: `{ __typename }` answers. */
async function stillServes(peer: WsPeer): Promise<string[]> {
  const answer = await peer.run('{"query":"{ __typename }"}');
  if (answer.kind === "result" && (answer.results[0]?.data as { __typename?: unknown } | undefined)?.__typename === "Query") return [];
  return [`after the refusal, { __typename } got ${clip(JSON.stringify(answer), 400)}`];
}

/** Sends the case over graphql-ws; the problems with the answer, each naming the transport. */
async function attackOverWs(c: AttackCase, url: string): Promise<{ problems: string[]; refused: boolean }> {
  const peer = await peerFor(url);
  const payload = `{"query":${JSON.stringify(c.query)}${c.variables ? `,"variables":${c.variables}` : ""}}`;
  const frameBytes = Buffer.byteLength(payload) + 40;
  sent++;
  const answer = await peer.run(payload);
  const problems: string[] = [];
  let refused = false;
  const haystack = c.query + (c.variables ?? "");
  switch (answer.kind) {
    case "timeout":
      problems.push("no answer within 10 s");
      break;
    case "closed":
      // A frame over the message limit is refused by closing (1009): a limit, not a failure.
      if (!(answer.code === 1009 && frameBytes > WS_MAX_MESSAGE_BYTES)) problems.push(`the socket closed (${answer.code} ${JSON.stringify(answer.reason)})`);
      problems.push(...closeProblems(answer, haystack));
      refused = true;
      break;
    default: {
      const texts = answer.texts;
      for (const text of texts) {
        if (text.length > MAX_ANSWER_BYTES) problems.push(`a message of ${text.length} bytes`);
        problems.push(...leaksIn(text, haystack));
      }
      const result: GraphQLAnswer = answer.kind === "error" ? { errors: answer.errors ?? [] } : (answer.results[0] ?? {});
      if (answer.kind === "error" && (!Array.isArray(answer.errors) || answer.errors.length === 0)) problems.push("an error message without errors");
      if (answer.kind === "result" && answer.results.length !== 1) problems.push(`${answer.results.length} results for one query`);
      problems.push(...answerProblems(c, result));
      refused = (result.errors?.length ?? 0) > 0;
      if (refused) problems.push(...(await stillServes(peer)));
    }
  }
  const shown = answer.kind === "error" || answer.kind === "result" ? `\n  answer: ${clip(answer.texts.join("\n"), 600)}` : "";
  return { problems: problems.length ? [`WebSocket: ${problems.join("; ")}${shown}`] : [], refused };
}

// -- shape builders ---------------------------------------------------------------------------

/** Parts of a query the default limits admit (a few hundred at most), and parts far over the cost limit of 5,000; aliased, so they never conflict with the field beside them. */
const CHEAP_PARTS = ["extra: tags { name }", "extra: articles(first: 3) { nodes { id title } }", "extra: __typename", "extra: institutions(first: 2) { totalCount nodes { slug } }"];
const EXPENSIVE_PARTS = [
  // 1 + 100 × (1 + 1 + 3 × (1 + 100 × 2)) = 60,501
  "extra: articles(first: 100) { nodes { institutions { articles(first: 100) { nodes { id } } } } }",
  // 1 + 100 × (1 + 1 + 100 × (1 + 1 + 1 + 3 × 2)) = 90,201
  "extra: people(first: 100) { nodes { articles(first: 100) { nodes { title quotes { text } } } } }",
  // 1 + 100 × (1 + 2 + 100 × 2 + 1 + 100 × 2) = 40,401
  "extra: institutions(first: 100) { nodes { quotes(first: 100) { nodes { text } } articles(first: 100) { nodes { id } } } }",
];

/** graphql-js's lexical tokens in a document, as its `maxTokens` counts them. */
function tokenCount(query: string): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) count++;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
  return count;
}

/** A document over the token limit is refused by the parser before anything else looks at it. */
function withTokenLimit(query: string, expect: Expectation): Expectation {
  return tokenCount(query) > DEFAULT_LIMITS.maxTokens ? refusedWith(["GRAPHQL_PARSE_FAILED"]) : expect;
}

/** JSON text of a value nested `depth` containers deep (arrays, objects or both, alternating), around `leaf`. */
function nestedJson(depth: number, kind: "array" | "object" | "mixed", leaf: string): string {
  const opens: string[] = [];
  for (let i = 0; i < depth; i++) opens.push(kind === "array" || (kind === "mixed" && i % 2 === 1) ? "[" : '{"":');
  return opens.join("") + leaf + opens.map((o) => (o === "[" ? "]" : "}")).reverse().join("");
}

/** Undeclared variables and declared ones with deeply nested values (issue 9, attacks 6 and 13). */
const deepVariablesCase = fc.gen().map((g): AttackCase => {
  // How deep the variables nest, the variables object itself counted as the first level.
  const depth = g(() =>
    fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 30, max: 34 }) },
      { weight: 3, arbitrary: fc.integer({ min: 35, max: 10_000 }) },
      { weight: 2, arbitrary: fc.constantFrom(MAX_VARIABLE_DEPTH, MAX_VARIABLE_DEPTH + 1, 100, 1000, 6000, 10_000) },
    ),
  );
  const kind = g(fc.constantFrom, "array", "object", "mixed") as "array" | "object" | "mixed";
  const leaf = g(fc.constantFrom, "1", '"x"', "null", "{}", "[]", "true");
  // An empty object or list at the bottom is a level of its own.
  const value = nestedJson(depth - (leaf === "{}" || leaf === "[]" ? 2 : 1), kind, leaf);
  const tooDeep = depth > MAX_VARIABLE_DEPTH;
  const expensive = g(fc.boolean);
  const part = expensive ? g(fc.constantFrom, ...EXPENSIVE_PARTS) : g(fc.constantFrom, ...CHEAP_PARTS);
  const name = g(fc.constantFrom, "x", "v", "filter", "id", "__proto__");
  if (g(fc.boolean)) {
    // Undeclared: graphql-js ignores it, so only the policy's nesting check stands between it and the walkers.
    const expect = tooDeep ? refusedWith(["BAD_USER_INPUT"]) : expensive ? refusedWith(["QUERY_TOO_COMPLEX"]) : ADMITTED;
    return { shape: `undeclared $${name} nested ${depth} deep (${kind})${expensive ? ", expensive" : ""}`, query: `{ ${part} }`, variables: `{${JSON.stringify(name)}:${value}}`, expect };
  }
  const [declaration, use] = g(
    fc.constantFrom,
    ["$v: ArticleFilter", "articles(filter: $v) { nodes { id } }"],
    ["$v: String", "articles(filter: { search: $v }) { totalCount }"],
    ["$v: ID!", "node(id: $v) { id }"],
    ["$v: InstitutionFilter", "institutions(filter: $v) { totalCount }"],
    ["$v: Int", "quotes(first: $v) { totalCount }"],
  );
  // No input of the schema takes a nested list or object there, so coercion refuses it when the nesting check does not.
  return {
    shape: `declared ${declaration} nested ${depth} deep (${kind})${expensive ? ", expensive" : ""}`,
    query: `query(${declaration}) { ${use} ${part} }`,
    variables: `{"v":${value}}`,
    expect: refusedWith(["BAD_USER_INPUT"]),
  };
});

/** Base selections a fragment may start from: field name, whether aliased, text. */
type BaseItem = { field: string; aliased: boolean; text: (j: number) => string };
const BASE_ITEMS: BaseItem[] = [
  { field: "__typename", aliased: false, text: () => "__typename" },
  { field: "__typename", aliased: true, text: (j) => `a${j}: __typename` },
  { field: "tags", aliased: false, text: () => "tags { name }" },
  { field: "tags", aliased: true, text: (j) => `t${j}: tags { slug }` },
  { field: "articles", aliased: true, text: (j) => `n${j}: articles(first: 1) { pageInfo { hasNextPage } }` },
];

/** Selections per field name and aliases of a fragment, counted through its spreads. */
interface Counts {
  fields: Map<string, number>;
  aliases: number;
}

function scaled(counts: Counts, by: number, into: Counts = { fields: new Map(), aliases: 0 }): Counts {
  for (const [name, n] of counts.fields) into.fields.set(name, (into.fields.get(name) ?? 0) + n * by);
  into.aliases += counts.aliases * by;
  return into;
}

function overLimits(counts: Counts): boolean {
  return counts.aliases > DEFAULT_LIMITS.maxAliases || Math.max(0, ...counts.fields.values()) > DEFAULT_LIMITS.maxFieldRepeats;
}

/** Chains of fragments, each spreading the previous one 1–3 times (issue 9, attack 6): refused through the fragments, or cheap. */
const fragmentChainCase = fc.gen().map((g): AttackCase => {
  const n = g(() => fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 10, max: 40 }) }, { weight: 3, arbitrary: fc.integer({ min: 1, max: 9 }) }));
  const k = g(fc.constantFrom, 1, 2, 2, 3);
  const baseCount = g(fc.integer, { min: 1, max: 4 });
  const base = Array.from({ length: baseCount }, (_, j) => ({ item: BASE_ITEMS[g(fc.nat, BASE_ITEMS.length - 1)]!, j }));
  const own = g(fc.boolean);
  let counts: Counts = { fields: new Map(), aliases: 0 };
  for (const { item } of base) scaled({ fields: new Map([[item.field, 1]]), aliases: item.aliased ? 1 : 0 }, 1, counts);
  const fragments = [`fragment F0 on Query { ${base.map(({ item, j }) => item.text(j)).join(" ")} }`];
  for (let i = 1; i < n; i++) {
    const next = scaled(counts, k);
    if (own) scaled({ fields: new Map([["__typename", 1]]), aliases: 1 }, 1, next);
    counts = next;
    fragments.push(`fragment F${i} on Query { ${`...F${i - 1} `.repeat(k)}${own ? `c${i}: __typename` : ""} }`);
  }
  const spreads = g(fc.constantFrom, 1, 1, 2);
  const top = scaled(counts, spreads);
  const wrapped = g(fc.boolean);
  const spread = `...F${n - 1} `.repeat(spreads);
  const query = `{ ${wrapped ? `... on Query { ${spread}}` : spread}}\n${fragments.reverse().join("\n")}`;
  return {
    shape: `${n} fragments, each spreading the previous ${k}×${own ? " plus an alias" : ""}`,
    query,
    expect: withTokenLimit(query, overLimits(top) ? refusedWith(["QUERY_TOO_COMPLEX"]) : ADMITTED),
  };
});

/** N fragments × M aliases around and past the alias limit (issue 9, attack 11: 12 × 100). */
const fragmentAliasesCase = fc.gen().map((g): AttackCase => {
  const n = g(() => fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 15 }) }, { weight: 1, arbitrary: fc.constant(12) }));
  const around = Math.floor(DEFAULT_LIMITS.maxAliases / n);
  const m = g(() => fc.oneof({ weight: 2, arbitrary: fc.constantFrom(around, around + 1, Math.max(1, around - 1)) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: 120 }) }, { weight: 1, arbitrary: fc.constant(100) }));
  const fields = g(fc.subarray, ["__typename", "tags { name }", "articles(first: 1) { pageInfo { hasNextPage } }"], { minLength: 1 });
  const shared = g(fc.boolean); // the same alias names in every fragment (same field each: no conflict), or names of their own
  const fragments = Array.from({ length: n }, (_, i) => `fragment F${i} on Query { ${Array.from({ length: m }, (_, j) => `${shared ? `a${j}` : `f${i}_${j}`}: ${fields[j % fields.length]}`).join(" ")} }`);
  const query = `{ ${Array.from({ length: n }, (_, i) => `...F${i}`).join(" ")} }\n${fragments.join("\n")}`;
  return { shape: `${n} fragments × ${m} aliases = ${n * m}`, query, expect: withTokenLimit(query, n * m > DEFAULT_LIMITS.maxAliases ? refusedWith(["QUERY_TOO_COMPLEX"]) : ADMITTED) };
});

/** Floods of inline fragments and repeated fields (issue 9, attack 9), and directives piled on one field. */
const floodCase = fc.gen().map((g): AttackCase => {
  const limit = DEFAULT_LIMITS.maxFieldRepeats;
  const n = g(() => fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 100, max: 600 }) }, { weight: 2, arbitrary: fc.integer({ min: limit - 10, max: limit + 10 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 99 }) }));
  const flood = (query: string, repeats: number, shape: string): AttackCase => ({ shape, query, expect: withTokenLimit(query, repeats > limit ? refusedWith(["QUERY_TOO_COMPLEX"]) : ADMITTED) });
  switch (g(fc.integer, { min: 0, max: 5 })) {
    case 0: {
      const fragment = g(fc.constantFrom, "... on Query { __typename }", "... { __typename }", "... on Query @include(if: true) { __typename }", "... on Query { tags { name } }");
      return flood(`{ ${`${fragment} `.repeat(n)}}`, n, `${n} × ${fragment}`);
    }
    case 1: {
      const field = g(fc.constantFrom, "__typename", "tags { name }", "articles(first: 2) { nodes { id } }", "me { name }");
      return flood(`{ ${`${field} `.repeat(n)}}`, n, `${n} × ${field}`);
    }
    case 2: {
      const field = g(fc.constantFrom, "id", "title", "__typename");
      return flood(`{ articles(first: 2) { nodes { ${`${field} `.repeat(n)}} } }`, n, `${n} × ${field} in one nested selection`);
    }
    case 3: {
      // n inline fragments of m fields each: n × m selections of one field once merged.
      const m = g(fc.integer, { min: 1, max: 8 });
      return flood(`{ ${`... on Query { ${"__typename ".repeat(m)}} `.repeat(n)}}`, n * m, `${n} inline fragments × ${m} __typename`);
    }
    case 4: {
      // The repeats limit counts one name in one selection set: spread evenly over several names, each stays under it.
      const names = g(fc.integer, { min: 2, max: 4 });
      const per = Math.max(1, Math.floor(n / names));
      const query = `{ ${Array.from({ length: names }, (_, i) => `... on Query { ${`${["__typename", "tags { name }", "me { name }", "articles(first: 1) { pageInfo { hasNextPage } }"][i]!} `.repeat(per)}}`).join(" ")} }`;
      return flood(query, per, `${per} × each of ${names} fields in inline fragments`);
    }
    default: {
      // Directives on one field: graphql-js refuses a repeated @include or @skip, the limit refuses more than its maximum first.
      const d = g(fc.integer, { min: 1, max: 12 });
      const directives = Array.from({ length: d }, (_, i) => (i % 2 === 0 ? "@include(if: true)" : "@skip(if: false)")).join(" ");
      const expect = d > DEFAULT_LIMITS.maxDirectivesPerField ? refusedWith(["QUERY_TOO_COMPLEX"]) : d > 2 ? refusedWith(["GRAPHQL_VALIDATION_FAILED"]) : ADMITTED;
      return { shape: `${d} directives on one field`, query: `{ __typename ${directives} tags { name } }`, expect };
    }
  }
});

/** A real id of `type` from the pool. */
function realId(g: GeneratorValue, type: NodeType): string {
  const ids = pool.ids.filter((id) => Buffer.from(id, "base64url").toString("utf8").startsWith(`${type}:`));
  return g(fc.constantFrom, ...ids);
}

/** A non-null argument fed a defaulted variable sent as null (issue 9, attack 6): BAD_USER_INPUT, never an internal error. */
const nullDefaultCase = fc.gen().map((g): AttackCase => {
  const given = g(fc.constantFrom, "null", "null", "null", "absent", "real");
  const expensive = g(fc.boolean);
  const rest = expensive ? g(fc.constantFrom, ...EXPENSIVE_PARTS) : g(fc.constantFrom, ...CHEAP_PARTS);
  const article = realId(g, "Article");
  const [declared, fallback, use, nonNull] = g(
    fc.constantFrom,
    ["ID", article, "node(id: $id) { id }", true],
    ["ID", article, "a: node(id: $id) { ... on Article { title } } b: node(id: $id) { id }", true],
    ["String", "Article", "__type(name: $id) { name }", true],
    ["ID", realId(g, "Institution"), "articles(filter: { institutionId: $id }) { totalCount }", false],
    ["ID", article, "article(id: $id) { id }", false],
  );
  const variables = given === "null" ? '{"id":null}' : given === "real" ? JSON.stringify({ id: fallback }) : g(fc.constantFrom, "{}", undefined);
  if (g(fc.integer, { min: 0, max: 4 }) === 0) {
    // The same through an input object of the one public mutation (its email never has an "@": nothing is stored).
    const query = `mutation($id: ID = ${JSON.stringify(article)}) { addComment(input: { articleId: $id, authorName: "n", authorEmail: "no-at-sign", body: "b" }) { id } }`;
    return { shape: `addComment with a defaulted $id sent as ${given}`, query, variables, expect: refusedWith(given === "null" ? ["BAD_USER_INPUT"] : ["BAD_USER_INPUT", "RATE_LIMITED"]) };
  }
  const before = g(fc.boolean);
  const query = `query($id: ${declared} = ${JSON.stringify(fallback)}) { ${before ? `${rest} ${use}` : `${use} ${rest}`} }`;
  // Into a nullable argument null is a value like any other: the resolver may still find it wanting (article(id: null) names neither id nor slug).
  const expect: Expectation =
    given === "null" && nonNull ? refusedWith(["BAD_USER_INPUT"]) : expensive ? refusedWith(["QUERY_TOO_COMPLEX"]) : given === "null" ? { kind: "either", codes: ["BAD_USER_INPUT"] } : ADMITTED;
  return { shape: `defaulted $id sent as ${given}${nonNull ? " into a non-null argument" : ""}${expensive ? ", beside an expensive part" : ""}`, query, variables, expect };
});

/** Connection page sizes out of range, as literals and variables, alone and beside an expensive part. */
const pageSizeCase = fc.gen().map((g): AttackCase => {
  const first = g(() =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(-1, -5, 101, 1000, 100_000, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 32, 2 ** 53) },
      { weight: 2, arbitrary: fc.oneof(fc.integer({ min: 101, max: 2 ** 31 - 1 }), fc.integer({ min: -(2 ** 31), max: -1 })) },
      { weight: 1, arbitrary: fc.constantFrom(0, 1, 20, 99, 100) },
      { weight: 1, arbitrary: fc.constantFrom(1.5, 1e10, -0.5) },
    ),
  );
  const field = g(
    fc.constantFrom,
    "articles(first: #) { nodes { id title } }",
    "comments(first: #) { edges { cursor } }",
    "institutions(first: #) { nodes { slug } }",
    "people(first: #) { nodes { name } }",
    "quotes(first: #) { totalCount nodes { text } }",
    "articles(first: 2) { nodes { comments(first: #) { nodes { id } } } }",
    "institutions(first: 2) { nodes { articles(first: #) { nodes { id } } } }",
    "articles(first: 1, filter: { tag: \"korupsi\" }) { nodes { tags { articles(first: #) { nodes { id } } } } }",
  );
  const asVariable = g(fc.boolean);
  const expensive = g(fc.integer, { min: 0, max: 3 }) === 0;
  const body = `${field.replace("#", asVariable ? "$n" : String(first))}${expensive ? ` ${g(fc.constantFrom, ...EXPENSIVE_PARTS)}` : ""}`;
  const query = asVariable ? `query($n: ${g(fc.constantFrom, "Int", "Int!")}) { ${body} }` : `{ ${body} }`;
  const named = String(first);
  let expect: Expectation;
  if (!Number.isInteger(first) || first > 2 ** 31 - 1 || first < -(2 ** 31)) {
    // Not a GraphQL Int at all: validation refuses the literal, coercion the variable, both naming it.
    expect = refusedWith([asVariable ? "BAD_USER_INPUT" : "GRAPHQL_VALIDATION_FAILED"], Number.isInteger(first) ? named : undefined);
  } else if (expensive) expect = refusedWith(["QUERY_TOO_COMPLEX"]);
  else if (first < 0 || first > 100) expect = refusedWith(["BAD_USER_INPUT"], `got ${named}`);
  else expect = ADMITTED;
  return { shape: `first: ${named} as a ${asVariable ? "variable" : "literal"}${expensive ? ", expensive" : ""}`, query, variables: asVariable ? `{"n":${named}}` : undefined, expect };
});

const INTROSPECTION_OPTIONS = ["descriptions", "specifiedByUrl", "directiveIsRepeatable", "schemaDescription", "inputValueDeprecation"] as const;

/** The longest path of fields in a selection set, through fragments. */
function fieldDepth(set: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): number {
  let deepest = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) deepest = Math.max(deepest, 1 + (selection.selectionSet ? fieldDepth(selection.selectionSet, fragments) : 0));
    else if (selection.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, fieldDepth(selection.selectionSet, fragments));
    else {
      const fragment = fragments.get(selection.name.value);
      if (fragment) deepest = Math.max(deepest, fieldDepth(fragment.selectionSet, fragments));
    }
  }
  return deepest;
}

function documentDepth(query: string): number {
  const document = parse(query);
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return fieldDepth(operation.selectionSet, fragments);
}

/** How deep graphql-js's standard introspection query (every option on) nests, `__schema` counted. */
const STANDARD_INTROSPECTION_DEPTH = documentDepth(getIntrospectionQuery(Object.fromEntries(INTROSPECTION_OPTIONS.map((o) => [o, true]))));

/** A `__Type`'s member lists and the type each leads to (through `type` for fields and input values). */
const TYPE_MEMBER_STEPS = ["fields { type {", "inputFields { type {", "interfaces {", "possibleTypes {"];

/** Introspection deeper than the standard query, many roots, long `ofType` chains; the standard query itself (issue 9, front-door section). */
const introspectionCase = fc.gen().map((g): AttackCase => {
  switch (g(fc.integer, { min: 0, max: 4 })) {
    case 0: {
      // Every option on (what GraphiQL 5 and codegen send) half the time, a random subset otherwise.
      const all = g(fc.boolean);
      const options = Object.fromEntries(INTROSPECTION_OPTIONS.map((o) => [o, all || g(fc.boolean)]));
      return { shape: `the standard introspection query ${JSON.stringify(options)}`, query: getIntrospectionQuery(options), expect: ADMITTED };
    }
    case 1: {
      // A type's members below a member's type: the standard query never goes through two.
      const steps = Array.from({ length: g(fc.integer, { min: 2, max: 10 }) }, () => g(fc.constantFrom, ...TYPE_MEMBER_STEPS));
      const inner = steps.join(" name ") + " name" + steps.map((s) => " }".repeat(s.split("{").length - 1)).join("");
      const root = g(fc.constantFrom, "__schema { types {", '__type(name: "Article") {', "__schema { queryType {");
      return { shape: `${steps.length} nested type members`, query: `{ ${root} ${inner} ${" }".repeat(root.split("{").length - 1)} }`, expect: refusedWith(["QUERY_TOO_COMPLEX"]) };
    }
    case 2: {
      const prefix = g(fc.constantFrom, "__schema { types { fields { args { type {", "__schema { types { fields { type {", "__schema { types { inputFields { type {", "__schema { queryType { fields { type {", "__schema { directives { args { type {");
      const length = g(() => fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 13, max: 60 })));
      const query = `{ ${prefix} ${"ofType { ".repeat(length)}kind name${" }".repeat(length)}${" }".repeat(prefix.split("{").length - 1)} }`;
      const depth = documentDepth(query);
      return { shape: `ofType chain of ${length} (depth ${depth}; the standard query's is ${STANDARD_INTROSPECTION_DEPTH})`, query, expect: depth > STANDARD_INTROSPECTION_DEPTH ? refusedWith(["QUERY_TOO_COMPLEX"]) : ADMITTED };
    }
    case 3: {
      const roots = g(() => fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 13, max: 200 })));
      const root = g(fc.constantFrom, "__schema { queryType { name } }", '__type(name: "Article") { name }', "__schema { types { name } }");
      const query = `{ ${Array.from({ length: roots }, (_, i) => `s${i}: ${root}`).join(" ")} }`;
      // One root is what every tool sends; ten and more is an attack; between, the server may go either way.
      const expect = roots === 1 ? ADMITTED : roots >= 10 ? refusedWith(["QUERY_TOO_COMPLEX"]) : ({ kind: "either", codes: ["QUERY_TOO_COMPLEX"] } as const);
      return { shape: `${roots} aliased introspection roots`, query, expect: withTokenLimit(query, expect) };
    }
    default: {
      // Type members nested through a chain of fragments.
      const k = g(fc.integer, { min: 1, max: 12 });
      const fragments = Array.from({ length: k }, (_, i) => `fragment T${i} on __Type { name fields { type { ${i + 1 < k ? `...T${i + 1}` : "name"} } } }`);
      return { shape: `type members nested through ${k} fragments`, query: `{ __schema { types { ...T0 } } }\n${fragments.join("\n")}`, expect: k > 1 ? refusedWith(["QUERY_TOO_COMPLEX"]) : ADMITTED };
    }
  }
});

/** A name one typo away from `name`, which is not one of `taken` (deleted, doubled, swapped, replaced or recased letter). */
function misspell(g: GeneratorValue, name: string, taken: ReadonlySet<string>): string {
  for (let attempt = 0; attempt < 20; attempt++) {
    const at = g(fc.integer, { min: name.length > 1 ? 1 : 0, max: name.length - 1 });
    const letter = g(fc.constantFrom, ..."abcdefghijklmnopqrstuvwxyzAEIOU");
    let typo: string;
    switch (g(fc.integer, { min: 0, max: 4 })) {
      case 0:
        typo = name.slice(0, at) + name.slice(at + 1);
        break;
      case 1:
        typo = name.slice(0, at) + name[at] + name.slice(at);
        break;
      case 2:
        typo = at + 1 < name.length ? name.slice(0, at) + name[at + 1] + name[at] + name.slice(at + 2) : name + letter;
        break;
      case 3:
        typo = name.slice(0, at) + letter + name.slice(at + 1);
        break;
      default: {
        const c = name[at]!;
        typo = name.slice(0, at) + (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) + name.slice(at + 1);
      }
    }
    if (/^[_A-Za-z][_0-9A-Za-z]*$/.test(typo) && !taken.has(typo) && !typo.startsWith("__")) return typo;
  }
  return `${name}x`;
}

const namesOf = (type: string): Set<string> => {
  const t = SCHEMA.getType(type);
  if (isObjectType(t) || isInputObjectType(t) || isInterfaceType(t)) return new Set(Object.keys(t.getFields()));
  if (isEnumType(t)) return new Set(t.getValues().map((v) => v.name));
  return new Set();
};

/** Where a misspelled name goes: the type it is looked up in, and the document around it (`#`). */
const FIELD_CONTEXTS: ReadonlyArray<readonly [string, string]> = [
  ["Query", "{ # }"],
  ["Article", "{ articles(first: 1) { nodes { # } } }"],
  ["Institution", "{ institutions(first: 1) { nodes { # } } }"],
  ["Person", "{ people(first: 1) { nodes { # } } }"],
  ["Quote", "{ quotes(first: 1) { nodes { # } } }"],
  ["Comment", "{ comments(first: 1) { nodes { # } } }"],
  ["ArticleConnection", "{ articles(first: 1) { # } }"],
  ["PageInfo", "{ articles(first: 1) { pageInfo { # } } }"],
];

/** Misspelled fields, arguments, enum values, input fields, types and directives, sent to a production server (issue 9, attack 12). */
const misspellingCase = fc.gen().map((g): AttackCase => {
  const hidden = (shape: string, query: string, variables?: string): AttackCase => ({
    shape,
    query,
    variables,
    noHints: true,
    expect: refusedWith([variables ? "BAD_USER_INPUT" : "GRAPHQL_VALIDATION_FAILED"]),
  });
  const json = (value: unknown) => JSON.stringify(value);
  switch (g(fc.integer, { min: 0, max: 8 })) {
    case 0: {
      const [type, around] = g(fc.constantFrom, ...FIELD_CONTEXTS);
      const names = namesOf(type);
      const typo = misspell(g, g(fc.constantFrom, ...names), names);
      return hidden(`field ${type}.${typo}`, around.replace("#", typo));
    }
    case 1: {
      const [field, args] = g(fc.constantFrom, ["articles", ["first", "after", "filter", "orderBy"]], ["institutions", ["first", "after", "filter"]], ["article", ["id", "slug"]], ["node", ["id"]]);
      const typo = misspell(g, g(fc.constantFrom, ...args), new Set(args));
      return hidden(`argument ${field}(${typo})`, `{ ${field}(${typo}: 1) { __typename } }`);
    }
    case 2: {
      const [type, use] = g(fc.constantFrom, ["ArticleOrder", "articles(orderBy: #) { totalCount }"], ["ArticleStatus", "articles(filter: { status: # }) { totalCount }"], ["CommentStatus", "comments(filter: { status: # }) { totalCount }"], ["InstitutionKind", "institutions(filter: { kind: # }) { totalCount }"]);
      const values = namesOf(type);
      return hidden(`enum value of ${type}`, `{ ${use.replace("#", misspell(g, g(fc.constantFrom, ...values), values))} }`);
    }
    case 3: {
      const [type, use] = g(fc.constantFrom, ["ArticleFilter", "articles"], ["InstitutionFilter", "institutions"], ["PersonFilter", "people"], ["QuoteFilter", "quotes"], ["CommentFilter", "comments"]);
      const fields = namesOf(type);
      return hidden(`input field of ${type}`, `{ ${use}(filter: { ${misspell(g, g(fc.constantFrom, ...fields), fields)}: "x" }) { totalCount } }`);
    }
    case 4: {
      const types = new Set(Object.keys(SCHEMA.getTypeMap()));
      const [type, use] = g(fc.constantFrom, ["ArticleFilter", "articles(filter: $v) { totalCount }"], ["InstitutionFilter", "institutions(filter: $v) { totalCount }"], ["ArticleOrder", "articles(orderBy: $v) { totalCount }"]);
      return hidden(`variable type ${type}`, `query($v: ${misspell(g, type, types)}) { ${use} }`);
    }
    case 5: {
      const types = new Set(Object.keys(SCHEMA.getTypeMap()));
      return hidden("fragment type condition", `{ articles(first: 1) { nodes { ... on ${misspell(g, "Article", types)} { id } } } }`);
    }
    case 6: {
      const directive = g(fc.constantFrom, "include", "skip");
      return hidden(`directive @${directive}`, `{ __typename @${misspell(g, directive, new Set(["include", "skip", "deprecated", "specifiedBy", "oneOf"]))}(if: true) }`);
    }
    case 7: {
      // Variable coercion: an enum value (alone, or inside an input object) as the variables carry it.
      const [declared, use, type, wrap] = g(
        fc.constantFrom,
        ["ArticleOrder", "articles(orderBy: $v) { totalCount }", "ArticleOrder", (v: string) => json(v)],
        ["ArticleFilter", "articles(filter: $v) { totalCount }", "ArticleStatus", (v: string) => json({ status: v })],
        ["CommentFilter", "comments(filter: $v) { totalCount }", "CommentStatus", (v: string) => json({ status: v })],
        ["InstitutionFilter", "institutions(filter: $v) { totalCount }", "InstitutionKind", (v: string) => json({ kind: v })],
      );
      const values = namesOf(type);
      return hidden(`variable enum value of ${type}`, `query($v: ${declared}) { ${use} }`, `{"v":${wrap(misspell(g, g(fc.constantFrom, ...values), values))}}`);
    }
    default: {
      // Variable coercion: a misspelled input field.
      const [type, use] = g(fc.constantFrom, ["ArticleFilter", "articles"], ["InstitutionFilter", "institutions"], ["PersonFilter", "people"], ["QuoteFilter", "quotes"], ["CommentFilter", "comments"]);
      const fields = namesOf(type);
      return hidden(`variable input field of ${type}`, `query($v: ${type}) { ${use}(filter: $v) { totalCount } }`, `{"v":${json({ [misspell(g, g(fc.constantFrom, ...fields), fields)]: "x" })}}`);
    }
  }
});

/** A non-string `authorization` in connection_init (issue 9, attack 15). */
const badAuthorization = fc.record({
  key: fc.constantFrom("authorization", "Authorization", "AUTHORIZATION"),
  value: fc.oneof(
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant([]),
    fc.array(fc.string({ maxLength: 10 }), { minLength: 1, maxLength: 3 }),
    fc.constant({}),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { minKeys: 1, maxKeys: 3 }),
    fc.constant(["Bearer nwr_x"]),
    fc.constant({ toString: "Bearer nwr_x" }),
  ),
});

/** Frames no graphql-ws client would send, on an acknowledged socket (issue 9, attack 13 and its relatives). */
const malformedFrame = fc.gen().map((g): { shape: string; frame: string | Buffer; id: string | null; expect: "refused" | "closed" | "any" } => {
  const id = `m${g(fc.nat, 1_000_000)}`;
  const deep = (maxDepth: number) => nestedJson(g(fc.integer, { min: 33, max: maxDepth }), g(fc.constantFrom, "array", "object", "mixed") as "array" | "object" | "mixed", "1");
  switch (g(fc.integer, { min: 0, max: 7 })) {
    case 0:
    case 1:
      return { shape: "subscribe with deeply nested variables", id, frame: `{"id":"${id}","type":"subscribe","payload":{"query":"subscription { articlePublished { cursor } }","variables":{"v":${deep(12_000)}}}}`, expect: "refused" };
    case 2:
      return { shape: "subscribe with deeply nested extensions", id, frame: `{"id":"${id}","type":"subscribe","payload":{"query":"{ __typename }","extensions":{"e":${deep(12_000)}}}}`, expect: "any" };
    case 3:
      return { shape: "subscribe whose query is not a string", id, frame: `{"id":"${id}","type":"subscribe","payload":{"query":${g(fc.constantFrom, "1", "null", "[]", deep(2000), '{"kind":"Document"}')}}}`, expect: "any" };
    case 4:
      return { shape: "subscribe whose variables are not an object", id, frame: `{"id":"${id}","type":"subscribe","payload":{"query":"{ __typename }","variables":${g(fc.constantFrom, "[]", '"x"', "1", nestedJson(g(fc.integer, { min: 33, max: 2000 }), "array", "1"))}}}`, expect: "any" };
    case 5:
      if (g(fc.boolean)) return { shape: "a ping with a payload 33–2,000 deep", id: null, frame: `{"type":"ping","payload":{"p":${deep(2000)}}}`, expect: "any" };
      return { shape: "a frame nested deep", id: null, frame: g(fc.constantFrom, deep(20_000), `{"type":${deep(12_000)}}`), expect: "closed" };
    case 6: {
      const valid = `{"id":"${id}","type":"subscribe","payload":{"query":"{ __typename }"}}`;
      const at = g(fc.nat, valid.length - 1);
      return { shape: "a broken or binary frame", id: null, frame: g(fc.constantFrom, valid.slice(0, at), valid.slice(at), "", "null", "\u0000", Buffer.from(g(fc.uint8Array, { maxLength: 32 }))), expect: "any" };
    }
    default:
      return { shape: "an unknown message type", id: null, frame: JSON.stringify({ id, type: g(fc.constantFrom, "start", "connection_init", "data", "SUBSCRIBE", ""), payload: {} }), expect: "any" };
  }
});

// ---------------------------------------------------------------------------------------------
// The database digest

/** A SHA-256 over every table's rows (SELECT * ordered by primary key), per table. */
async function databaseDigest(t: TestServer): Promise<Record<string, string>> {
  const reader = t.server.db.reader;
  const digests: Record<string, string> = {};
  if (t.server.db.isPostgres) {
    const tables = await reader.query(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
    for (const { name } of tables as Array<{ name: string }>) {
      const rows = (await reader.query(`SELECT * FROM "${name}"`)) as unknown[];
      digests[name] = createHash("sha256")
        .update(
          rows
            .map((r) => JSON.stringify(r))
            .sort()
            .join("\n"),
        )
        .digest("hex");
    }
    return digests;
  }
  const tables = (await reader.query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)) as Array<{ name: string }>;
  for (const { name } of tables) {
    const columns = (await reader.query(`PRAGMA table_info("${name}")`)) as Array<{ name: string; pk: number }>;
    const keys = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
    const order = (keys.length ? keys : columns).map((c) => `"${c.name}"`).join(", ");
    const rows = (await reader.query(`SELECT * FROM "${name}" ORDER BY ${order}`)) as unknown[];
    const hash = createHash("sha256");
    for (const row of rows) hash.update(JSON.stringify(row, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))).update("\n");
    digests[name] = `${rows.length}:${hash.digest("hex")}`;
  }
  return digests;
}

// ---------------------------------------------------------------------------------------------

// Several small reads, each within the server's cost limit.
const POOL_QUERIES = [
  "{ articles(first: 50) { edges { cursor } nodes { id slug quotes { id } tags { slug name } } } }",
  "{ articles(first: 5) { nodes { comments(first: 10) { edges { cursor } nodes { id } } } } }",
  "{ institutions(first: 50) { edges { cursor } nodes { id slug accreditations { id } positions { id } } } }",
  "{ people(first: 50) { edges { cursor } nodes { id slug positions { id } } } }",
  "{ quotes(first: 50) { edges { cursor } nodes { id } } comments(first: 50) { edges { cursor } nodes { id } } tags { slug name } }",
];

/** Every `id`, `slug`, `cursor` and tag `name` anywhere in a response. */
function harvest(value: unknown, into: { ids: Set<string>; slugs: Set<string>; cursors: Set<string>; tags: Set<string> }, key = ""): void {
  if (Array.isArray(value)) value.forEach((v) => harvest(v, into, key));
  else if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (key === "tags") for (const tag of [record.slug, record.name]) if (typeof tag === "string") into.tags.add(tag);
    for (const [k, v] of Object.entries(record)) harvest(v, into, k);
  } else if (typeof value === "string") {
    if (key === "id") into.ids.add(value);
    if (key === "slug") into.slugs.add(value);
    if (key === "cursor") into.cursors.add(value);
  }
}

describe("fuzzing GraphQL over HTTP and graphql-ws as an anonymous client", () => {
  let t: TestServer;
  /** A server started with `production: true`, for the hints it must not give. */
  let prod: TestServer;
  let before: Record<string, string>;
  let prodBefore: Record<string, string>;
  const started = Date.now();

  beforeAll(async () => {
    t = await startTestServer({ seed: true });
    const s = await regionalNewsroom(t.server.db);
    base = `http://127.0.0.1:${t.server.port}`;
    const found = { ids: new Set<string>(), slugs: new Set<string>(), cursors: new Set<string>(), tags: new Set<string>() };
    for (const query of POOL_QUERIES) harvest(dataOf(await t.gql(query)), found);
    pool.ids.push(...found.ids);
    pool.slugs.push(...found.slugs);
    pool.cursors.push(...found.cursors);
    pool.tags.push(...found.tags);
    // Real rows an anonymous reader must not see: drafts, the scheduled story, unapproved comments.
    pool.hiddenIds.push(
      ...[...s.drafts, s.scheduled].map((a) => toGlobalId("Article", a.pk)),
      ...[s.comments.pending, s.comments.pendingReply, s.comments.spam, s.comments.onDraft].map((c) => toGlobalId("Comment", c.pk)),
    );
    before = await databaseDigest(t);
    prod = await startTestServer({ seed: true, config: { production: true } });
    prodBefore = await databaseDigest(prod);
    console.info(`fuzz seed ${SEED}, attack shapes seed ${ATTACK_SEED} (replay with FUZZ_SEED=<seed>); pool: ${pool.ids.length} ids, ${pool.hiddenIds.length} hidden ids, ${pool.slugs.length} slugs, ${pool.cursors.length} cursors`);
  }, 60_000);

  afterEach(async () => {
    // The process still answers after every property, whatever it was sent.
    for (const server of [t, prod]) expect((await server.get("/healthz")).status).toBe(200);
  });

  afterAll(async () => {
    console.info(`fuzz: ${generated} generated requests (${sent} sent with shrinking) in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${SEED})`);
    for (const peer of peers.values()) peer.close();
    await t?.close();
    await prod?.close();
  });

  const property = (name: string, numRuns: number, requests: fc.Arbitrary<FuzzRequest>) =>
    it(`${name} (${runs(numRuns)} requests)`, async () => {
      let failedAt: number | null = null;
      const predicate = async (req: FuzzRequest) => {
        if (failedAt === null) generated++;
        else if (Date.now() - failedAt > SHRINK_BUDGET_MS) return;
        try {
          await check(req);
        } catch (error) {
          failedAt ??= Date.now();
          throw error;
        }
      };
      await fc.assert(fc.asyncProperty(requests.map(printable), predicate), { numRuns: runs(numRuns) });
    }, 120_000);

  property(
    "queries generated from the schema",
    RUNS.queries,
    fc.gen().map((g) => asRequest(g, operation(g, "query", 4))),
  );
  property(
    "mutations generated from the schema",
    RUNS.mutations,
    fc.gen().map((g) => asRequest(g, operation(g, "mutation", 2))),
  );
  property("odd request envelopes", RUNS.envelopes, envelopeRequest);
  property("broken JSON bodies", RUNS.rawBodies, rawBodyRequest);
  property("wrong content types, encodings and methods", RUNS.contentTypes, contentTypeRequest);
  property("GETs with random query strings", RUNS.gets, getRequest);
  property("deep, wide, long and huge requests", RUNS.extremes, extremeRequest);

  /**
   * Whatever was done to its query string, a GET is read as the standard (WHATWG) rules read it,
   * where an odd separator is part of a value: when that reading is a well-formed request (the
   * four parameters of GraphQL over HTTP, once each, in at most MAX_QUERY_PARAMETERS segments,
   * variables that parse) it is answered exactly as the JSON POST of the same parameters; when
   * it is not, it is refused with 400. Never an answer to something else, never a 500.
   */
  it(`GETs padded, with repeated parameters or odd separators (${runs(RUNS.paddedGets)} GETs, each with its POST)`, async () => {
    let failedAt: number | null = null;
    let asBuilt = 0;
    let refused = 0;
    const predicate = async ({ params, req }: PaddedGet) => {
      if (failedAt === null) generated++;
      else if (Date.now() - failedAt > SHRINK_BUDGET_MS) return;
      try {
        const res = await send(req);
        const problems = violations(req, res);
        if (problems.length > 0) throw new Error(`${problems.join("; ")}\nrequest: ${describeRequest(req)}\nresponse: ${res.status} ${res.contentType}\n${clip(res.text, 1500)}`);
        // As sent: a `#` (of an odd separator) starts a fragment, which no client sends.
        const search = new URL(req.target, base).search.slice(1);
        const read = [...new URLSearchParams(search)];
        const names = read.map(([name]) => name);
        let payload: Record<string, unknown> | null = null;
        if (search.split("&").length <= MAX_QUERY_PARAMETERS && names.every((name) => GET_PARAMETERS.includes(name)) && new Set(names).size === names.length) {
          try {
            // An empty `variables` means none, as for the server.
            payload = Object.fromEntries(read.map(([name, value]) => [name, name !== "variables" ? value : value === "" ? undefined : JSON.parse(value)]));
          } catch {
            // variables that are not JSON: the GET must be refused
          }
        }
        // Variables that are not an object (`1e309` is Infinity, which a JSON POST cannot even carry): refused too.
        const variables = payload?.variables;
        if (variables !== undefined && variables !== null && (typeof variables !== "object" || Array.isArray(variables))) payload = null;
        // Without a query (the fragment took it) there is nothing to run: refused too.
        if (payload === null || payload.query === undefined) {
          if (res.status !== 400) throw new Error(`answered ${res.status} where 400 was due\nrequest: ${describeRequest(req)}\nresponse: ${clip(res.text, 800)}`);
          refused++;
          return;
        }
        const posted = await send(postJson(payload));
        if (res.status !== posted.status || res.text !== posted.text) throw new Error(`the GET answered ${res.status} ${clip(res.text, 600)}\nits POST answered ${posted.status} ${clip(posted.text, 600)}\nrequest: ${describeRequest(req)}`);
        if (read.length === params.length && params.every(([name, value]) => read.some(([n, v]) => n === name && v === value))) asBuilt++;
      } catch (error) {
        failedAt ??= Date.now();
        throw error;
      }
    };
    await fc.assert(
      fc.asyncProperty(
        paddedGetRequest.map((c) => ({ ...c, req: printable(c.req) })),
        predicate,
      ),
      { numRuns: runs(RUNS.paddedGets) },
    );
    // Both sides of the rule were walked: operations answered as built, and refusals.
    if (runs(RUNS.paddedGets) >= 100) expect(Math.min(asBuilt, refused)).toBeGreaterThan(runs(RUNS.paddedGets) / 10);
  }, 120_000);

  const origin = (server: TestServer) => `http://127.0.0.1:${server.server.port}`;

  /**
   * Each shape goes over HTTP (a POST, or now and then a GET) and over the shared graphql-ws
   * socket. A property whose shapes should be refused and admitted both must see both, so a
   * generator that drifts to one side fails instead of passing unseen.
   */
  const attackProperty = (name: string, numRuns: number, cases: fc.Arbitrary<AttackCase>, options: { server?: () => TestServer; admits?: boolean; alsoCheck?: (c: AttackCase) => Promise<void>; finally?: () => void } = {}) =>
    it(`${name} (${runs(numRuns)} shapes, over HTTP and WebSocket)`, async () => {
      const server = options.server?.() ?? t;
      const tally = { refused: 0, admitted: 0 };
      let failedAt: number | null = null;
      const predicate = async ([c, asGet]: [AttackCase, boolean]) => {
        if (failedAt === null) generated++;
        else if (Date.now() - failedAt > SHRINK_BUDGET_MS) return;
        const http = await attackOverHttp(c, origin(server), asGet);
        const ws = await attackOverWs(c, wsUrl(server.server.port));
        const problems = [...http.problems, ...ws.problems];
        if (failedAt === null) {
          tally[http.refused ? "refused" : "admitted"]++;
          await options.alsoCheck?.(c);
        }
        if (problems.length > 0) {
          failedAt ??= Date.now();
          throw new Error(`${problems.join("\n")}\nshape: ${describeCase(c)}`);
        }
      };
      await fc.assert(fc.asyncProperty(fc.tuple(cases.map(printableCase), fc.integer({ min: 0, max: 4 }).map((n) => n === 0)), predicate), { numRuns: runs(numRuns), seed: ATTACK_SEED });
      expect(tally.refused).toBeGreaterThan(0);
      if (options.admits !== false) expect(tally.admitted).toBeGreaterThan(0);
      options.finally?.();
    }, 120_000);

  attackProperty("deeply nested variables, undeclared and declared: deeper than 32 is BAD_USER_INPUT", ATTACK_RUNS.variables, deepVariablesCase);
  attackProperty("fragment chains spreading the previous fragment 1–3 times: refused through the fragments, or cheap", ATTACK_RUNS.fragmentChains, fragmentChainCase);
  attackProperty("N fragments × M aliases around the alias limit", ATTACK_RUNS.fragmentAliases, fragmentAliasesCase);
  attackProperty("floods of inline fragments, repeated fields and directives", ATTACK_RUNS.floods, floodCase);
  attackProperty("defaulted variables sent as null into non-null arguments: BAD_USER_INPUT", ATTACK_RUNS.nullDefaults, nullDefaultCase);
  attackProperty("connection page sizes out of range: BAD_USER_INPUT naming the value", ATTACK_RUNS.pageSizes, pageSizeCase);
  attackProperty("introspection deeper than the standard query, many roots, long ofType chains; the standard query admitted", ATTACK_RUNS.introspection, introspectionCase);

  // The same typos sent to the development server must get hints there, or this property could not fail.
  let hinted = 0;
  attackProperty("misspelled fields, arguments, enum values, input fields and types: no 'Did you mean' in production", ATTACK_RUNS.hints, misspellingCase, {
    server: () => prod,
    admits: false,
    alsoCheck: async (c) => {
      if (/Did you mean/.test((await send(httpRequestOf(c, false))).text)) hinted++;
    },
    finally: () => expect(hinted).toBeGreaterThan(runs(ATTACK_RUNS.hints) / 2),
  });

  it(`closes the socket with 4403 on a non-string authorization in connection_init (${runs(ATTACK_RUNS.authorization)} sockets)`, async () => {
    await fc.assert(
      fc.asyncProperty(badAuthorization, async ({ key, value }) => {
        generated++;
        sent++;
        const peer = await WsPeer.open(wsUrl(t.server.port), null);
        const payload = JSON.stringify({ type: "connection_init", payload: { [key]: value } });
        peer.socket.send(payload);
        const closed = await peer.waitClosed();
        peer.close();
        const problems = closed ? closeProblems(closed, payload) : ["still open after 3 s"];
        if (closed && closed.code !== 4403) problems.push(`closed with ${closed.code} ${JSON.stringify(closed.reason)}, expected 4403`);
        if (peer.stray.some((text) => text.includes("connection_ack"))) problems.push("the connection was acknowledged");
        if (problems.length > 0) throw new Error(`${problems.join("; ")}\nconnection_init: ${payload}`);
      }),
      { numRuns: runs(ATTACK_RUNS.authorization), seed: ATTACK_SEED },
    );
  });

  it(`answers malformed graphql-ws frames with a refusal or a protocol close, never an internal error (${runs(ATTACK_RUNS.frames)} frames)`, async () => {
    /** Closes that are the protocol's answer to a bad frame. */
    const PROTOCOL_CLOSES = new Set([4400, 4409, 4429, 1009]);
    await fc.assert(
      fc.asyncProperty(malformedFrame, async (f) => {
        generated++;
        sent++;
        const peer = await peerFor(wsUrl(t.server.port));
        const haystack = String(f.frame);
        const problems: string[] = [];
        // A frame without an operation id is followed by { __typename }, which answers or finds the socket closed.
        const answer = f.id !== null ? await peer.call(f.id, f.frame, 3000) : (peer.socket.send(f.frame), await peer.run('{"query":"{ __typename }"}'));
        if (answer.kind === "timeout") problems.push("no answer within 3 s");
        else if (answer.kind === "closed") {
          if (!PROTOCOL_CLOSES.has(answer.code)) problems.push(`closed with ${answer.code} ${JSON.stringify(answer.reason)}`);
          if (f.expect === "refused") problems.push("closed instead of refusing the operation");
          problems.push(...closeProblems(answer, haystack));
        } else {
          if (f.expect === "closed") problems.push("answered instead of closing");
          const result = answer.kind === "error" ? { errors: answer.errors ?? [] } : (answer.results[0] ?? {});
          const expect: Expectation = f.expect === "refused" ? refusedWith(["BAD_USER_INPUT"]) : { kind: "either", codes: ["BAD_USER_INPUT", "BAD_REQUEST", "GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"] };
          problems.push(...answerProblems({ shape: f.shape, query: "", expect }, result));
          for (const text of answer.texts) problems.push(...leaksIn(text, haystack));
          if (result.errors?.length) problems.push(...(await stillServes(peer)));
        }
        if (problems.length > 0) throw new Error(`${problems.join("; ")}\n${f.shape}: ${clip(haystack, 600)}\nanswer: ${clip(JSON.stringify(answer), 600)}`);
      }),
      { numRuns: runs(ATTACK_RUNS.frames), seed: ATTACK_SEED },
    );
  });

  // Found by this property: graphql-ws echoed a ping's payload in its pong, and stringifying a payload nested
  // some thousands deep overflowed the stack, so a 16 KB ping closed the socket with 4500.
  it(`answers a ping whose payload nests 10,000 deep with a pong or a protocol close, never 4500 (${runs(10)} frames)`, async () => {
    const deepPing = fc.record({ depth: fc.integer({ min: 10_000, max: 12_000 }), kind: fc.constantFrom("array", "object", "mixed") as fc.Arbitrary<"array" | "object" | "mixed"> }).map(({ depth, kind }) => `{"type":"ping","payload":{"p":${nestedJson(depth, kind, "1")}}}`);
    await fc.assert(
      fc.asyncProperty(deepPing, async (frame) => {
        generated++;
        sent++;
        const peer = await peerFor(wsUrl(t.server.port));
        peer.socket.send(frame);
        const answer = await peer.run('{"query":"{ __typename }"}');
        if (answer.kind === "closed" && (answer.code === 4500 || answer.code === 1011)) throw new Error(`closed with ${answer.code} ${JSON.stringify(answer.reason)} after ${clip(frame, 200)}`);
      }),
      { numRuns: runs(10), seed: ATTACK_SEED },
    );
  });

  it("leaves the databases byte-for-byte unchanged", async () => {
    expect(await databaseDigest(t)).toEqual(before);
    expect(await databaseDigest(prod)).toEqual(prodBefore);
  });
});
