/**
 * The sign-up form as a person uses it: Debian's Chromium (driven by playwright-core) against the
 * real app served over HTTP, with DynamoDB Local behind it and the SES emulator as the inbox.
 */
import type { BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveAppInChromium, type ServedApp } from '../support/browser.js';
import { createTestStack, inbox, manualClock, testAddress, type StoredEmail } from '../support/stack.js';

/** Before the deadline (2025-05-27T00:00 Europe/Berlin), so the form shows a countdown. */
const NOW = '2025-05-12T08:00:00Z';

/** Polls the SES emulator until `address` has mail matching `wanted`, or gives up after `timeoutMs`. */
async function waitForMail(address: string, wanted: (email: StoredEmail) => boolean, timeoutMs = 5_000): Promise<StoredEmail> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = (await inbox(address)).find(wanted);
    if (found) return found;
    if (Date.now() > until) {
      const subjects = (await inbox(address)).map((email) => email.subject);
      throw new Error(`no matching email for ${address} within ${timeoutMs} ms; inbox holds: ${JSON.stringify(subjects)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The distinct paths of one kind of link ("/confirm/…", "/objected/…") in an email's HTML. */
function pathsIn(email: StoredEmail, kind: 'confirm' | 'objected'): string[] {
  const pattern = new RegExp(`/${kind}/[A-Za-z0-9._~-]+`, 'g');
  return [...new Set((email.body.html ?? '').match(pattern) ?? [])];
}

describe('sign-up form in Chromium', { timeout: 60_000 }, () => {
  let served: ServedApp;
  let baseURL: string;

  /** A fresh browser profile pointed at the running server. */
  async function openPage(options: BrowserContextOptions = {}): Promise<Page> {
    return (await served.newContext(options)).newPage();
  }

  beforeAll(async () => {
    // The links in the emails must lead back to this server.
    served = await serveAppInChromium((url) => createTestStack({ clock: manualClock(NOW).clock, env: { PUBLIC_URL: url } }));
    ({ baseURL } = served);
  });

  afterAll(() => served?.close());

  it('signs up with JavaScript on, confirms from the inbox and gets the guide for the picked platforms', async () => {
    const address = testAddress('chromium');
    const page = await openPage({ timezoneId: 'America/New_York' });

    const landing = await page.goto('/');
    expect(landing?.status()).toBe(200);
    // The page's script filled in the browser's zone and shows the deadline in it.
    expect(await page.locator('#timezone').inputValue()).toBe('America/New_York');
    // Every platform is offered; the four that Meta's deadline covers count down to it, recounted in
    // the browser's zone (LinkedIn announced its deadline only in September).
    expect(await page.locator('input[name=platforms]').count()).toBe(12);
    const countdowns = page.locator('[data-days-left]');
    expect(await countdowns.count()).toBe(4);
    for (const text of await countdowns.allTextContents()) expect(text).toMatch(/^\d+ days left$/);
    for (const text of await page.locator('[data-deadline]').allTextContents()) expect(text).toContain('(America/New_York)');
    // Each platform's guide is a click away.
    const steps = page.getByText('While logged in to Facebook, open the objection form link.', { exact: true });
    expect(await steps.isVisible()).toBe(false);
    await page.getByText('How, step by step: Facebook').click();
    expect(await steps.isVisible()).toBe(true);

    await page.getByLabel('Email address', { exact: true }).fill(address);
    await page.getByRole('checkbox', { name: 'Facebook', exact: true }).check();
    await page.getByRole('checkbox', { name: 'Instagram', exact: true }).check();
    const consent = page.getByRole('checkbox', { name: /I agree/ });
    expect(await consent.isChecked()).toBe(false);
    await consent.check();
    expect(await consent.isChecked()).toBe(true);

    await page.getByRole('button', { name: 'Send me the guides' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/subscribe');

    const confirmation = await waitForMail(address, (email) => pathsIn(email, 'confirm').length > 0);
    const [confirmPath] = pathsIn(confirmation, 'confirm');
    expect(confirmation.body.html).toContain(`${baseURL}${confirmPath}`);

    const confirmPage = await page.goto(confirmPath!);
    expect(confirmPage?.status()).toBe(200);
    await page.getByRole('button', { name: 'Yes, send me the guides' }).click();
    await page.getByRole('heading', { name: 'You are in' }).waitFor();

    const guide = await waitForMail(address, (email) => email.subject.startsWith('Your guides'));
    const text = guide.body.text ?? '';
    expect(text).toContain('Facebook');
    expect(text).toContain('Instagram');
    expect(text).not.toContain('WhatsApp');
    expect(await inbox(address)).toHaveLength(2);

    // One "I've objected" link per picked platform, each leading to that platform's page.
    const objected = pathsIn(guide, 'objected');
    expect(objected).toHaveLength(2);
    const headings: string[] = [];
    for (const path of objected) {
      await page.goto(path);
      headings.push((await page.getByRole('heading', { level: 1 }).textContent()) ?? '');
    }
    expect([...headings].sort()).toEqual(['Mark Facebook as done?', 'Mark Instagram as done?']);

    // Marking a platform done takes the ticked box: the browser will not send the form without it.
    const facebook = objected[headings.indexOf('Mark Facebook as done?')]!;
    await page.goto(facebook);
    const button = page.getByRole('button', { name: "I've objected on Facebook" });
    await button.click();
    expect(await page.locator('input[name=sent]').evaluate((box) => (box as HTMLInputElement).validity.valueMissing)).toBe(true);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Mark Facebook as done?');
    await page.getByRole('checkbox', { name: /I have sent the objection .* on Facebook/ }).check();
    await Promise.all([page.waitForNavigation(), button.click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Facebook is marked as done');
    expect(await page.getByRole('status').textContent()).toBe('Facebook done; Instagram left.');
  });

  it('shows what is wrong per field when the form is sent empty, with JavaScript off', async () => {
    const page = await openPage({ javaScriptEnabled: false, timezoneId: 'America/New_York' });
    await page.goto('/');
    // Without the script the field keeps the campaign's zone.
    expect(await page.locator('#timezone').inputValue()).toBe('Europe/Berlin');

    const submit = () =>
      Promise.all([
        page.waitForResponse((response) => new URL(response.url()).pathname === '/subscribe' && response.request().method() === 'POST'),
        page.getByRole('button', { name: 'Send me the guides' }).click(),
      ]).then(([response]) => response);

    const empty = await submit();
    expect(empty.status()).toBe(400);
    await page.waitForLoadState();
    const summary = page.getByRole('alert');
    expect(await summary.isVisible()).toBe(true);
    expect(await summary.getByRole('heading').textContent()).toBe('Please check the form');
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator('#email').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#consent').getAttribute('aria-invalid')).toBe('true');
    for (const [id, message] of [
      ['#email-error', 'Enter your email address.'],
      ['#platforms-error', 'Pick at least one platform.'],
      ['#consent-error', 'Please tick the box to agree'],
    ] as const) {
      expect(await page.locator(id).isVisible(), id).toBe(true);
      expect(await page.locator(id).textContent()).toContain(message);
    }
    // Each message is in the summary too, and linked to its field.
    expect(await summary.getByRole('link').count()).toBe(3);

    // Second try: an address and a platform, but no consent.
    const address = testAddress('no-consent');
    await page.getByLabel('Email address', { exact: true }).fill(address);
    await page.getByRole('checkbox', { name: 'Facebook', exact: true }).check();
    const again = await submit();
    expect(again.status()).toBe(400);
    await page.waitForLoadState();
    expect(await page.getByLabel('Email address', { exact: true }).inputValue()).toBe(address);
    expect(await page.getByRole('checkbox', { name: 'Facebook', exact: true }).isChecked()).toBe(true);
    expect(await page.locator('#email').getAttribute('aria-invalid')).toBeNull();
    expect(await page.locator('#consent-error').isVisible()).toBe(true);
    expect(await page.locator('#email-error').count()).toBe(0);
    expect(await page.locator('#platforms-error').count()).toBe(0);

    // inbox() lets the mailer deliver every job written so far first: a refused sign-up wrote none.
    expect(await inbox(address)).toEqual([]);
  });

  it('hides the honeypot from people', async () => {
    const page = await openPage();
    await page.goto('/');
    const trap = page.locator('input[name=website]');
    expect(await trap.count()).toBe(1);

    // Seen: nowhere on the page. (Playwright's isVisible() would say true: it counts any element
    // with a box as visible, even one moved off the page, which is how the trap hides.)
    const box = await trap.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x + box!.width).toBeLessThanOrEqual(0);
    const form = await page.locator('form[action="/subscribe"]').boundingBox();
    expect(form!.x).toBeGreaterThanOrEqual(0);
    expect(await page.evaluate(() => window.scrollX)).toBe(0);
    await page.mouse.wheel(-5_000, 0);
    expect(await page.evaluate(() => window.scrollX)).toBe(0);
    // Heard: inside an aria-hidden container, so screen readers do not offer it.
    expect(await trap.locator('xpath=ancestor::*[@aria-hidden="true"]').count()).toBe(1);
    expect(await page.getByRole('textbox', { name: 'Leave this field empty' }).count()).toBe(0);
    // Reached by keyboard: Tab goes from the language straight to the consent box.
    await page.locator('#locale').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('consent');
  });
});
