import { describe, expect, it } from 'vitest';
import type { SystemTls } from '../../../../server/contract/system';
import {
  daysUntil,
  fingerprintLines,
  formatMegabytes,
  httpsFieldAddresses,
  qrShape,
  suggestedHosts,
  tlsInitCommand,
} from '../../../../client/src/pages/admin/phone-access';

/** The dark cells a path of `M x y h n v 1 h -n z` runs paints, as "x,y". */
function cells(d: string): Set<string> {
  const out = new Set<string>();
  for (const m of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g)) {
    const [x, y, n, back] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
    expect(back).toBe(n);
    for (let i = 0; i < n; i++) out.add(`${x + i},${y}`);
  }
  expect(d.replace(/M\d+ \d+h\d+v1h-\d+z/g, '')).toBe('');
  return out;
}

/** A finder pattern with its top-left module at (x, y): dark ring, light ring, dark 3 × 3 centre. */
function finderAt(dark: Set<string>, x: number, y: number): boolean {
  for (let dy = 0; dy < 7; dy++)
    for (let dx = 0; dx < 7; dx++) {
      const ring = Math.max(Math.abs(dx - 3), Math.abs(dy - 3));
      if (dark.has(`${x + dx},${y + dy}`) !== (ring !== 2)) return false;
    }
  return true;
}

const TLS: SystemTls = { https: false, requestHttps: false, trustProxy: null, phoneAddresses: [], certificate: null, ca: null };

describe('qrShape', () => {
  it('draws a QR symbol the right way round: finder patterns at three corners, the dark module beside the bottom-left one', () => {
    const { size, d } = qrShape('https://10.1.2.3:8443/field');
    // Version 2 at level M (the encoder packs the digits in numeric segments): 25 modules a side.
    expect(size).toBe(25);
    const dark = cells(d);
    expect([finderAt(dark, 0, 0), finderAt(dark, size - 7, 0), finderAt(dark, 0, size - 7), finderAt(dark, size - 7, size - 7)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    // ISO/IEC 18004: the always-dark module is at column 8, row 4V + 9; its mirror image (a format bit) is light for this text.
    expect([dark.has(`8,${4 * 2 + 9}`), dark.has(`${4 * 2 + 9},8`)]).toEqual([true, false]);
    // Timing patterns: row and column 6 alternate between the finders.
    for (let i = 8; i < size - 8; i++) expect([dark.has(`${i},6`), dark.has(`6,${i}`)]).toEqual([i % 2 === 0, i % 2 === 0]);
  });

  it('grows with the text and stays inside its size', () => {
    const long = qrShape(`https://xuncha.example.gov.cn:8443/field?${'x'.repeat(120)}`);
    expect(long.size).toBeGreaterThan(25);
    for (const cell of cells(long.d)) for (const v of cell.split(',').map(Number)) expect(v).toBeLessThan(long.size);
  });
});

describe('the addresses a phone opens', () => {
  it('keeps the server’s HTTPS addresses and never a plain-HTTP one', () => {
    const tls = { ...TLS, https: true, phoneAddresses: ['https://10.1.2.3:8443/field', 'https://xuncha.local:8443/field'] };
    expect(httpsFieldAddresses(tls, 'https://127.0.0.1:8443')).toEqual(['https://10.1.2.3:8443/field', 'https://xuncha.local:8443/field']);
    expect(httpsFieldAddresses({ ...TLS, phoneAddresses: ['http://10.1.2.3:8080/field'] }, 'http://10.1.2.3:8080')).toEqual([]);
  });

  it('adds the page’s own HTTPS origin behind a reverse proxy, but not localhost and not twice', () => {
    const proxied = { ...TLS, requestHttps: true, trustProxy: 'loopback' };
    expect(httpsFieldAddresses(proxied, 'https://xuncha.example.gov.cn')).toEqual(['https://xuncha.example.gov.cn/field']);
    expect(httpsFieldAddresses(proxied, 'https://localhost:8443')).toEqual([]);
    const direct = { ...TLS, https: true, requestHttps: true, phoneAddresses: ['https://xuncha.local:8443/field'] };
    expect(httpsFieldAddresses(direct, 'https://xuncha.local:8443')).toEqual(['https://xuncha.local:8443/field']);
  });

  it('suggests the hosts for tls:init from the HTTP addresses, else the page’s host', () => {
    const lan = { ...TLS, phoneAddresses: ['http://10.1.2.3:8080/field', 'http://[fd00::5]:8080/field'] };
    expect(suggestedHosts(lan, 'http://127.0.0.1:8080')).toEqual(['10.1.2.3', 'fd00::5']);
    expect(suggestedHosts(lan, 'http://10.1.2.3:8080')).toEqual(['10.1.2.3', 'fd00::5']);
    expect(suggestedHosts(TLS, 'http://xuncha.local:8080')).toEqual(['xuncha.local']);
    expect(suggestedHosts(TLS, 'http://localhost:8080')).toEqual([]);
  });

  it('writes the README’s tls:init command', () => {
    expect(tlsInitCommand(['10.1.2.3', 'xuncha.local'], '<地址>')).toBe('npm run tls:init -- --host 10.1.2.3 --host xuncha.local');
    expect(tlsInitCommand([], '<地址>')).toBe('npm run tls:init -- --host <地址>');
  });
});

describe('what the panels print', () => {
  it('splits a fingerprint into lines of eight bytes', () => {
    const fp = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0')).join(':');
    expect(fingerprintLines(fp)).toEqual(['00:01:02:03:04:05:06:07', '08:09:0A:0B:0C:0D:0E:0F', '10:11:12:13:14:15:16:17', '18:19:1A:1B:1C:1D:1E:1F']);
  });

  it('counts whole days to an expiry', () => {
    const now = Date.parse('2026-12-03T00:00:00Z');
    expect(daysUntil('2027-01-02T12:00:00Z', now)).toBe(30);
    expect(daysUntil('2026-12-02T00:00:00Z', now)).toBe(-1);
  });

  it('gives sizes in megabytes', () => {
    expect(formatMegabytes(52_428_800, 'zh')).toBe('50.0 MB');
    expect(formatMegabytes(1_288_490_189, 'en')).toBe('1,228.8 MB');
    expect(formatMegabytes(300_000, 'en')).toBe('0.29 MB');
  });
});
