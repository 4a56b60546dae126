import { describe, expect, it } from 'vitest';
import { isMessageKey, LANGS, MESSAGES, translate } from '../../../client/src/app/i18n';
import { STATUS_FILTERS } from '../../../client/src/lib/filters';
import { LAYER_TOGGLES } from '../../../client/src/lib/layer-toggles';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n dictionary', () => {
  it('has the same keys in every language', () => {
    const zhKeys = Object.keys(MESSAGES.zh).sort();
    for (const lang of LANGS) expect(Object.keys(MESSAGES[lang]).sort()).toEqual(zhKeys);
  });

  it('has no empty text and the same placeholders in every language', () => {
    for (const key of Object.keys(MESSAGES.zh) as (keyof typeof MESSAGES.zh)[]) {
      for (const lang of LANGS) {
        expect(MESSAGES[lang][key].trim(), `${lang} ${key}`).not.toBe('');
        expect(placeholders(MESSAGES[lang][key]), `${lang} ${key}`).toEqual(placeholders(MESSAGES.zh[key]));
      }
    }
  });

  it('names every status filter, layer toggle and place kind', () => {
    const keys = [
      ...STATUS_FILTERS.map((s) => `status.${s}`),
      ...LAYER_TOGGLES.map((l) => `layer.${l}`),
      ...['market', 'community', 'back-street'].map((k) => `kind.${k}`),
      ...['inspection', 'public', 'assessment', 'unannounced'].map((s) => `source.${s}`),
    ];
    for (const key of keys) expect(isMessageKey(key), key).toBe(true);
  });

  it('shows Chinese UI text in zh and English in en', () => {
    expect(translate('zh', 'filters.empty')).toBe('没有符合条件的问题');
    expect(translate('en', 'filters.empty')).toBe('No problems match these filters');
    expect(translate('zh', 'status.overdue')).toBe('超期');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'filters.count', { n: '1,234' })).toBe('1,234 problems');
    expect(translate('zh', 'filters.count', { n: 5 })).toBe('共 5 条问题');
    expect(translate('en', 'filters.count')).toBe('{n} problems');
  });
});
