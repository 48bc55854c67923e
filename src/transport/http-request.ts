/** The parameters GraphQL over HTTP defines for a GET; a query string with any other is refused. */
export const GET_PARAMETERS: readonly string[] = ["query", "operationName", "variables", "extensions"];

/**
 * The most `&`-separated segments a GET's query string may have, empty ones counted. A client
 * sends at most the four parameters above; the slack allows a stray `&` from a URL built by
 * concatenation. A padded query string is refused, never trimmed: a parser that stops early
 * and one that reads on would see two different requests.
 */
export const MAX_QUERY_PARAMETERS = 8;

/** A GraphQL request's parameters, read once: the operation policy decides on these, and Apollo runs them. */
export interface GraphQLParams {
  readonly query?: unknown;
  readonly operationName?: unknown;
  readonly variables?: unknown;
  readonly extensions?: unknown;
}

/**
 * A request as the HTTP door read it: the parameters, and the same parameters in the form Apollo
 * takes them (a query string rebuilt from the values read, for a GET; an object holding only the
 * parameters, for a POST), so Apollo never reads the raw request itself.
 */
export interface ReadRequest {
  readonly params: GraphQLParams;
  readonly search: string;
  readonly body: Record<string, unknown> | undefined;
}

/** A request the door refuses before the policy sees an operation: why, in the client's words. */
export interface Unreadable {
  readonly problem: string;
}

/** A parameter's name as a refusal quotes it: short, whatever was sent. */
function quoted(name: string): string {
  return `'${name.length > 60 ? `${name.slice(0, 60)}…` : name}'`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `extensions` is an object or absent (null counts as absent), in either method. */
function extensionsProblem(extensions: unknown): Unreadable | null {
  return extensions === undefined || extensions === null || isPlainObject(extensions) ? null : { problem: "'extensions' must be a JSON object." };
}

/**
 * Reads a GET's parameters from the request's own URL (never Express's `req.query`, whose parser
 * stops at 1,000 parameters where Apollo's read on). `variables` and `extensions` travel as JSON
 * text; an empty or `null` one counts as absent. Refused: more than {@link MAX_QUERY_PARAMETERS}
 * segments, a parameter other than {@link GET_PARAMETERS}, a parameter given twice (also when
 * spelled differently, e.g. percent-encoded), and JSON that does not parse.
 */
export function readQueryString(url: string): ReadRequest | Unreadable {
  const at = url.indexOf("?");
  const search = at === -1 ? "" : url.slice(at + 1);
  const values = new Map<string, string>();
  if (search !== "") {
    const segments = search.split("&").length;
    if (segments > MAX_QUERY_PARAMETERS) {
      return { problem: `The query string has ${segments} parameters (empty ones counted); at most ${MAX_QUERY_PARAMETERS} are accepted: query, operationName, variables and extensions, once each.` };
    }
    for (const [name, value] of new URLSearchParams(search)) {
      if (!GET_PARAMETERS.includes(name)) return { problem: `The query string has a parameter ${quoted(name)}; GraphQL over HTTP defines only query, operationName, variables and extensions.` };
      if (values.has(name)) return { problem: `The query string gives the parameter ${quoted(name)} more than once.` };
      values.set(name, value);
    }
  }
  const params: Record<string, unknown> = {};
  const apollo = new URLSearchParams();
  for (const name of GET_PARAMETERS) {
    const text = values.get(name);
    if (text === undefined) continue;
    if (name === "variables" || name === "extensions") {
      if (text === "") continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return { problem: `'${name}' is not valid JSON.` };
      }
      if (value === null) continue;
      params[name] = value;
    } else {
      params[name] = text;
    }
    // The very text that was parsed: Apollo's JSON.parse of it gives what the policy saw.
    apollo.append(name, text);
  }
  const problem = extensionsProblem(params.extensions);
  return problem ?? { params, search: apollo.toString(), body: undefined };
}

/** Reads a POST's parameters from its parsed JSON body; Apollo is handed only those. */
export function readJsonBody(body: unknown): ReadRequest | Unreadable {
  if (Array.isArray(body)) return { problem: "Batched requests are not accepted: send one operation per request." };
  if (!isPlainObject(body)) return { problem: "Send the operation as a JSON object (content-type: application/json), or as a GET query string." };
  const params: Record<string, unknown> = {};
  for (const name of GET_PARAMETERS) if (Object.hasOwn(body, name)) params[name] = body[name];
  const problem = extensionsProblem(params.extensions);
  return problem ?? { params, search: "", body: params };
}
