/**
 * 曝光前打码: the dialog in which a planner covers faces and number plates on a problem photo before it
 * is shown in public (the 暗访片, the big screen, the weekly 通报). Rectangles are dragged over the
 * screen copy with any pointer (mouse, pen, touch) and show a live mosaic made from the loaded picture
 * the way the server will make it (mosaicCell over the rectangle in the original's pixels); the server
 * blurs a copy and keeps the original. A photo can instead be marked clear or excluded; a clip can only
 * be marked, never blurred.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { createPortal } from 'react-dom';
import type { PhotoRef } from '../../../server/contract';
import { formatClipLength, REDACTION_REGIONS_MAX, type RedactionRegion, type RedactionStatus } from '../../../server/contract/media-rules';
import { isAbortError } from '../api/client';
import { deleteRedaction, getRedaction, putRedaction, type Redaction } from '../api/redaction';
import { describeError } from '../app/describe-error';
import { useFocusTrap } from '../app/use-focus-trap';
import { useI18n } from '../app/use-i18n';
import { formatCityTime } from '../lib/format';
import {
  cellColours,
  centredRegion,
  CORNERS,
  dragRegion,
  fitSize,
  gridEdges,
  growRegion,
  moveRegion,
  mosaicGrid,
  pointerShare,
  resizeRegion,
  type Corner,
  type SharePoint,
  type Size,
} from './blur-geometry';
import './blur-editor.css';

interface BlurEditorProps {
  photo: PhotoRef;
  onClose: () => void;
  /** Called after the check was saved or undone, so the problem's history (and its badges) reload. */
  onChanged: () => void;
}

type Phase = { at: 'loading' } | { at: 'editing' } | { at: 'saving'; action: RedactionStatus | 'undo' } | { at: 'saved'; redaction: Redaction };

/** What a pointer is doing on the picture, from pointerdown to pointerup. */
type Gesture =
  | { kind: 'draw'; pointerId: number; start: SharePoint }
  | { kind: 'move'; pointerId: number; index: number; start: SharePoint; before: RedactionRegion[]; now: RedactionRegion | null }
  | { kind: 'resize'; pointerId: number; index: number; corner: Corner; before: RedactionRegion[]; now: RedactionRegion | null };

/** An arrow key's step, as a share of the picture's side. */
const KEY_STEP = 0.01;

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/** The screen copy's pixels, read once when it loads: the mosaic preview averages them. */
interface Pixels {
  data: Uint8ClampedArray;
  size: Size;
}

