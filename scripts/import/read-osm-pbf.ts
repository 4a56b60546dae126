import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { basename } from 'node:path';
import { inflateSync } from 'node:zlib';
import { PbfReader as Pbf } from 'pbf';
import { ImportError } from './errors';
import type { Member, OsmSink, Tags } from './osm-store';

/*
 * OSM PBF (https://wiki.openstreetmap.org/wiki/PBF_Format), decoded by hand with `pbf`:
 *
 *   file   = { int32 BE length, BlobHeader(length), Blob(datasize) }*
 *   Blob   = raw (1) | zlib_data (3) with raw_size (2)      → OSMHeader | OSMData (PrimitiveBlock)
 *   PrimitiveBlock = stringtable (1), primitivegroup (2)*, granularity (17, 100), lat_offset (19), lon_offset (20)
 *   PrimitiveGroup = nodes (1)* | dense (2) | ways (3)* | relations (4)*
 *
 * The file is read one blob at a time (at most 32 MB each by the spec), so memory is one blob plus the sink.
 */

const MAX_HEADER = 64 * 1024;
const MAX_BLOB = 32 * 1024 * 1024;
const MEMBER_TYPES = ['node', 'way', 'relation'] as const;

/**
 * Streams an OSM PBF file into `sink`.
 *
 * @throws ImportError naming the file and the byte offset of a truncated or corrupt blob, or an
 *   unsupported compression (only raw and zlib blobs exist in practice).
 */
export function readOsmPbf(path: string, sink: OsmSink): void {
  const file = basename(path);
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    let pos = 0;
    const lenBuf = Buffer.alloc(4);
    let blobs = 0;
    while (pos < size) {
      const at = pos;
      if (readSync(fd, lenBuf, 0, 4, pos) !== 4) throw new ImportError(`${file}: truncated at byte ${at} (blob header length)`);
      const headerLen = lenBuf.readUInt32BE(0);
      if (headerLen > MAX_HEADER)
        throw new ImportError(`${file}: byte ${at}: blob header of ${headerLen} bytes; this is not an OSM PBF file (or it is corrupt)`);
      pos += 4;
      const headerBuf = Buffer.alloc(headerLen);
      if (readSync(fd, headerBuf, 0, headerLen, pos) !== headerLen) throw new ImportError(`${file}: truncated at byte ${pos} (blob header)`);
      pos += headerLen;
      const header = new Pbf(headerBuf).readFields(
        (tag, h: { type: string; datasize: number }, pbf) => {
          if (tag === 1) h.type = pbf.readString();
          else if (tag === 3) h.datasize = pbf.readVarint();
        },
        { type: '', datasize: 0 },
      );
      if (header.datasize > MAX_BLOB)
        throw new ImportError(`${file}: byte ${at}: blob of ${header.datasize} bytes exceeds the 32 MB the PBF spec allows; the file is corrupt`);
      const blobBuf = Buffer.alloc(header.datasize);
      if (readSync(fd, blobBuf, 0, header.datasize, pos) !== header.datasize)
        throw new ImportError(`${file}: truncated at byte ${pos} (blob data); download the file again`);
      pos += header.datasize;
      const data = decodeBlob(blobBuf, `${file}: blob at byte ${at}`);
      if (header.type === 'OSMHeader') checkHeader(data, file);
      else if (header.type === 'OSMData') {
        try {
          readPrimitiveBlock(data, sink);
        } catch (err) {
          if (err instanceof ImportError) throw err;
          throw new ImportError(`${file}: blob at byte ${at} is corrupt (${(err as Error).message})`, { cause: err });
        }
      }
      blobs++;
    }
    if (blobs === 0) throw new ImportError(`${file}: empty file`);
  } finally {
    closeSync(fd);
  }
}

function decodeBlob(buf: Uint8Array, where: string): Uint8Array {
  const blob = new Pbf(buf).readFields((tag, b: { raw?: Uint8Array; zlib?: Uint8Array; other?: number }, pbf) => {
    if (tag === 1) b.raw = pbf.readBytes();
    else if (tag === 3) b.zlib = pbf.readBytes();
    else if (tag >= 4 && tag <= 7) b.other = tag;
  }, {});
  if (blob.raw) return blob.raw;
  if (blob.zlib) {
    try {
      return inflateSync(blob.zlib);
    } catch (err) {
      throw new ImportError(`${where}: zlib data does not inflate (${(err as Error).message}); the file is corrupt`, { cause: err });
    }
  }
  throw new ImportError(`${where}: unsupported blob compression (field ${blob.other ?? 'none'}); recompress with osmium cat -f pbf,pbf_compression=zlib`);
}

function checkHeader(data: Uint8Array, file: string): void {
  const required: string[] = [];
  new Pbf(data).readFields((tag, r: string[], pbf) => {
    if (tag === 4) r.push(pbf.readString());
  }, required);
  const unsupported = required.filter((f) => f !== 'OsmSchema-V0.6' && f !== 'DenseNodes');
  if (unsupported.length) throw new ImportError(`${file}: requires PBF features this reader lacks: ${unsupported.join(', ')}`);
}

interface Block {
  strings: string[];
  granularity: number;
  latOffset: number;
  lonOffset: number;
  groups: [number, number][];
}

