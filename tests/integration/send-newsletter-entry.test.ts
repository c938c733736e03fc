import { describe, expect, it } from 'vitest';
import { seedConfirmed } from '../support/seed.js';
import { createTestStack, inbox, testAddress } from '../support/stack.js';


describe('the newsletter Lambda entry point', () => {
  it('sends a built issue for an invocation event, refuses a malformed one or an unknown issue', async () => {
    const stack = await createTestStack();
    // The handler reads its configuration from the environment when first imported, as in Lambda.
    Object.assign(process.env, {
      TABLE_NAME: stack.config.TABLE_NAME,
      DYNAMODB_ENDPOINT: stack.config.DYNAMODB_ENDPOINT,
      SES_ENDPOINT: stack.config.SES_ENDPOINT,
      SIGNING_SECRET: stack.config.SIGNING_SECRET,
      ADMIN_TOKEN: stack.config.ADMIN_TOKEN,
      PUBLIC_URL: stack.config.PUBLIC_URL,
    });
    delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    // Real time: the handler runs on the system clock, so the reader confirmed just now.
    const email = testAddress('lambda');
    await seedConfirmed(stack, { email, timeZone: 'Europe/Berlin', platforms: ['instagram'], confirmedAt: new Date() });
    const { handler } = await import('../../functions/send-newsletter.js');

    const summary = await handler({ issueId: '2025-05-meta-last-week', segment: { platform: 'instagram' }, dryRun: false });
    expect(summary).toMatchObject({ issueId: '2025-05-meta-last-week', total: 1, queued: 1, failed: 0, stoppedEarly: false });
    // The mailer sends the copy the handler wrote.
    expect(await inbox(email)).toHaveLength(1);
    expect(await handler({ issueId: '2025-05-meta-last-week', segment: { platform: 'instagram' }, dryRun: false })).toMatchObject({ queued: 0, alreadyQueued: 1 });

    await expect(handler({ issueId: '2025-05-meta-last-week' })).rejects.toThrow();
    await expect(handler({ issueId: 'no-such-issue', segment: {}, dryRun: true })).rejects.toThrow(/No issue "no-such-issue"/);
  });
});
