import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { timeZoneOf, type Campaign } from '../domain/campaign.js';
import type { NewsletterIssue } from '../domain/newsletter.js';
import type { Reader } from '../mail/emails.js';
import { Links } from '../mail/links.js';
import { Messages, type Addressed } from '../mail/messages.js';
import { createSesClient, LocalSesTransport, SesTransport } from '../mail/send.js';
import { campaignOfIssue } from './newsletter-send.js';

/**
 * One test copy of an issue to the operator, marked "[Test]" in the subject, sent at once: it
 * goes to an address that is no subscriber's, so there is no person to write a mail job for. Its
 * footer links are signed for no subscriber, so they lead to "this link no longer works". Writes
 * and counts nothing. Only `npm run newsletter -- test` sends it; no handler or scheduled run does.
 *
 * @example
 * await sendTestCopy(issue, 'me@example.org', { config, campaigns, clock });
 */
export async function sendTestCopy(
  issue: NewsletterIssue,
  to: string,
  deps: { config: Pick<Config, 'AWS_REGION' | 'SES_ENDPOINT' | 'MAIL_FROM' | 'PUBLIC_URL' | 'SIGNING_SECRET'>; campaigns: readonly Campaign[]; clock: Clock },
): Promise<void> {
  const { config } = deps;
  const campaign = campaignOfIssue(issue, deps.campaigns);
  const now = deps.clock();
  const ses = createSesClient({ region: config.AWS_REGION, endpoint: config.SES_ENDPOINT });
  const transport = config.SES_ENDPOINT ? new LocalSesTransport(ses, config.SES_ENDPOINT) : new SesTransport(ses);
  const messages = new Messages(config.MAIL_FROM, new Links(config.PUBLIC_URL, config.SIGNING_SECRET));
  const reader: Addressed<Reader> = {
    person: { id: 'test-copy'.padEnd(43, '0'), generation: 'test-copy', email: to, locale: issue.frontMatter.locale, timeZone: timeZoneOf(campaign) },
    campaignId: campaign.id,
    platforms: campaign.platforms.map((platform) => platform.id),
    objections: {},
    confirmedAt: now.toISOString(),
  };
  try {
    await transport.sendRaw((await messages.newsletter(issue, campaign, reader, now, { subjectPrefix: '[Test] ' })).raw);
  } finally {
    ses.destroy();
  }
}
