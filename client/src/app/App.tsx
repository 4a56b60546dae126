/**
 * The application shell: reads the URL once, asks who is signed in (the sign-in page when nobody is),
 * loads the city's meta, provides the language and renders the top bar and the current page
 * (pages.ts lists them, per role). Navigation is pushState: the server answers every path with
 * index.html, so a page's URL can be shared and reloaded.
 */
import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { getMe, logout } from '../api/auth';
import { ApiError, onUnauthorized } from '../api/client';
import { getMeta } from '../api/meta';
import type { Me } from '../api/types';
import { LoginPage } from '../pages/login/LoginPage';
import { describeError } from './describe-error';
import { ErrorBanner } from './ErrorBanner';
import type { Lang } from './i18n';
import { pageFor, pagesFor, preloadPage } from './pages';
import { PasswordDialog } from './PasswordDialog';
import { TopBar } from './TopBar';
import { I18nProvider, useI18n } from './use-i18n';
import { RoleProvider } from './use-role';
import { useRequest } from './use-request';
import { initialLang, readUrlState, rememberLang } from './use-url-state';

const initialPath = window.location.pathname;

/** Root component. */
export function App() {
  const [initial] = useState(readUrlState);
  const [lang, setLang] = useState<Lang>(() => initialLang(initial.lang));
  const [path, setPath] = useState(() => {
    preloadPage(window.location.pathname);
    return window.location.pathname;
  });
  // undefined: still asking; null: nobody is signed in.
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [meError, setMeError] = useState<Error | null>(null);
  const [meAttempt, setMeAttempt] = useState(0);
  const [passwordOpen, setPasswordOpen] = useState(false);

  useEffect(() => {
    const ctl = new AbortController();
    setMeError(null);
    getMe(ctl.signal).then(setMe, (err: unknown) => {
      if (ctl.signal.aborted) return;
      if (err instanceof ApiError && err.status === 401) setMe(null);
      else setMeError(err instanceof Error ? err : new Error(String(err)));
    });
    return () => ctl.abort();
  }, [meAttempt]);
  // A session that ends while the page is open (expired, signed out elsewhere) shows the sign-in page.
  useEffect(() => onUnauthorized(() => setMe(null)), []);

  const signedIn = me ?? null;
  // Asked again once a one-time password is changed: until then the server answers 403.
  const meta = useRequest(signedIn ? getMeta : null, [signedIn?.user?.id ?? signedIn?.role ?? null, signedIn?.user?.mustChange ?? false]);
  const page = signedIn ? pageFor(path, signedIn.role) : null;
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

  const signOut = useCallback(() => {
    logout().finally(() => setMe(null));
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    rememberLang(lang);
  }, [lang]);

  const cityName = meta.data ? (lang === 'zh' ? meta.data.city.name : meta.data.city.nameEn || meta.data.city.name) : null;
  useEffect(() => {
    document.title = cityName ? `${lang === 'zh' ? '巡查' : 'Xuncha'} · ${cityName}` : '巡查 Xuncha';
  }, [cityName, lang]);

  if (me === null) {
    return (
      <I18nProvider lang={lang}>
        <LoginPage onSignedIn={setMe} lang={lang} onLangChange={setLang} />
      </I18nProvider>
    );
  }

  return (
    <I18nProvider lang={lang}>
      <div className="app">
        {!page?.bare && (
          <TopBar
            cityName={cityName}
            lang={lang}
            onLangChange={setLang}
            pages={signedIn ? pagesFor(signedIn.role) : []}
            currentPath={page?.path ?? path}
            onNavigate={navigate}
            me={signedIn}
            onSignOut={signOut}
            onChangePassword={() => setPasswordOpen(true)}
          />
        )}
        <main className="app-main">
          {meError ? (
            <FatalError error={meError} onRetry={() => setMeAttempt((a) => a + 1)} />
          ) : signedIn && page && meta.data ? (
            <RoleProvider role={signedIn.role}>
              <Suspense fallback={<Loading />}>
                <page.component key={page.path} meta={meta.data} me={signedIn} initial={pageState} lang={lang} />
              </Suspense>
            </RoleProvider>
          ) : meta.error ? (
            <FatalError error={meta.error} onRetry={meta.retry} />
          ) : (
            <Loading />
          )}
        </main>
        {signedIn?.user && (passwordOpen || signedIn.user.mustChange) && (
          <PasswordDialog
            required={signedIn.user.mustChange}
            onDone={() => {
              setPasswordOpen(false);
              if (signedIn.user?.mustChange) setMe({ ...signedIn, user: { ...signedIn.user, mustChange: false } });
            }}
          />
        )}
      </div>
    </I18nProvider>
  );
}

function FatalError({ error, onRetry }: { error: Error; onRetry: () => void }) {
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
