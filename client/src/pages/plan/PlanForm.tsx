/**
 * The planner's inputs: date, travel mode, teams (start/end picked on the map, shift, budget) and
 * the stop selection tools (preselected ids, kinds, subdistricts, a drawn area, open problems,
 * recurring hotspots, a 暗访 sample, busy-hour windows for markets).
 */
import type { Meta } from '../../api/types';
import { useI18n } from '../../app/use-i18n';
import { TEAM_COLORS } from '../../../../server/contract/team-colors';
import type { FormState, PlaceKindName, TeamDraft } from '../../lib/plan-request';
import { planText, type PlanTextKey } from '../../lib/plan-text';
import type { LngLat } from '../../../../server/contract/geo';
import { SpotPicker } from './SpotPicker';
import { listGrids } from '../../api/grids';
import { useRequest } from '../../app/use-request';

export type ClickMode = { kind: 'start' | 'end'; team: number } | { kind: 'polygon' } | null;

interface Props {
  meta: Meta;
  form: FormState;
  onChange: (next: FormState) => void;
  clickMode: ClickMode;
  onClickMode: (mode: ClickMode) => void;
  drawing: LngLat[];
  onFinishPolygon: () => void;
}

const KINDS: PlaceKindName[] = ['market', 'community', 'back-street'];

/** A new team named 第 N 组 / Team N starting where the first team starts. */
export function newTeam(i: number, start: LngLat, lang: 'zh' | 'en'): TeamDraft {
  return { name: lang === 'zh' ? `第${i + 1}组` : `Team ${i + 1}`, start, end: null, shiftStart: '08:30', budgetH: 4 };
}

