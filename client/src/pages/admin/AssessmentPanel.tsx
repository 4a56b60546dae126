import { useState, type FormEvent } from 'react';
import { getAssessment, removeAssessment, setAssessment } from '../../api/admin';
import { describeError } from '../../app/describe-error';
import { ErrorBanner } from '../../app/ErrorBanner';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import { formatCityTime } from '../../lib/format';
import { useAdminAction } from './use-admin';

/** The assessment window (测评) the big screen's header counts down to: set, change or remove it. */
export function AssessmentPanel() {
  const { t } = useI18n();
  const current = useRequest(getAssessment, []);
  const action = useAdminAction();
  const [form, setForm] = useState<{ name: string; start: string; end: string } | null>(null);
  const shown = form ?? { name: current.data?.name ?? '', start: current.data?.start ?? '', end: current.data?.end ?? '' };
  const save = (e: FormEvent) => {
    e.preventDefault();
    void action.run(
      () => setAssessment(shown),
      () => {
        setForm(null);
        current.retry();
      },
    );
  };
  const remove = () =>
    void action.run(removeAssessment, () => {
      setForm(null);
      current.retry();
    });
  return (
    <section aria-labelledby="admin-assessment" data-testid="admin-assessment">
      <h2 id="admin-assessment">{t('admin.assessment.title')}</h2>
      <p className="muted">{t('admin.assessment.help')}</p>
      {action.error && <ErrorBanner messages={[action.error]} onDismiss={action.clear} />}
      {current.error && <ErrorBanner messages={[describeError(current.error, t)]} onRetry={current.retry} />}
      <p role="status">
        {current.data
          ? t('admin.assessment.current', {
              name: current.data.name,
              start: current.data.start,
              end: current.data.end,
              at: formatCityTime(current.data.updatedAt) ?? current.data.updatedAt,
            })
          : t('admin.assessment.none')}
      </p>
      <form className="admin-form" onSubmit={save}>
        <input
          placeholder={t('admin.assessment.name')}
          aria-label={t('admin.assessment.name')}
          value={shown.name}
          onChange={(e) => setForm({ ...shown, name: e.target.value })}
          maxLength={60}
          required
        />
        <label>
          {t('admin.assessment.start')} <input type="date" value={shown.start} onChange={(e) => setForm({ ...shown, start: e.target.value })} required />
        </label>
        <label>
          {t('admin.assessment.end')}{' '}
          <input type="date" value={shown.end} min={shown.start || undefined} onChange={(e) => setForm({ ...shown, end: e.target.value })} required />
        </label>
        <button type="submit" className="login-submit">
          {t('admin.assessment.save')}
        </button>
        {current.data && (
          <button type="button" className="link" onClick={remove}>
            {t('admin.assessment.remove')}
          </button>
        )}
      </form>
    </section>
  );
}
