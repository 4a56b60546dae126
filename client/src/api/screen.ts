/** The big screen's own resources: its summary and today's routes. */
import type { ScreenSummary } from '../../../server/contract/screen';
import type { ScreenPlans } from '../../../server/contract/screen-plans';
import { call } from './http';

/** GET /api/screen/summary for the period `from`–`to` (city days), the whole city or one subdistrict. */
export function getScreenSummary(period: { from: string; to: string }, district: string | null, signal: AbortSignal): Promise<ScreenSummary> {
  return call('GET /api/screen/summary', { query: { from: period.from, to: period.to, district: district ?? undefined }, signal });
}

/** GET /api/screen/routes-today: the teams of today's saved plans with their routes. */
export function getPlansToday(signal: AbortSignal): Promise<ScreenPlans> {
  return call('GET /api/screen/routes-today', { signal });
}
