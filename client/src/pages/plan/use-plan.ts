/**
 * The planner page's state as hooks: the form, the open plan with its draft and name (and the
 * `?plan=` URL that reopens it), the calls that plan, save and re-optimise it, and the day's saved plans.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbortError } from '../../api/client';
import { createPlan, fetchPlan, listPlans, optimisePlan, removePlan, savePlanEdit, type Plan, type PlanSummary } from '../../api/plans';
import type { Meta } from '../../api/types';
import type { Lang } from '../../app/i18n';
import { useI18n } from '../../app/use-i18n';
import { draftOf, editBody, isDirty, teamsChanged, withTeamParams, type Draft } from '../../lib/plan-edit';
import { cityToday, formToRequest, stopsFromSearch, type FormState } from '../../lib/plan-request';
import type { PlanTextKey } from '../../lib/plan-text';
import { newTeam } from './PlanForm';
import { planErrorMessage } from './plan-errors';

export type PlanStatus = { state: 'idle' } | { state: 'busy'; what: PlanTextKey } | { state: 'error'; message: string };

/** The form as the page opens: `?stops=` preselected, or a small 暗访 sample of markets for two teams. */
export function initialForm(meta: Meta, lang: Lang, search: string): FormState {
  const ids = stopsFromSearch(search);
  return {
    date: cityToday(),
    profile: 'walk',
    teams: [newTeam(0, meta.city.center, lang), newTeam(1, meta.city.center, lang)],
    ids,
    // With preselected stops, plan exactly those; otherwise start from a small 暗访 sample of markets.
    kinds: ids.length ? [] : ['market'],
    subdistricts: [],
    openProblems: 'none',
    hotspots: 0,
    unvisited: 0,
    sampleN: ids.length ? 0 : 12,
    sampleSeed: 1,
    polygon: null,
    marketWindow: false,
    dwellMin: { market: 15, community: 20, problem: 5 },
    balance: false,
  };
}

function setPlanInUrl(id: string | null): void {
  const url = new URL(window.location.href);
  if (id) {
    url.searchParams.set('plan', id);
    url.searchParams.delete('stops');
  } else url.searchParams.delete('plan');
  window.history.replaceState(null, '', url);
}

/**
 * The open plan and the calls on it. Every answer is shown the same way: the plan, a fresh draft, its
 * name, the form on its teams (so changing a start or a budget and re-timing edits this plan) and its id
 * in the URL, which a reload or a shared link reopens.
 */
export function usePlan(meta: Meta, lang: Lang) {
  const { t } = useI18n();
  const [form, setForm] = useState<FormState>(() => initialForm(meta, lang, window.location.search));
  const [plan, setPlan] = useState<Plan | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [name, setName] = useState('');
  const [status, setStatus] = useState<PlanStatus>({ state: 'idle' });
  const abortRef = useRef<AbortController | null>(null);
  // Error sentences in the language of the moment; a language switch is not a reason to call again.
  const tRef = useRef(t);
  tRef.current = t;
  const langRef = useRef(lang);
  langRef.current = lang;

  const fail = useCallback((err: unknown) => {
    setStatus({ state: 'error', message: planErrorMessage(err instanceof Error ? err : new Error(String(err)), langRef.current, tRef.current) });
  }, []);

  const run = useCallback(
    async (what: PlanTextKey, call: (signal: AbortSignal) => Promise<Plan>) => {
      abortRef.current?.abort();
      const ctl = new AbortController();
      abortRef.current = ctl;
      setStatus({ state: 'busy', what });
      try {
        const next = await call(ctl.signal);
        setPlan(next);
        setDraft(draftOf(next));
        setName(next.name);
        setForm((f) => ({
          ...f,
          date: next.date,
          profile: next.profile,
          teams: next.teams.map((tm) => ({
            name: tm.name,
            start: tm.start,
            end: tm.end,
            startName: tm.startName ?? null,
            endName: tm.endName ?? null,
            shiftStart: tm.shiftStart,
            budgetH: tm.budgetS / 3600,
          })),
        }));
        setPlanInUrl(next.id);
        setStatus({ state: 'idle' });
      } catch (err) {
        if (!isAbortError(err)) fail(err);
      }
    },
    [fail],
  );

  // Reopen ?plan=id once, as the page opens; leaving the page cancels whatever call is under way.
  useEffect(() => {
    const id = new URLSearchParams(window.location.search).get('plan');
    if (id) void run('opening', (signal) => fetchPlan(id, signal));
    return () => abortRef.current?.abort();
  }, [run]);

  const teams = formToRequest(form).teams;
  const dirty = plan && draft ? isDirty(plan, draft) || name.trim() !== plan.name || teamsChanged(plan, teams) : false;
  const editOf = (pl: Plan, d: Draft) => withTeamParams(editBody(pl, d, name.trim() || undefined), teams);

  const optimise = () => void run('solving', (signal) => createPlan(formToRequest(form), signal));
  const retime = () => {
    if (plan && draft) void run('solving', (signal) => savePlanEdit(plan.id, editOf(plan, draft), signal));
  };
  const reoptimise = () => {
    if (!plan || !draft) return;
    void run('solving', async (signal) => {
      // Save the draft's order and locks first: the server re-optimises the saved plan.
      if (dirty) await savePlanEdit(plan.id, editOf(plan, draft), signal);
      return optimisePlan(plan.id, signal);
    });
  };
  const open = (id: string) => void run('opening', (signal) => fetchPlan(id, signal));
  /** Deletes a saved plan; closes it when it is the open one. Resolves true once deleted. */
  const remove = async (id: string): Promise<boolean> => {
    try {
      await removePlan(id);
    } catch (err) {
      fail(err);
      return false;
    }
    if (plan?.id === id) {
      setPlan(null);
      setDraft(null);
      setPlanInUrl(null);
    }
    return true;
  };

  return { form, setForm, plan, draft, setDraft, name, setName, status, setStatus, dirty, optimise, retime, reoptimise, open, remove };
}

/** The saved plans of `date`, listed again when the open plan is saved; `drop` takes one off the list. */
export function useSavedPlans(date: string, plan: Plan | null) {
  const [saved, setSaved] = useState<PlanSummary[]>([]);
  const id = plan?.id;
  const updatedAt = plan?.updatedAt;
  useEffect(() => {
    const ctl = new AbortController();
    listPlans(date, ctl.signal).then(setSaved, (err: unknown) => {
      if (!isAbortError(err)) setSaved([]);
    });
    return () => ctl.abort();
  }, [date, id, updatedAt]);
  const drop = useCallback((gone: string) => setSaved((list) => list.filter((x) => x.id !== gone)), []);
  return { saved, drop };
}
