import { describe, expect, it } from 'vitest';
import type { StyleSpecification } from 'maplibre-gl';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { buildMapStyle } from '../../../../../client/src/map/map-style';
import { designFactor, scaleStyle, scaleValue } from '../../../../../client/src/pages/screen/map/screen-style';

describe('designFactor', () => {
  it('is screen.css --u: the smaller of width/1920 and height/1080', () => {
    expect(designFactor(1920, 1080)).toBe(1);
    expect(designFactor(3840, 2160)).toBe(2);
    expect(designFactor(7680, 2160)).toBe(2);
    expect(designFactor(0, 0)).toBe(1);
  });
});

describe('scaleValue', () => {
  it('scales numbers, the outputs of zoom curves, and wraps data expressions', () => {
    expect(scaleValue(12, 2)).toBe(24);
    expect(scaleValue(['interpolate', ['linear'], ['zoom'], 12, 10, 17, 14], 2)).toEqual(['interpolate', ['linear'], ['zoom'], 12, 20, 17, 28]);
    expect(scaleValue(['step', ['zoom'], 1, 13, 3], 2)).toEqual(['step', ['zoom'], 2, 13, 6]);
    expect(scaleValue(['get', 'w'], 2)).toEqual(['*', 2, ['get', 'w']]);
  });
});

describe('scaleStyle', () => {
  const style = buildMapStyle({ origin: 'http://127.0.0.1:1', bbox: [121, 31, 121.1, 31.1], problemQuery: '', hidden: [] });

  it('doubles every label and line of the app style at 4K and stays a valid style', () => {
    const big = scaleStyle(style, { text: 2.5, line: 2 });
    expect(validateStyleMin(big as StyleSpecification)).toEqual([]);
    const size = (s: StyleSpecification, id: string) => (s.layers.find((l) => l.id === id)!.layout as Record<string, unknown>)['text-size'];
    expect(size(big, 'water-label-river')).toBe(30);
    const width = (s: StyleSpecification, id: string) => (s.layers.find((l) => l.id === id)!.paint as Record<string, unknown>)['line-width'];
    expect(width(big, 'back-street-line')).toEqual(['interpolate', ['linear'], ['zoom'], 12, 2, 15, 5.2, 18, 10]);
    const icon = (big.layers.find((l) => l.id === 'market-symbol')!.layout as Record<string, unknown>)['icon-size'];
    expect(icon).toEqual(['interpolate', ['linear'], ['zoom'], 12, 1.3, 14, 1.7, 17, 2]);
    // Layers with nothing to scale are the same objects.
    expect(big.layers.find((l) => l.id === 'background')).toBe(style.layers.find((l) => l.id === 'background'));
  });

  it('changes nothing at factor 1', () => {
    expect(scaleStyle(style, { text: 1, line: 1 }).layers).toEqual(style.layers);
  });
});
