import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { timeZoneOf, type Campaign } from '../domain/campaign.js';
import { checklistOf } from '../domain/checklist.js';
import type { NewsletterIssue } from '../domain/newsletter.js';
import type { Platform } from '../domain/platform.js';
import type { Reader } from '../mail/emails.js';
import { Links } from '../mail/links.js';
import { Messages } from '../mail/messages.js';
import { createSesClient, LocalSesTransport, SesTransport } from '../mail/send.js';
import { campaignOfIssue } from './newsletter-send.js';

/**
 * One test copy of an issue to the operator, marked "[Test]" in the subject, sent at once: it
 * goes to an address that is no subscriber's, so there is no person to write a mail job for. Its
 * footer links are signed for no subscriber, so they lead to "this link no longer works". Writes
 * and counts nothing. Only `npm run newsletter -- test` sends it; no handler or scheduled run does.
 *
 * @example
 * await sendTestCopy(issue, 'me@example.org', { config, campaigns, platforms, clock });
 */
export async function sendTestCopy(
  issue: NewsletterIssue,
  to: string,
  deps: { config: Pick<Config, 'AWS_REGION' | 'SES_ENDPOINT' | 'MAIL_FROM' | 'PUBLIC_URL' | 'SIGNING_SECRET'>; campaigns: readonly Campaign[]; platforms: readonly Platform[]; clock: Clock },
): Promise<void> {
  const { config } = deps;
  const campaign = campaignOfIssue(issue, deps.campaigns);
  const now = deps.clock();
  const ses = createSesClient({ region: config.AWS_REGION, endpoint: config.SES_ENDPOINT });
  const transport = config.SES_ENDPOINT ? new LocalSesTransport(ses, config.SES_ENDPOINT) : new SesTransport(ses);
  const messages = new Messages(config.MAIL_FROM, new Links(config.PUBLIC_URL, config.SIGNING_SECRET));
  const reader = sampleReader(issue, campaign, { ...deps, now, email: to });
  try {
    await transport.sendRaw((await messages.newsletter(issue, campaign, reader, now, { subjectPrefix: '[Test] ' })).raw);
  } finally {
    ses.destroy();
  }
}

/**
 * A made-up reader of an issue, for the test copy and the preview: someone who uses every platform
 * of the campaign, has done none yet, and reads the issue's language in the campaign's zone.
 */
export function sampleReader(
  issue: NewsletterIssue,
  campaign: Campaign,
  options: { campaigns: readonly Campaign[]; platforms: readonly Platform[]; now: Date; email: string },
): Reader {
  const at = options.now.toISOString();
  const platforms = campaign.platforms.map((id) => ({ id, state: 'active' as const, askedAt: at, addedAt: at }));
  return {
    person: { id: 'sample'.padEnd(43, '0'), generation: 'sample00', email: options.email, locale: issue.frontMatter.locale, timeZone: timeZoneOf(campaign), confirmedAt: at },
    checklist: checklistOf({ platforms }, options.platforms, options.campaigns, options.now),
  };
}
