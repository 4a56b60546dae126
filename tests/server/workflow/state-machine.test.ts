import { describe, expect, it } from 'vitest';
import { PROBLEM_STATUSES, type ProblemStatus } from '../../../server/contract/problems';
import {
  actionFor,
  isOverdue,
  allowedTargets,
  escalation,
  importedStrikes,
  transition,
  type TransitionInput,
  type WorkflowState,
} from '../../../server/workflow/state-machine';
import { cityDate, cityYear, defaultDeadline, parseDeadline, toCityIso } from '../../../server/contract/city-time';

const T0 = Date.parse('2026-03-10T09:00:00+08:00');
const DAY = 86_400_000;

/** A problem in `status` with the fields that status implies. */
function stateIn(status: ProblemStatus, over: Partial<WorkflowState> = {}): WorkflowState {
  const assigned = status !== 'reported';
  return {
    status,
    unitId: 'u01',
    assignedMs: assigned ? T0 : null,
    deadlineMs: assigned ? T0 + 7 * DAY : null,
    rectifiedMs: status === 'rectified' || status === 'closed' ? T0 + DAY : null,
    closedMs: status === 'closed' ? T0 + 2 * DAY : null,
    noticeNo: assigned ? 'JK-2026-000001' : null,
    strikes: 0,
    reviewMs: status === 'held' ? T0 + 30 * DAY : null,
    rejectReason: status === 'rejected' ? 'duplicate' : null,
    ...over,
  };
}

function input(to: ProblemStatus, over: Partial<TransitionInput> = {}): TransitionInput {
  // What each step needs besides a note: a rejection its reason, a hold its review date.
  const needs = to === 'rejected' ? { reason: 'duplicate' as const } : to === 'held' ? { reviewMs: T0 + 40 * DAY } : {};
  return { to, nowMs: T0 + 3 * DAY, note: '已清理', defaultDeadlineMs: T0 + 10 * DAY, newNoticeNo: () => 'JK-2026-000099', ...needs, ...over };
}

const ALLOWED: [ProblemStatus, ProblemStatus][] = [
  ['reported', 'assigned'],
  ['reported', 'rejected'],
  ['assigned', 'rectified'],
  ['assigned', 'held'],
  ['held', 'assigned'],
  ['held', 'rectified'],
  ['rectified', 'closed'],
  ['rectified', 'assigned'],
];

