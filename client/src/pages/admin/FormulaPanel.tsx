import { useMemo, useState, type FormEvent } from 'react';
import { cityDate } from '../../../../server/contract/city-time';
import {
  formulaProblems,
  formulaScore,
  formulaText,
  INDICATOR_IDS,
  type Direction,
  type FormulaIndicator,
  type IndicatorId,
  type IndicatorRates,
} from '../../../../server/contract/ranking-formula';
import type { FormulaOut, RankingRow } from '../../../../server/contract/rankings';
import { deleteRankingFormula, getRankingFormulas, putRankingFormula } from '../../api/admin';
import { getRankings } from '../../api/ledger';
import { describeError } from '../../app/describe-error';
import { ErrorBanner } from '../../app/ErrorBanner';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import { useAdminAction } from './use-admin';

interface Draft {
  validFrom: string;
  weights: Record<IndicatorId, string>;
  directions: Record<IndicatorId, Direction>;
  summonsPenalty: string;
}

const ratesOf = (r: RankingRow): IndicatorRates => ({
  handlingRate: r.handlingRate,
  onTimeRate: r.onTimeRate,
  reworkRate: r.reworkRate,
  overdueRate: r.overdueRate,
  extensionRate: r.extensionRate,
  returnRate: r.returnRate,
  passRate: r.lookBackPassRate,
  recurrenceRate: r.recurrenceRate,
  assessmentRate: r.assessmentRate ?? null,
});

function draftFrom(f: FormulaOut, today: string): Draft {
  const base = f.inForce ?? f.builtIn;
  const weights = Object.fromEntries(INDICATOR_IDS.map((id) => [id, String(base.indicators.find((x) => x.id === id)?.weight ?? 0)])) as Draft['weights'];
  const directions = Object.fromEntries(
    INDICATOR_IDS.map((id) => [id, base.indicators.find((x) => x.id === id)?.direction ?? f.indicators.find((x) => x.id === id)!.direction]),
  ) as Draft['directions'];
  return { validFrom: today, weights, directions, summonsPenalty: String(base.summonsPenalty) };
}

/**
 * 红黑榜考评: the city's own indicators and weights, each with its formula, from a day on; the ranking of
 * the last 30 days under the draft is computed here as the weights change (with the contract's
 * formulaScore, the one the server scores with), beside the ranking in force.
 */
