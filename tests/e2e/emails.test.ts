/**
 * Every email as a reader sees it: rendered in-process by the same functions that send them, then
 * opened in Debian's Chromium (playwright-core) at 320 px and 800 px, in light and dark mode.
 * Screenshots go to tests/e2e/screenshots/ (ignored by git) for a person to look through.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaigns } from '../../functions/campaigns.js';
import type { Campaign } from '../../functions/domain/campaign.js';
import type { Locale } from '../../functions/domain/locale.js';
import type { PlatformId } from '../../functions/domain/platform.js';
import { textFor } from '../../functions/locales/index.js';
import { hashAddress } from '../../functions/domain/token.js';
import { confirmEmail, countdownEmail, welcomeEmail, type Reader } from '../../functions/mail/emails.js';
import { Links } from '../../functions/mail/links.js';
import { launchChromium } from '../support/browser.js';
import type { RenderedEmail } from '../../functions/mail/render.js';

const PUBLIC_URL = 'https://optout.example';
const SCREENSHOTS = new URL('./screenshots/', import.meta.url).pathname;
/** Gmail hides everything past about 102 KB behind "[Message clipped]"; stay clear of it. */
const GMAIL_CLIP_BYTES = 102_000;
const MAX_SUBJECT = 70;
/** WCAG 2.1 AA contrast for body text. */
const MIN_CONTRAST = 4.5;
/** Our pages behind the links; anything else must be a platform page of the campaign. */
const OUR_ROUTES = /^\/(?:(?:confirm|objected|unsubscribe|preferences|calendar)\/[A-Za-z0-9._~-]+|privacy)$/;

const links = new Links(PUBLIC_URL, 'email-test-signing-secret-0123456789');
const campaignById = (id: string): Campaign => {
  const campaign = campaigns.find((item) => item.id === id);
  if (!campaign) throw new Error(`no campaign ${id}`);
  return campaign;
};
const meta = campaignById('meta-ai-2025');
const linkedin = campaignById('linkedin-ai-2025');

interface EmailCase {
  /** A file-name-safe label, e.g. "meta-ai-2025 reminder-one-left de". */
  label: string;
  campaign: Campaign;
  locale: Locale;
  email: RenderedEmail;
  /** Platforms whose guide (and "I've objected" button) the email must show. */
  guides: PlatformId[];
}

/** One person subscribed to `campaign`, as its emails see them: Berlin time, confirmed at the start of May. */
function reader(campaign: Campaign, locale: Locale, done: PlatformId[] = []): Reader {
  return {
    person: { ...person(locale), id: hashAddress('email-test', `${campaign.id}-${locale}@example.org`) },
    campaignId: campaign.id,
    platforms: campaign.platforms.map((platform) => platform.id),
    objections: Object.fromEntries(done.map((platform) => [platform, '2025-05-01T10:00:00.000Z'])),
    confirmedAt: '2025-05-01T09:00:00.000Z',
  };
}

/** The person a confirmation email goes to, before they confirmed. */
function person(locale: Locale) {
  return { id: hashAddress('email-test', `person-${locale}@example.org`), generation: 'Gen0abcd', timeZone: 'Europe/Berlin', locale };
}

/**
 * Every template in each state that changes what it shows, both languages, both campaigns. The
 * instants pick the longest countdown words: three-digit days before LinkedIn's deadline, and
 * "the deadline has passed" after either.
 */
function emailCases(): EmailCase[] {
  const cases: EmailCase[] = [];
  const all = (campaign: Campaign) => campaign.platforms.map((platform) => platform.id);
  for (const locale of ['en', 'de'] as const) {
    const add = (campaign: Campaign, state: string, guides: PlatformId[], email: RenderedEmail) =>
      cases.push({ label: `${campaign.id} ${state} ${locale}`, campaign, locale, email, guides });

    add(meta, 'confirm', [], confirmEmail([meta], person(locale), links, new Date('2025-05-12T08:00:00Z')));
    // One sign-up for both campaigns gets one confirmation email naming both.
    add(meta, 'confirm-both', [], confirmEmail([meta, linkedin], person(locale), links, new Date('2025-05-12T08:00:00Z')));
    add(meta, 'welcome-before', all(meta), welcomeEmail(meta, reader(meta, locale), links, new Date('2025-05-12T08:00:00Z')));
    add(meta, 'welcome-after', all(meta), welcomeEmail(meta, reader(meta, locale), links, new Date('2025-06-02T08:00:00Z')));
    add(meta, 'reminder-all-left', all(meta), countdownEmail(meta, reader(meta, locale), links, new Date('2025-05-12T08:00:00Z'), 'reminder'));
    add(
      meta,
      'reminder-one-left',
      ['threads'],
      countdownEmail(meta, reader(meta, locale, ['facebook', 'instagram', 'whatsapp']), links, new Date('2025-05-26T07:00:00Z'), 'reminder'),
    );
    add(
      meta,
      'after-deadline',
      ['instagram', 'whatsapp'],
      countdownEmail(meta, reader(meta, locale, ['facebook', 'threads']), links, new Date('2025-05-27T07:00:00Z'), 'after-deadline'),
    );

    add(linkedin, 'confirm', [], confirmEmail([linkedin], person(locale), links, new Date('2025-06-01T08:00:00Z')));
    add(linkedin, 'welcome-before', ['linkedin'], welcomeEmail(linkedin, reader(linkedin, locale), links, new Date('2025-06-01T08:00:00Z')));
    add(linkedin, 'welcome-after', ['linkedin'], welcomeEmail(linkedin, reader(linkedin, locale), links, new Date('2025-11-10T08:00:00Z')));
    add(linkedin, 'reminder-last-day', ['linkedin'], countdownEmail(linkedin, reader(linkedin, locale), links, new Date('2025-11-02T08:00:00Z'), 'reminder'));
    add(linkedin, 'after-deadline', ['linkedin'], countdownEmail(linkedin, reader(linkedin, locale), links, new Date('2025-11-03T08:00:00Z'), 'after-deadline'));
  }
  return cases;
}

