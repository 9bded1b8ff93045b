// The map page (being written): a choropleth of the municipalities for an indicator.
import { useI18n } from '../i18n';
import type { Location } from '../router';

export function MapPage(_props: { location: Location }) {
  const { t } = useI18n();
  return <h1 tabIndex={-1}>{t('map.nav')}</h1>;
}
