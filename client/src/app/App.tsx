/**
 * The application shell: reads the URL once, loads the city's meta, provides the language and
 * renders the top bar and the current page (pages.ts lists them). Navigation is pushState: the
 * server answers every path with index.html, so a page's URL can be shared and reloaded.
 */
import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { getMeta } from '../api/client';
import { pageFor } from './pages';
import { describeError } from './describe-error';
import { ErrorBanner } from './ErrorBanner';
import { TopBar } from './TopBar';
import type { Lang } from './i18n';
import { I18nProvider, useI18n } from './use-i18n';
import { useRequest } from './use-request';
import { initialLang, readUrlState, rememberLang } from './use-url-state';

/** Root component. */
const initialPath = window.location.pathname;

export function App() {
  const initial = useMemo(readUrlState, []);
  const [lang, setLang] = useState<Lang>(() => initialLang(initial.lang));
  const [path, setPath] = useState(() => window.location.pathname);
  const meta = useRequest(getMeta, []);
  const page = pageFor(path);
  // A page mounted by navigation reads the URL it was opened with, not the one the app started on.
  const pageState = useMemo(() => (path === initialPath ? initial : readUrlState()), [path, initial]);

  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const navigate = useCallback((to: string) => {
    if (to === window.location.pathname) return;
    // Each page keeps its own query keys; the language is the one setting carried across.
    const search = new URLSearchParams(window.location.search).get('lang');
    window.history.pushState(null, '', search ? `${to}?lang=${search}` : to);
    setPath(to);
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    rememberLang(lang);
  }, [lang]);

  const cityName = meta.data ? (lang === 'zh' ? meta.data.city.name : meta.data.city.nameEn || meta.data.city.name) : null;
  useEffect(() => {
    document.title = cityName ? `${lang === 'zh' ? '巡查' : 'Xuncha'} · ${cityName}` : '巡查 Xuncha';
  }, [cityName, lang]);

  return (
    <I18nProvider lang={lang}>
      <div className="app">
        <TopBar cityName={cityName} lang={lang} onLangChange={setLang} currentPath={page.path} onNavigate={navigate} />
        <main className="app-main">
          {meta.data ? (
            <Suspense fallback={<Loading />}>
              <page.component key={page.path} meta={meta.data} initial={pageState} lang={lang} />
            </Suspense>
          ) : meta.error ? (
            <MetaError error={meta.error} onRetry={meta.retry} />
          ) : (
            <Loading />
          )}
        </main>
      </div>
    </I18nProvider>
  );
}

function MetaError({ error, onRetry }: { error: Error; onRetry: () => void }) {
  const { t } = useI18n();
  return <ErrorBanner messages={[describeError(error, t)]} onRetry={onRetry} />;
}

function Loading() {
  const { t } = useI18n();
  return (
    <div className="app-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {t('app.loading')}
    </div>
  );
}
