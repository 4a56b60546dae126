/**
 * Which certificate the server serves: TLS_CERT/TLS_KEY when set, else what `npm run tls:init` left in
 * DATA_DIR/tls, else none (plain HTTP). Also what the status page and /ca.crt tell about it. Read once at
 * startup; every check here is synchronous and small.
 */
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../errors';
import { tlsPaths } from './paths';

/** What a certificate is for and until when, as people read it. */
export interface CertificateSummary {
  /** SHA-256 of the DER, colon-separated hex, as phones show it when installing a CA. */
  fingerprint: string;
  /** SHA-256 of the SubjectPublicKeyInfo, base64 (what Chromium's --ignore-certificate-errors-spki-list and HPKP take). */
  spkiSha256: string;
  subject: string;
  /** The IP addresses and DNS names of its subjectAltName. */
  hosts: string[];
  notAfter: string;
}

export interface TlsSetup {
  /** PEM: the certificate (chain) and its private key, for node:https. */
  cert: string;
  key: string;
  /** Where they came from, for the startup line. */
  source: 'env' | 'tls:init';
  server: CertificateSummary;
  /** The CA that issued the served certificate, when it is ours to hand out (DATA_DIR/tls/ca.crt). */
  ca: { pem: string; summary: CertificateSummary } | null;
}

/** Reads what the status page shows about a PEM certificate (the first one of a chain). */
export function summarize(pem: string | Buffer): CertificateSummary {
  const cert = new X509Certificate(pem);
  const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
  const hosts = (cert.subjectAltName ?? '')
    .split(', ')
    .map((entry) => /^(?:DNS|IP Address):(.+)$/.exec(entry)?.[1])
    .filter((h): h is string => !!h);
  return {
    fingerprint: cert.fingerprint256,
    spkiSha256: createHash('sha256').update(spki).digest('base64'),
    subject: cert.subject.replace(/\n/g, ', '),
    hosts,
    notAfter: new Date(cert.validTo).toISOString(),
  };
}

function readPem(file: string, variable: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (err as Error).message;
    throw new ConfigError(`Cannot read ${variable} ${file}: ${reason}. Point ${variable} at a PEM file, or unset TLS_CERT and TLS_KEY.`, []);
  }
}

/**
 * The TLS setup for a server over `dataDir`, or null for plain HTTP.
 * @throws ConfigError when a file cannot be read, is not PEM, or the key does not belong to the certificate.
 */
export function loadTls(dataDir: string, env: { TLS_CERT?: string; TLS_KEY?: string }): TlsSetup | null {
  const paths = tlsPaths(dataDir);
  let cert: string, key: string, source: TlsSetup['source'], certFile: string;
  if (env.TLS_CERT && env.TLS_KEY) {
    certFile = resolve(env.TLS_CERT);
    cert = readPem(certFile, 'TLS_CERT');
    key = readPem(resolve(env.TLS_KEY), 'TLS_KEY');
    source = 'env';
  } else if (existsSync(paths.cert) && existsSync(paths.key)) {
    certFile = paths.cert;
    cert = readPem(paths.cert, 'the certificate');
    key = readPem(paths.key, 'the key');
    source = 'tls:init';
  } else {
    return null;
  }
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(cert);
  } catch {
    throw new ConfigError(`${certFile} is not a PEM certificate (it should begin with -----BEGIN CERTIFICATE-----).`, []);
  }
  let matches: boolean;
  try {
    // Checked here, so a wrong key is one sentence at startup rather than a TLS error at listen().
    matches = leaf.checkPrivateKey(createPrivateKey(key));
  } catch {
    throw new ConfigError(`The private key for ${certFile} is not a PEM private key (-----BEGIN PRIVATE KEY-----).`, []);
  }
  if (!matches) throw new ConfigError(`The private key does not belong to the certificate ${certFile}. Give the key that was made with it.`, []);

  let ca: TlsSetup['ca'] = null;
  if (existsSync(paths.caCert)) {
    const pem = readFileSync(paths.caCert, 'utf8');
    // Handing out a CA that did not issue the served certificate would only confuse the phones.
    if (leaf.checkIssued(new X509Certificate(pem))) ca = { pem, summary: summarize(pem) };
  }
  return { cert, key, source, server: summarize(cert), ca };
}
