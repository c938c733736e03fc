import { describe, expect, it } from 'vitest';
import { createService } from '../../functions/app/composition-root.js';
import { campaigns } from '../../functions/campaigns.js';
import { Campaign } from '../../functions/domain/campaign.js';
import { hashAddress } from '../../functions/domain/token.js';
import { createTestStack, inbox, linkIn, manualClock, post, signUp, subjectsTo, tableSnapshot, testAddress, type TestStack } from '../support/stack.js';

const meta = campaigns.find((c) => c.id === 'meta-ai-2025')!;
const linkedin = campaigns.find((c) => c.id === 'linkedin-ai-2025')!;
// A new Instagram deadline, announced after the watchers signed up.
const instagram2027 = Campaign.parse({
  ...meta,
  id: 'instagram-ai-2027',
  title: 'Instagram AI training objection 2027',
  announcedAt: '2026-12-02',
  deadline: { local: '2027-03-01T00:00', timeZone: 'Europe/Berlin' },
  platforms: ['instagram'],
  translations: {},
});

const NOW = '2026-12-01T10:00:00Z';
/** The day after: the new deadline is announced, after the watchers signed up. */
const ANNOUNCED = '2026-12-02T10:00:00Z';

/** A watcher of Instagram (signed up for the past LinkedIn campaign with Instagram ticked too), confirmed. */
async function watcher(stack: TestStack, label: string, watch = true) {
  const email = testAddress(label);
  await signUp(stack.app, {
    email,
    platforms: ['linkedin', 'instagram'],
    campaign: ['linkedin-ai-2025', 'meta-ai-2025'],
    consent: 'on',
    timezone: 'Europe/Berlin',
    ...(watch ? { watch: 'on' } : {}),
  });
  await post(stack.app, linkIn((await inbox(email, stack.config.SES_ENDPOINT))[0]!, 'confirm'), { confirm: 'yes' });
  return email;
}

/** The announcements a person got, once the mailer has sent what the runs handed it. */
const announced = (stack: TestStack, email: string) => subjectsTo(stack, email).filter((s) => s.startsWith('New deadline'));

