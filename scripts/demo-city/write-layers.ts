/**
 * Writing the normalized layers folder (data/README.md): GeoJSON FeatureCollections with one feature
 * per line, and problems.ndjson, all streamed through a buffered writer that respects backpressure, so a
 * large city never sits in memory as one string.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';

const FLUSH_CHARS = 1 << 20;

/** Buffered line writer over a file. */
export class LineWriter {
  private buffer: string[] = [];
  private size = 0;
  private lines = 0;

  private constructor(private readonly stream: WriteStream) {}

  /** Opens (and truncates) a file for writing. */
  static open(path: string): LineWriter {
    return new LineWriter(createWriteStream(path, { encoding: 'utf8' }));
  }

  /** Appends one line (a newline is added). */
  async line(text: string): Promise<void> {
    this.buffer.push(text, '\n');
    this.size += text.length + 1;
    this.lines++;
    if (this.size >= FLUSH_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.size === 0) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  /** Flushes and closes; resolves when the file is complete on disk. Returns the number of lines. */
  async close(): Promise<number> {
    await this.flush();
    this.stream.end();
    await finished(this.stream);
    return this.lines;
  }
}

/** A GeoJSON Feature with the id repeated at the top level, as the API serves it. */
export interface OutFeature {
  type: 'Feature';
  id: string;
  properties: Record<string, unknown> & { id: string };
  geometry: { type: string; coordinates: unknown };
}

/** Builds a feature whose top-level id equals properties.id. */
export function feature(properties: Record<string, unknown> & { id: string }, geometry: OutFeature['geometry']): OutFeature {
  return { type: 'Feature', id: properties.id, properties, geometry };
}

/**
 * Writes a FeatureCollection with one feature per line (valid JSON as a whole, and easy to diff or
 * stream-parse by line). Returns the feature count.
 */
export async function writeCollection(path: string, features: Iterable<OutFeature>): Promise<number> {
  const out = LineWriter.open(path);
  await out.line('{"type":"FeatureCollection","features":[');
  let count = 0;
  let pending: string | null = null;
  for (const f of features) {
    if (pending !== null) await out.line(`${pending},`);
    pending = JSON.stringify(f);
    count++;
  }
  if (pending !== null) await out.line(pending);
  await out.line(']}');
  await out.close();
  return count;
}
