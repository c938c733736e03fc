import { campaignIn, countdownTo, isStanding, type Campaign } from '../domain/campaign.js';
import { DEFAULT_LOCALE, pathIn, type Locale } from '../domain/locale.js';
import { formatDay, formatLastMoment, textFor, type Text } from '../locales/index.js';
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

  /** The privacy page, in the reader's language. */
  privacy(locale: Locale = DEFAULT_LOCALE): string {
    return `${this.publicUrl}${pathIn('/privacy', locale)}`;
  }
}

type EmailSubscriber = Pick<Subscriber, 'id' | 'platforms' | 'objections' | 'timeZone' | 'locale' | 'confirmedAt'>;

/** What every email of one subscriber shares: their language, the campaign in it, the countdown. */
function basics(source: Campaign, subscriber: EmailSubscriber, now: Date) {
  const text = textFor(subscriber.locale);
  const campaign = campaignIn(source, subscriber.locale);
  // A standing campaign has no deadline: "switch it off now" stands where the countdown would.
  const countdown = isStanding(campaign) ? { daysLeft: 0, passed: false } : countdownTo(campaign, now, subscriber.timeZone);
  const deadlineSentence = 'lastMoment' in countdown ? text.deadlineSentence(campaign.organisation, formatLastMoment(countdown, text), countdown.passed) : text.campaignForm.standingHint;
  return { text, campaign, countdown, countdownText: 'lastMoment' in countdown ? text.countdown(countdown) : text.campaignForm.standing, deadlineSentence, lang: subscriber.locale };
}

/** The double opt-in email: one link, nothing the person typed. */
export function confirmEmail(source: Campaign, subscriber: EmailSubscriber, links: Links, now: Date): RenderedEmail {
  const { text, campaign, deadlineSentence, lang } = basics(source, subscriber, now);
  const words = text.email.confirm;
  return renderEmail('confirm', {
    lang,
    subject: words.subject(campaign.title),
    preview: words.preview,
    heading: words.heading,
    intro: words.intro(campaign.title),
    deadlineSentence,
    confirmUrl: links.to('confirm', subscriber.id),
    button: words.button,
    ignore: words.ignore(PENDING_LIFETIME_DAYS),
  });
}

/** The guide for each picked platform not yet done, with its "I've objected" button. */
function platformGuides(campaign: Campaign, subscriber: EmailSubscriber, links: Links, text: Text) {
  const left = new Set(platformsLeft(subscriber));
  return campaign.platforms
    .filter((platform) => left.has(platform.id))
    .map((platform) => ({
      name: platform.name,
      formUrl: platform.formUrl,
      linkLabel: platform.action === 'setting' ? text.email.guide.setting : text.email.guide.form,
      // Numbered here too, for the plain-text part, where no list element numbers them.
      steps: platform.steps.map((step, index) => ({ n: index + 1, text: step })),
      note: platform.note,
      doneMeans: platform.doneMeans,
      objectedUrl: links.objected(subscriber.id, platform.id),
      objectedButton: text.email.guide.objectedButton(platform.name),
    }));
}

/** The words around the guides: labels, then the list footer. */
function guideAndFooterWords(campaign: Campaign, subscriber: EmailSubscriber, links: Links, text: Text) {
  return { guideDoneMeans: text.email.guide.doneMeans, ...listFooter(campaign, subscriber, links, text) };
}

/**
 * What the footer partial of every list email (reminders and newsletters) says: why the reader
 * gets it, and how to change their preferences, leave, or read the privacy page.
 */
export function listFooter(campaign: Campaign, subscriber: Pick<Subscriber, 'id' | 'timeZone' | 'locale' | 'confirmedAt'>, links: Links, text: Text) {
  const confirmedOn = subscriber.confirmedAt ? formatDay(subscriber.confirmedAt, subscriber.timeZone, text) : '';
  return {
    footerWhy: text.email.footer.why(campaign.title, confirmedOn),
    footerPreferences: text.email.footer.preferences,
    footerUnsubscribe: text.email.footer.unsubscribe,
    footerPrivacy: text.email.footer.privacy,
    preferencesUrl: links.to('preferences', subscriber.id),
    unsubscribeUrl: links.to('unsubscribe', subscriber.id),
    privacyUrl: links.privacy(subscriber.locale),
  };
}

/** The welcome email: countdown, then a guide per picked platform, then the list footer. */
export function welcomeEmail(source: Campaign, subscriber: EmailSubscriber, links: Links, now: Date): RenderedEmail {
  const { text, campaign, countdown, countdownText, deadlineSentence, lang } = basics(source, subscriber, now);
  const words = text.email.welcome;
  return renderEmail('welcome', {
    lang,
    subject: words.subject(countdownText, campaign.organisation),
    preview: words.preview(countdownText),
    countdownText,
    deadlineSentence,
    summary: campaign.summary,
    deadlinePassed: countdown.passed,
    afterDeadline: campaign.afterDeadline,
    guidesIntro: words.guidesIntro,
    platforms: platformGuides(campaign, subscriber, links, text),
    ...guideAndFooterWords(campaign, subscriber, links, text),
  });
}

/**
 * A countdown email: a reminder listing only the platforms not yet done, or the one note after
 * the deadline. The days left are worked out at send time, in the reader's zone.
 */
export function countdownEmail(
  source: Campaign,
  subscriber: EmailSubscriber,
  links: Links,
  now: Date,
  kind: 'reminder' | 'after-deadline',
): RenderedEmail {
  const { text, campaign, countdownText, deadlineSentence, lang } = basics(source, subscriber, now);
  const platforms = platformGuides(campaign, subscriber, links, text);
  const platformsLeftText = platforms.map((p) => p.name).join(', ');
  const common = { lang, countdownText, deadlineSentence, platformsLeftText, platforms, ...guideAndFooterWords(campaign, subscriber, links, text) };
  if (kind === 'reminder') {
    const words = text.email.reminder;
    return renderEmail('reminder', {
      ...common,
      subject: words.subject(countdownText, campaign.organisation),
      preview: words.preview(platformsLeftText),
      stillToDo: words.stillToDo,
      hint: words.hint,
    });
  }
  const words = text.email.afterDeadline;
  return renderEmail('after-deadline', {
    ...common,
    subject: words.subject(campaign.organisation),
    preview: words.preview,
    heading: words.heading,
    afterDeadline: campaign.afterDeadline,
    stillOpen: words.stillOpen,
    lastEmail: words.lastEmail(campaign.title),
  });
}
