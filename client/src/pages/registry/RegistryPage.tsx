/**
 * 点位管理 — the point registry in the office: find a point, draw a new one on the map, move or redraw
 * one, change who answers for it, retire and restore it, see its history and undo its latest edit.
 * Every save is a new version of the point; someone else's edit in between is shown, not overwritten.
 */
import { useCallback, useMemo, useState } from 'react';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { listLeaders, listRegistry, registryXlsxUrl } from '../../api/places';
import type { Me, Meta } from '../../api/types';
import { describeError } from '../../app/describe-error';
import { ErrorBanner } from '../../app/ErrorBanner';
import type { Lang } from '../../app/i18n';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import type { UrlState } from '../../app/url-state';
import { rememberPointTypes } from '../../lib/kinds';
import { baseTileUrl, buildMapStyle } from '../../map/map-style';
import { MapView, type MapFocus, type MapHit, type MapSelection } from '../../map/MapView';
import { PlaceEditor, type Editing } from './PlaceEditor';
import { SheetImport } from './SheetImport';
import { GridPanel } from './GridPanel';
import { useMediaQuery } from '../../app/use-media-query';
import { useDraw } from './use-draw';
import type { Geometry } from '../../../../server/contract/geojson';
import './registry.css';

const LIST_SHOWN = 200;
const DESKTOP_FIT_PADDING = { top: 24, right: 24, bottom: 24, left: 24 };
/** On a phone the list is a sheet over the lower three quarters (app.css .sidebar): the city is fitted above it. */
const PHONE_SHEET_SHARE = 0.75;
const FOCUS_ZOOM = 17;

