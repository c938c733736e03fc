import { ConditionalCheckFailedException, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod';
import {
  decideClaim,
  MailJob,
  transition,
  type ClaimRefusal,
  type DropReason,
  type MailJobEvent,
} from '../domain/mail-job.js';
import { isPastTtl } from '../domain/retention.js';
import { conditionHeld, transactionHeld } from './conditions.js';
import { DUE_INDEX, jobIdOfKey, keys, MAIL_DUE_SHARDS, TTL_ATTRIBUTE, ttlOf } from './keys.js';

/**
 * How long a parked job stays on the operator's list: an email that failed a month ago is past
 * helping. The job itself stays with the person's data, and goes with it.
 */
export const PARKED_LIST_DAYS = 30;

/**
 * The item of a job: its key, the job, and its entry among the unsettled jobs (the instant it is
 * due to the mailer), nothing else (no address: the composer looks it up).
 */
function itemOf(job: MailJob): Record<string, unknown> {
  return { ...keys.mailJob(job.jobId), ...job, ...keys.mailJobDue(job.jobId, new Date(job.notBefore ?? job.createdAt)) };
}

/** What a sweep did with one job it found unsettled for too long. */
export type SweepOutcome =
  /** Handed to the mailer again: a fresh queued image on the stream (a dead claim expired first). */
  | 'requeued'
  /** A live claim holds it: its mailer is at work, nothing to do. */
  | 'busy'
  /** Sent, dropped or parked meanwhile (its index entry removed if it lingered), or erased. */
  | 'settled';

/**
 * The TransactWrite `Put` of a new job, for the producer's own transaction. A job with the same
 * id exists already: the condition fails, the cause was a repeat (the producer treats a
 * cancelled transaction by its reasons, as it does today).
 *
 * @example
 * await db.send(new TransactWriteCommand({ TransactItems: [causeUpdate, mailJobPut(table, job, { expires })] }));
 */
export function mailJobPut(tableName: string, job: MailJob, options: { expires?: Date } = {}) {
  // The job holds ids only; it expires with the data of its cause (the person's, the campaign's).
  const item = { ...itemOf(job), ...(options.expires ? { [TTL_ATTRIBUTE]: ttlOf(options.expires) } : {}) };
  return { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** The outcome of one claim: the job in hand, or why not. */
export type JobClaim =
  | { claimed: true; job: MailJob; takeover: boolean; previousClaimAt?: Date }
  | ({ claimed: false } & ClaimRefusal);

/**
 * The keys of the items outside a person's partition that name one of their jobs, read from the
 * job item as it was deleted (`ReturnValues: 'ALL_OLD'`): its entry on the list of parked jobs, and
 * its wake-ups. Erasing the person deletes these too; a job deleted first can gain no new ones,
 * since parking and waking are conditional on the job.
 */
export function keysNamingJob(item: Record<string, unknown>): { pk: string; sk: string }[] {
  const job = z.object({ jobId: z.string(), status: z.string().optional(), wakes: z.set(z.string()).optional() }).safeParse(item);
  if (!job.success) return [];
  const wakePk = keys.mailJobWake(new Date(0), '').pk;
  return [
    ...(job.data.status === 'failed' ? [keys.failedMailJob(job.data.jobId)] : []),
    ...[...(job.data.wakes ?? [])].map((sk) => ({ pk: wakePk, sk })),
  ];
}

/** A parked job as the operator's list shows it (no personal data). */
const ParkedJobItem = MailJob.pick({ jobId: true, kind: true, attempts: true, lastError: true }).extend({ failedAt: z.iso.datetime() });
export type ParkedJob = z.infer<typeof ParkedJobItem>;

const parseJob = (item: Record<string, unknown> | undefined): MailJob | undefined => {
  const parsed = MailJob.safeParse(item);
  return parsed.success ? parsed.data : undefined;
};

/** The old item a failed condition returns: raw AttributeValues, which lib-dynamodb leaves as they are. */
function oldItemOf(error: ConditionalCheckFailedException): MailJob | undefined {
  const item = error.Item as Record<string, AttributeValue> | undefined;
  return item ? parseJob(unmarshall(item)) : undefined;
}

const CLAIMABLE =
  'attribute_exists(pk) AND attribute_not_exists(acceptedAt) AND ' +
  '((#status = :queued AND (attribute_not_exists(notBefore) OR notBefore <= :now)) OR (#status = :sending AND leaseUntil <= :now))';

/**
 * The mail jobs in the single table. Every change is one conditional write that mirrors
 * `transition` in domain/mail-job.ts; those that fail say why with the item as it was.
 */
export class MailJobs {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Writes a job on its own (tests, the bench, a producer outside a transaction); false when it exists. */
  async enqueue(job: MailJob, options: { expires?: Date } = {}): Promise<boolean> {
    return conditionHeld(this.db.send(new PutCommand(mailJobPut(this.tableName, job, options).Put)));
  }

  /** Whether a job was written (queued, sent or parked), for a dry run's count of what is left. */
  async exists(jobId: string): Promise<boolean> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.mailJob(jobId), ProjectionExpression: 'pk', ConsistentRead: true }));
    return Item !== undefined;
  }

  /**
   * Claims a job in ONE conditional write: a queued job past its backoff, or a dead claim SES
   * never reported sent. A refusal comes with the reason, read from the item as it was
   * (`ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`), so there is no second read.
   */
  async claim(jobId: string, claim: { token: string; leaseMs: number; now: Date }): Promise<JobClaim> {
    const at = claim.now.toISOString();
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.mailJob(jobId),
          // The earliest claim that may have sent the message stays (transition's 'claim').
          UpdateExpression: 'SET #status = :sending, claimToken = :token, claimedAt = if_not_exists(claimedAt, :now), leaseUntil = :lease REMOVE notBefore',
          ConditionExpression: CLAIMABLE,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':queued': 'queued',
            ':sending': 'sending',
            ':token': claim.token,
            ':now': at,
            ':lease': new Date(claim.now.getTime() + claim.leaseMs).toISOString(),
          },
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      const old = parseJob(Attributes);
      if (!old) throw new Error(`Mail job item ${jobId.split('#')[0]}#… does not parse as a job.`);
      const job = transition(old, { type: 'claim', token: claim.token, leaseMs: claim.leaseMs }, claim.now);
      return {
        claimed: true,
        job,
        takeover: old.status === 'sending',
        ...(old.claimedAt ? { previousClaimAt: new Date(old.claimedAt) } : {}),
      };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const decision = decideClaim(oldItemOf(error), claim.now);
      // The condition and decideClaim agree; a claimable answer here means the item changed in between.
      if (decision.claim) return { claimed: false, reason: 'held', retryAt: claim.now };
      const { claim: _claim, ...refusal } = decision;
      return { claimed: false, ...refusal };
    }
  }

  /** Records the message as sent (or the job as done without one); false when the claim was lost. */
  async complete(job: MailJob, event: Extract<MailJobEvent, { type: 'send-ok' | 'drop' }>, now: Date): Promise<boolean> {
    const done = transition(job, event, now);
    return conditionHeld(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.mailJob(job.jobId),
          UpdateExpression:
            'SET #status = :sent, sentAt = :at' +
            (done.sesMessageId ? ', sesMessageId = :messageId' : '') +
            (done.dropped ? ', dropped = :dropped' : '') +
            ' REMOVE claimToken, leaseUntil, duePk, dueSk',
          ConditionExpression: 'claimToken = :token',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sent': 'sent',
            ':at': done.sentAt,
            ':token': event.token,
            ...(done.sesMessageId ? { ':messageId': done.sesMessageId } : {}),
            ...(done.dropped ? { ':dropped': done.dropped } : {}),
          },
        }),
      ),
    );
  }

  /** Marks the message sent by this claim. */
  markSent(job: MailJob, token: string, sesMessageId: string | undefined, now: Date): Promise<boolean> {
    return this.complete(job, { type: 'send-ok', token, ...(sesMessageId ? { sesMessageId } : {}) }, now);
  }

  /** Marks the job done without a message: there was none to send. */
  markDropped(job: MailJob, token: string, reason: DropReason, now: Date): Promise<boolean> {
    return this.complete(job, { type: 'drop', token, reason }, now);
  }

  /**
   * After a failed send: released with backoff (attempts + 1, notBefore), or parked as failed at
   * the policy's limit, in one write (a transaction of two items when parking, with its entry on
   * the operator's list). Returns the job as it now is, or undefined when the claim was lost.
   */
  async fail(job: MailJob, event: Extract<MailJobEvent, { type: 'send-failed' }>, now: Date): Promise<MailJob | undefined> {
    const next = transition(job, event, now);
    const guard = {
      ConditionExpression: 'claimToken = :token',
      ExpressionAttributeNames: { '#status': 'status' },
    };
    // Kept when an earlier claim may have sent the message (transition's 'send-failed'), else forgotten.
    const claimedAt = next.claimedAt
      ? { set: ', claimedAt = :claimedAt', remove: '', values: { ':claimedAt': next.claimedAt } }
      : { set: '', remove: ', claimedAt', values: {} };
    if (next.status === 'queued') {
      const due = keys.mailJobDue(job.jobId, new Date(next.notBefore ?? now));
      const released = await conditionHeld(
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.mailJob(job.jobId),
            UpdateExpression:
              `SET #status = :queued, attempts = :attempts, notBefore = :notBefore, lastError = :error, duePk = :duePk, dueSk = :dueSk${claimedAt.set} REMOVE claimToken, leaseUntil${claimedAt.remove}`,
            ...guard,
            ExpressionAttributeValues: {
              ...claimedAt.values,
              ':queued': 'queued',
              ':attempts': next.attempts,
              ':notBefore': next.notBefore,
              ':error': event.error,
              ':token': event.token,
              ':duePk': due.duePk,
              ':dueSk': due.dueSk,
            },
          }),
        ),
      );
      return released ? next : undefined;
    }
    const parked = await transactionHeld(
      this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.mailJob(job.jobId),
                UpdateExpression: `SET #status = :failed, attempts = :attempts, failedAt = :at, lastError = :error${claimedAt.set} REMOVE claimToken, leaseUntil${claimedAt.remove}, notBefore, duePk, dueSk`,
                ...guard,
                ExpressionAttributeValues: { ...claimedAt.values, ':failed': 'failed', ':attempts': next.attempts, ':at': next.failedAt, ':error': event.error, ':token': event.token },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.failedMailJob(job.jobId), ...parkedOf(next), [TTL_ATTRIBUTE]: ttlOf(new Date(now.getTime() + PARKED_LIST_DAYS * 86_400_000)) },
              },
            },
          ],
        }),
      ),
      { conflicts: 'throw' },
    );
    return parked ? next : undefined;
  }

  /**
   * The jobs parked as failed, oldest id first: one query of a small key range, then each entry's
   * job. An entry whose job is gone (erased with its person, by them or by TTL), past its erasure
   * date, or no longer parked is left out and deleted, so the list never offers what the operator
   * cannot act on. `now` (default: the real time) judges erasure dates.
   */
  async listFailed(options: { limit?: number; now?: Date } = {}): Promise<ParkedJob[]> {
    const now = options.now ?? new Date();
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.failedMailJob('').pk },
        Limit: options.limit ?? 100,
        ConsistentRead: true,
      }),
    );
    const entries = (Items ?? []).flatMap((item) => {
      const parked = ParkedJobItem.safeParse(item);
      return parked.success && !isPastTtl(item[TTL_ATTRIBUTE], now) ? [parked.data] : [];
    });
    const listed = await Promise.all(
      entries.map(async (entry) => {
        const { Item } = await this.db.send(
          new GetCommand({
            TableName: this.tableName,
            Key: keys.mailJob(entry.jobId),
            ProjectionExpression: '#status, #ttl',
            ExpressionAttributeNames: { '#status': 'status', '#ttl': TTL_ATTRIBUTE },
            ConsistentRead: true,
          }),
        );
        if (Item?.status === 'failed' && !isPastTtl(Item[TTL_ATTRIBUTE], now)) return entry;
        // Only the entry as read: the job may have been parked again meanwhile, with a new entry.
        await conditionHeld(
          this.db.send(
            new DeleteCommand({
              TableName: this.tableName,
              Key: keys.failedMailJob(entry.jobId),
              ConditionExpression: 'failedAt = :failedAt',
              ExpressionAttributeValues: { ':failedAt': entry.failedAt },
            }),
          ),
        );
        return undefined;
      }),
    );
    return listed.filter((entry): entry is ParkedJob => entry !== undefined);
  }

  /**
   * The operator's retry of a parked job: queued again with its full attempts, off the list. The
   * write emits a stream record, so the mailer picks it up at once. False when it was not parked.
   */
  async retryFailed(jobId: string, now: Date): Promise<boolean> {
    const due = keys.mailJobDue(jobId, now);
    return transactionHeld(
      this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.mailJob(jobId),
                UpdateExpression: 'SET #status = :queued, attempts = :zero, retriedAt = :now, duePk = :duePk, dueSk = :dueSk REMOVE failedAt, notBefore',
                ConditionExpression: '#status = :failed',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':queued': 'queued', ':failed': 'failed', ':zero': 0, ':now': now.toISOString(), ':duePk': due.duePk, ':dueSk': due.dueSk },
              },
            },
            { Delete: { TableName: this.tableName, Key: keys.failedMailJob(jobId) } },
          ],
        }),
      ),
      { conflicts: 'throw' },
    );
  }

  /**
   * Records SES's Send event on the job: accepted, so it is sent and never claimed again (also a
   * job that a lost answer made look failed). False when there is no such job.
   */
  async recordAccepted(jobId: string, accepted: { at: Date; sesMessageId: string }): Promise<boolean> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.mailJob(jobId),
          UpdateExpression:
            'SET #status = :sent, acceptedAt = :at, sentAt = if_not_exists(sentAt, :at), sesMessageId = :messageId REMOVE claimToken, leaseUntil, notBefore, duePk, dueSk',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sent': 'sent', ':at': accepted.at.toISOString(), ':messageId': accepted.sesMessageId },
          ReturnValues: 'ALL_OLD',
        }),
      );
      if (Attributes?.status === 'failed') {
        await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.failedMailJob(jobId) }));
      }
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Whether any job waits for a wake-up (due or not). */
  async hasWakes(): Promise<boolean> {
    return (await this.firstWakeAt()) !== undefined;
  }

  /** When the earliest wake-up is due, if any job waits for one ("<iso>#<jobId>" sorts by its instant). */
  async firstWakeAt(): Promise<Date | undefined> {
    const { Items } = await this.db.send(
      new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.mailJobWake(new Date(0), '').pk }, Limit: 1, ConsistentRead: true }),
    );
    const sk = Items?.[0]?.sk;
    return typeof sk === 'string' ? new Date(sk.slice(0, sk.indexOf('#'))) : undefined;
  }

  /**
   * Asks for the job to be touched again at `at` (the end of a backoff or of someone's lease). The
   * job lists its wake-ups first, so that erasing its person finds them (they name the job); a job
   * gone meanwhile needs none.
   */
  async scheduleWake(jobId: string, at: Date): Promise<void> {
    const wake = keys.mailJobWake(at, jobId);
    const listed = await conditionHeld(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.mailJob(jobId),
          UpdateExpression: 'ADD wakes :wake',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':wake': new Set([wake.sk]) },
        }),
      ),
    );
    if (listed) await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...wake, jobId } }));
  }

  /**
   * Touches every job whose wake-up is due, so that the stream brings it to a mailer again: a
   * queued job gets a fresh image, a dead claim is expired to queued (`expire-claim`). Jobs done
   * meanwhile are left alone. Returns how many were touched. The mailer's poller (locally), the
   * mailer after each batch and a one-minute schedule (in AWS) call it.
   */
  async wakeDue(now: Date, limit = 200): Promise<number> {
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk < :upTo',
        // "<iso>#<jobId>": every instant up to now sorts below now's own text followed by '$' ('$' > '#').
        ExpressionAttributeValues: { ':pk': keys.mailJobWake(now, '').pk, ':upTo': `${now.toISOString()}$` },
        Limit: limit,
      }),
    );
    let touched = 0;
    for (const item of Items ?? []) {
      const jobId = typeof item.jobId === 'string' ? item.jobId : undefined;
      if (jobId && (await this.touch(jobId, now, { stamp: 'wokenAt', wakeSk: String(item.sk) })) === 'requeued') touched += 1;
      await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: item.pk, sk: item.sk } }));
    }
    return touched;
  }

  /**
   * The jobs still unsettled (queued, or claimed by a mailer that may have died) that were last
   * handed to the mailer before `before`, oldest first in each shard: queries of the `due-at`
   * index's mail shards, which hold only unsettled jobs, never a scan.
   */
  async findStuck(before: Date, limit: number): Promise<string[]> {
    const found: string[] = [];
    for (let shard = 0; shard < MAIL_DUE_SHARDS && found.length < limit; shard++) {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: DUE_INDEX,
            // "<iso>#<jobId>" sorts below `before` exactly when its instant is earlier.
            KeyConditionExpression: 'duePk = :pk AND dueSk < :before',
            ExpressionAttributeValues: { ':pk': keys.mailJobDueShard(shard).duePk, ':before': before.toISOString() },
            Limit: limit - found.length,
            ExclusiveStartKey,
          }),
        );
        for (const item of page.Items ?? []) {
          const jobId = jobIdOfKey(typeof item.sk === 'string' ? item.sk : '');
          if (jobId) found.push(jobId);
        }
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey && found.length < limit);
    }
    return found;
  }

  /**
   * Hands a stuck job to the mailer again (the sweep's `touch`): a queued job gets a fresh image,
   * a dead claim is expired to queued; either way its stream record reaches a mailer, whose claim
   * still sends it at most once. A job settled meanwhile is left as it is.
   */
  requeueStuck(jobId: string, now: Date): Promise<SweepOutcome> {
    return this.touch(jobId, now, { stamp: 'sweptAt' });
  }

  /** `wakeSk`: the wake-up that fired, which the job no longer lists. */
  private async touch(jobId: string, now: Date, how: { stamp: 'wokenAt' | 'sweptAt'; wakeSk?: string }): Promise<SweepOutcome> {
    const { stamp, wakeSk } = how;
    // Handed over now: the sweep looks at it again only if this hand-over is lost too.
    const due = keys.mailJobDue(jobId, now);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.mailJob(jobId),
          UpdateExpression: `SET #status = :queued, ${stamp} = :now, duePk = :duePk, dueSk = :dueSk REMOVE claimToken, leaseUntil${wakeSk ? ' DELETE wakes :wake' : ''}`,
          ConditionExpression:
            'attribute_not_exists(acceptedAt) AND (#status = :queued OR (#status = :sending AND leaseUntil <= :now))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':queued': 'queued',
            ':sending': 'sending',
            ':now': now.toISOString(),
            ':duePk': due.duePk,
            ':dueSk': due.dueSk,
            ...(wakeSk ? { ':wake': new Set([wakeSk]) } : {}),
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'requeued';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const old = oldItemOf(error);
      if (old?.status === 'sending' && !old.acceptedAt) return 'busy';
      // Settled (or gone) meanwhile: an index entry that outlived its job's settling is dropped.
      if (old) await this.forgetSettled(jobId);
      return 'settled';
    }
  }

  /** Takes a settled job out of the unsettled ones, if it is still listed there. */
  private async forgetSettled(jobId: string): Promise<void> {
    await conditionHeld(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.mailJob(jobId),
          UpdateExpression: 'REMOVE duePk, dueSk',
          ConditionExpression: 'attribute_exists(duePk) AND (#status = :sent OR #status = :failed)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sent': 'sent', ':failed': 'failed' },
        }),
      ),
    );
  }
}

function parkedOf(job: MailJob): ParkedJob {
  return {
    jobId: job.jobId,
    kind: job.kind,
    attempts: job.attempts,
    failedAt: job.failedAt ?? job.createdAt,
    ...(job.lastError ? { lastError: job.lastError } : {}),
  };
}
