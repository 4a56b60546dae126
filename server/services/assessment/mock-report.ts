/**
 * A finished mock's report, to print (A4 HTML, self-contained but for the photo thumbnails, which come
 * from this server) and as a workbook: the overall 得分率 and estimated score with the change since the
 * previous mock, the rates by indicator, point type, subdistrict and unit, every deduction with its
 * place and photos, and the problems the failures became.
 */
import type { Mock, MockReport } from '../../contract/assessment-mocks';
import type { ScoreRow } from '../../contract/assessment';
import { AppError, bilingual } from '../../errors';
import { esc, page, pct } from '../documents/documents';
import { loadExcel } from '../problems/ledger';

const signed = (x: number, unit: string) => `${x > 0 ? '+' : ''}${x.toFixed(1)}${unit}`;

/** The report of a finished mock. @throws AppError 409 while it is still being walked. */
export function reportOf(mock: Mock): MockReport {
  if (!mock.report)
    throw new AppError(
      409,
      bilingual(
        `模拟测评「${mock.name}」尚未完成（已查 ${mock.progress.checked}/${mock.progress.planned} 个点），完成后才有报告；如需提前结束，请点“结束并评分”。`,
        `Mock ${mock.id} is not finished (${mock.progress.checked} of ${mock.progress.planned} points checked); its report comes when the last stop is checked, or finish it now with POST /api/assessment/mocks/${mock.id}/finish.`,
      ),
    );
  return mock.report;
}

/** 较上次: the change in 得分率 (percentage points) and estimated score since the previous mock. */
function change(r: MockReport): string | null {
  const p = r.previous;
  if (!p) return null;
  const parts = [`较上次（${p.name}，${p.date}）`];
  if (p.scoreRate !== null && r.scoreRate !== null) parts.push(`得分率 ${signed((r.scoreRate - p.scoreRate) * 100, ' 个百分点')}`);
  if (p.estimatedScore !== null && r.estimatedScore !== null) parts.push(`估算得分 ${signed(r.estimatedScore - p.estimatedScore, ' 分')}`);
  return parts.join('，');
}

/** An indicator the mock saw something of: the tree's other 40-odd rows would only be dashes on paper. */
const observed = (r: ScoreRow) => r.possible > 0 || r.unchecked > 0;

function scoreTable(title: string, rows: readonly ScoreRow[], indent = false): string {
  if (rows.length === 0) return '';
  return `<h2>${esc(title)}</h2><table><tr><th>名称</th><th>得分率</th><th>已查</th><th>未检查</th><th>失分</th></tr>
${rows
  .map(
    (r) =>
      `<tr><td>${indent && r.depth ? '　'.repeat(r.depth - 1) : ''}${esc(r.name)}</td><td${r.scoreRate !== null && r.scoreRate < 0.8 ? ' class="red"' : ''}>${pct(r.scoreRate)}</td><td>${r.checked}</td><td>${r.unchecked}</td><td>${r.lost}</td></tr>`,
  )
  .join('\n')}</table>`;
}

/** The report as a printable page. */
export function mockReportHtml(mock: Mock): string {
  const r = reportOf(mock);
  const created = new Map(r.problems.map((p) => [`${p.itemId}\u0000${p.pointId}`, p]));
  const teams = mock.teams.map((t) => `${esc(t.name)}${t.members.length ? `（${t.members.map(esc).join('、')}）` : ''}`).join('；');
  const quotas = mock.quotas
    .filter((q) => q.quota > 0)
    .map((q) => `${esc(q.typeName)} ${q.quota}`)
    .join('、');
  const delta = change(r);
  const deductions = r.deductions
    .map((d) =>
      d.places
        .map((pl, i) => {
          const p = created.get(`${d.itemId}\u0000${pl.pointId}`);
          return `<tr>${i === 0 ? `<td rowspan="${d.places.length}">${esc(d.zh)}<div class="muted">${esc(d.typeName)} · ${esc(d.indicator)} ${esc(d.indicatorName)} · 每处 ${d.points} 分，共失 ${d.lost} 分</div></td>` : ''}
<td>${esc(pl.name)}<div class="muted">${esc(pl.subdistrictName ?? '')} ${esc(pl.checkAt.slice(11, 16))}${pl.failedAtCheck ? '' : ' · 因未整改问题扣分'}</div></td><td>${esc(pl.unitName ?? '（未明确责任单位）')}</td>
<td>${p ? `${esc(p.id)}${p.created ? '（新立案）' : ''}` : '—'}</td><td>${pl.photos.map((src) => `<img class="thumb" src="${esc(src)}" alt="">`).join('')}</td></tr>`;
        })
        .join('\n'),
    )
    .join('\n');
  const body = `<div class="org">创建文明城市 · 模拟测评</div>
<h1>模拟测评报告</h1>
<p class="no">${esc(mock.name)} · ${esc(mock.date)}</p>
<table>
<tr><th>测评日期</th><td>${esc(mock.date)}</td><th>目录版本</th><td>${esc(r.catalogVersion)}</td></tr>
<tr><th>测评组</th><td colspan="3">${teams}</td></tr>
<tr><th>抽取点位</th><td colspan="3">${quotas}（共 ${mock.points.length} 个，随机种子 ${mock.seed}）</td></tr>
<tr><th>完成时间</th><td colspan="3">${esc(r.finishedAt.slice(0, 16).replace('T', ' '))}，已查 ${r.checked} 个，未检查 ${r.unchecked} 个（未检查不计为合格）</td></tr>
</table>
<h2>总体</h2>
<p>实地考察得分率 <b class="red">${pct(r.scoreRate)}</b>，按此估算实地考察得分 <b>${r.estimatedScore ?? '—'}</b> / ${r.totalPoints} 分，共失分 ${r.lost}。${delta ? `<br>${esc(delta)}。` : ''}</p>
${scoreTable('按测评指标（本次观察到的）', r.byIndicator.filter(observed), true)}
${scoreTable('按点位类型', r.byType)}
${scoreTable('按街道', r.bySubdistrict)}
${scoreTable('按责任单位', r.byUnit)}
<h2>扣分明细（${r.deductions.length} 项）</h2>
${deductions ? `<table><tr><th>扣分项</th><th>点位</th><th>责任单位</th><th>问题</th><th>照片</th></tr>${deductions}</table>` : '<p>无扣分项。</p>'}
<p class="muted">扣分项已转为问题，交责任单位按期限整改；未明确责任单位的由创文办交办。</p>
<p class="sign">创建文明城市工作办公室<br>${esc(r.finishedAt.slice(0, 10))}</p>`;
  return page(`模拟测评报告 ${mock.name}`, body);
}