/** The URLs in the plain-text part. */
const urlsInText = (text: string) => text.match(/https?:\/\/[^\s)\]]+/g) ?? [];

/** Whether `href` is one of our pages (on PUBLIC_URL, over https) or a platform page of `campaign`. */
function isAllowedTarget(href: string, campaign: Campaign): boolean {
  const url = new URL(href);
  if (url.protocol !== 'https:') return false;
  if (url.origin === PUBLIC_URL) return OUR_ROUTES.test(url.pathname) && (url.search === '' || /^\?lang=[a-z]{2}$/.test(url.search));
  // A link in a guide's words is one of the campaign's sources: the build refuses any other.
  return campaign.platforms.some((platform) => platform.formUrl === href) || campaign.sources.some((source) => source.url === href);
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

  for (const { label, campaign, locale, email, guides } of emailCases()) {
    const file = label.replace(/ /g, '_');
    describe(label, () => {
      it(`has a subject under ${MAX_SUBJECT} characters and no unfilled {{tags}}`, () => {
        expect(email.subject.length, email.subject).toBeLessThan(MAX_SUBJECT);
        expect(email.subject).not.toMatch(/[{}]/);
        expect(email.html).not.toContain('{{');
        expect(email.text).not.toContain('{{');
      });

      it('stays under the size at which Gmail clips a message', () => {
        expect(Buffer.byteLength(email.html, 'utf8')).toBeLessThan(GMAIL_CLIP_BYTES);
      });

      it("links only to our pages and the campaign's platform pages, over https", async () => {
        await page.setContent(email.html);
        const hrefs = await page.locator('a[href]').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''));
        expect(hrefs.length).toBeGreaterThan(0);
        for (const href of [...hrefs, ...urlsInText(email.text)]) expect(isAllowedTarget(href, campaign), href).toBe(true);

        const paths = hrefs.map((href) => new URL(href).pathname);
        const objected = new Set(paths.filter((path) => path.startsWith('/objected/')));
        expect(objected.size).toBe(guides.length);
        if (guides.length === 0) {
          expect(paths.filter((path) => path.startsWith('/confirm/'))).toHaveLength(1);
        } else {
          for (const route of ['/unsubscribe/', '/preferences/', '/privacy']) expect(paths.some((path) => path.startsWith(route)), route).toBe(true);
        }
        // Each platform with a form or a setting links to it, with the words for which it is.
        const words = textFor(locale).email.guide;
        for (const platform of campaign.platforms.filter((item) => guides.includes(item.id) && item.formUrl)) {
          expect(hrefs).toContain(platform.formUrl);
          expect(email.text).toContain(platform.action === 'setting' ? words.setting : words.form);
        }
      });

      it('fits a 320 px screen, reads well at 800 px, and needs no images', async () => {
        await page.emulateMedia({ colorScheme: 'light' });
        await page.setViewportSize({ width: 320, height: 640 });
        await page.setContent(email.html);
        expect(await page.evaluate(() => document.scrollingElement?.scrollWidth)).toBeLessThanOrEqual(320);
        await page.screenshot({ path: `${SCREENSHOTS}${file}_320.png`, fullPage: true });
        // No images at all, so "images off" changes nothing; were one added, it would need alt text.
        expect(await page.locator('img:not([alt])').count()).toBe(0);
        expect(await page.locator('img').count()).toBe(0);
        for (const { text, ratio } of await page.evaluate(textContrasts)) expect(ratio, `light: "${text}"`).toBeGreaterThanOrEqual(MIN_CONTRAST);

        await page.setViewportSize({ width: 800, height: 800 });
        expect(await page.evaluate(() => document.scrollingElement?.scrollWidth)).toBeLessThanOrEqual(800);
        await page.screenshot({ path: `${SCREENSHOTS}${file}_800.png`, fullPage: true });
      });

      it('turns dark in dark mode, with every text still readable', async () => {
        await page.setViewportSize({ width: 800, height: 800 });
        await page.emulateMedia({ colorScheme: 'dark' });
        await page.setContent(email.html);
        expect(await page.locator('meta[name="color-scheme"]').getAttribute('content')).toBe('light dark');
        // Clients that honour the scheme get the dark palette, not a white page in a dark app.
        expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(21, 23, 26)');
        const contrasts = await page.evaluate(textContrasts);
        expect(contrasts.length).toBeGreaterThan(5);
        for (const { text, ratio } of contrasts) expect(ratio, `dark: "${text}"`).toBeGreaterThanOrEqual(MIN_CONTRAST);
        await page.screenshot({ path: `${SCREENSHOTS}${file}_800_dark.png`, fullPage: true });
      });
    });
  }
});
