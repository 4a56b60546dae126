import { useState } from 'react';
import type { Me } from '../api/types';
import { LANGS, type Lang } from './i18n';
import type { PageEntry } from './pages';
import { useI18n } from './use-i18n';
import { forgetOfflineSession } from '../pages/field/offline-session';

const LANG_LABEL: Record<Lang, string> = { zh: '中', en: 'EN' };

interface TopBarProps {
  cityName: string | null;
  lang: Lang;
  onLangChange: (lang: Lang) => void;
  /** The pages the signed-in role may open. */
  pages: readonly PageEntry[];
  currentPath: string;
  onNavigate: (path: string) => void;
  me: Me | null;
  onSignOut: () => void;
  onChangePassword: () => void;
}

/** The product bar: mark, product and city name, page navigation, language switch. */
export function TopBar({ cityName, lang, onLangChange, pages, currentPath, onNavigate, me, onSignOut, onChangePassword }: TopBarProps) {
  const { t } = useI18n();
  const [menuOpen, setMenuOpen] = useState(false);
  return (
    <header className="topbar">
      <div className="topbar-brand">
        <span className="topbar-mark" aria-hidden="true">
          巡
        </span>
        <span className="topbar-product">
          <strong>{t('app.product')}</strong>
          <small>{t('app.productLatin')}</small>
        </span>
        {cityName && (
          <>
            <span className="topbar-divider" aria-hidden="true" />
            <span className="topbar-city">
              <strong data-testid="city-name">{cityName}</strong>
              <small>{t('app.subtitle')}</small>
            </span>
          </>
        )}
      </div>
      {pages.length > 1 && (
        <nav className="topbar-nav" aria-label={t('nav.label')}>
          {pages.map((p) => (
            <a
              key={p.path}
              href={p.path}
              aria-current={p.path === currentPath ? 'page' : undefined}
              onClick={(e) => {
                // Plain clicks stay in the app; ctrl/middle clicks open a new tab as links should.
                if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
                e.preventDefault();
                onNavigate(p.path);
              }}
            >
              {t(p.label)}
            </a>
          ))}
        </nav>
      )}
      <div className="topbar-end">
        <div className="lang-switch" role="group" aria-label={t('lang.switch')}>
          {LANGS.map((l) => (
            <button
              key={l}
              type="button"
              aria-pressed={l === lang}
              className={l === lang ? 'active' : ''}
              onClick={() => onLangChange(l)}
              lang={l === 'zh' ? 'zh-CN' : 'en'}
            >
              {LANG_LABEL[l]}
            </button>
          ))}
        </div>
        {me && (
          <div className="user-menu">
            <button
              type="button"
              className="user-button"
              aria-expanded={menuOpen}
              aria-haspopup="menu"
              onClick={() => setMenuOpen((o) => !o)}
              data-testid="user-button"
            >
              <span className="user-name">{me.user?.displayName ?? t(`role.${me.role}`)}</span>
              <small>{t(`role.${me.role}`)}</small>
            </button>
            {menuOpen && (
              <div className="user-menu-list" role="menu" onClick={() => setMenuOpen(false)}>
                {me.user && (
                  <button type="button" role="menuitem" onClick={onChangePassword}>
                    {t('user.password')}
                  </button>
                )}
                {me.user && (
                  <button type="button" role="menuitem" onClick={() => void forgetOfflineSession().finally(onSignOut)} data-testid="sign-out">
                    {t('user.logout')}
                  </button>
                )}
              </div>
            )}
          </div>
        )}
      </div>
    </header>
  );
}
