/**
 * The plan as lists: totals, one list per team with ETAs (drag a stop to another position or team,
 * or use the buttons: up, down, move to team, lock, take out), then the dropped stops with reasons.
 * Edits change the draft only; the page re-times (PUT) or re-optimises on request.
 */
import { useState, type DragEvent } from 'react';
import { useI18n } from '../../app/use-i18n';
import { kindText } from '../../lib/kinds';
import { formatDistance, formatDuration } from '../../lib/format';
import { moveStop, removeStop, toggleLock, type Draft } from '../../lib/plan-edit';
import type { Plan } from '../../api/plans';
import { planText, spot, type PlanTextKey } from '../../lib/plan-text';

type AnyStop = Plan['teams'][number]['stops'][number] | Plan['dropped'][number];

interface Props {
  plan: Plan;
  draft: Draft;
  onDraft: (d: Draft) => void;
  /** The caller may not change this plan (PLAN_OWNER_RULE): no dragging, every edit control disabled. */
  readOnly?: boolean;
}

const hhmm = (iso: string) => iso.slice(11, 16);
const DRAG_TYPE = 'text/plain';

/** Totals, team lists and dropped stops of a plan. */
export function PlanResult({ plan, draft, onDraft, readOnly = false }: Props) {
  const { lang } = useI18n();
  const p = (key: PlanTextKey, params?: Record<string, string | number>) => planText(lang, key, params);
  const [dragOver, setDragOver] = useState<string | null>(null);
  const byId = new Map<string, AnyStop>();
  for (const t of plan.teams) for (const s of t.stops) byId.set(s.id, s);
  for (const s of plan.dropped) byId.set(s.id, s);
  const timed = new Map(plan.teams.flatMap((t) => t.stops.map((s) => [s.id, s] as const)));
  const planned = new Set(draft.teams.flat());
  const droppedNow = [...byId.keys()].filter((id) => !planned.has(id));
  const droppedReason = new Map(plan.dropped.map((d) => [d.id, d]));

  const onDrop = (e: DragEvent, team: number, index: number) => {
    e.preventDefault();
    e.stopPropagation();
    setDragOver(null);
    const id = e.dataTransfer.getData(DRAG_TYPE);
    if (id && byId.has(id)) onDraft(moveStop(draft, id, team, index));
  };
  const allowDrop = (key: string) => (e: DragEvent) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    if (dragOver !== key) setDragOver(key);
  };
  const kindLabel = (k: string) => kindText(k, lang, (own) => p(`kind.${own}`));

  return (
    // A disabled fieldset disables every button and select inside it at once.
    <fieldset className="plan-result" data-testid="plan-result" disabled={readOnly}>
      <section className="panel-section">
        <p className="plan-totals" data-testid="plan-totals">
          {p('totals', {
            served: plan.totals.served,
            stops: plan.totals.stops,
            travel: formatDuration(plan.totals.travelS, lang),
            distance: formatDistance(plan.totals.travelM, lang),
            longest: formatDuration(plan.totals.longestS, lang),
          })}
        </p>
        <p className="muted">{p('solveTime', { ms: Math.round(plan.timing.totalMs) })}</p>
        {plan.totals.violations > 0 && (
          <p className="plan-violation" role="status" data-testid="plan-violations">
            {p('violations', { n: plan.totals.violations })}
          </p>
        )}
        <p className="muted plan-hint">{p('dragHint')}</p>
      </section>
      {plan.teams.map((t, ti) => (
        <section key={ti} className="panel-section plan-team-result" data-testid={`plan-team-result-${ti}`}>
          <h3>
            <span className="plan-swatch" style={{ background: t.color }} aria-hidden="true" />
            {p('team', { name: t.name, n: t.stops.length, from: hhmm(t.startAt), to: hhmm(t.endAt), travel: formatDuration(t.travelS, lang) })}
          </h3>
          <p className="muted plan-team-ends" data-testid={`plan-team-ends-${ti}`}>
            {p('teamEnds', { start: spot(t.startName, t.start), end: t.end ? spot(t.endName, t.end) : p('noEnd') })}
          </p>
          {t.overBudgetS > 0 && <p className="plan-violation">{p('overBudget', { t: formatDuration(t.overBudgetS, lang) })}</p>}
          <ol
            className={`plan-stops${dragOver === `team-${ti}` ? ' drag-over' : ''}`}
            onDragOver={allowDrop(`team-${ti}`)}
            onDragLeave={() => setDragOver(null)}
            onDrop={(e) => onDrop(e, ti, draft.teams[ti].length)}
            data-testid={`plan-stops-${ti}`}
          >
            {draft.teams[ti].length === 0 && <li className="plan-empty muted">{p('emptyTeam')}</li>}
            {draft.teams[ti].map((id, si) => {
              const s = byId.get(id)!;
              const at = timed.get(id);
              const locked = draft.locked.has(id);
              const bad = at && (at.lateS > 0 || at.missingSkills.length > 0);
              return (
                <li
                  key={id}
                  draggable={!readOnly}
                  className={`plan-stop${bad ? ' bad' : ''}${dragOver === id ? ' drag-over' : ''}`}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(DRAG_TYPE, id);
                    e.dataTransfer.effectAllowed = 'move';
                  }}
                  onDragOver={allowDrop(id)}
                  onDrop={(e) => onDrop(e, ti, si)}
                  data-testid={`plan-stop-${id}`}
                >
                  <span className="plan-seq" style={{ background: t.color }}>
                    {si + 1}
                  </span>
                  <span className="plan-stop-main">
                    <strong>{s.name}</strong>
                    <small>
                      {kindLabel(s.kind)}
                      {at ? ` · ${hhmm(at.arrival)}–${hhmm(at.departure)}` : ''}
                      {s.subdistrictName ? ` · ${s.subdistrictName}` : ''}
                    </small>
                    {at && at.lateS > 0 && <small className="plan-violation">{p('late', { t: formatDuration(at.lateS, lang) })}</small>}
                    {at && at.missingSkills.length > 0 && (
                      <small className="plan-violation">{p('missingSkills', { skills: at.missingSkills.join(', ') })}</small>
                    )}
                  </span>
                  <span className="plan-stop-actions">
                    <button
                      type="button"
                      className={`icon${locked ? ' active' : ''}`}
                      aria-pressed={locked}
                      title={p(locked ? 'unlock' : 'lock')}
                      aria-label={p(locked ? 'unlock' : 'lock')}
                      onClick={() => onDraft(toggleLock(draft, id))}
                      data-testid={`plan-lock-${id}`}
                    >
                      {p(locked ? 'lockedShort' : 'lockShort')}
                    </button>
                    <button
                      type="button"
                      className="icon"
                      title={p('up')}
                      aria-label={p('up')}
                      disabled={si === 0}
                      onClick={() => onDraft(moveStop(draft, id, ti, si - 1))}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      className="icon"
                      title={p('down')}
                      aria-label={p('down')}
                      disabled={si === draft.teams[ti].length - 1}
                      onClick={() => onDraft(moveStop(draft, id, ti, si + 2))}
                      data-testid={`plan-down-${id}`}
                    >
                      ↓
                    </button>
                    {plan.teams.length > 1 && (
                      <select
                        aria-label={p('moveTo')}
                        value={ti}
                        onChange={(e) => {
                          const to = Number(e.target.value);
                          onDraft(moveStop(draft, id, to, draft.teams[to].length));
                        }}
                        data-testid={`plan-move-${id}`}
                      >
                        {plan.teams.map((o, oi) => (
                          <option key={oi} value={oi}>
                            {o.name}
                          </option>
                        ))}
                      </select>
                    )}
                    <button type="button" className="icon" title={p('remove')} aria-label={p('remove')} onClick={() => onDraft(removeStop(draft, id))}>
                      ×
                    </button>
                  </span>
                </li>
              );
            })}
          </ol>
        </section>
      ))}
      <section className="panel-section" data-testid="plan-dropped">
        <h3>{p('dropped', { n: droppedNow.length })}</h3>
        <ul className="plan-dropped">
          {droppedNow.map((id) => {
            const s = byId.get(id)!;
            const why = droppedReason.get(id);
            return (
              <li
                key={id}
                draggable={!readOnly}
                onDragStart={(e) => {
                  e.dataTransfer.setData(DRAG_TYPE, id);
                  e.dataTransfer.effectAllowed = 'move';
                }}
                data-testid={`plan-dropped-${id}`}
              >
                <span className="plan-stop-main">
                  <strong>{s.name}</strong>
                  <small>
                    {kindLabel(s.kind)}
                    {why ? ` · ${lang === 'zh' ? why.reasonText.zh : why.reasonText.en}` : ''}
                  </small>
                </span>
                <select
                  aria-label={p('addBack')}
                  value=""
                  onChange={(e) => e.target.value !== '' && onDraft(moveStop(draft, id, Number(e.target.value), draft.teams[Number(e.target.value)].length))}
                >
                  <option value="">{p('addBack')}…</option>
                  {plan.teams.map((o, oi) => (
                    <option key={oi} value={oi}>
                      {o.name}
                    </option>
                  ))}
                </select>
              </li>
            );
          })}
        </ul>
      </section>
    </fieldset>
  );
}
