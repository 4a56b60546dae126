/**
 * Today's plan as the field page walks it: the first plan of the day (city time), my team in it,
 * the stops done so far (kept on the phone per plan), the next stop, and the plan area (every stop and
 * route, buffered) for the offline tiles and the look-backs.
 */
import { useEffect, useMemo, useState } from 'react';
import type { LngLat } from '../../api/types';
import { useRequest } from '../../app/use-request';
import { fetchPlan, fetchPlanSheet, listPlans } from '../../api/plans';
import { bboxOf, bufferBbox, cityToday, nextStop } from './field-logic';
import { clearStop, readCheckValues, readChecks, readDone, readStopReports, readTeamIndex, writeDone, writeTeamIndex } from './field-storage';
import { fieldQueue } from './queue';
import { syncSoon } from './use-sync-queue';

/** The plan area is buffered by this much for its offline tiles (m): the streets around the stops. */
const PLAN_AREA_BUFFER_M = 300;

type PlanData = NonNullable<Awaited<ReturnType<typeof fetchPlan>>>;
export type FieldTeam = PlanData['teams'][number];
export type FieldStop = FieldTeam['stops'][number];

/** Where and by whom a stop is marked done: my fix (when live) goes into its check record. */
export interface DoneContext {
  owner: string;
  at: LngLat | null;
}

export function useFieldPlan() {
  const plans = useRequest((signal) => listPlans(cityToday(), signal), []);
  const planId = plans.data?.[0]?.id ?? null;
  const plan = useRequest(planId ? (signal) => fetchPlan(planId, signal) : null, [planId]);
  const sheet = useRequest(planId ? (signal) => fetchPlanSheet(planId, signal) : null, [planId]);
  const [teamIndex, setTeamIndex] = useState(readTeamIndex);
  const [done, setDone] = useState<Set<string>>(new Set());
  useEffect(() => {
    if (planId) setDone(readDone(planId));
  }, [planId]);
  const team = plan.data?.teams[teamIndex] ?? plan.data?.teams[0] ?? null;
  const stop = team ? nextStop(team.stops, done) : null;

  const chooseTeam = (value: string) => {
    setTeamIndex(Number(value));
    writeTeamIndex(value);
  };

  const markDone = async (s: FieldStop, ctx: DoneContext) => {
    if (!planId) return;
    // The stop's check results go into the queue (after the reports raised from them, which they name).
    const results = readChecks(planId, s.id);
    const values = readCheckValues(planId, s.id);
    const items = Object.entries(results).map(([itemId, result]) =>
      values[itemId] === undefined ? { itemId, result } : { itemId, result, value: values[itemId] },
    );
    if (items.length > 0) {
      const problemIds = readStopReports(planId, s.id);
      await fieldQueue().add('check', { planId, pointId: s.id, pointName: s.name, items, at: new Date().toISOString(), lngLat: ctx.at, problemIds }, ctx.owner);
      clearStop(planId, s.id);
      syncSoon(ctx.owner);
    }
    const next = new Set(done).add(s.id);
    writeDone(planId, next);
    setDone(next);
  };

  const planArea = useMemo(() => {
    // Stops and the routes to them (from the team's start): the streets walked today.
    const b = plan.data
      ? bboxOf(plan.data.teams.flatMap((tm) => [...tm.stops.map((st) => st.lngLat), ...((tm.geometry?.coordinates ?? []) as LngLat[])]))
      : null;
    return b ? bufferBbox(b, PLAN_AREA_BUFFER_M) : null;
  }, [plan.data]);

  return { plans, planId, plan, sheet, team, stop, chooseTeam, markDone, planArea };
}
