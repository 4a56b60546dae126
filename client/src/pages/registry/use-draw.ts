/**
 * Drawing and adjusting one point's geometry on the registry page's map with terra-draw (its MapLibre
 * adapter): draw a new point, line or area, or load a point's geometry to drag it and its vertices.
 * The page holds the geometry; this hook tells it each change.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Map as MapLibreMap } from 'maplibre-gl';
import {
  TerraDraw,
  TerraDrawLineStringMode,
  TerraDrawPointMode,
  TerraDrawPolygonMode,
  TerraDrawSelectMode,
  ValidateNotSelfIntersecting,
  type GeoJSONStoreFeatures,
} from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import type { Geometry } from '../../../../server/contract/geojson';

/** The shapes a point of the registry is drawn as. */
export type Shape = 'point' | 'linestring' | 'polygon';

export function shapeOf(g: Geometry): Shape | null {
  if (g.type === 'Point') return 'point';
  if (g.type === 'LineString') return 'linestring';
  if (g.type === 'Polygon' && g.coordinates.length === 1) return 'polygon';
  // Several parts or holes: terra-draw edits single shapes; such a point can be redrawn, not adjusted.
  return null;
}

const EDITABLE = { draggable: true, coordinates: { draggable: true, midpoints: true, deletable: true } };

export interface Draw {
  /** Set once the map is there. */
  ready: boolean;
  /** What is being drawn now (a click on the map adds to it), or null. */
  drawing: Shape | null;
  /** Start drawing a new shape; the previous one is dropped. */
  start(shape: Shape): void;
  /** Show `g` for adjusting (drag it, its vertices, add one at a midpoint). */
  adjust(g: Geometry): void;
  /** Take everything off the map. */
  clear(): void;
}

/**
 * terra-draw on `map` (null until MapView hands it over). `onGeometry` hears the geometry when a
 * drawing finishes and after every adjustment.
 */
export function useDraw(map: MapLibreMap | null, onGeometry: (g: Geometry) => void): Draw {
  const drawRef = useRef<TerraDraw | null>(null);
  const [drawing, setDrawing] = useState<Shape | null>(null);
  const onGeometryRef = useRef(onGeometry);
  onGeometryRef.current = onGeometry;

  useEffect(() => {
    if (!map) return;
    const draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map }),
      modes: [
        new TerraDrawPointMode(),
        new TerraDrawLineStringMode(),
        // An outline that crosses itself is refused while it is drawn (the server refuses it too).
        new TerraDrawPolygonMode({ validation: (feature) => ValidateNotSelfIntersecting(feature) }),
        new TerraDrawSelectMode({ flags: { point: { feature: { draggable: true } }, linestring: { feature: EDITABLE }, polygon: { feature: EDITABLE } } }),
      ],
    });
    draw.start();
    const report = (id: string | number) => {
      const f = draw.getSnapshotFeature(id);
      if (f) onGeometryRef.current(f.geometry as Geometry);
    };
    draw.on('finish', (id, context) => {
      report(id);
      if (context.action === 'draw') {
        setDrawing(null);
        draw.setMode('select');
        draw.selectFeature(id);
      }
    });
    drawRef.current = draw;
    window.__xunchaDraw = draw;
    return () => {
      drawRef.current = null;
      if (window.__xunchaDraw === draw) delete window.__xunchaDraw;
      // The map may be going too: terra-draw's stop removes its layers, which needs the map's style.
      if (map.getStyle()) draw.stop();
    };
  }, [map]);

  const clear = useCallback(() => {
    const draw = drawRef.current;
    if (!draw) return;
    draw.setMode('select');
    draw.clear();
    setDrawing(null);
  }, []);

  const start = useCallback((shape: Shape) => {
    const draw = drawRef.current;
    if (!draw) return;
    draw.clear();
    draw.setMode(shape);
    setDrawing(shape);
  }, []);

  const adjust = useCallback((g: Geometry) => {
    const draw = drawRef.current;
    const shape = shapeOf(g);
    if (!draw || !shape) return;
    draw.clear();
    draw.setMode('select');
    const feature = { type: 'Feature', geometry: g, properties: { mode: shape } } as unknown as GeoJSONStoreFeatures;
    const [added] = draw.addFeatures([feature]);
    if (added?.valid && added.id !== undefined) draw.selectFeature(added.id);
    setDrawing(null);
  }, []);

  return { ready: map !== null, drawing, start, adjust, clear };
}
