import type { IncomingMessage, ServerResponse } from "node:http";
import type { CachedResponse, RawSpelling, ResponseCache } from "./response-cache";

/** Bodies larger than this are left to Express: a front page's request is a few hundred bytes. */
const MAX_EARLY_BODY_BYTES = 16 * 1024;

/** Sends a stored answer as every hit is sent (HttpCache.sendHit). */
export type SendHit = (req: IncomingMessage, res: ServerResponse, hit: CachedResponse, spelling: RawSpelling) => void;

/** A small, plain JSON body of a known length: what the early paths read themselves. */
export function readsEarly(req: IncomingMessage): boolean {
  const type = req.headers["content-type"];
  if (type === undefined || !/^application\/json\s*(;\s*charset=utf-8\s*)?$/i.test(type)) return false;
  if (req.headers["content-encoding"] !== undefined || req.headers["transfer-encoding"] !== undefined) return false;
  const length = Number(req.headers["content-length"]);
  return Number.isInteger(length) && length > 0 && length <= MAX_EARLY_BODY_BYTES;
}

/**
 * Reads a body {@link readsEarly} accepted and parses it as Express's JSON parser in its strict
 * mode would (the result is left as `req.body`, which that parser then leaves alone); null when
 * it ended short, ran long, or failed (then Express answers whatever is left).
 */
export function readEarlyBody(req: IncomingMessage, done: (read: ReadBody | null) => void): void {
  const expected = Number(req.headers["content-length"]);
  const chunks: Buffer[] = [];
  let length = 0;
  let finished = false;
  const finish = (read: ReadBody | null) => {
    if (finished) return;
    finished = true;
    req.off("data", onData);
    done(read);
  };
  const onData = (chunk: Buffer) => {
    chunks.push(chunk);
    length += chunk.length;
    if (length > expected) req.destroy();
  };
  req.on("data", onData);
  req.once("error", () => finish(null));
  req.once("end", () => {
    if (length !== expected) return finish(null);
    const raw = Buffer.concat(chunks, length).toString("utf8");
    // The rules of Express's JSON parser in its strict mode: an object or an array, nothing else.
    const first = /^[\x20\x09\x0a\x0d]*(.)/.exec(raw)?.[1];
    try {
      if (first !== "{" && first !== "[") throw new SyntaxError("Unexpected token at the start of the body");
      (req as IncomingMessage & { body?: unknown }).body = JSON.parse(raw);
      finish({ raw });
    } catch (error) {
      finish({ raw, error: error instanceof SyntaxError ? error : new SyntaxError(String(error)) });
    }
  });
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
/** A middleware that sets headers and calls on (the CORS one), run before an early answer too. */
type HeaderStep = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/** What an early read of a POST body left for the Express chain. */
export interface ReadBody {
  readonly raw: string;
  readonly error?: SyntaxError;
}

/**
 * Answers repeat anonymous requests for cached answers before Express, the operation policy
 * and Apollo see them: a request spelled exactly as one whose answer is stored (method, URL,
 * Accept, body; no Authorization) gets that answer as it is. Measured, most of a cache hit's
 * CPU was routing, body parsing, variable coercion and the cost lookup, none of which can change
 * the answer of the same bytes. Anything else goes on to Express untouched, except a small JSON
 * POST body, which is read here once and handed on parsed (Express's JSON parser sees a finished
 * request and leaves it alone; a syntax error reaches the same error handler it would have).
 * The spelling travels to the full path ({@link spellingOf}), which records it beside the answer
 * it stores or serves, so nothing is answered here that the policy has not admitted in that form.
 */
export class EarlyHits {
  private readonly spellings = new WeakMap<IncomingMessage, string>();
  private readonly bodyErrors = new WeakMap<IncomingMessage, SyntaxError>();

  constructor(
    private readonly cache: ResponseCache,
    private readonly sendHit: SendHit,
    /** The GraphQL endpoint's path. */
    private readonly path = "/graphql",
  ) {}

  /** The request listener: answers from the cache, or hands the request to `next`. */
  listener(next: Handler, headerStep: HeaderStep | null = null): Handler {
    return (req, res) => {
      if (req.headers.authorization !== undefined) return next(req, res);
      if (req.method === "GET" && req.url !== undefined && req.url.startsWith(`${this.path}?`)) {
        const raw = `GET\u0000${req.headers.accept ?? ""}\u0000${req.url}`;
        if (!this.tryAnswer(raw, req, res, headerStep)) {
          this.spellings.set(req, raw);
          next(req, res);
        }
        return;
      }
      if (req.method === "POST" && req.url === this.path && readsEarly(req)) {
        readEarlyBody(req, (read) => {
          if (read === null) return next(req, res);
          const raw = `POST\u0000${req.headers.accept ?? ""}\u0000${read.raw}`;
          if (this.tryAnswer(raw, req, res, headerStep)) return;
          this.spellings.set(req, raw);
          if (read.error) this.bodyErrors.set(req, read.error);
          next(req, res);
        });
        return;
      }
      next(req, res);
    };
  }

  /** How this request arrived, when it came past the early check (for the full path to record). */
  spellingOf(req: IncomingMessage): string | undefined {
    return this.spellings.get(req);
  }

  /** The JSON syntax error of a body read early, for the Express chain to raise where its parser would have. */
  bodyErrorOf(req: IncomingMessage): SyntaxError | undefined {
    return this.bodyErrors.get(req);
  }

  private tryAnswer(raw: string, req: IncomingMessage, res: ServerResponse, headerStep: HeaderStep | null): boolean {
    const found = this.cache.lookupSpelling(raw);
    if (!found) return false;
    const send = () => this.sendHit(req, res, found.hit, found.spelling);
    if (headerStep) headerStep(req, res, send);
    else send();
    return true;
  }
}
