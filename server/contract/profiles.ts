/** The travel profiles a route or a plan is computed for (the road graph keeps one cost array each). */

/** The travel profiles, in the order their per-profile arrays are stored. */
export const PROFILES = ['walk', 'ebike', 'car'] as const;
export type Profile = (typeof PROFILES)[number];

/** True when `value` names a profile. */
export function isProfile(value: unknown): value is Profile {
  return typeof value === 'string' && (PROFILES as readonly string[]).includes(value);
}
