/**
 * Every page a person meets, checked by axe-core in Debian's Chromium at WCAG 2.1 AA, in light
 * and dark colour schemes; and a sign-up done with the keyboard alone.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type { AxeResults, RunOptions } from 'axe-core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../functions/domain/token.js';
import { serveAppInChromium, type ServedApp } from '../support/browser.js';
import { createTestStack, inbox, linkIn, manualClock, post, signUp, testAddress, type StoredEmail, type TestStack } from '../support/stack.js';

/** Two weeks before Meta's deadline; LinkedIn's campaign is not announced yet, /c/ still opens it. */
const NOW = '2025-05-12T08:00:00Z';
const WCAG_21_AA: RunOptions = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } };
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core from an address of its own, cacheable: Chromium then compiles its half a megabyte once
 * and reuses the code on every page, where an inline copy was compiled anew each time.
 */
let axeUrl = '';
const axeServer = createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'max-age=3600' });
  response.end(axeSource);
});
beforeAll(async () => {
  await new Promise<void>((resolve) => axeServer.listen(0, '127.0.0.1', resolve));
  axeUrl = `http://127.0.0.1:${(axeServer.address() as AddressInfo).port}/axe.min.js`;
});
afterAll(() => new Promise<void>((resolve) => axeServer.close(() => resolve())));

/** Opens every folded guide (`<details>`): opened, their steps and links must pass too. */
async function openEveryGuide(page: Page): Promise<void> {
  await page.locator('details').evaluateAll((all) => all.forEach((details) => ((details as HTMLDetailsElement).open = true)));
}

