import { z } from 'zod';
import { errorResponses, listParam, LngLatSchema, timeParam } from './common';
import { Geometry } from './geojson';
import { PlaceOrPointKind } from './layers';
import { endpoints } from './endpoint';
import { READERS } from './roles';
import { XLSX_CONTENT_TYPE } from './ledger';

/** Counts of a place's problems: all time, not closed, and assigned past the deadline. */
export const ProblemCounts = z.object({
  total: z.number().int(),
  open: z.number().int().meta({ description: 'not closed (reported, assigned or rectified)' }),
  overdue: z.number().int(),
});
export type ProblemCounts = z.infer<typeof ProblemCounts>;

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
] as const;

/** Markets, communities and back streets. */
export const PLACES_API = endpoints({
  'GET /api/places/export.xlsx': {
    tag: 'places',
    summary: `点位信息表: the inspection points as Excel in the columns cities submit (${REGISTRY_COLUMNS.join(', ')})`,
    description:
      '经度/纬度 are WGS84: a point, an area’s entrance, a line’s middle vertex. 包抓领导, 点位长, 联系人 and 联系电话 stay empty until the registry records them.',
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
