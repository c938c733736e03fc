/**
 * Every email as a reader sees it: rendered in-process by the same functions that send them, from
 * a person's checklist on the day it is sent, then opened in Debian's Chromium (playwright-core)
 * at 320 px and 800 px, in light and dark mode. With `EMAIL_SCREENSHOTS=1`, screenshots go to
 * tests/e2e/screenshots/ (ignored by git) for a person to look through:
 * `<email>_<locale>_<320|800|800_dark>.png`.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaigns as catalogCampaigns } from '../../functions/campaigns.js';
import { Campaign } from '../../functions/domain/campaign.js';
import { checklistOf, summarise } from '../../functions/domain/checklist.js';
import type { Locale } from '../../functions/domain/locale.js';
import { platformIn, type PlatformId } from '../../functions/domain/platform.js';
import type { Person } from '../../functions/domain/person.js';
import { hashAddress } from '../../functions/domain/token.js';
import { announcementEmail, confirmEmail, keepWatchingEmail, morningEmail, welcomeEmail, type Reader } from '../../functions/mail/emails.js';
import { Links } from '../../functions/mail/links.js';
import { newsletterEmail } from '../../functions/mail/newsletter-email.js';
import type { RenderedEmail } from '../../functions/mail/render.js';
import { newsletterIssues } from '../../functions/newsletter-issues.js';
import { platforms } from '../../functions/platforms.js';
import { launchChromium } from '../support/browser.js';

const PUBLIC_URL = 'https://optout.example';
const SCREENSHOTS = new URL('./screenshots/', import.meta.url).pathname;
/**
 * Screenshots for a person to look through after a template change, when asked for
 * (`EMAIL_SCREENSHOTS=1`): nothing checks them, and encoding a hundred full-page PNGs was a
 * good part of this file's time in every run.
 */
const screenshot = async (page: Page, file: string) => {
  if (process.env.EMAIL_SCREENSHOTS === '1') await page.screenshot({ path: `${SCREENSHOTS}${file}.png`, fullPage: true });
};
/** Gmail hides everything past about 102 KB behind "[Message clipped]"; stay clear of it. */
const GMAIL_CLIP_BYTES = 102_000;
const MAX_SUBJECT = 70;
/** WCAG 2.1 AA contrast for body text. */
const MIN_CONTRAST = 4.5;
/** Our pages behind the links; anything else must be a platform's own page from the catalog. */
const OUR_ROUTES = /^\/(?:(?:confirm|objected|unsubscribe|preferences|calendar|watch)\/[A-Za-z0-9._~-]+|privacy)$/;
/**
 * A sentence this long said twice is a repeat a reader notices. Shorter ones are labels and
 * instructions that two platforms' guides may share ("Switch the setting off.", "No link to hand?").
 */
const REPEAT_MIN_WORDS = 6;
/** Wording that asks to act before a deadline: never in an email sent when no deadline is open. */
const BEFORE_A_DEADLINE = /before the deadline|object before|before (?:its|the|Meta's|LinkedIn's) deadline|vor (?:Ablauf )?der Frist|bevor die Frist|rechtzeitig/i;

/** Today for the catalog: no deadline open, every platform on its standing action. */
const TODAY = new Date('2026-12-06T08:00:00Z');
const ALL: PlatformId[] = ['facebook', 'instagram', 'whatsapp', 'threads', 'meta-ai', 'linkedin', 'copilot', 'x', 'google', 'gemini', 'chatgpt', 'claude'];
const FOUR: PlatformId[] = ['facebook', 'linkedin', 'x', 'chatgpt'];

/**
 * The next deadline, as the operator would add it: Meta asks everyone, also those who objected
 * before, to object again by the end of February 2027. Every catalog campaign's deadline has
 * passed, so this is how an email with an open deadline looks with today's guides.
 */
