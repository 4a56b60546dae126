import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import type { BBox } from '../../../client/src/api/types';
import { AMAP_TEMPLATE, basemapOrigins, basemapTiles, isIntranetHost, TIANDITU_ATTRIBUTION } from '../../../server/contract/basemap-tiles';
import { BASEMAP_REPLACES, buildMapStyle, NIGHT_COLORS, withBasemap } from '../../../client/src/map/map-style';

const BBOX: BBox = [115.95, 36.42, 116.03, 36.48];
const ORIGIN = 'http://127.0.0.1:43210';
const TOKEN = '0123456789abcdef0123456789abcdef';
const base = buildMapStyle({ origin: ORIGIN, bbox: BBOX, problemQuery: '', hidden: [] });
const TIANDITU = basemapTiles({ kind: 'tianditu', token: TOKEN, layer: 'vec' });
const CITY = basemapTiles({
  kind: 'xyz',
  url: 'https://{s}.gis.example.gov.cn/base/{z}/{x}/{y}.png',
  subdomains: ['a', 'b'],
  attribution: '© 示例市自然资源和规划局',
  maxzoom: 19,
});

const ids = (style: typeof base) => style.layers.map((l) => l.id);
const visibility = (style: typeof base, id: string) => {
  const layer = style.layers.find((l) => l.id === id);
  return layer?.layout && 'visibility' in layer.layout ? layer.layout.visibility : 'visible';
};

describe('basemapTiles', () => {
  it('asks 天地图 for web-mercator WMTS tiles on t0–t7 with the token: streets under their labels, or imagery under its', () => {
    expect(TIANDITU.layers.map((l) => l.id)).toEqual(['tianditu-vec', 'tianditu-cva']);
    expect(TIANDITU.layers[0].tiles).toHaveLength(8);
    expect(TIANDITU.layers[0].tiles[3]).toBe(
      `https://t3.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${TOKEN}`,
    );
    expect(TIANDITU.layers[1].tiles[0]).toMatch(/^https:\/\/t0\.tianditu\.gov\.cn\/cva_w\/wmts\?.*LAYER=cva&/);
    const img = basemapTiles({ kind: 'tianditu', token: TOKEN, layer: 'img' });
    expect(img.layers.map((l) => l.tiles[0].split('/')[3])).toEqual(['img_w', 'cia_w']);
    expect(TIANDITU).toMatchObject({ maxzoom: 18, attribution: TIANDITU_ATTRIBUTION });
  });

  it('expands {s} into one URL per subdomain, and keeps a template without {s} as it is', () => {
    expect(CITY.layers).toEqual([
      { id: 'city-xyz', tiles: ['https://a.gis.example.gov.cn/base/{z}/{x}/{y}.png', 'https://b.gis.example.gov.cn/base/{z}/{x}/{y}.png'] },
    ]);
    const plain = basemapTiles({ kind: 'xyz', url: 'http://10.0.0.5:8080/t/{z}/{x}/{y}', attribution: '©', maxzoom: 18 });
    expect(plain.layers[0].tiles).toEqual(['http://10.0.0.5:8080/t/{z}/{x}/{y}']);
  });

  it('reads {-y} (rows from the south) as a TMS source for MapLibre, and leaves it to the GCJ-02 shift otherwise', () => {
    const tms = basemapTiles({ kind: 'xyz', url: 'https://gis.example.gov.cn/{z}/{x}/{-y}.png', attribution: '©', maxzoom: 18 });
    expect(tms.layers).toEqual([{ id: 'city-xyz', tiles: ['https://gis.example.gov.cn/{z}/{x}/{y}.png'], scheme: 'tms' }]);
    expect(withBasemap(base, tms).sources['basemap-city-xyz']).toMatchObject({ scheme: 'tms', tiles: ['https://gis.example.gov.cn/{z}/{x}/{y}.png'] });
    const tencent = 'https://rt{s}.map.gtimg.com/tile?z={z}&x={x}&y={-y}&type=vector&styleid=3';
    expect(basemapTiles({ kind: 'gcj02', url: tencent, subdomains: ['0'], attribution: '©', maxzoom: 18 }).layers[0].tiles).toEqual([
      tencent.replace('{s}', '0'),
    ]);
  });

  it('gives the CSP each tile origin once, and none without a basemap', () => {
    expect(basemapOrigins(null)).toEqual([]);
    expect(basemapOrigins({ kind: 'tianditu', token: TOKEN, layer: 'vec' })).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => `https://t${i}.tianditu.gov.cn`));
    expect(
      basemapOrigins({ kind: 'xyz', url: 'https://{s}.gis.example.gov.cn/{z}/{x}/{y}.png', subdomains: ['a', 'b', 'a'], attribution: '©', maxzoom: 18 }),
    ).toEqual(['https://a.gis.example.gov.cn', 'https://b.gis.example.gov.cn']);
  });

  it('tells an address on the city network from one on the internet', () => {
    for (const h of ['10.1.2.3', '172.16.0.1', '172.31.9.9', '192.168.1.20', '127.0.0.1', 'localhost', 'gis', 'tiles.city.local', '[::1]', '[fd12:3456::1]'])
      expect(isIntranetHost(h), h).toBe(true);
    for (const h of ['8.8.8.8', '172.32.0.1', '11.0.0.1', 'tiles.example.com', 'gis.example.gov.cn', '[2001:db8::1]']) expect(isIntranetHost(h), h).toBe(false);
  });
});

