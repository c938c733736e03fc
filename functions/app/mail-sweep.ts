import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { systemClock, type Clock } from '../clock.js';
import type { Config } from '../config.js';
import { createDynamoClient } from '../store/client.js';
import { MailJobs, type SweepOutcome } from '../store/mail-jobs.js';

/** What one sweep did: counts only, no ids (the log line and the command's output). */
export interface MailSweepSummary {
  /** Unsettled jobs last handed to the mailer before the cut-off. */
  found: number;
  requeued: number;
  /** A live claim holds them: a mailer is sending them now. */
  busy: number;
  /** Sent, dropped, parked or erased between the index read and the touch. */
  settled: number;
  olderThanMinutes: number;
  /** More were stuck than one sweep hands over; the next one goes on. */
  limited: boolean;
}

/**
 * Jobs handed over in one sweep at most. A mailer far behind (a large newsletter at SES's rate)
 * has jobs older than the cut-off that are not lost, only waiting: touching them costs a refused
 * claim each, so a sweep touches a bounded number and the next one goes on.
 */
export const SWEEP_LIMIT = 1000;

/**
 * Finds mail jobs that stayed queued (or claimed by a mailer that died) for longer than
 * `olderThanMinutes` since they were last handed to the mailer, and hands each to it again. This
 * is the way back for jobs whose stream record was lost: a batch the mailer failed on after all its
 * retries (its dead letter holds only the batch's shard and sequence numbers, so it cannot be
 * redriven), or a record older than the stream's 24 hours. The mailer's claim still sends each
 * email at most once; a job settled meanwhile is left alone.
 *
 * @example
 * const summary = await sweep.run({ olderThanMinutes: config.MAIL_SWEEP_AFTER_MINUTES });
 */
export class MailSweep {
  private readonly clock: Clock;

  constructor(private readonly deps: { jobs: Pick<MailJobs, 'findStuck' | 'requeueStuck'>; clock?: Clock; limit?: number }) {
    this.clock = deps.clock ?? systemClock;
  }

  async run(options: { olderThanMinutes: number }): Promise<MailSweepSummary> {
    // Real time, as leases and hand-overs are written in it.
    const now = this.clock();
    const limit = this.deps.limit ?? SWEEP_LIMIT;
    const stuck = await this.deps.jobs.findStuck(new Date(now.getTime() - options.olderThanMinutes * 60_000), limit);
    const outcomes: Record<SweepOutcome, number> = { requeued: 0, busy: 0, settled: 0 };
    for (const jobId of stuck) outcomes[await this.deps.jobs.requeueStuck(jobId, now)] += 1;
    return { found: stuck.length, ...outcomes, olderThanMinutes: options.olderThanMinutes, limited: stuck.length >= limit };
  }
}

/**
 * The sweep from configuration: the Lambda (functions/sweep-mail.ts) and `npm run sweep-mail`
 * build it here, so both run the same code.
 */
export function createMailSweep(config: Config, options: { db?: DynamoDBDocumentClient; clock?: Clock } = {}): MailSweep {
  const db = options.db ?? createDynamoClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  return new MailSweep({ jobs: new MailJobs(db, config.TABLE_NAME), ...(options.clock ? { clock: options.clock } : {}) });
}
