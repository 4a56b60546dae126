import { useState, type FormEvent } from 'react';
import { ASSESSMENT_WEIGHT_MAX } from '../../../../server/contract/ranking-formula';
import { getRankingWeights, setRankingWeights } from '../../api/admin';
import { describeError } from '../../app/describe-error';
import { ErrorBanner } from '../../app/ErrorBanner';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import { formatCityTime } from '../../lib/format';
import { useAdminAction } from './use-admin';

/** How many of the 红黑榜's 100 points the 测评 得分率 carries: the city's own 考评 rule, set here. */
export function RankingWeightsPanel() {
  const { t } = useI18n();
  const current = useRequest(getRankingWeights, []);
  const action = useAdminAction();
  const [draft, setDraft] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const shown = draft ?? String(current.data?.assessment ?? 0);
  const save = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    void action.run(
      () => setRankingWeights({ assessment: Number(shown) }),
      () => {
        setDraft(null);
        setSaved(true);
        current.retry();
      },
    );
  };
  return (
    <section aria-labelledby="admin-weights" data-testid="admin-weights">
      <h2 id="admin-weights">{t('admin.weights.title')}</h2>
      <p className="muted">{t('admin.weights.help')}</p>
      {action.error && <ErrorBanner messages={[action.error]} onDismiss={action.clear} />}
      {current.error && <ErrorBanner messages={[describeError(current.error, t)]} onRetry={current.retry} />}
      <p role="status">
        {current.data?.updatedAt
          ? t('admin.weights.current', { w: current.data.assessment, at: formatCityTime(current.data.updatedAt) ?? current.data.updatedAt })
          : current.data
            ? t('admin.weights.default')
            : ''}
        {saved && ` ${t('admin.weights.saved')}`}
      </p>
      <form className="admin-form" onSubmit={save}>
        <label>
          {t('admin.weights.label')}{' '}
          <input
            type="number"
            min={0}
            max={ASSESSMENT_WEIGHT_MAX}
            step={1}
            value={shown}
            onChange={(e) => {
              setSaved(false);
              setDraft(e.target.value);
            }}
            required
            data-testid="admin-weights-input"
          />{' '}
          / 100
        </label>
        <button type="submit" className="login-submit" disabled={current.data === undefined}>
          {t('admin.weights.save')}
        </button>
      </form>
    </section>
  );
}
