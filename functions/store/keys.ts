import { createHash } from 'node:crypto';

/** Every key shape of the single table lives here, and nowhere else. */
export const keys = {
  subscriber: (subscriberId: string) => ({ pk: `SUBSCRIBER#${subscriberId}`, sk: 'PROFILE' }),
  /** One per (address, campaign): makes an address unique per campaign and outlives erasure as suppression. */
  address: (addressHash: string, campaignId: string) => ({ pk: `ADDRESS#${addressHash}`, sk: `CAMPAIGN#${campaignId}` }),
  /** Soft bounces counted towards suppression. */
  softBounces: (addressHash: string) => ({ pk: `ADDRESS#${addressHash}`, sk: 'SOFT_BOUNCES' }),
  /** Set by a hard bounce or a complaint: no email of any campaign goes to this address again. */
  suppression: (addressHash: string) => ({ pk: `ADDRESS#${addressHash}`, sk: 'SUPPRESSED' }),
  /** The claim, then the record, of one countdown step sent to one subscriber. */
  step: (subscriberId: string, stepId: string) => ({ pk: `SUBSCRIBER#${subscriberId}`, sk: `STEP#${stepId}` }),
  /** Which schedule (deadline, offsets, hour) the due index of a campaign was timed for. */
  campaignSchedule: (campaignId: string) => ({ pk: `CAMPAIGN#${campaignId}`, sk: 'SCHEDULE' }),
  signupWindow: (ipHash: string, windowStart: number) => ({ pk: `RATE#SIGNUP#${ipHash}`, sk: `WINDOW#${windowStart}` }),
  /** Marks an SNS message of SES feedback as handled: SNS retries keep the MessageId. */
  feedbackMessage: (messageId: string) => ({ pk: `FEEDBACK#${messageId}`, sk: 'HANDLED' }),
  /** The claim, then the record, of one newsletter issue sent to one subscriber: each copy goes once. */
  newsletterCopy: (issueId: string, subscriberId: string) => ({ pk: `NEWSLETTER#${issueId}`, sk: `COPY#${subscriberId}` }),
  /**
   * One day's counters of a campaign (or of the service, for bounces and complaints): aggregates
   * that the operator's chart reads without a scan, and that outlive every erasure.
   */
  dailyStats: (scope: string, day: string) => ({ pk: `STATS#${scope}`, sk: `DAY#${day}` }),
  /** The sparse "next email due" index: only subscribers with something to send carry these. */
  due: (shard: number, dueAt: Date, subscriberId: string) => ({
    duePk: `DUE#${shard}`,
    dueSk: `${dueAt.toISOString()}#${subscriberId}`,
  }),
  // Mail pipeline (issue 13): the jobs, the operator's list of parked ones, the wake-ups of deferred ones.
  /** One email to send: written by its producer, drained by the mailer through the table's stream. */
  mailJob: (jobId: string) => ({ pk: `JOB#${jobId}`, sk: 'JOB' }),
  /** A small key range listing the jobs parked as failed, for /admin (no index needed). */
  failedMailJob: (jobId: string) => ({ pk: 'JOBS#FAILED', sk: `JOB#${jobId}` }),
  /** When a deferred job (backoff, a held claim) is to be touched again, so the stream brings it back. */
  mailJobWake: (at: Date, jobId: string) => ({ pk: 'JOBS#WAKE', sk: `${at.toISOString()}#${jobId}` }),
} as const;

export const DUE_INDEX = 'due-at';
export const TTL_ATTRIBUTE = 'ttl';

/** Which shard of the due index a subscriber lives on: stable, spread evenly. */
export function dueShardOf(subscriberId: string, shards: number): number {
  return createHash('sha256').update(subscriberId).digest().readUInt32BE(0) % shards;
}

/** DynamoDB TTL wants epoch seconds. */
export function ttlOf(instant: Date): number {
  return Math.floor(instant.getTime() / 1000);
}
