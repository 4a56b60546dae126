/**
 * What kind of address a host name is, for the server (which addresses to print for phones) and the page
 * (which to offer as QR codes, which tile servers may use plain http). Pure string checks, no DNS.
 */

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|::1)$/i;

/** Is `host` (a hostname, an IP, or `[ipv6]`, without the port) this machine only? A phone cannot open it. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}

/**
 * Whether `host` (a hostname, or `[ipv6]`, without the port) is on the city's own network: a private or
 * loopback address, or a name no public DNS answers (no dot, or .local/.lan/.internal/.intranet/.home.arpa).
 * Only such a host may serve tiles over plain http.
 */
export function isIntranetHost(host: string): boolean {
  const h = host.toLowerCase();
  const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(h);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  if (h.startsWith('[')) return h === '[::1]' || /^\[f[cd][0-9a-f]{2}:/.test(h);
  return !h.includes('.') || /\.(local|lan|internal|intranet|home\.arpa)$/.test(h);
}
