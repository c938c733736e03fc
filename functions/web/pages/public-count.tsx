import type { PageLanguage } from './layout.js';

/** "N people have objected through optout-countdown", or nothing while there is no count to show. */
export function PublicCount(props: Pick<PageLanguage, 'text'> & { count?: number | undefined }) {
  if (props.count === undefined) return null;
  return <p class="public-count">{props.text.publicCount(new Intl.NumberFormat(props.text.intlLocale).format(props.count))}</p>;
}
