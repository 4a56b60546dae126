/**
 * 账号: every account, disabling/enabling one, resetting its password or deleting its walked tracks (a
 * track is personal data: it goes on the person's request), and creating one. In a city of
 * several districts a leader or inspector may belong to one district's 创文办 (it then sees, plans, ranks
 * and exports only there); "全市" leaves it city-wide.
 */
import { useState, type FormEvent } from 'react';
import type { UserOut } from '../../../../server/contract/auth';
import { createUser, deleteUserTracks, listUsers, updateUser } from '../../api/admin';
import type { Meta, UserRole } from '../../api/types';
import { describeError } from '../../app/describe-error';
import { ErrorBanner } from '../../app/ErrorBanner';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import { useAdminAction } from './use-admin';

const ROLES: UserRole[] = ['admin', 'leader', 'inspector', 'unit'];
/** The roles a district office's account may have (the server refuses a district on the others). */
const DISTRICT_ROLES: readonly UserRole[] = ['leader', 'inspector'];

export function UsersPanel({ meta }: { meta: Meta }) {
  const { t } = useI18n();
  const users = useRequest(listUsers, []);
  const action = useAdminAction();
  const [form, setForm] = useState({ username: '', displayName: '', role: 'inspector' as UserRole, unitId: '', districtId: '', password: '' });
  const unitName = (id: string | null) => meta.units.find((u) => u.id === id)?.name ?? id ?? '';
  const severalDistricts = meta.districts.length > 1;
  const districtName = (id: string) => meta.districts.find((d) => d.id === id)?.name ?? id;
  const offersDistrict = severalDistricts && DISTRICT_ROLES.includes(form.role);

  const create = (e: FormEvent) => {
    e.preventDefault();
    void action.run(
      () => createUser({ ...form, unitId: form.role === 'unit' ? form.unitId : null, districtId: offersDistrict && form.districtId ? form.districtId : null }),
      () => {
        setForm({ ...form, username: '', displayName: '', password: '' });
        users.retry();
      },
    );
  };
  const patch = (u: UserOut, change: { disabled?: boolean; password?: string }) => void action.run(() => updateUser(u.id, change), users.retry);
  const [notice, setNotice] = useState<string | null>(null);
  const deleteTracks = (u: UserOut) => {
    if (!window.confirm(t('admin.tracks.confirm', { name: u.displayName || u.username }))) return;
    setNotice(null);
    let deleted = 0;
    void action.run(
      async () => (deleted = await deleteUserTracks(u.id)),
      () => setNotice(t('admin.tracks.deleted', { name: u.displayName || u.username, n: deleted.toLocaleString() })),
    );
  };

  return (
    <section aria-labelledby="admin-users">
      <h2 id="admin-users">{t('admin.users')}</h2>
      {action.error && <ErrorBanner messages={[action.error]} onDismiss={action.clear} />}
      {users.error && <ErrorBanner messages={[describeError(users.error, t)]} onRetry={users.retry} />}
      {notice && (
        <p role="status" data-testid="users-notice">
          {notice}
        </p>
      )}
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
                {severalDistricts && DISTRICT_ROLES.includes(u.role) && (
                  <small data-testid="user-district"> · {u.districtId ? districtName(u.districtId) : t('admin.district.none')}</small>
                )}
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
                {u.role !== 'unit' && (
                  <button type="button" className="link" onClick={() => deleteTracks(u)}>
                    {t('admin.tracks.delete')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="admin-form users-form" onSubmit={create}>
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
        {offersDistrict && (
          <select
            aria-label={t('admin.district')}
            title={t('admin.district')}
            value={form.districtId}
            onChange={(e) => setForm({ ...form, districtId: e.target.value })}
            data-testid="user-district-select"
          >
            <option value="">{t('admin.district.city')}</option>
            {meta.districts.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
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