const meta2027 = Campaign.parse({
  id: 'meta-ai-2027',
  title: 'Meta AI training objection 2027',
  organisation: 'Meta',
  summary:
    'From 1 March 2027 Meta trains its AI on what adults in the EU share publicly, including what they shared before. An objection Meta has by the end of 28 February 2027 keeps all of it out; an objection from 2025 no longer counts.',
  region: 'EU, EEA and UK, adults',
  announcedAt: '2027-01-15',
  deadline: { local: '2027-03-01T00:00', timeZone: 'Europe/Berlin' },
  afterDeadline:
    "Meta's 2027 deadline for keeping what you shared before out of its AI training was the end of 28 February 2027; objecting now still keeps what you share from then on out of it.",
  earlierMarksCount: false,
  sources: [{ url: 'https://www.facebook.com/privacy/policy/', title: 'Meta Privacy Policy' }],
  checkedAt: '2027-01-15',
  platforms: ['facebook', 'instagram', 'whatsapp', 'threads', 'meta-ai'],
  translations: {
    de: {
      title: 'Widerspruch gegen Metas KI-Training 2027',
      summary:
        'Ab dem 1. März 2027 trainiert Meta seine KI mit dem, was Erwachsene in der EU öffentlich teilen, auch mit früher Geteiltem. Ein Widerspruch, der Meta bis zum Ende des 28. Februar 2027 vorliegt, hält alles heraus; ein Widerspruch von 2025 zählt nicht mehr.',
      region: 'EU, EWR und Vereinigtes Königreich, Erwachsene',
      afterDeadline:
        'Metas Frist von 2027, um früher Geteiltes aus seinem KI-Training herauszuhalten, endete mit dem 28. Februar 2027; ein Widerspruch jetzt hält trotzdem heraus, was Sie ab dann teilen.',
    },
  },
});
const campaigns = [...catalogCampaigns, meta2027];
const meta2025 = campaigns.find((c) => c.id === 'meta-ai-2025')!;

const links = new Links(PUBLIC_URL, 'email-test-signing-secret-0123456789');

interface PersonSeed {
  label: string;
  locale: Locale;
  platforms: PlatformId[];
  state?: 'pending' | 'active';
  /** When each platform was added (and the person confirmed). */
  addedAt?: string;
  /** Platforms marked done, and when. */
  done?: Partial<Record<PlatformId, string>>;
}

/** A person in Berlin with the given list, as the store would hold them. */
function personOf(seed: PersonSeed): Person {
  const addedAt = seed.addedAt ?? '2026-12-01T08:00:00.000Z';
  return {
    id: hashAddress('email-test', `${seed.label}-${seed.locale}@example.org`),
    generation: 'Gen0abcd',
    status: seed.state === 'pending' ? 'pending' : 'active',
    email: `${seed.label}@example.org`,
    locale: seed.locale,
    timeZone: 'Europe/Berlin',
    platforms: seed.platforms.map((id) => ({
      id,
      state: seed.state ?? 'active',
      askedAt: addedAt,
      ...(seed.state === 'pending' ? {} : { addedAt }),
      ...(seed.done?.[id] ? { doneAt: seed.done[id] } : {}),
    })),
    watch: false,
    consents: [],
    createdAt: addedAt,
    ...(seed.state === 'pending' ? {} : { confirmedAt: addedAt }),
    version: 1,
    layout: 3,
  };
}

/** The reader of a list email: the person and their checklist on the day it is sent. */
function readerOf(seed: PersonSeed, now: Date): Reader {
  const person = personOf(seed);
  return { person, checklist: checklistOf(person, platforms, campaigns, now).filter((item) => item.state === 'active') };
}

interface EmailCase {
  /** A file-name-safe label, e.g. "morning-deadline". */
  label: string;
  locale: Locale;
  email: RenderedEmail;
  /** The platforms whose guide (and button) the email must show, in this order. */
  guides: PlatformId[];
  /** Whether a deadline is open for the reader on the send day: only then may words ask to act before one. */
  deadlineOpen: boolean;
  /** How many calendar links (one per open deadline). */
  calendars: number;
  /** Words the email must hold. */
  says?: (locale: Locale) => RegExp[];
}

