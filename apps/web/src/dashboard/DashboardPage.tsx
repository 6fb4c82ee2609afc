import { useT } from '../i18n.js';

export function DashboardPage() {
  const t = useT();
  return (
    <section class="page">
      <h1>{t('nav.dashboard')}</h1>
    </section>
  );
}
