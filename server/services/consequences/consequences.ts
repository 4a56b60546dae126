/**
 * 目标考核 consequences: the per-unit ledger of deductions, kept in step with the case chain. A case's
 * automatic entries follow its escalation — written in the transaction of every step that changes it
 * (`reconcileCase`), and for deadlines that pass with nobody acting by `sweepDeadlines` before the ledger
 * is read — so a unit's score is what its cases have earned, with the history of how.
 */
import type { Catalog } from '../../contract/catalog';
import { cityYear, toCityIso } from '../../contract/city-time';
import {
  ConsequenceSettings,
  DEFAULT_CONSEQUENCE_SETTINGS,
  type ConsequenceOverview,
  type DeductionBody,
  type NoticeAnswer,
  type NoticeBody,
  type NoticeOut,
  type UnitLedger,
  type UnitStanding,
  type Veto,
  type VetoBody,
} from '../../contract/consequences';
import { bilingual, InputError, NotFoundError } from '../../errors';
import type { DeductionRecord, DeductionTotals, NoticeRecord, VetoRecord } from '../../store/consequences';
import type { Store } from '../../store/index';
import { escalation, type WorkflowState } from '../../workflow/state-machine';
import { ConflictError } from '../documents/errors';

const SETTINGS_KEY = 'consequences';
/** Who automatic entries name. */
export const SYSTEM_ACTOR = 'system';
const LEVEL = { supervision: 1, summons: 2 } as const;
const AUTO_KINDS = ['supervision', 'summons'] as const;

export async function consequenceSettings(store: Store): Promise<ConsequenceSettings> {
  const row = await store.getSetting(SETTINGS_KEY);
  const parsed = row ? ConsequenceSettings.safeParse(row.value) : null;
  return parsed?.success ? parsed.data : DEFAULT_CONSEQUENCE_SETTINGS;
}

export async function putConsequenceSettings(store: Store, body: ConsequenceSettings, nowMs: number): Promise<ConsequenceSettings> {
  await store.putSetting(SETTINGS_KEY, body, toCityIso(nowMs));
  return body;
}

/**
 * Brings case `id`'s automatic entries in line with its state just written (call inside that
 * transaction): an entry for each escalation level reached, for the unit that has the case; the entries
 * of a level no longer reached, of another unit (改派) or of a case that is no case of its own (merged,
 * rejected) are reversed.
 */
export async function reconcileCase(store: Store, id: string, state: WorkflowState, merged: boolean, nowMs: number): Promise<void> {
  const level = merged || state.status === 'rejected' || !state.unitId ? 0 : escalation(state, nowMs).level;
  const at = toCityIso(nowMs);
  const standing = new Set<string>();
  for (const e of await store.activeEscalationDeductions(id)) {
    const kind = e.kind as (typeof AUTO_KINDS)[number];
    if (e.unitId === state.unitId && LEVEL[kind] <= level) standing.add(kind);
    else await reverse(store, e, '', SYSTEM_ACTOR, at, nowMs);
  }
  for (const kind of AUTO_KINDS) {
    if (LEVEL[kind] > level || standing.has(kind)) continue;
    const settings = await consequenceSettings(store);
    await store.addDeduction({
      unitId: state.unitId!,
      year: cityYear(nowMs),
      kind,
      points: settings[kind],
      reason: '',
      problemId: id,
      reverses: null,
      at,
      atMs: nowMs,
      actor: SYSTEM_ACTOR,
    });
  }
}

async function reverse(store: Store, e: DeductionRecord, reason: string, actor: string, at: string, nowMs: number): Promise<void> {
  await store.reverseDeduction({
    unitId: e.unitId,
    year: e.year,
    kind: 'reversal',
    points: -e.points,
    reason,
    problemId: e.problemId,
    reverses: e.id,
    at,
    atMs: nowMs,
    actor,
  });
}

/**
 * Enters the escalations nobody acted on: cases whose deadline passed since the last sweep, and problems
 * stored since (an import brings cases already late; the first sweep looks at every problem). An entry
 * is dated when it was earned — the missed deadline — so the year it counts in does not depend on when
 * the ledger was next read.
 * @returns how many entries it made.
 */
