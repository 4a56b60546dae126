/** What the admin panels share: running a write and showing its refusal in the panel. */
import { useState } from 'react';
import { describeError } from '../../app/describe-error';
import { useI18n } from '../../app/use-i18n';

export interface AdminAction {
  /** The last action's refusal, as a sentence for the panel's banner; null when it succeeded. */
  error: string | null;
  /** Runs `action`, then `after` (reload the list) when it succeeded; a failure becomes `error`. */
  run(action: () => Promise<unknown>, after: () => void): Promise<void>;
  clear(): void;
}

/** A panel's write runner: one error banner per panel, cleared when the next action starts. */
export function useAdminAction(): AdminAction {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>, after: () => void) => {
    setError(null);
    try {
      await action();
      after();
    } catch (err) {
      setError(err instanceof Error ? describeError(err, t) : String(err));
    }
  };
  return { error, run, clear: () => setError(null) };
}
