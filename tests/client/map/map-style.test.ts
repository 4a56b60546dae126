import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import type { BBox } from '../../../client/src/api/types';
import { LAYER_TOGGLES } from '../../../client/src/lib/layer-toggles';
import {
  buildMapStyle,
  CLICKABLE_LAYERS,
  SELECTED_LAYERS,
  TOGGLE_LAYERS,
} from '../../../client/src/map/map-style';

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

  it('keeps the tiles inside the city and overzooms above z14', () => {
    for (const source of Object.values(style.sources)) {
      expect(source).toMatchObject({ type: 'vector', maxzoom: 14, bounds: BBOX });
    }
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