export async function sweepDeadlines(store: Store, nowMs: number): Promise<number> {
  return store.transaction(async () => {
    const mark = await store.sweepMark();
    const since = mark?.sweptMs ?? Number.MIN_SAFE_INTEGER;
    const rowid = mark?.maxRowid ?? 0;
    if (mark && mark.sweptMs >= nowMs && (await store.maxProblemRowid()) <= rowid) return 0;
    const settings = await consequenceSettings(store);
    let made = 0;
    for (const kind of AUTO_KINDS) {
      for (const c of await store.escalatedSince({ since, now: nowMs, rowid, level: LEVEL[kind], kind })) {
        const earnedMs = c.deadlineMs !== null && c.deadlineMs < nowMs ? c.deadlineMs : nowMs;
        await store.addDeduction({
          unitId: c.unitId,
          year: cityYear(earnedMs),
          kind,
          points: settings[kind],
          reason: '',
          problemId: c.problemId,
          reverses: null,
          at: toCityIso(earnedMs),
          atMs: earnedMs,
          actor: SYSTEM_ACTOR,
        });
        made++;
      }
    }
    await store.setSweepMark(nowMs, await store.maxProblemRowid());
    return made;
  });
}

const vetoOut = (v: VetoRecord): Veto => ({
  id: v.id,
  reason: v.reason,
  at: v.at,
  actor: v.actor,
  liftedAt: v.liftedAt,
  liftedBy: v.liftedBy,
  liftReason: v.liftReason,
});

const noticeOut = (n: NoticeRecord): NoticeOut => ({
  id: n.id,
  no: n.no,
  year: n.year,
  reason: n.reason,
  issuedAt: n.issuedAt,
  issuedBy: n.issuedBy,
  url: `/api/consequences/notices/${n.id}`,
});

async function unitOrThrow(store: Store, unitId: string, scope: string | null) {
  const unit = (await store.listUnits()).find((u) => u.id === unitId);
  if (!unit || (scope !== null && scope !== unitId))
    throw new NotFoundError(bilingual(`没有责任单位“${unitId}”。`, `There is no unit "${unitId}"; GET /api/meta lists them.`));
  return unit;
}

/** A unit's standing from its year totals (none: nothing taken off). */
async function standingOf(
  store: Store,
  unit: { id: string; name: string; subdistrictId: string | null },
  settings: ConsequenceSettings,
  t: DeductionTotals | null,
  veto: Veto | null,
  notices: number,
): Promise<UnitStanding> {
  return {
    unitId: unit.id,
    unitName: unit.name,
    subdistrictName: await store.subdistrictName(unit.subdistrictId),
    score: scoreOf(settings.base, t?.deducted ?? 0),
    deducted: round(t?.deducted ?? 0),
    supervision: t?.supervision ?? 0,
    summons: t?.summons ?? 0,
    manual: t?.manual ?? 0,
    veto,
    notices,
  };
}

/** Every unit's standing in `year`, the most taken off first (a vetoed unit before the others); a unit account sees its own. */
export async function consequenceOverview(store: Store, year: number | undefined, scope: string | null, nowMs: number): Promise<ConsequenceOverview> {
  await sweepDeadlines(store, nowMs);
  const y = year ?? cityYear(nowMs);
  const settings = await consequenceSettings(store);
  const totals = new Map((await store.deductionTotals(y)).map((t) => [t.unitId, t]));
  const vetoes = new Map((await store.vetoesOfYear(y)).filter((v) => v.liftedAt === null).map((v) => [v.unitId, v]));
  const notices = await store.noticeCounts(y);
  const units: UnitStanding[] = (
    await Promise.all(
      (await store.listUnits())
        .filter((u) => scope === null || u.id === scope)
        .map(async (u) => {
          const veto = vetoes.get(u.id);
          return standingOf(store, u, settings, totals.get(u.id) ?? null, veto ? vetoOut(veto) : null, notices.get(u.id) ?? 0);
        }),
    )
  )
    // By what was taken off, not the score: units at 0 are still told apart.
    .sort((a, b) => Number(b.veto !== null) - Number(a.veto !== null) || b.deducted - a.deducted || a.unitName.localeCompare(b.unitName, 'zh'));
  const years = [...new Set([...(await store.consequenceYears()), cityYear(nowMs), y])].sort((a, b) => a - b);
  return { year: y, years, settings, units };
}

/** Points as entered add up in binary: a score shows to two decimals. */
const round = (x: number) => Math.round(x * 100) / 100;
/** 扣完为止: the deductions stop at nothing left of the base. */
const scoreOf = (base: number, deducted: number) => round(Math.max(0, base - deducted));

/** A unit's ledger shows its latest entries: a year of a large city's busiest unit is 17,000 of them. */
export const LEDGER_PAGE = 500;

