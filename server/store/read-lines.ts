import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const CHUNK_BYTES = 1 << 20;

/**
 * Yields the lines of a text file one by one (without the line break; CRLF and a missing final newline
 * are fine, a UTF-8 byte-order mark is dropped), reading 1 MiB at a time, so a file of any size streams in
 * constant memory.
 *
 * It is synchronous on purpose: the importer runs inside one better-sqlite3 transaction, which cannot
 * span an `await` (readline is async-only).
 */
export function* readLines(file: string): Generator<string, void, undefined> {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    let first = true;
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK_BYTES, null);
      let text = n > 0 ? rest + decoder.write(buf.subarray(0, n)) : rest + decoder.end();
      if (first && text.length > 0) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      let start = 0;
      for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
        const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        yield text.slice(start, end);
        start = nl + 1;
      }
      rest = text.slice(start);
      if (n === 0) break;
    }
    if (rest.length > 0) yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
  } finally {
    closeSync(fd);
  }
}
