/**
 * The registry page's panel for one point: a new one (pick its type, draw it, fill in its fields) or an
 * existing one (its fields, 调整位置 / 重画 on the map, 停用 / 恢复, 撤销上一步 and its history).
 */
import { useEffect, useState } from 'react';
import { createPlace, getPlace, getPlaceHistory, patchPlace, placeAction } from '../../api/places';
import type { Meta } from '../../api/types';
import { ApiError } from '../../api/client';
import type { Lang } from '../../app/i18n';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import { describeError } from '../../app/describe-error';
import type { Geometry } from '../../../../server/contract/geojson';
import { toCityIso } from '../../../../server/contract/city-time';
import { isPhoneNumber, REGISTRY_FIELD_NAMES, type RegistryField } from '../../../../server/contract/registry';
import { shapeOf, type Draw, type Shape } from './use-draw';
import { PlacePhotos } from './PlacePhotos';
import { snapLine } from '../../lib/snap-line';
import { getRoute } from '../../api/routing';
import type { LngLat } from '../../../../server/contract/geo';

export type Editing = { id: string; kind?: string } | { kind: string };

const SHAPE_OF_KIND: Record<string, Shape> = { market: 'point', community: 'polygon', 'back-street': 'linestring' };
type TextField = 'name' | 'address' | 'keeper' | 'contact' | 'phone' | 'notes';
type Form = Record<TextField, string> & { subdistrictId: string; unitId: string; leaderId: string };

const EMPTY_FORM: Form = { name: '', address: '', keeper: '', contact: '', phone: '', notes: '', subdistrictId: '', unitId: '', leaderId: '' };

interface Props {
  meta: Meta;
  lang: Lang;
  editing: Editing;
  kinds: string[];
  kindName: (kind: string) => string;
  leaders: { id: number; displayName: string }[];
  /** The geometry drawn or adjusted on the map, null while nothing was. */
  geometry: Geometry | null;
  draw: Draw;
  /** The geometry replaced from here (a line laid onto the streets): shown on the map to adjust, and saved. */
  onGeometry: (g: Geometry) => void;
  onKind: (kind: string) => void;
  onLoaded: (kind: string) => void;
  onSaved: (id: string) => void;
  onClose: () => void;
}

