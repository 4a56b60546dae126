/**
 * The quick report: a problem in three taps (category, photo or clip, send), queued on the phone first.
 * A clip is checked against the server's limits here, and given a poster frame here when the server
 * has no ffmpeg; it is queued as a File, so its name (which its poster names) survives until sent.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LngLat } from '../../api/types';
import type { PageProps } from '../../app/pages';
import { useI18n } from '../../app/use-i18n';
import { compressPhoto } from './compress-photo';
import { CLIP_ACCEPT } from '../../../../server/contract/media-rules';
import { prepareMedia } from '../../components/clip';
import { videoLimitsOf } from '../../components/clip-check';
import '../../components/clip.css';
import { FIELD_MAP_ID } from './FieldMap';
import { commonFirst } from './field-logic';
import { addStopReport, readCategoryUses, writeCategoryUses } from './field-storage';
import { fieldQueue } from './queue';
import { syncSoon } from './use-sync-queue';

export interface ReportPreset {
  category: string;
  at: LngLat;
  note: string;
  /** Changes with every preset, so the same item failed twice opens the report twice. */
  n: number;
  /** The stop whose failed item this report comes from: its check record will name the report. */
  link: { planId: string; stopId: string } | null;
}

/** Three taps: a category, a photo (the camera), send (here, from the GPS; a stop's point for a failed check). */
interface QuickReportProps {
  meta: PageProps['meta'];
  /** My GPS fix (the city centre before the first); null where the page has no GPS at all (plain HTTP): the map gives the place. */
  gpsAt: LngLat | null;
  /** The corrected point (a stop, a tap on the map); null: my GPS fix. */
  fixedAt: LngLat | null;
  onFixedAt: (at: LngLat | null) => void;
  /** Tells the page a report is being made (the map then takes taps as its location). */
  onReporting: (on: boolean) => void;
  preset: ReportPreset | null;
  owner: string;
  reporter: string;
  lang: 'zh' | 'en';
}