export function BlurEditor({ photo, onClose, onChanged }: BlurEditorProps) {
  const { t } = useI18n();
  const clip = photo.kind === 'video';
  const dialog = useRef<HTMLDivElement>(null);
  const [phase, setPhase] = useState<Phase>({ at: 'loading' });
  const [checked, setChecked] = useState<Redaction | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [regions, setRegions] = useState<RedactionRegion[]>([]);
  // Snapshots before each change, for 撤销上一步 (Ctrl+Z).
  const [past, setPast] = useState<RedactionRegion[][]>([]);
  const [selected, setSelected] = useState<number | null>(null);
  const [draft, setDraft] = useState<RedactionRegion | null>(null);
  // Bumped to move focus onto the selected rectangle (after 添加方框).
  const [focusTick, setFocusTick] = useState(0);
  // Cancels the calls in flight when the dialog goes away.
  const life = useRef<AbortController>(new AbortController());
  useEffect(() => {
    const controller = new AbortController();
    life.current = controller;
    return () => controller.abort();
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    getRedaction(photo.hash, controller.signal).then(
      (r) => {
        setChecked(r);
        setRegions(r?.regions ?? []);
        setPhase({ at: 'editing' });
      },
      (err: unknown) => {
        if (isAbortError(err)) return;
        setError(asError(err));
        // Still usable: the check can be written without knowing the old one.
        setPhase({ at: 'editing' });
      },
    );
    return () => controller.abort();
  }, [photo.hash]);

  const busy = phase.at === 'saving' || phase.at === 'loading';
  const close = useCallback(() => {
    if (phase.at !== 'saving') onClose();
  }, [phase.at, onClose]);
  useFocusTrap(dialog, close);

  /** A finished change, one undo step back to `before` (a drag's start; else the regions now). */
  const change = (next: RedactionRegion[], select: number | null = selected, before: RedactionRegion[] = regions) => {
    setPast((p) => [...p, before]);
    setRegions(next);
    setSelected(select);
  };
  const undo = () => {
    if (past.length === 0) return;
    setRegions(past[past.length - 1]);
    setPast((p) => p.slice(0, -1));
    setSelected(null);
  };
  const remove = (i: number) =>
    change(
      regions.filter((_, j) => j !== i),
      null,
    );

  const save = async (status: RedactionStatus) => {
    setPhase({ at: 'saving', action: status });
    setError(null);
    try {
      const r = await putRedaction(photo.hash, { status, regions: status === 'blurred' ? regions : [] }, life.current.signal);
      setChecked(r);
      onChanged();
      if (r.blurred) setPhase({ at: 'saved', redaction: r });
      else onClose();
    } catch (err) {
      if (isAbortError(err)) return;
      setError(asError(err));
      setPhase({ at: 'editing' });
    }
  };
  const uncheck = async () => {
    setPhase({ at: 'saving', action: 'undo' });
    setError(null);
    try {
      await deleteRedaction(photo.hash, life.current.signal);
      onChanged();
      onClose();
    } catch (err) {
      if (isAbortError(err)) return;
      setError(asError(err));
      setPhase({ at: 'editing' });
    }
  };

  const onDialogKey = (e: KeyboardEvent) => {
    if (phase.at !== 'editing' || clip) return;
    if ((e.key === 'Delete' || e.key === 'Backspace') && selected !== null) {
      e.preventDefault();
      remove(selected);
    } else if (e.key === 'z' && (e.ctrlKey || e.metaKey) && !e.shiftKey) {
      e.preventDefault();
      undo();
    }
  };

  const editing = phase.at === 'editing' && !clip;
  const full = regions.length >= REDACTION_REGIONS_MAX;
  const state = checked ? t(`blur.state.${checked.status}`) : null;
  return createPortal(
    <div className="dialog-backdrop blur-backdrop" role="presentation">
      <div
        ref={dialog}
        className="blur-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="blur-title"
        aria-describedby="blur-state"
        tabIndex={-1}
        onKeyDown={onDialogKey}
        data-testid="blur-editor"
      >
        <header className="blur-head">
          <h2 id="blur-title">{t(clip ? 'blur.titleClip' : 'blur.title')}</h2>
          <p id="blur-state" className="blur-state" data-testid="blur-state" data-status={checked?.status ?? 'unchecked'}>
            {phase.at === 'loading'
              ? t('blur.loading')
              : checked && state
                ? t('blur.checkedBy', { state, by: checked.by, at: formatCityTime(checked.at) ?? checked.at })
                : t('blur.unchecked')}
          </p>
          <button
            type="button"
            className="detail-close"
            onClick={close}
            aria-label={t('panel.close')}
            title={t('panel.close')}
            disabled={phase.at === 'saving'}
          >
            ×
          </button>
        </header>
        {phase.at === 'saved' && phase.redaction.blurred ? (
          <Saved redaction={phase.redaction} onDone={onClose} onEdit={() => setPhase({ at: 'editing' })} />
        ) : (
          <>
            <p className="blur-hint">{clip ? t('blur.video') : t('blur.hint')}</p>
            {clip ? (
              <div className="blur-stage-box">
                <img
                  className="blur-poster"
                  src={photo.posterUrl ?? photo.screenUrl}
                  alt={t('video.clip', { length: formatClipLength(photo.durationMs ?? 0) })}
                />
              </div>
            ) : (
              <Stage
                photo={photo}
                regions={regions}
                draft={draft}
                selected={selected}
                enabled={editing}
                full={full}
                focusTick={focusTick}
                onDraft={setDraft}
                onSelect={setSelected}
                onLive={setRegions}
                onCommit={change}
                onRemove={remove}
              />
            )}
            {!clip && (
              <div className="blur-tools">
                <button
                  type="button"
                  onClick={() => {
                    change([...regions, centredRegion({ width: photo.width || 1, height: photo.height || 1 })], regions.length);
                    setFocusTick((n) => n + 1);
                  }}
                  disabled={!editing || full}
                  data-testid="blur-add"
                >
                  {t('blur.add')}
                </button>
                <button type="button" onClick={undo} disabled={!editing || past.length === 0} data-testid="blur-undo">
                  {t('blur.undo')}
                </button>
                <span className="blur-count" data-testid="blur-count">
                  {t('blur.count', { n: regions.length, max: REDACTION_REGIONS_MAX })}
                </span>
                {full && <span className="blur-full">{t('blur.full', { max: REDACTION_REGIONS_MAX })}</span>}
              </div>
            )}
            {phase.at === 'saving' && (
              <p className="blur-progress" role="status" data-testid="blur-progress">
                <span className="spinner" aria-hidden="true" /> {t(phase.action === 'blurred' ? 'blur.saving' : 'blur.working')}
              </p>
            )}
            {error && (
              <p className="blur-error" role="alert" data-testid="blur-error">
                {describeError(error, t)}
              </p>
            )}
            <div className="blur-actions">
              {!clip && (
                <button type="button" className="primary" onClick={() => void save('blurred')} disabled={busy || regions.length === 0} data-testid="blur-save">
                  {t('blur.save')}
                </button>
              )}
              <button type="button" onClick={() => void save('clear')} disabled={busy} data-testid="blur-clear">
                {t('blur.clear')}
              </button>
              <button type="button" onClick={() => void save('excluded')} disabled={busy} data-testid="blur-exclude">
                {t('blur.exclude')}
              </button>
              {checked && (
                <button type="button" onClick={() => void uncheck()} disabled={busy} data-testid="blur-uncheck">
                  {t('blur.uncheck')}
                </button>
              )}
              <button type="button" className="ghost" onClick={close} disabled={phase.at === 'saving'} data-testid="blur-cancel">
                {t('blur.cancel')}
              </button>
            </div>
          </>
        )}
      </div>
    </div>,
    document.body,
  );
}