/** Runs axe in the page and returns its violations, one readable line per failing element. */
async function violationsIn(page: Page): Promise<string[]> {
  await page.addScriptTag({ url: axeUrl });
  const results = await page.evaluate(
    (options) => (window as unknown as { axe: { run(context: Document, options: RunOptions): Promise<AxeResults> } }).axe.run(document, options),
    WCAG_21_AA,
  );
  return results.violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help} at ${node.target.join(' ')}: ${node.failureSummary ?? ''}`),
  );
}

/** Signs up through the app and, unless `pending`, confirms; returns the last email received. */
async function signUpFor(stack: TestStack, fields: Record<string, string | string[]>, { pending = false } = {}): Promise<StoredEmail> {
  const email = String(fields.email);
  const response = await signUp(stack.app, { consent: 'yes', ...fields });
  if (response.status !== 200) throw new Error(`sign-up answered ${response.status}`);
  const [confirmation] = await inbox(email);
  if (!confirmation) throw new Error('no confirmation mail');
  if (pending) return confirmation;
  const confirmed = await post(stack.app, linkIn(confirmation, 'confirm'), { confirm: 'yes' });
  if (confirmed.status !== 200) throw new Error(`confirm answered ${confirmed.status}`);
  const welcome = (await inbox(email)).find((mail) => mail.messageId !== confirmation.messageId);
  if (!welcome) throw new Error('no welcome mail');
  return welcome;
}

describe('accessibility in Chromium', { timeout: 60_000 }, () => {
  let served: ServedApp;
  let stack: TestStack;

  beforeAll(async () => {
    served = await serveAppInChromium(() => createTestStack({ clock: manualClock(NOW).clock }));
    stack = served.stack;
  });

  afterAll(() => served?.close());

  it('reports what it is shown: an unlabelled field and faint text are violations', async () => {
    const context = await served.newContext();
    const page = await context.newPage();
    await page.setContent('<!doctype html><html lang="en"><title>t</title><main><p style="color:#bbb;background:#fff">Faint</p><input type="text"></main></html>');
    const found = (await violationsIn(page)).map((line) => line.split(' ')[0]);
    expect(found).toEqual(expect.arrayContaining(['color-contrast', 'label']));
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    describe(`axe at WCAG 2.1 AA, ${colorScheme} colour scheme`, () => {
      let page: Page;
      /** The links of this scheme's own subscribers, so that each scheme walks the same states. */
      let pendingConfirm: string;
      let objected: string;
      let unsubscribe: string;
      let germanPreferences: string;

      beforeAll(async () => {
        // The pages allow only their own hashed script; axe comes from another address, so this
        // context bypasses the CSP. The CSP itself is checked, unbypassed, in form-weight.test.ts.
        const context = await served.newContext({ colorScheme, bypassCSP: true, timezoneId: 'Europe/Berlin' });
        page = await context.newPage();
        pendingConfirm = linkIn(await signUpFor(stack, { email: testAddress(`pending-${colorScheme}`), platforms: 'facebook' }, { pending: true }), 'confirm');
        const welcome = await signUpFor(stack, { email: testAddress(`en-${colorScheme}`), platforms: ['facebook', 'instagram'], campaign: 'meta-ai-2025' });
        objected = linkIn(welcome, 'objected');
        // An old email's link, which names its campaign: the page offers "stop only this campaign" too.
        const [, personId = '', generation = ''] = (linkIn(welcome, 'unsubscribe').split('/')[2] ?? '').split('.');
        unsubscribe = `/unsubscribe/${signToken(stack.config.SIGNING_SECRET, { purpose: 'unsubscribe', personId, generation, campaignId: 'meta-ai-2025' })}`;
        const german = await signUpFor(stack, { email: testAddress(`de-${colorScheme}`), platforms: 'linkedin', campaign: 'linkedin-ai-2025', locale: 'de' });
        germanPreferences = linkIn(german, 'preferences');
      });

      /** Opens `path` and expects the status a person would get. */
      async function visit(path: string, status = 200) {
        const response = await page.goto(path);
        expect(response?.status(), path).toBe(status);
      }

      /** Presses a button that submits a form, and waits for the page it leads to. */
      async function press(name: string | RegExp) {
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name }).click()]);
      }

      it('finds nothing on the form in English, with Meta\'s countdown', async () => {
        await visit('/?lang=en');
        // The scheme really is in force: the page is painted in its colours.
        expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(colorScheme === 'dark' ? 'rgb(21, 23, 26)' : 'rgb(255, 255, 255)');
        expect(await violationsIn(page)).toEqual([]);
      });

      it('finds nothing on the form in German', async () => {
        await visit('/?lang=de');
        expect(await page.getAttribute('html', 'lang')).toBe('de');
        expect(await violationsIn(page)).toEqual([]);
      });

      it('finds nothing on the LinkedIn form at /c/linkedin-ai-2025', async () => {
        await visit('/c/linkedin-ai-2025');
        expect(await violationsIn(page)).toEqual([]);
      });

      it('finds nothing on the form showing its errors after an empty submit', async () => {
        await visit('/');
        await press('Send me the guides');
        await page.getByRole('alert').waitFor();
        expect(await violationsIn(page)).toEqual([]);
      });

      it('finds nothing on "Check your inbox", with its "did you mean …?"', async () => {
        await visit('/');
        await page.getByLabel('Email address', { exact: true }).fill(testAddress(`inbox-${colorScheme}`).replace('@example.org', '@gmial.com'));
        await page.getByRole('checkbox', { name: 'Threads', exact: true }).check();
        await page.getByRole('checkbox', { name: /I agree/ }).check();
        await press('Send me the guides');
        await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
        await page.getByText(/^Did you mean .*@gmail\.com\?$/).waitFor();
        expect(await violationsIn(page)).toEqual([]);
      });

      it('finds nothing on the confirm page, nor on the page after confirming', async () => {
        await visit(pendingConfirm);
        expect(await violationsIn(page)).toEqual([]);
        await press('Yes, send me the guides');
        await page.getByRole('heading', { name: 'You are in' }).waitFor();
        expect(await violationsIn(page)).toEqual([]);
      });

      it('finds nothing on the objected page, before, after and once done', async () => {
        await visit(objected);
        await page.getByRole('heading', { name: 'Mark Facebook as done?' }).waitFor();
        expect(await violationsIn(page)).toEqual([]);
        // The button marks it done only with the box ticked: a person says so, a scanner cannot.
        await page.getByRole('checkbox', { name: /I have sent the objection .* on Facebook/ }).check();
        await press("I've objected on Facebook");
        await page.getByRole('heading', { name: 'Facebook is marked as done' }).waitFor();
        expect(await violationsIn(page)).toEqual([]);
        await visit(objected);
        await page.getByRole('button', { name: /^Undo/ }).waitFor();
        expect(await violationsIn(page)).toEqual([]);
      });

      it('finds nothing on the preferences page, in German, its guides opened, nor after adding a platform', async () => {
        await visit(germanPreferences);
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Ihre Einstellungen');
        await openEveryGuide(page);
        expect(await violationsIn(page)).toEqual([]);
        await press('Claude hinzufügen');
        await page.getByRole('status').waitFor();
        expect(await violationsIn(page)).toEqual([]);
      });

      it('finds nothing on the unsubscribe page, nor after unsubscribing', async () => {
        await visit(unsubscribe);
        // Both choices are on the page: everything, or only the campaign of the email.
        await page.getByRole('button', { name: /^Stop only / }).waitFor();
        expect(await violationsIn(page)).toEqual([]);
        await press('Unsubscribe from everything');
        await page.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
        expect(await violationsIn(page)).toEqual([]);
      });

      it('finds nothing on the privacy page, in both languages', async () => {
        await visit('/privacy');
        expect(await violationsIn(page)).toEqual([]);
        await visit('/privacy?lang=de');
        expect(await violationsIn(page)).toEqual([]);
      });

      it('finds nothing on the operator pages: the sign-in form and the dashboard with its charts', async () => {
        await visit('/admin', 401);
        expect(await page.getByLabel(/token/i).count()).toBe(1);
        expect(await violationsIn(page)).toEqual([]);
        await page.setExtraHTTPHeaders({ Authorization: `Bearer ${stack.config.ADMIN_TOKEN}` });
        try {
          await visit('/admin');
          expect(await page.locator('svg').count()).toBeGreaterThan(0);
          expect(await violationsIn(page)).toEqual([]);
        } finally {
          await page.setExtraHTTPHeaders({});
        }
      });

      it('finds nothing on the error pages: a bad link and an unknown address', async () => {
        await visit('/confirm/not-a-real-token', 403);
        expect(await violationsIn(page)).toEqual([]);
        await visit('/no-such-page', 404);
        expect(await violationsIn(page)).toEqual([]);
      });
    });
  }

  describe('keyboard only', () => {
    it('signs up with Tab, Space, typing and Enter, and never lands on the honeypot', async () => {
      const context = await served.newContext({ timezoneId: 'Europe/Berlin' });
      const page = await context.newPage();
      await page.goto('/');
      const visited: string[] = [];

      /** Presses Tab until the focused element matches `selector`; remembers every stop on the way. */
      async function tabTo(selector: string) {
        for (let presses = 0; presses < 40; presses += 1) {
          await page.keyboard.press('Tab');
          const stop = await page.evaluate((wanted) => {
            const active = document.activeElement;
            return { id: active?.id || active?.tagName.toLowerCase() || '', matches: active?.matches(wanted) ?? false };
          }, selector);
          visited.push(stop.id);
          if (stop.matches) return;
        }
        throw new Error(`Tab never reached ${selector}; stops: ${visited.join(', ')}`);
      }

      await tabTo('#platform-facebook');
      await page.keyboard.press('Space');
      await tabTo('#platform-instagram');
      await page.keyboard.press('Space');
      await tabTo('#email');
      await page.keyboard.type(testAddress('keyboard'));
      await tabTo('#consent');
      await page.keyboard.press('Space');
      await tabTo('button[type=submit]');
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);

      await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Check your inbox');
      expect(visited).not.toContain('website');
      expect(visited).toEqual(expect.arrayContaining(['email', 'platform-facebook', 'platform-instagram', 'consent']));
    });
  });
});

describe('accessibility in Chromium on today\'s clock, with no deadline open', { timeout: 60_000 }, () => {
  let served: ServedApp;

  beforeAll(async () => {
    served = await serveAppInChromium(() => createTestStack({ clock: manualClock('2026-12-01T10:00:00Z').clock }));
  });

  afterAll(() => served?.close());

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`finds nothing on the form of standing settings nor on a past campaign's form, ${colorScheme}`, async () => {
      const context = await served.newContext({ colorScheme, bypassCSP: true, timezoneId: 'Europe/Berlin' });
      const page = await context.newPage();
      for (const path of ['/?lang=en', '/?lang=de', '/c/meta-ai-2025']) {
        expect((await page.goto(path))?.status(), path).toBe(200);
        await openEveryGuide(page);
        expect(await violationsIn(page), path).toEqual([]);
      }
    });
  }

  it('reads at 320 px without sideways scrolling', async () => {
    const context = await served.newContext({ viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    await page.goto('/?lang=de');
    await openEveryGuide(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  });
});
