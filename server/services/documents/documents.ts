/**
 * Printable documents as self-contained HTML (A4 print CSS, no outside resources): the 整改通知单
 * (rectification notice) of one problem, with its 督办 / 约谈 escalation, and the weekly 通报
 * (briefing) of one subdistrict. The browser prints them (or saves them as PDF).
 */
import { ConflictError } from './errors';
import { NotFoundError } from '../../errors';
import type { Catalog } from '../../contract/catalog';
import type { Store } from '../../store/index';
import { cityDate, cityIsoWeek, cityWeekStart, DAY_MS, toCityIso } from '../../contract/city-time';
import { ledgerPage } from '../problems/ledger';
import { rankings } from '../rankings/rankings';
import { problemHistory } from '../problems/workflow';
import { publicThumb } from '../media/redaction';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** HTML-escapes text. */
export const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (ch) => ESC[ch]);
/** A rate 0–1 as a printed percentage with one decimal; a dash for none. */
export const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
/** An ISO time's city date as printed: 2026年3月5日. */
export const day = (iso: string | null) => (iso ? `${iso.slice(0, 4)}年${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日` : '');
const time = (iso: string | null) => (iso ? `${day(iso)} ${iso.slice(11, 16)}` : '');

const PAGE_CSS = `
  @page { size: A4; margin: 18mm 16mm; }
  body { font-family: 'Noto Serif CJK SC', 'Noto Sans CJK SC', 'SimSun', serif; color: #111; font-size: 12pt; line-height: 1.7; margin: 0 auto; max-width: 178mm; }
  h1 { text-align: center; font-size: 20pt; letter-spacing: 0.3em; margin: 0 0 4mm; }
  h2 { font-size: 13pt; margin: 6mm 0 2mm; border-left: 4px solid #c8102e; padding-left: 6px; }
  .org { text-align: center; color: #c8102e; font-size: 15pt; border-bottom: 2px solid #c8102e; padding-bottom: 2mm; margin-bottom: 4mm; }
  .no { text-align: right; }
  table { width: 100%; border-collapse: collapse; margin: 2mm 0; }
  th, td { border: 1px solid #444; padding: 3px 6px; text-align: left; vertical-align: top; font-size: 10.5pt; }
  th { background: #f1f1f1; white-space: nowrap; }
  .photos { display: flex; gap: 4mm; flex-wrap: wrap; }
  .photos img { max-width: 80mm; max-height: 60mm; border: 1px solid #999; }
  .stamp { display: inline-block; color: #c8102e; border: 2px solid #c8102e; padding: 1mm 4mm; font-weight: bold; transform: rotate(-4deg); }
  .sign { margin-top: 10mm; text-align: right; }
  .red { color: #c8102e; font-weight: bold; }
  .nowrap { white-space: nowrap; }
  .muted { color: #555; font-size: 10pt; }
  .thumb { width: 24mm; height: 18mm; object-fit: cover; }
  @media screen { body { padding: 12mm; background: #fff; box-shadow: 0 0 8px #aaa; margin: 8mm auto; } .print { position: fixed; right: 12px; top: 12px; } }
  @media print { .print { display: none; } }`;

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${PAGE_CSS}</style></head>
<body><button class="print" onclick="window.print()">打印 / Print</button>
${body}
</body></html>
`;
}

/**
 * The 整改通知单 of an assigned problem: who must fix what, where, by when, with the before photos;
 * marked 督办 (supervision) or 约谈 (summons) when escalated.
 * @throws NotFoundError for an unknown problem; ConflictError when it was never assigned (no notice yet).
 */
export async function rectificationNotice(store: Store, catalog: Catalog, id: string, nowMs: number): Promise<string> {
  const f = await store.getProblem(id, nowMs);
  if (!f) throw new NotFoundError(`There is no problem "${id}".`);
  const p = f.properties;
  if (!p.noticeNo || !p.deadline)
    throw new ConflictError(`Problem ${id} has no 整改通知单 yet: assign it first (POST /api/problems/${id}/transitions {"to":"assigned"}).`);
  const h = await problemHistory(store, id, nowMs);
  const city = await store.getCity();
  const cat = catalog.categories.find((c) => c.id === p.category);
  const place = p.placeId ? await store.getPlace(p.placeId) : null;
  const location = place
    ? [place.name, place.properties.address].filter(Boolean).join(' ')
    : `${f.geometry.coordinates[0].toFixed(5)}, ${f.geometry.coordinates[1].toFixed(5)}`;
  const photos = h.photos.filter((m) => m.role === 'before');
  const title = h.escalation.summons ? '约谈通知' : h.escalation.supervision ? '督办单' : '整改通知单';
  const sources: Record<string, string> = { inspection: '巡查', public: '群众举报', assessment: '测评', unannounced: '暗访' };
  const body = `
