import { ApiError } from '../api';
import { useI18n, type Translator } from '../i18n';

/** A failure in words for the reader; the technical detail goes to the console. */
export function describeError(t: Translator['t'], error: unknown): string {
  if (error instanceof ApiError) {
    switch (error.kind) {
      case 'network':
        return t('error.network');
      case 'http':
        return t('error.http', {
          status: error.status ?? '?',
          code: error.code ? `, ${error.code}` : '',
        });
      case 'parse':
        return t('error.parse');
    }
  }
  return String(error);
}

interface Props {
  messages: string[];
  onRetry?: () => void;
}

/** The visible alert region of a page; renders nothing without messages. */
export function ErrorAlert({ messages, onRetry }: Props) {
  const { t } = useI18n();
  if (messages.length === 0) return null;
  return (
    <div class="alert" role="alert" data-testid="error-alert">
      <p class="alert-title">{t('error.title')}</p>
      <ul>
        {messages.map((message) => (
          <li key={message}>{message}</li>
        ))}
      </ul>
      {onRetry && (
        <button type="button" class="button" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}