/** The form: every field changes `form` through `onChange`. */
export function PlanForm({ meta, form, onChange, clickMode, onClickMode, drawing, onFinishPolygon }: Props) {
  const { lang } = useI18n();
  // The catalog's other point types; the three every city has are the checkboxes above them.
  const otherTypes = meta.pointTypes.filter((ty) => !(KINDS as string[]).includes(ty.id));
  const p = (key: PlanTextKey, params?: Record<string, string | number>) => planText(lang, key, params);
  const set = (patch: Partial<FormState>) => onChange({ ...form, ...patch });
  const setTeam = (i: number, patch: Partial<TeamDraft>) => set({ teams: form.teams.map((t, k) => (k === i ? { ...t, ...patch } : t)) });
  const setCount = (n: number) => {
    const count = Math.max(1, Math.min(20, n || 1));
    const teams = form.teams.slice(0, count);
    while (teams.length < count) teams.push(newTeam(teams.length, form.teams[0]?.start ?? meta.city.center, lang));
    set({ teams });
  };
  const fmt = (c: LngLat) => `${c[0].toFixed(4)}, ${c[1].toFixed(4)}`;
  // The city's 网格, when it has any (a city without them sees no empty list).
  const grids = useRequest((signal) => listGrids(signal), []).data?.features ?? [];
  const kindName = (kind: string) => meta.pointTypes.find((ty) => ty.id === kind)?.[lang] ?? kind;

  return (
    <div className="plan-form">
      <section className="panel-section">
        <div className="plan-row">
          <label>
            {p('date')}
            <input type="date" value={form.date} onChange={(e) => e.target.value && set({ date: e.target.value })} data-testid="plan-date" />
          </label>
          <label>
            {p('profile')}
            <select value={form.profile} onChange={(e) => set({ profile: e.target.value as FormState['profile'] })} data-testid="plan-profile">
              {(['walk', 'ebike', 'car'] as const).map((pr) => (
                <option key={pr} value={pr}>
                  {p(`profile.${pr}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
      </section>

      <section className="panel-section" aria-labelledby="plan-teams-title">
        <header className="section-header">
          <h2 id="plan-teams-title">{p('teams')}</h2>
          <label className="plan-inline">
            {p('teamCount')}
            <input type="number" min={1} max={20} value={form.teams.length} onChange={(e) => setCount(Number(e.target.value))} data-testid="plan-team-count" />
          </label>
        </header>
        {form.teams.map((t, i) => (
          <fieldset key={i} className="plan-team" data-testid={`plan-team-${i}`}>
            <legend>
              <span className="plan-swatch" style={{ background: TEAM_COLORS[i % TEAM_COLORS.length] }} aria-hidden="true" />
              <input aria-label={p('teamName')} value={t.name} onChange={(e) => setTeam(i, { name: e.target.value })} />
            </legend>
            <div className="plan-row">
              <label>
                {p('shiftStart')}
                <input type="time" value={t.shiftStart} onChange={(e) => e.target.value && setTeam(i, { shiftStart: e.target.value })} />
              </label>
              <label>
                {p('budget')}
                <input
                  type="number"
                  min={0.25}
                  max={24}
                  step={0.25}
                  value={t.budgetH}
                  onChange={(e) => setTeam(i, { budgetH: Number(e.target.value) || 0.25 })}
                  data-testid={`plan-budget-${i}`}
                />
              </label>
            </div>
            <div className="plan-row plan-points">
              <button
                type="button"
                className={clickMode?.kind === 'start' && clickMode.team === i ? 'active' : ''}
                onClick={() => onClickMode({ kind: 'start', team: i })}
                title={`${p('setStart')} · ${fmt(t.start)}`}
                data-testid={`plan-start-${i}`}
              >
                {p('start')}: {t.startName || fmt(t.start)}
              </button>
              <button
                type="button"
                className={clickMode?.kind === 'end' && clickMode.team === i ? 'active' : ''}
                onClick={() => onClickMode({ kind: 'end', team: i })}
                title={t.end ? `${p('setEnd')} · ${fmt(t.end)}` : p('setEnd')}
                data-testid={`plan-end-${i}`}
              >
                {p('end')}: {t.end ? t.endName || fmt(t.end) : p('noEnd')}
              </button>
              {t.end && (
                <button type="button" className="link" onClick={() => setTeam(i, { end: null, endName: null })}>
                  ×
                </button>
              )}
            </div>
            <div className="plan-row plan-spots">
              <SpotPicker
                label={p('findStart')}
                kindName={kindName}
                testId={`plan-find-start-${i}`}
                onPick={(s) => setTeam(i, { start: s.at, startName: s.name })}
              />
              <SpotPicker label={p('findEnd')} kindName={kindName} testId={`plan-find-end-${i}`} onPick={(s) => setTeam(i, { end: s.at, endName: s.name })} />
            </div>
          </fieldset>
        ))}
      </section>

      <section className="panel-section" aria-labelledby="plan-stops-title">
        <header className="section-header">
          <h2 id="plan-stops-title">{p('stops')}</h2>
        </header>
        {form.ids.length > 0 && (
          <p className="plan-preselected" data-testid="plan-preselected">
            {p('preselected', { n: form.ids.length })}{' '}
            <button type="button" className="link" onClick={() => set({ ids: [] })}>
              {p('clearIds')}
            </button>
          </p>
        )}
        <fieldset className="plan-checks">
          <legend>{p('kinds')}</legend>
          {KINDS.map((k) => (
            <label key={k}>
              <input
                type="checkbox"
                checked={form.kinds.includes(k)}
                onChange={(e) => set({ kinds: e.target.checked ? [...form.kinds, k] : form.kinds.filter((x) => x !== k) })}
                data-testid={`plan-kind-${k}`}
              />
              {p(`kind.${k}`)}
            </label>
          ))}
        </fieldset>
        {otherTypes.length > 0 && (
          <label className="plan-block">
            {p('otherKinds')}
            <select
              multiple
              size={Math.min(5, otherTypes.length)}
              value={form.kinds.filter((k) => !(KINDS as string[]).includes(k))}
              onChange={(e) =>
                set({ kinds: [...form.kinds.filter((k) => (KINDS as string[]).includes(k)), ...[...e.target.selectedOptions].map((o) => o.value)] })
              }
              data-testid="plan-other-kinds"
            >
              {otherTypes.map((ty) => (
                <option key={ty.id} value={ty.id}>
                  {lang === 'zh' ? ty.zh : ty.en}
                </option>
              ))}
            </select>
          </label>
        )}
        {meta.districts.length > 1 && (
          <label className="plan-block">
            {p('districts')}
            <select
              multiple
              size={Math.min(4, meta.districts.length)}
              value={form.districts ?? []}
              onChange={(e) => {
                const districts = [...e.target.selectedOptions].map((o) => o.value);
                // Subdistricts of a district no longer chosen would pick nothing: they go with it.
                const keep = form.subdistricts.filter((id) => {
                  const d = meta.subdistricts.find((s) => s.id === id)?.districtId;
                  return districts.length === 0 || (d != null && districts.includes(d));
                });
                set({ districts, subdistricts: keep });
              }}
              data-testid="plan-districts"
            >
              {meta.districts.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="plan-block">
          {p('subdistricts')}
          <select
            multiple
            size={Math.min(5, meta.subdistricts.length)}
            value={form.subdistricts}
            onChange={(e) => set({ subdistricts: [...e.target.selectedOptions].map((o) => o.value) })}
          >
            {meta.subdistricts
              .filter((s) => !form.districts?.length || (s.districtId !== null && form.districts.includes(s.districtId)))
              .map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
          </select>
        </label>
        {grids.length > 0 && (
          <label className="plan-block">
            {p('grids')}
            <select
              multiple
              size={Math.max(2, Math.min(5, grids.length))}
              value={form.grids ?? []}
              onChange={(e) => set({ grids: [...e.target.selectedOptions].map((o) => o.value) })}
              data-testid="plan-grids"
            >
              {grids.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.properties.name}
                  {g.properties.member ? ` · ${g.properties.member}` : ''}
                </option>
              ))}
            </select>
          </label>
        )}
        <div className="plan-block">
          {p('polygon')}:{' '}
          {clickMode?.kind === 'polygon' ? (
            <>
              <span className="muted">{p('polygonHint', { n: drawing.length })}</span>{' '}
              <button type="button" onClick={onFinishPolygon} disabled={drawing.length < 3} data-testid="plan-polygon-done">
                {p('finishPolygon')}
              </button>
            </>
          ) : form.polygon ? (
            <>
              <span>{p('polygonSet', { n: form.polygon.length })}</span>{' '}
              <button type="button" className="link" onClick={() => set({ polygon: null })}>
                {p('clearPolygon')}
              </button>
            </>
          ) : (
            <button type="button" className="ghost" onClick={() => onClickMode({ kind: 'polygon' })} data-testid="plan-polygon-draw">
              {p('drawPolygon')}
            </button>
          )}
        </div>
        <label className="plan-block">
          {p('openProblems')}
          <select
            value={form.openProblems}
            onChange={(e) => set({ openProblems: e.target.value as FormState['openProblems'] })}
            data-testid="plan-open-problems"
          >
            <option value="none">{p('open.none')}</option>
            <option value="open">{p('open.open')}</option>
            <option value="overdue">{p('open.overdue')}</option>
            <option value="lookBacks">{p('open.lookBacks')}</option>
          </select>
        </label>
        <label className="plan-block">
          {p('hotspots')}
          <input type="number" min={0} max={500} value={form.hotspots} onChange={(e) => set({ hotspots: Math.max(0, Number(e.target.value) || 0) })} />
        </label>
        <label className="plan-block">
          {p('unvisited')}
          <input
            type="number"
            min={0}
            max={500}
            value={form.unvisited}
            onChange={(e) => set({ unvisited: Math.max(0, Number(e.target.value) || 0) })}
            data-testid="plan-unvisited"
          />
        </label>
        <div className="plan-row">
          <label>
            {p('sample')}
            <input
              type="number"
              min={0}
              max={500}
              value={form.sampleN}
              onChange={(e) => set({ sampleN: Math.max(0, Number(e.target.value) || 0) })}
              data-testid="plan-sample"
            />
          </label>
          <label>
            {p('sampleSeed')}
            <input type="number" value={form.sampleSeed} onChange={(e) => set({ sampleSeed: Math.trunc(Number(e.target.value) || 1) })} />
          </label>
        </div>
        <label className="plan-check">
          <input type="checkbox" checked={form.marketWindow} onChange={(e) => set({ marketWindow: e.target.checked })} />
          {p('marketWindow')}
        </label>
        <div className="plan-block">
          {p('dwell')}
          <div className="plan-row">
            {(['market', 'community', 'problem'] as const).map((k) => (
              <input
                key={k}
                type="number"
                min={0}
                max={240}
                aria-label={p(`kind.${k}`)}
                value={form.dwellMin[k]}
                onChange={(e) => set({ dwellMin: { ...form.dwellMin, [k]: Math.max(0, Number(e.target.value) || 0) } })}
              />
            ))}
          </div>
        </div>
        <label className="plan-check">
          <input type="checkbox" checked={form.balance} onChange={(e) => set({ balance: e.target.checked })} />
          {p('balance')}
        </label>
      </section>
    </div>
  );
}
