import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { keys } from './keys.js';
import { SendClaims, type ClaimOutcome, type Lease } from './send-claims.js';

const Cursor = z.object({ next: z.union([z.literal('done'), z.record(z.string(), z.unknown())]) });

/**
 * The watch's side of the table: a send-once claim per (person, campaign) announcement, kept in
 * the person's partition so it goes with their data, and a cursor per (campaign, platform, shard)
 * so an announcement resumes where a run stopped.
 */
export class AnnouncementStore {
  private readonly claims: SendClaims;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    // The commands share one output shape for what the claims read.
    this.claims = new SendClaims((command) => db.send(command as GetCommand), tableName);
  }

  claim(personId: string, campaignId: string, runId: string, lease: Lease, expires: Date): Promise<ClaimOutcome> {
    return this.claims.claim(keys.announcement(personId, campaignId), runId, lease, expires);
  }

  markSent(personId: string, campaignId: string, sentAt: Date): Promise<void> {
    return this.claims.markSent(keys.announcement(personId, campaignId), sentAt);
  }

  release(personId: string, campaignId: string, runId: string): Promise<void> {
    return this.claims.release(keys.announcement(personId, campaignId), runId);
  }

  /** Where the last run stopped in this shard: its next start key, 'done', or undefined to start. */
  async cursor(campaignId: string, platform: string, shard: number): Promise<Record<string, unknown> | 'done' | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.announcementCursor(campaignId, platform, shard), ConsistentRead: true }));
    return Item ? Cursor.parse(Item).next : undefined;
  }

  async saveCursor(campaignId: string, platform: string, shard: number, next: Record<string, unknown> | 'done'): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.announcementCursor(campaignId, platform, shard), next } }));
  }

  async isDone(campaignId: string): Promise<boolean> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.announcementDone(campaignId) }));
    return Item !== undefined;
  }

  async markDone(campaignId: string, now: Date): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.announcementDone(campaignId), at: now.toISOString() } }));
  }
}
