/**
 * 测评目录: the versions the city scores under, the one in force, and — for the administrator — the
 * round trip a clerk knows from spreadsheets: download the catalog as Excel, change points, items and
 * thresholds (or type in the province's variant), give it a new 版本 and 生效日期, import it.
 */
import { useRef, useState } from 'react';
import type { CatalogImported, CatalogResponse } from '../../../../server/contract/assessment';
import { catalogXlsxUrl, getAssessmentCatalog, importCatalog } from '../../api/assessment';
import { describeError } from '../../app/describe-error';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';

export function CatalogVersions({ mayImport }: { mayImport: boolean }) {
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const catalog = useRequest<CatalogResponse>((signal) => getAssessmentCatalog(signal), [version]);
  const file = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<CatalogImported | null>(null);
  const upload = async (f: File) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await importCatalog(f));
      setVersion((v) => v + 1);
    } catch (err) {
      setError(describeError(err as Error, t));
    } finally {
      setBusy(false);
      if (file.current) file.current.value = '';
    }
  };
  return (
    <section className="assessment-catalog" data-testid="assess-catalog">
      <header className="assessment-readiness-head">
        <h2>{t('catalog.title')}</h2>
        <a className="button" href={catalogXlsxUrl()} download data-testid="catalog-xlsx">
          {t('catalog.download')}
        </a>
        {mayImport && (
          <label className="button">
            {busy ? t('catalog.importing') : t('catalog.import')}
            <input
              ref={file}
              type="file"
              accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              hidden
              disabled={busy}
              onChange={(e) => e.target.files?.[0] && void upload(e.target.files[0])}
              data-testid="catalog-file"
            />
          </label>
        )}
      </header>
      {mayImport && <p className="assessment-hint">{t('catalog.hint')}</p>}
      {error && (
        <p className="detail-warning" role="alert" data-testid="catalog-error">
          {error}
        </p>
      )}
      {done && (
        <p className="assessment-ok" role="status" data-testid="catalog-done">
          {t('catalog.done', { version: done.version, from: done.effectiveFrom, types: done.pointTypes, items: done.items })}
        </p>
      )}
      {catalog.error && <p className="detail-warning">{describeError(catalog.error, t)}</p>}
      {catalog.data && (
        <ul className="assessment-versions">
          {catalog.data.versions.map((v) => (
            <li key={v.version} className={v.version === catalog.data!.inForce.version ? 'in-force' : undefined}>
              <strong>{v.version}</strong> {v.name.zh} · {t('catalog.from', { from: v.effectiveFrom })}
              {v.version === catalog.data!.inForce.version && <span className="assessment-badge">{t('catalog.inForce')}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
