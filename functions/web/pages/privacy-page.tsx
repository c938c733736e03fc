import { campaignIn, isStanding, timeZoneOf, type Campaign } from '../../domain/campaign.js';
import { personalDataExpiry } from '../../domain/retention.js';
import { formatDay } from '../../locales/index.js';
import { MessagePage, type PageLanguage } from './layout.js';

/** What is stored, why, for how long, and how to delete it; linked from the form, every page and every list email. */
export function PrivacyPage(props: PageLanguage & { pendingDays: number; graceDays: number; campaigns: readonly Campaign[] }) {
  const { privacy } = props.text;
  return (
    <MessagePage title={privacy.title} text={props.text} locale={props.locale} switchPath="/privacy">
      <p>{privacy.intro}</p>
      <h2>{privacy.whatHeading}</h2>
      <ul>
        {privacy.what.map((line) => (
          <li>{line}</li>
        ))}
      </ul>
      <h2>{privacy.howLongHeading}</h2>
      <ul>
        {privacy.howLong(props.pendingDays, props.graceDays).map((line) => (
          <li>{line}</li>
        ))}
        {props.campaigns.filter((source) => !isStanding(source)).map((source) => {
          const campaign = campaignIn(source, props.locale);
          // The earliest erasure, for someone who confirmed before the deadline.
          const day = formatDay(personalDataExpiry(campaign, props.graceDays, new Date(0)).toISOString(), timeZoneOf(campaign), props.text);
          return <li>{privacy.erasedOn(campaign.title, day)}</li>;
        })}
        {/* A standing campaign has no erasure day: its data goes a grace period after its last reminder. */}
        {props.campaigns.filter(isStanding).map((source) => {
          const campaign = campaignIn(source, props.locale);
          const days = Math.max(...campaign.reminderDaysAfterConfirm) + props.graceDays;
          return <li>{props.text.campaignForm.erasedAfterConfirm(campaign.title, days)}</li>;
        })}
      </ul>
      <h2>{privacy.neverHeading}</h2>
      <p>{privacy.never}</p>
      <h2>{privacy.rightsHeading}</h2>
      <p>{privacy.rights}</p>
    </MessagePage>
  );
}
