import { ConditionalCheckFailedException, type ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { DUE_INDEX, dueShardOf, keys, ttlOf } from './keys.js';

/** What the countdown's reads and writes cost, for the run summary and the benchmark. */
export interface DynamoUsage {
  requests: number;
  readCapacity: number;
  writeCapacity: number;
}

const DueKey = z.object({ dueSk: z.string() });
const StepClaim = z.discriminatedUnion('status', [
  z.object({ status: z.literal('sent') }),
  z.object({ status: z.literal('claimed'), runId: z.string(), claimedAt: z.number(), leaseUntil: z.number() }),
]);

/**
 * The countdown's side of the table: the sharded "next email due" index, the per-step claims that
 * make every send happen once, and the schedule version of each campaign.
 */
export class CountdownStore {
  readonly usage: DynamoUsage = { requests: 0, readCapacity: 0, writeCapacity: 0 };

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    readonly shards: number,
  ) {}

  private count(capacity: ConsumedCapacity | ConsumedCapacity[] | undefined, kind: 'read' | 'write'): void {
    this.usage.requests += 1;
    for (const item of [capacity ?? []].flat()) {
      if (kind === 'read') this.usage.readCapacity += item.CapacityUnits ?? 0;
      else this.usage.writeCapacity += item.CapacityUnits ?? 0;
    }
  }

  /**
   * One page of subscribers due by `now` on one shard, oldest first. Only due items are read, so
   * a run costs one query per shard when nothing is due, however many subscribers there are.
   */
  async queryDue(
    shard: number,
    now: Date | undefined,
    startKey?: Record<string, unknown>,
    pageSize = 100,
  ): Promise<{ subscriberIds: string[]; nextKey: Record<string, unknown> | undefined }> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: DUE_INDEX,
        KeyConditionExpression: now ? 'duePk = :pk AND dueSk <= :upper' : 'duePk = :pk',
        ExpressionAttributeValues: {
          ':pk': keys.due(shard, new Date(0), '').duePk,
          // "~" sorts after every character of an id, so every item due at `now` is included.
          ...(now ? { ':upper': `${now.toISOString()}#~` } : {}),
        },
        ExclusiveStartKey: startKey,
        Limit: pageSize,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    this.count(result.ConsumedCapacity, 'read');
    const subscriberIds = (result.Items ?? []).map((item) => DueKey.parse(item).dueSk.split('#')[1] ?? '').filter(Boolean);
    return { subscriberIds, nextKey: result.LastEvaluatedKey };
  }

  /**
   * Claims (subscriber, step) before sending. 'claimed' for exactly one caller; 'sent' when the
   * step went out before; 'busy' while another run holds it; 'taken-over' when the claim of a run
   * that died (its lease ran out) passes to this one, with when that run claimed it.
   */
  async claimStep(
    subscriberId: string,
    stepId: string,
    runId: string,
    lease: { realNow: number; leaseMs: number },
    expires: Date,
  ): Promise<{ outcome: 'claimed' | 'sent' | 'busy' } | { outcome: 'taken-over'; claimedAt: Date }> {
    const item = { ...keys.step(subscriberId, stepId), status: 'claimed', runId, claimedAt: lease.realNow, leaseUntil: lease.realNow + lease.leaseMs, ttl: ttlOf(expires) };
    if (await this.putIf(item, 'attribute_not_exists(pk)', {})) return { outcome: 'claimed' };
    const existing = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.step(subscriberId, stepId), ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }),
    );
    this.count(existing.ConsumedCapacity, 'read');
    const held = StepClaim.safeParse(existing.Item);
    if (!held.success) return { outcome: 'busy' };
    if (held.data.status === 'sent') return { outcome: 'sent' };
    if (held.data.leaseUntil >= lease.realNow) return { outcome: 'busy' };
    const takenOver = await this.putIf(item, '#status = :claimed AND runId = :deadRun AND leaseUntil < :realNow', {
      ':claimed': 'claimed',
      ':deadRun': held.data.runId,
      ':realNow': lease.realNow,
    });
    return takenOver ? { outcome: 'taken-over', claimedAt: new Date(held.data.claimedAt) } : { outcome: 'busy' };
  }

  private putIf(item: Record<string, unknown>, condition: string, values: Record<string, unknown>): Promise<boolean> {
    return this.writeIf(
      new PutCommand({
        TableName: this.tableName,
        Item: item,
        ConditionExpression: condition,
        ...(condition.includes('#status') ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
        ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
  }

  /** Sends one conditional write and counts it; false when its condition did not hold. */
  private async writeIf(command: PutCommand | UpdateCommand | DeleteCommand): Promise<boolean> {
    try {
      // The three commands share one output shape for what is read here.
      const result = (await this.db.send(command as UpdateCommand)) as { ConsumedCapacity?: ConsumedCapacity };
      this.count(result.ConsumedCapacity, 'write');
      return true;
    } catch (error) {
      this.usage.requests += 1;
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Records a step as sent, for good. */
  async markStepSent(subscriberId: string, stepId: string, sentAt: Date): Promise<void> {
    const result = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.step(subscriberId, stepId),
        UpdateExpression: 'SET #status = :sent, sentAt = :at REMOVE leaseUntil',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent', ':at': sentAt.toISOString() },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    this.count(result.ConsumedCapacity, 'write');
  }

  /** Gives a claim back after a failed send, so that a later run retries the step. */
  async releaseStep(subscriberId: string, stepId: string, runId: string): Promise<void> {
    await this.writeIf(
      new DeleteCommand({
        TableName: this.tableName,
        Key: keys.step(subscriberId, stepId),
        ConditionExpression: '#status = :claimed AND runId = :runId',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':claimed': 'claimed', ':runId': runId },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
  }

  /**
   * Moves a subscriber's place in the due index: to `next`, or out of it when nothing is left.
   * `handledUntil` only moves forward, so two runs racing cannot bring back a handled step.
   */
  async reschedule(subscriberId: string, handledUntil: Date | undefined, next: Date | undefined): Promise<void> {
    const names: Record<string, string> = { '#state': 'state' };
    const values: Record<string, unknown> = { ':confirmed': 'confirmed' };
    const set: string[] = [];
    let condition = '#state = :confirmed';
    if (handledUntil) {
      set.push('handledUntil = :handled');
      values[':handled'] = handledUntil.toISOString();
      condition += ' AND (attribute_not_exists(handledUntil) OR handledUntil <= :handled)';
    }
    if (next) {
      const due = keys.due(dueShardOf(subscriberId, this.shards), next, subscriberId);
      set.push('duePk = :duePk', 'dueSk = :dueSk');
      Object.assign(values, { ':duePk': due.duePk, ':dueSk': due.dueSk });
    }
    const update = [set.length ? `SET ${set.join(', ')}` : '', next ? '' : 'REMOVE duePk, dueSk'].filter(Boolean).join(' ');
    // A failed condition means gone, no longer confirmed, or another run already moved further.
    await this.writeIf(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.subscriber(subscriberId),
        UpdateExpression: update,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
  }

  /** Takes a subscriber out of the due index, whatever their state (erased, unconfirmed, suppressed). */
  async unschedule(subscriberId: string): Promise<void> {
    await this.writeIf(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.subscriber(subscriberId),
        UpdateExpression: 'REMOVE duePk, dueSk',
        ConditionExpression: 'attribute_exists(pk)',
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
  }

  /** The schedule version the due index was last timed for, per campaign. */
  async scheduleVersion(campaignId: string): Promise<string | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.campaignSchedule(campaignId), ReturnConsumedCapacity: 'TOTAL' }),
    );
    this.count(result.ConsumedCapacity, 'read');
    return z.object({ version: z.string() }).optional().parse(result.Item)?.version;
  }

  async saveScheduleVersion(campaignId: string, version: string): Promise<void> {
    const result = await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.campaignSchedule(campaignId), version }, ReturnConsumedCapacity: 'TOTAL' }),
    );
    this.count(result.ConsumedCapacity, 'write');
  }
}
