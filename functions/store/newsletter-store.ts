import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { keys, ttlOf } from './keys.js';

const CopyClaim = z.discriminatedUnion('status', [
  z.object({ status: z.literal('sent') }),
  z.object({ status: z.literal('claimed'), runId: z.string(), claimedAt: z.number(), leaseUntil: z.number() }),
]);

export type CopyClaimOutcome = { outcome: 'claimed' | 'sent' | 'busy' } | { outcome: 'taken-over'; claimedAt: Date };

/**
 * One item per (issue, subscriber): claimed before the copy is sent, marked sent after, so that a
 * run killed mid-way, a repeated run or two runs at once send every copy once. The same lease
 * rules as the countdown's steps. The items hold ids only and expire with the campaign's data.
 */
export class NewsletterStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Claims one copy. 'claimed' for exactly one caller; 'sent' when it went out before; 'busy'
   * while another run holds it; 'taken-over' when a dead run's lease ran out, with when it claimed.
   */
  async claimCopy(issueId: string, subscriberId: string, runId: string, lease: { realNow: number; leaseMs: number }, expires: Date): Promise<CopyClaimOutcome> {
    const key = keys.newsletterCopy(issueId, subscriberId);
    const item = { ...key, status: 'claimed', runId, claimedAt: lease.realNow, leaseUntil: lease.realNow + lease.leaseMs, ttl: ttlOf(expires) };
    if (await this.putIf(item, 'attribute_not_exists(pk)', {})) return { outcome: 'claimed' };
    const held = await this.copyClaim(issueId, subscriberId);
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

  /** Whether a copy went out already, for a dry run's count of what is left to send. */
  async wasSent(issueId: string, subscriberId: string): Promise<boolean> {
    return (await this.copyClaim(issueId, subscriberId))?.status === 'sent';
  }

  /** Records a copy as sent, for good. */
  async markCopySent(issueId: string, subscriberId: string, sentAt: Date): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.newsletterCopy(issueId, subscriberId),
        UpdateExpression: 'SET #status = :sent, sentAt = :at REMOVE leaseUntil',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent', ':at': sentAt.toISOString() },
      }),
    );
  }

  /** Gives a claim back after a failed send, so that the next run retries that copy. */
  async releaseCopy(issueId: string, subscriberId: string, runId: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.newsletterCopy(issueId, subscriberId),
          ConditionExpression: '#status = :claimed AND runId = :runId',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':runId': runId },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private async copyClaim(issueId: string, subscriberId: string): Promise<z.infer<typeof CopyClaim> | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.newsletterCopy(issueId, subscriberId), ConsistentRead: true }),
    );
    const held = CopyClaim.safeParse(Item);
    return held.success ? held.data : undefined;
  }

  private async putIf(item: Record<string, unknown>, condition: string, values: Record<string, unknown>): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: condition,
          ...(condition.includes('#status') ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
          ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
