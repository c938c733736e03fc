import { DateTime } from 'luxon';
import { hashAddress } from '../../functions/domain/token.js';
import { describe, expect, it } from 'vitest';
import { createTestStack, inbox, linkIn, manualClock, post, signUp, testAddress, type StoredEmail, type TestStack } from '../support/stack.js';
import { HOUR, runCron } from '../support/cron.js';



const text = (email: StoredEmail) => (email.body.text ?? '').replace(/\s+/g, ' ');
/** The button of a platform's guide, whichever its action: object, switch off, or mark done. */
const button = (name: string) => new RegExp(`(I've objected on|I've switched it off on) ${name} \\[|Mark ${name} as done`);
/** The emails that arrived after the first `n`, with the day (Berlin) each went out. */
const since = async (email: string, n: number) => (await inbox(email)).slice(n);

/** Signs up from the form, confirms from the email, and returns the inbox so far (confirmation and guides). */
async function signUpAndConfirm(stack: TestStack, email: string, platforms: string[], extra: Record<string, string | string[]> = {}) {
  const answer = await signUp(stack.app, { email, platforms, timezone: 'Europe/Berlin', consent: 'yes', ...extra });
  expect(answer.status).toBe(200);
  const [confirmation] = await inbox(email);
  const confirmed = await post(stack.app, linkIn(confirmation!, 'confirm'), { confirm: 'yes' });
  expect(confirmed.status).toBe(200);
  return inbox(email);
}

describe('a person who ticks Facebook, LinkedIn, X and ChatGPT today', () => {
  it('gets one confirmation, one email with four guides, one email a morning listing what is left, and pages that tell the truth', async () => {
    const time = manualClock('2026-12-06T10:00:00Z');
    const stack = await createTestStack({ clock: time.clock });
    const email = testAddress('four');
    const mails = await signUpAndConfirm(stack, email, ['facebook', 'linkedin', 'x', 'chatgpt']);

    // One confirmation naming the platforms, then one email with every guide.
    expect(mails).toHaveLength(2);
    const [confirmation, guides] = mails as [StoredEmail, StoredEmail];
    expect(confirmation.subject).toMatch(/Facebook, LinkedIn and 2 more/);
    for (const name of ['Facebook', 'LinkedIn', 'X', 'ChatGPT']) expect(text(confirmation)).toContain(name);
    for (const name of ['Facebook', 'LinkedIn', 'X', 'ChatGPT']) expect(text(guides)).toMatch(button(name));
    // Today nothing counts down: no email asks to act before a deadline that passed.
    expect(text(guides)).not.toMatch(/before the deadline/i);

    // The standing mornings: 3 and 10 days after adding, one email each, everything left in it.
    await runCron(stack, time, { from: '2026-12-09T06:00:00Z', to: '2026-12-09T09:00:00Z' });
    const [first, ...more] = await since(email, 2);
    expect(more).toEqual([]);
    for (const name of ['Facebook', 'LinkedIn', 'X', 'ChatGPT']) expect(text(first!)).toMatch(button(name));

    // Facebook done: the page says what is done and what is left, and not "all".
    const page = await (await post(stack.app, linkIn(guides, 'objected', 0), { sent: 'yes' })).text();
    expect(page).toMatch(/Facebook/);
    expect(page).toMatch(/LinkedIn/);
    expect(page).not.toMatch(/all done|all objections/i);

    await runCron(stack, time, { from: '2026-12-16T06:00:00Z', to: '2026-12-16T09:00:00Z' });
    const [second, ...extra] = await since(email, 3);
    expect(extra).toEqual([]);
    expect(text(second!)).not.toMatch(button('Facebook'));
    for (const name of ['LinkedIn', 'X', 'ChatGPT']) expect(text(second!)).toMatch(button(name));

    // Nothing more comes until something changes: the standing mornings are over.
    await runCron(stack, time, { from: '2026-12-17T06:00:00Z', to: '2026-12-31T06:00:00Z', stepMs: 6 * HOUR });
    expect(await since(email, 4)).toEqual([]);
  }, 300_000);
});

