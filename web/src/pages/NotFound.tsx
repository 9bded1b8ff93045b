import { useI18n } from '../i18n';
import { hrefFor, Link } from '../router';

export function NotFoundPage() {
  const { t, lang } = useI18n();
  return (
    <>
      <h1 tabIndex={-1}>{t('notFound.title')}</h1>
      <p>{t('notFound.text')}</p>
      <p>
        <Link href={hrefFor('/', lang)}>{t('notFound.back')}</Link>
      </p>
    </>
  );
}
