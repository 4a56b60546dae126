/**
 * Over plain HTTP at an address that is not localhost the browser withholds the GPS, the service worker
 * (offline copy, tile cache) and crypto.randomUUID. Instead of its bare error string the page says what
 * still works, what does not, and what to ask the administrator for.
 */
import { useI18n } from '../../app/use-i18n';

/** Whether the page may use the GPS and the service worker (HTTPS, or localhost). */
export const isSecurePage = (): boolean => window.isSecureContext;

export function InsecureNotice() {
  const { t } = useI18n();
  return (
    // Open at first: it is the answer to "why no position?"; the inspector may fold it to gain the screen.
    <details className="field-insecure" data-testid="field-insecure" open>
      <summary>{t('field.insecure.title')}</summary>
      <p>{t('field.insecure.works')}</p>
      <p>{t('field.insecure.worksNot')}</p>
      <p>{t('field.track.insecure')}</p>
      <p>
        <strong>{t('field.insecure.ask')}</strong>
      </p>
    </details>
  );
}
