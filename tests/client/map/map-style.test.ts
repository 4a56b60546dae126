import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import type { BBox } from '../../../client/src/api/types';
import { LAYER_TOGGLES } from '../../../client/src/lib/layer-toggles';
import { buildMapStyle, COLORS, NIGHT_COLORS, CLICKABLE_LAYERS, SELECTED_LAYERS, TOGGLE_LAYERS } from '../../../client/src/map/map-style';

const BBOX: BBox = [115.95, 36.42, 116.03, 36.48];
const ORIGIN = 'http://127.0.0.1:43210';

describe('buildMapStyle', () => {
  const style = buildMapStyle({ origin: ORIGIN, bbox: BBOX, problemQuery: 'status=overdue', hidden: [] });
  const ids = style.layers.map((l) => l.id);

  it('is a valid MapLibre style', () => {
    expect(validateStyleMin(style)).toEqual([]);
  });

  it('asks for nothing outside the origin: no glyphs, no sprite, absolute tile URLs on the origin', () => {
    expect(style).not.toHaveProperty('glyphs');
    expect(style).not.toHaveProperty('sprite');
    const urls = Object.values(style.sources).flatMap((s) => ('tiles' in s ? (s.tiles ?? []) : []));
    expect(urls).toEqual([`${ORIGIN}/tiles/base/{z}/{x}/{y}.pbf`, `${ORIGIN}/tiles/problems/{z}/{x}/{y}.pbf?status=overdue`]);
  });

  it('keeps the tiles inside the city; overzooms the basemap above z14, asks for problem tiles to z20 (dense places stay clustered until then)', () => {
    expect(style.sources.base).toMatchObject({ type: 'vector', maxzoom: 14, bounds: BBOX });
    expect(style.sources.problems).toMatchObject({ type: 'vector', maxzoom: 20, bounds: BBOX });
  });

  it('has every layer the toggles, clicks and selection refer to, each once', () => {
    expect(new Set(ids).size).toBe(ids.length);
    const referenced = [...Object.values(TOGGLE_LAYERS).flat(), ...CLICKABLE_LAYERS, ...SELECTED_LAYERS];
    for (const id of referenced) expect(ids, id).toContain(id);
    expect(Object.keys(TOGGLE_LAYERS).sort()).toEqual([...LAYER_TOGGLES].sort());
  });

  it('draws labels only with local font stacks', () => {
    for (const layer of style.layers) {
      if (layer.type !== 'symbol' || !layer.layout?.['text-field']) continue;
      expect(layer.layout['text-font'], layer.id).toContain('Noto Sans CJK SC');
    }
  });

  it('starts hidden layers with visibility none and leaves the rest alone', () => {
    const hidden = buildMapStyle({ origin: ORIGIN, bbox: BBOX, problemQuery: '', hidden: ['markets', 'problems'] });
    const off = hidden.layers.filter((l) => l.layout && 'visibility' in l.layout && l.layout.visibility === 'none').map((l) => l.id);
    expect(off.sort()).toEqual([...TOGGLE_LAYERS.markets, ...TOGGLE_LAYERS.problems].sort());
    expect(hidden.sources.problems).toMatchObject({ tiles: [`${ORIGIN}/tiles/problems/{z}/{x}/{y}.pbf`] });
  });
});

describe('the night palette (the big screen)', () => {
  const night = buildMapStyle({ origin: ORIGIN, bbox: BBOX, problemQuery: '', hidden: [], palette: NIGHT_COLORS });
  const basemap = night.layers.filter((l) => !('source' in l) || l.source !== 'problems');

  it('draws the land dark', () => {
    expect(night.layers.find((l) => l.id === 'background')?.paint).toEqual({ 'background-color': NIGHT_COLORS.land });
  });

  it('leaves no day colour in the basemap (a hard-coded colour would glare on the wall)', () => {
    const nightValues = new Set(Object.values(NIGHT_COLORS));
    const dayOnly = new Set<string>(Object.values(COLORS).filter((c) => !nightValues.has(c)));
    const colours = JSON.stringify(basemap.map((l) => l.paint ?? {})).match(/#[0-9a-f]{6}|rgba?\([^)]*\)/gi) ?? [];
    expect(colours.length).toBeGreaterThan(10);
    expect(colours.filter((c) => dayOnly.has(c))).toEqual([]);
  });

  it('keeps the day map as it was', () => {
    expect(buildMapStyle({ origin: ORIGIN, bbox: BBOX, problemQuery: '', hidden: [], palette: COLORS })).toEqual(
      buildMapStyle({ origin: ORIGIN, bbox: BBOX, problemQuery: '', hidden: [] }),
    );
  });
});
