/**
 * 模拟测评: the 创文办 picks the day, the teams (two people each) and how many points of each type to
 * draw; Xuncha draws them like the assessors, plans the routes, the teams walk them on the field page,
 * and the mock scores itself when the last stop is checked. Listed here with their progress and reports.
 */
import { useState } from 'react';
import type { CatalogResponse, ReadinessResponse } from '../../../../server/contract/assessment';
import type { Mock, MockRequest, MockSummary } from '../../../../server/contract/assessment-mocks';
import { cityDate, DAY_MS } from '../../../../server/contract/city-time';
import { createMock, finishMock, getAssessmentCatalog, getMock, getReadiness, listMocks, mockReportUrls } from '../../api/assessment';
import { describeError } from '../../app/describe-error';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import { formatRate } from '../../lib/format';

type Profile = NonNullable<MockRequest['profile']>;
const PROFILES: readonly Profile[] = ['walk', 'ebike', 'car'];
interface TeamDraft {
  name: string;
  a: string;
  b: string;
}

export function Mocks({ mayCreate }: { mayCreate: boolean }) {
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
  const list = useRequest<MockSummary[]>((signal) => listMocks(signal), [version]);
  const [creating, setCreating] = useState(false);
  return (
    <section className="assessment-mocks" data-testid="assess-mocks">
      <header className="assessment-readiness-head">
        <h2>{t('mock.title')}</h2>
        {mayCreate && (
          <button type="button" className="button" aria-expanded={creating} onClick={() => setCreating(!creating)} data-testid="mock-new">
            {t('mock.new')}
          </button>
        )}
      </header>
      {creating && (
        <MockForm
          onCreated={(m) => {
            setCreating(false);
            setOpen(m.id);
            setVersion((v) => v + 1);
          }}
        />
      )}
      {list.error && <p className="detail-warning">{describeError(list.error, t)}</p>}
      {list.loading && !list.data && <p className="assessment-loading">{t('mock.loading')}</p>}
      {list.data?.length === 0 && <p className="assessment-empty">{t('mock.none')}</p>}
      {list.data && list.data.length > 0 && (
        <table className="assessment-table" data-testid="mock-list">
          <thead>
            <tr>
              <th>{t('mock.name')}</th>
              <th>{t('mock.date')}</th>
              <th>{t('mock.status')}</th>
              <th>{t('assess.scoreRate')}</th>
              <th>{t('assess.estimated')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((m) => (
              <tr key={m.id} data-mock={m.id} className={open === m.id ? 'selected' : undefined}>
                <td>
                  <button type="button" className="link" onClick={() => setOpen(open === m.id ? null : m.id)}>
                    {m.name}
                  </button>
                </td>
                <td>{m.date}</td>
                <td>{m.status === 'done' ? t('mock.done') : t('mock.walking', { checked: m.progress.checked, planned: m.progress.planned })}</td>
                <td>{formatRate(m.scoreRate)}</td>
                <td>{m.estimatedScore === null ? '—' : m.estimatedScore.toFixed(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && <MockDetail id={open} mayFinish={mayCreate} onChanged={() => setVersion((v) => v + 1)} key={`${open}-${version}`} />}
    </section>
  );
}

function MockForm({ onCreated }: { onCreated: (m: Mock) => void }) {
  const { t } = useI18n();
  const catalog = useRequest<CatalogResponse>((signal) => getAssessmentCatalog(signal), []);
  // The points there are of each type: readiness counts every point of the registry by type.
  const counts = useRequest<ReadinessResponse>((signal) => getReadiness({ days: 30, by: 'type' }, signal), []);
  const [date, setDate] = useState(() => cityDate(Date.now() + DAY_MS));
  const [teams, setTeams] = useState<TeamDraft[]>([{ name: t('mock.teamN', { n: 1 }), a: '', b: '' }]);
  const [profile, setProfile] = useState<Profile>('walk');
  const [quotas, setQuotas] = useState<Record<string, number>>({});
  const [seed, setSeed] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const available = new Map(counts.data?.rows.map((r) => [r.key, r.total]) ?? []);
  const types = catalog.data?.inForce.pointTypes ?? [];
  const quotaOf = (id: string, def: number) => quotas[id] ?? Math.min(def, available.get(id) ?? 0);
  const total = types.reduce((a, ty) => a + quotaOf(ty.id, ty.quota), 0);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const m = await createMock({
        date,
        profile,
        teams: teams.map((tm) => ({ name: tm.name.trim(), ...(tm.a.trim() || tm.b.trim() ? { members: [tm.a.trim(), tm.b.trim()] } : {}) })),
        quotas: Object.fromEntries(types.map((ty) => [ty.id, quotaOf(ty.id, ty.quota)])),
        ...(seed.trim() ? { seed: Number(seed) } : {}),
      });
      onCreated(m);
    } catch (err) {
      setError(describeError(err as Error, t));
    } finally {
      setBusy(false);
    }
  };

  if (catalog.error || counts.error) return <p className="detail-warning">{describeError((catalog.error ?? counts.error)!, t)}</p>;
  if (!catalog.data || !counts.data) return <p className="assessment-loading">{t('mock.loading')}</p>;
  return (
    <form
      className="mock-form"
      data-testid="mock-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="mock-form-row">
        <label>
          {t('mock.date')} <input type="date" value={date} required onChange={(e) => setDate(e.target.value)} data-testid="mock-date" />
        </label>
        <label>
          {t('mock.profile')}{' '}
          <select value={profile} onChange={(e) => setProfile(e.target.value as Profile)}>
            {PROFILES.map((p) => (
              <option key={p} value={p}>
                {t(`route.profile.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('mock.seed')} <input inputMode="numeric" pattern="\d*" value={seed} placeholder={t('mock.seedRandom')} onChange={(e) => setSeed(e.target.value)} />
        </label>
      </div>
      <fieldset>
        <legend>{t('mock.teams')}</legend>
        {teams.map((tm, i) => (
          <div className="mock-team" key={i}>
            <input
              aria-label={t('mock.teamName')}
              value={tm.name}
              required
              onChange={(e) => setTeams(teams.map((x, k) => (k === i ? { ...x, name: e.target.value } : x)))}
            />
            <input
              aria-label={t('mock.member', { n: 1 })}
              placeholder={t('mock.member', { n: 1 })}
              value={tm.a}
              onChange={(e) => setTeams(teams.map((x, k) => (k === i ? { ...x, a: e.target.value } : x)))}
            />
            <input
              aria-label={t('mock.member', { n: 2 })}
              placeholder={t('mock.member', { n: 2 })}
              value={tm.b}
              onChange={(e) => setTeams(teams.map((x, k) => (k === i ? { ...x, b: e.target.value } : x)))}
            />
            {teams.length > 1 && (
              <button type="button" className="link" onClick={() => setTeams(teams.filter((_, k) => k !== i))}>
                {t('mock.removeTeam')}
              </button>
            )}
          </div>
        ))}
        {teams.length < 10 && (
          <button
            type="button"
            className="link"
            onClick={() => setTeams([...teams, { name: t('mock.teamN', { n: teams.length + 1 }), a: '', b: '' }])}
            data-testid="mock-add-team"
          >
            {t('mock.addTeam')}
          </button>
        )}
      </fieldset>
      <fieldset>
        <legend>{t('mock.quotas', { n: total })}</legend>
        <div className="mock-quotas">
          {types.map((ty) => {
            const n = available.get(ty.id) ?? 0;
            return (
              <label key={ty.id} className={n === 0 ? 'muted' : undefined}>
                <span>{ty.zh}</span>
                <input
                  type="number"
                  min={0}
                  max={n}
                  value={quotaOf(ty.id, ty.quota)}
                  disabled={n === 0}
                  onChange={(e) => setQuotas({ ...quotas, [ty.id]: Math.max(0, Math.floor(Number(e.target.value) || 0)) })}
                  data-testid={`mock-quota-${ty.id}`}
                />
                <small>{n === 0 ? t('mock.noPoints') : t('mock.ofN', { n })}</small>
              </label>
            );
          })}
        </div>
      </fieldset>
      {error && (
        <p className="detail-warning" role="alert" data-testid="mock-error">
          {error}
        </p>
      )}
      <button type="submit" className="button primary" disabled={busy || total === 0} data-testid="mock-create">
        {busy ? t('mock.planning') : t('mock.create')}
      </button>
    </form>
  );
}

function MockDetail({ id, mayFinish, onChanged }: { id: string; mayFinish: boolean; onChanged: () => void }) {
  const { t } = useI18n();
  const mock = useRequest<Mock>((signal) => getMock(id, signal), [id]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (mock.error) return <p className="detail-warning">{describeError(mock.error, t)}</p>;
  if (!mock.data) return <p className="assessment-loading">{t('mock.loading')}</p>;
  const m = mock.data;
  const r = m.report;
  const urls = mockReportUrls(m.id);
  const finish = async () => {
    if (!window.confirm(t('mock.finishConfirm', { n: m.progress.planned - m.progress.checked }))) return;
    setBusy(true);
    try {
      await finishMock(m.id);
      onChanged();
    } catch (err) {
      setError(describeError(err as Error, t));
      setBusy(false);
    }
  };
  const teamName = (i: number | null) => (i === null ? t('mock.dropped') : (m.teams[i]?.name ?? String(i + 1)));
  return (
    <article className="mock-detail" data-testid="mock-detail">
      <header>
        <h3>{m.name}</h3>
        <small>
          {t('mock.meta', { date: m.date, version: m.catalogVersion, seed: m.seed, by: m.createdBy })} ·{' '}
          {m.teams.map((tm) => (tm.members.length ? `${tm.name}（${tm.members.join('、')}）` : tm.name)).join('；')}
        </small>
      </header>
      {r ? (
        <div className="mock-report" data-testid="mock-report">
          <p>
            {t('mock.result', {
              rate: formatRate(r.scoreRate),
              score: r.estimatedScore === null ? '—' : r.estimatedScore.toFixed(1),
              total: r.totalPoints,
              checked: r.checked,
              unchecked: r.unchecked,
            })}
            {r.previous && r.previous.scoreRate !== null && r.scoreRate !== null && (
              <>
                {' '}
                {t('mock.change', {
                  name: r.previous.name,
                  delta: `${r.scoreRate >= r.previous.scoreRate ? '+' : ''}${((r.scoreRate - r.previous.scoreRate) * 100).toFixed(1)}`,
                })}
              </>
            )}
          </p>
          <p>
            <a className="button" href={urls.print} target="_blank" rel="noreferrer" data-testid="mock-print">
              {t('mock.print')}
            </a>{' '}
            <a className="button" href={urls.xlsx} download data-testid="mock-xlsx">
              {t('mock.xlsx')}
            </a>{' '}
            <small>{t('mock.problems', { n: r.problems.filter((p) => p.created).length })}</small>
          </p>
          {r.deductions.length > 0 && (
            <ol className="mock-deductions">
              {r.deductions.slice(0, 10).map((d) => (
                <li key={d.itemId}>
                  <strong>{d.zh}</strong> <span className="assessment-lost">−{d.lost}</span>
                  <small>
                    {' '}
                    {d.typeName} · {d.places.map((p) => p.name).join('、')}
                  </small>
                </li>
              ))}
            </ol>
          )}
        </div>
      ) : (
        <p>
          {t('mock.walkOnField', { checked: m.progress.checked, planned: m.progress.planned, date: m.date })}{' '}
          {mayFinish && (
            <button type="button" className="button" disabled={busy} onClick={() => void finish()} data-testid="mock-finish">
              {t('mock.finish')}
            </button>
          )}
        </p>
      )}
      {error && <p className="detail-warning">{error}</p>}
      <table className="assessment-table">
        <thead>
          <tr>
            <th>{t('mock.point')}</th>
            <th>{t('mock.type')}</th>
            <th>{t('assess.by.subdistrict')}</th>
            <th>{t('mock.team')}</th>
            <th>{t('mock.checkedAt')}</th>
          </tr>
        </thead>
        <tbody>
          {m.points.map((p) => (
            <tr key={p.id}>
              <td>{p.name}</td>
              <td>{m.quotas.find((q) => q.typeId === p.typeId)?.typeName ?? p.typeId}</td>
              <td>{p.subdistrictName ?? '—'}</td>
              <td className={p.team === null ? 'warn' : undefined}>{teamName(p.team)}</td>
              <td>{p.checkedAt ? p.checkedAt.slice(5, 16).replace('T', ' ') : t('assess.unchecked')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}
