import { z } from 'zod';
import { errorResponses, listParam, LngLatSchema, timeParam } from './common';
import { Geometry } from './geojson';
import { PlaceOrPointKind } from './layers';
import { endpoints } from './endpoint';
import { PLANNERS, READERS } from './roles';
import { isPhoneNumber, PLACE_PHOTOS_MAX, REGISTRY_FIELDS } from './registry';
import { XLSX_CONTENT_TYPE } from './ledger';

/** Counts of a place's problems: all time, not closed, and assigned past the deadline. */
export const ProblemCounts = z.object({
  total: z.number().int(),
  open: z.number().int().meta({ description: 'not closed (reported, assigned or rectified)' }),
  overdue: z.number().int(),
});
export type ProblemCounts = z.infer<typeof ProblemCounts>;

/** A photo of a point, with the addresses of its copies. */
export const PlacePhoto = z.object({
  hash: z.string(),
  url: z.string(),
  screenUrl: z.string(),
  thumbUrl: z.string(),
  takenAt: z.string().nullable().meta({ description: 'EXIF time, when the camera wrote one' }),
});
export type PlacePhoto = z.infer<typeof PlacePhoto>;

/** `GET /api/places/:id` response: a market, community or back street with names resolved. */
export const PlaceDetail = z
  .object({
    type: z.literal('Feature'),
    id: z.string(),
    geometry: Geometry,
    properties: z.object({
      id: z.string(),
      name: z.string(),
      kind: PlaceOrPointKind,
      subdistrictId: z.string().nullable(),
      unitId: z.string().nullable(),
      address: z.string().nullable().optional().meta({ description: 'markets only' }),
      entrance: LngLatSchema.nullable().optional().meta({ description: 'communities only' }),
      lengthM: z.number().nullable().optional().meta({ description: 'back streets and lines of the other point types, metres' }),
      subdistrictName: z.string().nullable(),
      unitName: z.string().nullable(),
      leaderId: z.number().int().nullable().meta({ description: '包抓领导: the account id of the leader in charge' }),
      leaderName: z.string().nullable(),
      keeper: z.string().nullable().meta({ description: '点位长, by name' }),
      contact: z.string().nullable(),
      phone: z.string().nullable(),
      notes: z.string().nullable(),
      photos: z.array(PlacePhoto).meta({ description: 'photos of the point, in the order shown' }),
      version: z.number().int().meta({ description: 'the version to send back with an edit (PATCH): 409 when someone edited since' }),
      retiredAt: z.string().nullable().meta({ description: 'when it was retired (out of the planner and the map); null while in use' }),
      retiredReason: z.string().nullable(),
      problemCounts: ProblemCounts,
    }),
  })
  .meta({ id: 'PlaceDetail' });
export type PlaceDetail = z.infer<typeof PlaceDetail>;

export const PlaceParams = z.object({ id: z.string().min(1).meta({ description: 'place id: mk…, cm… or bs…' }) });

/** The most places one `GET /api/visits` asks about. */
export const VISITS_MAX_PLACES = 200;

export const VisitsQuery = z
  .object({
    places: listParam(`inspection point ids, comma-separated (at most ${VISITS_MAX_PLACES})`, 'mk01,bs01').refine(
      (ids) => ids.length >= 1 && ids.length <= VISITS_MAX_PLACES,
      `give 1 to ${VISITS_MAX_PLACES} place ids`,
    ),
    from: timeParam('start', 'visits at or after (date or ISO time)', '2026-03-01'),
    to: timeParam('end', 'visits at or before (a date includes the whole day)', '2026-03-31'),
  })
  .superRefine((q, ctx) => {
    if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must not be after to' });
  });

/** `GET /api/visits`: how often each place was inspected in a period. */
export const VisitsResponse = z
  .object({
    from: z.string(),
    to: z.string(),
    places: z.array(
      z.object({
        id: z.string(),
        visits: z.number().int().meta({ description: 'check results recorded at the place in the period (0 = not inspected)' }),
        lastVisitAt: z.string().nullable().meta({ description: 'the latest of them (ISO time), null without one' }),
      }),
    ),
  })
  .meta({ id: 'VisitsResponse' });
export type VisitsResponse = z.infer<typeof VisitsResponse>;

