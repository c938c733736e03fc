import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { keys } from './keys.js';

const Cursor = z.object({ next: z.union([z.literal('done'), z.record(z.string(), z.unknown())]) });

/**
 * The watch's side of the table: a cursor per (campaign, platform, shard), so an announcement
 * resumes where a run stopped, and a marker once a campaign is announced to everyone.
 */
export class AnnouncementStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

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
