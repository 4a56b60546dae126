import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLines } from '../../../server/store/read-lines';

const dir = mkdtempSync(join(tmpdir(), 'xuncha-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const linesOf = (name: string, content: string | Buffer) => {
  const file = join(dir, name);
  writeFileSync(file, content);
  return [...readLines(file)];
};

describe('readLines', () => {
  it('splits on LF and CRLF and keeps a last line without newline', () => {
    expect(linesOf('a.txt', 'one\r\ntwo\nthree')).toEqual(['one', 'two', 'three']);
    expect(linesOf('b.txt', 'one\n\nthree\n')).toEqual(['one', '', 'three']);
    expect(linesOf('c.txt', '')).toEqual([]);
  });

  it('drops a byte-order mark', () => {
    expect(linesOf('bom.txt', '\uFEFF{"a":1}\n')).toEqual(['{"a":1}']);
  });

  it('keeps multi-byte characters whole across 1 MiB chunks', () => {
    // 3-byte characters with an odd-length prefix put chunk boundaries inside characters.
    const line = `x${'巡查'.repeat(100_000)}`;
    const lines = linesOf('big.txt', `${line}\n${line}\nend`);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(line);
    expect(lines[1]).toBe(line);
    expect(lines[2]).toBe('end');
  });
});
