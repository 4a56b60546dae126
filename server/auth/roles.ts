/**
 * Who is calling. The roles themselves (and who may open which page) are part of the contract:
 * server/contract/roles.ts.
 */
import type { UserRole } from '../contract/roles';

/** Who is calling: an account (with its unit for the unit role), an API client or a screen. */
export type Principal =
  | {
      kind: 'user';
      role: UserRole;
      userId: number;
      username: string;
      displayName: string;
      unitId: string | null;
      /** A district account's district: it sees and plans only there. */
      districtId: string | null;
      sessionHash: string;
      csrfToken: string;
      mustChange: boolean;
    }
  | { kind: 'api'; role: 'api' }
  | { kind: 'screen'; role: 'screen' };
