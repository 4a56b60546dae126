import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PbfReader } from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
import { createApp, type AppType } from '../../server/app';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { importLayers } from '../../server/store/import-layers';
import { openStore, type Store } from '../../server/store/index';
import { randomSecret } from '../../server/auth/passwords';
import type { UserRole } from '../../server/contract/roles';
import type { Catalog } from '../../server/contract/catalog';
import { DISTRICTS_FILE } from '../../server/contract/layers';
import { SESSION_COOKIE, SESSION_IDLE_MS, sha256 } from '../../server/auth/sessions';

/** The hand-written city every API test runs against. */
export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/city-small', import.meta.url));
/**
 * The fixture city as two districts (a copy in a temp folder, removed at exit): 西城区 dt01 over the west half
 * (sd01, u01) and 东城区 dt02 over the east half (sd02, u02, and the district-wide u03, whose office is there).
 */
export function twoDistrictFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'xuncha-two-districts-'));
  cpSync(FIXTURE_DIR, dir, { recursive: true });
  const half = (id: string, name: string, code: string, w: number, e: number) => ({
    type: 'Feature',
    properties: { id, name, code, kind: 'district' },
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [w, 36.44],
          [e, 36.44],
          [e, 36.46],
          [w, 36.46],
          [w, 36.44],
        ],
      ],
    },
  });
  const districts = [half('dt01', '西城区', '371502000000', 115.97, 115.98), half('dt02', '东城区', '371503000000', 115.98, 115.99)];
  writeFileSync(join(dir, DISTRICTS_FILE), JSON.stringify({ type: 'FeatureCollection', features: districts }));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** "Now" for the fixture: p03, p08 and p14 are overdue, p07 (deadline 18:00 today) and p13 are not. */
export const NOW = Date.parse('2026-03-20T12:00:00+08:00');

/** Something that answers requests like a Hono app (an app, or an app seen through a signed-in caller). */
export interface Requester {
  request(input: string | Request | URL, init?: RequestInit): Response | Promise<Response>;
}

/** A caller's credentials as the fixture made them. */
export interface Credentials {
  cookie: string;
  csrfToken: string;
}

/**
 * Signs `role` in without the password round trip (the session row is written as a login would), so
 * the many API tests do not pay for scrypt. A unit account belongs to `unitId` (default u01), a district account (`districtId`) to its district. `nowMs` is
 * the clock of the app it is for (default the real one).
 */
export async function signIn(store: Store, role: UserRole, unitId = 'u01', nowMs = Date.now(), districtId: string | null = null): Promise<Credentials> {
  const username = role === 'unit' ? `test-unit-${unitId}` : districtId ? `test-${role}-${districtId}` : `test-${role}`;
  const user =
    (await store.userForLogin(username))?.user ??
    (await store.createUser({
      username,
      displayName: username,
      role,
      unitId: role === 'unit' ? unitId : null,
      districtId,
      passwordHash: 'not-for-login',
      now: new Date(nowMs).toISOString(),
    }));
  const token = randomSecret();
  const csrfToken = randomSecret();
  await store.createSession(sha256(token), { userId: user.id, role, csrfToken, createdMs: nowMs, seenMs: nowMs, expiresMs: nowMs + SESSION_IDLE_MS });
  return { cookie: `${SESSION_COOKIE}=${token}`, csrfToken };
}

/** `app` seen by the caller with `creds`: every request carries the session cookie and the CSRF header. */
export function as(app: Requester, creds: Credentials): Requester {
  return {
    request(input, init = {}) {
      const headers = new Headers(init.headers);
      headers.set('cookie', creds.cookie);
      if (!headers.has('x-csrf-token')) headers.set('x-csrf-token', creds.csrfToken);
      return app.request(input, { ...init, headers });
    },
  };
}

/**
 * A fresh store in a temp folder with the fixture city imported, and the app over it. `app` is seen by
 * a signed-in administrator (most tests are about data, not access); `raw` is the app with nobody
 * signed in, `signedIn(role)` a caller of another role.
 */
