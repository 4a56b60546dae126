import { useState } from 'react';
import { useI18n } from '../../app/use-i18n';
import type { PlanSheet } from '../../api/plans';
import { itemVerdict } from '../../../../server/contract/assessment-rules';
import { readCheckValues, readChecks, writeCheckValues, writeChecks, type CheckResult } from './field-storage';

export type CheckItem = PlanSheet['checkItems'][string][number];

/**
 * The check items of a stop's kind: pass / fail / not applicable, and for a count or rate item (公益广告
 * 处数, 亮灯率) the number seen, from which the verdict follows as the server judges it. Results are kept
 * on the phone per plan and stop; a failed item that maps to a problem category opens the report for it.
 */
export function StopChecks({
  planId,
  stopId,
  items,
  onFail,
}: {
  planId: string;
  stopId: string;
  items: readonly CheckItem[];
  onFail: (item: CheckItem) => void;
}) {
  const { t, lang } = useI18n();
  const [results, setResults] = useState<Record<string, CheckResult>>(() => readChecks(planId, stopId));
  const [values, setValues] = useState<Record<string, number>>(() => readCheckValues(planId, stopId));
  const save = (item: CheckItem, r: CheckResult | undefined, value: number | undefined) => {
    const nextResults = { ...results };
    if (r === undefined) delete nextResults[item.id];
    else nextResults[item.id] = r;
    const nextValues = { ...values };
    if (value === undefined) delete nextValues[item.id];
    else nextValues[item.id] = value;
    writeChecks(planId, stopId, nextResults);
    writeCheckValues(planId, stopId, nextValues);
    setResults(nextResults);
    setValues(nextValues);
  };
  // A verdict pressed by hand stands alone: the number beside it would contradict it. A number typed in
  // does not open the report form (each keystroke would): the fail it gives is reported with the button.
  const choose = (item: CheckItem, r: CheckResult) => {
    save(item, r, undefined);
    if (r === 'fail' && item.category) onFail(item);
  };
  const count = (item: CheckItem, text: string) => {
    const rule = item.rule;
    if (!rule || rule.kind === 'pass-fail') return;
    if (text.trim() === '') return save(item, undefined, undefined);
    const n = Number(text);
    if (!Number.isFinite(n) || n < 0) return;
    const value = rule.kind === 'rate' ? Math.min(n, 100) / 100 : Math.round(n);
    save(item, itemVerdict(rule, 'pass', value), value);
  };
  if (items.length === 0) return null;
  return (
    <ul className="field-checks" data-testid="field-checks">
      {items.map((item) => {
        const rule = item.rule;
        const value = values[item.id];
        return (
          <li key={item.id} data-item={item.id}>
            <span>{item[lang]}</span>
            {rule && rule.kind !== 'pass-fail' && (
              <label className="field-check-value">
                <span>
                  {rule.kind === 'count'
                    ? t('field.check.count', { min: rule.min, unit: rule.unit[lang] })
                    : t('field.check.rate', { min: Math.round(rule.min * 100) })}
                </span>
                <input
                  type="number"
                  inputMode={rule.kind === 'count' ? 'numeric' : 'decimal'}
                  min={0}
                  max={rule.kind === 'rate' ? 100 : undefined}
                  step={rule.kind === 'count' ? 1 : 'any'}
                  value={value === undefined ? '' : rule.kind === 'rate' ? Math.round(value * 1000) / 10 : value}
                  onChange={(e) => count(item, e.target.value)}
                  data-value-for={item.id}
                />
              </label>
            )}
            <span className="field-check-buttons">
              {(['pass', 'fail', 'na'] as const).map((r) => (
                <button
                  key={r}
                  type="button"
                  aria-pressed={results[item.id] === r}
                  className={results[item.id] === r ? `chosen ${r}` : ''}
                  onClick={() => choose(item, r)}
                  data-result={r}
                >
                  {t(`field.check.${r}`)}
                </button>
              ))}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
