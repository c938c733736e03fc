import { campaignIn, countdownTo, deadlineOf, type Campaign } from '../domain/campaign.js';
import { summarise, type ChecklistItem } from '../domain/checklist.js';
import { PENDING_LIFETIME_DAYS, type Person } from '../domain/person.js';
import { platformIn } from '../domain/platform.js';
import type { Morning } from '../domain/schedule.js';
import { WATCH_ANSWER_DAYS } from '../domain/watch.js';
import { formatDay, formatLastMoment, textFor, type Text } from '../locales/index.js';
import type { Links, PersonRef } from './links.js';
import { renderEmail, type RenderedEmail } from './render.js';

/** Whom a list email is for: the person (with the address it goes to) and their checklist as it stands today. */
export interface Reader {
  person: PersonRef & Pick<Person, 'email' | 'timeZone' | 'locale' | 'confirmedAt'>;
  checklist: readonly ChecklistItem[];
}

/** Who reads an email: their zone and language are all most words need. */
type ReaderOf = { person: Pick<Person, 'timeZone' | 'locale'> };

/** A platform's name in the reader's language. */
const nameOf = (item: ChecklistItem, reader: ReaderOf) => platformIn(item.platform, reader.person.locale).name;

/** The countdown of an open deadline in the reader's zone, e.g. "3 days left: you can object until …". */
function countdownWords(campaign: Campaign, reader: ReaderOf, text: Text, now: Date) {
  const countdown = countdownTo(campaign, now, reader.person.timeZone);
  return { countdown, countdownText: text.countdown(countdown), sentence: text.email.guide.countdown(text.countdown(countdown), formatLastMoment(countdown, text)) };
}

/**
 * What an email says about one platform: today's action in one line (an open deadline's countdown
 * first), the history of a deadline that passed in one sentence, the link, the steps, and the
 * button that marks it done.
 */
function platformGuide(item: ChecklistItem, reader: Reader, links: Links, text: Text, now: Date) {
  const platform = platformIn(item.platform, reader.person.locale);
  const { action } = item;
  const today = action.kind === 'deadline' ? countdownWords(action.campaign, reader, text, now).sentence : platform.today;
  const history = action.kind !== 'deadline' && action.history ? campaignIn(action.history, reader.person.locale).afterDeadline : undefined;
  return {
    name: platform.name,
    today,
    history,
    outdated: item.markOutdated ? text.email.guide.markOutdated : undefined,
    formUrl: platform.url,
    linkLabel: platform.action === 'form' ? text.email.guide.form : text.email.guide.setting,
    // Numbered here too, for the plain-text part, where no list element numbers them.
    steps: platform.steps.map((step, index) => ({ n: index + 1, text: step })),
    note: platform.note,
    doneMeans: platform.doneMeans,
    objectedUrl: links.objected(reader.person, platform.id),
    objectedButton: platform.action === 'limit' ? text.email.guide.doneButton(platform.name) : text.email.guide.objectedButton(platform.name),
  };
}

/** The first open deadline among the items, for the calendar link. */
function calendarOf(items: readonly ChecklistItem[], reader: Reader, links: Links, text: Text, now: Date) {
  const open = items.map((item) => item.action).find((action) => action.kind === 'deadline' && (deadlineOf(action.campaign)?.getTime() ?? 0) > now.getTime());
  return open && open.kind === 'deadline' ? { calendarUrl: links.calendar(reader.person, open.campaign.id), calendarLabel: text.calendar.addLink } : {};
}

/**
 * What the footer partial of every list email says: why the reader gets it, and how to change
 * their list and preferences, leave, or read the privacy page.
 */
export function listFooter(reader: Pick<Reader, 'person'>, links: Links, text: Text) {
  const confirmedOn = reader.person.confirmedAt ? formatDay(reader.person.confirmedAt, reader.person.timeZone, text) : '';
  return {
    footerWhy: text.email.footer.why(confirmedOn),
    footerPreferences: text.email.footer.preferences,
    footerUnsubscribe: text.email.footer.unsubscribe,
    footerPrivacy: text.email.footer.privacy,
    preferencesUrl: links.preferences(reader.person),
    unsubscribeUrl: links.unsubscribe(reader.person),
    privacyUrl: links.privacy(reader.person.locale),
  };
}

/**
 * The double opt-in email: one button that confirms everything waiting (the platforms, and the
 * watch if asked for), and nothing the person typed.
 */
