import { campaignIn, countdownTo, isOpen, type Campaign } from '../domain/campaign.js';
import { summarise, type ChecklistItem } from '../domain/checklist.js';
import type { Locale } from '../domain/locale.js';
import { PENDING_LIFETIME_DAYS, type Person } from '../domain/person.js';
import { inFormOrder, platformIn, type Platform } from '../domain/platform.js';
import type { Morning } from '../domain/schedule.js';
import { WATCH_ANSWER_DAYS } from '../domain/watch.js';
import { formatDay, formatLastMoment, textFor, type Text } from '../locales/index.js';
import { platforms as catalog } from '../platforms.js';
import type { Links, PersonRef } from './links.js';
import { renderEmail, type RenderedEmail, type TemplateName } from './render.js';

/** Whom a list email is for: the person (with the address it goes to) and their checklist as it stands today. */
export interface Reader {
  person: PersonRef & Pick<Person, 'email' | 'timeZone' | 'locale' | 'confirmedAt'>;
  checklist: readonly ChecklistItem[];
}

/** Who reads an email: their links, zone and language are all most words need. */
type Addressee = PersonRef & Pick<Person, 'timeZone' | 'locale'>;

/** Subjects stay under this length: longer ones are cut off in most inboxes. */
export const SUBJECT_LIMIT = 70;

/**
 * Renders one email; its plain-text part loses the blank lines that a section left empty leaves
 * (a guide without a note, a morning without a deadline).
 */
function render(name: TemplateName, view: object): RenderedEmail {
  const email = renderEmail(name, view);
  return { ...email, text: `${email.text.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim()}\n` };
}

/** A platform's name in the reader's language. */
const nameOf = (item: ChecklistItem, locale: Locale) => platformIn(item.platform, locale).name;

/**
 * A subject that names platforms and stays under SUBJECT_LIMIT: all of them where they fit
 * ("Facebook, X and ChatGPT"), else the first two and a count, else the first and a count.
 */
function subjectNaming(build: (names: string) => string, names: readonly string[], text: Text): string {
  const tries = [text.email.names(names), ...(names.length > 1 ? [text.email.namesShort(names[0] ?? '', names.length - 1)] : [])].map(build);
  return tries.find((subject) => subject.length < SUBJECT_LIMIT) ?? tries.at(-1) ?? '';
}

