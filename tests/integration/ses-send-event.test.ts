import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSendEvents } from '../../functions/app/mail-events.js';
import { createMailPipeline, createMailTransport } from '../../functions/app/mail-pipeline.js';
import { jobIdFromTag, newMailJob } from '../../functions/domain/mail-job.js';
import { acceptedJobOf, SesSendEvent } from '../../functions/domain/ses-send-event.js';
import { SnsEvent, SnsRecord } from '../../functions/domain/ses-notification.js';
import { createSesClient, type MailTransport, type SendOptions } from '../../functions/mail/send.js';
import { createMailerTable, eventually, mailerConfig, readJob, someJobs, startMailer, testComposer } from '../support/mailer.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8'));
const FIXTURE_JOB = 'confirm#fixture-person-1#1';

const config = mailerConfig();
const { jobs, db } = createMailPipeline(config, { composer: testComposer });
beforeAll(() => createMailerTable(config));
afterAll(() => db.destroy());

describe('SES Send events', () => {
  it('name the job SES accepted, from the tag the mailer set', () => {
    const [record] = SnsEvent.parse(fixture('ses-send-event')).Records;
    const event = SesSendEvent.parse(JSON.parse(SnsRecord.parse(record).Sns.Message));
    expect(acceptedJobOf(event)).toEqual({
      jobId: FIXTURE_JOB,
      acceptedAt: new Date('2026-12-01T09:15:02.118Z'),
      sesMessageId: '0102019ad4c1e7f2-5b1c9a3e-7d24-4f0b-a6c8-3e9d1f2a7b40-000000',
    });
    expect(acceptedJobOf({ ...event, mail: { ...event.mail, tags: { job: ['not base64url!'] } } })).toBeUndefined();
  });

  it('mark a job whose claim died as sent, so that no mailer takes it over and sends it again', async () => {
    await jobs.enqueue(newMailJob({ jobId: FIXTURE_JOB, kind: 'confirm', personId: 'fixture-person-1', now: new Date('2026-12-01T09:15:00Z') }));
    await jobs.claim(FIXTURE_JOB, { token: 'died', leaseMs: 1000, now: new Date('2026-12-01T09:15:01Z') });
    const mixed = { Records: [...SnsEvent.parse(fixture('ses-send-event')).Records, ...SnsEvent.parse(fixture('ses-delivery')).Records] };
    const summary = await recordSendEvents(mixed, jobs);
    expect(summary).toMatchObject({ recorded: 1, ignored: 0 });
    // The delivery goes on to the feedback handler, as it came.
    expect(SnsEvent.parse(summary.forward).Records).toEqual(SnsEvent.parse(fixture('ses-delivery')).Records);
    expect(await readJob(db, config, FIXTURE_JOB)).toMatchObject({ status: 'sent', acceptedAt: '2026-12-01T09:15:02.118Z' });
    expect(await jobs.claim(FIXTURE_JOB, { token: 'next', leaseMs: 30_000, now: new Date() })).toEqual({ claimed: false, reason: 'sent' });
    // SNS delivers at least once: the same event again changes nothing.
    expect((await recordSendEvents(fixture('ses-send-event'), jobs)).recorded).toBe(1);
    expect((await readJob(db, config, FIXTURE_JOB))?.status).toBe('sent');
  });

  it('leave mail without a job of ours to nobody', async () => {
    const text = readFileSync(new URL('../fixtures/ses-send-event.json', import.meta.url), 'utf8').replace(/Y29uZmlybSNmaXh0dXJlLXBlcnNvbi0xIzE/g, 'Y29uZmlybSNub2JvZHkjMQ');
    expect(await recordSendEvents(JSON.parse(text), jobs)).toMatchObject({ recorded: 0, ignored: 1 });
  });

  it('come back with the job id the mailer sends as a message tag', async () => {
    const tags: Array<SendOptions['tags']> = [];
    const real = createMailTransport(config, createSesClient({ region: config.AWS_REGION, endpoint: config.SES_ENDPOINT }));
    const transport: MailTransport = { sendRaw: (raw, options) => (tags.push(options?.tags), real.sendRaw(raw, options)) };
    const mailer = await startMailer({ config }, { transport });
    try {
      const [job] = someJobs(1, 'tagged');
      await jobs.enqueue(job!);
      expect(await eventually(async () => (await readJob(db, config, job!.jobId))?.status === 'sent', 5000)).toBe(true);
      const [tag] = tags.flat();
      expect(tag?.name).toBe('job');
      expect(tag?.value).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(jobIdFromTag(tag?.value ?? '')).toBe(job!.jobId);
    } finally {
      await mailer.stop();
    }
  });
});
