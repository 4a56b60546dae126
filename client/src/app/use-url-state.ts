import { useEffect, useRef } from 'react';
import { DEFAULT_LANG, isLang, type Lang } from './i18n';
import { decodeUrlState, encodeUrlState, type UrlState } from './url-state';

const LANG_STORAGE_KEY = 'xuncha.lang';
const URL_WRITE_DELAY_MS = 300;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch (err) {
    // Storage disabled by browser policy (SecurityError): the language then lives in the URL only.
    if (err instanceof DOMException) return null;
    throw err;
  }
}

/** The language to start in: the URL's, else the one remembered in localStorage, else Chinese. */
export function initialLang(fromUrl: Lang | null): Lang {
  if (fromUrl) return fromUrl;
  const stored = storage()?.getItem(LANG_STORAGE_KEY);
  return stored && isLang(stored) ? stored : DEFAULT_LANG;
}

/** Remembers the chosen language for the next visit. */
export function rememberLang(lang: Lang): void {
  storage()?.setItem(LANG_STORAGE_KEY, lang);
}

/** The state encoded in the current page URL. */
export function readUrlState(): UrlState {
  return decodeUrlState(window.location.search);
}

/**
 * Keeps the address bar in step with `state` (replaceState, so the back button is not flooded),
 * debounced because panning changes the view many times a second.
 */
export function useUrlSync(state: UrlState): void {
  const encoded = encodeUrlState(state);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const search = encoded ? `?${encoded}` : '';
      if (search !== window.location.search) {
        window.history.replaceState(window.history.state, '', `${window.location.pathname}${search}${window.location.hash}`);
      }
    }, URL_WRITE_DELAY_MS);
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [encoded]);
}
