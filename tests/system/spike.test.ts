import { describe, expect, it, onTestFinished } from 'vitest';
import { startSesThrottleProxy } from '../support/ses-throttle.js';
import { createTestStack, inbox, manualClock, privateSes, signUp, testAddress } from '../support/stack.js';

const START = '2025-05-14T08:00:00Z';

const form = (email: string) => ({ email, platforms: ['facebook', 'instagram'], timezone: 'Europe/Berlin', consent: 'yes' });

describe('a spike of sign-ups above the SES sending rate', () => {
  it('answers all 300 sign-ups, 50 at once, and delivers every confirmation exactly once against SES throttled at 14/s', async () => {
    const ses = await privateSes();
    onTestFinished(() => ses.stop());
    const proxy = await startSesThrottleProxy({ target: ses.endpoint, ratePerSecond: 14 });
    onTestFinished(() => proxy.stop());
    const stack = await createTestStack({
      clock: manualClock(START).clock,
      env: { SES_ENDPOINT: proxy.endpoint, MAIL_QUOTA_FROM_SES: 'true', MAILER_INSTANCES: '1', IP_SIGNUP_LIMIT: '100000' },
    });
    const emails = Array.from({ length: 300 }, (_, i) => testAddress(`viral${i}`));
    for (let i = 0; i < emails.length; i += 50) {
      const answers = await Promise.all(emails.slice(i, i + 50).map((email) => signUp(stack.app, form(email), { Accept: 'application/json' })));
      expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    }
    // Every answer came before any mail: the sign-ups only wrote their jobs.
    expect(stack.transport.sent).toEqual([]);
    await stack.deliverMail();
    const delivered = new Map<string, number>();
    for (const mail of await inbox('viral', ses.endpoint)) for (const to of mail.destination.to) delivered.set(to, (delivered.get(to) ?? 0) + 1);
    expect(emails.filter((email) => delivered.get(email) !== 1)).toEqual([]);
    expect(delivered.size).toBe(300);
  }, 300_000);
});