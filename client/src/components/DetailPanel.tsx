/**
 * The side panel for a clicked feature: a problem (GET /api/problems/:id) or an inspection point
 * (GET /api/places/:id). On a phone it is a bottom sheet (see app.css).
 */
import { useEffect, type ReactNode } from 'react';
import { getPlace, getPlaceVisits } from '../api/places';
import { getProblem } from '../api/problems';
import type { LngLat, PlaceDetail, ProblemDetail } from '../api/types';
import { kindText } from '../lib/kinds';
import { describeError } from '../app/describe-error';
import { isMessageKey, type MessageKey } from '../app/i18n';
import { useI18n } from '../app/use-i18n';
import { useRequest } from '../app/use-request';
import { formatCityTime, formatCount } from '../lib/format';
import { geometryCenter } from '../lib/geometry';
import { STATUS_COLORS } from '../map/map-style';
import { limitText } from '../../../server/contract/work-calendar';
import { ProblemHistory } from './ProblemHistory';

export type Selection =
  | { kind: 'problem'; id: string }
  /** A dense cluster at the closest zoom: the problems it lists (`id` keys the panel). */
  | { kind: 'problems'; ids: string[]; id: string }
  /** `focus`: opened from a link in another panel, so the map should move to it. */
  | { kind: 'place'; placeKind: string; id: string; focus?: boolean };

interface DetailPanelProps {
  selection: Selection;
  onClose: () => void;
  /** A problem picked from a cluster's list. */
  onSelectProblem?: (id: string) => void;
  onOpenPlace: (place: { id: string; kind: string }) => void;
  onFocus: (center: LngLat) => void;
}

/** Loads and shows the selected feature. */
export function DetailPanel({ selection, onClose, onSelectProblem, onOpenPlace, onFocus }: DetailPanelProps) {
  const { t, lang } = useI18n();
  // The parent remounts this panel per selection (key), so the request runs once per panel.
  const detail = useRequest<ProblemDetail | PlaceDetail | ProblemDetail[]>(
    (signal) =>
      selection.kind === 'problem'
        ? getProblem(selection.id, signal)
        : selection.kind === 'problems'
          ? Promise.all(selection.ids.map((id) => getProblem(id, signal)))
          : getPlace(selection.id, signal),
    [],
  );
  const data = detail.loading ? null : detail.data;
  const wantsFocus = selection.kind === 'place' && selection.focus === true;

  useEffect(() => {
    if (!wantsFocus || !data || Array.isArray(data)) return;
    const center = geometryCenter(data.geometry);
    if (center) onFocus(center);
  }, [wantsFocus, data, onFocus]);

  return (
    <aside
      className="detail-panel"
      aria-label={
        selection.kind === 'problem'
          ? t('panel.problem')
          : selection.kind === 'problems'
            ? t('panel.problems', { n: selection.ids.length })
            : kindText(selection.placeKind, lang, (k) => t(`kind.${k}`))
      }
      data-testid="detail-panel"
    >
      <button type="button" className="detail-close" onClick={onClose} aria-label={t('panel.close')} title={t('panel.close')}>
        ×
      </button>
      {detail.error ? (
        <div className="detail-error" role="alert">
          <p>{describeError(detail.error, t)}</p>
          <button type="button" onClick={detail.retry}>
            {t('error.retry')}
          </button>
        </div>
      ) : !data ? (
        <div className="detail-loading" role="status">
          <span className="spinner" aria-hidden="true" /> {t('panel.loading')}
        </div>
      ) : Array.isArray(data) ? (
        <ProblemList problems={data} onSelect={(id) => onSelectProblem?.(id)} />
      ) : selection.kind === 'problem' ? (
        <ProblemView problem={data as ProblemDetail} onOpenPlace={onOpenPlace} onChanged={detail.retry} />
      ) : (
        <PlaceView place={data as PlaceDetail} />
      )}
    </aside>
  );
}

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="field" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function StatusBadge({ status, overdue }: { status: keyof typeof STATUS_COLORS; overdue: boolean }) {
  const { t } = useI18n();
  return (
    <span className="badges">
      <span className="badge" style={{ background: STATUS_COLORS[status] }} data-testid="problem-status">
        {t(`status.${status}`)}
      </span>
      {overdue && (
        <span className="badge" style={{ background: STATUS_COLORS.overdue }} data-testid="problem-overdue">
          {t('status.overdue')}
        </span>
      )}
    </span>
  );
}

