/**
 * The pages of the app and their paths. Every page is one entry here: the top bar's navigation and
 * the shell's page switch both read this list, so a new page is added in one place.
 * Pages are loaded on demand so that the map page does not pay for the planner's or the ledger's code.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Meta } from '../api/types';
import type { Lang, MessageKey } from './i18n';
import type { UrlState } from './url-state';

/** What every page receives from the shell. */
export interface PageProps {
  meta: Meta;
  initial: UrlState;
  lang: Lang;
}

export interface PageEntry {
  path: string;
  /** i18n key of the navigation label. */
  label: MessageKey;
  component: LazyExoticComponent<ComponentType<PageProps>>;
}

export const PAGES: PageEntry[] = [
  { path: '/', label: 'nav.map', component: lazy(() => import('../pages/map/MapPage').then((m) => ({ default: m.MapPage }))) },
  { path: '/ledger', label: 'nav.ledger', component: lazy(() => import('../pages/ledger/LedgerPage').then((m) => ({ default: m.LedgerPage }))) },
];

/** The page for a location path; unknown paths show the map (the server sends index.html for every GET). */
export function pageFor(pathname: string): PageEntry {
  const clean = pathname.replace(/\/+$/, '') || '/';
  return PAGES.find((p) => p.path === clean) ?? PAGES[0];
}
