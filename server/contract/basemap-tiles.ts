/**
 * The online basemap's rules as plain values and functions (no zod), so the page can build its tile
 * URLs without the schemas: which hosts 天地图 uses, what a WMTS/XYZ template may look like, which tile
 * URLs a basemap asks for (`basemapTiles`) and which origins the server's Content-Security-Policy then
 * allows (`basemapOrigins`). One function decides both, so the map's requests and the CSP cannot drift.
 * The schemas and endpoints are in basemap.ts.
 *
 * Pure: no URL global (the contract is checked without the DOM and without Node's types), so templates
 * are read with a regular expression.
 */
import { bilingual } from './bilingual';
import { isIntranetHost } from './hosts';

export { isIntranetHost };

/** 天地图's tile hosts t0–t7: one origin each, all listed in the CSP (no wildcard). */
export const TIANDITU_HOSTS = ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7'].map((s) => `${s}.tianditu.gov.cn`);
/** 天地图 serves web-mercator tiles (TILEMATRIXSET=w) to z18. CGCS2000 is within centimetres of WGS-84: no shift. */
export const TIANDITU_MAXZOOM = 18;
export const TIANDITU_ATTRIBUTION = '天地图 © 国家地理信息公共服务平台';
/** The two 天地图 maps: streets (vec_w under the labels cva_w) or imagery (img_w under cia_w). */
export const TIANDITU_LAYERS = { vec: ['vec', 'cva'], img: ['img', 'cia'] } as const;
/** 高德's street map, a GCJ-02 service: the example the 系统管理 form shows (subdomains 1–4). 腾讯's counts rows from the south: `{-y}`. */
export const AMAP_TEMPLATE = 'https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}';

