/**
 * The application shell: reads the URL once, loads the city's meta, provides the language and
 * renders the top bar and the page. There is one page (the map) so far; later pages plug in here.
 */
import { useEffect, useMemo, useState } from 'react';
import { getMeta } from '../api/client';
import { MapPage } from '../pages/map/MapPage';
import { describeError } from './describe-error';
import { ErrorBanner } from './ErrorBanner';
import { TopBar } from './TopBar';
import type { Lang } from './i18n';
import { I18nProvider, useI18n } from './use-i18n';
import { useRequest } from './use-request';
import { initialLang, readUrlState, rememberLang } from './use-url-state';

/** Root component. */
export function App() {
  const initial = useMemo(readUrlState, []);
  const [lang, setLang] = useState<Lang>(() => initialLang(initial.lang));
  const meta = useRequest(getMeta, []);

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
        <TopBar cityName={cityName} lang={lang} onLangChange={setLang} />
        <main className="app-main">
          {meta.data ? (
            <MapPage meta={meta.data} initial={initial} lang={lang} />
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
