import { BasemapInput, type BasemapSetting } from '../../contract/basemap';
import { basemapOrigins } from '../../contract/basemap-tiles';
import { bilingual, InputError } from '../../errors';
import type { Store } from '../../store/index';

/** The settings key of the online basemap. */
const KEY = 'map.basemap';

/** The basemap setting, with the origins the CSP allows for it kept in memory. */
export interface Basemap {
  /** The basemap as set, or null for none. */
  get(): Promise<BasemapSetting>;
  /**
   * Stores a basemap (validated by the route); `nowMs` stamps it. `overHttps`: the pages are served over
   * HTTPS, where a browser blocks plain-http tiles as mixed content, so such a template is refused.
   */
  set(input: BasemapInput, nowMs: number, overHttps: boolean): Promise<BasemapSetting>;
  /** Removes it; true when one was set. */
  clear(): Promise<boolean>;
  /** The tile origins the CSP allows besides our own: empty for none. Read on every response, so cached. */
  origins(): readonly string[];
}

async function read(store: Store): Promise<BasemapSetting> {
  const row = await store.getSetting(KEY);
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
export async function createBasemap(store: Store): Promise<Basemap> {
  let origins: readonly string[] = basemapOrigins(await read(store));
  return {
    get: async () => read(store),
    async set(input, nowMs, overHttps) {
      if (overHttps && input.kind !== 'tianditu' && /^http:/i.test(input.url)) {
        const message = bilingual(
          '本系统通过 HTTPS 访问，浏览器会拦截 http:// 的瓦片：请用该服务的 https:// 地址',
          'this system is served over HTTPS, where browsers block http:// tiles: use the service’s https:// address',
        );
        throw new InputError(`Invalid json.url: ${message}`, [{ path: 'json.url', message }]);
      }
      await store.putSetting(KEY, input, new Date(nowMs).toISOString());
      const stored = await read(store);
      origins = basemapOrigins(stored);
      return stored;
    },
    async clear() {
      const had = await store.deleteSetting(KEY);
      origins = [];
      return had;
    },
    origins: () => origins,
  };
}