function readPrimitiveBlock(data: Uint8Array, sink: OsmSink): void {
  const pbf = new Pbf(data);
  const block: Block = { strings: [], granularity: 100, latOffset: 0, lonOffset: 0, groups: [] };
  // Groups are decoded after the whole block is read: granularity and offsets come after them in the file.
  pbf.readFields((tag, b: Block, p) => {
    if (tag === 1) {
      const end = p.readVarint() + p.pos;
      const decoder = new TextDecoder();
      while (p.pos < end) {
        const val = p.readVarint();
        if (val >> 3 === 1) b.strings.push(decoder.decode(p.readBytes()));
        else p.skip(val & 7);
      }
    } else if (tag === 2) {
      const len = p.readVarint();
      b.groups.push([p.pos, p.pos + len]);
      p.pos += len;
    } else if (tag === 17) b.granularity = p.readVarint();
    else if (tag === 19) b.latOffset = p.readVarint(true);
    else if (tag === 20) b.lonOffset = p.readVarint(true);
  }, block);
  for (const [start, end] of block.groups) {
    pbf.pos = start;
    pbf.readFields(
      (tag, b: Block, p) => {
        if (tag === 1) readNode(p, b, sink);
        else if (tag === 2) readDense(p, b, sink);
        else if (tag === 3) readWay(p, b, sink);
        else if (tag === 4) readRelation(p, b, sink);
      },
      block,
      end,
    );
  }
}

const coord = (b: Block, offset: number, v: number): number => (offset + b.granularity * v) * 1e-9;

function tagsOf(b: Block, keys: number[], vals: number[]): Tags | null {
  if (keys.length === 0) return null;
  const tags: Tags = {};
  for (let i = 0; i < keys.length; i++) tags[b.strings[keys[i]]] = b.strings[vals[i]];
  return tags;
}

function readNode(p: Pbf, b: Block, sink: OsmSink): void {
  const n = p.readMessage(
    (tag, r: { id: number; lat: number; lon: number; keys: number[]; vals: number[] }, q) => {
      if (tag === 1) r.id = q.readSVarint();
      else if (tag === 2) q.readPackedVarint(r.keys);
      else if (tag === 3) q.readPackedVarint(r.vals);
      else if (tag === 8) r.lat = q.readSVarint();
      else if (tag === 9) r.lon = q.readSVarint();
    },
    { id: 0, lat: 0, lon: 0, keys: [], vals: [] },
  );
  sink.node(n.id, coord(b, b.lonOffset, n.lon), coord(b, b.latOffset, n.lat), tagsOf(b, n.keys, n.vals));
}

function readDense(p: Pbf, b: Block, sink: OsmSink): void {
  const d = p.readMessage(
    (tag, r: { ids: number[]; lats: number[]; lons: number[]; kv: number[] }, q) => {
      if (tag === 1) q.readPackedSVarint(r.ids);
      else if (tag === 8) q.readPackedSVarint(r.lats);
      else if (tag === 9) q.readPackedSVarint(r.lons);
      else if (tag === 10) q.readPackedVarint(r.kv);
    },
    { ids: [], lats: [], lons: [], kv: [] },
  );
  let id = 0;
  let lat = 0;
  let lon = 0;
  let k = 0;
  // keys_vals: for each node, (key, val)* then 0; empty when no node in the block has tags.
  for (let i = 0; i < d.ids.length; i++) {
    id += d.ids[i];
    lat += d.lats[i];
    lon += d.lons[i];
    let tags: Tags | null = null;
    if (d.kv.length) {
      while (k < d.kv.length && d.kv[k] !== 0) {
        (tags ??= {})[b.strings[d.kv[k]]] = b.strings[d.kv[k + 1]];
        k += 2;
      }
      k++;
    }
    sink.node(id, coord(b, b.lonOffset, lon), coord(b, b.latOffset, lat), tags);
  }
}

function readWay(p: Pbf, b: Block, sink: OsmSink): void {
  const w = p.readMessage(
    (tag, r: { id: number; keys: number[]; vals: number[]; refs: number[] }, q) => {
      if (tag === 1) r.id = q.readVarint();
      else if (tag === 2) q.readPackedVarint(r.keys);
      else if (tag === 3) q.readPackedVarint(r.vals);
      else if (tag === 8) q.readPackedSVarint(r.refs);
    },
    { id: 0, keys: [], vals: [], refs: [] },
  );
  for (let i = 1; i < w.refs.length; i++) w.refs[i] += w.refs[i - 1];
  sink.way(w.id, w.refs, tagsOf(b, w.keys, w.vals));
}

function readRelation(p: Pbf, b: Block, sink: OsmSink): void {
  const r = p.readMessage(
    (tag, o: { id: number; keys: number[]; vals: number[]; roles: number[]; memids: number[]; types: number[] }, q) => {
      if (tag === 1) o.id = q.readVarint();
      else if (tag === 2) q.readPackedVarint(o.keys);
      else if (tag === 3) q.readPackedVarint(o.vals);
      else if (tag === 8) q.readPackedVarint(o.roles, true);
      else if (tag === 9) q.readPackedSVarint(o.memids);
      else if (tag === 10) q.readPackedVarint(o.types);
    },
    { id: 0, keys: [], vals: [], roles: [], memids: [], types: [] },
  );
  const members: Member[] = [];
  let ref = 0;
  for (let i = 0; i < r.memids.length; i++) {
    ref += r.memids[i];
    members.push({ type: MEMBER_TYPES[r.types[i]] ?? 'node', ref, role: b.strings[r.roles[i]] ?? '' });
  }
  sink.relation(r.id, members, tagsOf(b, r.keys, r.vals));
}