/** Splits words into sentences: after ".", "!" or "?" and a space, but not after a day ("26. Mai"). */
const sentencesOf = (words: string) =>
  words
    .split(/(?<=[.!?][”“"»«)]?)(?<!(?:^|\D)\d{1,2}\.)\s+/u)
    .map((sentence) => sentence.trim())
    .filter(Boolean);

/**
 * What one email has said so far, so that it says nothing twice: four Meta platforms share one
 * deadline's history, Facebook and Instagram share most steps, their done marks and half a note.
 * The first platform says it; the others say only what is theirs, or point back to it.
 */
class SaidOnce {
  private readonly sentences = new Set<string>();
  private readonly steps = new Map<string, { name: string; n: number }>();
  private readonly doneMeans = new Map<string, string>();
  private readonly histories = new Set<string>();

  /** Notes a sentence as said (a line the template shows anyway), so a later note drops it. */
  say(words: string): string {
    for (const sentence of sentencesOf(words)) this.sentences.add(sentence);
    return words;
  }

  /** The sentences of `words` this email has not said yet; undefined when it said all of them. */
  fresh(words: string | undefined): string | undefined {
    if (!words) return undefined;
    const fresh = sentencesOf(words).filter((sentence) => !this.sentences.has(sentence));
    for (const sentence of fresh) this.sentences.add(sentence);
    return fresh.length ? fresh.join(' ') : undefined;
  }

  /** A past deadline's one sentence of history, the first time its campaign comes up. */
  history(campaign: Campaign | undefined, locale: Locale): string | undefined {
    if (!campaign || this.histories.has(campaign.id)) return undefined;
    this.histories.add(campaign.id);
    return this.fresh(campaignIn(campaign, locale).afterDeadline);
  }

  /**
   * A platform's numbered steps; a run of steps an earlier platform of this email showed word for
   * word becomes one line pointing back to it ("Steps 3 to 6 as for Facebook, above.").
   */
  stepsOf(platform: Platform, text: Text): Array<{ n: number; text: string }> {
    const shown: Array<{ n: number; text: string }> = [];
    for (let index = 0; index < platform.steps.length; ) {
      const step = platform.steps[index] ?? '';
      const earlier = this.steps.get(step);
      if (!earlier) {
        this.steps.set(step, { name: platform.name, n: index + 1 });
        shown.push({ n: index + 1, text: step });
        index += 1;
        continue;
      }
      let end = index + 1;
      for (; end < platform.steps.length; end += 1) {
        const next = this.steps.get(platform.steps[end] ?? '');
        if (next?.name !== earlier.name || next.n !== earlier.n + (end - index)) break;
      }
      shown.push({ n: index + 1, text: text.email.guide.stepsSameAs(earlier.name, earlier.n, earlier.n + (end - index) - 1) });
      index = end;
    }
    return shown;
  }

  /** What "done" means for a platform, or a pointer to the earlier platform it means the same for. */
  doneMeansOf(platform: Platform, text: Text): string {
    const earlier = this.doneMeans.get(platform.doneMeans);
    if (earlier) return text.email.guide.doneSameAs(earlier);
    this.doneMeans.set(platform.doneMeans, platform.name);
    return platform.doneMeans;
  }
}

/** What one email's words are built from: the reader, their language's words, the day it is sent. */
interface Writing {
  person: Addressee;
  links: Links;
  text: Text;
  now: Date;
  said: SaidOnce;
}

const writingFor = (person: Addressee, links: Links, now: Date): Writing => ({ person, links, text: textFor(person.locale), now, said: new SaidOnce() });

/** The countdown word of an open deadline in the reader's zone: "3 days left", "Last day". */
const countdownText = (campaign: Campaign, w: Writing) => w.text.countdown(countdownTo(campaign, w.now, w.person.timeZone));

/**
 * One platform's guide. Today's action first: an open deadline's countdown (a platform with no
 * opt-out keeps its own line: there is nothing to do before the deadline), else the standing
 * action with, the first time its campaign comes up, the history of the deadline that passed.
 * `full` (welcome, announcement) adds what "done" means and, with no deadline open, the note;
 * the morning keeps it short.
 */
function guideOf(item: ChecklistItem, w: Writing, full: boolean) {
  const { text, said } = w;
  const platform = platformIn(item.platform, w.person.locale);
  const { action } = item;
  const acts = platform.action === 'limit' ? undefined : platform.action;
  const today = action.kind === 'deadline' && acts ? text.email.guide.deadlineToday(countdownText(action.campaign, w), platform.name, acts) : platform.today;
  // A platform with no opt-out has nothing to object with: an objection deadline's history is not its own.
  const history = action.kind !== 'deadline' && acts ? said.history(action.history, w.person.locale) : undefined;
  said.say(today);
  return {
    name: platform.name,
    today,
    history,
    outdated: item.markOutdated ? said.say(text.email.guide.markOutdated(platform.name)) : undefined,
    linkUrl: acts && platform.url ? platform.url : undefined,
    linkText: acts ? text.email.guide.link(platform.name, acts) : undefined,
    steps: said.stepsOf(platform, text),
    // A note is the standing action's caveat ("objecting now protects what comes next"); under an
    // open deadline the campaign says what acting in time does, and the note may not hold.
    note: full && action.kind !== 'deadline' ? said.fresh(platform.note) : undefined,
    doneMeans: full ? said.doneMeansOf(platform, text) : undefined,
    objectedUrl: w.links.objected(w.person, platform.id),
    objectedButton: text.email.guide.button[platform.action](platform.name),
  };
}

/** The campaigns whose deadline is open for some of the items, nearest first, once each. */
function openCampaignsOf(items: readonly ChecklistItem[], now: Date): Campaign[] {
  const open = new Map<string, Campaign>();
  for (const { action } of items) if (action.kind === 'deadline' && isOpen(action.campaign, now)) open.set(action.campaign.id, action.campaign);
  return [...open.values()];
}

/**
 * What an email says of each open deadline, once: the countdown, the last moment in the reader's
 * zone, the calendar link, and (`full`) what the campaign is about and whom it concerns. A deadline that has passed is
 * never here: it is history, told in a guide.
 */
function deadlinesOf(campaigns: readonly Campaign[], w: Writing, full: boolean) {
  return campaigns.map((source) => {
    const campaign = campaignIn(source, w.person.locale);
    const countdown = countdownTo(campaign, w.now, w.person.timeZone);
    return {
      title: full ? campaign.title : undefined,
      countdownText: w.text.countdown(countdown),
      sentence: w.said.say(w.text.email.list.deadline(campaign.organisation, formatLastMoment(countdown, w.text))),
      summary: full ? w.said.fresh(campaign.summary) : undefined,
      region: full ? w.text.email.list.region(campaign.region) : undefined,
      calendarUrl: w.links.calendar(w.person, campaign.id),
      calendarLabel: w.text.calendar.addLinkFor(campaign.organisation),
    };
  });
}

/** "Done already: Facebook and LinkedIn." for the done items, or nothing. */
function doneLine(items: readonly ChecklistItem[], w: Writing): string | undefined {
  return items.length ? w.text.email.list.done(w.text.listOf(items.map((item) => nameOf(item, w.person.locale)))) : undefined;
}

/**
 * What the footer partial of every list email says: why the reader gets it, and how to change
 * their list and preferences, leave, or read the privacy page.
 */
export function listFooter(reader: Pick<Reader, 'person'>, links: Links, text: Text) {
  const { person } = reader;
  return {
    footerWhy: person.confirmedAt ? text.email.footer.why(formatDay(person.confirmedAt, person.timeZone, text)) : text.email.footer.whyUndated,
    footerPreferences: text.email.footer.preferences,
    footerUnsubscribe: text.email.footer.unsubscribe,
    footerPrivacy: text.email.footer.privacy,
    preferencesUrl: links.preferences(person),
    unsubscribeUrl: links.unsubscribe(person),
    privacyUrl: links.privacy(person.locale),
  };
}

/**
 * The double opt-in email: names what its one button confirms (the platforms waiting, and the
 * watch if asked for), the open deadlines among them, and nothing the person typed.
 *
 * @example
 * confirmEmail(person, summarise(checklist).pending, false, links, now).subject // 'Confirm your guides for Facebook, LinkedIn and 2 more'
 */
export function confirmEmail(person: Addressee, waiting: readonly ChecklistItem[], watchAsked: boolean, links: Links, now: Date): RenderedEmail {
  const w = writingFor(person, links, now);
  const words = w.text.email.confirm;
  const names = waiting.map((item) => nameOf(item, person.locale));
  const platforms = names.length > 0;
  return render('confirm', {
    lang: person.locale,
    subject: platforms ? subjectNaming((list) => words.subject(list, names.length), names, w.text) : words.subjectWatch,
    preview: platforms ? words.preview : words.previewWatch,
    heading: words.heading,
    intro: platforms ? words.intro(w.text.listOf(names), names.length) : words.introWatch,
    deadlines: deadlinesOf(openCampaignsOf(waiting, now), w, false),
    watchToo: platforms && watchAsked ? words.watchToo : undefined,
    confirmUrl: links.confirm(person),
    button: platforms ? words.button : words.buttonWatch,
    ignore: words.ignore(PENDING_LIFETIME_DAYS),
  });
}

/**
 * The guides of the platforms that just joined the person's list (a confirmation or an addition on
 * the preferences page), each with today's action, its link, its steps, what "done" means and its
 * button; the open deadlines among them; and a line on the whole list.
 */
export function welcomeEmail(reader: Reader, guides: readonly ChecklistItem[], links: Links, now: Date): RenderedEmail {
  const w = writingFor(reader.person, links, now);
  const words = w.text.email.welcome;
  const { locale } = reader.person;
  const names = guides.map((item) => nameOf(item, locale));
  const added = new Set(guides.map((item) => item.platform.id));
  const { done, left } = summarise(reader.checklist);
  const listed = reader.checklist.filter((item) => item.state === 'active');
  const othersLeft = left.filter((item) => !added.has(item.platform.id)).map((item) => nameOf(item, locale));
  const deadlines = deadlinesOf(openCampaignsOf(guides, now), w, true);
  return render('welcome', {
    lang: locale,
    subject: subjectNaming((list) => words.subject(list, names.length), names, w.text),
    preview: words.preview(names.length),
    heading: words.heading,
    intro: words.intro(names.length),
    wholeList: words.wholeList(w.text.listOf(listed.map((item) => nameOf(item, locale))), listed.length),
    doneLine: doneLine(done, w),
    othersLeft: othersLeft.length ? words.othersLeft(w.text.listOf(othersLeft)) : undefined,
    deadlines,
    platforms: guides.map((item) => guideOf(item, w, true)),
    doneLabel: w.text.email.guide.doneLabel,
    mornings: words.mornings,
    ...listFooter(reader, links, w.text),
  });
}

/**
 * The morning's one email: everything left, the nearest deadline first, each platform in short
 * (today's action, its link, its steps, its button), and what is done in one line. Worked out on
 * the day it is sent: a deadline that passed overnight is one sentence of history, never
 * something to act before, and only an open deadline gets a calendar link.
 */
export function morningEmail(reader: Reader, _morning: Morning, links: Links, now: Date): RenderedEmail {
  const w = writingFor(reader.person, links, now);
  const words = w.text.email.morning;
  const { locale } = reader.person;
  const { left, done } = summarise(reader.checklist);
  const leftNames = left.map((item) => nameOf(item, locale));
  return render('morning', {
    lang: locale,
    subject: morningSubject(left, w),
    preview: words.preview,
    heading: words.heading,
    intro: words.intro(w.text.listOf(leftNames), leftNames.length),
    doneLine: doneLine(done, w),
    deadlines: deadlinesOf(openCampaignsOf(left, now), w, false),
    platforms: left.map((item) => guideOf(item, w, false)),
    ...listFooter(reader, links, w.text),
  });
}

/**
 * The nearest open deadline with the platforms it asks to act on ("3 days left to object on
 * Facebook and Instagram"), else what is left ("Still to do: X and ChatGPT").
 */
function morningSubject(left: readonly ChecklistItem[], w: Writing): string {
  const { text } = w;
  const acting = (item: ChecklistItem) => item.action.kind === 'deadline' && item.platform.action !== 'limit';
  const nearest = left.find(acting)?.action;
  if (nearest?.kind !== 'deadline') return subjectNaming(text.email.morning.subject, left.map((item) => nameOf(item, w.person.locale)), text);
  const under = left.filter((item) => acting(item) && item.action.kind === 'deadline' && item.action.campaign.id === nearest.campaign.id);
  const action = under.every((item) => item.platform.action === 'setting') ? 'setting' : 'form';
  return subjectNaming(
    (names) => text.email.morning.subjectDeadline(countdownText(nearest.campaign, w), names, action),
    under.map((item) => nameOf(item, w.person.locale)),
    text,
  );
}

/**
 * The announcement to a watcher: a new deadline opened for platforms they use; it names the
 * campaign, counts down to it, and holds the guides of their platforms it covers that are left.
 * Should it go out after the deadline after all, it tells what still helps, and counts nothing.
 */
export function announcementEmail(reader: Reader, source: Campaign, links: Links, now: Date): RenderedEmail {
  const w = writingFor(reader.person, links, now);
  const words = w.text.email.announcement;
  const { locale } = reader.person;
  const campaign = campaignIn(source, locale);
  const covered = reader.checklist.filter((item) => item.state === 'active' && campaign.platforms.includes(item.platform.id));
  const { left, done } = summarise(covered);
  const names = covered.map((item) => nameOf(item, locale));
  const open = isOpen(campaign, now);
  const deadlines = deadlinesOf(open ? [source] : [], w, true);
  return render('announcement', {
    lang: locale,
    subject: open
      ? subjectNaming((list) => words.subject(list, countdownText(source, w)), names, w.text)
      : subjectNaming(w.text.email.morning.subject, left.map((item) => nameOf(item, locale)), w.text),
    preview: open ? words.preview(campaign.organisation) : words.previewPassed,
    heading: open ? words.heading(campaign.organisation) : words.headingPassed(campaign.organisation),
    why: open ? words.why(w.text.listOf(names), left.length > 0) : undefined,
    deadlines,
    doneLine: doneLine(done, w),
    guidesIntro: open && left.length ? words.guidesIntro(left.length) : undefined,
    platforms: left.map((item) => guideOf(item, w, true)),
    doneLabel: w.text.email.guide.doneLabel,
    notForMeIntro: words.notForMeIntro,
    notForMe: words.notForMe,
    notForMeUrl: links.preferences(reader.person),
    ...listFooter(reader, links, w.text),
  });
}

/**
 * The yearly question to a watcher with nothing left to remind them of: keep watching their
 * platforms (named, in their language), with one button, or be erased in a month.
 */
export function keepWatchingEmail(person: Addressee & Pick<Person, 'platforms'>, links: Links, now: Date): RenderedEmail {
  const text = textFor(person.locale);
  const words = text.email.keepWatching;
  const answerBy = formatDay(new Date(now.getTime() + WATCH_ANSWER_DAYS * 86_400_000).toISOString(), person.timeZone, text);
  const watched = watchedNames(person, person.locale);
  // A watcher whose list emptied meanwhile still watches "your platforms", as they asked.
  const names = watched.length ? watched : [words.yourPlatforms];
  return render('keep-watching', {
    lang: person.locale,
    subject: subjectNaming(words.subject, names, text),
    preview: words.preview(answerBy),
    heading: words.heading,
    intro: words.intro(text.listOf(names)),
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

/** The names of the platforms a watch covers (those on the person's list), in the form's order. */
function watchedNames(person: Pick<Person, 'platforms'>, locale: Locale): string[] {
  const ids = inFormOrder(
    person.platforms.filter((p) => p.state === 'active').map((p) => p.id),
    catalog,
  );
  const byId = new Map(catalog.map((platform) => [platform.id, platform]));
  return ids.flatMap((id) => {
    const platform = byId.get(id);
    return platform ? [platformIn(platform, locale).name] : [];
  });
}
