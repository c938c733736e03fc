import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { keys, ttlOf } from './keys.js';

/** The scope of the sign-in counter shared by every client. */
const EVERYONE = '_all';

const StoredSession = z.object({ expiresAt: z.number().int() });

/**
 * The operator's sign-in limits and sessions, in the table so that every Lambda instance sees
 * the same counts and a sign-out anywhere ends the session everywhere.
 */
export class AdminStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Takes one sign-in attempt from the client's window and from everyone's, each only while under
   * its limit: one conditional ADD each, so parallel guesses cannot all slip past a read. False
   * once either limit is reached.
   */
  async claimSignInAttempt(ipHash: string, window: { start: number; end: number }, limits: { perClient: number; overall: number }): Promise<boolean> {
    if (!(await this.claim(ipHash, window, limits.perClient))) return false;
    if (await this.claim(EVERYONE, window, limits.overall)) return true;
    await this.release(ipHash, window.start);
    return false;
  }

  /** Gives a claimed attempt back: a correct sign-in is not a failure. */
  async releaseSignInAttempt(ipHash: string, window: { start: number }): Promise<void> {
    await Promise.all([this.release(ipHash, window.start), this.release(EVERYONE, window.start)]);
  }

  private async claim(scope: string, window: { start: number; end: number }, limit: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.adminSignInWindow(scope, window.start),
          UpdateExpression: 'ADD attempts :one SET #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(attempts) OR attempts < :limit',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':ttl': ttlOf(new Date(window.end + (window.end - window.start))) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async release(scope: string, windowStart: number): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.adminSignInWindow(scope, windowStart),
        UpdateExpression: 'ADD attempts :minus',
        ConditionExpression: 'attempts > :zero',
        ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
      }),
    ).catch((error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
  }

  /** Keeps a new session until `expiresAt`; TTL removes it after. */
  async createSession(sessionKey: string, expiresAt: Date): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.adminSession(sessionKey), expiresAt: expiresAt.getTime(), ttl: ttlOf(expiresAt) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** Whether the session exists and has not expired (TTL deletes late, so the expiry is checked here). */
  async isSessionAlive(sessionKey: string, now: Date): Promise<boolean> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.adminSession(sessionKey), ConsistentRead: true }));
    const session = StoredSession.safeParse(Item);
    return session.success && session.data.expiresAt > now.getTime();
  }

  /** Ends a session for good: a cookie saved before is refused from now on. */
  async deleteSession(sessionKey: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.adminSession(sessionKey) }));
  }
}
