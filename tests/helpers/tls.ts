import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** A server's key and certificate chain (PEM), and the CA certificate that signed it. */
export interface TestCertificates {
  readonly ca: string;
  readonly key: string;
  readonly cert: string;
}

/**
 * Makes, with the openssl command (node's crypto cannot sign certificates), a throwaway CA and a
 * certificate it signs for `localhost`, 127.0.0.1 and the extra `names`, valid for a day. For
 * tests only: the keys live in a temporary folder, removed before this returns.
 */
export function makeTestCertificates(names: readonly string[] = []): TestCertificates {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsroom-tls-"));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  try {
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
    openssl("req", "-x509", ...ec, "-keyout", file("ca.key"), "-out", file("ca.pem"), "-days", "1", "-subj", "/CN=Newsroom test CA");
    openssl("req", ...ec, "-keyout", file("server.key"), "-out", file("server.csr"), "-subj", "/CN=localhost");
    const alt = ["DNS:localhost", "IP:127.0.0.1", ...names.map((name) => `DNS:${name}`)].join(",");
    fs.writeFileSync(file("server.ext"), `subjectAltName=${alt}\nextendedKeyUsage=serverAuth\n`);
    openssl("x509", "-req", "-in", file("server.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"), "-CAcreateserial", "-days", "1", "-extfile", file("server.ext"), "-out", file("server.pem"));
    return { ca: fs.readFileSync(file("ca.pem"), "utf8"), key: fs.readFileSync(file("server.key"), "utf8"), cert: fs.readFileSync(file("server.pem"), "utf8") };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
