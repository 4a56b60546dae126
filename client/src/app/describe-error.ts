import { ApiError } from '../api/client';
import type { I18n } from './use-i18n';

/** What to tell the user about a failed call: the server's sentence, or "cannot reach the server". */
export function describeError(err: Error, t: I18n['t']): string {
  if (err instanceof ApiError && err.status === 0) return t('error.network');
  return err.message;
}
