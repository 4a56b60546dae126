import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { translate, type Lang, type MessageKey } from './i18n';

export interface I18n {
  lang: Lang;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
}

const I18nContext = createContext<I18n>({ lang: 'zh', t: (key, params) => translate('zh', key, params) });

/** Provides the UI language and its `t()` to every component below. */
export function I18nProvider({ lang, children }: { lang: Lang; children: ReactNode }) {
  const value = useMemo<I18n>(() => ({ lang, t: (key, params) => translate(lang, key, params) }), [lang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current language and its translate function. */
export function useI18n(): I18n {
  return useContext(I18nContext);
}