const nameIn = (id: PlatformId, locale: Locale) => platformIn(platforms.find((p) => p.id === id)!, locale).name;

/** Every email, in each state that changes what it says, in both languages. */
function emailCases(): EmailCase[] {
  const cases: EmailCase[] = [];
  for (const locale of ['en', 'de'] as const) {
    const add = (label: string, email: RenderedEmail, fields: Omit<EmailCase, 'label' | 'locale' | 'email'>) => cases.push({ label, locale, email, ...fields });

    // One sign-up for Facebook, LinkedIn, X and ChatGPT, with the watch: one confirmation names them all.
    const signup = personOf({ label: 'confirm-four', locale, platforms: FOUR, state: 'pending' });
    const waiting = summarise(checklistOf(signup, platforms, campaigns, TODAY)).pending;
    add('confirm-four', confirmEmail(signup, waiting, true, links, TODAY), {
      guides: [],
      deadlineOpen: false,
      calendars: 0,
      says: (l) => FOUR.map((id) => new RegExp(nameIn(id, l))),
    });
    // A sign-up while Meta's 2027 deadline is open: the confirmation says until when.
    const during = new Date('2027-02-20T08:00:00Z');
    const metaSignup = personOf({ label: 'confirm-deadline', locale, platforms: ['facebook', 'instagram', 'whatsapp'], state: 'pending' });
    add('confirm-deadline', confirmEmail(metaSignup, summarise(checklistOf(metaSignup, platforms, campaigns, during)).pending, false, links, during), {
      guides: [],
      deadlineOpen: true,
      calendars: 0,
      says: (l) => [l === 'en' ? /8 days left/ : /Noch 8 Tage/, /28/],
    });
    // Someone on the list already who asks for the watch alone.
    add('confirm-watch', confirmEmail(personOf({ label: 'confirm-watch', locale, platforms: FOUR }), [], true, links, TODAY), {
      guides: [],
      deadlineOpen: false,
      calendars: 0,
    });

    // The welcome after confirming the four: four guides, each with today's action.
    add('welcome-four', welcomeEmail(readerOf({ label: 'welcome-four', locale, platforms: FOUR }, TODAY), readerOf({ label: 'welcome-four', locale, platforms: FOUR }, TODAY).checklist, links, TODAY), {
      guides: ['facebook', 'linkedin', 'chatgpt', 'x'],
      deadlineOpen: false,
      calendars: 0,
    });
    const everything = readerOf({ label: 'welcome-all', locale, platforms: ALL }, TODAY);
    add('welcome-all', welcomeEmail(everything, everything.checklist, links, TODAY), { guides: everything.checklist.map((i) => i.platform.id), deadlineOpen: false, calendars: 0 });
    // An addition on the preferences page: Gemini's guide alone, and the rest of the list in one line.
    const gemini = readerOf({ label: 'welcome-gemini', locale, platforms: ['gemini', 'x', 'linkedin'], done: { linkedin: '2026-12-02T10:00:00.000Z' } }, TODAY);
    add('welcome-gemini', welcomeEmail(gemini, gemini.checklist.filter((i) => i.platform.id === 'gemini'), links, TODAY), {
      guides: ['gemini'],
      deadlineOpen: false,
      calendars: 0,
      says: () => [/Gemini/],
    });
    // The trial's LinkedIn guide, sent today: its standing setting, its deadline as history.
    const linkedin = readerOf({ label: 'welcome-linkedin', locale, platforms: ['linkedin'] }, TODAY);
    add('welcome-linkedin', welcomeEmail(linkedin, linkedin.checklist, links, TODAY), {
      guides: ['linkedin'],
      deadlineOpen: false,
      calendars: 0,
      says: (l) => [l === 'en' ? /LinkedIn's training began on 3 November 2025/ : /3\. November 2025/],
    });
    // A welcome while Meta's 2027 deadline is open, for the four Meta apps that share it.
    const metaApps: PlatformId[] = ['facebook', 'instagram', 'whatsapp', 'threads'];
    const welcomeDuring = readerOf({ label: 'welcome-deadline', locale, platforms: metaApps, addedAt: '2027-02-20T07:00:00.000Z' }, during);
    add('welcome-deadline', welcomeEmail(welcomeDuring, welcomeDuring.checklist, links, during), { guides: metaApps, deadlineOpen: true, calendars: 1 });

    // Mornings. Without a deadline: every platform, two done.
    const morningDay = new Date('2026-12-04T08:00:00Z');
    const standing = readerOf({ label: 'morning-all', locale, platforms: ALL, done: { linkedin: '2026-12-02T10:00:00.000Z', x: '2026-12-02T10:00:00.000Z' } }, morningDay);
    add('morning-all', morningEmail(standing, { id: '2026-12-04', dueAt: morningDay, reasons: [] }, links, morningDay), {
      guides: summarise(standing.checklist).left.map((i) => i.platform.id),
      deadlineOpen: false,
      calendars: 0,
      says: (l) => [l === 'en' ? /Done already: LinkedIn and X\./ : /Schon erledigt: LinkedIn und X\./],
    });
    // With Meta's 2027 deadline open: everything left, the Meta apps first; a 2025 mark no longer counts.
    const countdown = new Date('2027-02-26T08:00:00Z');
    const open = readerOf(
      { label: 'morning-deadline', locale, platforms: ALL, done: { facebook: '2025-05-20T10:00:00.000Z', x: '2026-12-02T10:00:00.000Z' } },
      countdown,
    );
    add('morning-deadline', morningEmail(open, { id: '2027-02-26', dueAt: countdown, reasons: [] }, links, countdown), {
      guides: summarise(open.checklist).left.map((i) => i.platform.id),
      deadlineOpen: true,
      calendars: 1,
      says: (l) => [l === 'en' ? /2 days left to object on Facebook\./ : /Noch 2 Tage, um bei Facebook zu widersprechen\./],
    });
    // The first morning after Meta's 2025 deadline, as those counting down to it got it.
    const after = new Date('2025-05-27T07:05:00Z');
    const counted = readerOf({ label: 'morning-after', locale, platforms: metaApps, addedAt: '2025-05-01T08:00:00.000Z', done: { facebook: '2025-05-20T10:00:00.000Z' } }, after);
    add('morning-after', morningEmail(counted, { id: '2025-05-27', dueAt: after, reasons: [] }, links, after), {
      guides: ['instagram', 'whatsapp', 'threads'],
      deadlineOpen: false,
      calendars: 0,
      says: (l) => [l === 'de' ? /26\. Mai 2025/ : /end of 26 May 2025/],
    });
    // The first morning after the 2027 deadline, with today's guides.
    const after2027 = new Date('2027-03-01T08:00:00Z');
    const late = readerOf({ label: 'morning-after-2027', locale, platforms: ['facebook', 'instagram', 'linkedin'], addedAt: '2027-02-01T08:00:00.000Z' }, after2027);
    add('morning-after-2027', morningEmail(late, { id: '2027-03-01', dueAt: after2027, reasons: [] }, links, after2027), {
      guides: ['facebook', 'instagram', 'linkedin'],
      deadlineOpen: false,
      calendars: 0,
      says: () => [/2027/],
    });

    // A watcher hears of the 2027 deadline: Facebook's 2025 mark no longer counts, X is not concerned.
    const announced = new Date('2027-01-15T10:00:00Z');
    const watcher = readerOf({ label: 'announcement', locale, platforms: ['facebook', 'instagram', 'threads', 'x'], done: { facebook: '2025-05-20T10:00:00.000Z' } }, announced);
    add('announcement', announcementEmail(watcher, meta2027, links, announced), {
      guides: ['facebook', 'instagram', 'threads'],
      deadlineOpen: true,
      calendars: 1,
      says: (l) => [l === 'en' ? /44 days left/ : /Noch 44 Tage/],
    });

    add('keep-watching', keepWatchingEmail(personOf({ label: 'keep-watching', locale, platforms: FOUR }), links, TODAY), {
      guides: [],
      deadlineOpen: false,
      calendars: 0,
      says: (l) => FOUR.map((id) => new RegExp(nameIn(id, l))),
    });

    // The newsletter issues of the build are in their own language, for that language's readers.
    for (const issue of newsletterIssues.filter((i) => i.frontMatter.locale === locale)) {
      const sent = new Date('2025-05-19T08:00:00Z');
      const subscriber = readerOf({ label: `newsletter-${issue.id}`, locale, platforms: metaApps, addedAt: '2025-05-01T08:00:00.000Z' }, sent);
      add(`newsletter-${issue.id}`, newsletterEmail(issue, meta2025, subscriber, links, sent), { guides: [], deadlineOpen: true, calendars: 0 });
    }
  }
  return cases;
}

/** The URLs in the plain-text part. */
const urlsInText = (text: string) => text.match(/https?:\/\/[^\s)\]]+/g) ?? [];

