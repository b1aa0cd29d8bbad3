import { useEffect } from 'preact/hooks';
import { t } from '../i18n';

export function NotFound() {
  useEffect(() => {
    document.title = `${t('notFoundTitle')} · holodule`;
  }, []);
  return (
    <section class="not-found" aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t('notFoundTitle')}
      </h1>
      <p>{t('notFoundText')}</p>
      <a class="button" href="/">
        {t('backToToday')}
      </a>
    </section>
  );
}
