import { LANGS, type Lang } from './i18n';
import { PAGES } from './pages';
import { useI18n } from './use-i18n';

const LANG_LABEL: Record<Lang, string> = { zh: '中', en: 'EN' };

interface TopBarProps {
  cityName: string | null;
  lang: Lang;
  onLangChange: (lang: Lang) => void;
  currentPath: string;
  onNavigate: (path: string) => void;
}

/** The product bar: mark, product and city name, page navigation, language switch. */
export function TopBar({ cityName, lang, onLangChange, currentPath, onNavigate }: TopBarProps) {
  const { t } = useI18n();
  return (
    <header className="topbar">
      <div className="topbar-brand">
        <span className="topbar-mark" aria-hidden="true">巡</span>
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
      {PAGES.length > 1 && (
        <nav className="topbar-nav" aria-label={t('nav.label')}>
          {PAGES.map((p) => (
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
      <div className="lang-switch" role="group" aria-label={t('lang.switch')}>
        {LANGS.map((l) => (
          <button key={l} type="button" aria-pressed={l === lang} className={l === lang ? 'active' : ''} onClick={() => onLangChange(l)} lang={l === 'zh' ? 'zh-CN' : 'en'}>
            {LANG_LABEL[l]}
          </button>
        ))}
      </div>
    </header>
  );
}
