/**
 * The field page's addresses for a phone, for the status page's QR codes: with HTTPS, the certificate's
 * own names (a phone can only open what the certificate covers); over HTTP, this machine's network
 * addresses when it listens on all of them.
 */
import { networkInterfaces } from 'node:os';
import { isIP } from 'node:net';
import { isLoopbackHost } from '../contract/hosts';
import type { TlsSetup } from './config';

const WILDCARD = new Set(['0.0.0.0', '::', '']);

function url(scheme: 'http' | 'https', host: string, port: number): string {
  const h = isIP(host) === 6 ? `[${host}]` : host;
  const defaultPort = scheme === 'https' ? 443 : 80;
  return `${scheme}://${h}${port === defaultPort ? '' : `:${port}`}/field`;
}

/** Addresses of this machine other than loopback, IPv4 first (what phones on a LAN use). */
export function lanAddresses(): string[] {
  const found: string[] = [];
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (!a.internal) found.push(a.address);
  return found.sort((a, b) => isIP(a) - isIP(b)).filter((a) => !a.startsWith('fe80:'));
}

/** None when the server listens on loopback only: no phone can reach it there (a proxy in front has addresses of its own). */
export function phoneAddresses(tls: TlsSetup | null, listen: { host: string; port: number }, lan: () => string[] = lanAddresses): string[] {
  if (isLoopbackHost(listen.host)) return [];
  if (tls) return tls.server.hosts.filter((h) => !isLoopbackHost(h) && !h.startsWith('*')).map((h) => url('https', h, listen.port));
  return (WILDCARD.has(listen.host) ? lan() : [listen.host]).map((h) => url('http', h, listen.port));
}
