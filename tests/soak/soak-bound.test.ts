import { describe, expect, it } from 'vitest';
import { baselineMinute, soakVerdict, type SoakSample } from './soak-bound';

const flat = (n: number, over: (m: number) => Partial<SoakSample> = () => ({})): SoakSample[] =>
  Array.from({ length: n + 1 }, (_, m) => ({ minute: m, heapUsedMB: 19, domNodes: 330, listeners: 233, ...over(m) }));

describe('soakVerdict', () => {
  it('passes a flat run, also with one sample caught mid-fetch at the end', () => {
    const samples = flat(30, (m) => (m === 30 ? { listeners: 262, heapUsedMB: 24 } : {}));
    const v = soakVerdict(samples, baselineMinute(30));
    expect(v.failures).toEqual([]);
    expect(v.bound).toEqual({ heapMaxMB: 29, domNodesMax: 363, listenersMax: 256 });
  });

  it('fails a heap that grows every minute, and a growing DOM', () => {
    const v = soakVerdict(
      flat(30, (m) => ({ heapUsedMB: 19 + 0.5 * m, domNodes: 330 + 2 * m })),
      5,
    );
    expect(v.failures).toHaveLength(2);
    expect(v.heapSlopeMBPerHour).toBe(30);
  });

  it('needs a sample at the baseline minute', () => {
    expect(() => soakVerdict(flat(3), 5)).toThrow(/at least 10 minutes/);
    expect(baselineMinute(3)).toBe(1);
  });
});
