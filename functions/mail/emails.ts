import { campaignIn, countdownTo, deadlineOf, isStanding, type Campaign } from '../domain/campaign.js';
import { formatDay, formatLastMoment, textFor, type Text } from '../locales/index.js';
import { PENDING_LIFETIME_DAYS, type Person } from '../domain/person.js';
import { platformsLeft, type Subscription } from '../domain/subscription.js';
import { WATCH_ANSWER_DAYS } from '../domain/watch.js';
import type { PlatformId } from '../domain/platform.js';
import { renderEmail, type RenderedEmail } from './render.js';
import type { Links, PersonRef } from './links.js';

/** One person as an email of one campaign sees them: their subscription's platforms, their zone and language. */
export interface Reader {
  person: PersonRef & Pick<Person, 'timeZone' | 'locale'>;
  campaignId: string;
  platforms: PlatformId[];
  objections: Subscription['objections'];
  confirmedAt?: string | undefined;
}

/** The reader of a person's subscription. */
export function readerOf(person: Person, subscription: Subscription): Reader {
  return {
    person,
    campaignId: subscription.campaignId,
    platforms: subscription.platforms,
    objections: subscription.objections,
    confirmedAt: subscription.confirmedAt,
  };
}

/** What every email of one subscriber shares: their language, the campaign in it, the countdown. */
function basics(source: Campaign, reader: Pick<Reader, 'person'>, now: Date) {
  const { locale, timeZone } = reader.person;
  const text = textFor(locale);
  const campaign = campaignIn(source, locale);
  // A standing campaign has no deadline: "switch it off now" stands where the countdown would.
  const countdown = isStanding(campaign) ? { daysLeft: 0, passed: false } : countdownTo(campaign, now, timeZone);
  const deadlineSentence =
    'lastMoment' in countdown ? text.deadlineSentence(campaign.organisation, formatLastMoment(countdown, text), countdown.passed) : text.campaignForm.standingHint;
  const countdownText = 'lastMoment' in countdown ? text.countdown(countdown) : text.campaignForm.standing;
  return { text, campaign, countdown, countdownText, deadlineSentence, lang: locale };
}

/**
 * The double opt-in email of one sign-up: one button that confirms every campaign it joined, and
 * nothing the person typed.
 */
export function confirmEmail(sources: readonly Campaign[], person: PersonRef & Pick<Person, 'timeZone' | 'locale'>, links: Links, now: Date): RenderedEmail {
  const [first] = sources;
  if (!first) throw new Error('A confirmation email needs at least one campaign.');
  const all = sources.map((source) => basics(source, { person }, now));
  const { text, lang } = all[0] as (typeof all)[number];
  const words = text.email.confirm;
  const titles = text.listOf(all.map(({ campaign }) => campaign.title));
  return renderEmail('confirm', {
    lang,
    subject: all.length === 1 ? words.subject(titles) : words.subjectSeveral(all.length),
    preview: words.preview,
    heading: words.heading,
    intro: words.intro(titles),
    deadlineSentence: all.map((basic) => basic.deadlineSentence).join(' '),
    confirmUrl: links.confirm(person),
    button: words.button,
    ignore: words.ignore(PENDING_LIFETIME_DAYS),
  });
}

/** The guide for each picked platform not yet done, with its "I've objected" button. */
function platformGuides(campaign: Campaign, reader: Reader, links: Links, text: Text) {
  const left = new Set(platformsLeft(reader));
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
      objectedUrl: links.objected(reader.person, reader.campaignId, platform.id),
      objectedButton: text.email.guide.objectedButton(platform.name),
    }));
}

/** The words around the guides: labels, then the list footer. */
function guideAndFooterWords(campaign: Campaign, reader: Reader, links: Links, text: Text, now: Date) {
  // Only an open deadline goes in a calendar.
  const deadline = deadlineOf(campaign);
  const calendar = deadline && deadline.getTime() > now.getTime() ? { calendarUrl: links.calendar(reader.person, reader.campaignId), calendarLabel: text.calendar.addLink } : {};
  return { guideDoneMeans: text.email.guide.doneMeans, ...calendar, ...listFooter(campaign, reader, links, text) };
}

/**
 * What the footer partial of every list email (reminders and newsletters) says: why the reader
 * gets it, and how to change their preferences, leave, or read the privacy page.
 */
