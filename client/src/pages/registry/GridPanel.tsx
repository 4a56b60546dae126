/**
 * 网格 on the registry page: the city's grids (网格化管理) with their 网格员, drawn on the map, changed,
 * deleted, or imported from a GeoJSON; outlined on the map while this tab is open, a click on one opens
 * it. The planner takes them as a stop filter.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { GeoJSONSource, Map as MapLibreMap, MapLayerMouseEvent } from 'maplibre-gl';
import { createGrid, deleteGrid, importGrids, listGrids, patchGrid } from '../../api/grids';
import { describeError } from '../../app/describe-error';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import type { Geometry } from '../../../../server/contract/geojson';
import { pointMarker } from '../../../../server/contract/geo';
import type { GridFeature } from '../../../../server/contract/grids';
import { isPhoneNumber } from '../../../../server/contract/registry';
import type { Draw } from './use-draw';
import { FONT_REGULAR } from '../../map/map-style';

const SOURCE = 'registry-grids';
const FILL = 'registry-grids-fill';
const LINE = 'registry-grids-line';
const LABEL = 'registry-grids-label';
/** One label per grid at its inside point (a polygon's own labels repeat on every tile it spans). */
const LABEL_SOURCE = 'registry-grids-labels';

type Form = { name: string; member: string; phone: string };
const EMPTY: Form = { name: '', member: '', phone: '' };

