/**
 * 迎检准备 on the map: every inspection point as a dot, green 达标, orange 未达标, grey 超期未查 (checked
 * within the chosen days), drawn over the basemap in the map's overlay. For the roles that read the
 * city's 测评 figures only; off until switched on, as it is one more request and many dots.
 */
import { useMemo } from 'react';
import type { ReadinessMap } from '../../../../server/contract/assessment';
import { READINESS_DAY_CHOICES } from '../../../../server/contract/assessment-rules';
import { getReadinessMap } from '../../api/assessment';
import { describeError } from '../../app/describe-error';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';

export const READINESS_COLORS = { ready: '#15803d', 'not-ready': '#c2410c', stale: '#6d28d9' } as const;
/** A character in each dot, so the dots read apart from the problems' (plain, smaller) circles in any colour vision. */
const READINESS_MARKS = { ready: '达', 'not-ready': '未', stale: '超' } as const;

/** The overlay's points for the readiness of `days` (null while off or loading), and the request behind them. */
export function useReadinessOverlay(days: number | null) {
  const res = useRequest<ReadinessMap>(days === null ? null : (signal) => getReadinessMap(days, signal), [days]);
  const features = useMemo<GeoJSON.Feature[] | null>(
    () =>
      days === null || !res.data
        ? null
        : res.data.features.map((f) => ({
            type: 'Feature',
            geometry: f.geometry,
            properties: { color: READINESS_COLORS[f.properties.status], label: READINESS_MARKS[f.properties.status], radius: 8, name: f.properties.name },
          })),
    [days, res.data],
  );
  return { features, res };
}

/** The switch, the window and the counts with their colours. */
export function ReadinessToggle({
  days,
  onChange,
  res,
}: {
  days: number | null;
  onChange: (days: number | null) => void;
  res: ReturnType<typeof useReadinessOverlay>['res'];
}) {
  const { t } = useI18n();
  const counts = { ready: 0, 'not-ready': 0, stale: 0 };
  for (const f of res.data?.features ?? []) counts[f.properties.status] += 1;
  return (
    <section className="panel-section" aria-labelledby="readiness-layer-title" data-testid="readiness-layer">
      <header className="section-header">
        <h2 id="readiness-layer-title">{t('readinessLayer.title')}</h2>
      </header>
      <label className="toggle">
        <input type="checkbox" name="layer-readiness" checked={days !== null} onChange={() => onChange(days === null ? 30 : null)} />
        <span className="switch" aria-hidden="true" />
        <span>{t('readinessLayer.toggle')}</span>
      </label>
      {days !== null && (
        <>
          <label className="readiness-days">
            {t('readinessLayer.days')}{' '}
            <select value={days} onChange={(e) => onChange(Number(e.target.value))}>
              {READINESS_DAY_CHOICES.map((d) => (
                <option key={d} value={d}>
                  {t('readinessLayer.daysN', { n: d })}
                </option>
              ))}
            </select>
          </label>
          {res.loading && <p className="muted">{t('panel.loading')}</p>}
          {res.error && <p className="detail-warning">{describeError(res.error, t)}</p>}
          {res.data && (
            <ul className="readiness-legend" data-testid="readiness-legend">
              {(['ready', 'not-ready', 'stale'] as const).map((s) => (
                <li key={s}>
                  <span className="readiness-dot" style={{ background: READINESS_COLORS[s] }} aria-hidden="true">
                    {READINESS_MARKS[s]}
                  </span>
                  {t(`readinessLayer.${s}`)} {counts[s]}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
