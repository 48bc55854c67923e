import "reflect-metadata";
import { AddressPolicy, embeddedIpv4 } from "../../../src/services/webhooks/address-policy";
import type { HostResolver } from "../../../src/services/webhooks/address-policy";
import { retryDelay } from "../../../src/services/webhooks/webhook.dispatcher";
import { WebhookSender } from "../../../src/services/webhooks/webhook.sender";
import { startReceiver } from "../../helpers/webhook-receiver";
import type { Receiver } from "../../helpers/webhook-receiver";
import { makeTestCertificates } from "../../helpers/tls";

describe("the webhook address policy", () => {
  const none = new AddressPolicy([]);

  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.5.4", "private"],
    ["172.31.255.255", "private"],
    ["192.168.0.10", "private"],
    ["100.64.0.1", "shared (carrier-grade NAT)"],
    ["100.100.100.200", "shared (carrier-grade NAT)"],
    ["169.254.169.254", "link-local"],
    ["0.0.0.0", "'this network'"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "reserved"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "link-local"],
    ["fd00:ec2::254", "unique-local"],
    ["fc00::1", "unique-local"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "link-local"],
    ["64:ff9b::a00:1", "private"],
    ["2002:c0a8:0101::1", "private"],
  ])("refuses %s (%s)", (address, what) => {
    expect(none.refusal(address, address)).toContain(`${what} address`);
  });

  it.each(["93.184.215.14", "1.1.1.1", "172.32.0.1", "2606:4700:4700::1111", "::ffff:93.184.215.14"])("lets the public address %s through", (address) => {
    expect(none.refusal(address, address)).toBeNull();
  });

  it("lets through what the allow-list names: an address, a subnet or a host name", () => {
    const policy = new AddressPolicy(["127.0.0.1", "10.20.0.0/16", "fd12::/16", "hooks.internal"]);
    expect(policy.refusal("127.0.0.1", "127.0.0.1")).toBeNull();
    expect(policy.refusal("::ffff:127.0.0.1", "x")).toBeNull();
    expect(policy.refusal("127.0.0.2", "127.0.0.2")).toContain("loopback");
    expect(policy.refusal("10.20.3.4", "x")).toBeNull();
    expect(policy.refusal("10.21.3.4", "x")).toContain("private");
    expect(policy.refusal("fd12::1", "x")).toBeNull();
    expect(policy.refusal("192.168.1.1", "hooks.internal")).toBeNull();
    expect(policy.refusal("192.168.1.1", "HOOKS.internal")).toBeNull();
    expect(policy.refusal("192.168.1.1", "other.internal")).toContain("private");
  });

  it("reads the IPv4 address an IPv6 address carries", () => {
    expect(embeddedIpv4("::ffff:10.0.0.1")).toBe("10.0.0.1");
    expect(embeddedIpv4("64:ff9b::7f00:1")).toBe("127.0.0.1");
    expect(embeddedIpv4("2002:a9fe:a9fe::")).toBe("169.254.169.254");
    expect(embeddedIpv4("2001:db8::1")).toBeNull();
    expect(embeddedIpv4("10.0.0.1")).toBeNull();
  });

  it("backs off exponentially up to the bound, with jitter in the upper half of each step", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelay(n, 1000, 10_000, () => 1))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect([1, 2, 3].map((n) => retryDelay(n, 1000, 10_000, () => 0))).toEqual([500, 1000, 2000]);
    expect(retryDelay(500, 1000, 3_600_000, () => 0.5)).toBe(2_700_000);
  });
});

describe("the webhook sender", () => {
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  /** A resolver that answers what the test says, as a name whose records change between registration and delivery would. */
  const answering = (address: string): HostResolver => async () => [{ address, family: address.includes(":") ? 6 : 4 }];
  const sender = (allow: string[], resolve: HostResolver, options: Partial<{ timeoutMs: number; maxResponseBytes: number }> = {}) =>
    new WebhookSender({ policy: new AddressPolicy(allow), resolve, timeoutMs: options.timeoutMs ?? 2000, maxResponseBytes: options.maxResponseBytes ?? 1024 });
  const port = () => new URL(receiver.url).port;

  it("checks the address a name resolves to when it connects, and never connects to a refused one", async () => {
    const result = await sender([], answering("127.0.0.1")).send(`http://rebind.example:${port()}/hooks`, {}, "{}");
    expect(result).toMatchObject({ outcome: "ADDRESS_REFUSED", statusCode: null, detail: "127.0.0.1 is a loopback address" });
    expect(receiver.received).toEqual([]);
  });

  it("connects to exactly the address it checked", async () => {
    const result = await sender(["127.0.0.1"], answering("127.0.0.1")).send(`http://rebind.example:${port()}/hooks`, { "webhook-id": "evt_1" }, "{}");
    expect(result).toMatchObject({ outcome: "SUCCESS", statusCode: 204 });
    expect(receiver.received.map((r) => r.headers.host)).toEqual([`rebind.example:${port()}`]);
  });

  it("refuses an address written in the URL, and a name with no allowed address", async () => {
    expect(await sender([], answering("127.0.0.1")).send(receiver.url, {}, "{}")).toMatchObject({ outcome: "ADDRESS_REFUSED" });
    expect(await sender(["127.0.0.1"], answering("10.0.0.7")).send(`http://elsewhere.example:${port()}/`, {}, "{}")).toMatchObject({ outcome: "ADDRESS_REFUSED", detail: "10.0.0.7 is a private address" });
    expect(receiver.received).toEqual([]);
  });

  it("names a lookup failure, a refused connection and a timeout", async () => {
    const failing: HostResolver = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND nowhere.invalid"), { code: "ENOTFOUND" });
    };
    expect(await sender([], failing).send("https://nowhere.invalid/", {}, "{}")).toMatchObject({ outcome: "DNS", detail: "ENOTFOUND" });
    const closed = receiver.url.replace(/:\d+\//, ":1/");
    expect(await sender(["127.0.0.1"], answering("127.0.0.1")).send(closed, {}, "{}")).toMatchObject({ outcome: "CONNECTION", detail: "ECONNREFUSED" });
    receiver.answer = () => "stall";
    expect(await sender(["127.0.0.1"], answering("127.0.0.1"), { timeoutMs: 200 }).send(receiver.url, {}, "{}")).toMatchObject({ outcome: "TIMEOUT", statusCode: null });
  });

  it("takes a status as the answer, follows no redirect, and reads a long body only up to its limit", async () => {
    receiver.answer = (_r, n) => (n === 0 ? { status: 307, headers: { location: "http://127.0.0.1:1/" } } : { status: 200, body: "y".repeat(5_000_000) });
    const send = sender(["127.0.0.1"], answering("127.0.0.1"));
    expect(await send.send(receiver.url, {}, "{}")).toMatchObject({ outcome: "HTTP_STATUS", statusCode: 307 });
    expect(await send.send(receiver.url, {}, "{}")).toMatchObject({ outcome: "SUCCESS", statusCode: 200 });
    expect(receiver.received).toHaveLength(2);
  });
});

