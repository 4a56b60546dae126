import { PbfWriter } from 'pbf';
import { describe, expect, it } from 'vitest';
import { countProblemsInTile } from '../../../client/src/api/problem-count';

type Props = Record<string, string | number>;

/** Encodes one MVT layer of points (Mapbox Vector Tile spec 2.1), so the decoder reads real bytes. */
function encodeTile(layerName: string, features: Props[]): ArrayBuffer {
  const keys: string[] = [];
  const values: (string | number)[] = [];
  const index = <T>(list: T[], v: T) => {
    let i = list.indexOf(v);
    if (i < 0) i = list.push(v) - 1;
    return i;
  };
  const tagged = features.map((props) => Object.entries(props).flatMap(([k, v]) => [index(keys, k), index(values, v)]));
  const pbf = new PbfWriter();
  pbf.writeMessage(
    3,
    (_: null, layer: PbfWriter) => {
      layer.writeVarintField(15, 2);
      layer.writeStringField(1, layerName);
      tagged.forEach((tags, i) => {
        layer.writeMessage(
          2,
          (__: null, f: PbfWriter) => {
            f.writeVarintField(1, i + 1);
            f.writePackedVarint(2, tags);
            f.writeVarintField(3, 1); // POINT
            f.writePackedVarint(4, [9, 100, 100]); // MoveTo(1) to (50, 50), zigzag-encoded
          },
          null,
        );
      });
      for (const k of keys) layer.writeStringField(3, k);
      for (const v of values) {
        layer.writeMessage(
          4,
          (__: null, val: PbfWriter) => {
            if (typeof v === 'string') val.writeStringField(1, v);
            else val.writeVarintField(5, v); // uint
          },
          null,
        );
      }
      layer.writeVarintField(5, 4096);
    },
    null,
  );
  const bytes = pbf.finish();
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

describe('countProblemsInTile', () => {
  it('sums clusters and counts plain problems one each', () => {
    const tile = encodeTile('problems', [
      { count: 120, open: 30, overdue: 4 },
      { count: 7, open: 0, overdue: 0 },
      { id: 'p1', category: 'occupy-road', status: 'assigned', overdue: 1 },
      { id: 'p2', category: 'occupy-road', status: 'rectified', overdue: 0 },
      { id: 'p3', category: 'occupy-road', status: 'closed', overdue: 0 },
    ]);
    expect(countProblemsInTile(tile)).toEqual({ total: 130, open: 32, overdue: 5 });
  });

  it('reads an empty body (HTTP 204) as no problems', () => {
    expect(countProblemsInTile(new ArrayBuffer(0))).toEqual({ total: 0, open: 0, overdue: 0 });
  });

  it('ignores other layers', () => {
    expect(countProblemsInTile(encodeTile('markets', [{ count: 3 }]))).toEqual({ total: 0, open: 0, overdue: 0 });
  });
});
