/**
 * Who may do what. People sign in with one of the user roles; two more kinds of caller have no
 * account: an `api` client (Open311 and other city systems, by API key) and a `screen` (the wall PC
 * of the big screen, by a read-only token in its URL).
 */
export const USER_ROLES = ['admin', 'leader', 'inspector', 'unit'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const ROLES = [...USER_ROLES, 'api', 'screen'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, { zh: string; en: string }> = {
  admin: { zh: '系统管理员', en: 'Administrator' },
  leader: { zh: '领导', en: 'Leader' },
  inspector: { zh: '巡查员', en: 'Inspector' },
  unit: { zh: '责任单位', en: 'Responsible unit' },
  api: { zh: '接口客户端', en: 'API client' },
  screen: { zh: '大屏', en: 'Big screen' },
};

/** Signed-in people of every role (a unit account sees only its own problems; the routes narrow it). */
export const PEOPLE = ['admin', 'leader', 'inspector', 'unit'] as const satisfies readonly Role[];
/** What the big screen reads, besides the people. */
export const READERS = [...PEOPLE, 'screen'] as const satisfies readonly Role[];
/**
 * City-wide analysis (every problem's point, hotspots): leaders, inspectors and the big screen — not a
 * unit account, which sees its own problems only.
 */
export const ANALYSTS = ['admin', 'leader', 'inspector', 'screen'] as const satisfies readonly Role[];
/** Who plans and walks inspections. */
export const PLANNERS = ['admin', 'leader', 'inspector'] as const satisfies readonly Role[];
export const ADMINS = ['admin'] as const satisfies readonly Role[];
/** Who decides consequences (目标考核扣分, 一票否决, 问责通报): the administrator and the leaders. */
export const LEADERS = ['admin', 'leader'] as const satisfies readonly Role[];
/** Other city systems (Open311 by API key) and the people who look at what they sent. */
export const OPEN311 = ['admin', 'leader', 'inspector', 'api'] as const satisfies readonly Role[];

/**
 * Which roles may open each page of the app (absent: every signed-in role). The client's navigation
 * reads it; the server's route rules grant the same roles the API calls those pages make.
 */
export const PAGE_ROLES = {
  '/': null,
  '/plan': PLANNERS,
  '/plan/print': PLANNERS,
  '/hotspots': ANALYSTS,
  '/assessment': PLANNERS,
  '/registry': PLANNERS,
  '/mine': PLANNERS,
  '/ledger': PEOPLE,
  '/field': PLANNERS,
  '/screen': ANALYSTS,
  '/screen/reel': ANALYSTS,
  '/admin': ADMINS,
} as const satisfies Record<string, readonly Role[] | null>;
export type PagePath = keyof typeof PAGE_ROLES;
