/**
 * The look-backs (复查) due around me: fetched for the plan area and my surroundings while online,
 * kept on the phone for an offline start, and the nearest one within reach that I have not answered.
 */
import { useEffect, useMemo, useState } from 'react';
import { getLookBacksIn, type LookBackDue } from '../../api/field';
import type { LngLat } from '../../api/types';
import { useRequest } from '../../app/use-request';
import type { QueuedRecord } from '../../lib/sync-queue';
import { bboxAround, bboxOf, LOOK_BACK_RADIUS_M, nearestWithin } from './field-logic';
import { readLookBacks, writeLookBacks } from './field-storage';

/** How far around me look-backs and nearby points are looked for (m). */
export const NEARBY_M = 1500;

/** A ~100 m grid cell of a position: requests around me are re-made only when I change cell. */
export const cellOf = (at: LngLat) => `${at[0].toFixed(3)},${at[1].toFixed(3)}`;

interface LookBackInput {
  here: LngLat;
  /** The plan area, or null without a plan. */
  planArea: [number, number, number, number] | null;
  /** False until today's plans are known (the area depends on them). */
  plansKnown: boolean;
  online: boolean;
  /** The queue: a look-back already queued is not offered again. */
  records: readonly QueuedRecord[];
}

export function useLookBacks({ here, planArea, plansKnown, online, records }: LookBackInput) {
  const [lookBacks, setLookBacks] = useState<LookBackDue[]>(readLookBacks);
  // Around me: from the ~100 m cell I am in, so a GPS tick inside it asks nothing again.
  const myCell = cellOf(here);
  const area = useMemo(() => {
    if (!plansKnown) return null;
    const mine = bboxAround(myCell.split(',').map(Number) as LngLat, NEARBY_M);
    return planArea
      ? bboxOf([
          [planArea[0], planArea[1]],
          [planArea[2], planArea[3]],
          [mine[0], mine[1]],
          [mine[2], mine[3]],
        ])
      : mine;
  }, [planArea, plansKnown, myCell]);
  const due = useRequest(online && area ? (signal) => getLookBacksIn(area, signal) : null, [online, area?.join(',')]);
  useEffect(() => {
    if (!due.data) return;
    writeLookBacks(due.data);
    setLookBacks(due.data);
  }, [due.data]);
  const queuedSteps = useMemo(() => new Set(records.flatMap((r) => (r.kind === 'transition' ? [r.payload.problemId] : []))), [records]);
  const [answered, setAnswered] = useState<Set<string>>(new Set());
  const near = useMemo(
    () =>
      nearestWithin(
        lookBacks.filter((l) => !queuedSteps.has(l.id) && !answered.has(l.id)),
        here,
        LOOK_BACK_RADIUS_M,
      ),
    [lookBacks, queuedSteps, answered, here],
  );
  /** Hides a look-back once I answered it (it is in the queue now). */
  const markAnswered = (id: string) => setAnswered((a) => new Set(a).add(id));
  return { near, markAnswered };
}
