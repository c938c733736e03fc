/**
 * Every form that changes something, as Chromium sends it: from our own pages it works (the
 * operator signs in and stays signed in; a person confirms, marks a platform done, saves their
 * preferences and deletes their data), and the same form auto-submitted by a page of another
 * origin is refused with a page a person can read, changing nothing and leaving the session alone.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textFor } from '../../functions/locales/index.js';
import { serveAppInChromium, type ServedApp } from '../support/browser.js';
import { createTestStack, inbox, manualClock, signUp, testAddress, type StoredEmail } from '../support/stack.js';

/** Two weeks before Meta's deadline. */
const NOW = '2025-05-12T08:00:00Z';
const en = textFor('en');

/** Another origin: serves, at a path of its own, a page that posts a form to us as soon as it loads. */
interface OtherSite {
  /** The page's address: on `host` (127.0.0.1 is the same site as the app on another port; localhost is another site). */
  autoSubmit(host: '127.0.0.1' | 'localhost', action: string, fields: Record<string, string | string[]>): string;
  close(): Promise<void>;
}

async function startOtherSite(): Promise<OtherSite> {
  const pages = new Map<string, string>();
  const server = await new Promise<Server>((resolve) => {
    const listening = createServer((request, response) => {
      const html = pages.get(request.url ?? '');
      response.writeHead(html ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(html ?? 'no such page');
    }).listen(0, '127.0.0.1', () => resolve(listening));
  });
  const port = (server.address() as AddressInfo).port;
  const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return {
    autoSubmit(host, action, fields) {
      const inputs = Object.entries(fields)
        .flatMap(([name, values]) => [values].flat().map((value) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`))
        .join('');
      const path = `/page-${pages.size}`;
      pages.set(path, `<!doctype html><title>A prize for you</title><form method="post" action="${escape(action)}">${inputs}</form><script>document.forms[0].submit()</script>`);
      return `http://${host}:${port}${path}`;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Opens `url` and waits for the page to have navigated to the answer of its POST to `action`. */
async function answerTo(page: Page, url: string, action: string): Promise<Response> {
  const [answer] = await Promise.all([
    page.waitForResponse((response) => response.url() === action && response.request().method() === 'POST'),
    page.goto(url),
  ]);
  await page.waitForLoadState();
  return answer;
}

/** Whether a refusal is a page a person can read: 403, HTML, saying that another site sent it. */
async function expectRefusalPage(page: Page, answer: Response, label: string) {
  expect(answer.status(), label).toBe(403);
  expect(answer.headers()['content-type'], label).toContain('text/html');
  expect(await page.getByRole('heading', { level: 1 }).textContent(), label).toBe(en.pages.errorTitle);
  expect(await page.locator('main').textContent(), label).toContain(en.errors.cross_site);
}

describe('forms sent in Chromium, from our pages and from another origin', { timeout: 120_000 }, () => {
  let served: ServedApp;
  let other: OtherSite;
  let baseURL: string;

  beforeAll(async () => {
    // The links in the emails lead back to this server.
    served = await serveAppInChromium((url) => createTestStack({ clock: manualClock(NOW).clock, env: { PUBLIC_URL: url } }));
    ({ baseURL } = served);
    other = await startOtherSite();
  });

  afterAll(async () => {
    await other?.close();
    await served?.close();
  });

  describe('the operator', () => {
    let context: BrowserContext;
    let page: Page;

    const signInWithTheForm = async () => {
      await page.goto('/admin');
      await page.getByLabel('Admin token').fill(served.stack.config.ADMIN_TOKEN);
      const [answer] = await Promise.all([page.waitForResponse((r) => r.url() === `${baseURL}/admin/login`), page.getByRole('button', { name: 'Sign in' }).click()]);
      await page.waitForLoadState();
      return answer;
    };

    beforeAll(async () => {
      context = await served.newContext();
      page = await context.newPage();
    });

    it('signs in with the admin token, sees the dashboard and stays signed in', async () => {
      const answer = await signInWithTheForm();
      expect(answer.status()).toBe(303);
      expect(new URL(page.url()).pathname).toBe('/admin');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Operator');
      // A reload, and a POST of the dashboard's own form, keep the session.
      expect((await page.reload())?.status()).toBe(200);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Operator');
      const [dryRun] = await Promise.all([
        page.waitForResponse((r) => r.url() === `${baseURL}/admin/newsletters`),
        page.getByRole('button', { name: 'Send', exact: true }).click(),
      ]);
      expect(dryRun.status()).toBe(200);
      await page.waitForLoadState();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Operator');
    });

    it('refuses a sign-out posted by another origin and stays signed in', async () => {
      for (const host of ['127.0.0.1', 'localhost'] as const) {
        const attack = await context.newPage();
        const answer = await answerTo(attack, other.autoSubmit(host, `${baseURL}/admin/logout`, {}), `${baseURL}/admin/logout`);
        await expectRefusalPage(attack, answer, host);
        await attack.close();
        expect((await page.goto('/admin'))?.status(), host).toBe(200);
        expect(await page.getByRole('heading', { level: 1 }).textContent(), host).toBe('Operator');
      }
    });

    it('refuses a sign-in posted by another origin, even with the right token, and sets no session', async () => {
      const stranger = await served.newContext();
      const attack = await stranger.newPage();
      const answer = await answerTo(attack, other.autoSubmit('localhost', `${baseURL}/admin/login`, { token: served.stack.config.ADMIN_TOKEN }), `${baseURL}/admin/login`);
      await expectRefusalPage(attack, answer, 'sign-in');
      expect(await stranger.cookies(baseURL)).toEqual([]);
    });

    it('signs out with its own button', async () => {
      await page.goto('/admin');
      await Promise.all([page.waitForResponse((r) => r.url() === `${baseURL}/admin/logout`), page.getByRole('button', { name: 'Sign out' }).click()]);
      expect((await page.goto('/admin'))?.status()).toBe(401);
    });
  });

  describe('a person', () => {
    /** The distinct paths of one kind of link in an email's HTML. */
    const pathsIn = (email: StoredEmail, kind: string) => [...new Set((email.body.html ?? '').match(new RegExp(`/${kind}/[A-Za-z0-9._~-]+`, 'g')) ?? [])];

    it('confirms, marks a platform done, saves preferences and deletes their data from our pages; another origin can do none of it', async () => {
      const address = testAddress('person-posts');
      expect((await signUp(served.stack.app, { email: address, platforms: ['facebook', 'instagram'], consent: 'yes' })).status).toBe(200);
      const [confirmation] = await inbox(address);
      const [confirmPath] = pathsIn(confirmation!, 'confirm');
      const context = await served.newContext();
      const page = await context.newPage();

      /** The form posted by another origin's page (the same site on another port, then another site): refused, every time. */
      const refusedFromElsewhere = async (path: string, fields: Record<string, string | string[]>) => {
        for (const host of ['127.0.0.1', 'localhost'] as const) {
          const attack = await context.newPage();
          await expectRefusalPage(attack, await answerTo(attack, other.autoSubmit(host, `${baseURL}${path}`, fields), `${baseURL}${path}`), `${host} ${path}`);
          await attack.close();
        }
      };

      // Confirm.
      await refusedFromElsewhere(confirmPath!, { confirm: 'yes' });
      await page.goto(confirmPath!);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(en.pages.confirmTitle);
      expect(await inbox(address)).toHaveLength(1);
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: en.pages.confirmButton }).click()]);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(en.pages.confirmedTitle);
      const welcome = (await inbox(address)).find((mail) => mail.subject.startsWith('Your guide'));
      const [objectedPath] = pathsIn(welcome!, 'objected');
      const [preferencesPath] = pathsIn(welcome!, 'preferences');
      const [unsubscribePath] = pathsIn(welcome!, 'unsubscribe');

      // "I've objected".
      await refusedFromElsewhere(objectedPath!, { sent: 'yes', done: 'yes' });
      await page.goto(objectedPath!);
      const name = (await page.getByRole('heading', { level: 1 }).textContent())?.replace(/^Mark (.*) as done\?$/, '$1') ?? '';
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(en.pages.objectionAskTitle(name));
      await page.getByRole('checkbox', { name: en.pages.objectionTick(name) }).check();
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: en.pages.objectionButton(name) }).click()]);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(en.pages.objectionDoneTitle(name));

      // Preferences: another origin cannot switch the language; the page's own Save can.
      await refusedFromElsewhere(preferencesPath!, { platforms: ['facebook', 'instagram'], timezone: 'Europe/Berlin', locale: 'de', save: 'yes' });
      await page.goto(preferencesPath!);
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      await page.getByLabel(en.signup.locale).selectOption('de');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: en.pages.save }).click()]);
      const de = textFor('de');
      expect(await page.getByRole('status').textContent()).toBe(de.pages.saved);

      // Unsubscribe's buttons, and "Delete my data": refused from elsewhere, and the person is still there.
      await refusedFromElsewhere(unsubscribePath!, { scope: 'all' });
      await refusedFromElsewhere(`${preferencesPath!}/delete`, { delete: 'yes' });
      expect((await page.goto(preferencesPath!))?.status()).toBe(200);
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: de.pages.deleteButton }).click()]);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(de.pages.erasedTitle);
      expect((await page.goto(preferencesPath!))?.status()).toBe(404);
    });

    it('signs up from our form, and not from a form on another origin', async () => {
      const page = await (await served.newContext()).newPage();
      const address = testAddress('elsewhere');
      for (const host of ['127.0.0.1', 'localhost'] as const) {
        const answer = await answerTo(page, other.autoSubmit(host, `${baseURL}/subscribe`, { email: address, platforms: 'facebook', consent: 'yes' }), `${baseURL}/subscribe`);
        await expectRefusalPage(page, answer, host);
      }
      expect(await inbox(address)).toEqual([]);
    });
  });
});
