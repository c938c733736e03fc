import { describe, expect, it } from 'vitest';
import { hashAddress } from '../../functions/domain/token.js';
import { createTestStack, inbox, linkIn, manualClock, post, signUp, subjectsTo, tableSnapshot, testAddress, type TestStack } from '../support/stack.js';

const CONFIRMED_AT = '2026-12-01T10:00:00Z';
const DAY = 86_400_000;

/** A watcher of Instagram whose only campaign (Meta 2025) is long over. */
async function watcher(stack: TestStack, label: string) {
  const email = testAddress(label);
  await signUp(stack.app, { email, platforms: 'instagram', campaign: 'meta-ai-2025', consent: 'on', watch: 'on', timezone: 'Europe/Berlin' });
  await post(stack.app, linkIn((await inbox(email))[0]!, 'confirm'), { confirm: 'yes' });
  return email;
}

/** The yearly questions a watcher got, once the mailer has sent what the runs handed it. */
const questions = async (stack: TestStack, email: string) => {
  await stack.deliverMail();
  return subjectsTo(stack, email).filter((s) => s.startsWith('Keep watching'));
};

describe("the watch's yearly question", () => {
  it('asks a watcher with nothing running once a year, keeps one who answers, and erases one who does not within 30 days', async () => {
    const time = manualClock(CONFIRMED_AT);
    const stack = await createTestStack({ clock: time.clock });
    const keeps = await watcher(stack, 'keeps');
    const silent = await watcher(stack, 'silent');

    // Eleven months on: nothing yet.
    time.set(new Date(Date.parse(CONFIRMED_AT) + 330 * DAY));
    await stack.service.countdown.run();
    expect(await questions(stack, keeps)).toEqual([]);

    // A year on: one question each, however often send-due runs.
    time.set(new Date(Date.parse(CONFIRMED_AT) + 366 * DAY));
    await stack.service.countdown.run();
    await stack.service.countdown.run();
    expect(await questions(stack, keeps)).toHaveLength(1);
    expect(await questions(stack, silent)).toHaveLength(1);

    // One answers with the button (a GET alone changes nothing).
    const question = (await inbox(keeps)).find((m) => m.subject.startsWith('Keep watching'))!;
    const link = linkIn(question, 'watch');
    expect(await (await stack.app.request(link)).text()).toContain('Yes, keep watching');
    expect((await post(stack.app, link)).status).toBe(400);
    const kept = await post(stack.app, link, { keep: 'yes' });
    expect(await kept.text()).toContain('We ask again around');
    // The watch is kept exactly as long as the person: its items expire with theirs, a year on.
    const keepsId = hashAddress(stack.config.SIGNING_SECRET, keeps);
    const expiry = async (sk: string) =>
      (await tableSnapshot(stack))
        .split('\n')
        .map((line) => JSON.parse(line) as { pk: { S: string }; sk: { S: string }; ttl?: { N: string } })
        .find((item) => item.pk.S === `PERSON#${keepsId}` && item.sk.S === sk)?.ttl?.N;
    expect(Number(await expiry('PERSON'))).toBeGreaterThan((Date.parse(CONFIRMED_AT) + 2 * 366 * DAY) / 1000);
    expect(await expiry('WATCH#instagram')).toBe(await expiry('PERSON'));

    // A month later the silent one is erased, the one who answered is kept and not asked again.
    time.set(new Date(Date.parse(CONFIRMED_AT) + 397 * DAY));
    await stack.service.countdown.run();
    const table = await tableSnapshot(stack);
    expect(table).not.toContain(silent);
    expect(table).toContain(keeps);
    const silentId = hashAddress(stack.config.SIGNING_SECRET, silent);
    expect(table.split('\n').filter((item) => item.includes(silentId))).toEqual([expect.stringContaining('watch-unanswered')]);
    expect(await questions(stack, keeps)).toHaveLength(1);

    // The next year, the question comes again.
    time.set(new Date(Date.parse(CONFIRMED_AT) + (366 + 366) * DAY));
    await stack.service.countdown.run();
    expect(await questions(stack, keeps)).toHaveLength(2);
  });
});
