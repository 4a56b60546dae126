/**
 * The pages of the app and their paths. Every page is one entry here: the top bar's navigation and
 * the shell's page switch both read this list, so a new page is added in one place.
 * Pages are loaded on demand so that the map page does not pay for the planner's or the ledger's code.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { PAGE_ROLES } from '../../../server/contract/roles';
import type { Me, Meta, Role } from '../api/types';
import type { Lang, MessageKey } from './i18n';
import type { UrlState } from './url-state';

/** What every page receives from the shell. */
export interface PageProps {
  meta: Meta;
  me: Me;
  initial: UrlState;
  lang: Lang;
}

export interface PageEntry {
  path: string;
  /** i18n key of the navigation label. */
  label: MessageKey;
  component: LazyExoticComponent<ComponentType<PageProps>>;
  /** Who sees it in the navigation and may open it; absent = every signed-in role. */
  roles?: readonly Role[];
  /** Shown full-screen, without the top bar (the wall screen). */
  bare?: boolean;
}

export const PAGES: PageEntry[] = [
  { path: '/', label: 'nav.map', component: lazy(() => import('../pages/map/MapPage').then((m) => ({ default: m.MapPage }))) },
  {
    path: '/plan',
    label: 'nav.plan',
    roles: PAGE_ROLES['/plan'],
    component: lazy(() => import('../pages/plan/PlanPage').then((m) => ({ default: m.PlanPage }))),
  },
  {
    path: '/hotspots',
    label: 'nav.hotspots',
    roles: PAGE_ROLES['/hotspots'],
    component: lazy(() => import('../pages/hotspots/HotspotsPage').then((m) => ({ default: m.HotspotsPage }))),
  },
  {
    path: '/assessment',
    label: 'nav.assessment',
    roles: PAGE_ROLES['/assessment'],
    component: lazy(() => import('../pages/assessment/AssessmentPage').then((m) => ({ default: m.AssessmentPage }))),
  },
  {
    path: '/ledger',
    label: 'nav.ledger',
    roles: PAGE_ROLES['/ledger'],
    component: lazy(() => import('../pages/ledger/LedgerPage').then((m) => ({ default: m.LedgerPage }))),
  },
  {
    path: '/field',
    label: 'nav.field',
    roles: PAGE_ROLES['/field'],
    component: lazy(() => import('../pages/field/FieldPage').then((m) => ({ default: m.FieldPage }))),
  },
  {
    path: '/screen',
    label: 'nav.screen',
    roles: PAGE_ROLES['/screen'],
    bare: true,
    component: lazy(() => import('../pages/screen/ScreenPage').then((m) => ({ default: m.ScreenPage }))),
  },
  {
    path: '/admin',
    label: 'nav.admin',
    roles: PAGE_ROLES['/admin'],
    component: lazy(() => import('../pages/admin/AdminPage').then((m) => ({ default: m.AdminPage }))),
  },
];

/** Pages reached by link only, not listed in the navigation (the printable task sheet). */
const LINKED_PAGES: PageEntry[] = [
  {
    path: '/plan/print',
    label: 'nav.plan',
    roles: PAGE_ROLES['/plan/print'],
    component: lazy(() => import('../pages/plan/PrintPage').then((m) => ({ default: m.PrintPage }))),
  },
];

/** The pages `role` may open. */
export function pagesFor(role: Role): PageEntry[] {
  return PAGES.filter((p) => !p.roles || p.roles.includes(role));
}

/**
 * The page for a location path; unknown paths, and pages the role may not open, show the map (the
 * server sends index.html for every GET).
 */
export function pageFor(pathname: string, role: Role): PageEntry {
  const clean = pathname.replace(/\/+$/, '') || '/';
  const allowed = (p: PageEntry) => !p.roles || p.roles.includes(role);
  return [...PAGES, ...LINKED_PAGES].find((p) => p.path === clean && allowed(p)) ?? PAGES[0];
}
