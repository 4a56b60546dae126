/**
 * 系统管理 — the administrator's page: accounts (create, disable, reset a password), API keys for other
 * city systems, read-only screen tokens for wall PCs with the assessment window the big screen counts
 * down to, and the audit log of every write.
 */
import { useState, type FormEvent } from 'react';
import { callJson } from '../../api/client';
import type { Meta, UserRole } from '../../api/types';
import type { AuditEntryOut, TokenOut, UserOut } from '../../../../server/contract/auth';
import type { AssessmentSetting } from '../../../../server/contract/screen';
import { describeError } from '../../app/describe-error';
import { ErrorBanner } from '../../app/ErrorBanner';
import type { PageProps } from '../../app/pages';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import { formatCityTime } from '../../lib/format';

const TABS = ['users', 'keys', 'screens', 'audit'] as const;
type Tab = (typeof TABS)[number];
const ROLES: UserRole[] = ['admin', 'leader', 'inspector', 'unit'];

export function AdminPage({ meta }: PageProps) {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('users');
  return (
    <div className="admin-page">
      <div className="admin-tabs" role="tablist">
        {TABS.map((k) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} onClick={() => setTab(k)} data-testid={`admin-tab-${k}`}>
            {t(`admin.tab.${k}`)}
          </button>
        ))}
      </div>
      <div className="admin-body">
        {tab === 'users' && <Users meta={meta} />}
        {tab === 'keys' && <Tokens kind="api-keys" />}
        {tab === 'screens' && <Tokens kind="screen-tokens" />}
        {tab === 'screens' && <Assessment />}
        {tab === 'audit' && <Audit />}
      </div>
    </div>
  );
}

function useAction() {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>, after: () => void) => {
    setError(null);
    try {
      await action();
      after();
    } catch (err) {
      setError(err instanceof Error ? describeError(err, t) : String(err));
    }
  };
  return { error, run, clear: () => setError(null) };
}

function Users({ meta }: { meta: Meta }) {
  const { t } = useI18n();
  const users = useRequest((signal) => callJson<UserOut[]>('GET', '/api/users', undefined, signal), []);
  const action = useAction();
  const [form, setForm] = useState({ username: '', displayName: '', role: 'inspector' as UserRole, unitId: '', password: '' });
  const unitName = (id: string | null) => meta.units.find((u) => u.id === id)?.name ?? id ?? '';

  const create = (e: FormEvent) => {
    e.preventDefault();
    void action.run(
      () => callJson('POST', '/api/users', { ...form, unitId: form.role === 'unit' ? form.unitId : null }),
      () => {
        setForm({ ...form, username: '', displayName: '', password: '' });
        users.retry();
      },
    );
  };
  const patch = (u: UserOut, change: { disabled?: boolean; password?: string }) =>
    void action.run(() => callJson('PATCH', `/api/users/${u.id}`, change), users.retry);

  return (
    <section aria-labelledby="admin-users">
      <h2 id="admin-users">{t('admin.users')}</h2>
      {action.error && <ErrorBanner messages={[action.error]} onDismiss={action.clear} />}
      {users.error && <ErrorBanner messages={[describeError(users.error, t)]} onRetry={users.retry} />}
      <table className="admin-table">
        <thead>
          <tr>
            <th>{t('login.username')}</th>
            <th>{t('admin.displayName')}</th>
            <th>{t('admin.role')}</th>
            <th>{t('admin.state')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(users.data ?? []).map((u) => (
            <tr key={u.id} className={u.disabled ? 'muted' : ''}>
              <td>{u.username}</td>
              <td>{u.displayName}</td>
              <td>
                {t(`role.${u.role}`)}
                {u.role === 'unit' && <small> · {unitName(u.unitId)}</small>}
              </td>
              <td>
                {u.disabled ? t('admin.disabled') : t('admin.enabled')}
                {u.demo && <small> · {t('admin.demo')}</small>}
                {u.mustChange && <small> · {t('admin.mustChange')}</small>}
              </td>
              <td className="admin-actions">
                <button type="button" className="link" onClick={() => patch(u, { disabled: !u.disabled })}>
                  {u.disabled ? t('admin.enable') : t('admin.disable')}
                </button>
                <button
                  type="button"
                  className="link"
                  onClick={() => {
                    const password = window.prompt(t('admin.newPassword', { name: u.username }));
                    if (password) patch(u, { password });
                  }}
                >
                  {t('admin.resetPassword')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="admin-form" onSubmit={create}>
        <h3>{t('admin.createUser')}</h3>
        <input placeholder={t('login.username')} value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} required />
        <input placeholder={t('admin.displayName')} value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} required />
        <select aria-label={t('admin.role')} value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as UserRole })}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
        {form.role === 'unit' && (
          <select aria-label={t('admin.pickUnit')} value={form.unitId} onChange={(e) => setForm({ ...form, unitId: e.target.value })} required>
            <option value="">{t('admin.pickUnit')}</option>
            {meta.units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        )}
        <input
          type="password"
          autoComplete="new-password"
          placeholder={t('password.next')}
          minLength={8}
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
          required
        />
        <button type="submit" className="login-submit">
          {t('admin.create')}
        </button>
      </form>
    </section>
  );
}

function Tokens({ kind }: { kind: 'api-keys' | 'screen-tokens' }) {
  const { t } = useI18n();
  const tokens = useRequest((signal) => callJson<TokenOut[]>('GET', `/api/${kind}`, undefined, signal), [kind]);
  const action = useAction();
  const [name, setName] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const issue = (e: FormEvent) => {
    e.preventDefault();
    void action.run(
      async () => setSecret((await callJson<TokenOut & { secret: string }>('POST', `/api/${kind}`, { name })).secret),
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
                  <button type="button" className="link" onClick={() => void action.run(() => callJson('DELETE', `/api/${kind}/${k.id}`), tokens.retry)}>
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

function Audit() {
  const { t } = useI18n();
  const audit = useRequest((signal) => callJson<AuditEntryOut[]>('GET', '/api/audit?limit=500', undefined, signal), []);
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

/** The assessment window (测评) the big screen's header counts down to: set, change or remove it. */
function Assessment() {
  const { t } = useI18n();
  const current = useRequest((signal) => callJson<AssessmentSetting>('GET', '/api/screen/assessment', undefined, signal), []);
  const action = useAction();
  const [form, setForm] = useState<{ name: string; start: string; end: string } | null>(null);
  const shown = form ?? { name: current.data?.name ?? '', start: current.data?.start ?? '', end: current.data?.end ?? '' };
  const save = (e: FormEvent) => {
    e.preventDefault();
    void action.run(
      () => callJson('PUT', '/api/screen/assessment', shown),
      () => {
        setForm(null);
        current.retry();
      },
    );
  };
  const remove = () =>
    void action.run(
      () => callJson('DELETE', '/api/screen/assessment'),
      () => {
        setForm(null);
        current.retry();
      },
    );
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
