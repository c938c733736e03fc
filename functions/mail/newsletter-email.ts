import { campaignIn, countdownTo, isStanding, type Campaign } from '../domain/campaign.js';
import { summarise } from '../domain/checklist.js';
import type { NewsletterIssue } from '../domain/newsletter.js';
import { platformIn } from '../domain/platform.js';
import { formatLastMoment, textFor } from '../locales/index.js';
import { listFooter, type Reader } from './emails.js';
import type { Links } from './links.js';
import { renderCompiled, type RenderedEmail } from './render.js';

/**
 * One reader's copy of an issue, in the issue's language (its audience is that language's
 * readers). Besides the footer's values, an issue may use {{organisation}}, {{countdownText}},
 * {{lastMoment}} and {{platformsLeftText}} (the campaign's platforms still left on the reader's
 * list), worked out in the reader's time zone. Links stay as written: no tracking, no rewriting.
 */
export function newsletterEmail(issue: NewsletterIssue, source: Campaign, reader: Reader, links: Links, now: Date): RenderedEmail {
  const locale = issue.frontMatter.locale;
  const text = textFor(locale);
  const campaign = campaignIn(source, locale);
  const countdown = isStanding(campaign) ? undefined : countdownTo(campaign, now, reader.person.timeZone);
  const left = summarise(reader.checklist).left.filter((item) => campaign.platforms.includes(item.platform.id));
  return renderCompiled(issue, {
    organisation: campaign.organisation,
    countdownText: countdown ? text.countdown(countdown) : text.campaignForm.standing,
    lastMoment: countdown ? formatLastMoment(countdown, text) : '',
    platformsLeftText: text.listOf(left.map((item) => platformIn(item.platform, locale).name)),
    ...listFooter({ person: { ...reader.person, locale } }, links, text),
  });
}
