import { useI18n } from './use-i18n';

/** A red banner listing what failed, with retry and dismiss when the caller offers them. */
export function ErrorBanner({ messages, onRetry, onDismiss }: { messages: string[]; onRetry?: () => void; onDismiss?: () => void }) {
  const { t } = useI18n();
  if (messages.length === 0) return null;
  return (
    <div className="error-banner" role="alert">
      <div className="error-banner-text">
        <strong>{t('error.title')}</strong>
        {messages.map((m) => (
          <span key={m}>{m}</span>
        ))}
      </div>
      <div className="error-banner-actions">
        {onRetry && (
          <button type="button" onClick={onRetry}>
            {t('error.retry')}
          </button>
        )}
        {onDismiss && (
          <button type="button" className="ghost" onClick={onDismiss} aria-label={t('error.dismiss')}>
            ×
          </button>
        )}
      </div>
    </div>
  );
}