/** Whether `href` is one of our pages (on PUBLIC_URL, over https) or a platform's own page from the catalog. */
function isAllowedTarget(href: string): boolean {
  const url = new URL(href);
  if (url.protocol !== 'https:') return false;
  if (url.origin === PUBLIC_URL) return OUR_ROUTES.test(url.pathname) && (url.search === '' || /^\?lang=[a-z]{2}$/.test(url.search));
  return platforms.some((platform) => platform.url === href);
}

/**
 * The sentences of a text said more than once, of at least REPEAT_MIN_WORDS words: split at line
 * breaks and after ".", "!" or "?" (not after a day's number, "26. Mai"). A question followed by
 * more on its line is the condition of what follows ("No link to hand? Open …"), read with it.
 */
function repeatedSentences(text: string): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const line of text.split('\n')) {
    const parts = line.replace(/^\d+\.\s+/, '').split(/(?<=[.!?][”“"»«)]?)(?<!(?:^|\D)\d{1,2}\.)\s+/u);
    const sentences = parts.reduce<string[]>((joined, part) => {
      const last = joined.at(-1);
      if (last?.endsWith('?')) joined[joined.length - 1] = `${last} ${part}`;
      else joined.push(part);
      return joined;
    }, []);
    for (const raw of sentences) {
      const sentence = raw.trim();
      if (sentence.split(/\s+/).length < REPEAT_MIN_WORDS) continue;
      if (seen.has(sentence)) repeated.add(sentence);
      seen.add(sentence);
    }
  }
  return [...repeated];
}

interface TextContrast {
  text: string;
  ratio: number;
}

/**
 * In the page: every visible element that holds text directly, with the contrast ratio of its
 * colour against the first opaque background behind it (the page canvas if none).
 */
function textContrasts(): TextContrast[] {
  const parse = (color: string): [number, number, number, number] | undefined => {
    const match = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(color);
    return match ? [Number(match[1]), Number(match[2]), Number(match[3]), match[4] === undefined ? 1 : Number(match[4])] : undefined;
  };
  const luminance = ([r, g, b]: [number, number, number, number]) => {
    const channel = (value: number) => {
      const c = value / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  // The colour a page without a background of its own is painted with, in the current scheme.
  const probe = document.createElement('div');
  probe.style.backgroundColor = 'Canvas';
  document.body.append(probe);
  const canvas = parse(getComputedStyle(probe).backgroundColor) ?? [255, 255, 255, 1];
  probe.remove();
  const backgroundOf = (element: Element | null): [number, number, number, number] => {
    for (let node = element; node; node = node.parentElement) {
      const color = parse(getComputedStyle(node).backgroundColor);
      if (color && color[3] > 0.5) return color;
    }
    return canvas;
  };
  const results: TextContrast[] = [];
  for (const element of Array.from(document.body.querySelectorAll('*'))) {
    const own = Array.from(element.childNodes).filter((node) => node.nodeType === Node.TEXT_NODE && node.textContent?.trim());
    if (own.length === 0 || !element.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    const foreground = parse(getComputedStyle(element).color);
    if (!foreground) continue;
    const [light, dark] = [luminance(foreground), luminance(backgroundOf(element))].sort((a, b) => b - a) as [number, number];
    results.push({ text: own.map((node) => node.textContent?.trim()).join(' ').slice(0, 40), ratio: (light + 0.05) / (dark + 0.05) });
  }
  return results;
}

describe('emails in Chromium', { timeout: 60_000 }, () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    // Offline: an email that needed anything from the network would show up broken here.
    const context = await browser.newContext({ offline: true });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
  });

  for (const { label, locale, email, guides, deadlineOpen, calendars, says } of emailCases()) {
    const file = `${label}_${locale}`;
    describe(`${label} (${locale})`, () => {
      it(`has a subject under ${MAX_SUBJECT} characters and no unfilled {{tags}}`, () => {
        expect(email.subject.length, email.subject).toBeLessThan(MAX_SUBJECT);
        expect(email.subject.trim()).not.toBe('');
        for (const part of [email.subject, email.html, email.text]) expect(part).not.toMatch(/\{\{|\}\}/);
      });

      it('stays under the size at which Gmail clips a message', () => {
        expect(Buffer.byteLength(email.html, 'utf8')).toBeLessThan(GMAIL_CLIP_BYTES);
      });

      it('says no sentence twice, and asks to act before a deadline only while one is open', async () => {
        await page.setContent(email.html);
        const seen = await page.evaluate(() => document.body.innerText);
        expect(repeatedSentences(email.text), 'text part').toEqual([]);
        expect(repeatedSentences(seen), 'HTML as shown').toEqual([]);
        if (!deadlineOpen) {
          expect(email.text).not.toMatch(BEFORE_A_DEADLINE);
          expect(email.subject).not.toMatch(/left to|Noch \d+ Tage|Letzter Tag|Last day/);
        }
        for (const words of says?.(locale) ?? []) expect(email.text, String(words)).toMatch(words);
      });

      it("links only to our pages and the platforms' own pages, over https, with one button per guide", async () => {
        await page.setContent(email.html);
        const hrefs = await page.locator('a[href]').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''));
        expect(hrefs.length).toBeGreaterThan(0);
        for (const href of [...hrefs, ...urlsInText(email.text)]) expect(isAllowedTarget(href), href).toBe(true);

        const paths = hrefs.map((href) => new URL(href).pathname);
        // One "I've objected" (or "done") button per guide, in the email's order.
        const objected = paths.filter((path) => path.startsWith('/objected/')).map((path) => path.split('/')[2]?.split('.')[4]);
        expect(objected).toEqual(guides);
        expect(paths.filter((path) => path.startsWith('/calendar/'))).toHaveLength(calendars);
        if (label.startsWith('confirm')) {
          expect(paths.filter((path) => path.startsWith('/confirm/'))).toHaveLength(1);
        } else {
          for (const route of ['/unsubscribe/', '/preferences/', '/privacy']) expect(paths.some((path) => path.startsWith(route)), route).toBe(true);
        }
        // Each guide of a platform with a page of its own links to it, and names the platform.
        for (const id of guides) {
          const platform = platforms.find((p) => p.id === id)!;
          if (platform.url) expect(hrefs).toContain(platform.url);
          expect(email.text).toContain(platformIn(platform, locale).name);
        }
      });

      it('fits a 320 px screen, reads well at 800 px, and needs no images', async () => {
        await page.emulateMedia({ colorScheme: 'light' });
        await page.setViewportSize({ width: 320, height: 640 });
        await page.setContent(email.html);
        expect(await page.evaluate(() => document.scrollingElement?.scrollWidth)).toBeLessThanOrEqual(320);
        await screenshot(page, `${file}_320`);
        // No images at all, so "images off" changes nothing; were one added, it would need alt text.
        expect(await page.locator('img').count()).toBe(0);
        for (const { text, ratio } of await page.evaluate(textContrasts)) expect(ratio, `light: "${text}"`).toBeGreaterThanOrEqual(MIN_CONTRAST);

        await page.setViewportSize({ width: 800, height: 800 });
        expect(await page.evaluate(() => document.scrollingElement?.scrollWidth)).toBeLessThanOrEqual(800);
        await screenshot(page, `${file}_800`);
      });

      it('turns dark in dark mode, with every text still readable', async () => {
        await page.setViewportSize({ width: 800, height: 800 });
        await page.emulateMedia({ colorScheme: 'dark' });
        await page.setContent(email.html);
        expect(await page.locator('meta[name="color-scheme"]').getAttribute('content')).toBe('light dark');
        // Clients that honour the scheme get the dark palette, not a white page in a dark app.
        expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(21, 23, 26)');
        const contrasts = await page.evaluate(textContrasts);
        expect(contrasts.length).toBeGreaterThan(3);
        for (const { text, ratio } of contrasts) expect(ratio, `dark: "${text}"`).toBeGreaterThanOrEqual(MIN_CONTRAST);
        await screenshot(page, `${file}_800_dark`);
      });
    });
  }
});