<div class="org">${esc(city?.name ?? '')}创建全国文明城市工作指挥部办公室</div>
<h1>${esc(title)}</h1>
<p class="no">编号：${esc(p.noticeNo)}${h.escalation.level > 0 ? `　<span class="stamp">${h.escalation.summons ? '约谈' : '督办'}</span>` : ''}</p>
<p><strong>${esc((await store.unitName(p.unitId)) ?? '')}</strong>：</p>
<p>　　经${esc(sources[p.source] ?? p.source)}，${esc(time(p.reportedAt))}在你单位责任区域发现以下问题，现通知你单位限期整改：</p>
<table>
  <tr><th>问题编号</th><td>${esc(p.id)}</td><th>问题类别</th><td>${esc(cat?.zh ?? p.category)}</td></tr>
  <tr><th>所属街道</th><td>${esc((await store.subdistrictName(p.subdistrictId)) ?? '')}</td><th>发现时间</th><td>${esc(time(p.reportedAt))}</td></tr>
  <tr><th>位置</th><td colspan="3">${esc(location)}</td></tr>
  <tr><th>问题描述</th><td colspan="3">${esc(p.description)}</td></tr>
  <tr><th>整改时限</th><td colspan="3" class="red">${esc(time(p.deadline))} 前${p.overdue ? '（已超期）' : ''}</td></tr>
  ${p.recurrenceOf ? `<tr><th>反复问题</th><td colspan="3">该点位同类问题曾于前次（${esc(p.recurrenceOf)}）整改销号后再次出现，请从根本上整改。</td></tr>` : ''}
</table>
${photos.length ? `<h2>现场照片</h2><div class="photos">${photos.map((m) => `<img src="${esc(m.screenUrl)}" alt="现场照片">`).join('')}</div>` : ''}
<h2>整改要求</h2>
<p>　　请于整改时限前完成整改，并在系统中上传整改后照片、填写整改说明。逾期未整改的，发督办单；再次逾期或复查不合格的，约谈责任单位负责人，并在红黑榜中扣分。</p>
${h.escalation.level > 0 ? `<p class="red">　　该问题已${h.escalation.summons ? '多次超期或复查不合格，列入约谈' : '超过整改时限，予以督办'}，请立即整改并书面报告整改情况。</p>` : ''}
<p class="sign">${esc(city?.name ?? '')}创文办<br>${esc(day(p.assignedAt))}</p>
<p class="muted">打印时间：${esc(time(toCityIso(nowMs)))}　Xuncha 巡查</p>`;
  return page(`${title} ${p.noticeNo}`, body);
}

/** Whose weekly 通报: a subdistrict, or a district (区/县) with its subdistricts. */
export type BriefingOf = { subdistrict: string } | { district: string };

/**
 * The weekly 通报 of one subdistrict or district for the week (Monday–Sunday, city time) holding
 * `weekOfMs`: counts, on-time and look-back rates, its rank (a subdistrict's among its district's, a
 * district's among the city's), its units' red/black list (and a district's subdistricts'), the overdue list
 * with photos, the recurrences and the categories.
 */
export async function weeklyBriefing(store: Store, catalog: Catalog, of: BriefingOf, weekOfMs: number, nowMs: number): Promise<string> {
  const isDistrict = 'district' in of;
  const id = isDistrict ? of.district : of.subdistrict;
  const subdistricts = await store.listSubdistricts();
  const district = isDistrict ? (await store.listDistricts()).find((d) => d.id === id) : undefined;
  const name = isDistrict ? district?.name : await store.subdistrictName(id);
  if (!name) throw new NotFoundError(`There is no ${isDistrict ? 'district' : 'subdistrict'} "${id}"; GET /api/meta lists them.`);
  const from = cityWeekStart(weekOfMs);
  const to = from + 7 * DAY_MS - 1;
  const asOf = Math.min(nowMs, to);
  const base = { sort: 'reportedAt' as const, order: 'desc' as const, lang: 'zh' as const, ...(isDistrict ? { district: [id] } : { subdistrict: [id] }) };
  const week = { ...base, from, to };
  const all = await ledgerPage(store, catalog, { ...week, limit: 1000 }, asOf);
  const overdue = await ledgerPage(store, catalog, { ...base, status: ['overdue'], sort: 'deadline', order: 'asc', limit: 200 }, asOf);
  // A subdistrict is ranked among its district's (全区), a district among the city's (全市).
  const homeDistrict = isDistrict ? id : (subdistricts.find((s) => s.id === id)?.districtId ?? undefined);
  const peers = isDistrict
    ? await rankings(store, catalog, { by: 'district', from, to }, asOf)
    : await rankings(store, catalog, { by: 'subdistrict', district: homeDistrict, from, to }, asOf);
  const mySubdistricts = isDistrict ? (await rankings(store, catalog, { by: 'subdistrict', district: id, from, to }, asOf)).rows : [];
  const byUnit = await rankings(store, catalog, { by: 'unit', from, to }, asOf);
  const units = new Set((await store.listUnits()).filter((u) => (isDistrict ? u.districtId === id : u.subdistrictId === id)).map((u) => u.id));
  const unitRows = byUnit.rows.filter((r) => units.has(r.id));
  const me = peers.rows.find((r) => r.id === id);
  const scopeWord = isDistrict ? `全市 ${peers.rows.length} 个区县` : `全区 ${peers.rows.length} 个街道`;
  const rows = all.rows;
  const closed = rows.filter((r) => r.status === 'closed').length;
  const recurrences = rows.filter((r) => r.recurrence);
  const perCategory = new Map<string, number>();
  for (const r of rows) perCategory.set(r.categoryName.zh, (perCategory.get(r.categoryName.zh) ?? 0) + 1);
  // A 通报 goes round the offices: photos as checked for public use (blurred where blurred).
  const thumb = async (id: string) => {
    const url = await publicThumb(store, id);
    return url ? `<img class="thumb" src="${esc(url)}" alt="">` : '';
  };
  const weekNo = cityIsoWeek(from);
  const title = `${name}创文工作周通报（${cityDate(from).slice(0, 4)}年第${weekNo}周）`;
  const body = `
