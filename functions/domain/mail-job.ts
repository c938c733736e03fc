import * as z from 'zod';
import { DomainError } from './errors.js';
import { PlatformId } from './platform.js';

/**
 * A mail job: one email to send, written by its producer in the same transaction as its cause,
 * then claimed, sent and recorded by the mailer. Pure: times come in as arguments.
 */

export const MailKind = z.enum(['confirm', 'welcome', 'morning', 'announcement', 'newsletter', 'keep-watching']);
export type MailKind = z.infer<typeof MailKind>;

export const MailJobStatus = z.enum(['queued', 'sending', 'sent', 'failed']);
export type MailJobStatus = z.infer<typeof MailJobStatus>;

/** Why a job was done without sending: the composer found nothing (left) to send. */
export const DropReason = z.enum(['person_gone', 'suppressed', 'not_needed']);
export type DropReason = z.infer<typeof DropReason>;

/** Ids of the job's parts: no `#`, since `#` separates them in the job id. */
const Part = z.string().min(1).max(120).regex(/^[^#\s]+$/, 'no "#" or white space');
const Instant = z.iso.datetime();

export const MailJob = z.object({
  /** Deterministic from the job's cause, so that a repeated cause collapses into the same job. */
  jobId: z.string().min(3).max(400).regex(/^[a-z-]+#[^#\s]+(#[^#\s]+)*$/, 'kind#personId#…'),
  kind: MailKind,
  personId: Part,
  campaignId: Part.optional(),
  stepId: Part.optional(),
  issueId: Part.optional(),
  /** The platforms a welcome is about: those that joined the person's list with it. */
  platforms: z.array(PlatformId).min(1).optional(),
  createdAt: Instant,
  status: MailJobStatus,
  /** Sends that failed so far; the job is parked as failed when it reaches the policy's limit. */
  attempts: z.number().int().min(0),
  /** A released job is not claimed before this instant (its backoff). */
  notBefore: Instant.optional(),
  /** The lease: who holds the job, since when, and until when no one else may take it. */
  claimToken: z.string().min(1).optional(),
  claimedAt: Instant.optional(),
  leaseUntil: Instant.optional(),
  /** When SES accepted the message, from its Send event: a job with this is never sent again. */
  acceptedAt: Instant.optional(),
  sesMessageId: z.string().min(1).optional(),
  sentAt: Instant.optional(),
  dropped: DropReason.optional(),
  failedAt: Instant.optional(),
  /** The name of the last error (never its message, which may hold an address). */
  lastError: z.string().max(200).optional(),
});
export type MailJob = z.infer<typeof MailJob>;

/** Deterministic job ids, one shape per cause. */
export const mailJobId = {
  /**
   * The confirmation email of the sign-up that wrote the person at `version` in one generation:
   * that write happens once (its version condition), so its job does too; a later sign-up is new.
   */
  confirm: (personId: string, generation: string, version: number) => `confirm#${personId}#${generation}#v${version}`,
  /**
   * The guides of the platforms that joined the person's list with the write of `version` (a
   * confirmation, or an addition on their preferences page): that write happens once, so its guide does.
   */
  welcome: (personId: string, generation: string, version: number) => `welcome#${personId}#${generation}#v${version}`,
  /** The one email of a morning (the person's local date): two runs, or two reasons, never make two. */
  morning: (personId: string, generation: string, day: string) => `morning#${personId}#${generation}#${day}`,
  announcement: (personId: string, generation: string, campaignId: string) => `announce#${personId}#${generation}#${campaignId}`,
  news: (personId: string, issueId: string) => `news#${personId}#${issueId}`,
  /** The watch's yearly question, once per year of the watch (`keptAt`: when that year began). */
  keepWatching: (personId: string, generation: string, keptAt: string) => `keep-watching#${personId}#${generation}#${keptAt}`,
} as const;

/**
 * A new job, queued. The producer puts it with `mailJobPut` in its own transaction.
 *
 * @example
 * newMailJob({ jobId: mailJobId.confirm(person.id, person.generation, person.version), kind: 'confirm', personId, now })
 */
export function newMailJob(input: {
  jobId: string;
  kind: MailKind;
  personId: string;
  campaignId?: string;
  stepId?: string;
  issueId?: string;
  platforms?: PlatformId[];
  now: Date;
}): MailJob {
  const { now, ...fields } = input;
  return MailJob.parse({ ...fields, createdAt: now.toISOString(), status: 'queued', attempts: 0 });
}

/** How often and how patiently a failing job is retried. */
export interface RetryPolicy {
  /** Failed sends after which the job is parked as failed. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 5 * 60_000 };

/**
 * The wait before attempt `attempts + 1`: exponential with "equal jitter" (half fixed, half random),
 * so that jobs throttled together spread out but each really waits. `random` is in [0, 1).
 */
export function retryDelayMs(attempts: number, policy: RetryPolicy, random: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (random * ceiling) / 2);
}

/** What may happen to a job. Each carries what the new state needs; `transition` decides. */
export type MailJobEvent =
  | { type: 'claim'; token: string; leaseMs: number }
  | { type: 'send-ok'; token: string; sesMessageId?: string }
  | { type: 'drop'; token: string; reason: DropReason }
  /**
   * `minDelayMs`: where SES may have taken the message after all (no answer), wait for its Send event
   * first. `mayHaveSentSince`: an earlier claim may have sent it, and this one failed before learning
   * otherwise; the next claim asks SES since then.
   */
  | { type: 'send-failed'; token: string; error: string; policy: RetryPolicy; random: number; minDelayMs?: number; mayHaveSentSince?: Date }
  | { type: 'expire-claim' }
  | { type: 'accepted'; acceptedAt: Date; sesMessageId: string }
  | { type: 'retry' };
export type MailJobEventType = MailJobEvent['type'];

/** Why a claim is refused, and when trying again could succeed. */
export type ClaimRefusal =
  | { reason: 'missing' | 'sent' | 'parked' | 'accepted' }
  | { reason: 'held' | 'waiting'; retryAt: Date };

export type ClaimDecision = { claim: true; takeover: boolean } | ({ claim: false } & ClaimRefusal);

const later = (instant: string | undefined, now: Date) => instant !== undefined && new Date(instant).getTime() > now.getTime();

/**
 * Whether a mailer may claim `job` at `now`. A queued job is claimed once its backoff is over;
 * a job held by a claim whose lease ran out is taken over, unless SES's Send event says the
 * message went out (then it is never sent again).
 */
export function decideClaim(job: MailJob | undefined, now: Date): ClaimDecision {
  if (!job) return { claim: false, reason: 'missing' };
  if (job.status === 'sent') return { claim: false, reason: 'sent' };
  if (job.status === 'failed') return { claim: false, reason: 'parked' };
  if (job.acceptedAt) return { claim: false, reason: 'accepted' };
  if (job.status === 'queued') {
    return later(job.notBefore, now) ? { claim: false, reason: 'waiting', retryAt: new Date(job.notBefore ?? 0) } : { claim: true, takeover: false };
  }
  return later(job.leaseUntil, now) ? { claim: false, reason: 'held', retryAt: new Date(job.leaseUntil ?? 0) } : { claim: true, takeover: true };
}

function refuse(job: MailJob, event: MailJobEvent, why: string): never {
  throw new DomainError('conflict', 'mail_job_transition', `A ${job.status} job cannot take "${event.type}": ${why}.`);
}

function holds(job: MailJob, token: string): boolean {
  return job.status === 'sending' && job.claimToken === token;
}

/** Drops the lease fields (a `sending` job's), keeping the rest. */
function withoutLease(job: MailJob): MailJob {
  const { claimToken: _token, leaseUntil: _lease, ...rest } = job;
  return rest;
}

/**
 * The one state machine of a mail job. Refuses illegal moves with a DomainError('conflict').
 *
 * queued → sending (claim) → sent (send-ok, drop) | queued with backoff (send-failed) | failed
 * (send-failed at the limit); sending with a lapsed lease → sending (claim: take over) or queued
 * (expire-claim, to be woken); failed → queued (retry, by the operator); any → sent (accepted).
 *
 * @example
 * const claimed = transition(job, { type: 'claim', token, leaseMs: 60_000 }, now);
 */
export function transition(job: MailJob, event: MailJobEvent, now: Date): MailJob {
  const at = now.toISOString();
  switch (event.type) {
    case 'claim': {
      const decision = decideClaim(job, now);
      if (!decision.claim) return refuse(job, event, decision.reason);
      const { notBefore: _wait, ...rest } = job;
      // A dead claim's time stays: a take-over that dies in turn must not hide it from the next claim.
      return { ...rest, status: 'sending', claimToken: event.token, claimedAt: job.claimedAt ?? at, leaseUntil: new Date(now.getTime() + event.leaseMs).toISOString() };
    }
    case 'send-ok':
      if (!holds(job, event.token)) return refuse(job, event, 'the claim is not this mailer\'s');
      return { ...withoutLease(job), status: 'sent', sentAt: at, ...(event.sesMessageId ? { sesMessageId: event.sesMessageId } : {}) };
    case 'drop':
      if (!holds(job, event.token)) return refuse(job, event, 'the claim is not this mailer\'s');
      return { ...withoutLease(job), status: 'sent', sentAt: at, dropped: event.reason };
    case 'send-failed': {
      if (!holds(job, event.token)) return refuse(job, event, 'the claim is not this mailer\'s');
      const attempts = job.attempts + 1;
      const { claimedAt: _claimed, ...unclaimed } = withoutLease(job);
      const released = event.mayHaveSentSince ? { ...unclaimed, claimedAt: event.mayHaveSentSince.toISOString() } : unclaimed;
      if (attempts >= event.policy.maxAttempts) return { ...released, status: 'failed', attempts, failedAt: at, lastError: event.error };
      const delay = Math.max(event.minDelayMs ?? 0, retryDelayMs(attempts, event.policy, event.random));
      const notBefore = new Date(now.getTime() + delay).toISOString();
      return { ...released, status: 'queued', attempts, notBefore, lastError: event.error };
    }
    case 'expire-claim': {
      const decision = decideClaim(job, now);
      if (job.status !== 'sending' || !decision.claim) return refuse(job, event, 'only a dead claim expires');
      // claimedAt stays: the next claim learns that an earlier one may have sent the message.
      return { ...withoutLease(job), status: 'queued' };
    }
    case 'accepted':
      if (job.status === 'sent') return { ...job, acceptedAt: event.acceptedAt.toISOString(), sesMessageId: event.sesMessageId };
      return { ...withoutLease(job), status: 'sent', sentAt: event.acceptedAt.toISOString(), acceptedAt: event.acceptedAt.toISOString(), sesMessageId: event.sesMessageId };
    case 'retry': {
      if (job.status !== 'failed') return refuse(job, event, 'only a parked job is retried');
      const { failedAt: _failed, notBefore: _wait, ...rest } = job;
      return { ...rest, status: 'queued', attempts: 0 };
    }
  }
}

/**
 * The job id as an SES message tag value: SES allows only letters, digits, `_` and `-` there, and
 * job ids hold `#`, so the tag carries the id in base64url.
 *
 * @example
 * sendRaw(raw, { tags: [{ name: MAIL_JOB_TAG, value: jobTagValue(job.jobId) }] })
 */
export function jobTagValue(jobId: string): string {
  return Buffer.from(jobId, 'utf8').toString('base64url');
}

/** The job id back from an SES event's tag, or undefined when the value is not one of ours. */
export function jobIdFromTag(value: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,256}$/.test(value)) return undefined;
  const jobId = Buffer.from(value, 'base64url').toString('utf8');
  return MailJob.shape.jobId.safeParse(jobId).success && jobTagValue(jobId) === value ? jobId : undefined;
}

/** The name of the SES message tag that carries the job id. */
export const MAIL_JOB_TAG = 'job';