/** One unit's ledger of `year`: its latest entries, newest first, each with the running score after it. */
export async function unitLedger(
  store: Store,
  unitId: string,
  year: number | undefined,
  scope: string | null,
  nowMs: number,
  swept = false,
): Promise<UnitLedger> {
  const unit = await unitOrThrow(store, unitId, scope);
  if (!swept) await sweepDeadlines(store, nowMs);
  const y = year ?? cityYear(nowMs);
  const settings = await consequenceSettings(store);
  const t = await store.unitDeductionTotals(unitId, y);
  // Walking back from the year's total: the score after the newest entry is the unit's score now.
  let deducted = round(t?.deducted ?? 0);
  const entries = (await store.unitDeductions(unitId, y, LEDGER_PAGE)).map((e) => {
    const score = scoreOf(settings.base, deducted);
    deducted = round(deducted - e.points);
    return {
      id: e.id,
      kind: e.kind,
      points: e.points,
      reason: e.reason,
      problemId: e.problemId,
      reverses: e.reverses,
      reversedBy: e.reversedBy,
      at: e.at,
      actor: e.actor,
      score,
    };
  });
  const vetoes = (await store.vetoesOfUnit(unitId, y)).map(vetoOut);
  const notices = (await store.unitNotices(unitId, y)).map(noticeOut);
  return {
    year: y,
    settings,
    unit: await standingOf(store, unit, settings, t, vetoes.find((v) => v.liftedAt === null) ?? null, notices.length),
    entries,
    total: t?.entries ?? 0,
    vetoes,
    notices,
  };
}

/** A manual entry (admin, leader). @throws NotFoundError for an unknown unit, InputError for an unknown case. */
export async function addManualDeduction(store: Store, unitId: string, body: DeductionBody, actor: string, nowMs: number): Promise<UnitLedger> {
  await unitOrThrow(store, unitId, null);
  if (body.problem !== undefined && !(await store.getProblem(body.problem, nowMs))) {
    throw new InputError(`Invalid json.problem: there is no problem "${body.problem}"`, [{ path: 'json.problem', message: 'unknown problem id' }]);
  }
  await store.transaction(async () =>
    store.addDeduction({
      unitId,
      year: body.year ?? cityYear(nowMs),
      kind: 'manual',
      points: body.points,
      reason: body.reason,
      problemId: body.problem ?? null,
      reverses: null,
      at: toCityIso(nowMs),
      atMs: nowMs,
      actor,
    }),
  );
  return unitLedger(store, unitId, body.year, null, nowMs);
}

/**
 * Cancels a manual entry by a reversal entry. An automatic entry follows its case: it is lifted by
 * approving the unit's 申诉 (or an extension), not here.
 * @throws NotFoundError for an unknown entry; ConflictError for a reversal, an entry reversed already, an automatic one.
 */
export async function reverseDeduction(store: Store, id: number, reason: string, actor: string, nowMs: number): Promise<UnitLedger> {
  const e = await store.transaction(async () => {
    const entry = await store.getDeduction(id);
    if (!entry) throw new NotFoundError(bilingual(`没有扣分记录 ${id}。`, `There is no deduction ${id}.`));
    if (entry.kind === 'reversal')
      throw new ConflictError(bilingual(`记录 ${id} 本身是撤销记录，不能再撤销。`, `Entry ${id} is a reversal; it cannot be reversed.`));
    if (entry.reversedBy !== null)
      throw new ConflictError(
        bilingual(`扣分记录 ${id} 已被撤销（记录 ${entry.reversedBy}）。`, `Deduction ${id} is reversed already (by ${entry.reversedBy}).`),
      );
    if (entry.kind !== 'manual')
      throw new ConflictError(
        bilingual(
          `扣分记录 ${id} 由问题 ${entry.problemId} 的督办/约谈自动产生：请在该问题上批准单位的申诉或延期申请来撤销。`,
          `Deduction ${id} follows the escalation of problem ${entry.problemId}: approve the unit's appeal (or extension) on that case to lift it.`,
        ),
      );
    await reverse(store, entry, reason, actor, toCityIso(nowMs), nowMs);
    return entry;
  });
  return unitLedger(store, e.unitId, e.year, null, nowMs);
}

/** Sets or lifts the 一票否决 of a unit's year. @throws ConflictError when set already / not set. */
export async function setVeto(store: Store, unitId: string, body: VetoBody, actor: string, nowMs: number): Promise<UnitLedger> {
  await unitOrThrow(store, unitId, null);
  const year = body.year ?? cityYear(nowMs);
  const at = toCityIso(nowMs);
  await store.transaction(async () => {
    const active = await store.activeVeto(unitId, year);
    if (body.veto) {
      if (active) throw new ConflictError(bilingual(`该单位 ${year} 年已被一票否决（${active.reason}）。`, `Unit ${unitId} is vetoed for ${year} already.`));
      await store.addVeto({ unitId, year, reason: body.reason, at, actor });
    } else {
      if (!active) throw new ConflictError(bilingual(`该单位 ${year} 年没有一票否决可撤销。`, `Unit ${unitId} has no veto in ${year} to lift.`));
      await store.liftVeto(active.id, at, actor, body.reason);
    }
  });
  return unitLedger(store, unitId, year, null, nowMs);
}

