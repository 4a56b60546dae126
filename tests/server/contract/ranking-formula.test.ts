import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtInVersion, formulaProblems, formulaScore, formulaText, versionOn } from '../../../server/contract/ranking-formula';
import { compositeScore, groupRates, weightedScore } from '../../../server/services/rankings/rankings';

describe('formulaScore', () => {
  const v = {
    summonsPenalty: 1,
    indicators: [
      { id: 'onTimeRate' as const, weight: 60, direction: 'higher' as const },
      { id: 'reworkRate' as const, weight: 30, direction: 'lower' as const },
      { id: 'assessmentRate' as const, weight: 10, direction: 'higher' as const },
    ],
  };
  const none = {
    handlingRate: null,
    onTimeRate: null,
    reworkRate: null,
    overdueRate: null,
    extensionRate: null,
    returnRate: null,
    passRate: null,
    recurrenceRate: null,
    assessmentRate: null,
  };
  it('weighs each rate its way, counts nothing-to-count as met except the 测评得分率, and takes the penalty off', () => {
    expect(formulaScore(v, { ...none, onTimeRate: 0.5, reworkRate: 0.2, assessmentRate: 0.9 }, 2)).toBe(30 + 24 + 9 - 2);
    expect(formulaScore(v, none, 0)).toBe(90);
    expect(formulaScore(v, { ...none, onTimeRate: 0, reworkRate: 1 }, 50)).toBe(0);
  });
  it('writes the formula out', () => {
    expect(formulaText(v, 'zh')).toBe('score = 60·按期处置率 + 30·(1 − 返工率) + 10·测评得分率 − 1·约谈问题数, ≥ 0');
  });
});

describe('formulaProblems', () => {
  it('names weights that do not sum to 100, unknown and repeated indicators', () => {
    const p = formulaProblems({
      summonsPenalty: 0,
      indicators: [
        { id: 'onTimeRate', weight: 50, direction: 'higher' },
        { id: 'onTimeRate', weight: 30, direction: 'higher' },
        { id: 'speed' as never, weight: 10, direction: 'higher' },
      ],
    });
    expect(p.map((x) => x.path)).toEqual(['indicators.1.id', 'indicators.2.id', 'indicators']);
    expect(p[2].message).toBe('the weights sum to 90, not 100');
  });
});

describe('builtInVersion', () => {
  it('scores as the built-in composite does, with and without the 测评 weight', () => {
    const counts = fc.record({
      found: fc.integer({ min: 0, max: 200 }),
      recurrences: fc.integer({ min: 0, max: 50 }),
      due: fc.integer({ min: 0, max: 200 }),
      onTime: fc.integer({ min: 0, max: 200 }),
      handled: fc.integer({ min: 0, max: 200 }),
      overdue: fc.integer({ min: 0, max: 200 }),
      passes: fc.integer({ min: 0, max: 100 }),
      fails: fc.integer({ min: 0, max: 100 }),
      supervision: fc.integer({ min: 0, max: 20 }),
      summons: fc.integer({ min: 0, max: 20 }),
      extensions: fc.integer({ min: 0, max: 20 }),
      returns: fc.integer({ min: 0, max: 20 }),
    });
    fc.assert(
      fc.property(counts, fc.integer({ min: 0, max: 50 }), fc.option(fc.double({ min: 0, max: 1, noNaN: true })), (raw, w, rate) => {
        // Consistent counts: parts never exceed their wholes.
        const c = {
          ...raw,
          id: 'g',
          recurrences: Math.min(raw.recurrences, raw.found),
          overdue: Math.min(raw.overdue, raw.found),
          onTime: Math.min(raw.onTime, raw.due),
        };
        const old = weightedScore(compositeScore(c), w, rate);
        const next = formulaScore(builtInVersion(w), groupRates(c, rate), c.summons);
        // The old path rounds the handling part before scaling it; a floored-at-0 handling part differs more.
        if (compositeScore(c) > 0) expect(Math.abs(old - next)).toBeLessThanOrEqual(0.11);
      }),
    );
  });
});

it('versionOn picks the latest version begun by the day', () => {
  const vs = [{ validFrom: '2026-07-01' }, { validFrom: '2026-01-01' }];
  expect(versionOn(vs, '2025-12-31')).toBeNull();
  expect(versionOn(vs, '2026-06-30')?.validFrom).toBe('2026-01-01');
  expect(versionOn(vs, '2026-07-01')?.validFrom).toBe('2026-07-01');
});
