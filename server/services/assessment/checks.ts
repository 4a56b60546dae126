/**
 * Check results from the field page: one stop's items (pass / fail / n.a.), stored once per client
 * UUID. A retry of the same record (the answer was lost, the phone resent it) gets the stored record;
 * the same UUID with another body is refused, since that is a client bug, not a retry.
 */
import { AppError, bilingual, InputError } from '../../errors';
import type { Catalog } from '../../contract/catalog';
import { type ItemRule, itemVerdict } from '../../contract/assessment';
import { catalogOf } from './catalog';
import type { CheckBody, CheckQuery, CheckRecord } from '../../contract/checks';
import { type CheckRow, checkRowOf } from '../../store/checks';
import type { Store } from '../../store/index';
import { cityMidnight, DAY_MS, toCityIso } from '../../contract/city-time';

/** A report's client UUID → the problem it created (or was merged into); a problem id → itself. */
export async function resolveRef(store: Store, ref: string): Promise<string | null> {
  const stored = await store.idempotentResponse(ref.toLowerCase());
  if (stored) {
    const body = JSON.parse(stored.body) as { problem?: { id?: string }; mergedInto?: string | null };
    return body.mergedInto ?? body.problem?.id ?? null;
  }
  return (await store.workflowRow(ref)) ? ref : null;
}

async function toRecord(store: Store, r: CheckRow): Promise<CheckRecord> {
  return {
    id: r.id,
    planId: r.planId,
    pointId: r.pointId,
    items: r.items,
    at: r.at,
    lngLat: r.lngLat,
    problemIds: r.problemRefs,
    problems: await Promise.all(r.problemRefs.map(async (ref) => ({ ref, id: await resolveRef(store, ref) }))),
    inspector: r.inspector,
    receivedAt: r.receivedAt,
  };
}

/** Every check item of every catalog version by id (a phone may send a record made under the previous one). */
function knownItems(catalog: Catalog): Map<string, ItemRule | null> {
  const items = new Map<string, ItemRule | null>();
  for (const v of catalog.assessment) {
    for (const t of v.pointTypes) for (const it of t.items) items.set(it.id, it.rule);
    for (const it of v.lookBackItems) if (!items.has(it.id)) items.set(it.id, null);
  }
  return items;
}

/** A number must go with a count or rate item and agree with the verdict sent beside it. */
function checkValue(i: number, it: CheckBody['items'][number], rule: ItemRule | null): void {
  const fail = (message: string, en: string) => {
    throw new InputError(`Invalid json.items.${i}.value: ${en}`, [{ path: `json.items.${i}.value`, message }]);
  };
  if (it.value === undefined) return;
  if (!rule || rule.kind === 'pass-fail')
    fail('a pass/fail item takes no number', `item "${it.itemId}" is judged pass or fail; send its result without a value`);
  else if (it.result === 'na') fail('an n/a item takes no number', `item "${it.itemId}" is marked not applicable; send it without a value`);
  else if (rule.kind === 'rate' && it.value > 1)
    fail('a rate is a fraction from 0 to 1', `item "${it.itemId}" is a rate: send ${it.value / 100} for ${it.value} %`);
  else if (rule.kind === 'count' && !Number.isInteger(it.value)) fail('a count is a whole number', `item "${it.itemId}" counts; send a whole number`);
  else if (itemVerdict(rule, it.result, it.value) !== it.result)
    fail(
      'the result does not follow from the number',
      `item "${it.itemId}" needs at least ${rule.min}; ${it.value} makes it ${itemVerdict(rule, it.result, it.value)}, not ${it.result}`,
    );
}

/**
 * Stores one stop's check results under the client's UUID.
 * @returns `created: true` for a new record (201), false for a replay of the same record (200).
 * @throws InputError for an unknown check item or point; AppError 409 for a UUID reused with another body.
 */
export async function recordCheck(
  store: Store,
  catalog: Catalog,
  body: CheckBody,
  inspector: string,
  nowMs: number,
): Promise<{ created: boolean; record: CheckRecord }> {
  const row = checkRowOf(body, inspector, toCityIso(nowMs));
  const existing = await store.checkById(body.id);
  if (existing) {
    if (existing.fingerprint !== row.fingerprint) {
      throw new AppError(
        409,
        bilingual(
          `检查记录 ${body.id} 已以不同内容提交过。`,
          `Check record ${body.id} was already stored with a different body; a retry must resend the same record, a new record needs a new UUID.`,
        ),
      );
    }
    return { created: false, record: await toRecord(store, existing) };
  }
  const items = knownItems(await catalogOf(store, catalog));
  body.items.forEach((it, i) => {
    if (items.has(it.itemId)) checkValue(i, it, items.get(it.itemId) ?? null);
    else {
      throw new InputError(`Invalid json.items.${i}.itemId: there is no check item "${it.itemId}"; the items per kind are in GET /api/plans/:id/sheet`, [
        { path: `json.items.${i}.itemId`, message: 'unknown check item id' },
      ]);
    }
  });
  if (!(await store.getPlace(body.pointId)) && !(await store.workflowRow(body.pointId))) {
    throw new InputError(`Invalid json.pointId: there is no place or problem "${body.pointId}"; use the stop's id from the plan`, [
      { path: 'json.pointId', message: 'unknown place or problem id' },
    ]);
  }
  await store.insertCheck(row);
  return { created: true, record: await toRecord(store, row) };
}

/** Stored check results matching the query (a `date` is a day in city time), newest first. */
export async function listChecks(store: Store, query: CheckQuery): Promise<CheckRecord[]> {
  const fromMs = query.date ? cityMidnight(query.date) : undefined;
  return Promise.all(
    (await store.listChecks({ planId: query.planId, pointId: query.pointId, fromMs, toMs: fromMs === undefined ? undefined : fromMs + DAY_MS })).map(
      async (r) => toRecord(store, r),
    ),
  );
}
