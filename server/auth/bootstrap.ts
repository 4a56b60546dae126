/**
 * Accounts at server start: the first start creates the administrator (from ADMIN_PASSWORD, or a
 * one-time password printed once that must be changed at first sign-in); a demo city comes with one
 * demo account per role (README lists them), which DEMO_ACCOUNTS=off disables.
 */
import type { Store } from '../store/index';
import { hashPassword, randomSecret } from './passwords';
import type { UserRole } from '../contract/roles';

/** The demo accounts: username, display name, role, password (public: README lists them). */
export const DEMO_ACCOUNTS: readonly { username: string; displayName: string; role: UserRole; password: string }[] = [
  { username: 'leader', displayName: '创文办 王主任', role: 'leader', password: 'demo-leader' },
  { username: 'inspector', displayName: '巡查组 李巡查', role: 'inspector', password: 'demo-inspector' },
  { username: 'unit', displayName: '责任单位 张专干', role: 'unit', password: 'demo-unit' },
];

/** Points the demo's leader is 包抓领导 of. */
const DEMO_LEADER_POINTS = 12;

export interface BootstrapOptions {
  /** ADMIN_PASSWORD; when absent on the first start a one-time password is generated and printed. */
  adminPassword?: string;
  /** DEMO_ACCOUNTS != 'off'. */
  demoAccounts: boolean;
  now: Date;
  log: (line: string) => void;
}

/** Creates what is missing; never changes an existing password. */
export async function ensureAccounts(store: Store, opts: BootstrapOptions): Promise<void> {
  const now = opts.now.toISOString();
  if ((await store.userCount()) === 0) {
    const password = opts.adminPassword ?? randomSecret().slice(0, 16);
    await store.createUser({
      username: 'admin',
      displayName: '系统管理员',
      role: 'admin',
      unitId: null,
      passwordHash: await hashPassword(password),
      mustChange: !opts.adminPassword,
      now,
    });
    if (!opts.adminPassword) {
      opts.log(`Administrator account created: admin / ${password}  (shown once; change it after signing in, or set ADMIN_PASSWORD before the first start)`);
    } else {
      opts.log('Administrator account created: admin (password from ADMIN_PASSWORD)');
    }
  }

  const city = await store.getCity();
  if (city?.source === 'generated') {
    for (const a of DEMO_ACCOUNTS) {
      if (await store.userForLogin(a.username)) continue;
      const unitId = a.role === 'unit' ? await store.busiestUnit() : null;
      if (a.role === 'unit' && !unitId) continue;
      const user = await store.createUser({ ...a, unitId, passwordHash: await hashPassword(a.password), demo: true, now });
      // The demo's leader answers for the points that need it most, as a 包抓领导 does (我的点位).
      if (a.role === 'leader') await store.leadBusiestPlaces(user.id, DEMO_LEADER_POINTS);
    }
  }
  const n = await store.setDemoAccountsEnabled(opts.demoAccounts);
  if (n > 0)
    opts.log(
      opts.demoAccounts
        ? `Demo accounts on (${DEMO_ACCOUNTS.map((a) => a.username).join(', ')}; README lists them; DEMO_ACCOUNTS=off turns them off)`
        : 'Demo accounts off',
    );
}