describe('one email a morning', () => {
  it('sends a Facebook reminder within four days of a Facebook and X sign-up, and the two due the same morning as one email', async () => {
    // Monday 8 Dec 2026: X's 3-day morning and Facebook's are both Thursday the 11th.
    const time = manualClock('2026-12-08T09:00:00Z');
    const stack = await createTestStack({ clock: time.clock });
    const email = testAddress('both');
    const mails = await signUpAndConfirm(stack, email, ['facebook', 'x']);
    expect(mails.map((m) => m.subject)).toHaveLength(2);
    for (const name of ['Facebook', 'X']) expect(text(mails[1]!)).toMatch(button(name));

    await runCron(stack, time, { from: '2026-12-08T10:00:00Z', to: '2026-12-12T10:00:00Z' });
    const mornings = await since(email, 2);
    expect(mornings).toHaveLength(1);
    expect(text(mornings[0]!)).toMatch(button('Facebook'));
    expect(text(mornings[0]!)).toMatch(button('X'));
    const sentAt = stack.transport.messages.filter((m) => m.to === email).at(-1)!.at;
    expect(DateTime.fromJSDate(sentAt).setZone('Europe/Berlin').toFormat('yyyy-MM-dd HH')).toBe('2026-12-11 09');
  }, 300_000);

  it('counts down to an open deadline and, the morning after it, tells it as history, with the deadline\'s own words never again', async () => {
    const time = manualClock('2025-05-10T10:00:00Z');
    const stack = await createTestStack({ clock: time.clock });
    const email = testAddress('meta');
    await signUpAndConfirm(stack, email, ['facebook', 'instagram'], { campaign: 'meta-ai-2025' });
    await runCron(stack, time, { from: '2025-05-12T06:00:00Z', to: '2025-05-12T08:00:00Z' });
    const [fourteen] = await since(email, 2);
    expect(fourteen!.subject).toMatch(/14 days left/);
    await runCron(stack, time, { from: '2025-05-26T06:00:00Z', to: '2025-05-28T08:00:00Z' });
    const [lastDay, after, ...rest] = await since(email, 3);
    expect(rest).toEqual([]);
    expect(lastDay!.subject).toMatch(/Last day/);
    expect(text(after!)).toContain('26 May 2025');
    expect(text(after!)).not.toMatch(/days left|last day|before the deadline/i);
  }, 300_000);
});

describe('sign-ups add, never replace', () => {
  it('keeps the first picks when a second sign-up of a pending address comes from /c/linkedin-ai-2025, and one link confirms them all', async () => {
    const time = manualClock('2026-12-06T10:00:00Z');
    const stack = await createTestStack({ clock: time.clock });
    const email = testAddress('twice');
    expect((await signUp(stack.app, { email, platforms: ['x', 'gemini', 'google'], timezone: 'Europe/Berlin', consent: 'yes' })).status).toBe(200);
    time.advance(5 * 60_000);
    expect((await signUp(stack.app, { email, platforms: 'linkedin', campaign: 'linkedin-ai-2025', timezone: 'Europe/Berlin', consent: 'yes' })).status).toBe(200);
    // Within the cooldown: still one confirmation email, whose link confirms all four.
    const [confirmation, ...others] = await inbox(email);
    expect(others).toEqual([]);
    const page = await (await stack.app.request(linkIn(confirmation!, 'confirm'))).text();
    for (const name of ['X', 'Gemini', 'Google', 'LinkedIn']) expect(page).toContain(name);
    await post(stack.app, linkIn(confirmation!, 'confirm'), { confirm: 'yes' });
    const guides = (await inbox(email))[1]!;
    for (const name of ['X', 'Gemini', 'LinkedIn']) expect(text(guides)).toMatch(button(name));
    // Each addition kept its own consent record.
    const { person } = await stack.service.people.load(hashAddress(stack.config.SIGNING_SECRET, email), time.clock());
    expect(person?.consents.filter((c) => c.kind === 'reminders').map((c) => c.platforms)).toEqual([['x', 'gemini', 'google'], ['linkedin']]);
  }, 300_000);
});

describe('old links and journeys', () => {
  it('still takes campaign=meta-ai-2025 and confirms it as the platforms of that campaign', async () => {
    const time = manualClock('2025-05-01T08:00:00Z');
    const stack = await createTestStack({ clock: time.clock });
    const email = testAddress('old');
    const mails = await signUpAndConfirm(stack, email, ['facebook', 'whatsapp'], { campaign: 'meta-ai-2025' });
    expect(mails).toHaveLength(2);
    expect(text(mails[1]!)).toMatch(button('Facebook'));
    // A platform the named campaign does not cover is refused, with the field's own message.
    const refused = await signUp(stack.app, { email, platforms: 'chatgpt', campaign: 'meta-ai-2025', consent: 'yes' }, { Accept: 'application/json' });
    expect(refused.status).toBe(400);
  }, 300_000);
});
