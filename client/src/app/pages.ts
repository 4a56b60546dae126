/**
 * The pages of the app and their paths. Every page is one entry here: the top bar's navigation and
 * the shell's page switch both read this list, so a new page is added in one place.
 * Pages are loaded on demand so that the map page does not pay for the planner's or the ledger's code.
 */
import { createElement, lazy, useState, type ComponentType } from 'react';
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
  component: ComponentType<PageProps>;
  /** Starts loading the page's code (once), so the shell can fetch it while it asks who is signed in. */
  preload: () => Promise<unknown>;
  /** Who sees it in the navigation and may open it; absent = every signed-in role. */
  roles?: readonly Role[];
  /** Shown full-screen, without the top bar (the wall screen). */
  bare?: boolean;
}

export const PAGES: PageEntry[] = [
  { path: '/', label: 'nav.map', ...lazyPage(() => import('../pages/map/MapPage'), 'MapPage') },
  {
    path: '/plan',
    label: 'nav.plan',
    roles: PAGE_ROLES['/plan'],
    ...lazyPage(() => import('../pages/plan/PlanPage'), 'PlanPage'),
  },
  {
    path: '/hotspots',
    label: 'nav.hotspots',
    roles: PAGE_ROLES['/hotspots'],
    ...lazyPage(() => import('../pages/hotspots/HotspotsPage'), 'HotspotsPage'),
  },
  {
    path: '/assessment',
    label: 'nav.assessment',
    roles: PAGE_ROLES['/assessment'],
    ...lazyPage(() => import('../pages/assessment/AssessmentPage'), 'AssessmentPage'),
  },
  {
    path: '/registry',
    label: 'nav.registry',
    roles: PAGE_ROLES['/registry'],
    ...lazyPage(() => import('../pages/registry/RegistryPage'), 'RegistryPage'),
  },
  {
    path: '/mine',
    label: 'nav.mine',
    roles: PAGE_ROLES['/mine'],
    ...lazyPage(() => import('../pages/mine/MyPlacesPage'), 'MyPlacesPage'),
  },
  {
    path: '/ledger',
    label: 'nav.ledger',
    roles: PAGE_ROLES['/ledger'],
    ...lazyPage(() => import('../pages/ledger/LedgerPage'), 'LedgerPage'),
  },
  {
    path: '/field',
    label: 'nav.field',
    roles: PAGE_ROLES['/field'],
    ...lazyPage(() => import('../pages/field/FieldPage'), 'FieldPage'),
  },
  {
    path: '/screen',
    label: 'nav.screen',
    roles: PAGE_ROLES['/screen'],
    bare: true,
    ...lazyPage(() => import('../pages/screen/ScreenPage'), 'ScreenPage'),
  },
  {
    path: '/admin',
    label: 'nav.admin',
    roles: PAGE_ROLES['/admin'],
    ...lazyPage(() => import('../pages/admin/AdminPage'), 'AdminPage'),
  },
];

/** Pages reached by link only, not listed in the navigation (the printable task sheet, the evidence reel). */
const LINKED_PAGES: PageEntry[] = [
  {
    path: '/plan/print',
    label: 'nav.plan',
    roles: PAGE_ROLES['/plan/print'],
    ...lazyPage(() => import('../pages/plan/PrintPage'), 'PrintPage'),
  },
  {
    // The 暗访片, opened from the big screen and the ledger. Paths match whole, so it is not /screen.
    path: '/screen/reel',
    label: 'nav.screen',
    roles: PAGE_ROLES['/screen/reel'],
    bare: true,
    ...lazyPage(() => import('../pages/reel/ReelPage'), 'ReelPage'),
  },
];

/**
 * A page loaded on demand, with a way to start the load before React asks for it. Once the code is
 * there the page renders at once: through React.lazy it would suspend once even then, and React holds a
 * revealed Suspense boundary back for up to 300 ms (its fallback throttle) — a third of the first view.
 */
function lazyPage<K extends string>(load: () => Promise<Record<K, ComponentType<PageProps>>>, name: K) {
  let loading: Promise<{ default: ComponentType<PageProps> }> | null = null;
  let loaded: ComponentType<PageProps> | null = null;
  const preload = () =>
    (loading ??= load().then((m) => {
      loaded = m[name];
      return { default: m[name] };
    }));
  const Lazy = lazy(preload);
  function Page(props: PageProps) {
    // Chosen once per mount, so a page first shown through Lazy is not remounted when the code arrives.
    const [Loaded] = useState(() => loaded);
    return Loaded ? createElement(Loaded, props) : createElement(Lazy, props);
  }
  return { component: Page, preload };
}

/**
 * Starts loading the code of the page at `pathname` (whoever may open it: the role is not known yet).
 * The shell calls it first thing, so the page's chunk arrives beside /api/auth/me and /api/meta
 * instead of after them.
 */
export function preloadPage(pathname: string): void {
  const clean = pathname.replace(/\/+$/, '') || '/';
  void ([...PAGES, ...LINKED_PAGES].find((p) => p.path === clean) ?? PAGES[0]).preload().catch(() => {
    // The page's own Suspense shows the failure when it renders; nothing to do here.
  });
}

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
