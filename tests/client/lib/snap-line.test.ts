import { describe, expect, it } from 'vitest';
import { snapLine } from '../../../client/src/lib/snap-line';

describe('snapLine', () => {
  it('joins the legs between consecutive vertices without repeating the shared ends', async () => {
    // A fake network: every leg goes through a bend half a step north of its middle.
    const calls: string[] = [];
    const line = await snapLine(
      [
        [0, 0],
        [2, 0],
        [4, 0],
      ],
      async (a, b) => {
        calls.push(`${a}→${b}`);
        return [a, [(a[0] + b[0]) / 2, 0.5], b];
      },
    );
    expect(calls).toEqual(['0,0→2,0', '2,0→4,0']);
    expect(line).toEqual([
      [0, 0],
      [1, 0.5],
      [2, 0],
      [3, 0.5],
      [4, 0],
    ]);
  });

  it('passes on a leg that cannot be routed', async () => {
    await expect(
      snapLine(
        [
          [0, 0],
          [1, 1],
        ],
        async () => {
          throw new Error('off the network');
        },
      ),
    ).rejects.toThrow('off the network');
  });
});
