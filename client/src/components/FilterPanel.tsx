/**
 * The problem filters: reported date range, categories, statuses (with 超期 overdue), district (in a city
 * of several), subdistrict,
 * responsible unit and 网格 (when the city has grids), and how many problems match.
 */
import type { Meta, ProblemCount } from '../api/types';
import { describeError } from '../app/describe-error';
import { useI18n } from '../app/use-i18n';
import type { RequestState } from '../app/use-request';
import { EMPTY_FILTERS, isEmptyFilters, isIsoDate, STATUS_FILTERS, toggleValue, type ProblemFilters } from '../lib/filters';
import { formatCount } from '../lib/format';
import { STATUS_COLORS } from '../map/map-style';

interface FilterPanelProps {
  meta: Meta;
  filters: ProblemFilters;
  onChange: (filters: ProblemFilters) => void;
  count: RequestState<ProblemCount>;
  datesValid: boolean;
}

/** Filter form; every change applies at once (the map and the count follow). */
export function FilterPanel({ meta, filters, onChange, count, datesValid }: FilterPanelProps) {
  const { t, lang } = useI18n();
  const set = (patch: Partial<ProblemFilters>) => onChange({ ...filters, ...patch });
  const range = meta.problemTimeRange;
  const minDate = range?.from.slice(0, 10);
  const maxDate = range?.to.slice(0, 10);

  const district = filters.districts.length === 1 ? filters.districts[0] : '';
  const subdistrict = filters.subdistricts.length === 1 ? filters.subdistricts[0] : '';
  // With one district chosen, offer its subdistricts and units; with one subdistrict, its own units and the district-wide ones.
  const inDistrict = (sd: string | null) => !district || meta.subdistricts.find((s) => s.id === sd)?.districtId === district;
  const subdistricts = meta.subdistricts.filter((s) => !district || s.districtId === district);
  const unitFits = (u: Meta['units'][number], sd: string, d: string) =>
    (!d || u.districtId === d) && (!sd || u.subdistrictId === sd || u.subdistrictId === null);
  const units = meta.units.filter((u) => unitFits(u, subdistrict, district));
  const grids = meta.grids.filter((g) => (!subdistrict || g.subdistrictId === subdistrict) && inDistrict(g.subdistrictId));

  return (
    <section className="panel-section filter-panel" aria-labelledby="filters-title">
      <header className="section-header">
        <h2 id="filters-title">{t('filters.title')}</h2>
        {!isEmptyFilters(filters) && (
          <button type="button" className="link" onClick={() => onChange(EMPTY_FILTERS)} data-testid="filters-reset">
            {t('filters.reset')}
          </button>
        )}
      </header>

      <div className="count" aria-live="polite" data-testid="problem-count">
        {!datesValid ? (
          <p className="count-warning">{t('filters.dateOrder')}</p>
        ) : count.error ? (
          <p className="count-warning">{describeError(count.error, t)}</p>
        ) : count.data && count.data.total === 0 && !count.loading ? (
          <p className="count-empty">{t('filters.empty')}</p>
        ) : count.data ? (
          <div className={count.loading ? 'count-stale' : ''}>
            <p className="count-total">{t('filters.count', { n: formatCount(count.data.total, lang) })}</p>
            <p className="count-detail">
              {t('filters.countDetail', { open: formatCount(count.data.open, lang), overdue: formatCount(count.data.overdue, lang) })}
            </p>
          </div>
        ) : (
          <p className="count-detail">{t('filters.counting')}</p>
        )}
      </div>

      <fieldset className="field-group">
        <legend>{t('filters.date')}</legend>
        <div className="date-range">
          <label>
            <span>{t('filters.from')}</span>
            <input
              type="date"
              name="from"
              value={filters.from ?? ''}
              min={minDate}
              max={maxDate}
              onChange={(e) => set({ from: isIsoDate(e.target.value) ? e.target.value : null })}
            />
          </label>
          <label>
            <span>{t('filters.to')}</span>
            <input
              type="date"
              name="to"
              value={filters.to ?? ''}
              min={minDate}
              max={maxDate}
              onChange={(e) => set({ to: isIsoDate(e.target.value) ? e.target.value : null })}
            />
          </label>
        </div>
      </fieldset>

      <fieldset className="field-group">
        <legend>{t('filters.status')}</legend>
        <div className="chips">
          {STATUS_FILTERS.map((s) => (
            <button
              key={s}
              type="button"
              className="chip"
              aria-pressed={filters.statuses.includes(s)}
              data-status={s}
              onClick={() => set({ statuses: toggleValue(filters.statuses, s) })}
            >
              <span className="dot" style={{ background: STATUS_COLORS[s] }} aria-hidden="true" />
              {t(`status.${s}`)}
            </button>
          ))}
        </div>
      </fieldset>

      <fieldset className="field-group">
        <legend>
          {t('filters.category')}
          {filters.categories.length > 0 && <small> · {t('filters.selected', { n: filters.categories.length })}</small>}
        </legend>
        <div className="chips chips-scroll">
          {meta.categories.map((c) => (
            <button
              key={c.id}
              type="button"
              className="chip"
              aria-pressed={filters.categories.includes(c.id)}
              data-category={c.id}
              onClick={() => set({ categories: toggleValue(filters.categories, c.id) })}
            >
              <span className="dot" style={{ background: c.color }} aria-hidden="true" />
              {lang === 'zh' ? c.zh : c.en}
            </button>
          ))}
        </div>
      </fieldset>

      <div className="field-row">
        {meta.districts.length > 1 && (
          <ListSelect
            label={t('filters.district')}
            name="district"
            chosen={filters.districts}
            options={meta.districts}
            onChange={(next) => {
              const d = next[0] ?? '';
              // A subdistrict, unit or grid of another district would make the filters contradict each other.
              const keepSubdistricts = filters.subdistricts.filter((id) => !d || meta.subdistricts.find((s) => s.id === id)?.districtId === d);
              const keepUnits = filters.units.filter((id) => !d || meta.units.find((u) => u.id === id)?.districtId === d);
              const keepGrids = filters.grids.filter((id) => {
                const sd = meta.grids.find((g) => g.id === id)?.subdistrictId ?? null;
                return !d || meta.subdistricts.find((s) => s.id === sd)?.districtId === d;
              });
              set({ districts: next, subdistricts: keepSubdistricts, units: keepUnits, grids: keepGrids });
            }}
          />
        )}
        <ListSelect
          label={t('filters.subdistrict')}
          name="subdistrict"
          chosen={filters.subdistricts}
          options={subdistricts}
          onChange={(next) => {
            const v = next[0];
            // A unit or grid of another subdistrict would make the filters contradict each other.
            const keepUnits = filters.units.filter((id) => {
              const u = meta.units.find((x) => x.id === id);
              return !v || !u || u.subdistrictId === v || u.subdistrictId === null;
            });
            const keepGrids = filters.grids.filter((id) => !v || meta.grids.find((g) => g.id === id)?.subdistrictId === v);
            set({ subdistricts: next, units: keepUnits, grids: keepGrids });
          }}
        />
        <ListSelect label={t('filters.unit')} name="unit" chosen={filters.units} options={units} onChange={(next) => set({ units: next })} />
        {meta.grids.length > 0 && (
          <ListSelect label={t('filters.grid')} name="grid" chosen={filters.grids} options={grids} onChange={(next) => set({ grids: next })} />
        )}
      </div>
    </section>
  );
}

/**
 * One list filter as a select: all, or one of `options`; a list of several (from a link) shows as
 * "n selected" until one is chosen.
 */
function ListSelect({
  label,
  name,
  chosen,
  options,
  onChange,
}: {
  label: string;
  name: string;
  chosen: readonly string[];
  options: readonly { id: string; name: string }[];
  onChange: (ids: string[]) => void;
}) {
  const { t } = useI18n();
  return (
    <label className="select-field">
      <span>{label}</span>
      <select name={name} value={chosen.length > 1 ? '__many' : (chosen[0] ?? '')} onChange={(e) => onChange(e.target.value ? [e.target.value] : [])}>
        <option value="">{t('filters.all')}</option>
        {chosen.length > 1 && (
          <option value="__many" disabled>
            {t('filters.selected', { n: chosen.length })}
          </option>
        )}
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </label>
  );
}