/** The server's blurred copy after saving: what the reels and briefings will show. */
function Saved({ redaction, onDone, onEdit }: { redaction: Redaction; onDone: () => void; onEdit: () => void }) {
  const { t } = useI18n();
  const done = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    done.current?.focus({ preventScroll: true });
  }, []);
  return (
    <>
      <p className="blur-hint" role="status">
        {t('blur.saved')}
      </p>
      <div className="blur-stage-box">
        <img className="blur-result" src={redaction.blurred?.screenUrl} alt={t('blur.blurred')} data-testid="blur-result" />
      </div>
      <div className="blur-actions">
        <button ref={done} type="button" className="primary" onClick={onDone} data-testid="blur-done">
          {t('blur.done')}
        </button>
        <button type="button" onClick={onEdit} data-testid="blur-edit-again">
          {t('blur.editAgain')}
        </button>
      </div>
    </>
  );
}

interface StageProps {
  photo: PhotoRef;
  regions: RedactionRegion[];
  draft: RedactionRegion | null;
  selected: number | null;
  enabled: boolean;
  full: boolean;
  /** A change of it focuses the selected rectangle. */
  focusTick: number;
  onDraft: (r: RedactionRegion | null) => void;
  onSelect: (i: number | null) => void;
  /** A region moving under the pointer (not an undo step yet). */
  onLive: (regions: RedactionRegion[]) => void;
  /** A finished change (one undo step): `next`, selecting `select`; `before`: a drag's start. */
  onCommit: (next: RedactionRegion[], select: number | null, before?: RedactionRegion[]) => void;
  onRemove: (i: number) => void;
}