describe('withBasemap', () => {
  it('returns the style itself without a basemap: the city’s own tiles, nothing else', () => {
    expect(withBasemap(base, null)).toBe(base);
  });

  it('puts the basemap’s raster layers, bottom first, right above the background and under every layer of ours', () => {
    const style = withBasemap(base, TIANDITU);
    expect(validateStyleMin(style)).toEqual([]);
    expect(ids(style)).toEqual(['background', 'basemap-tianditu-vec', 'basemap-tianditu-cva', ...ids(base).slice(1)]);
    expect(style.sources['basemap-tianditu-vec']).toEqual({
      type: 'raster',
      tiles: TIANDITU.layers[0].tiles,
      tileSize: 256,
      maxzoom: 18,
      bounds: BBOX,
      attribution: TIANDITU_ATTRIBUTION,
    });
    // One credit, not one per layer.
    expect(style.sources['basemap-tianditu-cva']).not.toHaveProperty('attribution');
    // Our own vector tiles stay: the places, back streets, subdistricts and problems draw over the basemap.
    expect(style.sources.base).toEqual(base.sources.base);
    expect(style.sources.problems).toEqual(base.sources.problems);
  });

  it('hides our land, water and streets under a basemap, lightens the communities, and keeps what we inspect', () => {
    const style = withBasemap(base, CITY);
    for (const id of BASEMAP_REPLACES) expect(visibility(style, id), id).toBe('none');
    for (const id of ['back-street-line', 'market-symbol', 'subdistrict-line', 'problem-points', 'problem-clusters', 'community-line'])
      expect(visibility(style, id), id).toBe('visible');
    const fill = style.layers.find((l) => l.id === 'community-fill');
    expect(fill?.type === 'fill' && fill.paint?.['fill-opacity']).toBe(0.35);
    expect(style.sources['basemap-city-xyz']).toMatchObject({ maxzoom: 19, attribution: '© 示例市自然资源和规划局' });
    // The style given is not changed.
    expect(visibility(base, 'road')).toBe('visible');
  });

  it('asks a GCJ-02 service’s tiles through the protocol that shifts them onto our WGS-84 data', () => {
    const amap = basemapTiles({ kind: 'gcj02', url: AMAP_TEMPLATE, subdomains: ['1', '2'], attribution: '© 高德地图', maxzoom: 18 });
    expect(amap.layers).toEqual([{ id: 'gcj02', gcj02: true, tiles: [1, 2].map((i) => AMAP_TEMPLATE.replace('{s}', String(i))) }]);
    const style = withBasemap(base, amap);
    expect(validateStyleMin(style)).toEqual([]);
    expect(style.sources['basemap-gcj02']).toMatchObject({ type: 'raster', tiles: ['gcj02://basemap-gcj02/{z}/{x}/{y}'], attribution: '© 高德地图' });
    // The CSP allows the service's hosts, which the protocol fetches from.
    expect(basemapOrigins({ kind: 'gcj02', url: AMAP_TEMPLATE, subdomains: ['1', '2'], attribution: '©', maxzoom: 18 })).toEqual([
      'https://webrd01.is.autonavi.com',
      'https://webrd02.is.autonavi.com',
    ]);
  });

  it('dims the basemap on the night palette of the big screen only', () => {
    const night = withBasemap(buildMapStyle({ origin: ORIGIN, bbox: BBOX, problemQuery: '', hidden: [], palette: NIGHT_COLORS }), CITY);
    expect(night.layers.find((l) => l.id === 'basemap-city-xyz')).toMatchObject({ paint: { 'raster-brightness-max': 0.45 } });
    expect(withBasemap(base, CITY).layers.find((l) => l.id === 'basemap-city-xyz')).not.toHaveProperty('paint');
  });
});
