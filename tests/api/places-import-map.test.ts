import { afterAll, describe, expect, it } from 'vitest';
import { RegistryImportResult } from '../../server/contract/places';
import { fixtureApp, getJson } from './fixture';

// One city per file: each test below starts from what the one before left.
const fx = await fixtureApp();
afterAll(async () => fx.close());
const inspector = await fx.signedIn('inspector');

/** An OSM file as JOSM saves it: one market node (deleted when `deleted`), and a bus stop named like a market. */
function osm(market: { lng: number; lat: number; name: string; deleted?: boolean }): string {
  return `<?xml version='1.0' encoding='UTF-8'?>
<osm version='0.6' generator='JOSM'>
  <bounds minlat='36.44' minlon='115.97' maxlat='36.46' maxlon='116.0' />
  <node id='9001' ${market.deleted ? "action='delete' " : ''}version='3' lat='${market.lat}' lon='${market.lng}'>
    <tag k='amenity' v='marketplace' />
    <tag k='name' v='${market.name}' />
  </node>
  <node id='9002' version='1' lat='36.4503' lon='115.9902'>
    <tag k='highway' v='bus_stop' />
    <tag k='name' v='东关市场' />
  </node>
</osm>
`;
}

async function upload(text: string, name: string, dryRun: boolean) {
  const form = new FormData();
  form.append('file', new File([text], name, { type: 'application/xml' }));
  const res = await inspector.request(`/api/places/import${dryRun ? '?dryRun=1' : ''}`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as any };
}

const brief = (m: RegistryImportResult) => m.changes.map((c) => [c.action, c.kind, c.name, c.fields.join(','), c.movedM]);

describe('POST /api/places/import of a map file (merged into the registry)', () => {
  it('a dry run of an OSM file lists its new points and writes nothing; applied, they keep their OSM ids and a merge history', async () => {
    const before = (await getJson(fx.app, '/api/places?status=all')).body.places.length as number;
    const file = osm({ lng: 115.9881, lat: 36.4521, name: '南关农贸市场' });
    const dry = await upload(file, 'josm.osm', true);
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(RegistryImportResult.parse(dry.body)).toEqual(dry.body);
    expect(brief(dry.body)).toEqual([['add', 'market', '南关农贸市场', '', null]]);
    // The stop named …市场 is a bus stop, never a market; this city's catalog has no bus stops, so it is left out, saying why.
    expect(dry.body.skipped).toEqual([{ id: 'ptn9002', name: '东关市场', reason: expect.stringMatching(/no point type "bus-stop"/) }]);
    expect((await getJson(fx.app, '/api/places?status=all')).body.places).toHaveLength(before);

    const applied = await upload(file, 'josm.osm', false);
    expect(applied.body).toMatchObject({ dryRun: false, added: 1, retired: 0 });
    expect(applied.body.changes.map((c: { id: string }) => c.id)).toEqual(['mkn9001']);
    const history = await getJson(fx.app, '/api/places/mkn9001/history');
    expect(history.body.entries[0]).toMatchObject({ action: 'merge', by: expect.stringMatching(/^test-inspector/) });
    // The fixture city's own points are no map file's to retire.
    expect((await getJson(fx.app, '/api/places?status=all')).body.places).toHaveLength(before + 1);
  });

  it('the same object moved is a move, by its OSM id; deleted in JOSM it is retired, not removed', async () => {
    const moved = await upload(osm({ lng: 115.9885, lat: 36.4521, name: '南关农贸市场' }), 'josm.osm', false);
    expect(brief(moved.body)).toEqual([['update', 'market', '南关农贸市场', 'geometry', 35.8]]);
    expect(moved.body).toMatchObject({ unchanged: 0, moved: 1 });

    const deleted = await upload(osm({ lng: 115.9885, lat: 36.4521, name: '南关农贸市场', deleted: true }), 'josm.osm', false);
    expect(brief(deleted.body)).toEqual([['retire', 'market', '南关农贸市场', 'retired', null]]);
    const place = await getJson(fx.app, '/api/places/mkn9001');
    expect(place.status).toBe(200);
    expect(place.body.properties.retiredAt).not.toBeNull();
  });

  it('a broken map file is a 400 naming the file and where, and changes nothing', async () => {
    const { status, body } = await upload("<osm version='0.6'><node id='1' lat='36.45' lon='115.99'>", 'broken.osm', false);
    expect(status).toBe(400);
    expect(body.error).toMatch(/broken\.osm/);
    expect(body.error).not.toMatch(/xuncha-map-/); // the server's temp file stays its own
  });
});
