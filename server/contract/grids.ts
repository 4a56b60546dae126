/**
 * 网格: the grids of grid management (网格化管理) — polygons a city divides its subdistricts into, each with
 * its 网格员 — drawn or imported on the registry page, and a filter of the planner's stops.
 */
import { z } from 'zod';
import { errorResponses } from './common';
import { endpoints } from './endpoint';
import { MultiPolygonGeometry, PolygonGeometry } from './geojson';
import { isPhoneNumber } from './registry';
import { PLANNERS, READERS } from './roles';

export const GridGeometry = z.union([PolygonGeometry, MultiPolygonGeometry]).meta({ description: 'a Polygon or MultiPolygon, WGS84' });

const Phone = z
  .string()
  .trim()
  .max(40)
  .refine((p) => p === '' || isPhoneNumber(p), 'not a phone number: write a mobile (13812345678) or a landline (0634-1234567)');

export const GridBody = z
  .strictObject({
    name: z.string().trim().min(1, 'give the grid a name (e.g. 古楼街道第3网格)').max(80),
    member: z.string().trim().max(50).nullable().optional().meta({ description: '网格员, by name' }),
    phone: Phone.nullable().optional(),
    geometry: GridGeometry,
  })
  .meta({ id: 'GridBody' });
export type GridBody = z.infer<typeof GridBody>;

export const GridPatchBody = GridBody.partial()
  .extend({ version: z.number().int().positive().meta({ description: 'the version the grid was read at' }) })
  .meta({ id: 'GridPatchBody' });
export type GridPatchBody = z.infer<typeof GridPatchBody>;

export const GridFeature = z
  .object({
    type: z.literal('Feature'),
    id: z.string(),
    geometry: GridGeometry,
    properties: z.object({
      name: z.string(),
      member: z.string().nullable(),
      phone: z.string().nullable(),
      subdistrictId: z.string().nullable(),
      subdistrictName: z.string().nullable(),
      points: z.number().int().meta({ description: 'inspection points in use inside it' }),
      version: z.number().int(),
      updatedAt: z.string(),
      updatedBy: z.string(),
    }),
  })
  .meta({ id: 'Grid' });
export type GridFeature = z.infer<typeof GridFeature>;

export const GridCollection = z.object({ type: z.literal('FeatureCollection'), features: z.array(GridFeature) }).meta({ id: 'Grids' });
export type GridCollection = z.infer<typeof GridCollection>;

export const GridParams = z.object({ id: z.string().min(1).max(100) });

export const GridImportForm = z
  .object({
    file: z
      .string()
      .meta({ format: 'binary', description: 'a GeoJSON FeatureCollection of polygons; properties name (or 网格名称), member (网格员), phone (电话)' }),
  })
  .meta({ id: 'GridImportForm' });
export const GridImportResult = z
  .object({ added: z.number().int(), replaced: z.number().int() })
  .meta({ id: 'GridImportResult', description: 'grids added, and grids of the same name replaced (their outline and 网格员)' });

/** Largest GeoJSON of grids accepted (a city's few hundred grids are a few MB). */
export const GRID_IMPORT_MAX_BYTES = 16 * 1024 * 1024;

export const GRIDS_API = endpoints({
  'GET /api/grids': {
    tag: 'places',
    summary: '网格: every grid with its 网格员 and how many points it holds, as GeoJSON',
    access: READERS,
    responses: { 200: { description: 'By subdistrict and name', schema: GridCollection }, ...errorResponses(403) },
  },
  'POST /api/grids': {
    tag: 'places',
    summary: 'Add a grid (drawn on the registry page)',
    access: PLANNERS,
    bodyLimit: 1024 * 1024,
    body: GridBody,
    responses: { 201: { description: 'The grid', schema: GridFeature }, ...errorResponses(400) },
  },
  'PATCH /api/grids/:id': {
    tag: 'places',
    summary: 'Change a grid: its name, 网格员, phone or outline, at the version read (409 when someone changed it since)',
    access: PLANNERS,
    bodyLimit: 1024 * 1024,
    params: GridParams,
    body: GridPatchBody,
    responses: { 200: { description: 'The grid', schema: GridFeature }, ...errorResponses(400, 404, 409) },
  },
  'DELETE /api/grids/:id': {
    tag: 'places',
    summary: 'Delete a grid (the points in it stay as they are)',
    access: PLANNERS,
    params: GridParams,
    responses: { 204: { description: 'Deleted' }, ...errorResponses(404) },
  },
  'POST /api/grids/import': {
    tag: 'places',
    summary: 'Import grids from a GeoJSON file: a grid of a name already there is replaced, the others added, all or nothing',
    access: PLANNERS,
    bodyLimit: GRID_IMPORT_MAX_BYTES + 64 * 1024,
    body: GridImportForm,
    bodyContentType: 'multipart/form-data',
    responses: { 200: { description: 'What was added and replaced', schema: GridImportResult }, ...errorResponses(400, 413) },
  },
});
