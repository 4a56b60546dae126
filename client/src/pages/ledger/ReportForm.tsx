/**
 * 上报问题 — the report form: category, where (device GPS or coordinates; the map page passes a clicked
 * point as `initialAt`), description, photos and short clips (checked here against the server's limits,
 * with a poster frame made here when the server has no ffmpeg), reporter. Before sending it shows what the server would
 * link (subdistrict, unit, place within 50 m, a recurrence) and open duplicates within 30 m, any of
 * which the report can be merged into instead. One Idempotency-Key per report makes retries safe (lib/ids.ts: also over plain HTTP, where randomUUID is missing).
 */
import { useEffect, useState } from 'react';
import type { IntakeResponse, Meta } from '../../../../server/contract';
import type { LngLat } from '../../api/types';
import { getNearby, postReport } from '../../api/ledger';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import { newUuid } from '../../lib/ids';
import { PROBLEM_SOURCES } from '../../../../server/contract/problem-status';
import { MEDIA_ACCEPT } from '../../../../server/contract/media-rules';
import { prepareMedia } from '../../components/clip';
import { videoLimitsOf } from '../../components/clip-check';
import '../../components/clip.css';

const REPORTER_KEY = 'xuncha.reporter';

interface ReportFormProps {
  meta: Meta;
  initialAt?: LngLat;
  onDone: (result: IntakeResponse) => void;
  onCancel: () => void;
}

export function ReportForm({ meta, initialAt, onDone, onCancel }: ReportFormProps) {
  const { t, lang } = useI18n();
  const [category, setCategory] = useState(meta.categories[0]?.id ?? '');
  const [at, setAt] = useState<LngLat>(initialAt ?? meta.city.center);
  const [description, setDescription] = useState('');
  const [reporter, setReporter] = useState(() => localStorage.getItem(REPORTER_KEY) ?? '');
  const [source, setSource] = useState<string>('inspection');
  const [photos, setPhotos] = useState<File[]>([]);
  // A clip over a limit: said at once, and the report is not sent until other files are chosen.
  const [mediaError, setMediaError] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const limits = videoLimitsOf(meta);
  const [mergeInto, setMergeInto] = useState<string | null>(null);
  // One key per report: kept across retries of this form, renewed for the next report.
  const [key] = useState(() => newUuid());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [gpsNote, setGpsNote] = useState<string | null>(null);

  const nearby = useRequest((signal) => getNearby({ category, lng: at[0], lat: at[1] }, signal), [category, at[0], at[1]]);
  useEffect(() => setMergeInto(null), [category, at]);

  const locate = () => {
    if (!navigator.geolocation) return setGpsNote(t('report.gpsUnavailable'));
    // Over plain HTTP at a network address the browser refuses the position with a technical sentence.
    if (!window.isSecureContext) return setGpsNote(t('report.gpsInsecure'));
    setGpsNote(t('panel.loading'));
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setAt([pos.coords.longitude, pos.coords.latitude]);
        setGpsNote(t('report.gpsAccuracy', { m: Math.round(pos.coords.accuracy) }));
      },
      (err) => setGpsNote(`${t('report.gpsUnavailable')} (${err.message})`),
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  };

  const choose = async (chosen: File[]) => {
    setReading(true);
    try {
      const ready = await prepareMedia(chosen, limits);
      setPhotos(ready.files);
      setMediaError(ready.problem ? t(ready.problem.key, ready.problem.params) : null);
    } finally {
      setReading(false);
    }
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      localStorage.setItem(REPORTER_KEY, reporter);
      const out = await postReport({ category, lng: at[0], lat: at[1], description, reporter, source, mergeInto: mergeInto ?? undefined }, photos, key);
      onDone(out);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const n = nearby.data;
  const unitName = n?.unitId ? meta.units.find((u) => u.id === n.unitId)?.name : null;
  const sdName = n?.subdistrictId ? meta.subdistricts.find((s) => s.id === n.subdistrictId)?.name : null;
  return (
    <form className="report-form" onSubmit={submit} data-testid="report-form">
      <h2>{t('report.title')}</h2>
      <label className="form-field">
        <span>{t('problem.category')}</span>
        <select name="category" value={category} onChange={(e) => setCategory(e.target.value)}>
          {meta.categories.map((c) => (
            <option key={c.id} value={c.id}>
              {lang === 'zh' ? c.zh : c.en}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="form-field">
        <legend>{t('report.where')}</legend>
        <div className="field-row">
          <input type="number" name="lng" step="0.00001" value={at[0]} onChange={(e) => setAt([Number(e.target.value), at[1]])} aria-label={t('report.lng')} />
          <input type="number" name="lat" step="0.00001" value={at[1]} onChange={(e) => setAt([at[0], Number(e.target.value)])} aria-label={t('report.lat')} />
          <button type="button" onClick={locate}>
            {t('report.gps')}
          </button>
        </div>
        {gpsNote && <small>{gpsNote}</small>}
        {n && (
          <small data-testid="report-preview">
            {[sdName, unitName, n.place && `${t(`kind.${n.place.kind as 'market'}`)} ${n.place.name}`].filter(Boolean).join(' · ') || t('report.outside')}
            {n.recurrenceOf && <strong className="late"> · {t('report.recurrence', { id: n.recurrenceOf })}</strong>}
          </small>
        )}
      </fieldset>
      {n && n.duplicates.length > 0 && (
        <fieldset className="form-field duplicates" data-testid="report-duplicates">
          <legend>{t('report.duplicates')}</legend>
          <label>
            <input type="radio" name="merge" checked={mergeInto === null} onChange={() => setMergeInto(null)} /> {t('report.newProblem')}
          </label>
          {n.duplicates.map((d) => (
            <label key={d.id}>
              <input type="radio" name="merge" checked={mergeInto === d.id} onChange={() => setMergeInto(d.id)} />{' '}
              {t('report.mergeInto', { id: d.id, m: Math.round(d.distanceM), status: t(`status.${d.status as 'reported'}`) })}
            </label>
          ))}
        </fieldset>
      )}
      <label className="form-field">
        <span>{t('problem.description')}</span>
        <textarea name="description" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} required />
      </label>
      <label className="form-field">
        <span>{t('video.reportMedia')}</span>
        <input
          type="file"
          name="photos"
          accept={MEDIA_ACCEPT}
          capture="environment"
          multiple
          required
          onChange={(e) => void choose([...(e.target.files ?? [])])}
        />
        <small className="media-hint">{reading ? t('video.reading') : t('video.limits', { mb: limits.maxMb, s: limits.maxSeconds })}</small>
      </label>
      <div className="field-row">
        <label className="form-field">
          <span>{t('problem.reporter')}</span>
          <input name="reporter" value={reporter} onChange={(e) => setReporter(e.target.value)} required />
        </label>
        <label className="form-field">
          <span>{t('problem.source')}</span>
          <select name="source" value={source} onChange={(e) => setSource(e.target.value)}>
            {PROBLEM_SOURCES.map((s) => (
              <option key={s} value={s}>
                {t(`source.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {(mediaError ?? error) && (
        <p className="detail-warning" role="alert">
          {mediaError ?? error}
        </p>
      )}
      <div className="field-row">
        <button type="submit" className="primary" disabled={busy || reading || mediaError !== null} data-testid="report-submit">
          {busy ? t('panel.loading') : mergeInto ? t('report.submitMerge') : t('report.submit')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('panel.close')}
        </button>
      </div>
    </form>
  );
}
