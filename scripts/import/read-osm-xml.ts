import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { SaxesParser } from 'saxes';
import { ImportError } from './errors';
import type { SkipLog } from './elements';
import type { Member, OsmSink, Tags } from './osm-store';

/**
 * JOSM keeps what the user deleted in its saved file, marked `action="delete"`, until it is uploaded; an
 * object of a history or change file may be `visible="false"`. Neither is in the city.
 */
const isDeleted = (attributes: Record<string, unknown>) => attributes.action === 'delete' || attributes.visible === 'false';

/**
 * Streams an OSM XML file (.osm) into `sink`, element by element, never holding the file as one
 * string: saxes gets the file in 64 KB chunks. Attributes other than id/lat/lon/ref (version,
 * timestamp, user …) are optional, as in Overpass `out body` files.
 *
 * Objects marked deleted are dropped and named in `skipped`.
 *
 * @throws ImportError naming the file and line of malformed XML or of an element without id/lat/lon.
 */
export async function readOsmXml(path: string, sink: OsmSink, skipped?: SkipLog): Promise<void> {
  const file = basename(path);
  const parser = new SaxesParser({ position: true });
  let current: { name: 'node' | 'way' | 'relation'; id: number; lng: number; lat: number; line: number; deleted: boolean } | null = null;
  let tags: Tags | null = null;
  let refs: number[] = [];
  let members: Member[] = [];
  let seenOsm = false;

  const num = (tag: { name: string; attributes: Record<string, unknown> }, attr: string): number => {
    const v = Number(tag.attributes[attr]);
    if (tag.attributes[attr] === undefined || !Number.isFinite(v)) {
      throw new ImportError(`${file}:${parser.line}: <${tag.name}> needs a numeric ${attr}="…" attribute`);
    }
    return v;
  };

  parser.on('opentag', (tag) => {
    switch (tag.name) {
      case 'osm':
        seenOsm = true;
        return;
      case 'bounds':
        sink.bounds?.([num(tag, 'minlon'), num(tag, 'minlat'), num(tag, 'maxlon'), num(tag, 'maxlat')]);
        return;
      case 'node':
        current = { name: 'node', id: num(tag, 'id'), lat: num(tag, 'lat'), lng: num(tag, 'lon'), line: parser.line, deleted: isDeleted(tag.attributes) };
        if (current.lat < -90 || current.lat > 90 || current.lng < -180 || current.lng > 180) {
          throw new ImportError(`${file}:${parser.line}: node ${current.id} has lat/lon outside WGS84 (${current.lat}, ${current.lng})`);
        }
        tags = null;
        return;
      case 'way':
      case 'relation':
        current = { name: tag.name, id: num(tag, 'id'), lat: 0, lng: 0, line: parser.line, deleted: isDeleted(tag.attributes) };
        tags = null;
        refs = [];
        members = [];
        return;
      case 'tag':
        if (current) (tags ??= {})[String(tag.attributes.k)] = String(tag.attributes.v ?? '');
        return;
      case 'nd':
        if (current?.name === 'way') refs.push(num(tag, 'ref'));
        return;
      case 'member': {
        if (current?.name !== 'relation') return;
        const type = tag.attributes.type;
        if (type !== 'node' && type !== 'way' && type !== 'relation') {
          throw new ImportError(`${file}:${parser.line}: relation ${current.id} has a member of unknown type "${String(type)}"`);
        }
        members.push({ type, ref: num(tag, 'ref'), role: String(tag.attributes.role ?? '') });
        return;
      }
      default:
    }
  });
  parser.on('closetag', (tag) => {
    if (!current || tag.name !== current.name) return;
    if (current.deleted) {
      // Untagged nodes of deleted ways are many and say nothing; the tagged objects are what the user removed.
      if (tags) skipped?.add('marked deleted in the file (JOSM action="delete", not uploaded yet): left out', `${current.name} ${current.id}`);
    } else if (current.name === 'node') sink.node(current.id, current.lng, current.lat, tags);
    else if (current.name === 'way') sink.way(current.id, refs, tags);
    else sink.relation(current.id, members, tags);
    current = null;
  });

  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 });
  try {
    for await (const chunk of stream) parser.write(chunk as string);
    parser.close();
  } catch (err) {
    stream.destroy();
    if (err instanceof ImportError) throw err;
    const m = /^(\d+):(\d+): (.*?)\.?$/s.exec((err as Error).message);
    const where = m ? `${file}:${m[1]}:${m[2]}` : file;
    throw new ImportError(`${where}: not well-formed OSM XML (${m ? m[3] : (err as Error).message}); fix the file or export it again`, { cause: err });
  }
  if (!seenOsm) throw new ImportError(`${file}: no <osm> root element; is this an OpenStreetMap XML file?`);
}
