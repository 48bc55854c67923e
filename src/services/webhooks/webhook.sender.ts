import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import net from "node:net";
import tls from "node:tls";
import { WebhookAttemptOutcome } from "../../entities/webhook.entity";
import type { AddressPolicy, HostResolver } from "./address-policy";

/** What one attempt came to: never the response's body. */
export interface SendResult {
  readonly outcome: WebhookAttemptOutcome;
  /** The response's status, when one came. */
  readonly statusCode: number | null;
  readonly durationMs: number;
  /** A short reason for the server's own log (an error code, the refused address); never anything the receiver wrote. */
  readonly detail: string | null;
}

export interface SenderOptions {
  readonly policy: AddressPolicy;
  readonly resolve: HostResolver;
  /** The whole attempt, from the lookup to the last byte read. */
  readonly timeoutMs: number;
  /** Response bytes read before the connection is dropped. */
  readonly maxResponseBytes: number;
  /** CA certificates (PEM) an HTTPS receiver's chain may end in beside Node's own roots; empty: those alone. */
  readonly extraCaCertificates?: readonly string[];
}

class AddressRefused extends Error {
  override name = "AddressRefused";
}

class TimedOut extends Error {
  override name = "TimedOut";
}

const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME", "ENODATA", "ESERVFAIL", "ENOTIMP", "EREFUSED"]);

function outcomeOf(error: unknown): { outcome: WebhookAttemptOutcome; detail: string } {
  if (error instanceof AddressRefused) return { outcome: WebhookAttemptOutcome.ADDRESS_REFUSED, detail: error.message };
  if (error instanceof TimedOut) return { outcome: WebhookAttemptOutcome.TIMEOUT, detail: error.message };
  const code = String((error as NodeJS.ErrnoException | null)?.code ?? "");
  if (DNS_CODES.has(code)) return { outcome: WebhookAttemptOutcome.DNS, detail: code };
  if (/^(ERR_TLS|ERR_SSL|ERR_OSSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH|ERR_CERT)/.test(code)) return { outcome: WebhookAttemptOutcome.TLS, detail: code };
  return { outcome: WebhookAttemptOutcome.CONNECTION, detail: code || (error instanceof Error ? error.name : "error") };
}

/**
 * Sends one signed delivery with what keeps a webhook from being a way into the server's own
 * network: the host name is resolved here and each answer checked ({@link AddressPolicy}) right
 * before the socket connects to exactly that checked address (so a name cannot resolve to a
 * public address when registered and a private one when called); an address written in the URL
 * is checked the same way. Redirects are answers like any other, never followed. One deadline
 * covers the whole attempt; the response's body is read up to a limit and thrown away.
 */
export class WebhookSender {
  /** Node's roots and the extra CAs, parsed once: made per attempt it would parse them all each time. */
  private readonly trust: tls.SecureContext | undefined;

  constructor(private readonly options: SenderOptions) {
    const extra = options.extraCaCertificates ?? [];
    this.trust = extra.length === 0 ? undefined : tls.createSecureContext({ ca: [...tls.rootCertificates, ...extra] });
  }

  async send(target: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const statusCode = await this.request(new URL(target), headers, body);
      const ok = statusCode >= 200 && statusCode < 300;
      return { outcome: ok ? WebhookAttemptOutcome.SUCCESS : WebhookAttemptOutcome.HTTP_STATUS, statusCode, durationMs: elapsed(), detail: null };
    } catch (error) {
      return { ...outcomeOf(error), statusCode: null, durationMs: elapsed() };
    }
  }

  private request(url: URL, headers: Record<string, string>, body: string): Promise<number> {
    const { policy, resolve, timeoutMs, maxResponseBytes } = this.options;
    // URL keeps an IPv6 literal in brackets; sockets want it bare.
    const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    if (net.isIP(host) !== 0) {
      // Sockets skip the lookup for a literal address: it is checked here instead.
      const why = policy.refusal(host, host);
      if (why !== null) return Promise.reject(new AddressRefused(why));
    }
    const lookup: LookupFunction = (hostname, options, callback) => {
      resolve(hostname).then(
        (answers) => {
          const allowed = answers.filter((a) => policy.refusal(a.address, hostname) === null);
          if (allowed.length === 0) {
            const why = answers.length === 0 ? `${hostname} has no address` : policy.refusal(answers[0]!.address, hostname)!;
            callback(new AddressRefused(why), "", 0);
            return;
          }
          if (options.all) (callback as unknown as (e: null, list: Array<{ address: string; family: number }>) => void)(null, allowed.map((a) => ({ address: a.address, family: a.family })));
          else callback(null, allowed[0]!.address, allowed[0]!.family);
        },
        (error: unknown) => callback(error as NodeJS.ErrnoException, "", 0),
      );
    };
    const payload = Buffer.from(body, "utf8");
    return new Promise<number>((resolvePromise, reject) => {
      let settled = false;
      let answered: number | null = null;
      const finish = (error: unknown, status?: number) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolvePromise(status!);
      };
      const client = url.protocol === "https:" ? https : http;
      const req = client.request(
        {
          protocol: url.protocol,
          hostname: host,
          port: url.port || undefined,
          path: `${url.pathname}${url.search}`,
          method: "POST",
          headers: { ...headers, "content-type": "application/json", "content-length": String(payload.length) },
          // A fresh connection each time: a pooled socket would skip the address check.
          agent: false,
          lookup,
          ...(url.protocol === "https:" && this.trust !== undefined ? { secureContext: this.trust } : {}),
        },
        (res) => {
          const status = res.statusCode ?? 0;
          answered = status;
          let read = 0;
          res.on("data", (chunk: Buffer) => {
            read += chunk.length;
            if (read > maxResponseBytes) {
              // The status is all that counts; what follows is not worth the time.
              finish(null, status);
              res.destroy();
            }
          });
          res.on("end", () => finish(null, status));
          res.on("error", () => finish(null, status));
          res.on("close", () => finish(null, status));
        },
      );
      const timer = setTimeout(() => {
        // A status that came in time counts, however slowly the body that follows it trickles.
        const error = answered === null ? new TimedOut(`no answer within ${timeoutMs} ms`) : null;
        finish(error, answered ?? undefined);
        req.destroy();
      }, timeoutMs);
      req.on("error", (error) => finish(error));
      req.end(payload);
    });
  }
}
