/**
 * The form page is light: what Chromium transfers for GET /, the scripts it runs, and the CSP
 * that lets exactly one inline script through, by its hash.
 */
import { createHash } from 'node:crypto';
import type { Page, Response as PageResponse } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timeZoneScript } from '../../functions/web/assets.js';
import { serveAppInChromium, type ServedApp } from '../support/browser.js';
import { createTestStack, manualClock } from '../support/stack.js';

const NOW = '2025-05-12T08:00:00Z';
const MAX_TRANSFER_BYTES = 50 * 1024;
/** The time zone script as served, in bytes (about 1.2 KB). */
const SCRIPT_BYTES = Buffer.byteLength(timeZoneScript, 'utf8');

interface Transfer {
  url: string;
  resourceType: string;
  bytes: number;
}

describe('the form page in Chromium', { timeout: 60_000 }, () => {
  let served: ServedApp;
  let page: Page;
  let landing: PageResponse | null;
  const transfers: Transfer[] = [];
  const consoleMessages: string[] = [];

  beforeAll(async () => {
    served = await serveAppInChromium(() => createTestStack({ clock: manualClock(NOW).clock }));
    // A first visit with an empty cache, the CSP enforced, in a zone other than the campaigns'.
    const context = await served.newContext({ timezoneId: 'Asia/Tokyo' });
    page = await context.newPage();
    page.on('console', (message) => consoleMessages.push(`${message.type()}: ${message.text()}`));
    page.on('requestfinished', async (request) => {
      const sizes = await request.sizes();
      transfers.push({ url: request.url(), resourceType: request.resourceType(), bytes: sizes.responseHeadersSize + sizes.responseBodySize });
    });
    landing = await page.goto('/');
    await page.waitForLoadState('networkidle');
  });

  afterAll(() => served?.close());

  it(`transfers under ${MAX_TRANSFER_BYTES / 1024} KB in all: the HTML, one stylesheet and nothing else of weight`, () => {
    expect(landing?.status()).toBe(200);
    const total = transfers.reduce((sum, transfer) => sum + transfer.bytes, 0);
    expect(total, JSON.stringify(transfers)).toBeLessThan(MAX_TRANSFER_BYTES);
    expect(transfers.filter((transfer) => transfer.resourceType === 'document')).toHaveLength(1);
    expect(transfers.filter((transfer) => transfer.resourceType === 'stylesheet').map((transfer) => new URL(transfer.url).pathname)).toEqual(['/assets/site.css']);
    expect(transfers.every((transfer) => ['document', 'stylesheet', 'other'].includes(transfer.resourceType)), JSON.stringify(transfers)).toBe(true);
  });

  it('ships no framework: no script file, only the one inline script', async () => {
    expect(transfers.filter((transfer) => transfer.resourceType === 'script')).toEqual([]);
    const scripts = await page.locator('script').evaluateAll((elements) => elements.map((element) => ({ src: element.getAttribute('src'), text: element.textContent ?? '' })));
    expect(scripts).toHaveLength(1);
    expect(scripts[0]?.src).toBeNull();
    expect(scripts[0]?.text).toBe(timeZoneScript);
  });

  it(`runs its ${SCRIPT_BYTES}-byte time zone script, allowed by its sha256 in the CSP, with no violation reported`, async () => {
    expect(SCRIPT_BYTES).toBeLessThan(2_048);
    const csp = (await landing?.allHeaders())?.['content-security-policy'] ?? '';
    const scriptSrc = /(?:^|;)\s*script-src ([^;]*)/.exec(csp)?.[1]?.trim();
    const text = await page.locator('script').textContent();
    const hash = createHash('sha256')
      .update(text ?? '')
      .digest('base64');
    // Only the hash: no 'unsafe-inline', no host to load a script from.
    expect(scriptSrc).toBe(`'sha256-${hash}'`);
    // The script ran: it wrote the browser's zone into the field.
    expect(await page.locator('#timezone').inputValue()).toBe('Asia/Tokyo');
    expect(await page.locator('[data-deadline]').first().textContent()).toContain('(Asia/Tokyo)');
    expect(consoleMessages.filter((message) => /Content Security Policy|Refused to/i.test(message))).toEqual([]);
    expect(consoleMessages.filter((message) => message.startsWith('error'))).toEqual([]);
  });
});