export const RegistryExportQuery = z.object({
  kind: z.string().min(1).max(100).optional().meta({ description: 'only this point type (an id of the assessment catalog: market, bus-stop …)' }),
  subdistrict: z.string().min(1).max(100).optional().meta({ description: 'only this subdistrict (id)' }),
});
export type RegistryExportQuery = z.infer<typeof RegistryExportQuery>;

/** The 点位信息表's columns, in the order cities hand it to the assessors. */
export const REGISTRY_COLUMNS = [
  '序号',
  '点位类型',
  '名称',
  '地址',
  '所属街道',
  '责任单位',
  '包抓领导',
  '点位长',
  '联系人',
  '联系电话',
  '经度',
  '纬度',
  // Not in the cities' form: the registry id, so the sheet edited and imported again finds its points.
  '点位编号',
] as const;

const Text = (max: number, what: string) => z.string().trim().max(max, `${what}: at most ${max} characters`);
const OptionalText = (max: number, what: string) => Text(max, what).nullable().optional();
const RegistryGeometry = Geometry.meta({
  description: 'a Point (market, bus stop …), a Polygon (community and other areas) or a LineString (back street, road segment), WGS84',
});

/** The fields a point of the registry carries besides its type, name and geometry; null clears one. */
const RegistryAttributes = {
  entrance: LngLatSchema.nullable().optional().meta({ description: 'an area’s entrance, where a team walks in (communities)' }),
  address: OptionalText(200, 'address'),
  subdistrictId: z.string().min(1).max(100).nullable().optional().meta({ description: '所属街道; left out, it is the subdistrict the point lies in' }),
  unitId: z.string().min(1).max(100).nullable().optional().meta({ description: '责任单位 (unit id)' }),
  leaderId: z.number().int().positive().nullable().optional().meta({ description: '包抓领导: an account id' }),
  keeper: OptionalText(50, 'keeper (点位长)'),
  contact: OptionalText(50, 'contact'),
  phone: Text(40, 'phone')
    .refine((p) => p === '' || isPhoneNumber(p), 'not a phone number: write a mobile (13812345678) or a landline (0634-1234567)')
    .nullable()
    .optional(),
  notes: OptionalText(2000, 'notes'),
  photos: z
    .array(z.string().regex(/^[0-9a-f]{64}$/, 'a photo is the hash POST /api/media gave out'))
    .max(PLACE_PHOTOS_MAX, `at most ${PLACE_PHOTOS_MAX} photos a point`)
    .optional()
    .meta({ description: 'photos of the point, in the order shown: the hashes POST /api/media answered (the whole list; [] removes them all)' }),
};

/** `POST /api/places` body: a new point of the registry. */
export const PlaceCreateBody = z
  .strictObject({
    kind: z.string().regex(/^[a-z][a-z0-9-]*$/, 'kind is a point type id: market, community, back-street, bus-stop …'),
    name: Text(200, 'name').min(1, 'give the point a name'),
    geometry: RegistryGeometry,
    ...RegistryAttributes,
  })
  .meta({ id: 'PlaceCreateBody' });
export type PlaceCreateBody = z.infer<typeof PlaceCreateBody>;

const Version = z.number().int().positive().meta({ description: 'the version the point was read at (PlaceDetail.properties.version)' });

/** `PATCH /api/places/:id` body: the changed fields and the version they were read at. */
export const PlacePatchBody = z
  .strictObject({
    version: Version,
    kind: PlaceCreateBody.shape.kind.optional(),
    name: PlaceCreateBody.shape.name.optional(),
    geometry: RegistryGeometry.optional(),
    ...RegistryAttributes,
  })
  .meta({ id: 'PlacePatchBody' });
export type PlacePatchBody = z.infer<typeof PlacePatchBody>;

export const PlaceRetireBody = z
  .strictObject({ version: Version.optional(), reason: Text(500, 'reason').min(1, 'say why the point is retired (关闭, 拆除, 合并 …)') })
  .meta({ id: 'PlaceRetireBody' });
export const PlaceVersionBody = z.strictObject({ version: Version.optional() }).meta({ id: 'PlaceVersionBody' });
export const PlaceUndoBody = z.strictObject({ version: Version }).meta({ id: 'PlaceUndoBody' });

export const PLACE_EDIT_ACTIONS = ['create', 'update', 'retire', 'restore', 'undo', 'import', 'merge'] as const;

