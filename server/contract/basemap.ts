/**
 * The online basemap the administrator may add under our layers: none (the default: the city's own
 * vector tiles, no request outside our origin), 天地图 with the city's token, or a WMTS/XYZ service the
 * city runs, or a GCJ-02 service (高德/腾讯: the map shifts its tiles onto our WGS-84 data). The same
 * rules decide what the map requests (`basemapTiles`) and what the server's Content-Security-Policy
 * allows (`basemapOrigins`), so the two cannot drift.
 *
 * The rules without zod (tile URLs, origins, template checks) are in basemap-tiles.ts, for the page.
 */
import { bilingual } from './bilingual';
import { z } from 'zod';
import { errorResponses } from './common';
import { endpoints } from './endpoint';
import { ADMINS, READERS } from './roles';
import { templateProblems } from './basemap-tiles';

const TOKEN_RE = /^[0-9a-f]{32}$/i;
const SUBDOMAIN_RE = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/i;
const MAX_SUBDOMAINS = 8;

export const TiandituInput = z.object({
  kind: z.literal('tianditu'),
  token: z
    .string()
    .trim()
    .regex(
      TOKEN_RE,
      bilingual(
        '天地图密钥（tk）是 32 位十六进制字符，请从天地图控制台复制',
        'the 天地图 key (tk) is 32 hexadecimal characters: copy it from the 天地图 console',
      ),
    )
    .meta({ description: 'the city’s 天地图 key (tk); it goes into every tile URL, so every map reader sees it' }),
  layer: z.enum(['vec', 'img']).default('vec').meta({ description: 'vec: streets (vec_w + cva_w labels); img: imagery (img_w + cia_w labels)' }),
});

/** A tile service by URL template: the city's WMTS/XYZ (`xyz`, WGS-84/CGCS2000) or 高德/腾讯 (`gcj02`). */
function templateService<K extends 'xyz' | 'gcj02'>(kind: K) {
  return z
    .object({
      kind: z.literal(kind),
      url: z.string().trim().max(500, bilingual('地址过长（上限 500 字符）', 'the URL is longer than 500 characters')).meta({
        description: 'tile URL template with {z}/{x}/{y} (and {s} for subdomains); a WMTS KVP URL with TILEMATRIX={z}&TILEROW={y}&TILECOL={x} works too',
        example: 'https://tiles.example.gov.cn/basemap/{z}/{x}/{y}.png',
      }),
      subdomains: z
        .array(z.string().trim().regex(SUBDOMAIN_RE, bilingual('子域名只能含字母、数字和连字符', 'a subdomain holds letters, digits and hyphens only')))
        .max(MAX_SUBDOMAINS, bilingual(`子域名最多 ${MAX_SUBDOMAINS} 个`, `at most ${MAX_SUBDOMAINS} subdomains`))
        .optional()
        .meta({ description: 'what {s} stands for, e.g. ["a","b","c"]; each becomes an origin the CSP allows' }),
      attribution: z
        .string()
        .trim()
        .min(1, bilingual('请填写底图的版权说明，如 © 某市自然资源和规划局', 'give the basemap’s credit, e.g. © the city’s planning bureau'))
        .max(120, bilingual('版权说明不超过 120 字', 'keep the credit under 120 characters')),
      maxzoom: z.number().int().min(1).max(22).default(18).meta({ description: 'the highest zoom the service has tiles for; MapLibre overzooms above' }),
    })
    .superRefine((b, ctx) => {
      for (const message of templateProblems(b.url, b.subdomains)) ctx.addIssue({ code: 'custom', path: ['url'], message });
    });
}

export const XyzInput = templateService('xyz');
/** 高德/腾讯 tiles are drawn in GCJ-02: the map shifts each onto our WGS-84 data (client/src/map/gcj02-tiles.ts). */
export const Gcj02Input = templateService('gcj02');

/** `PUT /api/basemap`: the online basemap to draw under our layers. */
export const BasemapInput = z.discriminatedUnion('kind', [TiandituInput, XyzInput, Gcj02Input]);
export type BasemapInput = z.infer<typeof BasemapInput>;

/** `GET /api/basemap`: the basemap as set, or null for none (the city's own vector tiles only). */
export const BasemapSetting = z
  .union([
    TiandituInput.extend({ updatedAt: z.string().meta({ description: 'when the administrator last set it (ISO time)' }) }),
    XyzInput.safeExtend({ updatedAt: z.string() }),
    Gcj02Input.safeExtend({ updatedAt: z.string() }),
  ])
  .nullable();
export type BasemapSetting = z.infer<typeof BasemapSetting>;

/**
 * The basemap setting: read by every page that draws a map (the big screen's too), written by the
 * administrator. Writes are audited by the gate like every write.
 */
export const BASEMAP_API = endpoints({
  'GET /api/basemap': {
    tag: 'city',
    summary: 'The online basemap drawn under our layers, or null for none (the default: the city’s own vector tiles only)',
    access: READERS,
    responses: { 200: { description: 'The basemap as set', schema: BasemapSetting }, ...errorResponses(401, 403) },
  },
  'PUT /api/basemap': {
    tag: 'city',
    summary:
      'Set the online basemap (admin): 天地图 with a token, a city WMTS/XYZ template or a GCJ-02 one (高德/腾讯); the CSP then allows exactly its origins',
    access: ADMINS,
    bodyLimit: 4096,
    body: BasemapInput,
    responses: { 200: { description: 'The basemap as stored', schema: BasemapSetting }, ...errorResponses(400, 401, 403) },
  },
  'DELETE /api/basemap': {
    tag: 'city',
    summary: 'Remove the online basemap (admin): the maps go back to the city’s own tiles, the CSP to our origin only',
    access: ADMINS,
    responses: { 204: { description: 'Removed (or there was none)' }, ...errorResponses(401, 403) },
  },
});
