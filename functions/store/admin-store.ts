import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { keys, ttlOf } from './keys.js';

const StoredSession = z.object({ expiresAt: z.number().int() });

/**
 * The operator's sessions, in the table so that a sign-out anywhere ends the session everywhere.
 * (The sign-in limits are rate limits like any other: store/rate-limits.ts.)
 */
export class AdminStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

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