describe('what the emails say, across the cases that caught the trial', () => {
  const cases = emailCases();
  const find = (label: string, locale: Locale) => cases.find((c) => c.label === label && c.locale === locale)!.email;

  it('names the platforms in the confirmation subject, not a count of campaigns', () => {
    expect(find('confirm-four', 'en').subject).toBe('Confirm your guides for Facebook, LinkedIn and 2 more');
    expect(find('confirm-four', 'de').subject).toBe('Bitte bestätigen: Anleitungen für Facebook, LinkedIn und 2 weitere');
    for (const c of cases.filter((c) => c.label.startsWith('confirm'))) expect(c.email.subject).not.toMatch(/campaign|Kampagne/i);
  });

  it("gives Gemini's guide under Gemini's name, in the subject, the guide and its button", () => {
    expect(find('welcome-gemini', 'en').subject).toBe('Your guide for Gemini');
    expect(find('welcome-gemini', 'en').text).toContain("I've switched it off on Gemini");
    expect(find('welcome-gemini', 'de').subject).toBe('Ihre Anleitung für Gemini');
    // The rest of the list in one line: what is done, and what is left from before.
    expect(find('welcome-gemini', 'en').text).toContain('Your list now holds 3 platforms: Gemini, LinkedIn and X. Done already: LinkedIn. Still to do from before: X.');
  });

  it('tells a deadline that has passed as history once, never as something to act before', () => {
    const linkedin = find('welcome-linkedin', 'en').text;
    expect(linkedin).not.toMatch(/The deadline has passed|before the deadline/i);
    expect(linkedin.match(/LinkedIn's training began/g)).toHaveLength(1);
    // The four Meta apps share the 2025 deadline's history: said once, under the first of them.
    const after = find('morning-after', 'en').text;
    expect(after.match(/end of 26 May 2025/g)).toHaveLength(1);
    expect(after).not.toMatch(/days left|Last day|calendar/i);
  });

  it("points Instagram's steps shared with Facebook back to Facebook, instead of saying them twice", () => {
    const welcome = find('welcome-deadline', 'en').text;
    expect(welcome.match(/Check that your email address is filled in/g)).toHaveLength(1);
    expect(welcome).toContain('Steps 3 to 6 as for Facebook, above.');
    expect(welcome).toContain('Done means: as for Facebook.');
  });

  it('lists every platform left in the morning, nearest deadline first, with one line for what is done', () => {
    const morning = find('morning-deadline', 'en');
    expect(morning.subject).toBe('2 days left to object on Facebook, Instagram and 2 more');
    expect(morning.text).toMatch(/Done already: X\./);
    // The 2025 mark on Facebook does not count for the 2027 deadline.
    expect(morning.text).toContain('You marked Facebook as done before a newer deadline');
    expect(find('morning-all', 'en').subject).toBe('Still to do: Facebook, Instagram and 8 more');
  });
});
