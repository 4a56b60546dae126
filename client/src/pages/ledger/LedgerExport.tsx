/**
 * The ledger's two export buttons. An export is fetched rather than followed as a link, so the page can
 * say what happens: how much has arrived while a large one streams, a cancel button (which stops the
 * export on the server), and why it failed — the server busy with other exports (503, "try again in
 * about N s"), a session gone — where a link would only show "download failed" in the browser's bar.
 */
import { useEffect, useRef, useState } from 'react';
import { isAbortError } from '../../api/client';
import { downloadLedgerExport, type LedgerQuery } from '../../api/ledger';
import { describeError } from '../../app/describe-error';
import { useI18n } from '../../app/use-i18n';
import { formatBytes } from '../../lib/format';

type Format = 'xlsx' | 'csv';
type State = { kind: 'idle' } | { kind: 'running'; format: Format; bytes: number } | { kind: 'failed'; message: string };

export function LedgerExport({ query }: { query: LedgerQuery }) {
  const { t } = useI18n();
  const [state, setState] = useState<State>({ kind: 'idle' });
  const running = useRef<AbortController | null>(null);
  // Leaving the page stops a running export on the server too.
  useEffect(() => () => running.current?.abort(), []);

  const start = (format: Format) => {
    running.current?.abort();
    const controller = new AbortController();
    running.current = controller;
    setState({ kind: 'running', format, bytes: 0 });
    downloadLedgerExport(query, format, controller.signal, (bytes) => setState({ kind: 'running', format, bytes })).then(
      () => setState({ kind: 'idle' }),
      (err: Error) => setState(isAbortError(err) ? { kind: 'idle' } : { kind: 'failed', message: t('ledger.exportFailed', { reason: describeError(err, t) }) }),
    );
  };
  const busy = state.kind === 'running';
  return (
    <>
      <button type="button" className="button" onClick={() => start('xlsx')} disabled={busy} data-testid="export-xlsx">
        {t('ledger.exportXlsx')}
      </button>
      <button type="button" className="button" onClick={() => start('csv')} disabled={busy} data-testid="export-csv">
        {t('ledger.exportCsv')}
      </button>
      {state.kind === 'running' && (
        <>
          <span className="ledger-total" role="status" data-testid="export-progress">
            {t('ledger.exporting', { format: state.format === 'xlsx' ? 'Excel' : 'CSV', size: formatBytes(state.bytes) })}
          </span>
          <button type="button" onClick={() => running.current?.abort()}>
            {t('ledger.exportCancel')}
          </button>
        </>
      )}
      {state.kind === 'failed' && (
        <span className="ledger-total detail-warning" role="alert" data-testid="export-error">
          {state.message}
        </span>
      )}
    </>
  );
}
