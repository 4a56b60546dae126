import { formatPoints as points } from '../../contract/consequences';
import { day, esc, page } from './documents';
import type { NoticeFacts } from '../consequences/consequences';
import type { NoticeRecord } from '../../store/consequences';

const LEVEL_ZH: Record<string, string> = { supervision: '督办', summons: '约谈' };

/**
 * The 问责通报 as issued: numbered, to the unit, with its 目标考核 score, the cases at 督办 and 约谈, the
 * other deductions standing, the 一票否决 when set, and what the office requires. Printed from the facts kept
 * when it was issued, so a reprint says what the first print said.
 */
export function accountabilityNotice(notice: NoticeRecord, f: NoticeFacts): string {
  const title = `关于${f.unitName}的问责通报`;
  const cases = f.cases
    .map(
      (c) =>
        `<tr><td>${esc(c.id)}</td><td>${esc(c.category)}</td><td>${esc(c.description)}</td><td class="nowrap">${esc(day(c.deadline))}</td><td class="red">${LEVEL_ZH[c.level]}</td></tr>`,
    )
    .join('');
  const entries = f.entries
    .map((e) => `<tr><td class="nowrap">${esc(day(e.at))}</td><td>${esc(e.problemId ?? '')}</td><td>${esc(e.reason)}</td><td>−${points(e.points)}</td></tr>`)
    .join('');
  const body = `
<div class="org">${esc(f.city)}创建全国文明城市工作指挥部办公室</div>
<h1>问责通报</h1>
<p class="no">${esc(notice.no)}</p>
<p><strong>${esc(f.unitName)}</strong>${f.subdistrictName ? `（${esc(f.subdistrictName)}）` : ''}：</p>
<p>　　${esc(notice.reason)}</p>
<p>　　截至${esc(day(notice.issuedAt))}，你单位${f.year}年度创文目标考核得分 <strong class="red">${points(f.score)}</strong> 分（基础分 ${points(f.base)} 分，累计扣 ${points(f.deducted)} 分），
其中督办 ${f.supervision} 次、约谈 ${f.summons} 次、其他扣分 ${f.manual} 次。${f.veto ? `<span class="red">你单位${f.year}年度创文目标考核实行一票否决：${esc(f.veto.reason)}。</span>` : ''}</p>
<h2>一、列入督办、约谈的问题（${f.cases.length + f.moreCases}）</h2>
<table><tr><th>编号</th><th>类别</th><th>问题描述</th><th>整改时限</th><th>等级</th></tr>${cases || '<tr><td colspan="5">无</td></tr>'}</table>
${f.moreCases > 0 ? `<p class="muted">另有 ${f.moreCases} 件问题未列出，详见系统「目标考核」扣分台账。</p>` : ''}
<h2>二、其他扣分（${f.entries.length}）</h2>
<table><tr><th>日期</th><th>问题编号</th><th>事由</th><th>扣分</th></tr>${entries || '<tr><td colspan="4">无</td></tr>'}</table>
<h2>三、问责要求</h2>
<p>　　请你单位主要负责人高度重视，对照上述问题逐项整改到位，举一反三、建立长效机制，并于通报之日起五个工作日内将整改情况和责任追究情况书面报送市创文办。逾期未报送或整改不到位的，将启动问责程序，并在全区进行通报。</p>
<p class="sign">${esc(f.city)}创文办<br>${esc(day(notice.issuedAt))}</p>
<p class="muted">签发：${esc(notice.issuedBy)}　Xuncha 巡查</p>`;
  return page(`${title} ${notice.no}`, body);
}