export function QuickReport({ meta, gpsAt, fixedAt, onFixedAt: setFixedAt, onReporting, preset, owner, reporter, lang }: QuickReportProps) {
  const { t } = useI18n();
  const [category, setCategory] = useState<string | null>(null);
  const [photos, setPhotos] = useState<Blob[]>([]);
  // Clips and their poster frames, chosen with 录像; kept apart so retaking photos keeps the clip.
  const [clips, setClips] = useState<File[]>([]);
  const [clipCount, setClipCount] = useState(0);
  const [mediaError, setMediaError] = useState<string | null>(null);
  const limits = videoLimitsOf(meta);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const at = fixedAt ?? gpsAt;
  useEffect(() => onReporting(category !== null), [category, onReporting]);
  const sectionRef = useRef<HTMLElement>(null);
  // The stop the report being made belongs to (a failed check item), until saved or another category is picked.
  const linkRef = useRef<ReportPreset['link']>(null);
  useEffect(() => {
    if (!preset) return;
    linkRef.current = preset.link;
    setCategory(preset.category);
    setNote(preset.note);
    setFixedAt(preset.at);
    sectionRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, [preset, setFixedAt]);
  const [uses, setUses] = useState(readCategoryUses);
  // Ordered by the uses as they were when the page opened: buttons must not jump under the thumb right after a report.
  const [usesAtOpen] = useState(uses);
  const categories = useMemo(() => commonFirst(meta.categories, usesAtOpen), [meta.categories, usesAtOpen]);

  const choosePhotos = useCallback(async (files: FileList | null) => {
    setBusy(true);
    try {
      setPhotos(await Promise.all([...(files ?? [])].map((f) => compressPhoto(f))));
    } finally {
      setBusy(false);
    }
  }, []);

  const chooseClips = async (files: FileList | null) => {
    setBusy(true);
    try {
      const ready = await prepareMedia([...(files ?? [])], limits, async (f) => new File([await compressPhoto(f)], f.name, { type: 'image/jpeg' }));
      setClips(ready.files);
      setClipCount(ready.clips);
      setMediaError(ready.problem ? t(ready.problem.key, ready.problem.params) : null);
    } finally {
      setBusy(false);
    }
  };
  const media = [...photos, ...clips];

  const save = async () => {
    if (!category || media.length === 0 || mediaError || !at) return;
    setBusy(true);
    setError(null);
    try {
      const cat = meta.categories.find((c) => c.id === category);
      const id = fieldQueue().makeId();
      const link = linkRef.current;
      if (link) {
        // Linked before it is queued, so the stop's check record names it even if the page closes now.
        addStopReport(link.planId, link.stopId, id);
        linkRef.current = null;
      }
      await fieldQueue().add(
        'report',
        {
          category,
          lng: at[0],
          lat: at[1],
          // The server wants a description; a three-tap report is described by its category.
          description: note.trim() || (cat ? cat[lang] : category),
          reporter,
          source: 'inspection',
          photos: media,
        },
        owner,
        id,
      );
      const nextUses = { ...uses, [category]: (uses[category] ?? 0) + 1 };
      writeCategoryUses(nextUses);
      setUses(nextUses);
      setCategory(null);
      setFixedAt(null);
      setPhotos([]);
      setClips([]);
      setClipCount(0);
      setNote('');
      syncSoon(owner);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="field-report" data-testid="field-report" ref={sectionRef}>
      <h2>{t('report.title')}</h2>
      <div className="field-categories">
        {categories.map((c) => (
          <button
            key={c.id}
            type="button"
            className={category === c.id ? 'primary' : ''}
            aria-pressed={category === c.id}
            onClick={() => {
              setCategory(c.id);
              setFixedAt(null);
              linkRef.current = null;
            }}
            style={{ borderColor: c.color }}
            data-category={c.id}
          >
            {c[lang]}
          </button>
        ))}
      </div>
      {category && (
        <>
          <label className="field-photo">
            <span>{photos.length ? t('field.photosTaken', { n: photos.length }) : t('field.takePhoto')}</span>
            <input
              type="file"
              accept="image/jpeg,image/png,image/webp"
              capture="environment"
              multiple
              onChange={(e) => void choosePhotos(e.target.files)}
              data-testid="field-photo"
            />
          </label>
          <label className="field-photo">
            <span>{clipCount ? t('video.taken', { photos: photos.length, clips: clipCount }) : t('video.record')}</span>
            <input type="file" accept={CLIP_ACCEPT} capture="environment" onChange={(e) => void chooseClips(e.target.files)} data-testid="field-clip" />
          </label>
          <small className="media-hint">{t('video.limits', { mb: limits.maxMb, s: limits.maxSeconds })}</small>
          {mediaError && (
            <p className="detail-warning" role="alert">
              {mediaError}
            </p>
          )}
          <input type="text" placeholder={t('field.note')} value={note} onChange={(e) => setNote(e.target.value)} />
          <button
            type="button"
            className="primary field-save"
            disabled={busy || media.length === 0 || mediaError !== null || !at}
            onClick={() => void save()}
            data-testid="field-save"
          >
            {at ? t('field.saveHere', { lng: at[0].toFixed(5), lat: at[1].toFixed(5) }) : t('field.pickFirst')}
          </button>
          <small className="muted">{fixedAt ? t('field.pinMoved') : gpsAt ? t('field.pinHint') : t('field.pinPick')}</small>
          {!at && (
            // The map is above the category buttons, out of sight on a phone by now.
            <button type="button" onClick={() => document.getElementById(FIELD_MAP_ID)?.scrollIntoView({ behavior: 'smooth', block: 'center' })}>
              {t('field.toMap')}
            </button>
          )}
          {fixedAt && gpsAt && (
            <button type="button" onClick={() => setFixedAt(null)}>
              {t('report.gps')}
            </button>
          )}
        </>
      )}
      {error && (
        <p className="detail-warning" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
