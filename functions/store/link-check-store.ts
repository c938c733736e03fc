import { createHash } from 'node:crypto';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LinkCheck } from '../domain/link-check.js';
import { keys } from './keys.js';
import { queryPartition } from './partition.js';

/** The latest check of each campaign link: one item per URL, replaced by each run. */
export class LinkCheckStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Keeps this check as the link's latest. */
  async save(check: LinkCheck): Promise<void> {
    const urlHash = createHash('sha256').update(check.url).digest('base64url');
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.linkCheck(urlHash), ...LinkCheck.parse(check) } }));
  }

  /** Every link's latest check, broken ones first, then the unchecked, then the alive, each by URL. */
  async latest(): Promise<LinkCheck[]> {
    const checks: LinkCheck[] = [];
    for (const item of await queryPartition(this.db, this.tableName, keys.linkCheck('').pk)) {
      const check = LinkCheck.safeParse(item);
      if (check.success) checks.push(check.data);
    }
    const rank = { broken: 0, unchecked: 1, alive: 2 } as const;
    return checks.sort((a, b) => rank[a.verdict] - rank[b.verdict] || a.url.localeCompare(b.url));
  }
}
