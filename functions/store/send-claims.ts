import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { ttlOf } from './keys.js';

/** An item's primary key, as `keys` makes them. */
export interface Key {
  pk: string;
  sk: string;
}

const SendClaim = z.discriminatedUnion('status', [
  z.object({ status: z.literal('sent') }),
  z.object({ status: z.literal('claimed'), runId: z.string(), claimedAt: z.number(), leaseUntil: z.number() }),
]);

export type ClaimOutcome = { outcome: 'claimed' | 'sent' | 'busy' } | { outcome: 'taken-over'; claimedAt: Date };

/** Real time, since a lease must outlast a killed run whatever the app's clock says. */
export interface Lease {
  realNow: number;
  leaseMs: number;
}

/** How a store sends a command: the countdown's store counts what each one costs. */
export type SendCommand = (command: PutCommand | GetCommand | UpdateCommand | DeleteCommand) => Promise<{ Item?: Record<string, unknown> }>;

/**
 * One item per email to send (a countdown step, a newsletter copy): claimed before the email is
 * sent, marked sent after, so that a run killed mid-way, a repeated run or two runs at once send
 * it once. The items hold ids only and expire with the subscriber's data.
 */
export class SendClaims {
  constructor(
    private readonly send: SendCommand,
    private readonly tableName: string,
  ) {}

  /**
   * Claims the email at `key`. 'claimed' for exactly one caller; 'sent' when it went out before;
   * 'busy' while another run holds it; 'taken-over' when the claim of a run that died (its lease
   * ran out) passes to this one, with when that run claimed it.
   */
  async claim(key: Key, runId: string, lease: Lease, expires: Date): Promise<ClaimOutcome> {
    const item = { ...key, status: 'claimed', runId, claimedAt: lease.realNow, leaseUntil: lease.realNow + lease.leaseMs, ttl: ttlOf(expires) };
    if (await this.putIf(item, 'attribute_not_exists(pk)', {})) return { outcome: 'claimed' };
    const held = await this.read(key);
    if (!held) return { outcome: 'busy' };
    if (held.status === 'sent') return { outcome: 'sent' };
    if (held.leaseUntil >= lease.realNow) return { outcome: 'busy' };
    const takenOver = await this.putIf(item, '#status = :claimed AND runId = :deadRun AND leaseUntil < :realNow', {
      ':claimed': 'claimed',
      ':deadRun': held.runId,
      ':realNow': lease.realNow,
    });
    return takenOver ? { outcome: 'taken-over', claimedAt: new Date(held.claimedAt) } : { outcome: 'busy' };
  }

  /** Whether the email at `key` went out already. */
  async wasSent(key: Key): Promise<boolean> {
    return (await this.read(key))?.status === 'sent';
  }

  /** Records the email as sent, for good. */
  async markSent(key: Key, sentAt: Date): Promise<void> {
    await this.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'SET #status = :sent, sentAt = :at REMOVE leaseUntil',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent', ':at': sentAt.toISOString() },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
  }

  /** Gives a claim back after a failed send, so that a later run retries the email. */
  async release(key: Key, runId: string): Promise<void> {
    const release = new DeleteCommand({
      TableName: this.tableName,
      Key: key,
      ConditionExpression: '#status = :claimed AND runId = :runId',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':claimed': 'claimed', ':runId': runId },
      ReturnConsumedCapacity: 'TOTAL',
    });
    // A failed condition: the claim is no longer this run's to give back.
    await conditionHeld(this.send(release));
  }

  private async read(key: Key): Promise<z.infer<typeof SendClaim> | undefined> {
    const { Item } = await this.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }));
    const held = SendClaim.safeParse(Item);
    return held.success ? held.data : undefined;
  }

  private putIf(item: Record<string, unknown>, condition: string, values: Record<string, unknown>): Promise<boolean> {
    const put = new PutCommand({
      TableName: this.tableName,
      Item: item,
      ConditionExpression: condition,
      ...(condition.includes('#status') ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
      ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
      ReturnConsumedCapacity: 'TOTAL',
    });
    return conditionHeld(this.send(put));
  }
}

/** Waits for a conditional write; false when its condition did not hold, any other error thrown. */
export async function conditionHeld(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * Waits for a transaction; false when it was cancelled (a condition failed, or it raced with
 * another), any other error thrown. With `conflicts: 'throw'` only a failed condition is a
 * refusal, and a conflict is thrown, for callers whose caller retries it (the mailer's records).
 */
export async function transactionHeld(write: Promise<unknown>, options: { conflicts?: 'refuse' | 'throw' } = {}): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    if (options.conflicts !== 'throw') return false;
    if ((error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed')) return false;
    throw error;
  }
}