export function listFooter(campaign: Campaign, reader: Pick<Reader, 'person' | 'campaignId' | 'confirmedAt'>, links: Links, text: Text) {
  const confirmedOn = reader.confirmedAt ? formatDay(reader.confirmedAt, reader.person.timeZone, text) : '';
  return {
    footerWhy: text.email.footer.why(campaign.title, confirmedOn),
    footerPreferences: text.email.footer.preferences,
    footerUnsubscribe: text.email.footer.unsubscribe,
    footerPrivacy: text.email.footer.privacy,
    preferencesUrl: links.preferences(reader.person),
    unsubscribeUrl: links.unsubscribe(reader.person, reader.campaignId),
    privacyUrl: links.privacy(reader.person.locale),
  };
}

/** The welcome email: countdown, then a guide per picked platform, then the list footer. */
export function welcomeEmail(source: Campaign, reader: Reader, links: Links, now: Date): RenderedEmail {
  const { text, campaign, countdown, countdownText, deadlineSentence, lang } = basics(source, reader, now);
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
    platforms: platformGuides(campaign, reader, links, text),
    ...guideAndFooterWords(campaign, reader, links, text, now),
  });
}

/**
 * A countdown email: a reminder listing only the platforms not yet done, or the one note after
 * the deadline. The days left are worked out at send time, in the reader's zone.
 */
export function countdownEmail(
  source: Campaign,
  reader: Reader,
  links: Links,
  now: Date,
  kind: 'reminder' | 'after-deadline',
): RenderedEmail {
  const { text, campaign, countdownText, deadlineSentence, lang } = basics(source, reader, now);
  const platforms = platformGuides(campaign, reader, links, text);
  const platformsLeftText = platforms.map((p) => p.name).join(', ');
  const common = { lang, countdownText, deadlineSentence, platformsLeftText, platforms, ...guideAndFooterWords(campaign, reader, links, text, now) };
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

/**
 * The announcement to a watcher: a new deadline opened for platforms they use; they are enrolled
 * and get its guide and countdown at once, with "not for me" to leave just this campaign.
 */
export function announcementEmail(source: Campaign, reader: Reader, links: Links, now: Date): RenderedEmail {
  const { text, campaign, countdownText, deadlineSentence, lang } = basics(source, reader, now);
  const words = text.email.announcement;
  const platforms = platformGuides(campaign, reader, links, text);
  const names = text.listOf(platforms.map((p) => p.name));
  return renderEmail('announcement', {
    lang,
    subject: words.subject(campaign.organisation, countdownText),
    preview: words.preview(names),
    heading: words.heading(campaign.organisation),
    why: words.why(names),
    countdownText,
    deadlineSentence,
    summary: campaign.summary,
    guidesIntro: words.guidesIntro,
    platforms,
    notForMeIntro: words.notForMeIntro,
    notForMe: words.notForMe,
    notForMeUrl: links.unsubscribe(reader.person, reader.campaignId),
    ...guideAndFooterWords(campaign, reader, links, text, now),
  });
}

/** The yearly question to a watcher with nothing running: keep watching, with one button, or be erased in a month. */
export function keepWatchingEmail(person: PersonRef & Pick<Person, 'timeZone' | 'locale' | 'platforms'>, links: Links, now: Date): RenderedEmail {
  const text = textFor(person.locale);
  const words = text.email.keepWatching;
  const answerBy = formatDay(new Date(now.getTime() + WATCH_ANSWER_DAYS * 86_400_000).toISOString(), person.timeZone, text);
  return renderEmail('keep-watching', {
    lang: person.locale,
    subject: words.subject,
    preview: words.preview(answerBy),
    heading: words.heading,
    intro: words.intro(person.platforms.join(', ')),
    erase: words.erase(answerBy),
    keepUrl: links.keepWatching(person),
    button: words.button,
    preferencesUrl: links.preferences(person),
    footerPreferences: text.email.footer.preferences,
    unsubscribeUrl: links.unsubscribe(person),
    footerUnsubscribe: text.email.footer.unsubscribe,
    privacyUrl: links.privacy(person.locale),
    footerPrivacy: text.email.footer.privacy,
    footerWhy: words.why,
  });
}
