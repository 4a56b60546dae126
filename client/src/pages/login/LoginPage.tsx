/**
 * 登录 — the sign-in page shown whenever nobody is signed in. One form; the server's sentence is shown
 * as it is (wrong password with attempts left, locked until when).
 */
import { useState, type FormEvent } from 'react';
import { login } from '../../api/auth';
import type { Me } from '../../api/types';
import { describeError } from '../../app/describe-error';
import { LANGS, type Lang } from '../../app/i18n';
import { useI18n } from '../../app/use-i18n';

const LANG_LABEL: Record<Lang, string> = { zh: '中', en: 'EN' };

export function LoginPage({ onSignedIn, lang, onLangChange }: { onSignedIn: (me: Me) => void; lang: Lang; onLangChange: (l: Lang) => void }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await login(username.trim(), password));
    } catch (err) {
      setError(err instanceof Error ? describeError(err, t) : String(err));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title">
        <div className="login-brand">
          <span className="topbar-mark" aria-hidden="true">
            巡
          </span>
          <div>
            <h1 id="login-title">{t('login.title')}</h1>
            <p>{t('login.subtitle')}</p>
          </div>
        </div>
        <label className="login-field">
          <span>{t('login.username')}</span>
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus />
        </label>
        <label className="login-field">
          <span>{t('login.password')}</span>
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error && (
          <p className="login-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="login-submit" disabled={busy || !username.trim() || !password}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
        <div className="login-foot">
          <span>{t('login.help')}</span>
          <div className="lang-switch login-lang" role="group" aria-label={t('lang.switch')}>
            {LANGS.map((l) => (
              <button key={l} type="button" aria-pressed={l === lang} className={l === lang ? 'active' : ''} onClick={() => onLangChange(l)}>
                {LANG_LABEL[l]}
              </button>
            ))}
          </div>
        </div>
      </form>
    </div>
  );
}
