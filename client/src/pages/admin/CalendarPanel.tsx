import { useMemo, useState, type FormEvent } from 'react';
import type { CalendarYearOut } from '../../../../server/contract/calendar';
import { cityDay, cityMidnight, dayDate } from '../../../../server/contract/city-time';
import { calendarProblems, workCalendar, workingDaysInYear, type CalendarDay } from '../../../../server/contract/work-calendar';
import { getCalendar, resetCalendar, setCalendar } from '../../api/admin';
import { describeError } from '../../app/describe-error';
import { ErrorBanner } from '../../app/ErrorBanner';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import { formatCityTime } from '../../lib/format';
import { useAdminAction } from './use-admin';

interface Draft {
  holidays: CalendarDay[];
  workdays: CalendarDay[];
  hours: string;
  source: string;
}

const hoursText = (h: [string, string][]) => h.map(([a, b]) => `${a}-${b}`).join(', ');
/** `08:30-12:00, 14:00-17:30` → pairs; null when a part is not HH:MM-HH:MM. */
function parseHours(text: string): [string, string][] | null {
  const parts = text.split(/[,，;；\s]+/).filter(Boolean);
  const out: [string, string][] = [];
  for (const p of parts) {
    const m = /^(\d{1,2}:\d{2})[-–~—至](\d{1,2}:\d{2})$/.exec(p);
    if (!m) return null;
    out.push([m[1].padStart(5, '0'), m[2].padStart(5, '0')]);
  }
  return out.length ? out : null;
}

const isWeekend = (date: string) => {
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return wd === 0 || wd === 6;
};

/** Runs of consecutive days with the same name: `国庆节 10-01 至 10-07`. */
function runs(days: CalendarDay[]): { name: string; from: string; to: string; n: number }[] {
  const sorted = [...days].sort((a, b) => (a.date < b.date ? -1 : 1));
  const out: { name: string; from: string; to: string; n: number }[] = [];
  for (const d of sorted) {
    const last = out.at(-1);
    if (last && last.name === d.name && cityDay(cityMidnight(d.date)) === cityDay(cityMidnight(last.to)) + 1) {
      last.to = d.date;
      last.n++;
    } else out.push({ name: d.name, from: d.date, to: d.date, n: 1 });
  }
  return out;
}

/**
 * 工作日历: the year's statutory holidays and 调休 working weekends, which deadlines in 工作日 and 工作时 count
 * through. A click on a weekday makes it a day off, on a weekend day a working day, and again undoes it.
 */
