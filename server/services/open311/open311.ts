/**
 * Open311 GeoReport v2 over our problems: discovery, services (= problem categories), requests
 * (= problems), tokens, in JSON and XML exactly as the spec writes them. The mapping is pure; the
 * routes do the I/O.
 */
import type { Catalog } from '../../contract/catalog';
import type { Open311Request, Open311RequestsQuery, Open311Service } from '../../contract/open311';
import type { ProblemFeature, ProblemFilter } from '../../contract/problems';
import type { Store } from '../../store/index';
import { cityDate, DAY_MS } from '../../contract/city-time';
import { FINISHED_STATUSES, type RejectReason } from '../../contract/problem-status';
import { limitText } from '../../contract/work-calendar';

/** GeoReport v2 defaults for `GET requests` without dates: the last 90 days, at most 1,000 records. */
export const OPEN311_DEFAULT_DAYS = 90;
export const OPEN311_MAX_RECORDS = 1000;

/** The discovery document. */
export function discovery(origin: string, changeset: string) {
  return {
    changeset,
    contact: 'Xuncha 巡查 — the city’s civilized-city campaign office',
    key_service: 'Ask the administrator for an API key (issued in Xuncha with POST /api/api-keys).',
    endpoints: [
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: `${origin}/open311/v2`,
        changeset,
        type: 'production',
        formats: ['application/json', 'text/xml'],
      },
    ],
  };
}

/** Our categories as GeoReport services. */
export function services(catalog: Catalog): Open311Service[] {
  return catalog.categories.map((c) => ({
    service_code: c.id,
    service_name: c.zh,
    description: `${c.zh} / ${c.en}; rectification within ${limitText(c.deadline, 'en')}`,
    metadata: false,
    type: 'realtime',
    keywords: [c.en, ...c.kinds].join(','),
    group: c.kinds.includes('market') ? '市场' : c.kinds.includes('community') ? '社区' : '街面',
  }));
}

const STATUS_ZH = { reported: '已上报', assigned: '已交办', rectified: '已整改', closed: '已销号', held: '挂账', rejected: '不予立案' } as const;
const REJECT_ZH: Record<RejectReason, string> = { 'not-a-problem': '经核实不属问题', duplicate: '重复举报', 'outside-campaign': '不属创城范围' };

/** What the hotline tells the citizen beyond the status: the notice, why a report was not filed, when a held case is reviewed. */
async function serviceNotice(store: Store, p: ProblemFeature['properties']): Promise<string> {
  const notice = p.noticeNo ? `整改通知单 ${p.noticeNo}` : '';
  if (p.status !== 'held' && p.status !== 'rejected') return notice;
  const w = await store.workflowRow(p.id);
  if (p.status === 'rejected') return `不予立案：${w?.rejectReason ? REJECT_ZH[w.rejectReason] : ''}`;
  return [notice, `挂账，复核日期 ${w?.reviewMs ? cityDate(w.reviewMs) : ''}`].filter(Boolean).join('；');
}

/** One problem as a GeoReport service request. */
export async function toRequest(store: Store, catalog: Catalog, f: ProblemFeature, origin: string): Promise<Open311Request> {
  const p = f.properties;
  const cat = catalog.categories.find((c) => c.id === p.category);
  const place = p.placeId ? await store.getPlace(p.placeId) : null;
  const photo = (await store.problemMedia(p.id)).find((m) => m.role === 'before');
  const address = place ? [place.name, place.properties.address].filter(Boolean).join(' ') : '';
  return {
    service_request_id: p.id,
    // GeoReport has open and closed only: a report not filed is closed, a held case open.
    status: FINISHED_STATUSES.includes(p.status) ? 'closed' : 'open',
    status_notes: `${p.status}${p.overdue ? ' (overdue)' : ''} ${STATUS_ZH[p.status]}${p.overdue ? '（超期）' : ''}`,
    service_name: cat?.zh ?? p.category,
    service_code: p.category,
    description: p.description,
    agency_responsible: (await store.unitName(p.unitId)) ?? '',
    service_notice: await serviceNotice(store, p),
    requested_datetime: p.reportedAt,
    updated_datetime: p.closedAt ?? p.rectifiedAt ?? p.assignedAt ?? p.reportedAt,
    expected_datetime: p.deadline ?? '',
    address,
    address_id: p.placeId ?? '',
    zipcode: '',
    lat: f.geometry.coordinates[1],
    long: f.geometry.coordinates[0],
    media_url: photo ? `${origin}/media/${photo.hash}` : '',
  };
}

/** `GET requests`: by ids, or by service, time (default the last 90 days) and status, newest first, at most 1,000. */
export async function listRequests(store: Store, catalog: Catalog, q: Open311RequestsQuery, nowMs: number, origin: string): Promise<Open311Request[]> {
  if (q.service_request_id?.length) {
    return Promise.all(
      (await Promise.all(q.service_request_id.map(async (id) => store.getProblem(id, nowMs))))
        .filter((f): f is ProblemFeature => f !== null)
        .map(async (f) => toRequest(store, catalog, f, origin)),
    );
  }
  const toMs = q.end_date ? Date.parse(q.end_date) : nowMs;
  const fromMs = q.start_date ? Date.parse(q.start_date) : toMs - OPEN311_DEFAULT_DAYS * DAY_MS;
  const statuses = new Set(q.status ?? []);
  const filter: ProblemFilter = {
    fromMs,
    toMs,
    categories: q.service_code?.length ? q.service_code : undefined,
    statuses: statuses.size === 1 ? (statuses.has('closed') ? ['closed', 'rejected'] : ['reported', 'assigned', 'rectified', 'held']) : undefined,
  };
  const { features } = await store.queryProblems(filter, { limit: OPEN311_MAX_RECORDS, nowMs });
  return Promise.all(features.map(async (json) => toRequest(store, catalog, JSON.parse(json) as ProblemFeature, origin)));
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => XML_ESCAPES[ch]);

function element(name: string, value: unknown, indent: string): string {
  if (value === null || value === undefined || value === '') return `${indent}<${name}/>`;
  if (Array.isArray(value)) {
    // Lists in the spec's XML are a wrapper element with one child per item (formats → format).
    const child = name.endsWith('s') ? name.slice(0, -1) : 'item';
    return `${indent}<${name}>\n${value.map((v) => element(child, v, `${indent}  `)).join('\n')}\n${indent}</${name}>`;
  }
  if (typeof value === 'object') {
    return `${indent}<${name}>\n${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => element(k, v, `${indent}  `))
      .join('\n')}\n${indent}</${name}>`;
  }
  return `${indent}<${name}>${esc(String(value))}</${name}>`;
}

/**
 * GeoReport XML: `root` wrapping one `item` element per entry (services/service,
 * service_requests/request, errors/error), or a single object as `root` (discovery).
 */
export function toXml(root: string, item: string | null, data: unknown): string {
  const body =
    item && Array.isArray(data)
      ? data.length
        ? `<${root}>\n${data.map((d) => element(item, d, '  ')).join('\n')}\n</${root}>`
        : `<${root}/>`
      : element(root, data, '');
  return `<?xml version="1.0" encoding="utf-8"?>\n${body}\n`;
}