/** `GET /api/places/:id/history`: every edit of a point, newest first. */
export const PlaceHistory = z
  .object({
    id: z.string(),
    entries: z.array(
      z.object({
        version: z.number().int(),
        action: z.enum(PLACE_EDIT_ACTIONS),
        at: z.string(),
        by: z.string().meta({ description: 'who edited: display name (username)' }),
        changes: z.array(
          z.object({
            field: z.enum(REGISTRY_FIELDS),
            before: z.unknown().meta({ description: 'the value before (a geometry as GeoJSON); null when unset' }),
            after: z.unknown(),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'PlaceHistory' });
export type PlaceHistory = z.infer<typeof PlaceHistory>;

export const PLACE_STATUSES = ['in-use', 'retired', 'all'] as const;

export const RegistryListQuery = z.object({
  kind: z.string().min(1).max(100).optional().meta({ description: 'only this point type' }),
  subdistrict: z.string().min(1).max(100).optional().meta({ description: 'only this subdistrict (id)' }),
  q: z.string().trim().min(1).max(100).optional().meta({ description: 'name or address contains this' }),
  status: z.enum(PLACE_STATUSES).default('in-use').meta({ description: 'in-use (default), retired, or all' }),
  leader: z.coerce.number().int().positive().optional().meta({ description: 'only the points this account (包抓领导) answers for' }),
});

/** `GET /api/places`: the registry as a list, each point at its marker. */
export const RegistryList = z
  .object({
    places: z.array(
      z.object({
        id: z.string(),
        kind: z.string(),
        name: z.string(),
        address: z.string().nullable(),
        subdistrictId: z.string().nullable(),
        unitId: z.string().nullable(),
        leaderId: z.number().int().nullable(),
        keeper: z.string().nullable(),
        at: LngLatSchema.meta({ description: 'the marker: a point, an area’s entrance, halfway along a line' }),
        version: z.number().int(),
        retiredAt: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'RegistryList' });
export type RegistryList = z.infer<typeof RegistryList>;

/** `GET /api/places/leaders`: the accounts a point's 包抓领导 may be. */
export const RegistryLeaders = z
  .object({ leaders: z.array(z.object({ id: z.number().int(), displayName: z.string(), username: z.string() })) })
  .meta({ id: 'RegistryLeaders' });

/** Largest 点位信息表 accepted for import (a city's ~2,000 points are about 150 KB). */
export const REGISTRY_SHEET_MAX_BYTES = 10 * 1024 * 1024;
/** Largest map file merged from the registry page: a district's OSM XML is 2–30 MB (a city's is better a PBF, or the CLI). */
export const REGISTRY_MAP_MAX_BYTES = 64 * 1024 * 1024;

export const RegistryImportQuery = z.object({
  dryRun: z
    .enum(['1', '0', 'true', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true')
    .meta({ description: '1: only show what the import would change' }),
});

export const RegistryImportForm = z
  .object({ file: z.string().meta({ format: 'binary', description: 'the 点位信息表 (.xlsx), as GET /api/places/export.xlsx gives it, edited' }) })
  .meta({ id: 'RegistryImportForm' });

/** What an import of the 点位信息表 changes (or, in a dry run, would change). */
export const RegistryImportResult = z
  .object({
    dryRun: z.boolean(),
    rows: z.number().int().meta({ description: 'rows of points read' }),
    unchanged: z.number().int(),
    added: z.number().int(),
    changed: z.number().int().meta({ description: 'points with a field other than the position changed' }),
    moved: z.number().int(),
    retired: z.number().int().meta({ description: 'points in use that the sheet no longer lists (only for a sheet with 点位编号)' }),
    restored: z.number().int(),
    retiresMissing: z
      .boolean()
      .meta({ description: 'whether points missing from the sheet are retired: a sheet with the 点位编号 column is the full list of its scope' }),
    kept: z.number().int().meta({
      description:
        'points a map file would change or retire that were edited by hand in the registry: the hand edits stay (0 for a sheet, which is the registry’s own)',
    }),
    scope: z
      .object({ kinds: z.array(z.string()), subdistrictIds: z.array(z.string()) })
      .meta({ description: 'the points the sheet stands for: its types, in the subdistricts its rows’ points are in' }),
    changes: z.array(
      z.object({
        action: z.enum(['add', 'update', 'retire', 'restore']),
        row: z.number().int().nullable().meta({ description: 'the sheet row (1-based), null for a point the sheet no longer lists' }),
        id: z.string().nullable().meta({ description: 'null for a point to add (set once applied)' }),
        kind: z.string(),
        name: z.string(),
        fields: z.array(z.string()).meta({ description: 'the fields that change (geometry: moved)' }),
        movedM: z.number().nullable(),
      }),
    ),
    skipped: z.array(z.object({ id: z.string().nullable(), name: z.string(), reason: z.string() })).meta({
      description:
        'a map file’s points the registry refused (outside every subdistrict, a twin within 20 m …), left out; always empty for a sheet, whose bad row stops the import',
    }),
  })
  .meta({ id: 'RegistryImportResult' });
export type RegistryImportResult = z.infer<typeof RegistryImportResult>;

const placeWrite = <B extends z.ZodType>(summary: string, body: B, description?: string) =>
  ({
    tag: 'places',
    summary,
    description,
    access: PLANNERS,
    bodyLimit: 512 * 1024,
    params: PlaceParams,
    body,
    responses: { 200: { description: 'The point as it is now', schema: PlaceDetail }, ...errorResponses(400, 404, 409) },
  }) as const;

export const SpotNameQuery = z.object({
  lng: z.coerce.number({ error: 'lng must be a longitude in degrees' }).min(-180).max(180),
  lat: z.coerce.number({ error: 'lat must be a latitude in degrees' }).min(-90).max(90),
});

/** What a spot on the map is called: the unit office or point at it, else the street it is by. */
export const SpotName = z
  .object({
    name: z.string().nullable().meta({ description: 'null when nothing named is near (the page then shows the coordinates)' }),
    source: z.enum(['unit', 'place', 'street']).nullable(),
  })
  .meta({ id: 'SpotName' });
export type SpotName = z.infer<typeof SpotName>;

export const MyPlacesQuery = z.object({
  days: z.coerce.number().int().min(1).max(365).default(30).meta({ description: 'a point counts as 达标 when checked within this many days (as 迎检准备)' }),
});

/** `GET /api/places/mine`: the points the signed-in account answers for, with how each stands. */
export const MyPlaces = z
  .object({
    days: z.number().int(),
    at: z.string(),
    totals: z.object({ total: z.number().int(), ready: z.number().int(), notReady: z.number().int(), stale: z.number().int(), openProblems: z.number().int() }),
    points: z.array(
      z.object({
        id: z.string(),
        kind: z.string(),
        typeName: z.string(),
        name: z.string(),
        subdistrictName: z.string().nullable(),
        at: LngLatSchema,
        as: z.array(z.enum(['leader', 'keeper'])).meta({ description: 'leader: the account is its 包抓领导; keeper: its 点位长 (by name)' }),
        status: z
          .enum(['ready', 'not-ready', 'stale', 'unassessed'])
          .meta({ description: 'as 迎检准备: 达标, 未达标, 超期未查; unassessed for a type the catalog in force does not assess' }),
        missing: z.array(z.string()).meta({ description: 'the check items failed or not recorded at its latest check, by name' }),
        openProblems: z.number().int(),
        lastVisitAt: z.string().nullable(),
        lastVisitBy: z.string().nullable().meta({ description: 'who recorded its latest check' }),
        daysSinceVisit: z.number().int().nullable(),
      }),
    ),
  })
  .meta({ id: 'MyPlaces' });
export type MyPlaces = z.infer<typeof MyPlaces>;

/** Markets, communities and back streets. */
export const PLACES_API = endpoints({
  'GET /api/places': {
    tag: 'places',
    summary: 'The registry as a list: every point of a type, a subdistrict, a leader, or matching a name',
    access: PLANNERS,
    query: RegistryListQuery,
    responses: { 200: { description: 'By subdistrict, type and name', schema: RegistryList }, ...errorResponses(400) },
  },
  'GET /api/places/mine': {
    tag: 'places',
    summary:
      '我的点位: the points the signed-in account is 包抓领导 of (by account) or 点位长 of (by its name), with readiness, open problems and the last visit',
    description: 'Not 达标 first, then longest unvisited. Computed in the worker pool (it reads the readiness window).',
    access: PLANNERS,
    query: MyPlacesQuery,
    responses: { 200: { description: 'The points, worst first', schema: MyPlaces }, ...errorResponses(400, 503) },
  },
  'GET /api/places/spot-name': {
    tag: 'places',
    summary: 'The name of a spot clicked on the map: a unit office or inspection point within 60 m, else the named street within 150 m (“振兴大道附近”)',
    description: 'For a team’s start and end in the planner, so the form, the stop list, the GPX and the task sheet say where, not “115.9800, 36.4500”.',
    access: PLANNERS,
    query: SpotNameQuery,
    responses: { 200: { description: 'The name, or null', schema: SpotName }, ...errorResponses(400) },
  },
  'GET /api/places/leaders': {
    tag: 'places',
    summary: 'The accounts a point’s 包抓领导 may be (leaders and administrators in use)',
    access: PLANNERS,
    responses: { 200: { description: 'By name', schema: RegistryLeaders }, ...errorResponses(403) },
  },
  'POST /api/places': {
    tag: 'places',
    summary: 'Add a point to the registry (a market, community, back street or any point type of the catalog)',
    description:
      'The subdistrict is the one the point lies in unless given. 400 names the field: outside the city, a self-intersecting polygon, an empty name, a phone that is no phone number, a second point of the same type and name within 20 m.',
    access: PLANNERS,
    bodyLimit: 512 * 1024,
    body: PlaceCreateBody,
    responses: { 201: { description: 'Added, with its id and version 1', schema: PlaceDetail }, ...errorResponses(400) },
  },
  'PATCH /api/places/:id': placeWrite(
    'Change a point: move, redraw, rename, or change who answers for it',
    PlacePatchBody,
    'Send the changed fields and the version they were read at; 409 names who changed the point since, and when.',
  ),
  'POST /api/places/:id/retire': placeWrite('Retire a point: it leaves the planner and the map, and keeps its problems, checks and history', PlaceRetireBody),
  'POST /api/places/:id/restore': placeWrite('Bring a retired point back into use', PlaceVersionBody),
  'POST /api/places/:id/undo': placeWrite(
    'Undo the point’s latest edit (a new version with the fields as they were; undoing an addition retires the point)',
    PlaceUndoBody,
  ),
  'GET /api/places/:id/history': {
    tag: 'places',
    summary: 'Every edit of a point: who, when, and each field before and after',
    access: READERS,
    params: PlaceParams,
    responses: { 200: { description: 'Newest first', schema: PlaceHistory }, ...errorResponses(404) },
  },
  'POST /api/places/import': {
    tag: 'places',
    summary: 'Import the 点位信息表 edited by hand: a dry run lists what it would add, change, move and retire; without dryRun it is applied',
    description:
      'Rows are matched by 点位编号, else by type and name within 200 m; a point in use of the sheet’s types, in a subdistrict its rows’ points are in, that the sheet no longer lists is retired, only when the sheet has the 点位编号 column. ' +
      'Applied in one transaction: a bad row is a 400 naming it (`details[].path` like `点位信息表!12`) and nothing changes. Problems, checks, plans and history stay.',
    access: PLANNERS,
    bodyLimit: REGISTRY_MAP_MAX_BYTES + 64 * 1024,
    query: RegistryImportQuery,
    body: RegistryImportForm,
    bodyContentType: 'multipart/form-data',
    responses: { 200: { description: 'What changed (or would)', schema: RegistryImportResult }, ...errorResponses(400, 409, 413) },
  },
  'GET /api/places/export.xlsx': {
    tag: 'places',
    summary: `点位信息表: the inspection points as Excel in the columns cities submit (${REGISTRY_COLUMNS.join(', ')})`,
    description:
      '经度/纬度 are WGS84: a point, an area’s entrance, a line’s middle vertex. 包抓领导, 点位长, 联系人 and 联系电话 are what the registry records (empty until someone enters them).',
    access: READERS,
    query: RegistryExportQuery,
    responses: { 200: { description: 'XLSX', contentType: XLSX_CONTENT_TYPE }, ...errorResponses(400) },
  },
  'GET /api/places/:id': {
    tag: 'places',
    summary: 'One market, community or back street with names and problem counts',
    access: READERS,
    params: PlaceParams,
    responses: { 200: { description: 'The place', schema: PlaceDetail }, ...errorResponses(404) },
  },
  'GET /api/visits': {
    tag: 'places',
    summary: 'Inspection visits per place in a period, so problems can be read per visit (a place walked more often finds more)',
    description: 'Places in the list that are unknown or were not inspected come back with 0 visits.',
    access: READERS,
    query: VisitsQuery,
    responses: { 200: { description: 'One row per place asked about, in the order asked', schema: VisitsResponse }, ...errorResponses(400) },
  },
});
