/** The city's metadata every page reads before its first map: subdistricts, units, categories. */
import { call } from './http';
import { rememberPointTypes } from '../lib/kinds';

/** GET /api/meta: the city, its subdistricts, units and problem categories. Remembers the point types' names (lib/kinds.ts). */
export async function getMeta(signal: AbortSignal) {
  const meta = await call('GET /api/meta', { signal });
  rememberPointTypes(meta.pointTypes);
  return meta;
}
