import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayMoveTo, PROBLEM_STATUSES } from '../../server/contract/problem-status';
import { REQUEST_KINDS } from '../../server/contract/workflow';
import type { UserRole } from '../../server/contract/roles';
import { escalation } from '../../server/workflow/state-machine';
import { sweepDeadlines } from '../../server/services/consequences/consequences';
import { loadRow, stateOf } from '../../server/services/problems/workflow';
import { fixtureApp, getJson, type Requester } from './fixture';

// The fixture's open cases at NOW (2026-03-20 12:00): reported p04 (u03) and p11; assigned p13 (u01),
// p07 (u03); overdue p08 (u01), p03 (u02), p14 (u03); rectified p06, p15, p20.
const CASES = ['p04', 'p11', 'p13', 'p07', 'p08', 'p03', 'p14', 'p06', 'p15', 'p20'] as const;
const ROLES: UserRole[] = ['admin', 'leader', 'inspector', 'unit'];
const UNITS = ['u01', 'u02', 'u03'];

// The two reported cases drawn as often as the eight others: 立案 and 不予立案 are steps from them only.
const caseId = fc.oneof(fc.constantFrom('p04', 'p11'), fc.constantFrom(...CASES));
const step = fc.oneof(
  fc.record({
    kind: fc.constant('transition' as const),
    id: caseId,
    role: fc.constantFrom(...ROLES),
    to: fc.constantFrom(...PROBLEM_STATUSES),
    unit: fc.constantFrom(...UNITS),
  }),
  fc.record({ kind: fc.constant('ask' as const), id: fc.constantFrom(...CASES), request: fc.constantFrom(...REQUEST_KINDS) }),
  fc.record({ kind: fc.constant('decide' as const), approve: fc.boolean(), role: fc.constantFrom(...ROLES), unit: fc.constantFrom(...UNITS) }),
);

async function post(app: Requester, path: string, body: unknown) {
  const res = await app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

/**
 * Random walks through the whole case chain over the API — transitions by any role, requests by the
 * case's unit, decisions by any role — checking after every step: who may take it (the policy table),
 * the history (one stored step per change, with who and why, nothing for a refusal), and that the unit's
 * 目标考核 entries are exactly the case's escalation.
 */
describe('the case chain over the API, random walks', () => {
  it('obeys the policy table, keeps the history complete and the deductions in step with the escalation', async () => {
    const reached = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 30 }), async (steps) => {
        const fx = await fixtureApp();
        try {
          const as = async (role: UserRole, unit = 'u01') => fx.signedIn(role, unit);
          const storedSteps = async (id: string) =>
            ((await getJson(fx.app, `/api/problems/${id}/history`)).body.history as { derived: boolean; actor: string; note: string }[]).filter(
              (h) => !h.derived,
            );
          for (const st of steps) {
            if (st.kind === 'transition') {
              const row = await loadRow(fx.store, st.id);
              const unitOfCase = row.props.unitId ?? 'u01';
              const caller = await as(st.role, unitOfCase);
              const before = await storedSteps(st.id);
              // What each step needs, and nothing more (a field another step takes is a 400).
              const needs: Record<string, unknown> =
                st.to === 'assigned'
                  ? { deadline: '2026-03-27', ...(row.props.status === 'reported' ? { unit: st.unit } : {}) }
                  : st.to === 'held'
                    ? { review: '2026-05-01' }
                    : st.to === 'rejected'
                      ? { reason: 'duplicate' }
                      : {};
              const body = { to: st.to, note: '巡查记录', ...needs };
              const out = await post(caller, `/api/problems/${st.id}/transitions`, body);
              const after = await storedSteps(st.id);
              if (!mayMoveTo(st.role, st.to)) expect(out.status).toBe(403);
              else expect([200, 409], JSON.stringify(out.body)).toContain(out.status);
              if (out.status === 200) {
                expect(after.length).toBe(before.length + 1);
                expect(after.at(-1)).toMatchObject({ note: '巡查记录' });
                expect(after.at(-1)!.actor).not.toBe('');
                reached.add(out.body.status);
              } else expect(after.length).toBe(before.length);
            } else if (st.kind === 'ask') {
              const unitOfCase = (await loadRow(fx.store, st.id)).props.unitId;
              if (!unitOfCase) continue;
              const out = await post(await as('unit', unitOfCase), `/api/problems/${st.id}/requests`, {
                kind: st.request,
                reason: '请求',
                until: st.request === 'extension' ? '2026-04-30' : undefined,
              });
              expect([201, 409, 400]).toContain(out.status);
            } else {
              const open = (await getJson(fx.app, '/api/requests?status=open')).body.requests as {
                id: number;
                problemId: string;
                kind: string;
                unitId: string;
              }[];
              if (open.length === 0) continue;
              const r = open[0];
              const before = await storedSteps(r.problemId);
              const out = await post(await as(st.role, r.unitId), `/api/problems/${r.problemId}/requests/${r.id}/decision`, {
                approve: st.approve,
                note: '审批意见',
                unit: r.kind === 'return' && st.approve ? (st.unit === r.unitId ? UNITS.find((u) => u !== r.unitId) : st.unit) : undefined,
              });
              if (st.role === 'unit') expect(out.status).toBe(403);
              else expect([200, 409]).toContain(out.status);
              const after = await storedSteps(r.problemId);
              const changed = out.status === 200 && out.body.request.status === 'approved';
              expect(after.length).toBe(before.length + (changed ? 1 : 0));
            }
          }
          // Every case's standing 督办/约谈 entries are its escalation now, for the unit that has it.
          const now = Date.parse('2026-03-20T12:00:00+08:00');
          // Cases nobody touched come in with the sweep, as when the ledger is read.
          await sweepDeadlines(fx.store, now);
          for (const id of CASES) {
            const row = await loadRow(fx.store, id);
            const state = stateOf(row);
            const level = row.mergedInto || state.status === 'rejected' || !state.unitId ? 0 : escalation(state, now).level;
            const standing = await fx.store.activeEscalationDeductions(id);
            expect(standing.map((e) => e.kind).sort()).toEqual((['supervision', 'summons'] as const).slice(0, level).slice().sort());
            for (const e of standing) expect(e.unitId).toBe(state.unitId);
          }
        } finally {
          await fx.close();
        }
      }),
      { numRuns: 40, seed: 20261207 },
    );
    // The walks reach every status a step can lead to.
    expect([...reached].sort()).toEqual(PROBLEM_STATUSES.filter((x) => x !== 'reported').sort());
  }, 120_000);
});