/** The picture fitted to the dialog, the mosaic preview over it and the rectangles to move, resize and remove. */
function Stage({ photo, regions, draft, selected, enabled, full, focusTick, onDraft, onSelect, onLive, onCommit, onRemove }: StageProps) {
  const { t } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const stage = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const gesture = useRef<Gesture | null>(null);
  const [boxSize, setBoxSize] = useState<Size>({ width: 0, height: 0 });
  const [pixels, setPixels] = useState<Pixels | null>(null);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setBoxSize({ width: el.clientWidth, height: el.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const natural = pixels?.size ?? null;
  // The server blurs the upright original: its size sets the cells; the screen copy only shows it.
  const original = useMemo<Size | null>(
    () => (photo.width > 0 && photo.height > 0 ? { width: photo.width, height: photo.height } : natural),
    [photo.width, photo.height, natural],
  );
  const display = useMemo(() => (natural ? fitSize(natural, boxSize) : null), [natural, boxSize]);

  const onImageLoad = (img: HTMLImageElement) => {
    const size = { width: img.naturalWidth, height: img.naturalHeight };
    const scratch = document.createElement('canvas');
    scratch.width = size.width;
    scratch.height = size.height;
    const ctx = scratch.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('this browser cannot draw on a canvas, so the mosaic preview cannot be shown');
    ctx.drawImage(img, 0, 0);
    setPixels({ data: ctx.getImageData(0, 0, size.width, size.height).data, size });
  };

  // The preview, redrawn once per frame at most while a rectangle moves.
  useEffect(() => {
    const el = canvas.current;
    if (!el || !pixels || !display || !original || display.width === 0) return;
    const frame = requestAnimationFrame(() => {
      const dpr = window.devicePixelRatio || 1;
      const target = { width: Math.round(display.width * dpr), height: Math.round(display.height * dpr) };
      if (el.width !== target.width) el.width = target.width;
      if (el.height !== target.height) el.height = target.height;
      const ctx = el.getContext('2d');
      if (!ctx) return;
      ctx.clearRect(0, 0, target.width, target.height);
      for (const r of draft ? [...regions, draft] : regions) {
        const grid = mosaicGrid(r, original);
        const colours = cellColours(pixels.data, pixels.size.width, pixels.size.height, gridEdges(grid, original, pixels.size));
        const { xs, ys } = gridEdges(grid, original, target);
        for (let row = 0; row < grid.rows; row++) {
          for (let col = 0; col < grid.cols; col++) {
            const o = (row * grid.cols + col) * 3;
            ctx.fillStyle = `rgb(${colours[o]} ${colours[o + 1]} ${colours[o + 2]})`;
            // Half a device pixel over each edge: no hairline of the photo between cells.
            ctx.fillRect(xs[col], ys[row], xs[col + 1] - xs[col] + 0.5, ys[row + 1] - ys[row] + 0.5);
          }
        }
      }
    });
    return () => cancelAnimationFrame(frame);
  }, [regions, draft, pixels, display, original]);

  useEffect(() => {
    if (focusTick === 0 || selected === null) return;
    stage.current?.querySelector<HTMLElement>(`[data-region="${selected}"]`)?.focus({ preventScroll: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new tick moves focus, not every change of the selection
  }, [focusTick]);

  const at = (e: PointerEvent): SharePoint => {
    const r = stage.current!.getBoundingClientRect();
    return pointerShare(e.clientX, e.clientY, r);
  };

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (!enabled || gesture.current || !display) return;
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    const target = e.target as HTMLElement;
    if (target.closest('[data-remove]')) return;
    const handle = target.closest<HTMLElement>('[data-corner]');
    const box = target.closest<HTMLElement>('[data-region]');
    const p = at(e);
    if (handle && selected !== null) {
      gesture.current = { kind: 'resize', pointerId: e.pointerId, index: selected, corner: handle.dataset.corner as Corner, before: regions, now: null };
    } else if (box) {
      const index = Number(box.dataset.region);
      onSelect(index);
      box.focus({ preventScroll: true });
      gesture.current = { kind: 'move', pointerId: e.pointerId, index, start: p, before: regions, now: null };
    } else {
      onSelect(null);
      if (full) return;
      gesture.current = { kind: 'draw', pointerId: e.pointerId, start: p };
    }
    // The whole drag comes here, also when the pointer leaves the picture; no text selection or image drag meanwhile.
    e.currentTarget.setPointerCapture(e.pointerId);
    e.preventDefault();
  };

  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const g = gesture.current;
    if (!g || g.pointerId !== e.pointerId) return;
    const p = at(e);
    if (g.kind === 'draw') {
      onDraft(dragRegion(g.start, p));
      return;
    }
    const from = g.before[g.index];
    const now = g.kind === 'move' ? moveRegion(from, p.x - g.start.x, p.y - g.start.y) : resizeRegion(from, g.corner, p);
    g.now = now;
    onLive(g.before.map((r, i) => (i === g.index ? now : r)));
  };

  const finish = (e: PointerEvent<HTMLDivElement>, cancelled: boolean) => {
    const g = gesture.current;
    if (!g || g.pointerId !== e.pointerId) return;
    gesture.current = null;
    if (g.kind === 'draw') {
      const r = cancelled ? null : dragRegion(g.start, at(e));
      onDraft(null);
      if (r) onCommit([...regions, r], regions.length);
      return;
    }
    const now = g.now;
    if (!now) return;
    // The live positions were no undo steps: the whole drag is one, back to where it started.
    if (cancelled) onLive(g.before);
    else
      onCommit(
        g.before.map((r, i) => (i === g.index ? now : r)),
        g.index,
        g.before,
      );
  };

  const onRegionKey = (e: KeyboardEvent<HTMLButtonElement>, i: number) => {
    const d = e.key === 'ArrowLeft' ? [-1, 0] : e.key === 'ArrowRight' ? [1, 0] : e.key === 'ArrowUp' ? [0, -1] : e.key === 'ArrowDown' ? [0, 1] : null;
    if (!d || !enabled) return;
    e.preventDefault();
    const r = regions[i];
    const next = e.shiftKey ? growRegion(r, d[0] * KEY_STEP, d[1] * KEY_STEP) : moveRegion(r, d[0] * KEY_STEP, d[1] * KEY_STEP);
    onCommit(
      regions.map((x, j) => (j === i ? next : x)),
      i,
    );
  };

  const shown = draft ? [...regions, draft] : regions;
  return (
    <div className="blur-stage-box" ref={box}>
      {!pixels && (
        <p className="blur-image-loading" role="status">
          <span className="spinner" aria-hidden="true" /> {t('blur.imageLoading')}
        </p>
      )}
      <div
        ref={stage}
        className={`blur-stage${enabled ? ' enabled' : ''}${full ? ' full' : ''}`}
        style={display ? { width: display.width, height: display.height } : { visibility: 'hidden', position: 'absolute' }}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={(e) => finish(e, false)}
        onPointerCancel={(e) => finish(e, true)}
        role="group"
        aria-label={t('blur.stage')}
        data-testid="blur-stage"
      >
        <img src={photo.screenUrl} alt={t('blur.photo')} draggable={false} onLoad={(e) => onImageLoad(e.currentTarget)} data-testid="blur-image" />
        <canvas ref={canvas} aria-hidden="true" data-testid="blur-preview" />
        {shown.map((r, i) => {
          const isDraft = draft !== null && i === regions.length;
          const style = { left: `${r.x * 100}%`, top: `${r.y * 100}%`, width: `${r.w * 100}%`, height: `${r.h * 100}%` };
          if (isDraft) return <div key="draft" className="blur-region draft" style={style} aria-hidden="true" />;
          const on = i === selected;
          return (
            <div key={i} className={`blur-item${on ? ' selected' : ''}`} style={style}>
              <button
                type="button"
                className="blur-region"
                data-region={i}
                aria-label={t('blur.region', { n: i + 1 })}
                aria-pressed={on}
                aria-describedby="blur-region-help"
                onFocus={() => onSelect(i)}
                onKeyDown={(e) => onRegionKey(e, i)}
                disabled={!enabled}
              />
              {enabled && (
                <button
                  type="button"
                  className="blur-remove"
                  data-remove
                  onClick={() => onRemove(i)}
                  aria-label={t('blur.remove', { n: i + 1 })}
                  title={t('blur.remove', { n: i + 1 })}
                >
                  ×
                </button>
              )}
              {enabled && on && CORNERS.map((c) => <span key={c} className={`blur-handle ${c}`} data-corner={c} aria-hidden="true" />)}
            </div>
          );
        })}
      </div>
      <span id="blur-region-help" hidden>
        {t('blur.regionHelp')}
      </span>
    </div>
  );
}
