import { describe, expect, it } from 'vitest';
import { compile } from '../../../server/solver/instance';
import { construct } from '../../../server/solver/construct';
import { cloneState, evaluate, routeFeasible } from '../../../server/solver/state';
import type { State } from '../../../server/solver/state';
import { createRng } from '../../../server/solver/random';
import type { Move, Operator } from '../../../server/solver/operators/move';
import { newMove } from '../../../server/solver/operators/move';
import { OPERATORS, localSearch } from '../../../server/solver/local-search';
import { randomProblem } from './helpers';

/** A random (possibly invalid) move of the operator's shape on the state. */
function randomMove(op: Operator, s: State, rng: ReturnType<typeof createRng>): Move | null {
  const m = newMove();
  const R = s.routes.length;
  const len = (r: number): number => s.routes[r].jobs.length;
  m.r1 = rng.int(R);
  m.r2 = rng.int(R);
  m.flag = rng.int(4);
  switch (op.name) {
    case 'relocate':
      if (m.r1 === m.r2 || len(m.r1) === 0) return null;
      m.i = rng.int(len(m.r1));
      m.j = rng.int(len(m.r2) + 1);
      m.flag &= s.inst.flippable[s.routes[m.r1].jobs[m.i]];
      return m;
    case 'exchange':
      if (m.r1 === m.r2 || len(m.r1) === 0 || len(m.r2) === 0) return null;
      m.i = rng.int(len(m.r1));
      m.j = rng.int(len(m.r2));
      m.flag = (s.inst.flippable[s.routes[m.r2].jobs[m.j]] ? m.flag & 1 : 0) | (s.inst.flippable[s.routes[m.r1].jobs[m.i]] ? m.flag & 2 : 0);
      return m;
    case 'cross-exchange':
      m.l1 = 1 + rng.int(3);
      m.l2 = 1 + rng.int(3);
      if (m.r1 === m.r2 || len(m.r1) < m.l1 || len(m.r2) < m.l2) return null;
      m.i = rng.int(len(m.r1) - m.l1 + 1);
      m.j = rng.int(len(m.r2) - m.l2 + 1);
      return m;
    case '2-opt*':
      if (m.r1 === m.r2) return null;
      m.i = rng.int(len(m.r1) + 1);
      m.j = rng.int(len(m.r2) + 1);
      return m;
    case '2-opt':
      if (len(m.r1) < 1) return null;
      m.i = rng.int(len(m.r1));
      m.j = m.i + rng.int(len(m.r1) - m.i);
      return m;
    case 'or-opt': {
      m.l1 = 1 + rng.int(3);
      const l = len(m.r1);
      if (l <= m.l1) return null;
      m.i = rng.int(l - m.l1 + 1);
      m.j = rng.int(l + 1);
      if (m.j >= m.i && m.j <= m.i + m.l1) return null;
      m.flag &= 1;
      return m;
    }
    case 'flip':
      if (len(m.r1) === 0) return null;
      m.i = rng.int(len(m.r1));
      return m;
    default:
      throw new Error(`no random move for ${op.name}`);
  }
}

describe('operators', () => {
  for (const op of OPERATORS) {
    it(`${op.name}: gain equals the recomputed cost difference and isValid matches feasibility`, () => {
      const rng = createRng(7);
      let tried = 0;
      let valid = 0;
      for (let seed = 1; seed <= 12; seed++) {
        const p = randomProblem(seed, {
          jobs: 24,
          teams: 3,
          windows: seed % 2 === 0,
          backStreets: true,
          capacity: seed % 3 === 0,
          openEnd: seed % 4 === 1,
          locks: seed % 3 === 1,
        });
        const s = construct(compile(p));
        const before = evaluate(s).cost;
        for (let k = 0; k < 150; k++) {
          const m = randomMove(op, s, rng);
          if (!m) continue;
          tried++;
          const g = op.gain(s, m);
          const ok = op.isValid(s, m);
          const c = cloneState(s);
          op.apply(c, m);
          expect(before - evaluate(c).cost).toBeCloseTo(g, 6);
          const feasible = c.routes.every((r) => routeFeasible(c.inst, r));
          expect(ok).toBe(feasible);
          if (ok) valid++;
          // Every job is still in exactly one place.
          const count = new Int32Array(p.jobs.length);
          for (const r of c.routes) for (const j of r.jobs) count[j]++;
          for (let j = 0; j < p.jobs.length; j++) expect(count[j]).toBe(c.routeOf[j] >= 0 ? 1 : 0);
        }
      }
      expect(tried).toBeGreaterThan(100);
      expect(valid).toBeGreaterThan(0);
    });
  }

  it('findBest returns an improving valid move and local search never worsens the plan (full and granular)', () => {
    for (let seed = 20; seed < 32; seed++) {
      const p = randomProblem(seed, { jobs: 30, teams: 3, windows: true, backStreets: true, locks: seed % 4 === 0 });
      const inst = compile(p);
      // Granular neighbourhoods are on for big problems only; exercise them on small ones too.
      inst.granular = seed % 2 === 1;
      const s = construct(inst);
      const before = evaluate(s).cost;
      for (const op of OPERATORS) {
        const m = newMove();
        if (op.findBest(s, m, 0)) {
          expect(m.gain).toBeGreaterThan(0);
          expect(op.gain(s, m)).toBeCloseTo(m.gain, 6);
          expect(op.isValid(s, m)).toBe(true);
        }
      }
      localSearch(s, () => 0, 1);
      expect(evaluate(s).cost).toBeLessThanOrEqual(before);
      expect(s.routes.every((r) => routeFeasible(s.inst, r))).toBe(true);
    }
  });
});
