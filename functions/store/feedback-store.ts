import { ConditionalCheckFailedException, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod';
import { isPastTtl } from '../domain/retention.js';
import { keys, ttlOf } from './keys.js';

/** How long soft bounces add up towards suppression (and SNS message ids are remembered with them). */
export const FEEDBACK_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

/** The soft-bounce count of an address: the SNS messages it counted, so that none counts twice. */
const SoftBounceCount = z.object({
  bounces: z.number().int(),
  messageIds: z.set(z.string()).optional(),
  ttl: z.number().optional(),
});

/** One soft bounce counted, or found counted before; `bounces` is the address's count in its window. */
export interface SoftBounceCounted {
  /** False when this SNS message was counted already: a redelivery. */
  counted: boolean;
  bounces: number;
}

/**
 * SES feedback's side of the table: the count of soft bounces of an address (suppressing is the
 * person store's). Addresses appear only as `hashAddress()` keys. Every write here is idempotent by
 * the SNS message id, so a message delivered again, after a failure or a crash half-way, is safe to
 * handle again from the start.
 */
export class FeedbackStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Counts the soft bounce of one SNS message, once however often the message arrives: the count
   * keeps the ids it counted, in one conditional write that returns the item as it was when it
   * refuses. Bounces older than FEEDBACK_WINDOW_DAYS from the first of a window count no more.
   */
  async countTransientBounce(addressHash: string, snsMessageId: string, now: Date): Promise<SoftBounceCounted> {
    const key = keys.softBounces(addressHash);
    const ttl = ttlOf(new Date(now.getTime() + FEEDBACK_WINDOW_DAYS * DAY_MS));
    // A retry covers another Lambda resetting an expired window at the same moment.
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const { Attributes } = await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'ADD bounces :one, messageIds :ids SET #ttl = if_not_exists(#ttl, :ttl), lastAt = :at',
            // TTL deletes up to days late: an expired window must not keep counting.
            ConditionExpression: '(attribute_not_exists(#ttl) OR #ttl > :now) AND NOT contains(messageIds, :id)',
            ExpressionAttributeNames: { '#ttl': 'ttl' },
            ExpressionAttributeValues: { ':one': 1, ':ids': new Set([snsMessageId]), ':id': snsMessageId, ':ttl': ttl, ':at': now.toISOString(), ':now': ttlOf(now) },
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { counted: true, bounces: SoftBounceCount.parse(Attributes).bounces };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const old = error.Item ? SoftBounceCount.safeParse(unmarshall(error.Item as Record<string, AttributeValue>)) : undefined;
        if (old?.success && !isPastTtl(old.data.ttl, now) && old.data.messageIds?.has(snsMessageId)) return { counted: false, bounces: old.data.bounces };
      }
      // The window is over: this bounce starts a new one.
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...key, bounces: 1, messageIds: new Set([snsMessageId]), ttl, lastAt: now.toISOString() },
            ConditionExpression: 'attribute_not_exists(pk) OR #ttl <= :now',
            ExpressionAttributeNames: { '#ttl': 'ttl' },
            ExpressionAttributeValues: { ':now': ttlOf(now) },
          }),
        );
        return { counted: true, bounces: 1 };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new Error('The soft-bounce counter kept changing; the retry of this message will count it.');
  }
}
