/**
 * 备份: the scheduled backups (folder, time, how many kept, the next run), the last one that completed
 * (time, size, files) and the last failure in red; when BACKUP_DIR is unset, how to turn them on. The
 * commands are the README's ("Backups").
 */
import type { BackupStatus } from '../../../../server/contract/system';
import { getSystemStatus } from '../../api/system';
import { describeError } from '../../app/describe-error';
import { ErrorBanner } from '../../app/ErrorBanner';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import { formatCityTime, formatCount } from '../../lib/format';
import { formatMegabytes } from './phone-access';

/** The README's example folders. */
const MANUAL_BACKUP = '/srv/backups/xuncha-manual';
const SCHEDULED_START = 'BACKUP_DIR=/srv/backups/xuncha BACKUP_AT=02:00 BACKUP_KEEP=7 npm start';

export function BackupPanel() {
  const { t } = useI18n();
  const status = useRequest(getSystemStatus, []);
  return (
    <section aria-labelledby="admin-backups" data-testid="admin-backups" data-state={status.data ? 'ready' : status.error ? 'error' : 'loading'}>
      <h2 id="admin-backups">{t('admin.backup.title')}</h2>
      <p className="muted">{t('admin.backup.help')}</p>
      {status.error && <ErrorBanner messages={[describeError(status.error, t)]} onRetry={status.retry} />}
      {!status.data && status.loading && <p role="status">{t('panel.loading')}</p>}
      {status.data && <Backups backup={status.data.backup} />}
    </section>
  );
}

function Backups({ backup }: { backup: BackupStatus }) {
  const { t, lang } = useI18n();
  const { schedule, last, lastFailure } = backup;
  return (
    <>
      {lastFailure && (
        <div className="phone-failure" role="alert" data-testid="backup-failure">
          <strong>{t('admin.backup.failed', { at: formatCityTime(lastFailure.at) ?? lastFailure.at })}</strong> {lastFailure.error}
          <p>{t('admin.backup.failedHint')}</p>
        </div>
      )}
      {schedule ? (
        <table className="admin-table backup-table" data-testid="backup-schedule">
          <tbody>
            <tr>
              <th scope="row">{t('admin.backup.dir')}</th>
              <td>
                <code>{schedule.dir}</code>
              </td>
            </tr>
            <tr>
              <th scope="row">{t('admin.backup.at')}</th>
              <td>{t('admin.backup.atValue', { at: schedule.at })}</td>
            </tr>
            <tr>
              <th scope="row">{t('admin.backup.keep')}</th>
              <td>{t('admin.backup.keepValue', { n: schedule.keep })}</td>
            </tr>
            <tr>
              <th scope="row">{t('admin.backup.next')}</th>
              <td>{backup.running ? t('admin.backup.running') : (formatCityTime(schedule.next) ?? '—')}</td>
            </tr>
          </tbody>
        </table>
      ) : (
        <div className="phone-warning" data-testid="backup-off">
          <h3>{t('admin.backup.off')}</h3>
          <p>{t('admin.backup.howOn')}</p>
          <pre>
            <code>{SCHEDULED_START}</code>
          </pre>
        </div>
      )}
      <h3>{t('admin.backup.last')}</h3>
      {last ? (
        <table className="admin-table backup-table" data-testid="backup-last">
          <tbody>
            <tr>
              <th scope="row">{t('admin.when')}</th>
              <td>{formatCityTime(last.at) ?? last.at}</td>
            </tr>
            <tr>
              <th scope="row">{t('admin.backup.size')}</th>
              <td>{formatMegabytes(last.sizeBytes, lang)}</td>
            </tr>
            <tr>
              <th scope="row">{t('admin.backup.files')}</th>
              <td>{formatCount(last.files, lang)}</td>
            </tr>
            <tr>
              <th scope="row">{t('admin.backup.where')}</th>
              <td>
                <code>{last.dir}</code>
              </td>
            </tr>
            <tr>
              <th scope="row">{t('admin.backup.schema')}</th>
              <td>{last.schemaVersion}</td>
            </tr>
          </tbody>
        </table>
      ) : (
        <p data-testid="backup-none">{t('admin.backup.lastNone')}</p>
      )}
      <p>{t('admin.backup.manual')}</p>
      <pre>
        <code>npm run backup -- --out {MANUAL_BACKUP}</code>
      </pre>
      <p>{t('admin.backup.restore')}</p>
      <pre>
        <code>npm run restore -- {last?.dir ?? MANUAL_BACKUP}</code>
      </pre>
    </>
  );
}
