/** The audit log of every write, newest first. */
import { getAudit } from '../../api/admin';
import { describeError } from '../../app/describe-error';
import { ErrorBanner } from '../../app/ErrorBanner';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import { formatCityTime } from '../../lib/format';

/** Entries shown: the latest writes, enough for a day's review. */
const AUDIT_ROWS = 500;

export function AuditPanel() {
  const { t } = useI18n();
  const audit = useRequest((signal) => getAudit(AUDIT_ROWS, signal), []);
  return (
    <section>
      <h2>{t('admin.tab.audit')}</h2>
      <p className="muted">{t('admin.auditHelp')}</p>
      {audit.error && <ErrorBanner messages={[describeError(audit.error, t)]} onRetry={audit.retry} />}
      <table className="admin-table" data-testid="audit-table">
        <thead>
          <tr>
            <th>{t('admin.when')}</th>
            <th>{t('admin.who')}</th>
            <th>{t('admin.what')}</th>
            <th>{t('admin.result')}</th>
            <th>{t('admin.from')}</th>
          </tr>
        </thead>
        <tbody>
          {(audit.data ?? []).map((a) => (
            <tr key={a.id} className={a.status >= 400 ? 'admin-failed' : ''}>
              <td>{formatCityTime(a.at)}</td>
              <td>{a.username ?? '—'}</td>
              <td>
                <code>
                  {a.method} {a.path}
                </code>
              </td>
              <td>{a.status}</td>
              <td>{a.ip}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
