/** 修改密码 — change my password (required after a one-time password). */
import { useState, type FormEvent } from 'react';
import { changePassword } from '../api/auth';
import { describeError } from './describe-error';
import { useI18n } from './use-i18n';

export function PasswordDialog({ required, onDone }: { required: boolean; onDone: () => void }) {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (next !== again) {
      setError(t('password.mismatch'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await changePassword(current, next);
      onDone();
    } catch (err) {
      setError(err instanceof Error ? describeError(err, t) : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="dialog-backdrop" role="presentation">
      <form className="dialog" role="dialog" aria-modal="true" aria-labelledby="password-title" onSubmit={submit}>
        <h2 id="password-title">{t('password.title')}</h2>
        {required && <p className="muted">{t('password.required')}</p>}
        <label className="login-field">
          <span>{t('password.current')}</span>
          <input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required autoFocus />
        </label>
        <label className="login-field">
          <span>{t('password.next')}</span>
          <input type="password" autoComplete="new-password" minLength={8} value={next} onChange={(e) => setNext(e.target.value)} required />
        </label>
        <label className="login-field">
          <span>{t('password.again')}</span>
          <input type="password" autoComplete="new-password" minLength={8} value={again} onChange={(e) => setAgain(e.target.value)} required />
        </label>
        {error && (
          <p className="login-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          {!required && (
            <button type="button" className="ghost" onClick={onDone}>
              {t('password.cancel')}
            </button>
          )}
          <button type="submit" className="login-submit" disabled={busy}>
            {t('password.save')}
          </button>
        </div>
      </form>
    </div>
  );
}