export function PlaceEditor({ meta, lang, editing, kinds, kindName, leaders, geometry, draw, onGeometry, onKind, onLoaded, onSaved, onClose }: Props) {
  const { t } = useI18n();
  const id = 'id' in editing ? editing.id : null;
  const [reload, setReload] = useState(0);
  const detail = useRequest(id ? (signal) => getPlace(id, signal) : null, [id, reload]);
  const history = useRequest(id ? (signal) => getPlaceHistory(id, signal) : null, [id, reload]);
  const [form, setForm] = useState<Form>(EMPTY_FORM);
  const [shape, setShape] = useState<Shape>(SHAPE_OF_KIND[editing.kind ?? 'market'] ?? 'point');
  const [saving, setSaving] = useState(false);
  const [snapping, setSnapping] = useState(false);
  const [error, setError] = useState<{ message: string; conflict: boolean } | null>(null);
  const [reason, setReason] = useState('');
  const [photos, setPhotos] = useState<string[]>([]);
  const place = detail.data;
  const kind = place?.properties.kind ?? editing.kind ?? 'market';

  useEffect(() => {
    if (!place) return;
    const p = place.properties;
    setForm({
      name: p.name,
      address: p.address ?? '',
      keeper: p.keeper ?? '',
      contact: p.contact ?? '',
      phone: p.phone ?? '',
      notes: p.notes ?? '',
      subdistrictId: p.subdistrictId ?? '',
      unitId: p.unitId ?? '',
      leaderId: p.leaderId === null ? '' : String(p.leaderId),
    });
    setPhotos(p.photos.map((ph) => ph.hash));
    onLoaded(p.kind);
    // onLoaded only names the kind to the page; a new one each render must not reload the form.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [place]);

  const set = (field: keyof Form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [field]: e.target.value }));
  const phoneBad = form.phone.trim() !== '' && !isPhoneNumber(form.phone);
  const nameMissing = form.name.trim() === '';
  const needsGeometry = !id && !geometry;
  // A line drawn now, else the point's own: laid onto the streets it is walked along.
  const line = geometry?.type === 'LineString' ? geometry : detail.data?.geometry.type === 'LineString' ? detail.data.geometry : null;
  const snap = async () => {
    if (!line) return;
    setSnapping(true);
    setError(null);
    try {
      const coordinates = await snapLine(
        line.coordinates as LngLat[],
        async (from, to) => (await getRoute(from, to, 'walk', new AbortController().signal)).geometry.coordinates,
      );
      const snapped: Geometry = { type: 'LineString', coordinates };
      onGeometry(snapped);
      draw.adjust(snapped);
    } catch (err) {
      setError({ message: describeError(err as Error, t), conflict: false });
    } finally {
      setSnapping(false);
    }
  };
  const snapButton = line && (kind === 'back-street' || line === geometry) && (
    <button type="button" disabled={snapping || !draw.ready} onClick={() => void snap()} title={t('registry.snapHint')} data-testid="registry-snap">
      {snapping ? t('registry.snapping') : t('registry.snap')}
    </button>
  );

  async function save() {
    setSaving(true);
    setError(null);
    const fields = {
      name: form.name.trim(),
      address: form.address.trim() || null,
      keeper: form.keeper.trim() || null,
      contact: form.contact.trim() || null,
      phone: form.phone.trim() || null,
      notes: form.notes.trim() || null,
      unitId: form.unitId || null,
      leaderId: form.leaderId ? Number(form.leaderId) : null,
      // Left on 自动, the server places it in the subdistrict it lies in.
      ...(form.subdistrictId ? { subdistrictId: form.subdistrictId } : {}),
    };
    try {
      if (!id) {
        const created = await createPlace({ kind, geometry: geometry!, ...fields, ...(photos.length ? { photos } : {}) });
        onSaved(created.id);
      } else if (place) {
        const p = place.properties;
        const changed: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(fields)) if (v !== ((p as Record<string, unknown>)[k] ?? null)) changed[k] = v;
        if (geometry) changed.geometry = geometry;
        if (photos.join() !== p.photos.map((ph) => ph.hash).join()) changed.photos = photos;
        await patchPlace(id, { version: p.version, ...changed });
        setReload((r) => r + 1);
        onSaved(id);
      }
    } catch (err) {
      setError({ message: describeError(err as Error, t), conflict: err instanceof ApiError && err.status === 409 });
    } finally {
      setSaving(false);
    }
  }

  async function act(action: 'retire' | 'restore' | 'undo') {
    if (!place || !id) return;
    setSaving(true);
    setError(null);
    try {
      await placeAction(id, action, place.properties.version, reason.trim());
      setReason('');
      setReload((r) => r + 1);
      onSaved(id);
    } catch (err) {
      setError({ message: describeError(err as Error, t), conflict: err instanceof ApiError && err.status === 409 });
    } finally {
      setSaving(false);
    }
  }

  const value = (field: RegistryField, v: unknown): string => {
    if (v === null || v === undefined || v === '') return '—';
    if (field === 'geometry' || field === 'entrance') return t('registry.moved');
    if (field === 'subdistrictId') return meta.subdistricts.find((s) => s.id === v)?.name ?? String(v);
    if (field === 'unitId') return meta.units.find((u) => u.id === v)?.name ?? String(v);
    if (field === 'leaderId') return leaders.find((l) => l.id === v)?.displayName ?? String(v);
    if (field === 'kind') return kindName(String(v));
    if (field === 'retired') return v === true ? t('registry.retired') : String(v);
    if (field === 'photos') return Array.isArray(v) && v.length ? t('registry.photos.count', { n: v.length }) : '—';
    return String(v);
  };

  const retired = place?.properties.retiredAt ?? null;
  const editable = place ? shapeOf(place.geometry) !== null : false;

  return (
    <div className="detail-panel registry-editor" role="dialog" aria-label={id ? t('registry.edit') : t('registry.add')} data-testid="place-editor">
      <button type="button" className="detail-close" onClick={onClose} aria-label={t('panel.close')} title={t('panel.close')}>
        ×
      </button>
      <div className="detail-body">
        <h3 className="detail-title">{id ? (place?.properties.name ?? t('panel.loading')) : t('registry.add')}</h3>
        {detail.error && <p className="form-error">{describeError(detail.error, t)}</p>}
        {retired && (
          <p className="registry-retired" role="status">
            {t('registry.retiredAt', { at: toCityIso(Date.parse(retired)).slice(0, 10), reason: place?.properties.retiredReason ?? '' })}
          </p>
        )}

        {!id && (
          <fieldset className="registry-draw">
            <label>
              {t('registry.kind')}
              <select
                value={kind}
                data-testid="registry-kind"
                onChange={(e) => {
                  const k = e.target.value;
                  setShape(SHAPE_OF_KIND[k] ?? 'point');
                  onKind(k);
                }}
              >
                {kinds.map((k) => (
                  <option key={k} value={k}>
                    {kindName(k)}
                  </option>
                ))}
              </select>
            </label>
            {!SHAPE_OF_KIND[kind] && (
              <label>
                {t('registry.shape')}
                <select value={shape} onChange={(e) => setShape(e.target.value as Shape)}>
                  {(['point', 'linestring', 'polygon'] as const).map((s) => (
                    <option key={s} value={s}>
                      {t(`registry.shape.${s}`)}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <button type="button" data-testid="registry-draw" disabled={!draw.ready} onClick={() => draw.start(shape)}>
              {geometry ? t('registry.redraw') : t('registry.draw')}
            </button>
            {geometry?.type === 'LineString' && snapButton}
            <p className="hint">{geometry ? t('registry.drawn') : t('registry.drawFirst')}</p>
          </fieldset>
        )}

        {(!id || place) && (
          <form
            className="registry-form"
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <label>
              {t('registry.field.name')} *
              <input value={form.name} onChange={set('name')} data-testid="field-name" maxLength={200} />
            </label>
            <label>
              {t('registry.field.address')}
              <input value={form.address} onChange={set('address')} data-testid="field-address" maxLength={200} />
            </label>
            <ChoiceField
              label={t('registry.field.subdistrict')}
              value={form.subdistrictId}
              onChange={set('subdistrictId')}
              none={t('registry.auto')}
              options={meta.subdistricts.map((sd) => [sd.id, sd.name])}
            />
            <ChoiceField
              label={t('registry.field.unit')}
              value={form.unitId}
              onChange={set('unitId')}
              options={meta.units.map((u) => [u.id, u.name])}
              testId="field-unit"
            />
            <ChoiceField
              label={t('registry.field.leader')}
              value={form.leaderId}
              onChange={set('leaderId')}
              options={leaders.map((l) => [String(l.id), l.displayName])}
              testId="field-leader"
            />
            <label>
              {t('registry.field.keeper')}
              <input value={form.keeper} onChange={set('keeper')} data-testid="field-keeper" maxLength={50} />
            </label>
            <label>
              {t('registry.field.contact')}
              <input value={form.contact} onChange={set('contact')} data-testid="field-contact" maxLength={50} />
            </label>
            <label>
              {t('registry.field.phone')}
              <input value={form.phone} onChange={set('phone')} data-testid="field-phone" inputMode="tel" maxLength={40} aria-invalid={phoneBad} />
              {phoneBad && <span className="form-error">{t('registry.phoneBad')}</span>}
            </label>
            <label>
              {t('registry.field.notes')}
              <textarea value={form.notes} onChange={set('notes')} rows={2} maxLength={2000} />
            </label>
            <PlacePhotos photos={photos} onChange={setPhotos} disabled={saving || Boolean(retired)} />
            {id && place && !retired && (
              <div className="registry-geometry">
                <button type="button" disabled={!editable || !draw.ready} onClick={() => draw.adjust(place.geometry)}>
                  {t('registry.adjust')}
                </button>
                <button type="button" disabled={!draw.ready} onClick={() => draw.start(shapeOf(place.geometry) ?? SHAPE_OF_KIND[kind] ?? 'point')}>
                  {t('registry.redraw')}
                </button>
                {snapButton}
                {geometry && <span className="hint">{t('registry.drawn')}</span>}
              </div>
            )}
            <div className="registry-submit">
              {error && (
                <div className="form-error" role="alert" data-testid="registry-error">
                  {error.message}
                  {error.conflict && (
                    <button
                      type="button"
                      onClick={() => {
                        setError(null);
                        setReload((r) => r + 1);
                      }}
                    >
                      {t('registry.reopen')}
                    </button>
                  )}
                </div>
              )}
              <div className="registry-actions">
                <button
                  type="submit"
                  className="primary"
                  data-testid="registry-save"
                  disabled={saving || nameMissing || phoneBad || needsGeometry || Boolean(retired)}
                >
                  {saving ? t('registry.saving') : t('registry.save')}
                </button>
                {needsGeometry && <span className="hint">{t('registry.drawFirst')}</span>}
              </div>
            </div>
          </form>
        )}

        {id && place && (
          <div className="registry-lifecycle">
            {retired ? (
              <button type="button" onClick={() => void act('restore')} disabled={saving} data-testid="registry-restore">
                {t('registry.restore')}
              </button>
            ) : (
              <div className="registry-retire">
                <input
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  placeholder={t('registry.reason')}
                  aria-label={t('registry.reason')}
                  maxLength={500}
                />
                <button type="button" onClick={() => void act('retire')} disabled={saving || !reason.trim()} data-testid="registry-retire">
                  {t('registry.retire')}
                </button>
              </div>
            )}
            <button type="button" onClick={() => void act('undo')} disabled={saving || !history.data?.entries.length} data-testid="registry-undo">
              {t('registry.undo')}
            </button>
          </div>
        )}

        {id && history.data && (
          <section className="registry-history" aria-label={t('registry.history')}>
            <h4>{t('registry.history')}</h4>
            {history.data.entries.length === 0 && <p className="hint">{t('registry.noHistory')}</p>}
            <ol>
              {history.data.entries.map((e) => (
                <li key={e.version}>
                  <div>
                    <strong>{t(`registry.action.${e.action}`)}</strong> · v{e.version} · {toCityIso(Date.parse(e.at)).slice(0, 16).replace('T', ' ')} · {e.by}
                  </div>
                  {e.action !== 'create' && (
                    <ul>
                      {e.changes.map((c) => (
                        <li key={c.field}>
                          {REGISTRY_FIELD_NAMES[c.field][lang]}: {value(c.field, c.before)} → {value(c.field, c.after)}
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ol>
          </section>
        )}
      </div>
    </div>
  );
}

/** One of the registry's references (街道, 责任单位, 包抓领导) as a labelled select; the empty choice first. */
function ChoiceField({
  label,
  value,
  onChange,
  options,
  none = '—',
  testId,
}: {
  label: string;
  value: string;
  onChange: (e: { target: { value: string } }) => void;
  options: readonly (readonly [string, string])[];
  none?: string;
  testId?: string;
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={onChange} data-testid={testId}>
        <option value="">{none}</option>
        {options.map(([v, name]) => (
          <option key={v} value={v}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}