/** What a 问责通报 says, kept as issued (the reprint is the same notice). */
export interface NoticeFacts {
  city: string;
  unitName: string;
  subdistrictName: string | null;
  year: number;
  base: number;
  score: number;
  deducted: number;
  supervision: number;
  summons: number;
  manual: number;
  veto: { reason: string; at: string } | null;
  /** The manual deductions standing. */
  entries: { kind: string; points: number; reason: string; problemId: string | null; at: string }[];
  /** The latest cases at 约谈, then the latest at 督办 only; `moreCases` more are not listed (the ledger has them). */
  cases: { id: string; category: string; description: string; deadline: string | null; level: 'supervision' | 'summons' }[];
  moreCases: number;
}

/** A notice lists this many cases of each level, the latest first; the ledger has the rest. */
const NOTICE_CASES = 50;
const NOTICE_MANUAL = 200;

/** Issues the next numbered 问责通报 of `year` on a unit, with its standing as it is now. */
export async function issueNotice(store: Store, catalog: Catalog, unitId: string, body: NoticeBody, actor: string, nowMs: number): Promise<NoticeAnswer> {
  const ledger = await unitLedger(store, unitId, body.year, null, nowMs);
  const y = ledger.year;
  const summons = await store.standingDeductions(unitId, y, 'summons', NOTICE_CASES);
  const atSummons = new Set(summons.map((e) => e.problemId));
  const supervision = (await store.standingDeductions(unitId, y, 'supervision', NOTICE_CASES + atSummons.size)).filter((e) => !atSummons.has(e.problemId));
  const listed = [...summons.map((e) => [e, 'summons'] as const), ...supervision.slice(0, NOTICE_CASES).map((e) => [e, 'supervision'] as const)];
  const cases = [];
  for (const [e, level] of listed) {
    const p = e.problemId ? (await store.getProblem(e.problemId, nowMs))?.properties : undefined;
    if (!p) continue;
    const cat = catalog.categories.find((c) => c.id === p.category);
    cases.push({ id: p.id, category: cat?.zh ?? p.category, description: p.description, deadline: p.deadline, level });
  }
  const u = ledger.unit;
  const facts: NoticeFacts = {
    city: (await store.getCity())?.name ?? '',
    unitName: u.unitName,
    subdistrictName: u.subdistrictName,
    year: y,
    base: ledger.settings.base,
    score: u.score,
    deducted: u.deducted,
    supervision: u.supervision,
    summons: u.summons,
    manual: u.manual,
    veto: u.veto ? { reason: u.veto.reason, at: u.veto.at } : null,
    entries: (await store.standingDeductions(unitId, y, 'manual', NOTICE_MANUAL)).map((e) => ({
      kind: e.kind,
      points: e.points,
      reason: e.reason,
      problemId: e.problemId,
      at: e.at,
    })),
    cases,
    // A case at 约谈 has its 督办 entry too: the ones at 督办 only are the difference.
    moreCases: Math.max(0, u.summons - summons.length) + Math.max(0, u.supervision - u.summons - Math.min(NOTICE_CASES, supervision.length)),
  };
  const record = await store.transaction(async () => {
    const seq = await store.nextNoticeSeq(ledger.year);
    const n: Omit<NoticeRecord, 'id'> = {
      no: `问责〔${ledger.year}〕${seq}号`,
      year: ledger.year,
      seq,
      unitId,
      reason: body.reason,
      issuedAt: toCityIso(nowMs),
      issuedBy: actor,
      facts: JSON.stringify(facts),
    };
    return { id: await store.addNotice(n), ...n };
  });
  return { notice: noticeOut(record), ledger: await unitLedger(store, unitId, ledger.year, null, nowMs, true) };
}

/** A stored notice and what it said. @throws NotFoundError for an unknown one (or another unit's, for a unit account). */
export async function storedNotice(store: Store, id: number, scope: string | null): Promise<{ notice: NoticeRecord; facts: NoticeFacts }> {
  const n = await store.getNotice(id);
  if (!n || (scope !== null && scope !== n.unitId)) throw new NotFoundError(bilingual(`没有问责通报 ${id}。`, `There is no accountability notice ${id}.`));
  return { notice: n, facts: JSON.parse(n.facts) as NoticeFacts };
}