export function CalendarPanel() {
  const { t, lang } = useI18n();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const current = useRequest((signal) => getCalendar(year, signal), [year]);
  const action = useAdminAction();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [name, setName] = useState('');
  const [saved, setSaved] = useState(false);
  const data: CalendarYearOut | null = current.data;
  const shown: Draft | null = useMemo(
    () => draft ?? (data ? { holidays: data.holidays, workdays: data.workdays, hours: hoursText(data.workHours), source: data.source } : null),
    [draft, data],
  );
  const hours = useMemo(() => (shown ? parseHours(shown.hours) : null), [shown]);

  const problems = useMemo(() => {
    if (!shown) return [];
    const p = calendarProblems({ year, holidays: shown.holidays, workdays: shown.workdays, workHours: hours ?? [], source: shown.source });
    const text = p.map((x) => ({ path: x.path, text: lang === 'zh' ? x.zh : x.message }));
    return hours ? text : [{ path: 'workHours', text: t('admin.calendar.badHours') }, ...text.filter((x) => !x.path.startsWith('workHours'))];
  }, [shown, hours, year, t, lang]);

  const workingDays = useMemo(() => {
    if (!shown) return 0;
    return workingDaysInYear(workCalendar([{ year, holidays: shown.holidays, workdays: shown.workdays, workHours: hours ?? [], source: '' }]), year);
  }, [shown, hours, year]);

  const edit = (next: Partial<Draft>) => {
    if (!shown) return;
    setSaved(false);
    setDraft({ ...shown, ...next });
  };
  const toggle = (date: string) => {
    if (!shown) return;
    const without = (list: CalendarDay[]) => list.filter((d) => d.date !== date);
    const listed = shown.holidays.some((d) => d.date === date) || shown.workdays.some((d) => d.date === date);
    if (listed) edit({ holidays: without(shown.holidays), workdays: without(shown.workdays) });
    else if (isWeekend(date)) edit({ workdays: [...shown.workdays, { date, name: name.trim() }] });
    else edit({ holidays: [...shown.holidays, { date, name: name.trim() }] });
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!shown || !hours || problems.length) return;
    void action.run(
      () => setCalendar(year, { holidays: shown.holidays, workdays: shown.workdays, workHours: hours, source: shown.source }),
      () => {
        setDraft(null);
        setSaved(true);
        current.retry();
      },
    );
  };
  const reset = () =>
    void action.run(
      () => resetCalendar(year),
      () => {
        setDraft(null);
        setSaved(false);
        current.retry();
      },
    );

  const kindOf = (date: string) =>
    shown?.holidays.some((d) => d.date === date) ? 'off' : shown?.workdays.some((d) => d.date === date) ? 'on' : isWeekend(date) ? 'weekend' : 'work';
  const nameOf = (date: string) => [...(shown?.holidays ?? []), ...(shown?.workdays ?? [])].find((d) => d.date === date)?.name ?? '';
  const weekdays = lang === 'zh' ? ['一', '二', '三', '四', '五', '六', '日'] : ['M', 'T', 'W', 'T', 'F', 'S', 'S'];

  return (
    <section aria-labelledby="admin-calendar" data-testid="admin-calendar">
      <h2 id="admin-calendar">{t('admin.calendar.title')}</h2>
      <p className="muted">{t('admin.calendar.help')}</p>
      {action.error && <ErrorBanner messages={[action.error]} onDismiss={action.clear} />}
      {current.error && <ErrorBanner messages={[describeError(current.error, t)]} onRetry={current.retry} />}
      <form className="admin-form calendar-form" onSubmit={save}>
        <label>
          {t('admin.calendar.year')}{' '}
          <select
            value={year}
            onChange={(e) => {
              setDraft(null);
              setSaved(false);
              setYear(Number(e.target.value));
            }}
            data-testid="calendar-year"
          >
            {[thisYear - 1, thisYear, thisYear + 1, thisYear + 2].map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
        <p role="status" data-testid="calendar-status">
          {current.loading && !data
            ? t('admin.calendar.loading')
            : data
              ? `${t(`admin.calendar.origin.${data.origin}`, { at: data.updatedAt ? (formatCityTime(data.updatedAt) ?? data.updatedAt) : '' })} ${t('admin.calendar.workingDays', { n: workingDays })}${draft ? ` ${t('admin.calendar.unsaved')}` : ''}${saved ? ` ${t('admin.calendar.saved')}` : ''}`
              : ''}
        </p>
        {shown && (
          <>
            <label>
              {t('admin.calendar.name')}{' '}
              <input
                value={name}
                maxLength={40}
                placeholder={t('admin.calendar.namePlaceholder')}
                onChange={(e) => setName(e.target.value)}
                data-testid="calendar-name"
              />
            </label>
            <p className="muted calendar-legend">
              <span className="cal-day off">1</span> {t('admin.calendar.legendOff')} <span className="cal-day on">1</span> {t('admin.calendar.legendOn')}{' '}
              <span className="cal-day weekend">1</span> {t('admin.calendar.legendWeekend')} — {t('admin.calendar.clickHelp')}
            </p>
            <div className="calendar-months">
              {Array.from({ length: 12 }, (_, m) => {
                const first = cityDay(cityMidnight(`${year}-${String(m + 1).padStart(2, '0')}-01`));
                const next = cityDay(cityMidnight(m === 11 ? `${year + 1}-01-01` : `${year}-${String(m + 2).padStart(2, '0')}-01`));
                const lead = (new Date(first * 86_400_000).getUTCDay() + 6) % 7;
                return (
                  <div key={m} className="calendar-month">
                    <div className="calendar-month-name">
                      {lang === 'zh' ? `${m + 1} 月` : new Date(Date.UTC(year, m, 1)).toLocaleString('en', { month: 'long', timeZone: 'UTC' })}
                    </div>
                    <div className="calendar-grid">
                      {weekdays.map((w, i) => (
                        <span key={`h${i}`} className="cal-head">
                          {w}
                        </span>
                      ))}
                      {Array.from({ length: lead }, (_, i) => (
                        <span key={`l${i}`} />
                      ))}
                      {Array.from({ length: next - first }, (_, i) => {
                        const date = dayDate(first + i);
                        const kind = kindOf(date);
                        const label = nameOf(date);
                        return (
                          <button
                            key={date}
                            type="button"
                            className={`cal-day ${kind}`}
                            title={`${date}${label ? ` ${label}` : ''} · ${t(`admin.calendar.kind.${kind}`)}`}
                            aria-pressed={kind === 'off' || kind === 'on'}
                            onClick={() => toggle(date)}
                            data-date={date}
                          >
                            {i + 1}
                            {/* The name starts with what is shown, as screen readers and voice control expect. */}
                            <span className="visually-hidden">
                              {' '}
                              {date} {t(`admin.calendar.kind.${kind}`)}
                              {label ? ` ${label}` : ''}
                            </span>
                          </button>
                        );
                      })}
                    </div>
                  </div>
                );
              })}
            </div>
            <div className="calendar-summary">
              <div>
                <h3>{t('admin.calendar.holidays')}</h3>
                <ul data-testid="calendar-holidays">
                  {runs(shown.holidays).map((r) => (
                    <li key={r.from}>
                      {r.name || t('admin.calendar.unnamed')}：{r.from.slice(5)}
                      {r.n > 1 ? ` ${t('admin.calendar.to')} ${r.to.slice(5)}（${t('admin.calendar.days', { n: r.n })}）` : ''}
                    </li>
                  ))}
                  {shown.holidays.length === 0 && <li className="muted">{t('admin.calendar.none')}</li>}
                </ul>
              </div>
              <div>
                <h3>{t('admin.calendar.workdays')}</h3>
                <ul data-testid="calendar-workdays">
                  {runs(shown.workdays).map((r) => (
                    <li key={r.from}>
                      {r.name || t('admin.calendar.unnamed')}：{r.from.slice(5)}
                      {r.n > 1 ? ` ${t('admin.calendar.to')} ${r.to.slice(5)}` : ''}
                    </li>
                  ))}
                  {shown.workdays.length === 0 && <li className="muted">{t('admin.calendar.none')}</li>}
                </ul>
              </div>
            </div>
            <label>
              {t('admin.calendar.hours')} <input value={shown.hours} onChange={(e) => edit({ hours: e.target.value })} data-testid="calendar-hours" />
            </label>
            <label>
              {t('admin.calendar.source')}{' '}
              <input value={shown.source} maxLength={300} onChange={(e) => edit({ source: e.target.value })} data-testid="calendar-source" />
            </label>
            {problems.length > 0 && (
              <ul className="form-problems" role="alert">
                {problems.map((p) => (
                  <li key={p.path}>{p.text}</li>
                ))}
              </ul>
            )}
            <div className="calendar-actions">
              <button type="submit" className="login-submit" disabled={!draft || problems.length > 0} data-testid="calendar-save">
                {t('admin.calendar.save')}
              </button>
              {draft && (
                <button type="button" onClick={() => setDraft(null)}>
                  {t('admin.calendar.discard')}
                </button>
              )}
              {data?.origin === 'edited' && !draft && (
                <button type="button" onClick={reset} data-testid="calendar-reset">
                  {t('admin.calendar.reset')}
                </button>
              )}
            </div>
          </>
        )}
      </form>
    </section>
  );
}
