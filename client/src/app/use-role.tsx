import { createContext, useContext, type ReactNode } from 'react';
import type { Role } from '../api/types';

const RoleContext = createContext<Role | null>(null);

/** Provides the signed-in caller's role to the components that offer steps by the policy tables. */
export function RoleProvider({ role, children }: { role: Role | null; children: ReactNode }) {
  return <RoleContext.Provider value={role}>{children}</RoleContext.Provider>;
}

/** The signed-in caller's role; null before sign-in (and in a component rendered outside the app). */
export function useRole(): Role | null {
  return useContext(RoleContext);
}
