import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { hashAddress } from '../../functions/domain/token.js';
import { newsletterIssues } from '../../functions/newsletter-issues.js';
import { createDynamoClient } from '../../functions/store/client.js';
import { keys } from '../../functions/store/keys.js';
import { createTestStack, inbox, linkIn, manualClock, post, signUp, subscribeAndConfirm, testAddress, type TestStack } from '../support/stack.js';

// Facebook and Instagram added on 20 May 2025: their last morning is the standing one 10 days on,
// Friday 30 May at 09:00 Berlin (07:00 UTC); 30 days of grace after it.
const ERASED_AT = '2025-06-29T07:00:00Z';

async function storedItems(stack: TestStack, email: string, preferencesPath: string) {
  const db = createDynamoClient({ region: stack.config.AWS_REGION, endpoint: stack.config.DYNAMODB_ENDPOINT });
  const personId = hashAddress(stack.config.SIGNING_SECRET, email);
  expect(preferencesPath).toContain(`.${personId}.`);
  const get = async (key: Record<string, string>) => (await db.send(new GetCommand({ TableName: stack.config.TABLE_NAME, Key: key }))).Item;
  return { mornings: await get(keys.mornings(personId)), person: await get(keys.person(personId)) };
}

describe('erasure after the last reminder', () => {
  it('sets every personal item to expire a grace period after the last morning the list could ask for, and treats it as gone from then on', async () => {
    const time = manualClock('2025-05-20T08:00:00Z');
    const stack = await createTestStack({ clock: time.clock });
    const email = testAddress('retained');
    const welcome = await subscribeAndConfirm(stack, { email, platforms: ['facebook', 'instagram'], consent: 'on', timezone: 'Europe/Berlin' });
    const preferences = linkIn(welcome, 'preferences');

    const items = await storedItems(stack, email, preferences);
    expect(items.mornings?.ttl).toBe(Date.parse(ERASED_AT) / 1000);
    expect(items.person?.ttl).toBe(Date.parse(ERASED_AT) / 1000);

    // Everything still works until then: the morning after the deadline goes out.
    time.set('2025-05-27T07:30:00Z');
    expect((await stack.service.countdown.run()).queued).toBe(1);
    await stack.deliverMail();
    time.set(new Date(Date.parse(ERASED_AT) - 60_000));
    expect((await stack.app.request(preferences)).status).toBe(200);
    const issue = newsletterIssues[0]!;
    expect(await stack.newsletters.send(issue, {}, { dryRun: true })).toMatchObject({ total: 1 });

    // From then on, before DynamoDB's TTL gets to it (up to two days late), the data counts as erased.
    time.set(ERASED_AT);
    expect((await stack.app.request(preferences)).status).toBe(404);
    expect((await stack.app.request(`${preferences}/data`)).status).toBe(404);
    expect((await post(stack.app, linkIn(welcome, 'objected', 0), { sent: 'yes' })).status).toBe(404);
    expect(await stack.newsletters.send(issue)).toMatchObject({ total: 0, queued: 0 });
    const mailBefore = (await inbox(email)).length;
    time.set('2025-07-01T07:30:00Z');
    await stack.service.countdown.run();
    expect(await inbox(email)).toHaveLength(mailBefore);

    // Only the numbers stay.
    const stats = (await (await stack.app.request('/admin/stats', { headers: { Authorization: `Bearer ${stack.config.ADMIN_TOKEN}` } })).json()) as {
      people: { totals: { signups: number; confirmations: number } };
      platforms: { totals: Record<string, { picked: number }> };
    };
    expect(stats.people.totals).toMatchObject({ signups: 1, confirmations: 1 });
    expect(stats.platforms.totals.facebook).toMatchObject({ picked: 1 });

    // Signing up again, before TTL has deleted the old records, starts afresh.
    expect((await signUp(stack.app, { email, platforms: ['whatsapp'], consent: 'on', timezone: 'Europe/Berlin' })).status).toBe(200);
    const confirmation = (await inbox(email)).filter((mail) => mail.subject.startsWith('Confirm')).at(-1)!;
    expect((await post(stack.app, linkIn(confirmation, 'confirm'), { confirm: 'yes' })).status).toBe(200);
    const again = (await inbox(email)).at(-1)!;
    expect(again.subject).toContain('guide');
    expect((await stack.app.request(linkIn(again, 'preferences'))).status).toBe(200);
    // WhatsApp added on 1 July: its last standing morning is 11 July at 09:00 Berlin, plus 30 days.
    expect((await storedItems(stack, email, linkIn(again, 'preferences'))).person?.ttl).toBe(Date.parse('2025-08-10T07:00:00Z') / 1000);
  });

  it('counts the grace from the standing mornings for someone who signs up after the deadline, and takes PRIVACY_GRACE_DAYS from config', async () => {
    const time = manualClock('2025-07-10T08:00:00Z');
    const stack = await createTestStack({ clock: time.clock, env: { PRIVACY_GRACE_DAYS: '10' } });
    const email = testAddress('late');
    const welcome = await subscribeAndConfirm(stack, { email, platforms: ['instagram'], consent: 'on', timezone: 'Europe/Berlin' });
    const items = await storedItems(stack, email, linkIn(welcome, 'preferences'));
    // The morning 10 days after 10 July, at 09:00 Berlin, plus 10 days.
    expect(items.person?.ttl).toBe(Date.parse('2025-07-30T07:00:00Z') / 1000);
  });
});

describe('the privacy page', () => {
  it('says what is stored, why, for how long and how to delete it; the form and every list email link to it', async () => {
    const stack = await createTestStack({ clock: manualClock('2025-05-20T08:00:00Z').clock });
    const page = await (await stack.app.request('/privacy')).text();
    expect(page).toContain('What we store, and why');
    expect(page).toContain('we erase everything about you automatically 30 days later');
    expect(page).toContain('newsletter');
    expect(page).toContain('Delete my data');
    expect(await (await stack.app.request('/')).text()).toContain('href="/privacy"');
    const welcome = await subscribeAndConfirm(stack, { email: testAddress('privacy'), platforms: ['facebook'], consent: 'on' });
    expect(welcome.body.html).toContain('https://optout.example/privacy');
  });
});