export interface Fixture {
  app: Requester & { routes: AppType['routes'] };
  raw: AppType;
  store: Store;
  catalog: Catalog;
  errors: unknown[];
  signedIn(role: UserRole, unitId?: string): Promise<Requester>;
  signedInDistrict(role: 'leader' | 'inspector', districtId: string): Promise<Requester>;
  close(): Promise<void>;
}

export async function fixtureApp(
  opts: { clientDir?: string | null; nowMs?: number; catalog?: (c: Catalog) => Catalog; layersDir?: string } = {},
): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'xuncha-api-'));
  const store: Store = openStore(join(dir, 'xuncha.db'));
  importLayers(store, opts.layersDir ?? FIXTURE_DIR);
  const loaded = loadCatalog(join(FIXTURE_DIR, 'catalog'));
  const catalog = opts.catalog ? opts.catalog(loaded) : loaded;
  const errors: unknown[] = [];
  const now = opts.nowMs ?? NOW;
  const raw = await createApp({ store, catalog, now: () => now, clientDir: opts.clientDir ?? null, logError: (e) => errors.push(e) });
  const admin = as(raw, await signIn(store, 'admin', 'u01', now));
  return {
    app: Object.assign(admin, { routes: raw.routes }),
    raw,
    store,
    catalog,
    errors,
    signedIn: async (role: UserRole, unitId = 'u01') => as(raw, await signIn(store, role, unitId, now)),
    /** A district office's leader or inspector, limited to `districtId`. */
    signedInDistrict: async (role: 'leader' | 'inspector', districtId: string) => as(raw, await signIn(store, role, 'u01', now, districtId)),
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** GET → parsed JSON with the status, for terse assertions. */
export async function getJson<T = any>(app: Requester, path: string) {
  const res = await app.request(path);
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}

/** Decodes an MVT response into { layerName: [{ type, id, properties, geometry }] }. */
export async function decodeTile(res: Response) {
  const buf = new Uint8Array(await res.arrayBuffer());
  const tile = new VectorTile(new PbfReader(buf));
  const out: Record<
    string,
    { type: number; id: number | undefined; properties: Record<string, unknown>; geometry: { x: number; y: number }[][]; extent: number }[]
  > = {};
  for (const [name, layer] of Object.entries(tile.layers)) {
    out[name] = [];
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      out[name].push({ type: f.type, id: f.id, properties: f.properties, geometry: f.loadGeometry(), extent: f.extent });
    }
  }
  return out;
}

/** Tile x/y containing a point at zoom z. */
export function tileOf(lng: number, lat: number, z: number): { x: number; y: number } {
  const n = 2 ** z;
  const s = Math.sin((lat * Math.PI) / 180);
  return {
    x: Math.floor(((lng + 180) / 360) * n),
    y: Math.floor((0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * n),
  };
}

/** One server-sent event as the stream carries it. */
export interface Sse {
  id?: string;
  event?: string;
  data: string;
}

/**
 * Reads the event stream of `res` until `until` says stop, then closes it; `during` runs once the first
 * event has arrived (a write made while the stream is open).
 */
export async function readSse(res: Response, until: (events: Sse[]) => boolean, during?: () => Promise<void>): Promise<Sse[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: Sse[] = [];
  let buf = '';
  let started = false;
  while (!until(events)) {
    const { done, value } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      if (block.startsWith(':')) continue;
      const ev: Sse = { data: '' };
      for (const line of block.split('\n')) {
        const [k, ...rest] = line.split(': ');
        const v = rest.join(': ');
        if (k === 'id') ev.id = v;
        else if (k === 'event') ev.event = v;
        else if (k === 'data') ev.data += v;
      }
      events.push(ev);
    }
    if (!started && events.length && during) {
      started = true;
      await during();
    }
  }
  await reader.cancel();
  return events;
}
