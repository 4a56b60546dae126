/**
 * What the field page keeps in localStorage, each under its one key: my team, how often I used each
 * category, the stops done per plan, a stop's check results and the reports raised from them, and
 * the look-backs due in my area (for an offline start), and my walked track of today's plan with its
 * open batch of fixes (track-recorder.ts). The record queue itself is in IndexedDB.
 */
import type { LookBackDue } from '../../api/field';
import type { TrackState, TrackStore } from './track-recorder';

export type CheckResult = 'pass' | 'fail' | 'na';

const TEAM_KEY = 'xuncha.field.team';
const USES_KEY = 'xuncha.field.categoryUses';
const doneKey = (planId: string) => `xuncha.field.done.${planId}`;
const checksKey = (planId: string, stopId: string) => `xuncha.field.checks.${planId}.${stopId}`;
/** The numbers counted for a stop's count and rate items (a rate as a fraction), beside their verdicts. */
const valuesKey = (planId: string, stopId: string) => `xuncha.field.checkValues.${planId}.${stopId}`;
/** The UUIDs of the reports raised from a stop's failed items, linked from its check record. */
const stopReportsKey = (planId: string, stopId: string) => `xuncha.field.stopReports.${planId}.${stopId}`;
/** The look-backs due in my area, kept for when the page opens offline (personal: forgotten at sign-out). */
export const LOOK_BACKS_KEY = 'xuncha.field.lookBacks';

function read<T>(key: string, fallback: string): T {
  // Written only by this module, so what is there has the shape it wrote.
  return JSON.parse(localStorage.getItem(key) ?? fallback) as T;
}

/** The team I walk with in today's plan (index), 0 by default. */
export const readTeamIndex = (): number => Number(localStorage.getItem(TEAM_KEY) ?? 0) || 0;
export const writeTeamIndex = (value: string): void => localStorage.setItem(TEAM_KEY, value);

/** Reports made per category: the most used come first. */
export const readCategoryUses = (): Record<string, number> => read(USES_KEY, '{}');
export const writeCategoryUses = (uses: Record<string, number>): void => localStorage.setItem(USES_KEY, JSON.stringify(uses));

/** The stops of a plan marked done. */
export const readDone = (planId: string): Set<string> => new Set(read<string[]>(doneKey(planId), '[]'));
export const writeDone = (planId: string, done: ReadonlySet<string>): void => localStorage.setItem(doneKey(planId), JSON.stringify([...done]));

/** A stop's check results so far, by item id. */
export const readChecks = (planId: string, stopId: string): Record<string, CheckResult> => read(checksKey(planId, stopId), '{}');
export const writeChecks = (planId: string, stopId: string, results: Record<string, CheckResult>): void =>
  localStorage.setItem(checksKey(planId, stopId), JSON.stringify(results));

/** A stop's counted numbers so far, by item id. */
export const readCheckValues = (planId: string, stopId: string): Record<string, number> => read(valuesKey(planId, stopId), '{}');
export const writeCheckValues = (planId: string, stopId: string, values: Record<string, number>): void =>
  localStorage.setItem(valuesKey(planId, stopId), JSON.stringify(values));

/** The queued reports raised from a stop's failed items. */
export const readStopReports = (planId: string, stopId: string): string[] => read(stopReportsKey(planId, stopId), '[]');
export function addStopReport(planId: string, stopId: string, reportId: string): void {
  localStorage.setItem(stopReportsKey(planId, stopId), JSON.stringify([...readStopReports(planId, stopId), reportId]));
}

/** Forgets a stop's results and linked reports once its check record is queued. */
export function clearStop(planId: string, stopId: string): void {
  localStorage.removeItem(checksKey(planId, stopId));
  localStorage.removeItem(valuesKey(planId, stopId));
  localStorage.removeItem(stopReportsKey(planId, stopId));
}

export const readLookBacks = (): LookBackDue[] => read(LOOK_BACKS_KEY, '[]');
export const writeLookBacks = (due: readonly LookBackDue[]): void => localStorage.setItem(LOOK_BACKS_KEY, JSON.stringify(due));

/** Owner and plan are encoded, so the one separator `|` cannot occur inside either. */
const TRACK_PREFIX = 'xuncha.field.track.';
const trackKey = (owner: string, planId: string) => `${TRACK_PREFIX}${encodeURIComponent(owner)}|${encodeURIComponent(planId)}`;

/**
 * The recorder's TrackStore in localStorage, one key per owner and plan: written synchronously after
 * every kept fix, so a fix kept is a fix that survives the page being closed the next moment.
 */
export function localTrackStore(): TrackStore {
  return {
    read: (owner, planId) => read<TrackState | null>(trackKey(owner, planId), 'null'),
    write: (owner, state) => localStorage.setItem(trackKey(owner, state.planId), JSON.stringify(state)),
    remove: (owner, planId) => localStorage.removeItem(trackKey(owner, planId)),
    plans: (owner) => {
      const mine = `${TRACK_PREFIX}${encodeURIComponent(owner)}|`;
      const out: string[] = [];
      for (let i = 0; i < localStorage.length; i++) {
        const k = localStorage.key(i);
        if (k?.startsWith(mine)) out.push(decodeURIComponent(k.slice(mine.length)));
      }
      return out;
    },
  };
}
