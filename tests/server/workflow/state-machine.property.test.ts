import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROBLEM_STATUSES, type ProblemStatus } from '../../../server/contract/problems';
import { DAY_MS } from '../../../server/contract/city-time';
import { allowedTargets, escalation, transition, type WorkflowState } from '../../../server/workflow/state-machine';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T09:00:00+08:00');

/** Random walks through the state machine: any requested step at any later time. */
describe('state machine properties', () => {
  it('keeps every field consistent with the status, strikes never fall, refusals change nothing', () => {
    const reached = new Set<ProblemStatus>();
    const step = fc.record({
      to: fc.constantFrom(...PROBLEM_STATUSES),
      afterMs: fc.integer({ min: 1, max: 20 * DAY }),
      note: fc.constantFrom('', '已处理'),
      days: fc.integer({ min: 1, max: 15 }),
      // A rejection's reason and a hold's review date, given or forgotten.
      needs: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        let s: WorkflowState = {
          status: 'reported',
          unitId: 'u1',
          assignedMs: null,
          deadlineMs: null,
          rectifiedMs: null,
          closedMs: null,
          noticeNo: null,
          strikes: 0,
          reviewMs: null,
          rejectReason: null,
        };
        let now = T0;
        let notices = 0;
        for (const st of steps) {
          now += st.afterMs;
          const before = s;
          const needs = !st.needs ? {} : st.to === 'rejected' ? { reason: 'duplicate' as const } : st.to === 'held' ? { reviewMs: now + st.days * DAY_MS } : {};
          const out = transition(s, {
            to: st.to,
            nowMs: now,
            note: st.note,
            defaultDeadlineMs: now + st.days * DAY_MS,
            newNoticeNo: () => `N-${++notices}`,
            ...needs,
          });
          if (!out.ok) {
            if (out.reason === 'forbidden') expect(allowedTargets(s.status)).not.toContain(st.to);
            continue;
          }
          s = out.next;
          expect(allowedTargets(before.status)).toContain(s.status);
          expect(s.strikes).toBeGreaterThanOrEqual(before.strikes);
          expect(s.strikes - before.strikes).toBeLessThanOrEqual(1);
          // Fields follow the status.
          const filed = s.status !== 'reported' && s.status !== 'rejected';
          expect(s.assignedMs !== null).toBe(filed);
          expect(s.deadlineMs !== null).toBe(filed);
          expect(s.rectifiedMs !== null).toBe(s.status === 'rectified' || s.status === 'closed');
          expect(s.closedMs !== null).toBe(s.status === 'closed' || s.status === 'rejected');
          expect(s.reviewMs !== null).toBe(s.status === 'held');
          expect(s.rejectReason !== null).toBe(s.status === 'rejected');
          if (s.status === 'assigned') expect(s.deadlineMs!).toBeGreaterThan(now);
          if (s.status === 'held') expect(escalation(s, now + 1000 * DAY).strikes).toBe(s.strikes);
          // One notice per problem, kept through failed look-backs and holds.
          expect(notices).toBe(filed ? 1 : 0);
          reached.add(s.status);
          const e = escalation(s, now);
          expect(e.level).toBe(Math.min(2, e.strikes));
        }
        expect((PROBLEM_STATUSES as readonly ProblemStatus[]).includes(s.status)).toBe(true);
      }),
      { numRuns: 500, seed: 20261126 },
    );
    // The walks reach every status.
    expect([...reached].sort()).toEqual(PROBLEM_STATUSES.filter((x) => x !== 'reported').sort());
  });
});
