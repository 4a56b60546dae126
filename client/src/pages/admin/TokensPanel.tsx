/** API keys for other city systems, or read-only screen tokens for wall PCs: issue (secret shown once) and revoke. */
import { useState, type FormEvent } from 'react';
import { issueToken, listTokens, revokeToken, type TokenKind } from '../../api/admin';
import { ErrorBanner } from '../../app/ErrorBanner';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import { formatCityTime } from '../../lib/format';
import { useAdminAction } from './use-admin';

export function TokensPanel({ kind }: { kind: TokenKind }) {
  const { t } = useI18n();
  const tokens = useRequest((signal) => listTokens(kind, signal), [kind]);
  const action = useAdminAction();
  const [name, setName] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const issue = (e: FormEvent) => {
    e.preventDefault();
    void action.run(
      async () => setSecret((await issueToken(kind, name)).secret),
      () => {
        setName('');
        tokens.retry();
      },
    );
  };
  const screenUrl = secret && kind === 'screen-tokens' ? `${window.location.origin}/screen?screen_token=${secret}` : null;
  return (
    <section>
      <h2>{t(kind === 'api-keys' ? 'admin.tab.keys' : 'admin.tab.screens')}</h2>
      <p className="muted">{t(kind === 'api-keys' ? 'admin.keysHelp' : 'admin.screensHelp')}</p>
      {action.error && <ErrorBanner messages={[action.error]} onDismiss={action.clear} />}
      {secret && (
        <p className="admin-secret" role="status" data-testid="admin-secret">
          {t('admin.secretOnce')} <code>{screenUrl ?? secret}</code>
        </p>
      )}
      <table className="admin-table">
        <thead>
          <tr>
            <th>{t('admin.name')}</th>
            <th>{t('admin.prefix')}</th>
            <th>{t('admin.created')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(tokens.data ?? []).map((k) => (
            <tr key={k.id} className={k.revokedAt ? 'muted' : ''}>
              <td>{k.name}</td>
              <td>
                <code>{k.prefix}…</code>
              </td>
              <td>{formatCityTime(k.createdAt)}</td>
              <td>
                {k.revokedAt ? (
                  t('admin.revoked')
                ) : (
                  <button type="button" className="link" onClick={() => void action.run(() => revokeToken(kind, k.id), tokens.retry)}>
                    {t('admin.revoke')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="admin-form" onSubmit={issue}>
        <input placeholder={t('admin.name')} value={name} onChange={(e) => setName(e.target.value)} required />
        <button type="submit" className="login-submit">
          {t('admin.issue')}
        </button>
      </form>
    </section>
  );
}