export function GridPanel({
  map,
  draw,
  geometry,
  onGeometry,
  subdistrictName,
}: {
  map: MapLibreMap | null;
  draw: Draw;
  geometry: Geometry | null;
  onGeometry: (g: Geometry | null) => void;
  subdistrictName: (id: string | null) => string;
}) {
  const { t } = useI18n();
  const [revision, setRevision] = useState(0);
  const grids = useRequest((signal) => listGrids(signal), [revision]);
  const [editing, setEditing] = useState<GridFeature | 'new' | null>(null);
  const [form, setForm] = useState<Form>(EMPTY);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const features = useMemo(() => grids.data?.features ?? [], [grids.data]);

  const open = useCallback(
    (g: GridFeature | 'new') => {
      setError(null);
      setNotice(null);
      setEditing(g);
      onGeometry(null);
      if (g === 'new') {
        setForm(EMPTY);
        draw.start('polygon');
      } else {
        setForm({ name: g.properties.name, member: g.properties.member ?? '', phone: g.properties.phone ?? '' });
        draw.adjust(g.geometry as Geometry);
      }
    },
    [draw, onGeometry],
  );
  const close = useCallback(() => {
    draw.clear();
    onGeometry(null);
    setEditing(null);
    setError(null);
  }, [draw, onGeometry]);

  // The outlines on the map, with their names; a click opens the grid.
  const openRef = useRef(open);
  openRef.current = open;
  const featuresRef = useRef(features);
  featuresRef.current = features;
  // A click while an outline is being drawn adds a vertex; it does not open the grid under it — nor does
  // the click that closes a new outline, or any while the new grid's form is open (a city covered by grids
  // has one under every click).
  const drawingRef = useRef(draw.drawing);
  drawingRef.current = draw.drawing;
  const newRef = useRef(false);
  newRef.current = editing === 'new';
  useEffect(() => {
    if (!map) return;
    map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addSource(LABEL_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({ id: FILL, type: 'fill', source: SOURCE, paint: { 'fill-color': '#7c3aed', 'fill-opacity': 0.08 } });
    map.addLayer({ id: LINE, type: 'line', source: SOURCE, paint: { 'line-color': '#7c3aed', 'line-width': 2, 'line-dasharray': [3, 2] } });
    map.addLayer({
      id: LABEL,
      type: 'symbol',
      source: LABEL_SOURCE,
      layout: { 'text-field': ['get', 'name'], 'text-size': 13, 'text-font': FONT_REGULAR },
      paint: { 'text-color': '#5b21b6', 'text-halo-color': '#fff', 'text-halo-width': 1.5 },
    });
    const onClick = (e: MapLayerMouseEvent) => {
      const id = e.features?.[0]?.properties?.id as string | undefined;
      const g = featuresRef.current.find((f) => f.id === id);
      if (g && !drawingRef.current && !newRef.current) openRef.current(g);
    };
    map.on('click', FILL, onClick);
    // The outlines leave the map with the tab.
    return () => {
      map.off('click', FILL, onClick);
      if (!map.getStyle()) return;
      for (const id of [LABEL, LINE, FILL]) if (map.getLayer(id)) map.removeLayer(id);
      for (const id of [SOURCE, LABEL_SOURCE]) if (map.getSource(id)) map.removeSource(id);
    };
  }, [map]);
  useEffect(() => {
    const source = map?.getSource(SOURCE) as GeoJSONSource | undefined;
    source?.setData({
      type: 'FeatureCollection',
      features: features.map((f) => ({ ...f, properties: { ...f.properties, id: f.id } })),
    } as GeoJSON.FeatureCollection);
    const labels = map?.getSource(LABEL_SOURCE) as GeoJSONSource | undefined;
    labels?.setData({
      type: 'FeatureCollection',
      features: features.map((f) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: pointMarker(f.geometry as Geometry, null) },
        properties: { name: f.properties.name },
      })),
    });
  }, [map, features]);

  const phoneBad = form.phone.trim() !== '' && !isPhoneNumber(form.phone);
  const outline = geometry ?? (editing && editing !== 'new' ? (editing.geometry as Geometry) : null);
  const save = async () => {
    if (!editing || !outline || !form.name.trim() || phoneBad) return;
    setSaving(true);
    setError(null);
    try {
      const fields = { name: form.name.trim(), member: form.member.trim() || null, phone: form.phone.trim() || null };
      const geometryField = geometry ? { geometry: geometry as GridFeature['geometry'] } : {};
      const saved =
        editing === 'new'
          ? await createGrid({ ...fields, geometry: outline as GridFeature['geometry'] })
          : await patchGrid(editing.id, { version: editing.properties.version, ...fields, ...geometryField });
      setRevision((r) => r + 1);
      setNotice(t('grid.saved', { name: saved.properties.name }));
      draw.clear();
      onGeometry(null);
      setEditing(null);
    } catch (err) {
      setError(describeError(err instanceof Error ? err : new Error(String(err)), t));
    } finally {
      setSaving(false);
    }
  };
  const remove = async () => {
    if (!editing || editing === 'new' || !window.confirm(t('grid.confirmDelete', { name: editing.properties.name }))) return;
    try {
      await deleteGrid(editing.id);
      setRevision((r) => r + 1);
      close();
    } catch (err) {
      setError(describeError(err instanceof Error ? err : new Error(String(err)), t));
    }
  };
  const upload = async (file: File) => {
    setError(null);
    setNotice(t('grid.importing'));
    try {
      const r = await importGrids(file);
      setNotice(t('grid.imported', { added: r.added, replaced: r.replaced }));
      setRevision((n) => n + 1);
    } catch (err) {
      setNotice(null);
      setError(describeError(err instanceof Error ? err : new Error(String(err)), t));
    } finally {
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  return (
    <div className="grid-panel" data-testid="grid-panel">
      <div className="registry-sheet">
        <button type="button" className="primary" onClick={() => open('new')} disabled={!draw.ready} data-testid="grid-add">
          {t('grid.add')}
        </button>
        <label className="button registry-import-button" title={t('grid.importHint')}>
          {t('grid.import')}
          <input
            ref={fileInput}
            type="file"
            accept=".geojson,.json,application/geo+json"
            data-testid="grid-import-file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void upload(f);
            }}
          />
        </label>
      </div>
      {notice && (
        <p role="status" className="hint" data-testid="grid-notice">
          {notice}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert" data-testid="grid-error">
          {error}
        </p>
      )}
      {editing && (
        <form
          className="grid-form"
          data-testid="grid-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <h3>{editing === 'new' ? t('grid.new') : editing.properties.name}</h3>
          <p className="hint">{outline ? t(editing === 'new' ? 'grid.drawn' : 'grid.adjust') : t('grid.drawFirst')}</p>
          <label>
            {t('grid.name')} *
            <input value={form.name} maxLength={80} onChange={(e) => setForm({ ...form, name: e.target.value })} data-testid="grid-name" />
          </label>
          <label>
            {t('grid.member')}
            <input value={form.member} maxLength={50} onChange={(e) => setForm({ ...form, member: e.target.value })} data-testid="grid-member" />
          </label>
          <label>
            {t('grid.phone')}
            <input value={form.phone} maxLength={40} onChange={(e) => setForm({ ...form, phone: e.target.value })} aria-invalid={phoneBad} />
          </label>
          {phoneBad && <p className="form-error">{t('registry.phoneBad')}</p>}
          <div className="registry-actions">
            <button type="submit" className="primary" disabled={saving || !outline || !form.name.trim() || phoneBad} data-testid="grid-save">
              {t('registry.save')}
            </button>
            {editing !== 'new' && (
              <button type="button" onClick={() => draw.start('polygon')} disabled={saving}>
                {t('registry.redraw')}
              </button>
            )}
            {editing !== 'new' && (
              <button type="button" className="danger" onClick={() => void remove()} disabled={saving} data-testid="grid-delete">
                {t('grid.delete')}
              </button>
            )}
            <button type="button" onClick={close} disabled={saving}>
              {t('registry.cancel')}
            </button>
          </div>
        </form>
      )}
      <p className="registry-count" role="status">
        {grids.loading ? t('panel.loading') : t('grid.count', { n: features.length })}
      </p>
      {grids.error && <p className="form-error">{describeError(grids.error, t)}</p>}
      {!grids.loading && features.length === 0 && <p className="registry-empty">{t('grid.empty')}</p>}
      <ul className="registry-list" data-testid="grid-list">
        {features.map((g) => (
          <li key={g.id}>
            <button type="button" className={editing !== 'new' && editing?.id === g.id ? 'current' : ''} onClick={() => open(g)}>
              <span className="registry-name">{g.properties.name}</span>
              <span className="registry-meta">
                {[
                  subdistrictName(g.properties.subdistrictId),
                  g.properties.member ? t('grid.memberIs', { name: g.properties.member }) : null,
                  t('grid.points', { n: g.properties.points }),
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