export function confirmEmail(
  person: PersonRef & Pick<Person, 'timeZone' | 'locale'>,
  waiting: readonly ChecklistItem[],
  watchAsked: boolean,
  links: Links,
  now: Date,
): RenderedEmail {
  const text = textFor(person.locale);
  const words = text.email.confirm;
  const names = waiting.map((item) => nameOf(item, { person }));
  const deadlines = waiting
    .map((item) => item.action)
    .filter((action) => action.kind === 'deadline')
    .map((action) => (action.kind === 'deadline' ? countdownWords(action.campaign, { person }, text, now).sentence : ''));
  return renderEmail('confirm', {
    lang: person.locale,
    subject: names.length ? words.subject(text.email.names(names)) : words.subjectWatch,
    preview: words.preview,
    heading: words.heading,
    intro: names.length ? words.intro(text.listOf(names)) : words.introWatch,
    deadlineSentence: [...new Set(deadlines)].join(' ') + (names.length && watchAsked ? ` ${words.watchToo}` : ''),
    confirmUrl: links.confirm(person),
    button: words.button,
    ignore: words.ignore(PENDING_LIFETIME_DAYS),
  });
}

/** The guides of the platforms that just joined the person's list, each with today's action. */
export function welcomeEmail(reader: Reader, guides: readonly ChecklistItem[], links: Links, now: Date): RenderedEmail {
  const text = textFor(reader.person.locale);
  const words = text.email.welcome;
  const names = guides.map((item) => nameOf(item, reader));
  return renderEmail('welcome', {
    lang: reader.person.locale,
    subject: words.subject(text.email.names(names)),
    preview: words.preview,
    heading: words.heading,
    intro: words.intro,
    platforms: guides.map((item) => platformGuide(item, reader, links, text, now)),
    guideDoneMeans: text.email.guide.doneMeans,
    ...calendarOf(guides, reader, links, text, now),
    ...listFooter(reader, links, text),
  });
}

/**
 * The morning's one email: every platform left with today's action, the nearest deadline first,
 * and what is done already. Worked out at send time, so a deadline that passed overnight is told
 * as history, never as something to act before.
 */
export function morningEmail(reader: Reader, _morning: Morning, links: Links, now: Date): RenderedEmail {
  const text = textFor(reader.person.locale);
  const words = text.email.morning;
  const { left, done } = summarise(reader.checklist);
  const leftNames = left.map((item) => nameOf(item, reader));
  const first = left[0];
  const subject =
    first && first.action.kind === 'deadline'
      ? words.subjectDeadline(countdownWords(first.action.campaign, reader, text, now).countdownText, nameOf(first, reader))
      : words.subject(text.email.names(leftNames));
  return renderEmail('morning', {
    lang: reader.person.locale,
    subject,
    preview: words.preview(text.listOf(leftNames)),
    heading: words.heading,
    intro: words.intro(text.listOf(leftNames)),
    doneLine: done.length ? words.done(text.listOf(done.map((item) => nameOf(item, reader)))) : '',
    platforms: left.map((item) => platformGuide(item, reader, links, text, now)),
    guideDoneMeans: text.email.guide.doneMeans,
    ...calendarOf(left, reader, links, text, now),
    ...listFooter(reader, links, text),
  });
}

/**
 * The announcement to a watcher: a new deadline opened for platforms they use; their reminders
 * count down to it from now on.
 */
export function announcementEmail(reader: Reader, source: Campaign, links: Links, now: Date): RenderedEmail {
  const text = textFor(reader.person.locale);
  const words = text.email.announcement;
  const campaign = campaignIn(source, reader.person.locale);
  const items = reader.checklist.filter((item) => campaign.platforms.includes(item.platform.id));
  const names = text.listOf(items.map((item) => nameOf(item, reader)));
  const { countdownText, sentence } = countdownWords(campaign, reader, text, now);
  return renderEmail('announcement', {
    lang: reader.person.locale,
    subject: words.subject(campaign.organisation, countdownText),
    preview: words.preview(names),
    heading: words.heading(campaign.organisation),
    why: words.why(names),
    countdownText,
    deadlineSentence: sentence,
    summary: campaign.summary,
    guidesIntro: words.guidesIntro,
    platforms: items.map((item) => platformGuide(item, reader, links, text, now)),
    guideDoneMeans: text.email.guide.doneMeans,
    notForMeIntro: words.notForMeIntro,
    notForMe: words.notForMe,
    notForMeUrl: links.preferences(reader.person),
    ...calendarOf(items, reader, links, text, now),
    ...listFooter(reader, links, text),
  });
}

/** The yearly question to a watcher with nothing left to remind them of: keep watching, with one button, or be erased in a month. */
export function keepWatchingEmail(person: PersonRef & Pick<Person, 'timeZone' | 'locale' | 'platforms'>, links: Links, now: Date): RenderedEmail {
  const text = textFor(person.locale);
  const words = text.email.keepWatching;
  const answerBy = formatDay(new Date(now.getTime() + WATCH_ANSWER_DAYS * 86_400_000).toISOString(), person.timeZone, text);
  return renderEmail('keep-watching', {
    lang: person.locale,
    subject: words.subject,
    preview: words.preview(answerBy),
    heading: words.heading,
    intro: words.intro(text.listOf(person.platforms.filter((p) => p.state === 'active').map((p) => p.id))),
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