describe('transitions', () => {
  const pairs = PROBLEM_STATUSES.flatMap((from) => PROBLEM_STATUSES.map((to) => [from, to] as [ProblemStatus, ProblemStatus]));

  it.each(pairs)('%s → %s is allowed exactly when the state machine lists it', (from, to) => {
    const allowed = ALLOWED.some(([f, t]) => f === from && t === to);
    const out = transition(stateIn(from), input(to));
    expect(out.ok).toBe(allowed);
    expect(actionFor(from, to) !== null).toBe(allowed);
    if (!out.ok) {
      expect(out.reason).toBe('forbidden');
      if (out.reason === 'forbidden') {
        expect(out.allowed).toEqual(ALLOWED.filter(([f]) => f === from).map(([, t]) => t));
        expect(out.message).toContain(from);
      }
    } else {
      expect(out.next.status).toBe(to);
    }
  });

  it('lists the allowed targets of every status', () => {
    expect(allowedTargets('reported')).toEqual(['assigned', 'rejected']);
    expect(allowedTargets('assigned')).toEqual(['rectified', 'held']);
    expect(allowedTargets('held')).toEqual(['assigned', 'rectified']);
    expect(allowedTargets('rectified')).toEqual(['closed', 'assigned']);
    expect(allowedTargets('closed')).toEqual([]);
    expect(allowedTargets('rejected')).toEqual([]);
  });

  it('立案审核: a report not filed says why, and is finished', () => {
    expect(transition(stateIn('reported'), input('rejected', { reason: undefined }))).toMatchObject({ ok: false, path: 'reason' });
    const out = transition(stateIn('reported'), input('rejected', { reason: 'outside-campaign', note: '属物业管理范围' }));
    expect(out).toEqual({
      ok: true,
      action: 'reject',
      next: { ...stateIn('reported'), status: 'rejected', closedMs: T0 + 3 * DAY, rejectReason: 'outside-campaign' },
    });
    expect(transition(stateIn('assigned'), input('rectified', { reason: 'duplicate' }))).toMatchObject({ ok: false, path: 'reason' });
  });

  it('挂账: a held case needs its plan and a review date, is never overdue, and resumes with a new deadline', () => {
    expect(transition(stateIn('assigned'), input('held', { note: '' }))).toMatchObject({ ok: false, path: 'note' });
    expect(transition(stateIn('assigned'), input('held', { reviewMs: undefined }))).toMatchObject({ ok: false, path: 'review' });
    expect(transition(stateIn('assigned'), input('held', { reviewMs: T0 }))).toMatchObject({ ok: false, path: 'review' });
    // Held after its deadline: the overdue strike stays, the case leaves the overdue count.
    const late = T0 + 9 * DAY;
    const held = transition(stateIn('assigned'), input('held', { nowMs: late, note: '需列入明年道路改造计划', reviewMs: late + 60 * DAY }));
    expect(held).toMatchObject({ ok: true, action: 'hold', next: { status: 'held', reviewMs: late + 60 * DAY, strikes: 1 } });
    if (!held.ok) return;
    expect(isOverdue(held.next, late + 30 * DAY)).toBe(false);
    const resumed = transition(held.next, input('assigned', { nowMs: late + 61 * DAY, defaultDeadlineMs: late + 64 * DAY }));
    expect(resumed).toMatchObject({
      ok: true,
      action: 'resume',
      next: { status: 'assigned', assignedMs: late + 61 * DAY, deadlineMs: late + 64 * DAY, reviewMs: null, strikes: 1 },
    });
    expect(transition(held.next, input('rectified', { nowMs: late + 10 * DAY }))).toMatchObject({
      ok: true,
      action: 'rectify',
      next: { status: 'rectified', reviewMs: null, strikes: 1 },
    });
    expect(transition(stateIn('rectified'), input('assigned', { reviewMs: T0 + 50 * DAY }))).toMatchObject({ ok: false, path: 'review' });
  });

  it('assigning sets the unit, the category’s default deadline and a new notice number', () => {
    const now = T0 + DAY;
    const out = transition(stateIn('reported', { unitId: null }), input('assigned', { nowMs: now, unitId: 'u02', defaultDeadlineMs: now + 3 * DAY }));
    expect(out).toEqual({
      ok: true,
      action: 'assign',
      next: { ...stateIn('reported'), status: 'assigned', unitId: 'u02', assignedMs: now, deadlineMs: now + 3 * DAY, noticeNo: 'JK-2026-000099' },
    });
  });

  it('assigning keeps the unit found at intake and takes an explicit deadline', () => {
    const deadline = T0 + 10 * DAY;
    const out = transition(stateIn('reported'), input('assigned', { nowMs: T0, deadlineMs: deadline }));
    expect(out.ok && out.next).toMatchObject({ unitId: 'u01', deadlineMs: deadline });
  });

  it('refuses an assignment without a unit or with a deadline in the past', () => {
    expect(transition(stateIn('reported', { unitId: null }), input('assigned'))).toMatchObject({ ok: false, reason: 'invalid', path: 'unit' });
    expect(transition(stateIn('reported'), input('assigned', { deadlineMs: T0 }))).toMatchObject({ ok: false, reason: 'invalid', path: 'deadline' });
  });

  it('refuses a deadline or unit on a step that sets none', () => {
    expect(transition(stateIn('assigned'), input('rectified', { deadlineMs: T0 + 20 * DAY }))).toMatchObject({ ok: false, path: 'deadline' });
    expect(transition(stateIn('rectified'), input('closed', { unitId: 'u02' }))).toMatchObject({ ok: false, path: 'unit' });
  });

  it('rectifying needs a note and records the time', () => {
    expect(transition(stateIn('assigned'), input('rectified', { note: '  ' }))).toMatchObject({ ok: false, path: 'note' });
    const out = transition(stateIn('assigned'), input('rectified'));
    expect(out.ok && out.next).toEqual({ ...stateIn('assigned'), status: 'rectified', rectifiedMs: T0 + 3 * DAY });
  });

  it('a passed look-back closes', () => {
    const out = transition(stateIn('rectified'), input('closed', { note: '' }));
    expect(out).toMatchObject({ ok: true, action: 'pass', next: { status: 'closed', closedMs: T0 + 3 * DAY } });
  });

  it('a failed look-back assigns again with a new deadline, a strike and the same notice', () => {
    const now = T0 + 3 * DAY;
    const out = transition(stateIn('rectified'), input('assigned', { nowMs: now, defaultDeadlineMs: now + 2 * DAY }));
    expect(out).toEqual({
      ok: true,
      action: 'fail',
      next: { ...stateIn('rectified'), status: 'assigned', assignedMs: now, deadlineMs: now + 2 * DAY, rectifiedMs: null, strikes: 1 },
    });
    expect(transition(stateIn('rectified'), input('assigned', { note: '' }))).toMatchObject({ ok: false, path: 'note' });
  });

  it('a closed problem cannot change', () => {
    const out = transition(stateIn('closed'), input('assigned'));
    expect(out).toMatchObject({ ok: false, reason: 'forbidden', allowed: [] });
    if (!out.ok) expect(out.message).toMatch(/recurrence/);
  });
});