export function RegistryPage({ meta, initial, lang }: { meta: Meta; me: Me; initial: UrlState; lang: Lang }) {
  const isPhone = useMediaQuery('(max-width: 720px)');
  const { t } = useI18n();
  rememberPointTypes(meta.pointTypes);
  const [kind, setKind] = useState('');
  const [subdistrict, setSubdistrict] = useState('');
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<'in-use' | 'retired'>('in-use');
  const [editing, setEditing] = useState<Editing | null>(null);
  const [geometry, setGeometry] = useState<Geometry | null>(null);
  const [revision, setRevision] = useState(0);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [focus, setFocus] = useState<MapFocus | null>(null);
  const [mapErrors, setMapErrors] = useState<string[]>([]);
  const [tab, setTab] = useState<'points' | 'grids'>('points');
  const draw = useDraw(map, setGeometry);

  const origin = window.location.origin;
  const [style] = useState(() => buildMapStyle({ origin, bbox: meta.city.bbox, problemQuery: '', hidden: ['problems'] }));
  // A new URL after each save: the edited point's tiles are fetched again (the server revalidates them too).
  const baseTiles = revision ? `${baseTileUrl(origin)}?r=${revision}` : undefined;

  const list = useRequest(
    (signal) => listRegistry({ kind: kind || undefined, subdistrict: subdistrict || undefined, q: q.trim() || undefined, status }, signal),
    [kind, subdistrict, q, status, revision],
  );
  const leaders = useRequest((signal) => listLeaders(signal), []);

  const kindName = useCallback(
    (k: string) => (k === 'market' || k === 'community' || k === 'back-street' ? t(`kind.${k}`) : (meta.pointTypes.find((p) => p.id === k)?.[lang] ?? k)),
    [meta.pointTypes, lang, t],
  );
  const kinds = useMemo(() => {
    const ids = ['market', 'community', 'back-street', ...meta.pointTypes.map((p) => p.id)];
    return [...new Set(ids)];
  }, [meta.pointTypes]);

  const open = useCallback(
    (id: string, at?: [number, number]) => {
      draw.clear();
      setGeometry(null);
      setEditing({ id });
      if (at) setFocus((f) => ({ center: at, zoom: FOCUS_ZOOM, key: (f?.key ?? 0) + 1 }));
    },
    [draw],
  );
  const onHit = useCallback(
    (hit: MapHit) => {
      if (hit.kind === 'place' && !draw.drawing && tab === 'points') open(hit.id);
    },
    [open, draw.drawing, tab],
  );
  const close = useCallback(() => {
    draw.clear();
    setGeometry(null);
    setEditing(null);
  }, [draw]);
  const onSaved = useCallback(
    (id: string) => {
      setRevision((r) => r + 1);
      draw.clear();
      setGeometry(null);
      setEditing({ id });
    },
    [draw],
  );

  const selected = useMemo<MapSelection | null>(() => (editing && 'id' in editing ? { kind: editing.kind ?? '', id: editing.id } : null), [editing]);
  const places = list.data?.places ?? [];
  const banners = [...mapErrors, ...(list.error ? [describeError(list.error, t)] : [])];

  return (
    <div className={`map-page registry-page${editing ? ' has-detail' : ''}`}>
      <aside className="sidebar open registry-sidebar" aria-label={t('registry.title')}>
        <div className="registry-tabs" role="tablist">
          {(['points', 'grids'] as const).map((k) => (
            <button
              key={k}
              type="button"
              role="tab"
              aria-selected={tab === k}
              className={tab === k ? 'active' : ''}
              data-testid={`registry-tab-${k}`}
              onClick={() => {
                close();
                setTab(k);
              }}
            >
              {t(`registry.tab.${k}`)}
            </button>
          ))}
        </div>
        {tab === 'grids' ? (
          <GridPanel
            map={map}
            draw={draw}
            geometry={geometry}
            onGeometry={setGeometry}
            subdistrictName={(id) => meta.subdistricts.find((s) => s.id === id)?.name ?? ''}
          />
        ) : (
          <>
            <div className="registry-head">
              <h2>{t('registry.title')}</h2>
              <button
                type="button"
                className="primary"
                data-testid="registry-add"
                onClick={() => {
                  draw.clear();
                  setGeometry(null);
                  setEditing({ kind: 'market' });
                }}
              >
                {t('registry.add')}
              </button>
            </div>
            <div className="registry-filters">
              <input type="search" value={q} placeholder={t('registry.search')} aria-label={t('registry.search')} onChange={(e) => setQ(e.target.value)} />
              <select value={kind} aria-label={t('registry.kind')} onChange={(e) => setKind(e.target.value)}>
                <option value="">{t('registry.allKinds')}</option>
                {kinds.map((k) => (
                  <option key={k} value={k}>
                    {kindName(k)}
                  </option>
                ))}
              </select>
              <select value={subdistrict} aria-label={t('registry.subdistrict')} onChange={(e) => setSubdistrict(e.target.value)}>
                <option value="">{t('registry.allSubdistricts')}</option>
                {meta.subdistricts.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
              <select value={status} aria-label={t('registry.status')} onChange={(e) => setStatus(e.target.value as 'in-use' | 'retired')}>
                <option value="in-use">{t('registry.inUse')}</option>
                <option value="retired">{t('registry.retired')}</option>
              </select>
            </div>
            <div className="registry-sheet">
              <a
                className="button"
                href={registryXlsxUrl({ kind: kind || undefined, subdistrict: subdistrict || undefined })}
                download
                title={t('registry.exportHint')}
                data-testid="registry-export"
              >
                {t('registry.export')}
              </a>
              {(['sheet', 'map'] as const).map((mode) => (
                <SheetImport
                  key={mode}
                  mode={mode}
                  lang={lang}
                  kindName={kindName}
                  subdistrictName={(id) => meta.subdistricts.find((s) => s.id === id)?.name ?? id}
                  subdistrictCount={meta.subdistricts.length}
                  onApplied={() => setRevision((r) => r + 1)}
                />
              ))}
            </div>
            <p className="registry-count" role="status">
              {list.loading ? t('panel.loading') : t('registry.count', { n: places.length })}
            </p>
            {!list.loading && places.length === 0 && <p className="registry-empty">{t('registry.empty')}</p>}
            <ul className="registry-list" data-testid="registry-list">
              {places.slice(0, LIST_SHOWN).map((p) => (
                <li key={p.id}>
                  <button type="button" className={editing && 'id' in editing && editing.id === p.id ? 'current' : ''} onClick={() => open(p.id, p.at)}>
                    <span className="registry-name">{p.name}</span>
                    <span className="registry-meta">
                      {kindName(p.kind)} · {meta.subdistricts.find((s) => s.id === p.subdistrictId)?.name ?? '—'}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
            {places.length > LIST_SHOWN && <p className="registry-more">{t('registry.more', { n: LIST_SHOWN, total: places.length })}</p>}
          </>
        )}
      </aside>
      <section className="map-area">
        <MapView
          style={style}
          initialView={initial.view}
          fitBounds={meta.city.bbox}
          fitPadding={isPhone ? { top: 12, right: 12, bottom: Math.round(window.innerHeight * PHONE_SHEET_SHARE), left: 12 } : DESKTOP_FIT_PADDING}
          attribution={meta.city.attribution}
          baseTiles={baseTiles}
          hidden={['problems']}
          selected={selected}
          focus={focus}
          ariaLabel={t('app.mapLabel')}
          onHit={onHit}
          onMap={setMap}
          onError={(m) => setMapErrors((l) => (l.includes(m) ? l : [...l, m]))}
        />
        {draw.drawing && (
          <div className="map-notice registry-hint" role="status" data-testid="draw-hint">
            {t(tab === 'grids' ? 'grid.drawFirst' : `registry.hint.${draw.drawing}`)}
          </div>
        )}
        {banners.length > 0 && (
          <div className="map-banners">
            <ErrorBanner messages={banners} onDismiss={() => setMapErrors([])} />
          </div>
        )}
        {editing && (
          <PlaceEditor
            key={'id' in editing ? editing.id : 'new'}
            meta={meta}
            lang={lang}
            editing={editing}
            kinds={kinds}
            kindName={kindName}
            leaders={leaders.data?.leaders ?? []}
            geometry={geometry}
            draw={draw}
            onGeometry={setGeometry}
            onKind={(k) => setEditing({ kind: k })}
            onLoaded={(k) => setEditing((e) => (e && 'id' in e && e.kind !== k ? { ...e, kind: k } : e))}
            onSaved={onSaved}
            onClose={close}
          />
        )}
      </section>
    </div>
  );
}
