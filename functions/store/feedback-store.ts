import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { keys, ttlOf } from './keys.js';

/** How long a handled MessageId is remembered (SNS retries for far less), and how long soft bounces add up. */
export const FEEDBACK_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

const SoftBounceCount = z.object({ bounces: z.number().int() });

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

/**
 * SES feedback's side of the table: which SNS messages were handled, and the count of soft bounces
 * of an address (suppressing is the person store's). Addresses appear only as `hashAddress()` keys.
 */
export class FeedbackStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Claims an SNS message for handling: true for the first caller, false when it was handled
   * already (SNS and Lambda deliver at least once).
   */
  async markHandled(snsMessageId: string, now: Date): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.feedbackMessage(snsMessageId),
            handledAt: now.toISOString(),
            ttl: ttlOf(new Date(now.getTime() + FEEDBACK_WINDOW_DAYS * DAY_MS)),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Gives a message back after its handling failed, so that the retry of it is not skipped. */
  async releaseHandled(snsMessageId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.feedbackMessage(snsMessageId) }));
  }

  /**
   * Counts one soft bounce of an address; true once `limit` of them fell within
   * FEEDBACK_WINDOW_DAYS of the first, when the caller should suppress it.
   */
  async countTransientBounce(addressHash: string, now: Date, limit: number): Promise<boolean> {
    const key = keys.softBounces(addressHash);
    const ttl = ttlOf(new Date(now.getTime() + FEEDBACK_WINDOW_DAYS * DAY_MS));
    // A retry covers another Lambda resetting an expired window at the same moment.
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const { Attributes } = await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'ADD bounces :one SET #ttl = if_not_exists(#ttl, :ttl), lastAt = :at',
            // TTL deletes up to days late: an expired window must not keep counting.
            ConditionExpression: 'attribute_not_exists(#ttl) OR #ttl > :now',
            ExpressionAttributeNames: { '#ttl': 'ttl' },
            ExpressionAttributeValues: { ':one': 1, ':ttl': ttl, ':at': now.toISOString(), ':now': ttlOf(now) },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return SoftBounceCount.parse(Attributes).bounces >= limit;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...key, bounces: 1, ttl, lastAt: now.toISOString() },
            ConditionExpression: '#ttl <= :now',
            ExpressionAttributeNames: { '#ttl': 'ttl' },
            ExpressionAttributeValues: { ':now': ttlOf(now) },
          }),
        );
        return 1 >= limit;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new Error('The soft-bounce counter kept changing; the retry of this message will count it.');
  }
}
