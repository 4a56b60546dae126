import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCity } from '../../../scripts/import/import-city';
import { gcj02, metres, OSM_FIXTURES, tempDir } from './helpers';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A generic (non-osmium) GeoJSON: properties are the tags; ids come from the feature index. */
function cityGeoJson(project: (p: [number, number]) => [number, number]) {
  const line = (a: [number, number], b: [number, number], props: object) => ({
    type: 'Feature',
    properties: props,
    geometry: { type: 'LineString', coordinates: [project(a), project(b)] },
  });
  return {
    type: 'FeatureCollection',
    features: [
      line([118.78, 32.04], [118.79, 32.04], { highway: 'primary', name: '中山东路' }),
      line([118.785, 32.035], [118.785, 32.04], { highway: 'residential', name: '科巷' }),
      { type: 'Feature', properties: { amenity: 'marketplace', name: '科巷菜市场' }, geometry: { type: 'Point', coordinates: project([118.786, 32.038]) } },
    ],
  };
}

describe('GeoJSON', () => {
  it('reads plain GeoJSON (properties as tags) and converts GCJ-02 with --crs', async () => {
    const file = join(dir, 'amap.geojson');
    writeFileSync(file, JSON.stringify(cityGeoJson(gcj02)));
    const dataDir = join(dir, 'gcj');
    const s = await importCity({ file, dataDir, crs: 'gcj02', name: '测试' });
    expect(s.counts).toMatchObject({ roads: 2, markets: 1, backStreets: 1 });
    const market = JSON.parse(readFileSync(join(dataDir, 'layers', 'markets.geojson'), 'utf8')).features[0];
    expect(market.properties.id).toBe('mkf3');
    expect(metres(market.geometry.coordinates, [118.786, 32.038])).toBeLessThan(1);
    const lane = JSON.parse(readFileSync(join(dataDir, 'layers', 'back-streets.geojson'), 'utf8')).features[0];
    expect(metres(lane.geometry.coordinates[1], [118.785, 32.04])).toBeLessThan(1);
  });

  it('names the feature that is not a Feature', async () => {
    const file = join(dir, 'bad.geojson');
    writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: [cityGeoJson((p) => p).features[0], { type: 'Point' }] }));
    await expect(importCity({ file, dataDir: join(dir, 'bad') })).rejects.toThrow('bad.geojson: feature 2 is not a GeoJSON Feature with a geometry');
  });

  it('refuses --crs for OSM files, which are WGS84 by definition', async () => {
    await expect(importCity({ file: join(OSM_FIXTURES, 'roads.osm'), dataDir: join(dir, 'osm'), crs: 'bd09' })).rejects.toThrow(
      'roads.osm: OpenStreetMap data is always WGS84; drop --crs bd09',
    );
  });
});
