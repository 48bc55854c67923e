import type { ExecutionResult, GraphQLSchema } from "graphql";
import { compileQuery, isCompiledQuery } from "graphql-jit";
import type { CompiledQuery } from "graphql-jit";
import type { AdmittedOperation } from "../policy/operation-policy";

export interface CompiledExecutionOptions {
  /** How many compiled documents are kept, and how many seen once; the least recently used go first. */
  readonly capacity: number;
  /** Counts each compiled execution: its result used, or handed to graphql-js. */
  readonly count?: (outcome: "compiled" | "fallback") => void;
}

/** A document's entry: how often it was admitted here, and its compiled query once there is one (null: not compilable). */
interface Entry {
  seen: number;
  compiled?: CompiledQuery | null;
}

/**
 * graphql-jit's compiled execution of admitted anonymous queries, with the schema's own resolvers.
 * Measured on the uncached article and front pages it costs less CPU per request than
 * graphql-js's `execute` (docs/performance.md), but its error messages and paths are its own: the
 * caller uses a compiled result only when it has data and no errors, and runs graphql-js otherwise.
 *
 * Compiling costs far more than executing, so it is no lever for a client: a document is compiled
 * only on its second admission, after the answer it came with (never while a request waits), once
 * per document while it is remembered; the documents remembered (seen or compiled) are bounded by
 * `capacity` each and the least recently used go first.
 */
export class CompiledExecution {
  private readonly entries = new Map<string, Entry>();
  private compiledCount = 0;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly options: CompiledExecutionOptions,
  ) {}

  /**
   * The compiled query of this admitted document, or undefined: the sighting is counted, and on
   * the second one the compilation is scheduled after the current request's turn.
   */
  compiledFor(admitted: AdmittedOperation): CompiledQuery | undefined {
    const key = `${admitted.operationName ?? ""}\u0000${admitted.sourceHash}`;
    const entry = this.entries.get(key);
    if (entry === undefined) {
      this.remember(key, { seen: 1 });
      return undefined;
    }
    // Most recently used last (a Map keeps insertion order).
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (entry.compiled !== undefined) return entry.compiled ?? undefined;
    entry.seen++;
    if (entry.seen === 2) setImmediate(() => this.compile(key, entry, admitted));
    return undefined;
  }

  /**
   * Runs a compiled query (a resolver's promise awaited as graphql-js's are); undefined when its
   * result has errors or no data, whose messages, paths and locations are graphql-jit's own and
   * which graphql-js is to answer instead.
   */
  async execute(compiled: CompiledQuery, contextValue: unknown, variables: Record<string, unknown>): Promise<ExecutionResult | undefined> {
    const result = (await compiled.query(undefined, contextValue, variables)) as ExecutionResult;
    const usable = !result.errors?.length && result.data !== undefined && result.data !== null && result.extensions === undefined;
    this.options.count?.(usable ? "compiled" : "fallback");
    return usable ? result : undefined;
  }

  /** How many compiled documents are held. */
  get size(): number {
    return this.compiledCount;
  }

  private compile(key: string, entry: Entry, admitted: AdmittedOperation): void {
    // Forgotten meanwhile: not compiled (it would be remembered nowhere).
    if (this.entries.get(key) !== entry || entry.compiled !== undefined) return;
    let compiled: CompiledQuery | null = null;
    try {
      const made = compileQuery(this.schema, admitted.document, admitted.operationName ?? undefined, {
        // A compiled result with errors is never used: their stacks are not worth capturing.
        disablingCapturingStackErrors: true,
      });
      if (isCompiledQuery(made)) compiled = made;
    } catch {
      // Not compilable here: graphql-js runs it, as before.
    }
    entry.compiled = compiled;
    if (compiled !== null) {
      this.compiledCount++;
      this.evict((e) => Boolean(e.compiled), () => this.compiledCount > this.options.capacity);
    }
  }

  private remember(key: string, entry: Entry): void {
    this.entries.set(key, entry);
    // Sightings without a compiled query are bounded too (a client sending many documents once each).
    this.evict((e) => !e.compiled, () => this.entries.size - this.compiledCount > this.options.capacity);
  }

  /** Drops the least recently used entries that match while over the bound. */
  private evict(matches: (entry: Entry) => boolean, over: () => boolean): void {
    for (const [key, entry] of this.entries) {
      if (!over()) return;
      if (!matches(entry)) continue;
      this.entries.delete(key);
      if (entry.compiled) this.compiledCount--;
    }
  }
}
