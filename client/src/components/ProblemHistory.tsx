/**
 * A problem's workflow in the detail panel: the before / after photos and clips side by side, the history
 * (who, when, from → to, note, photos) and the next steps the state machine allows (assign, rectify with
 * after-photos or clips, look-back pass or fail), and the 延期 / 申诉 / 退单 requests. Shown on the map and the ledger alike.
 */
import { useState } from 'react';
import type { HistoryResponse, PhotoRef, ProblemStatus } from '../../../server/contract';
import type { RequestKind } from '../../../server/contract/workflow';
import { mayMoveTo, REJECT_REASONS, transitionAction, type RejectReason } from '../../../server/contract/problem-status';
import { useRole } from '../app/use-role';
import { PLANNERS } from '../../../server/contract/roles';
import { postRequest } from '../api/requests';
import { getMeta } from '../api/meta';
import { getHistory, noticeUrl, postTransition, uploadPhotos } from '../api/ledger';
import { describeError } from '../app/describe-error';
import { isMessageKey } from '../app/i18n';
import { useI18n } from '../app/use-i18n';
import { useRequest } from '../app/use-request';
import { formatCityTime } from '../lib/format';
import { MEDIA_ACCEPT } from '../../../server/contract/media-rules';
import { BlurEditor } from './BlurEditor';
import { MediaThumb } from './MediaThumb';
import { prepareMedia } from './clip';
import { videoLimitsOf } from './clip-check';

interface ProblemHistoryProps {
  id: string;
  /** Called after a step was saved, so the panel reloads the problem. */
  onChanged: () => void;
}

