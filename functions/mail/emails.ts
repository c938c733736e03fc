import type { Campaign } from '../domain/campaign.js';
import { countdownTo, describeCountdown, describeLastMoment } from '../domain/campaign.js';
import { PENDING_LIFETIME_DAYS, platformsLeft, type Subscriber } from '../domain/subscriber.js';
import { signToken, type TokenPurpose } from '../domain/token.js';
import type { PlatformId } from '../domain/platform.js';
import { renderEmail, type RenderedEmail } from './render.js';

/** Builds the signed links of one subscriber's emails and pages. */
export class Links {
  constructor(
    private readonly publicUrl: string,
    private readonly secret: string,
  ) {}

  to(purpose: Exclude<TokenPurpose, 'objected'>, subscriberId: string): string {
    return `${this.publicUrl}/${purpose}/${signToken(this.secret, { purpose, subscriberId })}`;
  }

  objected(subscriberId: string, platform: PlatformId): string {
    return `${this.publicUrl}/objected/${signToken(this.secret, { purpose: 'objected', subscriberId, platform })}`;
  }

  privacy(): string {
    return `${this.publicUrl}/privacy`;
  }
}

type EmailSubscriber = Pick<Subscriber, 'id' | 'platforms' | 'objections' | 'timeZone' | 'confirmedAt'>;

function deadlineSentence(campaign: Campaign, now: Date, timeZone: string): string {
  const countdown = countdownTo(campaign, now, timeZone);
  const lastMoment = describeLastMoment(countdown);
  return countdown.passed
    ? `The deadline to object to ${campaign.organisation} using your data was ${lastMoment}.`
    : `You can object to ${campaign.organisation} using your data until ${lastMoment}.`;
}

/** The double opt-in email: one link, nothing the person typed. */
export function confirmEmail(campaign: Campaign, subscriber: EmailSubscriber, links: Links, now: Date): RenderedEmail {
  return renderEmail('confirm', {
    campaignTitle: campaign.title,
    deadlineSentence: deadlineSentence(campaign, now, subscriber.timeZone),
    confirmUrl: links.to('confirm', subscriber.id),
    pendingDays: PENDING_LIFETIME_DAYS,
  });
}

/** The guide for each picked platform not yet done, with its "I've objected" button. */
function platformGuides(campaign: Campaign, subscriber: EmailSubscriber, links: Links) {
  const left = new Set(platformsLeft(subscriber));
  return campaign.platforms
    .filter((platform) => left.has(platform.id))
    .map((platform) => ({
      name: platform.name,
      formUrl: platform.formUrl,
      // Numbered here too, for the plain-text part, where no list element numbers them.
      steps: platform.steps.map((text, index) => ({ n: index + 1, text })),
      note: platform.note,
      doneMeans: platform.doneMeans,
      objectedUrl: links.objected(subscriber.id, platform.id),
    }));
}

/** The welcome email: countdown, then a guide per picked platform, then the list footer. */
export function welcomeEmail(campaign: Campaign, subscriber: EmailSubscriber, links: Links, now: Date): RenderedEmail {
  const countdown = countdownTo(campaign, now, subscriber.timeZone);
  return renderEmail('welcome', {
    organisation: campaign.organisation,
    summary: campaign.summary,
    countdownText: describeCountdown(countdown),
    deadlineSentence: deadlineSentence(campaign, now, subscriber.timeZone),
    deadlinePassed: countdown.passed,
    afterDeadline: campaign.afterDeadline,
    platforms: platformGuides(campaign, subscriber, links),
    ...listFooter(campaign, subscriber, links),
  });
}

/**
 * A countdown email: a reminder listing only the platforms not yet done, or the one note after
 * the deadline. The days left are worked out at send time, in the reader's zone.
 */
export function countdownEmail(
  campaign: Campaign,
  subscriber: EmailSubscriber,
  links: Links,
  now: Date,
  kind: 'reminder' | 'after-deadline',
): RenderedEmail {
  const countdown = countdownTo(campaign, now, subscriber.timeZone);
  const platforms = platformGuides(campaign, subscriber, links);
  return renderEmail(kind, {
    organisation: campaign.organisation,
    countdownText: describeCountdown(countdown),
    deadlineSentence: deadlineSentence(campaign, now, subscriber.timeZone),
    afterDeadline: campaign.afterDeadline,
    platformsLeftText: platforms.map((p) => p.name).join(', '),
    platforms,
    ...listFooter(campaign, subscriber, links),
  });
}

/** What every list email's footer says: why the reader gets it, and how to change or leave. */
function listFooter(campaign: Campaign, subscriber: EmailSubscriber, links: Links) {
  return {
    campaignTitle: campaign.title,
    confirmedOn: (subscriber.confirmedAt ?? '').slice(0, 10),
    preferencesUrl: links.to('preferences', subscriber.id),
    unsubscribeUrl: links.to('unsubscribe', subscriber.id),
    privacyUrl: links.privacy(),
  };
}