describe('escalation', () => {
  it('is nothing on time, 督办单 at the first missed deadline, 约谈 at the second', () => {
    const s = stateIn('assigned', { deadlineMs: T0 + DAY });
    expect(escalation(s, T0 + DAY)).toEqual({ strikes: 0, level: 0, supervision: false, summons: false });
    expect(escalation(s, T0 + DAY + 1)).toEqual({ strikes: 1, level: 1, supervision: true, summons: false });

    // Rectified late: the strike stays after the problem stops being overdue.
    const late = transition(s, input('rectified', { nowMs: T0 + 2 * DAY }));
    if (!late.ok) throw new Error(late.message);
    expect(late.next.strikes).toBe(1);
    expect(escalation(late.next, T0 + 30 * DAY).level).toBe(1);

    // The look-back fails: second strike → summons.
    const failed = transition(late.next, input('assigned', { nowMs: T0 + 3 * DAY }));
    if (!failed.ok) throw new Error(failed.message);
    expect(escalation(failed.next, T0 + 3 * DAY)).toEqual({ strikes: 2, level: 2, supervision: true, summons: true });
    // Overdue again: still level 2 (the cap), three strikes.
    expect(escalation(failed.next, failed.next.deadlineMs! + 1)).toMatchObject({ strikes: 3, level: 2 });
  });

  it('an on-time rectification earns no strike', () => {
    const out = transition(stateIn('assigned'), input('rectified', { nowMs: T0 + 7 * DAY }));
    expect(out.ok && out.next.strikes).toBe(0);
  });

  it('imported rows earn a strike when they were rectified late', () => {
    expect(importedStrikes({ deadlineMs: T0, rectifiedMs: T0 + 1 })).toBe(1);
    expect(importedStrikes({ deadlineMs: T0, rectifiedMs: T0 })).toBe(0);
    expect(importedStrikes({ deadlineMs: T0, rectifiedMs: null })).toBe(0);
  });
});

describe('city time and deadlines', () => {
  it('writes times in +08:00, across the UTC date line', () => {
    expect(toCityIso(Date.parse('2026-01-31T16:30:00Z'))).toBe('2026-02-01T00:30:00+08:00');
    expect(cityDate(Date.parse('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(cityYear(Date.parse('2026-12-31T15:59:59Z'))).toBe(2026);
    expect(cityYear(Date.parse('2026-12-31T16:00:00Z'))).toBe(2027);
  });

  it('default deadlines cross month ends, leap days and the year end at the same wall-clock time', () => {
    const cases: [string, number, string][] = [
      ['2026-01-29T10:00:00+08:00', 3, '2026-02-01T10:00:00+08:00'],
      ['2026-02-25T23:30:00+08:00', 7, '2026-03-04T23:30:00+08:00'],
      ['2028-02-27T09:00:00+08:00', 2, '2028-02-29T09:00:00+08:00'],
      ['2026-12-28T16:00:00+08:00', 7, '2027-01-04T16:00:00+08:00'],
      // 07:30 in the city is the previous day in UTC; the deadline keeps the city's date.
      ['2026-04-30T07:30:00+08:00', 1, '2026-05-01T07:30:00+08:00'],
    ];
    for (const [at, days, want] of cases) expect(toCityIso(defaultDeadline(Date.parse(at), days))).toBe(want);
  });

  it('a plain deadline date is the end of that day in the city', () => {
    expect(toCityIso(parseDeadline('2026-02-28')!)).toBe('2026-02-28T23:59:59+08:00');
    expect(parseDeadline('2026-02-28')).toBe(Date.parse('2026-02-28T15:59:59Z'));
    expect(parseDeadline('2026-02-30')).toBeNull();
    expect(parseDeadline('2026-03-01T12:00')).toBe(Date.parse('2026-03-01T04:00:00Z'));
    expect(parseDeadline('2026-03-01T12:00:00Z')).toBe(Date.parse('2026-03-01T12:00:00Z'));
    expect(parseDeadline('next week')).toBeNull();
  });
});

describe('derived history of imported problems', async () => {
  const { deriveHistory } = await import('../../../server/workflow/history');
  const base = {
    id: 'p1',
    category: 'occupy-road',
    description: '占道',
    status: 'closed' as const,
    reportedAt: '2026-01-05T09:00:00+08:00',
    assignedAt: '2026-01-05T15:00:00+08:00',
    deadline: '2026-01-08T15:00:00+08:00',
    rectifiedAt: '2026-01-07T09:00:00+08:00',
    closedAt: '2026-01-09T09:00:00+08:00',
    subdistrictId: 'sd1',
    unitId: 'u1',
    placeId: null,
    recurrenceOf: null,
    noticeNo: 'JK-2026-000001',
    source: 'inspection' as const,
    reporter: '王芳',
  };
  it('follows the timestamps as far as the problem got', () => {
    expect(deriveHistory(base).map((s) => [s.action, s.from, s.to, s.at])).toEqual([
      ['report', null, 'reported', base.reportedAt],
      ['assign', 'reported', 'assigned', base.assignedAt],
      ['rectify', 'assigned', 'rectified', base.rectifiedAt],
      ['pass', 'rectified', 'closed', base.closedAt],
    ]);
    const reported = { ...base, status: 'reported' as const, assignedAt: null, deadline: null, rectifiedAt: null, closedAt: null, noticeNo: null };
    expect(deriveHistory(reported).map((s) => s.action)).toEqual(['report']);
    expect(deriveHistory(base)[1]).toMatchObject({ unitId: 'u1', deadline: base.deadline, note: '整改通知单 JK-2026-000001' });
  });
});