describe('the watch', () => {
  it('announces a new Instagram deadline exactly once to each watcher across two concurrent runs and a rerun', async () => {
    const time = manualClock(NOW);
    // The pages know the new campaign (its links must work); it is announced once the runs know it too.
    const stack = await createTestStack({ clock: time.clock, campaigns: [meta, linkedin, instagram2027] });
    const watchers = [await watcher(stack, 'watch-a'), await watcher(stack, 'watch-b'), await watcher(stack, 'watch-c')];
    const notWatching = await watcher(stack, 'no-watch', false);
    const announcedCampaigns = [meta, linkedin, instagram2027];

    // Two runs at once, then a rerun: each announcement is written once, with the watcher's next morning.
    time.set(ANNOUNCED);
    const runs = [1, 2].map(() => createService(stack.config, { clock: time.clock, campaigns: announcedCampaigns }));
    const [first, second] = await Promise.all(runs.map((service) => service.countdown.run()));
    expect((first?.announcements?.announced ?? 0) + (second?.announcements?.announced ?? 0)).toBe(watchers.length);
    const rerun = await runs[0]!.countdown.run();
    expect(rerun.announcements).toMatchObject({ announced: 0 });
    await stack.deliverMail();

    for (const email of watchers) expect(announced(stack, email)).toHaveLength(1);
    expect(announced(stack, notWatching)).toEqual([]);
    const mail = (await inbox(watchers[1]!, stack.config.SES_ENDPOINT)).find((m) => m.subject.startsWith('New deadline'))!;
    expect(mail.body.text).toContain('Instagram');
    expect(linkIn(mail, 'objected')).toContain('..instagram.');

    // Instagram's action is the new countdown now, and whoever drops Instagram hears no more of it.
    const data = (await (await stack.app.request(`${linkIn(mail, 'preferences')}/data`)).json()) as { checklist: { platform: string; todaysAction: string }[] };
    expect(data.checklist.find((item) => item.platform === 'instagram')?.todaysAction).toContain('instagram-ai-2027');
    expect((await post(stack.app, linkIn(mail, 'preferences'), { drop: 'instagram' })).status).toBe(200);
    time.set('2027-02-14T08:30:00Z'); // 14 days left, 09:30 in Berlin
    await runs[0]!.countdown.run();
    await stack.deliverMail();
    expect(subjectsTo(stack, watchers[1]!).filter((s) => s.startsWith('14 days left'))).toEqual([]);
    expect(subjectsTo(stack, notWatching).filter((s) => s.startsWith('14 days left'))).toHaveLength(1);
    expect(subjectsTo(stack, watchers[0]!).filter((s) => s.startsWith('14 days left'))).toHaveLength(1);
  });

  it('follows the platforms a watcher uses: whoever adds Instagram on the preferences page hears of its new deadline, whoever drops it does not', async () => {
    const time = manualClock(NOW);
    const stack = await createTestStack({ clock: time.clock, campaigns: [meta, linkedin, instagram2027] });
    const drops = await watcher(stack, 'drops');
    const adds = testAddress('adds');
    await signUp(stack.app, { email: adds, platforms: ['linkedin', 'facebook'], campaign: ['linkedin-ai-2025', 'meta-ai-2025'], consent: 'on', timezone: 'Europe/Berlin', watch: 'on' });
    await post(stack.app, linkIn((await inbox(adds, stack.config.SES_ENDPOINT))[0]!, 'confirm'), { confirm: 'yes' });
    const change = async (email: string, button: 'add' | 'drop', platform: string) => {
      const link = linkIn((await inbox(email, stack.config.SES_ENDPOINT)).at(-1)!, 'preferences');
      expect((await post(stack.app, link, { [button]: platform })).status).toBeLessThan(400);
    };
    await change(drops, 'drop', 'instagram');
    await change(adds, 'add', 'instagram');
    // The new watch is kept as long as the person's data, no longer.
    const addsId = hashAddress(stack.config.SIGNING_SECRET, adds);
    const items = (await tableSnapshot(stack)).split('\n').map((line) => JSON.parse(line) as { pk: { S: string }; sk: { S: string }; ttl?: { N: string } });
    const ttlOf = (sk: string) => items.find((item) => item.pk.S === `PERSON#${addsId}` && item.sk.S === sk)?.ttl?.N;
    expect(ttlOf('WATCH#instagram')).toBeDefined();
    expect(ttlOf('WATCH#instagram')).toBe(ttlOf('PERSON'));

    time.set(ANNOUNCED);
    expect((await stack.service.countdown.run()).announcements).toMatchObject({ announced: 1 });
    await stack.deliverMail();
    expect(announced(stack, adds)).toHaveLength(1);
    expect(announced(stack, drops)).toEqual([]);
  });

  it('tells no watcher who added the platform after the deadline was announced: their guides counted down to it already', async () => {
    const time = manualClock(ANNOUNCED);
    const stack = await createTestStack({ clock: time.clock, campaigns: [meta, linkedin, instagram2027] });
    const late = await watcher(stack, 'late');
    const guides = (await inbox(late, stack.config.SES_ENDPOINT)).at(-1)!;
    expect(guides.body.text).toMatch(/days left to object on Instagram/);
    expect((await stack.service.countdown.run()).announcements).toMatchObject({ announced: 0 });
    await stack.deliverMail();
    expect(announced(stack, late)).toEqual([]);
  });

  it('reads only the watchers of the campaign\'s platforms, resuming from a cursor when the budget runs out', async () => {
    const time = manualClock(NOW);
    const stack = await createTestStack({ clock: time.clock, env: { DUE_SHARDS: '1' } });
    for (let i = 0; i < 3; i++) await watcher(stack, `resume-${i}`);
    const service = createService(stack.config, { clock: time.clock, campaigns: [instagram2027] });
    time.set(ANNOUNCED);
    // A budget that runs out at once: nothing is read, and the next run goes on.
    const stopped = await service.countdown.run({ budgetMs: 0 });
    expect(stopped.stoppedEarly).toBe(true);
    const full = await service.countdown.run();
    expect(full.announcements).toMatchObject({ watchers: 3, announced: 3 });
    // Done: a later run reads the campaign's marker and no watcher.
    expect((await service.countdown.run()).announcements).toMatchObject({ watchers: 0, announced: 0 });
  });
});
