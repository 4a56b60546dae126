/**
 * Who is really calling, and over what: the socket's peer, unless that peer is a reverse proxy we were told
 * to trust (TRUST_PROXY), in which case its X-Forwarded-For / X-Forwarded-Proto say so. A header from an
 * untrusted peer is ignored: anyone can send one, and believing it would let a caller pick its own address
 * (beating per-address throttles) or claim HTTPS over plain HTTP.
 */
import { BlockList, isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';

/** Which peers may speak for the client. */
export interface ProxyTrust {
  trusts(address: string): boolean;
  /** The TRUST_PROXY value it was parsed from ('' for none), for the startup line. */
  readonly spec: string;
}

/** Believe no forwarding header (the default: the server faces the browsers directly). */
export const TRUST_NONE: ProxyTrust = { trusts: () => false, spec: '' };

// The same names as Express's `trust proxy`, which reverse-proxy guides already use.
const NAMED_RANGES: Record<string, readonly string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** `::ffff:10.1.2.3` (an IPv4 peer on a dual-stack socket) → `10.1.2.3`, so IPv4 rules match it. */
export function normalizeAddress(address: string): string {
  const a = address.trim().replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  return mapped ? mapped[1] : a;
}

/**
 * Parses TRUST_PROXY: a comma-separated list of `loopback`, `linklocal`, `uniquelocal`, addresses
 * (`10.0.0.5`, `::1`) and CIDR ranges (`10.0.0.0/24`). Empty or unset → trust none.
 * @throws Error naming the entry that is none of these.
 */
export function parseTrustProxy(spec: string | undefined): ProxyTrust {
  const text = (spec ?? '').trim();
  if (!text) return TRUST_NONE;
  const list = new BlockList();
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    for (const item of NAMED_RANGES[entry.toLowerCase()] ?? [entry]) {
      const [addr, bits, extra] = item.split('/');
      const family = isIP(addr);
      const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
      if (!family || extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
        throw new Error(`"${entry}" is not an address, a CIDR range (10.0.0.0/24) or one of loopback, linklocal, uniquelocal`);
      }
      list.addSubnet(addr, prefix, family === 6 ? 'ipv6' : 'ipv4');
    }
  }
  return {
    spec: text,
    trusts(address) {
      const a = normalizeAddress(address);
      const family = isIP(a);
      return family !== 0 && list.check(a, family === 6 ? 'ipv6' : 'ipv4');
    },
  };
}

/** The socket peer's address; 'local' for in-process requests (app.request in tests and scripts). */
export function socketAddress(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  const address = incoming?.socket?.remoteAddress;
  return address ? normalizeAddress(address) : 'local';
}

interface Caller {
  address: string;
  https: boolean;
}

const CALLER = 'xunchaCaller';

/**
 * Resolves the caller once per request from `trust`: walks X-Forwarded-For from the right while each hop
 * is a trusted proxy, so a client cannot prepend an address of its choice; takes X-Forwarded-Proto only
 * from a trusted peer. Mount first: clientAddress and requestIsHttps read what it found.
 */
export function resolveCaller(trust: ProxyTrust): MiddlewareHandler {
  return async (c, next) => {
    c.set(CALLER as never, callerOf(c, trust) as never);
    await next();
  };
}

function callerOf(c: Context, trust: ProxyTrust): Caller {
  const peer = socketAddress(c);
  const direct = new URL(c.req.url).protocol === 'https:';
  if (!trust.trusts(peer)) return { address: peer, https: direct };
  let address = peer;
  const hops = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((h) => normalizeAddress(h))
    .filter((h) => isIP(h) !== 0);
  while (hops.length > 0 && trust.trusts(address)) address = hops.pop() as string;
  // The first value is what the browser used, when proxies chain and each appends its own.
  const proto = c.req.header('x-forwarded-proto')?.split(',')[0].trim().toLowerCase();
  return { address, https: proto ? proto === 'https' : direct };
}

function caller(c: Context): Caller {
  return ((c.var as Record<string, unknown>)[CALLER] as Caller | undefined) ?? callerOf(c, TRUST_NONE);
}

/** The client's address: the socket peer, or what trusted proxies forwarded ('local' in-process). */
export function clientAddress(c: Context): string {
  return caller(c).address;
}

/** Whether the browser's page is HTTPS: the connection itself, or a trusted proxy's X-Forwarded-Proto. */
export function requestIsHttps(c: Context): boolean {
  return caller(c).https;
}
