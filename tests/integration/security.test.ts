import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestStack, inbox, linkIn, manualClock, post, subscribeAndConfirm, testAddress } from '../support/stack.js';

const START = '2025-05-14T08:00:00Z';

describe('secure headers', () => {
  it('come with every page: a strict CSP without inline script, no framing, no referrer, no sniffing', async () => {
    const stack = await createTestStack({ clock: manualClock(START).clock });
    const welcome = await subscribeAndConfirm(stack, { email: testAddress(), platforms: 'facebook', consent: 'yes' });
    const pages = ['/', '/privacy', '/nope', linkIn(welcome, 'objected'), linkIn(welcome, 'unsubscribe'), linkIn(welcome, 'preferences'), '/confirm/not-a-token'];
    for (const path of pages) {
      const response = await stack.app.request(path);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'none'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
      expect(csp, path).not.toContain('unsafe-inline');
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('cache-control'), path).toBe('no-store');
    }
  });
});

describe('logs', () => {
  afterEach(() => vi.restoreAllMocks());

  it('never contain an address, through a whole journey with a failure in it', async () => {
    const lines: string[] = [];
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
    }
    const time = manualClock('2025-05-10T10:00:00Z');
    let failOnce = true;
    const stack = await createTestStack({
      clock: time.clock,
      transport: (real) => ({
        sendRaw: async (raw) => {
          if (failOnce && raw.toString().includes('14 days left')) {
            failOnce = false;
            throw Object.assign(new Error(`rejected: ${raw.toString().slice(0, 300)}`), { name: 'MessageRejected' });
          }
          return real.sendRaw(raw);
        },
      }),
    });
    const email = testAddress('journey-log');
    const welcome = await subscribeAndConfirm(stack, { email, platforms: ['facebook', 'instagram'], consent: 'yes' });
    await post(stack.app, linkIn(welcome, 'objected'));
    time.set('2025-05-12T07:30:00Z');
    expect((await stack.service.countdown.run()).failed).toBe(1);
    expect((await stack.service.countdown.run()).sent).toBe(1);
    await post(stack.app, linkIn(welcome, 'preferences'), { platforms: 'threads', timezone: 'Nowhere/Land' });
    await post(stack.app, linkIn(welcome, 'unsubscribe'), { 'List-Unsubscribe': 'One-Click' });
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).not.toContain(email.split('@')[0]);
  });
});

describe('POST /subscribe under arbitrary input', () => {
  it('never answers 5xx, and names what is wrong whenever it refuses', async () => {
    const stack = await createTestStack({ clock: manualClock(START).clock, env: { IP_SIGNUP_LIMIT: '100000' } });
    const field = fc.constantFrom('email', 'platforms', 'timezone', 'locale', 'campaign', 'consent', 'website', 'other');
    const value = fc.oneof(fc.string({ maxLength: 80 }), fc.array(fc.string({ maxLength: 20 }), { maxLength: 4 }), fc.boolean(), fc.integer(), fc.constant(null));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(field, value), fc.boolean(), async (fields, asJson) => {
        const response = asJson
          ? await stack.app.request('/subscribe', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(fields) })
          : await stack.app.request('/subscribe', {
              method: 'POST',
              headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
              body: new URLSearchParams(Object.entries(fields).flatMap(([k, v]) => [v].flat().map((item) => [k, String(item)] as [string, string]))).toString(),
            });
        expect(response.status).toBeLessThan(500);
        if (response.status === 400) {
          const body = (await response.json()) as { fields: Record<string, string> };
          expect(Object.keys(body.fields).length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('never lets a header into an email: line breaks in any field are refused or dropped', async () => {
    const stack = await createTestStack({ clock: manualClock(START).clock, env: { IP_SIGNUP_LIMIT: '100000' } });
    const email = testAddress('inject');
    for (const field of ['email', 'timezone', 'locale', 'campaign', 'platforms']) {
      const fields: Record<string, string> = { email, platforms: 'facebook', consent: 'yes' };
      fields[field] = `${fields[field] ?? 'x'}\r\nBcc: victim@example.org`;
      const response = await stack.app.request('/subscribe', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
      expect(response.status).toBeLessThan(500);
    }
    for (const raw of stack.transport.sent) expect(raw).not.toMatch(/^Bcc:/m);
    expect(await inbox('victim@example.org')).toHaveLength(0);
  });
});