/** The report as a workbook: 总体, 按指标, 按类型, 按街道, 按单位, 扣分明细. */
export async function mockReportXlsx(mock: Mock): Promise<Uint8Array<ArrayBuffer>> {
  const r = reportOf(mock);
  const { Excel } = await loadExcel();
  const wb = new Excel.Workbook();
  wb.creator = 'Xuncha 巡查';
  const overall = wb.addWorksheet('总体');
  overall.columns = [{ width: 18 }, { width: 60 }];
  overall.addRow(['模拟测评报告', mock.name]).font = { bold: true, size: 14 };
  const rows: [string, string | number | null][] = [
    ['测评日期', mock.date],
    ['目录版本', r.catalogVersion],
    ['测评组', mock.teams.map((t) => `${t.name}${t.members.length ? `（${t.members.join('、')}）` : ''}`).join('；')],
    ['随机种子', mock.seed],
    ['抽取点位', mock.points.length],
    ['已查', r.checked],
    ['未检查', r.unchecked],
    ['得分率', r.scoreRate],
    ['估算得分', r.estimatedScore],
    ['满分', r.totalPoints],
    ['失分', r.lost],
    ['较上次', change(r) ?? '（首次模拟测评）'],
  ];
  for (const row of rows) overall.addRow(row);
  overall.getCell('B9').numFmt = '0.0%';
  const scoreSheet = (name: string, list: readonly ScoreRow[]) => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = [{ width: 14 }, { width: 34 }, { width: 10 }, { width: 8 }, { width: 8 }, { width: 8 }];
    ws.addRow(['编号', '名称', '得分率', '已查', '未检查', '失分']).font = { bold: true };
    for (const x of list) ws.addRow([x.key, `${x.depth ? '  '.repeat(x.depth - 1) : ''}${x.name}`, x.scoreRate, x.checked, x.unchecked, x.lost]);
    ws.getColumn(3).numFmt = '0.0%';
  };
  scoreSheet('按指标', r.byIndicator);
  scoreSheet('按类型', r.byType);
  scoreSheet('按街道', r.bySubdistrict);
  scoreSheet('按单位', r.byUnit);
  const ws = wb.addWorksheet('扣分明细', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [14, 30, 12, 24, 6, 26, 14, 24, 18, 10, 14, 40].map((width) => ({ width }));
  ws.addRow(['检查项编号', '扣分项', '点位类型', '测评指标', '分值', '点位', '街道', '责任单位', '检查时间', '现场不合格', '问题编号', '照片']).font = {
    bold: true,
  };
  const problem = new Map(r.problems.map((p) => [`${p.itemId}\u0000${p.pointId}`, p.id]));
  for (const d of r.deductions)
    for (const pl of d.places)
      ws.addRow([
        d.itemId,
        d.zh,
        d.typeName,
        `${d.indicator} ${d.indicatorName}`,
        d.points,
        pl.name,
        pl.subdistrictName ?? '',
        pl.unitName ?? '',
        pl.checkAt.slice(0, 16).replace('T', ' '),
        pl.failedAtCheck ? '是' : '否（未整改问题）',
        problem.get(`${d.itemId}\u0000${pl.pointId}`) ?? '',
        pl.photos.join(' '),
      ]);
  return new Uint8Array(await wb.xlsx.writeBuffer()) as Uint8Array<ArrayBuffer>;
}
