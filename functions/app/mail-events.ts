import { SnsEvent, SnsRecord } from '../domain/ses-notification.js';
import { acceptedJobOf, SesSendEvent } from '../domain/ses-send-event.js';
import type { MailJobs } from '../store/mail-jobs.js';

/** What one SNS batch held of Send events, and the records left for the feedback handler. */
export interface SendEventsSummary {
  /** The event without its Send events (bounces, complaints, deliveries stay), for the feedback handler. */
  forward: unknown;
  recorded: number;
  /** Send events of messages without a job of ours, or of a job no longer in the table. */
  ignored: number;
}

function sendEventOf(raw: unknown): SesSendEvent | undefined {
  const record = SnsRecord.safeParse(raw);
  if (!record.success) return undefined;
  let message: unknown;
  try {
    message = JSON.parse(record.data.Sns.Message);
  } catch {
    return undefined;
  }
  const event = SesSendEvent.safeParse(message);
  return event.success ? event.data : undefined;
}

/**
 * Records each SES Send event of an SNS batch on its mail job ("accepted by SES"), so that a mailer
 * taking over the job's dead claim does not send it again. A failed write throws: SNS retries the
 * batch, and recording is idempotent.
 *
 * @example
 * const { forward } = await recordSendEvents(event, jobs);
 * await feedback.handleSnsEvent(forward);
 */
export async function recordSendEvents(event: unknown, jobs: MailJobs): Promise<SendEventsSummary> {
  const batch = SnsEvent.safeParse(event);
  // Not a batch at all: the feedback handler says so in its log.
  if (!batch.success) return { forward: event, recorded: 0, ignored: 0 };
  const others: unknown[] = [];
  const summary: SendEventsSummary = { forward: { ...batch.data, Records: others }, recorded: 0, ignored: 0 };
  for (const raw of batch.data.Records) {
    const send = sendEventOf(raw);
    if (!send) {
      others.push(raw);
      continue;
    }
    const accepted = acceptedJobOf(send);
    if (accepted && (await jobs.recordAccepted(accepted.jobId, { at: accepted.acceptedAt, sesMessageId: accepted.sesMessageId }))) summary.recorded += 1;
    else summary.ignored += 1;
  }
  return summary;
}
