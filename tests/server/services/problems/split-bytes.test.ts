import { describe, expect, it } from 'vitest';
import { joinToBytes, splitBytes, splitBytesInSlices } from '../../../../server/services/problems/problem-index';

describe('ids as bytes between threads', () => {
  it('come back as they went, at once or in slices, whatever their number and letters', async () => {
    for (const list of [[], [''], ['p1'], ['', 'a', ''], ['东昌区-1', 'naïve', '🙂'], Array.from({ length: 100_123 }, (_, i) => `p${i}`)]) {
      const bytes = joinToBytes(list, '\u001f');
      expect(bytes).toBeInstanceOf(Uint8Array);
      const expected = list.length === 1 && list[0] === '' ? [] : list;
      expect(splitBytes(bytes, '\u001f')).toEqual(expected);
      expect(await splitBytesInSlices(bytes, '\u001f')).toEqual(expected);
    }
  });

  it('let the event loop through while a long list is split', async () => {
    const bytes = joinToBytes(
      Array.from({ length: 200_000 }, (_, i) => `p${i}`),
      ',',
    );
    let turns = 0;
    const tick = () => {
      turns++;
      if (!done) setImmediate(tick);
    };
    let done = false;
    setImmediate(tick);
    const ids = await splitBytesInSlices(bytes, ',');
    done = true;
    expect(ids).toHaveLength(200_000);
    expect(turns).toBeGreaterThanOrEqual(4);
  });
});