export function FormulaPanel() {
  const { t, lang } = useI18n();
  const [today] = useState(() => cityDate(Date.now()));
  const current = useRequest(getRankingFormulas, []);
  const ranking = useRequest((signal) => getRankings({ by: 'subdistrict' }, signal), [current.data]);
  const action = useAdminAction();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saved, setSaved] = useState(false);
  const shown = draft ?? (current.data ? draftFrom(current.data, today) : null);

  const version = useMemo(() => {
    if (!shown) return null;
    const indicators: FormulaIndicator[] = INDICATOR_IDS.filter((id) => Number(shown.weights[id]) > 0).map((id) => ({
      id,
      weight: Number(shown.weights[id]),
      direction: shown.directions[id],
    }));
    return { indicators, summonsPenalty: Number(shown.summonsPenalty) || 0 };
  }, [shown]);
  const problems = version ? formulaProblems(version) : [];
  const sum = version ? version.indicators.reduce((s, x) => s + x.weight, 0) : 0;

  const preview = useMemo(() => {
    if (!version || !ranking.data) return [];
    const rows = ranking.data.rows.map((r) => ({ id: r.id, name: r.name, now: r.score, rankNow: r.rank, next: formulaScore(version, ratesOf(r), r.summons) }));
    const order = [...rows].sort((a, b) => b.next - a.next || a.name.localeCompare(b.name, 'zh-CN'));
    return order.map((r, i) => ({ ...r, rankNext: i + 1 }));
  }, [version, ranking.data]);

  const edit = (next: Partial<Draft>) => {
    if (!shown) return;
    setSaved(false);
    setDraft({ ...shown, ...next });
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!shown || !version || problems.length) return;
    void action.run(
      () => putRankingFormula({ validFrom: shown.validFrom, indicators: version.indicators, summonsPenalty: version.summonsPenalty }),
      () => {
        setDraft(null);
        setSaved(true);
        current.retry();
      },
    );
  };
  const remove = (validFrom: string) =>
    void action.run(
      () => deleteRankingFormula(validFrom),
      () => current.retry(),
    );

  const f = current.data;
  return (
    <section aria-labelledby="admin-formula" data-testid="admin-formula">
      <h2 id="admin-formula">{t('admin.formula.title')}</h2>
      <p className="muted">{t('admin.formula.help')}</p>
      {action.error && <ErrorBanner messages={[action.error]} onDismiss={action.clear} />}
      {current.error && <ErrorBanner messages={[describeError(current.error, t)]} onRetry={current.retry} />}
      {f && (
        <p role="status" data-testid="formula-status">
          {f.inForce
            ? t('admin.formula.inForce', { from: f.inForce.validFrom, formula: f.inForce.formula })
            : t('admin.formula.builtIn', { formula: f.builtIn.formula })}
          {saved && ` ${t('admin.formula.saved')}`}
        </p>
      )}
      {f && f.versions.length > 0 && (
        <table className="admin-table">
          <thead>
            <tr>
              <th>{t('admin.formula.validFrom')}</th>
              <th>{t('admin.formula.formula')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {f.versions.map((v) => (
              <tr key={v.validFrom}>
                <td>{v.validFrom}</td>
                <td>{v.formula}</td>
                <td>
                  <button type="button" onClick={() => remove(v.validFrom)}>
                    {t('admin.formula.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {f && shown && (
        <form className="admin-form formula-form" onSubmit={save}>
          <table className="admin-table formula-indicators">
            <thead>
              <tr>
                <th>{t('admin.formula.indicator')}</th>
                <th>{t('admin.formula.definition')}</th>
                <th>{t('admin.formula.weight')}</th>
                <th>{t('admin.formula.direction')}</th>
              </tr>
            </thead>
            <tbody>
              {f.indicators.map((ind) => (
                <tr key={ind.id}>
                  <td>{lang === 'zh' ? ind.zh : ind.en}</td>
                  <td className="muted">{lang === 'zh' ? ind.formulaZh : ind.formulaEn}</td>
                  <td>
                    <input
                      type="number"
                      min={0}
                      max={100}
                      step="any"
                      value={shown.weights[ind.id]}
                      onChange={(e) => edit({ weights: { ...shown.weights, [ind.id]: e.target.value } })}
                      aria-label={`${ind.zh} ${t('admin.formula.weight')}`}
                      data-testid={`formula-weight-${ind.id}`}
                    />
                  </td>
                  <td>
                    <select
                      value={shown.directions[ind.id]}
                      onChange={(e) => edit({ directions: { ...shown.directions, [ind.id]: e.target.value as Direction } })}
                      aria-label={`${ind.zh} ${t('admin.formula.direction')}`}
                    >
                      <option value="higher">{t('admin.formula.higher')}</option>
                      <option value="lower">{t('admin.formula.lower')}</option>
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className={sum === 100 ? 'muted' : 'detail-warning'} data-testid="formula-sum">
            {t('admin.formula.sum', { n: Math.round(sum * 100) / 100 })}
          </p>
          <label>
            {t('admin.formula.penalty')}{' '}
            <input type="number" min={0} max={20} step="any" value={shown.summonsPenalty} onChange={(e) => edit({ summonsPenalty: e.target.value })} />
          </label>
          <label>
            {t('admin.formula.validFrom')}{' '}
            <input type="date" value={shown.validFrom} onChange={(e) => edit({ validFrom: e.target.value })} required data-testid="formula-valid-from" />
          </label>
          {version && <p className="muted formula-text">{formulaText(version, lang)}</p>}
          {problems.length > 0 && (
            <ul className="form-problems" role="alert">
              {problems.map((p) => (
                <li key={p.path}>{lang === 'zh' ? p.zh : p.message}</li>
              ))}
            </ul>
          )}
          <button type="submit" className="login-submit" disabled={problems.length > 0} data-testid="formula-save">
            {t('admin.formula.save')}
          </button>
        </form>
      )}
      {preview.length > 0 && (
        <>
          <h3>{t('admin.formula.preview')}</h3>
          <table className="admin-table" data-testid="formula-preview">
            <thead>
              <tr>
                <th>{t('admin.formula.rankNext')}</th>
                <th>{t('problem.subdistrict')}</th>
                <th>{t('admin.formula.scoreNext')}</th>
                <th>{t('admin.formula.scoreNow')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.map((r) => (
                <tr key={r.id}>
                  <td>
                    {r.rankNext}
                    {r.rankNext !== r.rankNow && <small className="muted"> ({t('admin.formula.was', { n: r.rankNow })})</small>}
                  </td>
                  <td>{r.name}</td>
                  <td>{r.next.toFixed(1)}</td>
                  <td>{r.now.toFixed(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
