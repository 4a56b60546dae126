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

/** Who is calling: an account (with its unit for the unit role), an API client or a screen. */
export type Principal =
  | { kind: 'user'; role: UserRole; userId: number; username: string; displayName: string; unitId: string | null; sessionHash: string; csrfToken: string }
  | { kind: 'api'; role: 'api' }
  | { kind: 'screen'; role: 'screen' };
