/**
 * How a place's kind is called: the three kinds every city has (and a problem stop) by the page's own
 * words, any other point type (bus-stop, main-road …) by the name the city's assessment catalog gives
 * it, which /api/meta brings (remembered here when it arrives, as the catalog is the same on every page).
 */
import type { Lang } from '../app/i18n';

const names = new Map<string, { zh: string; en: string }>();

/** Called with /api/meta's point types. */
export function rememberPointTypes(types: readonly { id: string; zh: string; en: string }[]): void {
  for (const t of types) names.set(t.id, { zh: t.zh, en: t.en });
}

/** The catalog's name of a point type in `lang`, else the id itself (a type the catalog no longer has). */
export function pointTypeName(kind: string, lang: Lang): string {
  return names.get(kind)?.[lang] ?? kind;
}

const OWN_WORDS = new Set(['market', 'community', 'back-street', 'problem']);

/** A kind in words: `own(kind)` for the kinds with the page's own words, else the catalog's name. */
export function kindText(kind: string, lang: Lang, own: (kind: 'market' | 'community' | 'back-street' | 'problem') => string): string {
  return OWN_WORDS.has(kind) ? own(kind as 'market') : pointTypeName(kind, lang);
}
