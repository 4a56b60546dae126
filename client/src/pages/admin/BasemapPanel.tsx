import { useState, type FormEvent } from 'react';
import { getBasemap, removeBasemap, setBasemap, type BasemapChoice } from '../../api/basemap';
import type { BasemapSetting } from '../../../../server/contract/basemap';
import { AMAP_TEMPLATE, TIANDITU_ATTRIBUTION } from '../../../../server/contract/basemap-tiles';
import { describeError } from '../../app/describe-error';
import { ErrorBanner } from '../../app/ErrorBanner';
import type { MessageKey } from '../../app/i18n';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import { formatCityTime } from '../../lib/format';
import { useAdminAction } from './use-admin';

type Kind = 'none' | 'tianditu' | 'xyz' | 'gcj02';
const KINDS: readonly Kind[] = ['none', 'tianditu', 'xyz', 'gcj02'];

/** The form's fields as typed (strings), whatever kind is picked: switching kinds keeps what was typed. */
interface Form {
  kind: Kind;
  token: string;
  layer: 'vec' | 'img';
  url: string;
  subdomains: string;
  attribution: string;
  maxzoom: string;
}

function formOf(s: BasemapSetting | undefined): Form {
  const blank: Form = { kind: 'none', token: '', layer: 'vec', url: '', subdomains: '', attribution: '', maxzoom: '18' };
  if (!s) return blank;
  if (s.kind === 'tianditu') return { ...blank, kind: 'tianditu', token: s.token, layer: s.layer };
  return { ...blank, kind: s.kind, url: s.url, subdomains: (s.subdomains ?? []).join(', '), attribution: s.attribution, maxzoom: String(s.maxzoom) };
}

/** What the form sends; the server checks it and says what is wrong. */
function choiceOf(f: Form): BasemapChoice | null {
  if (f.kind === 'none') return null;
  if (f.kind === 'tianditu') return { kind: 'tianditu', token: f.token, layer: f.layer };
  const subdomains = f.subdomains
    .split(/[,，\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return { kind: f.kind, url: f.url, attribution: f.attribution, maxzoom: Number(f.maxzoom), ...(subdomains.length ? { subdomains } : {}) };
}

function describeSetting(s: BasemapSetting, t: (key: MessageKey, params?: Record<string, string | number>) => string): string {
  if (!s) return t('admin.basemap.none');
  const at = formatCityTime(s.updatedAt) ?? s.updatedAt;
  if (s.kind === 'tianditu') return t('admin.basemap.currentTianditu', { layer: t(`admin.basemap.layer.${s.layer}`), at });
  return t(s.kind === 'gcj02' ? 'admin.basemap.currentGcj02' : 'admin.basemap.currentXyz', { url: s.url, at });
}

/**
 * The online basemap (issue 15): none (the default: the city's own vector tiles, nothing asked of
 * another site), 天地图 with the city's key, a WMTS/XYZ service the city runs, or a GCJ-02 one (高德/腾讯). Maps opened after a
 * change draw the new one; the server's CSP allows exactly its origins.
 */
export function BasemapPanel() {
  const { t } = useI18n();
  const current = useRequest(getBasemap, []);
  const action = useAdminAction();
  const [form, setForm] = useState<Form | null>(null);
  const shown = form ?? formOf(current.data);
  const set = (patch: Partial<Form>) => setForm({ ...shown, ...patch });
  const done = () => {
    setForm(null);
    current.retry();
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    const choice = choiceOf(shown);
    void action.run(() => (choice ? setBasemap(choice) : removeBasemap()), done);
  };
  return (
    <section aria-labelledby="admin-basemap" data-testid="admin-basemap">
      <h2 id="admin-basemap">{t('admin.basemap.title')}</h2>
      <p className="muted">{t('admin.basemap.help')}</p>
      {action.error && <ErrorBanner messages={[action.error]} onDismiss={action.clear} />}
      {current.error && <ErrorBanner messages={[describeError(current.error, t)]} onRetry={current.retry} />}
      {current.data !== undefined && <p role="status">{describeSetting(current.data, t)}</p>}
      <form className="admin-form" onSubmit={save}>
        <fieldset>
          <legend>{t('admin.basemap.kind')}</legend>
          {KINDS.map((k) => (
            <label key={k}>
              <input type="radio" name="basemap-kind" value={k} checked={shown.kind === k} onChange={() => set({ kind: k })} /> {t(`admin.basemap.kind.${k}`)}
            </label>
          ))}
        </fieldset>
        {shown.kind === 'tianditu' && (
          <>
            <label>
              {t('admin.basemap.token')}{' '}
              <input value={shown.token} onChange={(e) => set({ token: e.target.value })} maxLength={64} required spellCheck={false} autoComplete="off" />
            </label>
            <label>
              {t('admin.basemap.layer')}{' '}
              <select value={shown.layer} onChange={(e) => set({ layer: e.target.value === 'img' ? 'img' : 'vec' })}>
                <option value="vec">{t('admin.basemap.layer.vec')}</option>
                <option value="img">{t('admin.basemap.layer.img')}</option>
              </select>
            </label>
            <p className="muted">{t('admin.basemap.tiandituHelp', { credit: TIANDITU_ATTRIBUTION })}</p>
          </>
        )}
        {(shown.kind === 'xyz' || shown.kind === 'gcj02') && (
          <>
            <label>
              {t('admin.basemap.url')}{' '}
              <input
                value={shown.url}
                onChange={(e) => set({ url: e.target.value })}
                placeholder={shown.kind === 'gcj02' ? AMAP_TEMPLATE : 'https://tiles.example.gov.cn/{z}/{x}/{y}.png'}
                size={48}
                maxLength={500}
                required
                spellCheck={false}
              />
            </label>
            <label>
              {t('admin.basemap.subdomains')} <input value={shown.subdomains} onChange={(e) => set({ subdomains: e.target.value })} placeholder="a, b, c" />
            </label>
            <label>
              {t('admin.basemap.attribution')}{' '}
              <input value={shown.attribution} onChange={(e) => set({ attribution: e.target.value })} maxLength={120} required />
            </label>
            <label>
              {t('admin.basemap.maxzoom')}{' '}
              <input type="number" min={1} max={22} value={shown.maxzoom} onChange={(e) => set({ maxzoom: e.target.value })} required />
            </label>
            <p className="muted">{t(shown.kind === 'gcj02' ? 'admin.basemap.gcj02Help' : 'admin.basemap.xyzHelp')}</p>
          </>
        )}
        <button type="submit" className="login-submit">
          {t('admin.basemap.save')}
        </button>
      </form>
    </section>
  );
}