export function ProblemHistory({ id, onChanged }: ProblemHistoryProps) {
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const history = useRequest<HistoryResponse>((signal) => getHistory(id, signal), [id, version]);
  const role = useRole();
  // 曝光前打码 is the planners' (the contract's access for the redaction routes).
  const [blurring, setBlurring] = useState<PhotoRef | null>(null);
  const onBlur = role !== null && (PLANNERS as readonly string[]).includes(role) ? setBlurring : undefined;
  const h = history.data;
  if (history.error) return <p className="detail-warning">{describeError(history.error, t)}</p>;
  if (!h) return null;
  const before = h.photos.filter((p) => p.role === 'before');
  const after = h.photos.filter((p) => p.role === 'after');
  // The caller's own steps (the policy table): a unit is offered its rectification, not the office's steps.
  const mine = h.allowed.filter((to) => role === null || mayMoveTo(role, to));
  return (
    <div className="workflow" data-testid="problem-workflow">
      {h.escalation.level > 0 && (
        <p className={`escalation level-${h.escalation.level}`} data-testid="problem-escalation">
          {t(h.escalation.summons ? 'workflow.summons' : 'workflow.supervision')}
        </p>
      )}
      {(before.length > 0 || after.length > 0) && (
        <>
          <h3 className="detail-section">{t('workflow.photos')}</h3>
          <div className="photo-compare" data-testid="photo-compare">
            <PhotoColumn label={t('workflow.before')} photos={before} onBlur={onBlur} />
            <PhotoColumn label={t('workflow.after')} photos={after} onBlur={onBlur} />
          </div>
        </>
      )}
      {blurring && <BlurEditor photo={blurring} onClose={() => setBlurring(null)} onChanged={() => setVersion((v) => v + 1)} />}
      {h.status !== 'reported' && (
        <p>
          <a href={noticeUrl(id)} target="_blank" rel="noreferrer" data-testid="notice-link">
            {t('workflow.printNotice')}
          </a>
        </p>
      )}
      <h3 className="detail-section">{t('workflow.history')}</h3>
      <ol className="history" data-testid="problem-history">
        {h.history.map((s, i) => {
          const action = `workflow.action.${s.action}`;
          return (
            <li key={s.seq ?? `d${i}`} data-action={s.action}>
              <div className="history-head">
                <strong>{isMessageKey(action) ? t(action) : s.action}</strong>
                <span className="history-time">{formatCityTime(s.at)}</span>
              </div>
              <div className="history-meta">
                {s.actor}
                {s.unitName && ` → ${s.unitName}`}
                {s.deadline && ` · ${t('problem.deadline')} ${formatCityTime(s.deadline)}`}
                {s.action === 'hold' && typeof s.data?.review === 'string' && ` · ${t('workflow.review')} ${formatCityTime(s.data.review)}`}
                {s.action === 'reject' && typeof s.data?.reason === 'string' && ` · ${t(`workflow.reject.${s.data.reason}` as 'workflow.reject.duplicate')}`}
              </div>
              {s.note && s.action !== 'report' && <p className="history-note">{s.note}</p>}
              {s.photos.length > 0 && (
                <div className="history-photos">
                  {s.photos.map((p) => (
                    <MediaThumb key={p.hash} photo={p} compact />
                  ))}
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {(h.requests.length > 0 || h.requestable.length > 0) && (
        <Requests
          id={id}
          h={h}
          onDone={() => {
            setVersion((v) => v + 1);
            onChanged();
          }}
        />
      )}
      {mine.length > 0 && (
        <ActionForm
          id={id}
          status={h.status}
          allowed={mine}
          onDone={() => {
            setVersion((v) => v + 1);
            onChanged();
          }}
        />
      )}
    </div>
  );
}

function PhotoColumn({ label, photos, onBlur }: { label: string; photos: PhotoRef[]; onBlur?: (p: PhotoRef) => void }) {
  const { t } = useI18n();
  return (
    <figure className="photo-column">
      <figcaption>{label}</figcaption>
      {photos.length ? (
        photos.map((p) => <MediaThumb key={p.hash} photo={p} onBlur={onBlur && (() => onBlur(p))} />)
      ) : (
        <span className="photo-none">{t('workflow.noPhoto')}</span>
      )}
    </figure>
  );
}

/** The case's 延期, 申诉 and 退单 requests, and the form to make one the case allows now. */
function Requests({ id, h, onDone }: { id: string; h: HistoryResponse; onDone: () => void }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<RequestKind | null>(null);
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!kind) return;
    setBusy(true);
    setError(null);
    try {
      await postRequest(id, { kind, reason, ...(kind === 'extension' ? { until } : {}) });
      setKind(null);
      setReason('');
      setUntil('');
      onDone();
    } catch (err) {
      setError(err instanceof Error ? describeError(err, t) : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="problem-requests" data-testid="problem-requests">
      <h3 className="detail-section">{t('requests.title')}</h3>
      {h.requests.length > 0 && (
        <ul className="history">
          {h.requests.map((r) => (
            <li key={r.id} data-request-status={r.status}>
              <div className="history-head">
                <strong>{t(`requests.kind.${r.kind}`)}</strong>
                <span className={`request-status ${r.status}`}>{t(`requests.status.${r.status}`)}</span>
              </div>
              <div className="history-meta">
                {r.askedBy} · {formatCityTime(r.askedAt)}
                {r.until && ` · ${t('requests.until')} ${formatCityTime(r.until)}`}
              </div>
              <p className="history-note">{r.reason}</p>
              {r.note && <p className="history-meta">{r.note}</p>}
            </li>
          ))}
        </ul>
      )}
      {h.requestable.length > 0 && (
        <form className="action-form" onSubmit={submit} data-testid="request-form">
          <div className="chips" role="radiogroup">
            {h.requestable.map((k) => (
              <button key={k} type="button" className="chip" aria-pressed={k === kind} onClick={() => setKind(k)} data-kind={k}>
                {t(`requests.ask.${k}`)}
              </button>
            ))}
          </div>
          {kind && (
            <>
              <p className="muted">{t(`requests.help.${kind}`)}</p>
              {kind === 'extension' && (
                <label className="form-field">
                  <span>{t('requests.untilLabel')}</span>
                  <input type="date" name="until" value={until} onChange={(e) => setUntil(e.target.value)} required />
                </label>
              )}
              <label className="form-field">
                <span>{t('requests.reason')}</span>
                <textarea name="reason" value={reason} onChange={(e) => setReason(e.target.value)} rows={2} required />
              </label>
              {error && (
                <p className="detail-warning" role="alert">
                  {error}
                </p>
              )}
              <button type="submit" className="primary" disabled={busy} data-testid="request-submit">
                {busy ? t('panel.loading') : t('requests.send')}
              </button>
            </>
          )}
        </form>
      )}
    </div>
  );
}

/** The next step: one form whose fields follow the chosen step. */
function ActionForm({ id, status, allowed, onDone }: { id: string; status: ProblemStatus; allowed: ProblemStatus[]; onDone: () => void }) {
  const { t } = useI18n();
  const steps = allowed.map((to) => ({ to, key: transitionAction(status, to) ?? 'assign' }));
  const [step, setStep] = useState(steps[0]);
  const [note, setNote] = useState('');
  const [deadline, setDeadline] = useState('');
  const [unit, setUnit] = useState('');
  const [review, setReview] = useState('');
  const [reason, setReason] = useState<RejectReason | ''>('');
  // The unit list for (re)assigning; the panel is also used where the page has no meta at hand.
  const meta = useRequest((signal) => getMeta(signal), []);
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A clip over a limit: said at once, and the step is not sent until other files are chosen.
  const [mediaError, setMediaError] = useState<string | null>(null);
  // Before meta has come, the defaults (and a poster made here either way): the server checks again.
  const limits = videoLimitsOf(meta.data ?? {});
  const choose = async (chosen: File[]) => {
    setBusy(true);
    try {
      const ready = await prepareMedia(chosen, limits);
      setFiles(ready.files);
      setMediaError(ready.problem ? t(ready.problem.key, ready.problem.params) : null);
    } finally {
      setBusy(false);
    }
  };

  const setsDeadline = step.key === 'assign' || step.key === 'fail' || step.key === 'resume';
  const takesPhotos = step.key === 'rectify' || step.key === 'pass' || step.key === 'fail';
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const photos = files.length ? (await uploadPhotos(files)).photos.map((p) => p.hash) : undefined;
      await postTransition(id, {
        to: step.to,
        note,
        deadline: setsDeadline && deadline ? deadline : undefined,
        unit: setsDeadline && unit ? unit : undefined,
        photos: takesPhotos ? photos : undefined,
        review: step.key === 'hold' ? review : undefined,
        reason: step.key === 'reject' && reason ? reason : undefined,
      });
      setNote('');
      setFiles([]);
      setMediaError(null);
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="action-form" onSubmit={submit} data-testid="action-form">
      <h3 className="detail-section">{t('workflow.next')}</h3>
      <div className="chips" role="radiogroup">
        {steps.map((s) => (
          <button key={s.key} type="button" className="chip" aria-pressed={s.key === step.key} onClick={() => setStep(s)} data-step={s.key}>
            {t(`workflow.action.${s.key}` as 'workflow.action.assign')}
          </button>
        ))}
      </div>
      <label className="form-field">
        <span>{t('workflow.note')}</span>
        <textarea
          name="note"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          rows={2}
          placeholder={step.key === 'hold' ? t('workflow.holdPlan') : undefined}
          required={step.key === 'rectify' || step.key === 'fail' || step.key === 'hold'}
        />
      </label>
      {step.key === 'reject' && (
        <label className="form-field">
          <span>{t('workflow.rejectReason')}</span>
          <select name="reason" value={reason} onChange={(e) => setReason(e.target.value as RejectReason)} required>
            <option value="">{t('workflow.rejectChoose')}</option>
            {REJECT_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`workflow.reject.${r}`)}
              </option>
            ))}
          </select>
        </label>
      )}
      {step.key === 'hold' && (
        <label className="form-field">
          <span>{t('workflow.review')}</span>
          <input type="date" name="review" value={review} onChange={(e) => setReview(e.target.value)} required />
        </label>
      )}
      {setsDeadline && meta.data && (
        <label className="form-field">
          <span>{t('problem.unit')}</span>
          <select name="unit" value={unit} onChange={(e) => setUnit(e.target.value)}>
            <option value="">{t('workflow.keepUnit')}</option>
            {meta.data.units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {setsDeadline && (
        <label className="form-field">
          <span>{t('workflow.deadline')}</span>
          <input type="date" name="deadline" value={deadline} onChange={(e) => setDeadline(e.target.value)} />
        </label>
      )}
      {takesPhotos && (
        <label className="form-field">
          <span>{t('video.addMedia')}</span>
          <input type="file" name="photos" accept={MEDIA_ACCEPT} multiple onChange={(e) => void choose([...(e.target.files ?? [])])} />
          <small className="media-hint">{t('video.limits', { mb: limits.maxMb, s: limits.maxSeconds })}</small>
        </label>
      )}
      {((takesPhotos && mediaError) || error) && (
        <p className="detail-warning" role="alert">
          {(takesPhotos && mediaError) || error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy || (takesPhotos && mediaError !== null)} data-testid="action-submit">
        {busy ? t('panel.loading') : t(`workflow.action.${step.key}` as 'workflow.action.assign')}
      </button>
    </form>
  );
}
