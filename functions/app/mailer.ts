import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { systemClock, type Clock } from '../clock.js';
import { jobTagValue, MAIL_JOB_TAG, type DropReason, type MailJob, type RetryPolicy } from '../domain/mail-job.js';
import type { Pacer } from '../mail/pacer.js';
import type { MailTransport } from '../mail/send.js';
import type { MailJobs } from '../store/mail-jobs.js';

/** Builds a job's message, or says why there is none to send (the lead's renderers plug in here). */
export interface MailComposer {
  compose(job: MailJob, now: Date): Promise<{ to: string; raw: Buffer } | { drop: DropReason }>;
}

/** What became of one job in one delivery. */
export type DeliveryOutcome =
  | 'sent'
  | 'dropped'
  /** Sent before: by another mailer, or (SES said so) by a claim that died. */
  | 'already-sent'
  | 'parked'
  | 'missing'
  /** Failed now; released with backoff, its stream record brings it back. */
  | 'retry-later'
  /** Not claimable for longer than the mailer waits: a wake-up item brings it back. */
  | 'deferred';

export interface MailerDeps {
  jobs: MailJobs;
  composer: MailComposer;
  transport: MailTransport;
  pacer: Pacer;
  policy: RetryPolicy;
  leaseMs: number;
  /** A job claimable again within this long (a short backoff, a lease about to end) is waited for. */
  inlineWaitMs: number;
  /** Jobs of one batch in flight at once; the pacer spaces their sends. */
  concurrency?: number;
  /** The app's clock, for composing (a simulated one under `--now` and in tests). */
  clock?: Clock;
  /** Real time, for leases and backoff, which other processes must read the same way. */
  realClock?: Clock;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** The part of a stream record (Lambda's event or DynamoDB Streams' GetRecords) the mailer reads. */
const StreamRecord = z.object({
  eventName: z.string().optional(),
  dynamodb: z
    .object({
      SequenceNumber: z.string().optional(),
      NewImage: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
});

/** A queued job's new image, read as DynamoDB wrote it: only the three attributes that select it. */
const QueuedJobImage = z.object({
  pk: z.object({ S: z.string().startsWith('PERSON#') }),
  sk: z.object({ S: z.string().startsWith('JOB#') }),
  status: z.object({ S: z.literal('queued') }),
  jobId: z.object({ S: z.string().min(1) }),
});

/**
 * The job id of a stream record's new image when it is a queued mail job, the records the mailer
 * drains; the same rule as the Lambda's event filter (infra/mailer.ts). Reads the raw image without
 * unmarshalling the rest, so no other item on the stream (locally nothing filters them) can break
 * a batch.
 */
export function queuedJobIdOf(record: unknown): string | undefined {
  const parsed = StreamRecord.safeParse(record);
  const image = QueuedJobImage.safeParse(parsed.success ? parsed.data.dynamodb?.NewImage : undefined);
  return image.success ? image.data.jobId.S : undefined;
}

/** The outcome counts of a batch, for the log: no ids, no addresses. */
export type DeliverySummary = Record<DeliveryOutcome | 'errors', number>;

/**
 * The mail pipeline's consumer: claims each job in one conditional write, composes it, sends it
 * paced at this instance's share of SES's rate, and records it sent. A failed send is released
 * with backoff and never recorded as sent; a job with nothing to send is marked done.
 */
export class Mailer {
  private readonly clock: Clock;
  private readonly realClock: Clock;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: MailerDeps) {
    this.clock = deps.clock ?? systemClock;
    this.realClock = deps.realClock ?? systemClock;
    this.random = deps.random ?? Math.random;
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * A batch of stream records, as the Lambda gets it: each queued job delivered once, and the
   * records whose job threw reported as batch item failures so that only they are retried.
   *
   * @example
   * export const handler = (event: DynamoDBStreamEvent) => mailer.handleStreamRecords(event.Records);
   */
  async handleStreamRecords(records: readonly unknown[]): Promise<{ batchItemFailures: Array<{ itemIdentifier: string }>; summary: DeliverySummary }> {
    const byJob = new Map<string, string[]>();
    for (const record of records) {
      const jobId = queuedJobIdOf(record);
      if (!jobId) continue;
      const sequence = StreamRecord.parse(record).dynamodb?.SequenceNumber ?? '';
      byJob.set(jobId, [...(byJob.get(jobId) ?? []), sequence]);
    }
    const { outcomes, summary } = await this.deliver([...byJob.keys()]);
    const batchItemFailures = [...byJob.entries()]
      .filter(([jobId]) => outcomes.get(jobId) === undefined)
      .flatMap(([, sequences]) => sequences.map((itemIdentifier) => ({ itemIdentifier })));
    return { batchItemFailures, summary };
  }

  /** Delivers each job once, a few at a time; a job that threw has no outcome (its record is retried). */
  async deliver(jobIds: readonly string[]): Promise<{ outcomes: Map<string, DeliveryOutcome>; summary: DeliverySummary }> {
    const outcomes = new Map<string, DeliveryOutcome>();
    const summary: DeliverySummary = { sent: 0, dropped: 0, 'already-sent': 0, parked: 0, missing: 0, 'retry-later': 0, deferred: 0, errors: 0 };
    const queue = [...new Set(jobIds)];
    const worker = async () => {
      for (let jobId = queue.shift(); jobId !== undefined; jobId = queue.shift()) {
        try {
          const outcome = await this.deliverOne(jobId);
          outcomes.set(jobId, outcome);
          summary[outcome] += 1;
        } catch (error) {
          summary.errors += 1;
          log('error', 'mail job failed', { error: errorName(error) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(queue.length, this.deps.concurrency ?? 16) }, worker));
    return { outcomes, summary };
  }

  /** Claims, composes, sends and records one job. */
  async deliverOne(jobId: string): Promise<DeliveryOutcome> {
    const { jobs, pacer } = this.deps;
    const token = randomUUID();
    for (;;) {
      const pausedUntil = await pacer.paused();
      if (pausedUntil) return this.defer(jobId, pausedUntil);
      const claim = await jobs.claim(jobId, { token, leaseMs: this.deps.leaseMs, now: this.realClock() });
      if (claim.claimed) return this.send(claim.job, token, claim.previousClaimAt);
      if (claim.reason !== 'held' && claim.reason !== 'waiting') return claim.reason === 'parked' || claim.reason === 'missing' ? claim.reason : 'already-sent';
      const wait = claim.retryAt.getTime() - this.realClock().getTime();
      if (wait > this.deps.inlineWaitMs) return this.defer(jobId, claim.retryAt);
      // A little past the instant, so that this mailer's clock is surely there.
      await this.sleep(Math.max(0, wait) + 20);
    }
  }

  private async defer(jobId: string, at: Date): Promise<DeliveryOutcome> {
    await this.deps.jobs.scheduleWake(jobId, at);
    return 'deferred';
  }

  private async send(job: MailJob, token: string, previousClaimAt: Date | undefined): Promise<DeliveryOutcome> {
    const { jobs, transport, pacer } = this.deps;
    // Since when a dead claim may have sent the message, until SES says it did not: a failure before
    // that answer hands it on to the next claim, which asks in turn.
    let mayHaveSentSince = previousClaimAt;
    let message: Awaited<ReturnType<MailComposer['compose']>>;
    try {
      message = await this.deps.composer.compose(job, this.clock());
    } catch (error) {
      return this.failed(job, token, error, { mayHaveSentSince });
    }
    if ('drop' in message) {
      await jobs.markDropped(job, token, message.drop, this.realClock());
      return 'dropped';
    }
    // A claim that died may have sent it: where the mail server can tell, ask it first.
    if (previousClaimAt && transport.acceptedSince) {
      const accepted = await transport.acceptedSince(message.to, previousClaimAt).catch(() => undefined);
      if (accepted === true) {
        await jobs.markSent(job, token, undefined, this.realClock());
        return 'already-sent';
      }
      if (accepted === false) mayHaveSentSince = undefined;
    }
    await pacer.acquire();
    let messageId: string;
    try {
      ({ messageId } = await transport.sendRaw(message.raw, { tags: [{ name: MAIL_JOB_TAG, value: jobTagValue(job.jobId) }] }));
    } catch (error) {
      return this.failed(job, token, error, { unanswered: !answeredBySes(error), mayHaveSentSince });
    }
    // False: the lease ran out and another mailer took the job over (SES's Send event settles it),
    // or the person was erased, with their jobs, while the message was on its way.
    if (!(await jobs.markSent(job, token, messageId || undefined, this.realClock()))) log('warn', 'mail job sent after its lease or its erasure', { kind: job.kind });
    return 'sent';
  }

  /**
   * `unanswered`: the send got no answer from SES (a timeout, a reset connection, a 5xx), so SES may
   * have taken the message; the retry then waits a whole lease, the time its Send event has to
   * arrive and mark the job sent, instead of sending it twice.
   */
  private async failed(job: MailJob, token: string, error: unknown, options: { unanswered?: boolean; mayHaveSentSince?: Date | undefined } = {}): Promise<DeliveryOutcome> {
    const next = await this.deps.jobs.fail(
      job,
      {
        type: 'send-failed',
        token,
        error: errorName(error),
        policy: this.deps.policy,
        random: this.random(),
        ...(options.unanswered ? { minDelayMs: this.deps.leaseMs } : {}),
        ...(options.mayHaveSentSince ? { mayHaveSentSince: options.mayHaveSentSince } : {}),
      },
      this.realClock(),
    );
    log('warn', 'mail job send failed', { kind: job.kind, error: errorName(error), attempts: next?.attempts, parked: next?.status === 'failed' });
    return next?.status === 'failed' ? 'parked' : 'retry-later';
  }
}

/** Whether SES answered and refused (a 4xx such as Throttling or MessageRejected): then it surely did not send. */
function answeredBySes(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  return status !== undefined && status >= 400 && status < 500;
}

/** An error's name only: messages may quote an address. */
function errorName(error: unknown): string {
  return (error instanceof Error ? error.name : 'unknown').slice(0, 200);
}

function log(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>): void {
  const line = JSON.stringify({ level, msg, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}