describe("the webhook sender over HTTPS", () => {
  // A CA made for this test, and a certificate it signed for localhost and hooks.example.
  const trusted = makeTestCertificates(["hooks.example"]);
  // Another CA's certificate for the same names: one the sender was not told to trust.
  const stranger = makeTestCertificates(["hooks.example"]);
  const receivers: Receiver[] = [];
  afterEach(async () => {
    for (const receiver of receivers.splice(0)) await receiver.close();
  });
  const start = async (certificates: { key: string; cert: string }) => {
    const receiver = await startReceiver({ tls: certificates });
    receivers.push(receiver);
    return receiver;
  };
  const answering = (address: string): HostResolver => async () => [{ address, family: 4 }];
  const sender = (allow: string[], resolve: HostResolver, extraCaCertificates: string[] = [trusted.ca]) =>
    new WebhookSender({ policy: new AddressPolicy(allow), resolve, timeoutMs: 2000, maxResponseBytes: 1024, extraCaCertificates });
  const at = (receiver: Receiver, host: string) => receiver.url.replace("localhost", host);

  it("delivers to a receiver whose certificate a trusted extra CA signed, by the name it checked the address of", async () => {
    const receiver = await start(trusted);
    const result = await sender(["127.0.0.1"], answering("127.0.0.1")).send(at(receiver, "hooks.example"), { "webhook-id": "evt_1" }, "{}");
    expect(result).toMatchObject({ outcome: "SUCCESS", statusCode: 204 });
    expect(receiver.received.map((r) => r.headers.host)).toEqual([`hooks.example:${new URL(receiver.url).port}`]);
  });

  it("refuses a certificate no trusted CA signed, and one for another name, as TLS failures", async () => {
    const untrusted = await start(stranger);
    const refused = await sender(["127.0.0.1"], answering("127.0.0.1")).send(at(untrusted, "hooks.example"), {}, "{}");
    expect(refused).toMatchObject({ outcome: "TLS", statusCode: null, detail: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" });
    // Without the extra CA, Node's own roots know neither certificate.
    const receiver = await start(trusted);
    expect(await sender(["127.0.0.1"], answering("127.0.0.1"), []).send(at(receiver, "hooks.example"), {}, "{}")).toMatchObject({ outcome: "TLS", detail: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" });
    expect(await sender(["127.0.0.1"], answering("127.0.0.1")).send(at(receiver, "elsewhere.example"), {}, "{}")).toMatchObject({ outcome: "TLS", detail: "ERR_TLS_CERT_ALTNAME_INVALID" });
    expect([...untrusted.received, ...receiver.received]).toEqual([]);
  });

  it("checks the address a name resolves to when it connects, as over HTTP: a private one without the allow-list is never reached", async () => {
    const receiver = await start(trusted);
    expect(await sender([], answering("127.0.0.1")).send(at(receiver, "hooks.example"), {}, "{}")).toMatchObject({ outcome: "ADDRESS_REFUSED", detail: "127.0.0.1 is a loopback address" });
    expect(await sender([], answering("10.0.0.7")).send(at(receiver, "hooks.example"), {}, "{}")).toMatchObject({ outcome: "ADDRESS_REFUSED", detail: "10.0.0.7 is a private address" });
    expect(await sender([], answering("127.0.0.1")).send(at(receiver, "127.0.0.1"), {}, "{}")).toMatchObject({ outcome: "ADDRESS_REFUSED", detail: "127.0.0.1 is a loopback address" });
    // Refused before the socket connects: no connection, so no TLS handshake either.
    expect(receiver.connections).toBe(0);
    expect(receiver.received).toEqual([]);
  });
});
