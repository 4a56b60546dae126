import type {
  ConsequenceOverview,
  ConsequenceSettings,
  DeductionBody,
  NoticeAnswer,
  NoticeBody,
  UnitLedger,
  VetoBody,
} from '../../../server/contract/consequences';
import { call } from './http';

const yearQuery = (year: number | null) => (year === null ? {} : { year: String(year) });

/** GET /api/consequences: every unit's 目标考核 standing of a year (default this year). */
export function getConsequences(year: number | null, signal: AbortSignal): Promise<ConsequenceOverview> {
  return call('GET /api/consequences', { query: yearQuery(year), signal });
}

/** GET /api/consequences/units/:unit: one unit's ledger with the running score. */
export function getUnitLedger(unit: string, year: number | null, signal: AbortSignal): Promise<UnitLedger> {
  return call('GET /api/consequences/units/:unit', { params: { unit }, query: yearQuery(year), signal });
}

export function postDeduction(unit: string, body: DeductionBody): Promise<UnitLedger> {
  return call('POST /api/consequences/units/:unit/deductions', { params: { unit }, body });
}

export function postReversal(id: number, reason: string): Promise<UnitLedger> {
  return call('POST /api/consequences/deductions/:id/reversal', { params: { id: String(id) }, body: { reason } });
}

export function putVeto(unit: string, body: VetoBody): Promise<UnitLedger> {
  return call('PUT /api/consequences/units/:unit/veto', { params: { unit }, body });
}

export function postNotice(unit: string, body: NoticeBody): Promise<NoticeAnswer> {
  return call('POST /api/consequences/units/:unit/notices', { params: { unit }, body });
}

export function putConsequenceSettings(body: ConsequenceSettings): Promise<ConsequenceSettings> {
  return call('PUT /api/consequences/settings', { body });
}
