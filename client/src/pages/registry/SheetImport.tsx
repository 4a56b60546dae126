/**
 * 导入点位信息表: the sheet the clerk exported and edited by hand comes back; 合并地图数据: a newer OSM
 * extract (or GeoJSON) is merged into the registry. First a dry run lists what it would add, change, move
 * and retire; only "apply" writes, and then every change is a registry edit with its history entry. A
 * refused sheet names the row to fix; a map file's points the registry refuses are listed, left out.
 */
import { useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { importRegistrySheet } from '../../api/places';
import type { CallResult } from '../../api/http';
import { describeError } from '../../app/describe-error';
import type { Lang } from '../../app/i18n';
import { useI18n } from '../../app/use-i18n';
import { REGISTRY_FIELD_NAMES, type RegistryField } from '../../../../server/contract/registry';
import { REGISTRY_MAP_EXTENSIONS } from '../../../../server/contract/registry';

type Result = CallResult<'POST /api/places/import'>;
type Step = { at: 'checking' | 'applying'; file: File } | { at: 'preview' | 'done'; file: File; result: Result } | { at: 'failed'; file: File; error: Error };

/** Rows listed in the dialog; the counts above cover them all. */
const SHOWN = 100;

export function SheetImport({
  mode,
  lang,
  kindName,
  subdistrictName,
  subdistrictCount,
  onApplied,
}: {
  /** sheet: the 点位信息表 (.xlsx); map: map data merged (.osm, .osm.pbf, .geojson). */
  mode: 'sheet' | 'map';
  lang: Lang;
  kindName: (kind: string) => string;
  subdistrictName: (id: string) => string;
  subdistrictCount: number;
  onApplied: () => void;
}) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [step, setStep] = useState<Step | null>(null);

  const run = async (file: File, dryRun: boolean) => {
    setStep({ at: dryRun ? 'checking' : 'applying', file });
    try {
      const result = await importRegistrySheet(file, dryRun);
      setStep({ at: dryRun ? 'preview' : 'done', file, result });
      if (!dryRun) onApplied();
    } catch (error) {
      setStep({ at: 'failed', file, error: error instanceof Error ? error : new Error(String(error)) });
    }
  };
  const close = () => {
    setStep(null);
    if (input.current) input.current.value = '';
  };
  const fieldName = (f: string) => (f in REGISTRY_FIELD_NAMES ? REGISTRY_FIELD_NAMES[f as RegistryField][lang] : f);

  const map = mode === 'map';
  const result = step && 'result' in step ? step.result : null;
  const nothing = result !== null && result.changes.length === 0;
  return (
    <>
      <label className="button registry-import-button" title={map ? t('registry.mergeHint') : undefined}>
        {t(map ? 'registry.merge' : 'registry.import')}
        <input
          ref={input}
          type="file"
          accept={map ? REGISTRY_MAP_EXTENSIONS.join(',') : '.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'}
          data-testid={map ? 'registry-merge-file' : 'registry-import-file'}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void run(file, true);
          }}
        />
      </label>
      {/* On the body: inside the sidebar the dialog would sit under the map's panels. */}
      {step &&
        createPortal(
          <div className="dialog-backdrop" role="presentation">
            <div className="dialog registry-import" role="dialog" aria-modal="true" aria-labelledby="registry-import-title" data-testid="registry-import">
              <h2 id="registry-import-title">
                {t(step.at === 'done' ? (map ? 'registry.mergeDone' : 'registry.importDone') : map ? 'registry.mergeTitle' : 'registry.importTitle')}
              </h2>
              <p className="hint">{step.file.name}</p>
              {(step.at === 'checking' || step.at === 'applying') && (
                <p role="status">{t(step.at === 'checking' ? (map ? 'registry.mergeChecking' : 'registry.importChecking') : 'registry.importApplying')}</p>
              )}
              {step.at === 'failed' && (
                <p className="form-error" role="alert" data-testid="registry-import-error">
                  {describeError(step.error, t)}
                </p>
              )}
              {result && (
                <>
                  <p role="status" data-testid="registry-import-counts">
                    {t(map ? 'registry.mergeCounts' : 'registry.importCounts', {
                      rows: result.rows,
                      added: result.added,
                      changed: result.changed,
                      moved: result.moved,
                      retired: result.retired,
                      unchanged: result.unchanged,
                    })}
                  </p>
                  {map && step.at === 'preview' && <p className="hint">{t('registry.mergeScope', { kept: result.kept })}</p>}
                  {!map && result.retiresMissing && step.at === 'preview' && (
                    <p className="hint">
                      {t('registry.importScope', {
                        kinds: result.scope.kinds.map(kindName).join('、'),
                        where:
                          result.scope.subdistrictIds.length >= subdistrictCount
                            ? t('registry.importWholeCity')
                            : result.scope.subdistrictIds.map(subdistrictName).join('、'),
                      })}
                    </p>
                  )}
                  {nothing && <p>{t(map ? 'registry.mergeNothing' : 'registry.importNothing')}</p>}
                  {result.changes.length > 0 && (
                    <ol className="registry-import-list">
                      {result.changes.slice(0, SHOWN).map((c, i) => (
                        <li key={i} className={`change-${c.action}`}>
                          <span className="registry-import-action">{t(`registry.change.${c.action}`)}</span> {c.name}
                          <span className="registry-meta">
                            {c.row !== null ? t('registry.importRow', { n: c.row }) : map ? kindName(c.kind) : t('registry.importNotInSheet')}
                            {c.action === 'update' || c.action === 'restore'
                              ? ` · ${c.fields.map(fieldName).join('、')}${c.movedM !== null ? ` ${t('registry.movedBy', { m: Math.round(c.movedM) })}` : ''}`
                              : map
                                ? ''
                                : ` · ${kindName(c.kind)}`}
                          </span>
                        </li>
                      ))}
                    </ol>
                  )}
                  {result.changes.length > SHOWN && <p className="hint">{t('registry.more', { n: SHOWN, total: result.changes.length })}</p>}
                  {result.skipped.length > 0 && (
                    <details className="registry-import-skipped" data-testid="registry-import-skipped">
                      <summary>{t('registry.mergeSkipped', { n: result.skipped.length })}</summary>
                      <ul>
                        {result.skipped.slice(0, SHOWN).map((s, i) => (
                          <li key={i}>
                            {s.name} <span className="registry-meta">{s.reason}</span>
                          </li>
                        ))}
                      </ul>
                    </details>
                  )}
                </>
              )}
              <div className="dialog-actions">
                {step.at === 'preview' && !nothing && (
                  <button type="button" className="primary" data-testid="registry-import-apply" onClick={() => void run(step.file, false)}>
                    {t('registry.importApply', { n: step.result.changes.length })}
                  </button>
                )}
                <button type="button" onClick={close} disabled={step.at === 'applying'}>
                  {step.at === 'preview' ? t('registry.cancel') : t('panel.close')}
                </button>
              </div>
            </div>
          </div>,
          document.body,
        )}
    </>
  );
}
