import { DateTime } from 'luxon';
import type { Campaign } from '../../domain/campaign.js';
import { personalDataExpiry } from '../../domain/retention.js';
import { MessagePage } from './layout.js';

/** What is stored, why, for how long, and how to delete it; linked from the form, every page and every list email. */
export function PrivacyPage(props: { pendingDays: number; graceDays: number; campaigns: readonly Campaign[] }) {
  return (
    <MessagePage title="Privacy">
      <p>optout-countdown exists to help you keep your data out of AI training, so it keeps as little of yours as it can.</p>
      <h2>What we store, and why</h2>
      <ul>
        <li>Your email address: to send the guide, the reminders and the occasional newsletter about the same campaign.</li>
        <li>The platforms you picked and which ones you marked as done: so each reminder lists only what is left.</li>
        <li>Your time zone and language: so reminders arrive in your morning, in your language.</li>
        <li>When you agreed and to which version of the consent text: the law asks us to be able to prove consent.</li>
        <li>Which emails went out to you (ids and dates, not their content): so that no email is sent to you twice.</li>
      </ul>
      <h2>For how long</h2>
      <ul>
        <li>An unconfirmed sign-up is deleted after {props.pendingDays} days.</li>
        <li>
          Once a campaign is over, we erase everything about its subscribers automatically, {props.graceDays} days after its deadline (or after you
          confirmed, if you signed up later): long enough for the note after the deadline and any last newsletter.
          {props.campaigns.length > 0 ? (
            <>
              {' '}
              For{' '}
              {props.campaigns.map((campaign, index) => (
                <>
                  {index > 0 ? ', ' : ''}
                  {`${campaign.title} that is ${DateTime.fromJSDate(personalDataExpiry(campaign, props.graceDays, new Date(0)), { zone: campaign.deadline.timeZone }).setLocale('en-GB').toFormat('d LLLL yyyy')}`}
                </>
              ))}
              .
            </>
          ) : null}
        </li>
        <li>When you unsubscribe or press "Delete my data", your data is erased at once. We keep only a keyed fingerprint (hash) of your address, the date and the reason, so that we never email you again unless you sign up anew.</li>
        <li>We keep counts per day (how many signed up, confirmed, objected, received an email, bounced): numbers only, with nothing that points to you.</li>
      </ul>
      <h2>What we never do</h2>
      <p>No tracking pixels, no rewritten links, no advertising, no sharing. Newsletters are plain emails like the reminders: we do not know whether you opened them. Your IP address is used, scrambled, only to slow down abuse and is not kept.</p>
      <h2>Your rights</h2>
      <p>Every email has a link to your preferences page: download everything we store as a file, change it, or delete it. Every email also has a one-click unsubscribe link, which erases your data at once.</p>
    </MessagePage>
  );
}
