import { countdownTo, describeCountdown, describeLastMoment, type Campaign } from '../domain/campaign.js';
import type { NewsletterIssue } from '../domain/newsletter.js';
import { platformsLeft, type Subscriber } from '../domain/subscriber.js';
import type { Links } from './emails.js';
import { renderCompiled, type RenderedEmail } from './render.js';

type NewsletterReader = Pick<Subscriber, 'id' | 'platforms' | 'objections' | 'timeZone' | 'confirmedAt'>;

/**
 * One reader's copy of an issue. Besides the footer's values, an issue may use
 * {{organisation}}, {{countdownText}}, {{lastMoment}} and {{platformsLeftText}}, worked out in the
 * reader's time zone. Links stay as written: no tracking, no rewriting.
 */
export function newsletterEmail(issue: NewsletterIssue, campaign: Campaign, reader: NewsletterReader, links: Links, now: Date): RenderedEmail {
  const countdown = countdownTo(campaign, now, reader.timeZone);
  const names = new Map(campaign.platforms.map((platform) => [platform.id, platform.name]));
  return renderCompiled(issue, {
    organisation: campaign.organisation,
    countdownText: describeCountdown(countdown),
    lastMoment: describeLastMoment(countdown),
    platformsLeftText: platformsLeft(reader).map((id) => names.get(id) ?? id).join(', '),
    // The same values as the reminders' footer (emails.ts), for the same footer partial.
    campaignTitle: campaign.title,
    confirmedOn: (reader.confirmedAt ?? '').slice(0, 10),
    preferencesUrl: links.to('preferences', reader.id),
    unsubscribeUrl: links.to('unsubscribe', reader.id),
    privacyUrl: links.privacy(),
  });
}
