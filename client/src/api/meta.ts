/** The city's metadata every page reads before its first map: subdistricts, units, categories. */
import { call } from './http';

/** GET /api/meta: the city, its subdistricts, units and problem categories. */
export function getMeta(signal: AbortSignal) {
  return call('GET /api/meta', { signal });
}