/** The problems of a cluster that zooming in cannot separate, each a button to its detail. */
function ProblemList({ problems, onSelect }: { problems: ProblemDetail[]; onSelect: (id: string) => void }) {
  const { t, lang } = useI18n();
  return (
    <div className="detail-body">
      <p className="detail-kind">{t('panel.problem')}</p>
      <h2 className="detail-title">{t('panel.problems', { n: problems.length })}</h2>
      <p className="detail-hint">{t('panel.problemsHint')}</p>
      <ul className="problem-list" data-testid="cluster-problems">
        {problems.map(({ properties: p }) => (
          <li key={p.id}>
            <button type="button" className="link" onClick={() => onSelect(p.id)}>
              <strong>{p.categoryName[lang] || p.categoryName.zh}</strong> <StatusBadge status={p.status} overdue={p.overdue} />
              <span className="problem-list-meta">
                {formatCityTime(p.reportedAt)} · {p.description}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ProblemView({ problem, onOpenPlace, onChanged }: { problem: ProblemDetail; onOpenPlace: DetailPanelProps['onOpenPlace']; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const p = problem.properties;
  const none = t('common.none');
  const steps: { key: MessageKey; at: string | null; late?: boolean }[] = [
    { key: 'problem.reportedAt', at: p.reportedAt },
    { key: 'problem.assignedAt', at: p.assignedAt },
    { key: 'problem.deadline', at: p.deadline, late: p.overdue },
    { key: 'problem.rectifiedAt', at: p.rectifiedAt },
    { key: 'problem.closedAt', at: p.closedAt },
  ];
  // A source value a future importer invents is shown as it is rather than hidden.
  const sourceKey = `source.${p.source}`;
  return (
    <div className="detail-body">
      <p className="detail-kind">{t('panel.problem')}</p>
      <h2 className="detail-title" data-testid="problem-category">
        {p.categoryName[lang] || p.categoryName.zh}
      </h2>
      <StatusBadge status={p.status} overdue={p.overdue} />
      {p.overdue && <p className="detail-warning">{t('problem.overdueSince')}</p>}
      <p className="detail-description" data-testid="problem-description">
        {p.description}
      </p>

      <h3 className="detail-section">{t('problem.timeline')}</h3>
      <ol className="timeline">
        {steps.map((s) => (
          <li key={s.key} className={`${s.at ? 'done' : ''}${s.late ? ' late' : ''}`} data-testid={s.key}>
            <span className="timeline-label">{t(s.key)}</span>
            <span className="timeline-time">{formatCityTime(s.at) ?? none}</span>
          </li>
        ))}
      </ol>

      <dl className="fields">
        <Field label={t('problem.unit')} testId="problem-unit">
          {p.unitName ?? none}
        </Field>
        <Field label={t('problem.subdistrict')} testId="problem-subdistrict">
          {p.subdistrictName ?? none}
        </Field>
        <Field label={t('problem.noticeNo')} testId="problem-notice">
          {p.noticeNo ?? none}
        </Field>
        {p.limit && <Field label={t('problem.limit')}>{limitText(p.limit, lang)}</Field>}
        <Field label={t('problem.codes')} testId="problem-codes">
          {p.codes.length
            ? p.codes.map((c) => (
                <span key={c.standard} className="code-line" title={c.name}>
                  {c.code} <small>{c.standard}</small>
                </span>
              ))
            : t('problem.noCode')}
        </Field>
        <Field label={t('problem.place')} testId="problem-place">
          {p.place ? (
            <button type="button" className="link" onClick={() => p.place && onOpenPlace(p.place)}>
              <span className="kind-tag">{kindText(p.place.kind, lang, (k) => t(`kind.${k}`))}</span> {p.place.name}
            </button>
          ) : (
            none
          )}
        </Field>
        <Field label={t('problem.source')}>{isMessageKey(sourceKey) ? t(sourceKey) : p.source}</Field>
        <Field label={t('problem.reporter')}>{p.reporter || none}</Field>
        {p.recurrenceOf && <Field label={t('problem.recurrenceOf')}>{p.recurrenceOf}</Field>}
        <Field label={t('problem.id')} testId="problem-id">
          {p.id}
        </Field>
      </dl>
      {/* Photos before/after, history and the next workflow step (the ledger page shows the same). */}
      <ProblemHistory id={p.id} onChanged={onChanged} />
    </div>
  );
}

/** The window of the place's inspection visits shown beside its problems. */
const VISIT_DAYS = 30;

function PlaceView({ place }: { place: PlaceDetail }) {
  const { t, lang } = useI18n();
  const p = place.properties;
  const none = t('common.none');
  const visits = useRequest((signal) => getPlaceVisits(p.id, VISIT_DAYS, signal), [p.id]);
  return (
    <div className="detail-body">
      <p className="detail-kind" data-testid="place-kind">
        {kindText(p.kind, lang, (k) => t(`kind.${k}`))}
      </p>
      <h2 className="detail-title" data-testid="place-name">
        {p.name}
      </h2>
      <h3 className="detail-section">{t('place.problems')}</h3>
      <div className="stats" data-testid="place-counts">
        <div className="stat">
          <span className="stat-value">{formatCount(p.problemCounts.total, lang)}</span>
          <span className="stat-label">{t('place.total')}</span>
        </div>
        <div className="stat">
          <span className="stat-value">{formatCount(p.problemCounts.open, lang)}</span>
          <span className="stat-label">{t('place.open')}</span>
        </div>
        <div className={`stat${p.problemCounts.overdue > 0 ? ' alert' : ''}`}>
          <span className="stat-value">{formatCount(p.problemCounts.overdue, lang)}</span>
          <span className="stat-label">{t('place.overdue')}</span>
        </div>
      </div>
      <dl className="fields">
        <Field label={t('place.subdistrict')} testId="place-subdistrict">
          {p.subdistrictName ?? none}
        </Field>
        <Field label={t('place.unit')} testId="place-unit">
          {p.unitName ?? none}
        </Field>
        <Field label={t('place.visits', { n: VISIT_DAYS })} testId="place-visits">
          {visits.data
            ? visits.data.visits > 0
              ? t('place.visitsValue', { n: visits.data.visits, at: formatCityTime(visits.data.lastVisitAt) ?? none })
              : t('place.noVisits')
            : visits.error
              ? describeError(visits.error, t)
              : '…'}
        </Field>
        {p.kind === 'market' && <Field label={t('place.address')}>{p.address || none}</Field>}
        {p.kind === 'back-street' && typeof p.lengthM === 'number' && (
          <Field label={t('place.length')}>{t('place.lengthValue', { n: formatCount(Math.round(p.lengthM), lang) })}</Field>
        )}
        <Field label={t('place.id')}>{p.id}</Field>
      </dl>
    </div>
  );
}
