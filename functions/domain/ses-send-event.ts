import * as z from 'zod';
import { jobIdFromTag, MAIL_JOB_TAG } from './mail-job.js';

/**
 * SES's Send event (event publishing through a configuration set): SES accepted a message. Our
 * mailer tags each message with its job id, which the event carries back in `mail.tags`.
 * Unknown fields are ignored, as SES may add some.
 */
export const SesSendEvent = z.object({
  eventType: z.literal('Send'),
  mail: z.object({
    timestamp: z.iso.datetime(),
    messageId: z.string().min(1).max(200),
    tags: z.record(z.string(), z.array(z.string())).default({}),
  }),
});
export type SesSendEvent = z.infer<typeof SesSendEvent>;

/** What a Send event says about a mail job: which one SES accepted, when, under which message id. */
export interface AcceptedJob {
  jobId: string;
  acceptedAt: Date;
  sesMessageId: string;
}

/**
 * The job a Send event reports accepted, or undefined when the message carried no job tag of
 * ours (mail sent another way).
 *
 * @example
 * acceptedJobOf(event) // { jobId: 'confirm#p1#1', acceptedAt: 2026-12-01T09:15:02.118Z, sesMessageId: '0102…' }
 */
export function acceptedJobOf(event: SesSendEvent): AcceptedJob | undefined {
  const tag = event.mail.tags[MAIL_JOB_TAG]?.[0];
  const jobId = tag === undefined ? undefined : jobIdFromTag(tag);
  return jobId ? { jobId, acceptedAt: new Date(event.mail.timestamp), sesMessageId: event.mail.messageId } : undefined;
}
