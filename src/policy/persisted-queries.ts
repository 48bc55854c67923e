import { DocumentCache } from "./document-cache";

/** Apollo's automatic persisted queries store their texts under this prefix. */
const APQ_PREFIX = "apq:";
const HASH = /^[0-9a-f]{64}$/;

/**
 * The store of automatic persisted queries (Apollo's APQ: a client sends a query's SHA-256
 * alone, and the text once when the server does not know it), bounded in bytes so that clients
 * registering texts cannot grow it without end. Apollo keeps and checks the texts in it; the
 * operation gate reads the same store, so a hash-only request is admitted or refused on the
 * text it stands for, like any other.
 */
export class PersistedQueries {
  private readonly texts: DocumentCache<string>;

  constructor(maxBytes: number) {
    this.texts = new DocumentCache(maxBytes);
  }

  /** The store in the shape Apollo's `persistedQueries.cache` takes. */
  get apolloCache() {
    return {
      get: async (key: string) => this.texts.get(key),
      set: async (key: string, value: string) => this.texts.set(key, value, key.length + value.length * 2 + 64),
      delete: async () => undefined,
    };
  }

  /**
   * The text a request's `extensions.persistedQuery` stands for: undefined when the request is
   * not a well-formed APQ request or the hash is unknown (Apollo then answers it:
   * PERSISTED_QUERY_NOT_FOUND, or its own error).
   */
  textOf(extensions: unknown): string | undefined {
    const persisted = (extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } } | null | undefined)?.persistedQuery;
    if (!persisted || persisted.version !== 1 || typeof persisted.sha256Hash !== "string" || !HASH.test(persisted.sha256Hash)) return undefined;
    return this.texts.get(`${APQ_PREFIX}${persisted.sha256Hash}`);
  }
}
