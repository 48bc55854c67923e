// From its own module, not the package's index: the import workers throw these too, and the index
// loads all of graphql-js (some 130 modules, about 100 ms at every worker start) for this one class.
import { GraphQLError } from "graphql/error/GraphQLError";
import type { GraphQLFormattedError } from "graphql";

/** The error codes of the public contract. */
export type ErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "BAD_USER_INPUT"
  | "NOT_FOUND"
  | "RATE_LIMITED"
  | "QUERY_TOO_COMPLEX"
  | "INTERNAL_SERVER_ERROR";

/** A client's value quoted in a message, cut to 60 characters so a huge input is not echoed back whole. */
export function quoted(value: string): string {
  return value.length > 60 ? `'${value.slice(0, 57)}…'` : `'${value}'`;
}

/** Base of every error the API means to show; anything else is masked. */
export abstract class AppError extends GraphQLError {
  protected constructor(message: string, code: ErrorCode, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

/** An argument or input field is wrong; `field` is its path, e.g. `input.title`. */
export class BadUserInputError extends AppError {
  constructor(message: string, field?: string) {
    super(message, "BAD_USER_INPUT", field === undefined ? {} : { field });
  }
}

/** A referenced record does not exist; `field` is the argument that named it. */
export class NotFoundError extends AppError {
  constructor(message: string, field?: string) {
    super(message, "NOT_FOUND", field === undefined ? {} : { field });
  }
}

export class UnauthenticatedError extends AppError {
  /** With `httpStatus`, a failure before execution (a bad token) answers with that HTTP status. */
  constructor(message = "Sign in with an API token (Authorization: Bearer <token>).", httpStatus?: number) {
    super(message, "UNAUTHENTICATED", httpStatus === undefined ? {} : { http: { status: httpStatus } });
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super(message, "FORBIDDEN");
  }
}

export class RateLimitedError extends AppError {
  /** @param retryAfterSeconds when trying again will work; absent when that waits on people (a moderator), not on a clock. */
  constructor(message: string, retryAfterSeconds?: number) {
    super(message, "RATE_LIMITED", retryAfterSeconds === undefined ? {} : { retryAfterSeconds });
  }
}

/** A request over one of the cost limits; answered with HTTP 400 before any resolver runs. */
export class QueryTooComplexError extends AppError {
  constructor(message: string) {
    super(message, "QUERY_TOO_COMPLEX", { http: { status: 400 } });
  }
}

/** Codes that graphql-js or Apollo attach to errors that are safe to show as they are (Apollo marks variables that do not coerce BAD_USER_INPUT). */
const PASS_THROUGH = new Set(["BAD_USER_INPUT", "GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_REQUEST", "PERSISTED_QUERY_NOT_FOUND", "PERSISTED_QUERY_NOT_SUPPORTED", "OPERATION_RESOLUTION_FAILURE"]);

/** The contract code an error will carry in the response (before masking decides). */
export function errorCode(error: unknown): string {
  const original = error instanceof GraphQLError && error.originalError !== undefined ? error.originalError : error;
  if (original instanceof AppError) return String(original.extensions.code);
  const code = error instanceof GraphQLError ? error.extensions.code : undefined;
  if (typeof code === "string" && PASS_THROUGH.has(code)) return code === "OPERATION_RESOLUTION_FAILURE" ? "GRAPHQL_VALIDATION_FAILED" : code;
  if (!(original instanceof GraphQLError) || original.originalError !== undefined) return "INTERNAL_SERVER_ERROR";
  const status = (original.extensions.http as { status?: number } | undefined)?.status;
  return status !== undefined && status >= 400 && status < 500 ? "BAD_REQUEST" : "BAD_USER_INPUT";
}

/** Reports an error the client must not see; set once by the server (the logger). */
export type UnexpectedErrorSink = (error: unknown) => void;

/**
 * Shapes an error for the response: contract errors and graphql-js's own validation errors pass,
 * everything else becomes INTERNAL_SERVER_ERROR with a generic message, and the original goes to
 * the sink (when given) so an operator can find it.
 */
export function maskError(formatted: GraphQLFormattedError, error: unknown, sink?: UnexpectedErrorSink): GraphQLFormattedError {
  const original = error instanceof GraphQLError && error.originalError !== undefined ? error.originalError : error;
  if (original instanceof AppError) {
    // `http` only steers Apollo's status code; it is not for the client.
    const { http: _http, ...extensions } = original.extensions;
    return { ...formatted, extensions };
  }
  const code = formatted.extensions?.code;
  if (typeof code === "string" && PASS_THROUGH.has(code)) {
    // An operationName that names no operation in the document is a request the document does not validate for.
    const shown = code === "OPERATION_RESOLUTION_FAILURE" ? "GRAPHQL_VALIDATION_FAILED" : code;
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: shown } };
  }
  const status = original instanceof GraphQLError ? (original.extensions.http as { status?: number } | undefined)?.status : undefined;
  if (original instanceof GraphQLError && original.originalError === undefined && status !== undefined && status >= 400 && status < 500) {
    // Apollo's own refusals of a request's shape (a persisted query's hash that does not match its text…) carry a 4xx and no code.
    return { message: formatted.message, locations: formatted.locations, extensions: { code: "BAD_REQUEST" } };
  }
  if (original instanceof GraphQLError && original.originalError === undefined && code === undefined) {
    // graphql-js's own execution errors (e.g. a variable that does not coerce) name the bad value.
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: "BAD_USER_INPUT" } };
  }
  sink?.(original);
  return { message: "Unexpected error.", path: formatted.path, extensions: { code: "INTERNAL_SERVER_ERROR" } };
}
