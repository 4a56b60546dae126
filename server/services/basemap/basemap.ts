import { BasemapInput, type BasemapSetting } from '../../contract/basemap';
import { basemapOrigins } from '../../contract/basemap-tiles';
import { bilingual, InputError } from '../../errors';
import type { Store } from '../../store/index';

/** The settings key of the online basemap. */
const KEY = 'map.basemap';

/** The basemap setting, with the origins the CSP allows for it kept in memory. */
export interface Basemap {
  /** The basemap as set, or null for none. */
  get(): BasemapSetting;
  /**
   * Stores a basemap (validated by the route); `nowMs` stamps it. `overHttps`: the pages are served over
   * HTTPS, where a browser blocks plain-http tiles as mixed content, so such a template is refused.
   */
  set(input: BasemapInput, nowMs: number, overHttps: boolean): BasemapSetting;
  /** Removes it; true when one was set. */
  clear(): boolean;
  /** The tile origins the CSP allows besides our own: empty for none. Read on every response, so cached. */
  origins(): readonly string[];
}

function read(store: Store): BasemapSetting {
  const row = store.getSetting(KEY);
  if (!row) return null;
  // A value written by hand or by another version that no longer passes counts as none: the maps keep working.
  const parsed = BasemapInput.safeParse(row.value);
  return parsed.success ? { ...parsed.data, updatedAt: row.updatedAt } : null;
}

/**
 * The basemap setting over the store's settings table. The CSP's origins are computed once here and
 * again on every change made through it, so a response never reads the database for its headers.
 *
 * @example
 * const basemap = createBasemap(store);
 * basemap.set({ kind: 'tianditu', token, layer: 'vec' }, Date.now());
 * basemap.origins(); // → ['https://t0.tianditu.gov.cn', …, 'https://t7.tianditu.gov.cn']
 */
export function createBasemap(store: Store): Basemap {
  let origins: readonly string[] = basemapOrigins(read(store));
  return {
    get: () => read(store),
    set(input, nowMs, overHttps) {
      if (overHttps && input.kind !== 'tianditu' && /^http:/i.test(input.url)) {
        const message = bilingual(
          '本系统通过 HTTPS 访问，浏览器会拦截 http:// 的瓦片：请用该服务的 https:// 地址',
          'this system is served over HTTPS, where browsers block http:// tiles: use the service’s https:// address',
        );
        throw new InputError(`Invalid json.url: ${message}`, [{ path: 'json.url', message }]);
      }
      store.putSetting(KEY, input, new Date(nowMs).toISOString());
      const stored = read(store);
      origins = basemapOrigins(stored);
      return stored;
    },
    clear() {
      const had = store.deleteSetting(KEY);
      origins = [];
      return had;
    },
    origins: () => origins,
  };
}
