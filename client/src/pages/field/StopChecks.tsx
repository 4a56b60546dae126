import { useState } from 'react';
import { useI18n } from '../../app/use-i18n';
import type { PlanSheet } from '../../api/plans';
import { readChecks, writeChecks, type CheckResult } from './field-storage';

export type CheckItem = PlanSheet['checkItems'][string][number];

/**
 * The check items of a stop's kind: pass / fail / not applicable. Results are kept on the phone per
 * plan and stop; a failed item that maps to a problem category opens the report for it.
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
  const set = (item: CheckItem, r: CheckResult) => {
    const next = { ...results, [item.id]: r };
    writeChecks(planId, stopId, next);
    setResults(next);
    if (r === 'fail' && item.category) onFail(item);
  };
  if (items.length === 0) return null;
  return (
    <ul className="field-checks" data-testid="field-checks">
      {items.map((item) => (
        <li key={item.id} data-item={item.id}>
          <span>{item[lang]}</span>
          <span className="field-check-buttons">
            {(['pass', 'fail', 'na'] as const).map((r) => (
              <button
                key={r}
                type="button"
                aria-pressed={results[item.id] === r}
                className={results[item.id] === r ? `chosen ${r}` : ''}
                onClick={() => set(item, r)}
                data-result={r}
              >
                {t(`field.check.${r}`)}
              </button>
            ))}
          </span>
        </li>
      ))}
    </ul>
  );
}
