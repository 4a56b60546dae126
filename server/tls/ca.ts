/**
 * A certificate authority of our own for an intranet that has none: `npm run tls:init` makes a CA and a
 * server certificate for the addresses and names the phones will open, into DATA_DIR/tls. The phones
 * install the CA once (GET /ca.crt); a later `tls:init` for new addresses keeps the CA, so they need not
 * install it again. Why @peculiar/x509 over WebCrypto: see README.md in this folder.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { webcrypto } from 'node:crypto';
// @peculiar/x509 registers its algorithms through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { tlsPaths } from './paths';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
const crypto = webcrypto;
// Node's WebCrypto is the standard one; the cast only bridges its types to the DOM's `Crypto` the library names.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.X509CertificateGenerator.create>[1] & object);

// P-256 ECDSA with SHA-256: every phone browser of the last ten years takes it, and keys are made at once
// (an RSA key takes a noticeable moment and gives nothing more here).
const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
const CA_YEARS = 10;
// iOS and macOS refuse TLS server certificates valid for more than 825 days, from any CA.
const SERVER_DAYS = 820;
// Phones with a clock a little behind would otherwise see a certificate "not yet valid".
const BACKDATE_MS = 3600_000;
const DAY_MS = 86_400_000;

export { tlsPaths } from './paths';

/** A host a certificate is for: an IP address or a DNS name. */
export type CertHost = { type: 'ip'; value: string } | { type: 'dns'; value: string };

const DNS_NAME = /^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * Parses `--host` values. Loopback (localhost, 127.0.0.1) is always added, so the server's own browser works too.
 * @throws Error naming a value that is neither an IP address nor a DNS name.
 */
export function parseHosts(values: readonly string[]): CertHost[] {
  const hosts: CertHost[] = [];
  const seen = new Set<string>();
  for (const raw of [...values, 'localhost', '127.0.0.1']) {
    const v = raw
      .trim()
      .replace(/^\[|\]$/g, '')
      .toLowerCase();
    if (!v || seen.has(v)) continue;
    if (isIP(v)) hosts.push({ type: 'ip', value: v });
    else if (DNS_NAME.test(v)) hosts.push({ type: 'dns', value: v });
    else throw new Error(`"${raw}" is neither an IP address (10.1.2.3) nor a host name (xuncha.local)`);
    seen.add(v);
  }
  return hosts;
}

async function exportKeyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

async function importKeyPair(certPem: string, keyPem: string): Promise<{ cert: x509.X509Certificate; privateKey: CryptoKey }> {
  const cert = new x509.X509Certificate(certPem);
  const privateKey = await crypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(keyPem), KEY_ALGORITHM, false, ['sign']);
  return { cert, privateKey };
}

/** Writes via a temporary file and a rename, so a crash never leaves half a key; keys readable by the owner only. */
function writeFileAtomic(file: string, text: string, mode: number): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}

async function createCa(now: Date, label: string): Promise<{ certPem: string; keyPem: string }> {
  const keys = (await crypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    // The name a phone shows in its list of installed certificates: say whose and when.
    name: `CN=Xuncha 巡查 local CA ${label}, O=Xuncha`,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + CA_YEARS * 365 * DAY_MS),
    keys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKeyPem(keys.privateKey) };
}

async function createServerCert(ca: { cert: x509.X509Certificate; privateKey: CryptoKey }, hosts: CertHost[], now: Date) {
  const keys = (await crypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    subject: `CN=${hosts[0].value}, O=Xuncha`,
    issuer: ca.cert.subject,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + SERVER_DAYS * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      // Browsers match the address bar against these names only, never the common name.
      new x509.SubjectAlternativeNameExtension(hosts.map((h) => ({ type: h.type, value: h.value }))),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKeyPem(keys.privateKey) };
}

export interface TlsInitResult {
  dir: string;
  /** false when an existing CA was kept (phones that installed it keep working). */
  newCa: boolean;
  hosts: CertHost[];
  notAfter: Date;
}

/**
 * Makes (or keeps) the CA in DATA_DIR/tls and issues a server certificate for `hosts`.
 * @param opts.newCa replace an existing CA (every phone must then install the new one)
 */
export async function initTls(dataDir: string, hostArgs: readonly string[], opts: { newCa?: boolean; now?: Date } = {}): Promise<TlsInitResult> {
  const now = opts.now ?? new Date();
  const hosts = parseHosts(hostArgs);
  const paths = tlsPaths(dataDir);
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  chmodSync(paths.dir, 0o700);
  const keepCa = !opts.newCa && existsSync(paths.caCert) && existsSync(paths.caKey);
  if (!keepCa) {
    const ca = await createCa(now, now.toISOString().slice(0, 10));
    writeFileAtomic(paths.caKey, ca.keyPem, 0o600);
    writeFileAtomic(paths.caCert, ca.certPem, 0o644);
  }
  const ca = await importKeyPair(readFileSync(paths.caCert, 'utf8'), readFileSync(paths.caKey, 'utf8'));
  const server = await createServerCert(ca, hosts, now);
  writeFileAtomic(paths.key, server.keyPem, 0o600);
  // The chain (server, then CA) so clients that lack the CA still see who issued it.
  writeFileAtomic(paths.cert, server.certPem + '\n' + ca.cert.toString('pem') + '\n', 0o644);
  return { dir: paths.dir, newCa: !keepCa, hosts, notAfter: new Date(now.getTime() + SERVER_DAYS * DAY_MS) };
}
