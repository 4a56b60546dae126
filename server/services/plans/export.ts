/**
 * Plan exports: GPX 1.1 for phone navigation apps (a track per team, a waypoint per stop), GeoJSON
 * (routes, numbered stops, dropped stops), and the task sheet's data (the plan with the catalog's
 * check items per stop kind).
 */
import type { Catalog } from '../../contract/catalog';
import { checkItemsOn } from '../assessment/catalog';
import type { Plan } from '../../contract/plans';

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const hhmm = (iso: string) => iso.slice(11, 16);

/**
 * The plan as GPX 1.1: one `<trk>` per team with stops (its route along the streets), one `<wpt>`
 * per stop named "<team> <seq>. <name>" with its arrival time.
 */
export function planGpx(plan: Plan): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gpx version="1.1" creator="Xuncha 巡查" xmlns="http://www.topografix.com/GPX/1/1">',
    `  <metadata><name>${xml(plan.name)}</name><desc>${xml(`${plan.date} · ${plan.profile}`)}</desc><time>${plan.updatedAt}</time></metadata>`,
  ];
  const at = (c: readonly number[]) => `${c[0].toFixed(5)}, ${c[1].toFixed(5)}`;
  for (const t of plan.teams) {
    // Where the team sets off and ends, by name: a phone's list of waypoints reads 第1组 起点 古楼街道办事处.
    const ends: [readonly number[] | null, string | null | undefined, string, string][] = [
      [t.start, t.startName, '起点', 'start'],
      [t.end, t.endName, '终点', 'end'],
    ];
    for (const [c, name, zh, type] of ends) {
      if (!c) continue;
      out.push(
        `  <wpt lat="${c[1]}" lon="${c[0]}"><name>${xml(`${t.name} ${zh} ${name || at(c)}`)}</name>` +
          `<desc>${xml(type === 'start' ? hhmm(t.startAt) : hhmm(t.endAt))}</desc><type>${type}</type></wpt>`,
      );
    }
    for (const s of t.stops) {
      out.push(
        `  <wpt lat="${s.lngLat[1]}" lon="${s.lngLat[0]}"><time>${s.arrival}</time><name>${xml(`${t.name} ${s.seq}. ${s.name}`)}</name>` +
          `<desc>${xml(`${hhmm(s.arrival)}–${hhmm(s.departure)}${s.address ? ` · ${s.address}` : ''}`)}</desc><type>${s.kind}</type></wpt>`,
      );
    }
  }
  for (const t of plan.teams) {
    if (!t.geometry) continue;
    out.push(`  <trk><name>${xml(t.name)}</name><desc>${xml(`${t.stops.length} stops, ${hhmm(t.startAt)}–${hhmm(t.endAt)}`)}</desc><trkseg>`);
    for (const [lng, lat] of t.geometry.coordinates) out.push(`    <trkpt lat="${lat}" lon="${lng}"/>`);
    out.push('  </trkseg></trk>');
  }
  out.push('</gpx>', '');
  return out.join('\n');
}

/** The plan as an RFC 7946 FeatureCollection: team routes, then numbered stops, then dropped stops. */
export function planGeoJson(plan: Plan) {
  const features: { type: 'Feature'; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }[] = [];
  for (const t of plan.teams) {
    if (!t.geometry) continue;
    features.push({
      type: 'Feature',
      geometry: t.geometry,
      properties: {
        role: 'route',
        team: t.name,
        teamIndex: t.index,
        color: t.color,
        stops: t.stops.length,
        travelS: t.travelS,
        travelM: t.travelM,
        durationS: t.durationS,
        startAt: t.startAt,
        endAt: t.endAt,
      },
    });
  }
  for (const t of plan.teams) {
    for (const s of t.stops) {
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: s.lngLat },
        properties: {
          role: 'stop',
          id: s.id,
          kind: s.kind,
          name: s.name,
          team: t.name,
          teamIndex: t.index,
          color: t.color,
          seq: s.seq,
          arrival: s.arrival,
          departure: s.departure,
          dwellS: s.dwellS,
          locked: s.locked,
        },
      });
    }
  }
  for (const s of plan.dropped) {
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: s.lngLat },
      properties: { role: 'dropped', id: s.id, kind: s.kind, name: s.name, reason: s.reason, reasonZh: s.reasonText.zh, reasonEn: s.reasonText.en },
    });
  }
  return { type: 'FeatureCollection' as const, name: plan.name, features };
}

/** The task sheet's data: the plan and the check items for each stop kind in it. */
export function planSheet(plan: Plan, catalog: Catalog) {
  return {
    plan,
    checkItems: checkItemsOn(catalog, plan.date),
  };
}
