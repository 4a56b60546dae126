import { ApiError } from '../../api/client';
import { describeError } from '../../app/describe-error';
import type { I18n } from '../../app/use-i18n';
import { planText } from '../../lib/plan-text';

/**
 * What the planner says when a call failed: a full worker queue (503 with Retry-After) as "busy, click
 * again in about N s" in the page's language; anything else as the app says it (the server's sentence,
 * or "cannot reach the server").
 */
export function planErrorMessage(err: Error, lang: 'zh' | 'en', t: I18n['t']): string {
  if (err instanceof ApiError && err.status === 503 && err.retryAfterS !== null) return planText(lang, 'busy', { s: err.retryAfterS });
  return describeError(err, t);
}