const TEMPLATE_RE = /^(https?):\/\/([^/?#@\s]+)([/?][^#\s]*)?$/i;
const PLACEHOLDER_RE = /\{[^}]*\}/g;

/** The parts of a tile URL template, or null when it is not an absolute http(s) URL. */
function parseTemplate(url: string): { scheme: 'http' | 'https'; host: string; hostname: string } | null {
  const m = TEMPLATE_RE.exec(url);
  if (!m) return null;
  const host = m[2].toLowerCase();
  const hostname = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return { scheme: m[1].toLowerCase() as 'http' | 'https', host, hostname };
}

/** What is wrong with a WMTS/XYZ template (each sentence in Chinese and English); empty when nothing is. */
export function templateProblems(url: string, subdomains: readonly string[] | undefined): string[] {
  const parsed = parseTemplate(url);
  if (!parsed) {
    return [
      bilingual(
        '地址须以 https:// 开头（城市内网的服务可用 http://），且不能含用户名或 #',
        'the URL must start with https:// (http:// for a server on the city network), with no user name and no #',
      ),
    ];
  }
  const problems: string[] = [];
  const found: string[] = url.match(PLACEHOLDER_RE) ?? [];
  // {-y} counts rows from the south (TMS, as 腾讯 does); either row placeholder will do.
  const hasRow = found.includes('{y}') || found.includes('{-y}');
  for (const p of ['{z}', '{x}', '{y}']) {
    if (!found.includes(p) && !(p === '{y}' && hasRow))
      problems.push(bilingual(`地址缺少 ${p} 占位符`, `the URL lacks the ${p} placeholder, e.g. https://tiles.example.gov.cn/{z}/{x}/{y}.png`));
  }
  const unknown = [...new Set(found.filter((p) => !['{z}', '{x}', '{y}', '{-y}', '{s}'].includes(p)))];
  if (unknown.length)
    problems.push(
      bilingual(
        `地址含不支持的占位符 ${unknown.join(' ')}`,
        `unsupported placeholder ${unknown.join(' ')}: use {z}, {x}, {y} (or {-y}, rows from the south) and {s} only`,
      ),
    );
  const hasS = found.includes('{s}');
  if (hasS && !parsed.host.includes('{s}')) problems.push(bilingual('{s} 只能出现在主机名中', '{s} may only stand in the host name'));
  if (hasS && !subdomains?.length) problems.push(bilingual('地址含 {s}，请填写子域名，如 a,b,c', 'the URL has {s}: list its subdomains, e.g. a, b, c'));
  if (!hasS && subdomains?.length) problems.push(bilingual('填写了子域名，但地址中没有 {s}', 'subdomains are given but the URL has no {s} to put them in'));
  const hostname = parsed.hostname.replaceAll('{s}', subdomains?.[0] ?? 'a');
  if (parsed.scheme === 'http' && !isIntranetHost(hostname)) {
    problems.push(
      bilingual(
        '互联网上的服务须用 https://（http:// 仅限城市内网地址）',
        'a service on the internet must use https:// (http:// only for an address on the city network)',
      ),
    );
  }
  return problems;
}

/** A basemap as stored (basemap.ts's `BasemapInput` after parsing). */
export type BasemapSpec =
  | { kind: 'tianditu'; token: string; layer: keyof typeof TIANDITU_LAYERS }
  | { kind: 'xyz' | 'gcj02'; url: string; subdomains?: string[]; attribution: string; maxzoom: number };

/** What a map draws for a basemap: raster layers bottom first, each a list of tile URLs (one per host). */
export interface BasemapTiles {
  /** `gcj02`: the tiles are drawn in GCJ-02 (高德/腾讯), so the map shifts them onto our WGS-84 data. */
  layers: { id: string; tiles: string[]; gcj02?: true; scheme?: 'tms' }[];
  maxzoom: number;
  attribution: string;
}

/**
 * The raster tile URLs for a basemap, bottom layer first. `{s}` is expanded into one URL per subdomain
 * (MapLibre spreads requests over a source's URLs and knows no `{s}`).
 *
 * @example
 * basemapTiles({ kind: 'tianditu', token: '0123…', layer: 'vec' }).layers.map((l) => l.id) // → ['tianditu-vec', 'tianditu-cva']
 */
export function basemapTiles(b: BasemapSpec): BasemapTiles {
  if (b.kind === 'tianditu') {
    const tk = encodeURIComponent(b.token);
    return {
      layers: TIANDITU_LAYERS[b.layer].map((layer) => ({
        id: `tianditu-${layer}`,
        tiles: TIANDITU_HOSTS.map(
          (host) =>
            `https://${host}/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${tk}`,
        ),
      })),
      maxzoom: TIANDITU_MAXZOOM,
      attribution: TIANDITU_ATTRIBUTION,
    };
  }
  const tiles = b.url.includes('{s}') && b.subdomains?.length ? b.subdomains.map((s) => b.url.replaceAll('{s}', s)) : [b.url];
  // GCJ-02 tiles are fetched by gcj02-tiles.ts, which fills {-y} itself; MapLibre knows TMS rows as a scheme.
  if (b.kind === 'gcj02') return { layers: [{ id: 'gcj02', tiles, gcj02: true }], maxzoom: b.maxzoom, attribution: b.attribution };
  const tms = b.url.includes('{-y}');
  const layer = tms ? { id: 'city-xyz', tiles: tiles.map((t) => t.replaceAll('{-y}', '{y}')), scheme: 'tms' as const } : { id: 'city-xyz', tiles };
  return { layers: [layer], maxzoom: b.maxzoom, attribution: b.attribution };
}

/**
 * The origins (`scheme://host[:port]`) a basemap's tiles come from, each once, for the CSP's img-src and
 * connect-src (MapLibre fetches raster tiles, then decodes them as images). Empty for none.
 */
export function basemapOrigins(b: BasemapSpec | null): string[] {
  if (!b) return [];
  const origins = basemapTiles(b).layers.flatMap((l) =>
    l.tiles.map((t) => {
      const p = parseTemplate(t);
      return p ? `${p.scheme}://${p.host}` : null;
    }),
  );
  return [...new Set(origins.filter((o): o is string => o !== null))];
}
