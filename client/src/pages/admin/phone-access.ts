/**
 * Pure helpers of the 手机接入 and 备份 tabs: the QR code as an SVG path (drawn in the page, so no
 * request leaves the origin), the HTTPS addresses a phone can open, the commands the README gives.
 */
import { create } from 'qrcode/lib/core/qrcode';
import type { SystemTls } from '../../../../server/contract/system';
import { isLoopbackHost } from '../../../../server/contract/hosts';

/** A QR symbol as one SVG path: one unit per module, quiet zone not included. */
export interface QrShape {
  /** Modules per side (21 for version 1, 4 more per version). */
  size: number;
  /** The dark modules, each row's runs as rectangles `M x y h n v 1 h -n z`. */
  d: string;
}

/**
 * Encodes `text` (error correction M: a phone's camera reads it off a laptop screen at an angle) and
 * returns its dark modules as an SVG path, for `<svg viewBox="0 0 size size">` plus a quiet zone.
 *
 * @example qrShape('https://10.1.2.3:8443/field') // { size: 29, d: 'M0 0h7v1h-7z…' }
 */
export function qrShape(text: string): QrShape {
  const { size, data } = create(text, { errorCorrectionLevel: 'M' }).modules;
  let d = '';
  for (let y = 0; y < size; y++) {
    let x = 0;
    while (x < size) {
      if (!data[y * size + x]) {
        x++;
        continue;
      }
      let end = x + 1;
      while (end < size && data[y * size + end]) end++;
      d += `M${x} ${y}h${end - x}v1h-${end - x}z`;
      x = end;
    }
  }
  return { size, d };
}

/**
 * The field page's HTTPS addresses for phones: the server's own (its certificate's names), and the
 * page's origin when it was reached over HTTPS at a name other than localhost — behind the city's
 * reverse proxy that is the only address the server cannot know itself. Plain-HTTP addresses are left
 * out: a phone gets no position, offline copy or tile cache there.
 *
 * @example httpsFieldAddresses(tls, 'https://xuncha.example.gov.cn') // ['https://xuncha.example.gov.cn/field']
 */
export function httpsFieldAddresses(tls: SystemTls, pageOrigin: string): string[] {
  const found = tls.phoneAddresses.filter((a) => a.startsWith('https://'));
  const page = new URL(pageOrigin);
  const own = `${page.origin}/field`;
  if (tls.requestHttps && page.protocol === 'https:' && !isLoopbackHost(page.hostname) && !found.includes(own)) found.unshift(own);
  return found;
}

/** The origin (`https://host:port`) of a field-page address, where `/ca.crt` is served too. */
export function originOf(address: string): string {
  return new URL(address).origin;
}

/**
 * The addresses to name in `npm run tls:init -- --host …`: those the server already answers phones on
 * over HTTP, else the page's own host unless it is localhost; empty when there is none to suggest.
 */
export function suggestedHosts(tls: SystemTls, pageOrigin: string): string[] {
  const hosts = tls.phoneAddresses.map((a) => new URL(a).hostname.replace(/^\[(.*)\]$/, '$1'));
  const page = new URL(pageOrigin).hostname;
  if (!isLoopbackHost(page)) hosts.push(page.replace(/^\[(.*)\]$/, '$1'));
  return [...new Set(hosts)];
}

/**
 * The README's certificate command for these hosts; `placeholder` stands in when there are none.
 *
 * @example tlsInitCommand(['10.1.2.3', 'xuncha.local'], '') // 'npm run tls:init -- --host 10.1.2.3 --host xuncha.local'
 */
export function tlsInitCommand(hosts: string[], placeholder: string): string {
  const list = hosts.length > 0 ? hosts : [placeholder];
  return `npm run tls:init --${list.map((h) => ` --host ${h}`).join('')}`;
}

/** A SHA-256 fingerprint (`AB:CD:…`, 32 bytes) in lines of `perLine` bytes, to compare on a phone's small screen. */
export function fingerprintLines(fingerprint: string, perLine = 8): string[] {
  const bytes = fingerprint.toUpperCase().split(':');
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += perLine) lines.push(bytes.slice(i, i + perLine).join(':'));
  return lines;
}

/** Whole days from `nowMs` until the ISO time `until` (negative once past). */
export function daysUntil(until: string, nowMs: number): number {
  return Math.floor((Date.parse(until) - nowMs) / 86_400_000);
}

/** A backup's size for people: megabytes with one decimal (two under 1 MB, so a small city is not "0.0"). */
export function formatMegabytes(bytes: number, lang: 'zh' | 'en'): string {
  const mb = bytes / (1024 * 1024);
  const text = new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US', {
    maximumFractionDigits: mb < 1 ? 2 : 1,
    minimumFractionDigits: mb < 1 ? 2 : 1,
  }).format(mb);
  return `${text} MB`;
}
