import { describe, expect, it, onTestFinished } from 'vitest';
import { mailComposerOf } from '../../functions/app/mail-composer.js';
import { campaigns } from '../../functions/campaigns.js';
import { mailJobId, newMailJob, type MailJob } from '../../functions/domain/mail-job.js';
import { stepsFor } from '../../functions/domain/schedule.js';
import { newsletterIssues } from '../../functions/newsletter-issues.js';
import { eventually, readJob, startMailer } from '../support/mailer.js';
import { seedConfirmed, seedPending } from '../support/seed.js';
import { createTestStack, inbox, linkIn, manualClock, privateSes, testAddress, unfoldHeaders } from '../support/stack.js';

const meta = campaigns.find((c) => c.id === 'meta-ai-2025')!;
const BERLIN = 'Europe/Berlin';

describe('the mailer composes each job from the person as stored when it sends', () => {
  it('builds every kind of email from ids alone, with the one-click headers on list emails, and sends nothing to whoever left, was suppressed or is done', async () => {
    const ses = await privateSes();
    onTestFinished(() => ses.stop());
    const time = manualClock('2025-05-12T07:30:00Z'); // Meta's 14-day reminder morning in Berlin
    const stack = await createTestStack({ clock: time.clock, env: { SES_ENDPOINT: ses.endpoint } });
    const signedUp = new Date('2025-05-10T08:00:00Z');
    const reader = testAddress('reader');
    const pending = testAddress('pending');
    const gone = testAddress('gone');
    const suppressed = testAddress('suppressed');
    const done = testAddress('done');
    const { person } = await seedConfirmed(stack, meta, { email: reader, timeZone: BERLIN, platforms: ['facebook', 'instagram'], confirmedAt: signedUp });
    const pendingChange = await seedPending(stack, meta, { email: pending, timeZone: BERLIN, platforms: ['facebook'], signedUpAt: signedUp });
    const others = await Promise.all(
      [gone, suppressed, done].map((email) => seedConfirmed(stack, meta, { email, timeZone: BERLIN, platforms: ['facebook'], confirmedAt: signedUp })),
    );
    const [goneId, suppressedId, doneId] = others.map((o) => o.person.id) as [string, string, string];
    await stack.service.people.erase(goneId, 'unsubscribed', signedUp);
    await stack.service.people.erase(suppressedId, 'suppressed', signedUp);
    await stack.service.people.setObjection({ personId: doneId, campaignId: meta.id, platform: 'facebook', doneAt: signedUp, nextDueAt: undefined, now: signedUp });

    const steps = stepsFor(meta, { timeZone: BERLIN, confirmedAt: signedUp });
    const fourteen = steps.find((s) => s.kind === 'reminder' && s.offsetDays === 14)!;
    const after = steps.find((s) => s.kind === 'after-deadline')!;
    const now = time.clock();
    const job = (fields: Omit<Parameters<typeof newMailJob>[0], 'now'>) => newMailJob({ ...fields, now });
    const sends: MailJob[] = [
      job({ jobId: mailJobId.confirm(pendingChange.person.id, pendingChange.person.generation, pendingChange.person.version), kind: 'confirm', personId: pendingChange.person.id }),
      job({ jobId: mailJobId.welcome(person.id, person.generation, meta.id), kind: 'welcome', personId: person.id, campaignId: meta.id }),
      job({ jobId: mailJobId.step(person.id, meta.id, fourteen.id), kind: 'reminder', personId: person.id, campaignId: meta.id, stepId: fourteen.id }),
      job({ jobId: mailJobId.step(person.id, meta.id, after.id), kind: 'after-deadline', personId: person.id, campaignId: meta.id, stepId: after.id }),
      job({ jobId: mailJobId.announcement(person.id, person.generation, meta.id), kind: 'announcement', personId: person.id, campaignId: meta.id }),
      job({ jobId: mailJobId.news(person.id, '2025-05-meta-last-week'), kind: 'newsletter', personId: person.id, campaignId: meta.id, issueId: '2025-05-meta-last-week' }),
    ];
    const drops: [MailJob, string][] = [
      [job({ jobId: mailJobId.confirm(person.id, person.generation, person.version), kind: 'confirm', personId: person.id }), 'not_needed'],
      [job({ jobId: mailJobId.step(goneId, meta.id, fourteen.id), kind: 'reminder', personId: goneId, campaignId: meta.id, stepId: fourteen.id }), 'person_gone'],
      [job({ jobId: mailJobId.step(suppressedId, meta.id, fourteen.id), kind: 'reminder', personId: suppressedId, campaignId: meta.id, stepId: fourteen.id }), 'suppressed'],
      [job({ jobId: mailJobId.step(doneId, meta.id, fourteen.id), kind: 'reminder', personId: doneId, campaignId: meta.id, stepId: fourteen.id }), 'not_needed'],
      // A step of a schedule that has moved on since the job was written.
      [job({ jobId: mailJobId.step(person.id, meta.id, 'd14@2025-06-01'), kind: 'reminder', personId: person.id, campaignId: meta.id, stepId: 'd14@2025-06-01' }), 'not_needed'],
    ];

    const mailer = await startMailer(stack, { composer: mailComposerOf(stack.service, newsletterIssues), clock: time.clock, transport: stack.transport });
    onTestFinished(() => mailer.stop());
    const all = [...sends, ...drops.map(([j]) => j)];
    for (const each of all) expect(await stack.service.mailJobs.enqueue(each)).toBe(true);
    const settled = await eventually(async () => (await Promise.all(all.map((j) => readJob(mailer.db, stack.config, j.jobId)))).every((j) => j?.status === 'sent'), 30_000);
    expect(settled).toBe(true);

    for (const [dropped, reason] of drops) expect(await readJob(mailer.db, stack.config, dropped.jobId)).toMatchObject({ status: 'sent', dropped: reason });
    for (const email of [gone, suppressed, done]) expect(await inbox(email, ses.endpoint)).toEqual([]);

    const [confirmation] = await inbox(pending, ses.endpoint);
    expect(confirmation?.subject).toBe('Confirm your reminders for Meta AI training objection 2025');
    expect(linkIn(confirmation!, 'confirm')).toContain(`.${pendingChange.person.id}.`);
    const headersTo = (address: string) => stack.transport.to(address).map((raw) => unfoldHeaders(raw.split(/\r?\n\r?\n/)[0]!));
    expect(headersTo(pending).join()).not.toContain('List-Unsubscribe');

    const mails = await inbox(reader, ses.endpoint);
    const subjects = mails.map((m) => m.subject);
    expect(subjects).toHaveLength(sends.length - 1);
    expect(subjects).toContain('14 days left to object to Meta AI training');
    expect(subjects.filter((s) => s.includes('Meta')).length).toBe(subjects.length);
    for (const mail of mails) expect(linkIn(mail, 'unsubscribe')).toBeDefined();
    const listHeaders = headersTo(reader);
    expect(listHeaders).toHaveLength(mails.length);
    for (const headers of listHeaders) expect(headers).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    // Each job's id went with its message, so SES's Send event can be matched to it.
    expect((await readJob(mailer.db, stack.config, sends[1]!.jobId))?.sesMessageId).toBeDefined();
  });
});