<div class="org">${esc((await store.getCity())?.name ?? '')}创建全国文明城市工作指挥部办公室</div>
<h1>${esc(title)}</h1>
<p class="no">${esc(cityDate(from))} 至 ${esc(cityDate(to))}　截至 ${esc(time(toCityIso(asOf)))}</p>
<h2>一、总体情况</h2>
<p>　　本周${esc(name)}共发现问题 <strong>${all.total}</strong> 个，已整改销号 ${closed} 个；目前超期未整改 <span class="red">${overdue.total}</span> 个。
按期整改率 ${pct(me?.onTimeRate)}，复查合格率 ${pct(me?.lookBackPassRate)}，反复率 ${pct(me?.recurrenceRate)}。
综合得分 <strong>${me?.score.toFixed(1) ?? '—'}</strong>，在${scopeWord}中排名第 <strong>${me?.rank ?? '—'}</strong> 位。</p>
<h2>二、问题类别</h2>
<table><tr><th>类别</th><th>问题数</th></tr>${
    [...perCategory]
      .sort((a, b) => b[1] - a[1])
      .map(([c, n]) => `<tr><td>${esc(c)}</td><td>${n}</td></tr>`)
      .join('') || '<tr><td colspan="2">本周无问题</td></tr>'
  }</table>
${
  isDistrict
    ? `<h2>街道红黑榜</h2>
<table><tr><th>名次</th><th>街道</th><th>综合得分</th><th>问题数</th><th>按期整改率</th><th>超期</th></tr>
${mySubdistricts.map((r, i) => `<tr${i === mySubdistricts.length - 1 && mySubdistricts.length > 1 ? ' class="red"' : ''}><td>${i + 1}</td><td>${esc(r.name)}</td><td>${r.score.toFixed(1)}</td><td>${r.found}</td><td>${pct(r.onTimeRate)}</td><td>${r.overdue}</td></tr>`).join('')}</table>`
    : ''
}
<h2>三、责任单位红黑榜</h2>
<table><tr><th>名次</th><th>责任单位</th><th>综合得分</th><th>问题数</th><th>按期整改率</th><th>超期</th></tr>
${unitRows.map((r, i) => `<tr${i === unitRows.length - 1 && unitRows.length > 1 ? ' class="red"' : ''}><td>${i + 1}</td><td>${esc(r.name)}</td><td>${r.score.toFixed(1)}</td><td>${r.found}</td><td>${pct(r.onTimeRate)}</td><td>${r.overdue}</td></tr>`).join('')}</table>
<h2>四、超期未整改问题（${overdue.total}）</h2>
<table><tr><th>编号</th><th>类别</th><th>位置</th><th>责任单位</th><th>整改时限</th><th>超期天数</th><th>照片</th></tr>
${(await Promise.all(overdue.rows.map(async (r) => `<tr><td>${esc(r.id)}</td><td>${esc(r.categoryName.zh)}</td><td>${esc(r.location)}</td><td>${esc(r.unitName ?? '')}</td><td>${esc(time(r.deadline))}</td><td class="red">${Math.max(1, Math.ceil((asOf - Date.parse(r.deadline!)) / DAY_MS))}</td><td>${await thumb(r.id)}</td></tr>`))).join('') || '<tr><td colspan="7">无</td></tr>'}</table>
<h2>五、反复出现的问题（${recurrences.length}）</h2>
<table><tr><th>编号</th><th>类别</th><th>位置</th><th>发现时间</th><th>照片</th></tr>
${(await Promise.all(recurrences.map(async (r) => `<tr><td>${esc(r.id)}</td><td>${esc(r.categoryName.zh)}</td><td>${esc(r.location)}</td><td>${esc(time(r.reportedAt))}</td><td>${await thumb(r.id)}</td></tr>`))).join('') || '<tr><td colspan="5">无</td></tr>'}</table>
<p class="sign">${esc((await store.getCity())?.name ?? '')}创文办<br>${esc(day(toCityIso(asOf)))}</p>`;
  return page(title, body);
}
