/**
 * The emerging hot-spot classes, zod-free so the browser's legend reads the same list the API answers
 * with (server/analytics/emerging.ts has the exact rules).
 */
export const HOTSPOT_CLASS_NAMES = [
  'no-pattern',
  'new-hot',
  'consecutive-hot',
  'intensifying-hot',
  'persistent-hot',
  'diminishing-hot',
  'sporadic-hot',
  'oscillating-hot',
  'historical-hot',
  'new-cold',
  'consecutive-cold',
  'intensifying-cold',
  'persistent-cold',
  'diminishing-cold',
  'sporadic-cold',
  'oscillating-cold',
  'historical-cold',
] as const;
