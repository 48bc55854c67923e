import dns from "node:dns";
import net from "node:net";

/** One answer of a name lookup. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/** Resolves a host name to every address it has (the dispatcher's and registration's lookups; tests give their own). */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** The system resolver, as connections use it: every address, in the order it answers. */
export const systemResolver: HostResolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/**
 * Addresses a webhook never reaches unless WEBHOOK_ALLOW_HOSTS names them: everything that is not
 * a public unicast address. The cloud metadata services sit in these too (169.254.169.254 is
 * link-local, fd00:ec2::254 unique-local, 100.100.100.200 shared address space).
 */
const NOT_PUBLIC: ReadonlyArray<readonly [network: string, prefix: number, what: string]> = [
  ["0.0.0.0", 8, "'this network'"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "shared (carrier-grade NAT)"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "protocol-assignment"],
  ["192.0.2.0", 24, "documentation"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "benchmarking"],
  ["198.51.100.0", 24, "documentation"],
  ["203.0.113.0", 24, "documentation"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"],
  ["::", 128, "unspecified"],
  ["::1", 128, "loopback"],
  ["::", 96, "IPv4-compatible"],
  ["64:ff9b:1::", 48, "local NAT64"],
  ["100::", 64, "discard-only"],
  ["2001::", 32, "Teredo"],
  ["2001:db8::", 32, "documentation"],
  ["fc00::", 7, "unique-local"],
  ["fe80::", 10, "link-local"],
  ["fec0::", 10, "site-local"],
  ["ff00::", 8, "multicast"],
];

/** An IPv6 address as its eight 16-bit groups. */
function groupsOf(address: string): number[] {
  let text = address.toLowerCase();
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  // A dotted IPv4 tail (::ffff:1.2.3.4) is two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split(".").map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, null];
  const front = head ? head.split(":") : [];
  const back = tail ? tail.split(":") : [];
  const middle = tail === null ? [] : new Array<string>(8 - front.length - back.length).fill("0");
  return [...front, ...middle, ...back].map((g) => parseInt(g, 16));
}

function ipv4Of(high: number, low: number): string {
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

/**
 * The IPv4 address an IPv6 address carries to an IPv4 host, where one does: IPv4-mapped
 * (::ffff:a.b.c.d), NAT64's well-known prefix (64:ff9b::/96) and 6to4 (2002::/16). A socket to
 * one of these reaches that IPv4 address, so it is judged as that address.
 */
export function embeddedIpv4(address: string): string | null {
  if (net.isIPv6(address) === false) return null;
  const g = groupsOf(address);
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return ipv4Of(g[6]!, g[7]!);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return ipv4Of(g[6]!, g[7]!);
  if (g[0] === 0x2002) return ipv4Of(g[1]!, g[2]!);
  return null;
}

/**
 * Decides which addresses a webhook may connect to: public unicast addresses, and those that
 * WEBHOOK_ALLOW_HOSTS names (an address, a subnet, or a host name whose every address is then
 * allowed). Registration asks it of the URL, and every connection asks it again of the address
 * the name resolves to at that moment, which is the address the socket then uses.
 */
export class AddressPolicy {
  private readonly notPublic = new net.BlockList();
  private readonly allowed = new net.BlockList();
  private readonly allowedNames: ReadonlySet<string>;
  private readonly labels: Array<{ list: net.BlockList; what: string }> = [];

  constructor(allowHosts: readonly string[]) {
    for (const [network, prefix, what] of NOT_PUBLIC) {
      const family = net.isIPv4(network) ? "ipv4" : "ipv6";
      this.notPublic.addSubnet(network, prefix, family);
      const one = new net.BlockList();
      one.addSubnet(network, prefix, family);
      this.labels.push({ list: one, what });
    }
    const names = new Set<string>();
    for (const entry of allowHosts) {
      const [address, bits] = entry.split("/");
      const family = net.isIP(address!);
      if (family === 0) names.add(entry.toLowerCase());
      else if (bits === undefined) this.allowed.addAddress(address!, family === 4 ? "ipv4" : "ipv6");
      else this.allowed.addSubnet(address!, Number(bits), family === 4 ? "ipv4" : "ipv6");
    }
    this.allowedNames = names;
  }

  /** Whether the allow-list names `hostname` itself. */
  allowsName(hostname: string): boolean {
    return this.allowedNames.has(hostname.toLowerCase());
  }

  /**
   * Why a connection to `address` (reached through the name `hostname`) is refused, as a phrase
   * ("127.0.0.1 is a loopback address"), or null when it may be made.
   */
  refusal(address: string, hostname: string): string | null {
    const family = net.isIP(address);
    if (family === 0) return `${address} is not an IP address`;
    if (this.allowsName(hostname)) return null;
    const type = family === 4 ? "ipv4" : "ipv6";
    if (this.allowed.check(address, type)) return null;
    const inner = embeddedIpv4(address);
    if (inner !== null) {
      if (this.allowed.check(inner, "ipv4")) return null;
      const why = this.refusal(inner, "");
      return why && `${address} carries ${why}`;
    }
    if (!this.notPublic.check(address, type)) return null;
    const what = this.labels.find((l) => l.list.check(address, type))?.what ?? "non-public";
    return `${address} is a${/^[aeiou]/.test(what) ? "n" : ""} ${what} address`;
  }
}
