/**
 * 目标考核 on the ledger page: every responsible unit's score of the year (the most taken off first, a
 * 一票否决 first of all), and the chosen unit's ledger — where a leader takes points off, reverses a manual
 * entry, sets or lifts the 一票否决 and issues a numbered 问责通报 to print — then each entry, newest first,
 * with the running score: the automatic ones naming their case, the manual ones with their reason. A unit
 * account sees its own.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Me } from '../../api/types';
import type { DeductionEntry, UnitLedger, UnitStanding } from '../../../../server/contract/consequences';
import { formatPoints as points } from '../../../../server/contract/deductions';
import { getConsequences, getUnitLedger, postDeduction, postNotice, postReversal, putConsequenceSettings, putVeto } from '../../api/consequences';
import { describeError } from '../../app/describe-error';
import { ErrorBanner } from '../../app/ErrorBanner';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import { formatCityTime } from '../../lib/format';

interface ConsequenceListProps {
  me: Me;
  /** Problems changed elsewhere (live events): their escalations may have moved the scores. */
  version: number;
  onSelectProblem: (id: string) => void;
}

export function ConsequenceList({ me, version, onSelectProblem }: ConsequenceListProps) {
  const { t } = useI18n();
  const [year, setYear] = useState<number | null>(null);
  const [chosen, setChosen] = useState<string | null>(me.role === 'unit' ? (me.user?.unitId ?? null) : null);
  const [own, setOwn] = useState(0);
  const overview = useRequest((signal) => getConsequences(year, signal), [year, version, own]);
  const mayDecide = me.role === 'admin' || me.role === 'leader';
  const data = overview.data;
  return (
    <section className="consequences" data-testid="consequences">
      <header className="rankings-head">
        <label className="inline-field">
          <span>{t('consequences.year')}</span>
          <select value={data?.year ?? ''} onChange={(e) => setYear(Number(e.target.value))} data-testid="consequences-year">
            {(data?.years ?? []).map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
        {data && (
          <small className="rankings-period">
            {t('consequences.rule', {
              base: points(data.settings.base),
              supervision: points(data.settings.supervision),
              summons: points(data.settings.summons),
            })}
          </small>
        )}
      </header>
      {overview.error && <ErrorBanner messages={[describeError(overview.error, t)]} onRetry={overview.retry} />}
      {overview.loading && !data && <p className="muted">{t('panel.loading')}</p>}
      {me.role === 'admin' && data && <SettingsForm key={JSON.stringify(data.settings)} settings={data.settings} onSaved={() => setOwn((n) => n + 1)} />}
      {data && data.units.length === 0 && <p className="muted">{t('consequences.noUnits')}</p>}
      {data && data.units.length > 0 && (
        <table className="rankings-table consequences-table">
          <thead>
            <tr>
              <th>{t('rankings.rank')}</th>
              <th>{t('consequences.unit')}</th>
              <th>{t('consequences.score')}</th>
              <th>{t('consequences.supervision')}</th>
              <th>{t('consequences.summons')}</th>
              <th>{t('consequences.manual')}</th>
              <th>{t('consequences.veto')}</th>
              <th>{t('consequences.notices')}</th>
            </tr>
          </thead>
          <tbody>
            {data.units.map((u, i) => (
              <StandingRow key={u.unitId} u={u} rank={i + 1} chosen={u.unitId === chosen} onChoose={() => setChosen(u.unitId)} />
            ))}
          </tbody>
        </table>
      )}
      {chosen && data && (
        <UnitLedgerView
          key={`${chosen}-${data.year}`}
          unitId={chosen}
          year={data.year}
          version={version + own}
          mayDecide={mayDecide}
          onChanged={() => setOwn((n) => n + 1)}
          onSelectProblem={onSelectProblem}
        />
      )}
    </section>
  );
}

function StandingRow({ u, rank, chosen, onChoose }: { u: UnitStanding; rank: number; chosen: boolean; onChoose: () => void }) {
  const { t } = useI18n();
  return (
    <tr className={`${u.veto ? 'black' : ''}${chosen ? ' chosen' : ''}`} data-testid={`standing-${u.unitId}`} aria-selected={chosen}>
      <td>{rank}</td>
      <td>
        <button type="button" className="link" onClick={onChoose}>
          {u.unitName}
        </button>
        {u.subdistrictName && <small className="muted"> · {u.subdistrictName}</small>}
      </td>
      <td data-testid="standing-score">
        <strong>{points(u.score)}</strong>
      </td>
      <td>{u.supervision}</td>
      <td>{u.summons}</td>
      <td>{u.manual}</td>
      <td>{u.veto ? <span className="badge veto-badge">{t('consequences.vetoed')}</span> : '—'}</td>
      <td>{u.notices}</td>
    </tr>
  );
}

function UnitLedgerView({
  unitId,
  year,
  version,
  mayDecide,
  onChanged,
  onSelectProblem,
}: {
  unitId: string;
  year: number;
  version: number;
  mayDecide: boolean;
  onChanged: () => void;
  onSelectProblem: (id: string) => void;
}) {
  const { t } = useI18n();
  const ledger = useRequest((signal) => getUnitLedger(unitId, year, signal), [unitId, year, version]);
  const ref = useRef<HTMLElement>(null);
  // The ledger opens under the table of every unit: bring it into view when a unit is chosen.
  const loaded = ledger.data !== undefined && ledger.data !== null;
  useEffect(() => {
    if (loaded) ref.current?.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
  }, [unitId, loaded]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Every write answers the ledger as it is now; the overview reloads beside it.
  const run = async (work: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await work();
      onChanged();
      return true;
    } catch (err) {
      setError(err instanceof Error ? describeError(err, t) : String(err));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const l = ledger.data;
  return (
    <section ref={ref} className="unit-ledger" aria-label={t('consequences.ledgerOf', { unit: l?.unit.unitName ?? unitId })} data-testid="unit-ledger">
      {ledger.error && <ErrorBanner messages={[describeError(ledger.error, t)]} onRetry={ledger.retry} />}
      {!l && ledger.loading && <p className="muted">{t('panel.loading')}</p>}
      {l && (
        <>
          <h3>
            {t('consequences.ledgerOf', { unit: l.unit.unitName })} · {year} ·{' '}
            <span data-testid="ledger-score" data-score={l.unit.score} data-deducted={l.unit.deducted}>
              {t('consequences.scoreIs', { score: points(l.unit.score) })}
            </span>
          </h3>
          {l.unit.veto && (
            <p className="detail-warning" data-testid="veto-note">
              {t('consequences.vetoNote', { reason: l.unit.veto.reason, at: formatCityTime(l.unit.veto.at) ?? '' })}
            </p>
          )}
          {l.notices.length > 0 && (
            <ul className="notice-links" data-testid="notice-links">
              {l.notices.map((n) => (
                <li key={n.id}>
                  <a href={n.url} target="_blank" rel="noreferrer">
                    {n.no}
                  </a>{' '}
                  <small className="muted">
                    {formatCityTime(n.issuedAt)} · {n.issuedBy}
                  </small>
                </li>
              ))}
            </ul>
          )}
          {mayDecide && <LeaderForms ledger={l} busy={busy} run={run} />}
          {l.total > l.entries.length && (
            <p className="muted" data-testid="ledger-more">
              {t('consequences.latest', { n: l.entries.length, total: l.total })}
            </p>
          )}
          {l.entries.length === 0 ? (
            <p className="muted">{t('consequences.noEntries')}</p>
          ) : (
            <table className="rankings-table ledger-entries">
              <thead>
                <tr>
                  <th>{t('consequences.at')}</th>
                  <th>{t('consequences.kind')}</th>
                  <th>{t('consequences.reason')}</th>
                  <th>{t('consequences.points')}</th>
                  <th>{t('consequences.running')}</th>
                  <th>{t('consequences.by')}</th>
                  {mayDecide && <th aria-label={t('consequences.reverse')} />}
                </tr>
              </thead>
              <tbody>
                {l.entries.map((e) => (
                  <EntryRow
                    key={e.id}
                    e={e}
                    mayReverse={mayDecide && e.kind === 'manual' && e.reversedBy === null}
                    busy={busy}
                    run={run}
                    onSelectProblem={onSelectProblem}
                  />
                ))}
              </tbody>
            </table>
          )}
          {error && (
            <p className="detail-warning" role="alert">
              {error}
            </p>
          )}
        </>
      )}
    </section>
  );
}

function EntryRow({
  e,
  mayReverse,
  busy,
  run,
  onSelectProblem,
}: {
  e: DeductionEntry;
  mayReverse: boolean;
  busy: boolean;
  run: (work: () => Promise<unknown>) => Promise<boolean>;
  onSelectProblem: (id: string) => void;
}) {
  const { t } = useI18n();
  const reason =
    e.reason ||
    (e.kind === 'reversal' ? t('consequences.autoReversal') : e.kind === 'summons' ? t('consequences.autoSummons') : t('consequences.autoSupervision'));
  const reverse = () => {
    const why = window.prompt(t('consequences.reversePrompt'));
    if (why?.trim()) void run(() => postReversal(e.id, why.trim()));
  };
  return (
    <tr className={e.reversedBy !== null ? 'reversed' : ''} data-testid="ledger-entry" data-kind={e.kind}>
      <td>{formatCityTime(e.at)}</td>
      <td>{t(`consequences.kind.${e.kind}`)}</td>
      <td className="entry-reason">
        {e.problemId && (
          <>
            <button type="button" className="link" onClick={() => onSelectProblem(e.problemId!)}>
              {e.problemId}
            </button>{' '}
          </>
        )}
        {reason}
        {e.reversedBy !== null && <small className="muted"> · {t('consequences.reversed')}</small>}
      </td>
      <td>{e.points > 0 ? `−${points(e.points)}` : `+${points(-e.points)}`}</td>
      <td>{points(e.score)}</td>
      <td>{e.actor === 'system' ? t('consequences.system') : e.actor}</td>
      {mayReverse ? (
        <td>
          <button type="button" className="ghost" disabled={busy} onClick={reverse} data-testid="entry-reverse">
            {t('consequences.reverse')}
          </button>
        </td>
      ) : (
        <td />
      )}
    </tr>
  );
}

function LeaderForms({ ledger, busy, run }: { ledger: UnitLedger; busy: boolean; run: (work: () => Promise<unknown>) => Promise<boolean> }) {
  const { t } = useI18n();
  const unit = ledger.unit.unitId;
  const year = ledger.year;
  const [pts, setPts] = useState('1');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState('');
  const [vetoReason, setVetoReason] = useState('');
  const [noticeReason, setNoticeReason] = useState('');
  const deduct = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await run(() => postDeduction(unit, { points: Number(pts), reason, year, ...(problem.trim() ? { problem: problem.trim() } : {}) }));
    if (ok) {
      setReason('');
      setProblem('');
    }
  };
  const veto = async (e: FormEvent) => {
    e.preventDefault();
    if (await run(() => putVeto(unit, { veto: ledger.unit.veto === null, reason: vetoReason, year }))) setVetoReason('');
  };
  const notice = async (e: FormEvent) => {
    e.preventDefault();
    // The tab opens before the request, inside the click, so a pop-up blocker lets it through.
    const tab = window.open('', '_blank');
    const ok = await run(async () => {
      const out = await postNotice(unit, { reason: noticeReason, year });
      if (tab) tab.location.href = out.notice.url;
    });
    if (ok) setNoticeReason('');
    else tab?.close();
  };
  return (
    <div className="leader-forms">
      <form onSubmit={deduct} className="request-decide" data-testid="deduct-form">
        <strong>{t('consequences.deduct')}</strong>
        <input
          type="number"
          min="0.1"
          max="100"
          step="0.1"
          value={pts}
          onChange={(e) => setPts(e.target.value)}
          aria-label={t('consequences.points')}
          className="points-input"
          data-testid="deduct-points"
        />
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t('consequences.reasonPlaceholder')}
          aria-label={t('consequences.reason')}
          data-testid="deduct-reason"
        />
        <input
          value={problem}
          onChange={(e) => setProblem(e.target.value)}
          placeholder={t('consequences.problemPlaceholder')}
          aria-label={t('consequences.problem')}
          className="problem-input"
        />
        <button type="submit" className="primary" disabled={busy || !reason.trim() || !(Number(pts) > 0)} data-testid="deduct-submit">
          {t('consequences.deductSubmit')}
        </button>
      </form>
      <form onSubmit={veto} className="request-decide">
        <strong>{t('consequences.veto')}</strong>
        <input
          value={vetoReason}
          onChange={(e) => setVetoReason(e.target.value)}
          placeholder={t(ledger.unit.veto ? 'consequences.liftPlaceholder' : 'consequences.vetoPlaceholder')}
          aria-label={t('consequences.reason')}
          data-testid="veto-reason"
        />
        <button type="submit" className={ledger.unit.veto ? '' : 'danger'} disabled={busy || !vetoReason.trim()} data-testid="veto-submit">
          {t(ledger.unit.veto ? 'consequences.vetoLift' : 'consequences.vetoSet')}
        </button>
      </form>
      <form onSubmit={notice} className="request-decide">
        <strong>{t('consequences.notice')}</strong>
        <input
          value={noticeReason}
          onChange={(e) => setNoticeReason(e.target.value)}
          placeholder={t('consequences.noticePlaceholder')}
          aria-label={t('consequences.reason')}
          data-testid="notice-reason"
        />
        <button type="submit" disabled={busy || !noticeReason.trim()} data-testid="notice-submit">
          {t('consequences.noticeSubmit')}
        </button>
      </form>
    </div>
  );
}

function SettingsForm({ settings, onSaved }: { settings: { base: number; supervision: number; summons: number }; onSaved: () => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState({ base: String(settings.base), supervision: String(settings.supervision), summons: String(settings.summons) });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await putConsequenceSettings({ base: Number(draft.base), supervision: Number(draft.supervision), summons: Number(draft.summons) });
      onSaved();
    } catch (err) {
      setError(err instanceof Error ? describeError(err, t) : String(err));
    } finally {
      setBusy(false);
    }
  };
  const field = (k: keyof typeof draft, label: string) => (
    <label className="inline-field">
      <span>{label}</span>
      <input type="number" min="0" step="0.1" value={draft[k]} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} className="points-input" />
    </label>
  );
  return (
    <details className="consequence-settings">
      <summary>{t('consequences.settings')}</summary>
      <form onSubmit={save} className="request-decide">
        {field('base', t('consequences.base'))}
        {field('supervision', t('consequences.perSupervision'))}
        {field('summons', t('consequences.perSummons'))}
        <button type="submit" className="primary" disabled={busy}>
          {t('consequences.saveSettings')}
        </button>
        <small className="muted">{t('consequences.settingsHelp')}</small>
      </form>
      {error && (
        <p className="detail-warning" role="alert">
          {error}
        </p>
      )}
    </details>
  );
}
