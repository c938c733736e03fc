import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { DomainError } from '../domain/errors.js';
import type { PlatformId } from '../domain/platform.js';
import { isPastTtl } from '../domain/retention.js';
import type { Locale } from '../domain/locale.js';
import { isExpired, Subscriber } from '../domain/subscriber.js';
import { dueShardOf, keys, ttlOf } from './keys.js';

/** The per-(address, campaign) record: unique key of a sign-up, and its suppression after erasure. */
export const AddressRecord = z.object({
  status: z.enum(['pending', 'confirmed', 'unsubscribed', 'erased']),
  subscriberId: z.string().optional(),
  version: z.number().int(),
  confirmMailAt: z.iso.datetime().optional(),
  expiresAt: z.iso.datetime().optional(),
  changedAt: z.iso.datetime(),
});
export type AddressRecord = z.infer<typeof AddressRecord>;

const StoredSubscriber = Subscriber.extend({
  addressHash: z.string(),
  /** Countdown steps due at or before this instant are over (sent or passed over). */
  handledUntil: z.iso.datetime().optional(),
  welcomeSentAt: z.iso.datetime().optional(),
  welcomeClaimedAt: z.iso.datetime().optional(),
});
export type StoredSubscriber = z.infer<typeof StoredSubscriber>;

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException || error instanceof TransactionCanceledException;

/**
 * The only code that reads and writes subscribers, addresses and rate limits in DynamoDB.
 * Every check that guards against a duplicate (one address per campaign, one confirmation mail per
 * cooldown, one welcome) is a conditional write, so concurrent Lambdas cannot both pass it.
 */
export class SubscriberStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly dueShards: number,
  ) {}

  /**
   * The address record of a sign-up. One past its retention, still waiting for TTL, reads as
   * erased: a new sign-up then replaces it (its version guards the write) instead of being taken
   * for a confirmed subscriber.
   */
  async findAddress(addressHash: string, campaignId: string, now?: Date): Promise<AddressRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.address(addressHash, campaignId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const record = AddressRecord.parse(Item);
    return now && isPastTtl(Item.ttl, now) ? { ...record, status: 'erased', subscriberId: undefined } : record;
  }

  async isSuppressed(addressHash: string): Promise<boolean> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.suppression(addressHash), ConsistentRead: true }),
    );
    return Item !== undefined;
  }

  /**
   * Stores a new pending sign-up and claims its confirmation mail, in one transaction that fails
   * when another sign-up for the same address and campaign got there first.
   * `previous` is the address record this sign-up replaces (expired, unsubscribed or erased).
   * Returns false when the transaction lost the race.
   */
  async createPending(subscriber: StoredSubscriber, previous: AddressRecord | undefined, now: Date): Promise<boolean> {
    const expiresAt = subscriber.expiresAt ? new Date(subscriber.expiresAt) : now;
    const address: AddressRecord = {
      status: 'pending',
      subscriberId: subscriber.id,
      version: (previous?.version ?? 0) + 1,
      confirmMailAt: now.toISOString(),
      expiresAt: subscriber.expiresAt,
      changedAt: now.toISOString(),
    };
    const addressCondition = previous
      ? { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': previous.version } }
      : { ConditionExpression: 'attribute_not_exists(pk)' };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.address(subscriber.addressHash, subscriber.campaignId), ...address, ttl: ttlOf(expiresAt) },
                ...addressCondition,
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.subscriber(subscriber.id), ...subscriber, ttl: ttlOf(expiresAt) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...(previous?.subscriberId && previous.status === 'pending'
              ? [{ Delete: { TableName: this.tableName, Key: keys.subscriber(previous.subscriberId) } }]
              : []),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Claims the right to send another confirmation mail for a pending sign-up: succeeds at most
   * once per cooldown, whatever the number of concurrent requests.
   */
  async claimConfirmMail(addressHash: string, campaignId: string, now: Date, cooldownMinutes: number): Promise<boolean> {
    const cutoff = new Date(now.getTime() - cooldownMinutes * 60_000).toISOString();
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.address(addressHash, campaignId),
          UpdateExpression: 'SET confirmMailAt = :now',
          ConditionExpression: '#status = :pending AND expiresAt > :now AND (attribute_not_exists(confirmMailAt) OR confirmMailAt <= :cutoff)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':now': now.toISOString(), ':cutoff': cutoff, ':pending': 'pending' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Gives back a confirmation-mail claim whose send failed, so that a retry may send it. */
  async releaseConfirmMail(addressHash: string, campaignId: string, claimedAt: Date): Promise<void> {
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.address(addressHash, campaignId),
          UpdateExpression: 'REMOVE confirmMailAt',
          ConditionExpression: 'confirmMailAt = :claimed',
          ExpressionAttributeValues: { ':claimed': claimedAt.toISOString() },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  }

  /**
   * A subscriber by id; expired pending sign-ups, and data past its retention, count as missing
   * even before TTL removes them.
   */
  async getSubscriber(subscriberId: string, now: Date): Promise<StoredSubscriber | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.subscriber(subscriberId), ConsistentRead: true }),
    );
    if (!Item || isPastTtl(Item.ttl, now)) return undefined;
    const subscriber = StoredSubscriber.parse(Item);
    return isExpired(subscriber, now) ? undefined : subscriber;
  }

  /**
   * Moves a pending subscriber to confirmed, with its address record, and puts them in the due
   * index at their first countdown step, all in one transaction: no confirmed subscriber is left
   * without a schedule. Both items expire (DynamoDB TTL) at `eraseAt`, the end of the campaign's
   * retention.
   */
  async confirm(subscriber: StoredSubscriber, now: Date, countdownStart: Date, firstStepAt: Date | undefined, eraseAt: Date): Promise<void> {
    const at = now.toISOString();
    const due = firstStepAt ? keys.due(dueShardOf(subscriber.id, this.dueShards), firstStepAt, subscriber.id) : undefined;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.subscriber(subscriber.id),
                UpdateExpression: `SET #state = :confirmed, confirmedAt = :at, handledUntil = :start, #ttl = :eraseAt${due ? ', duePk = :duePk, dueSk = :dueSk' : ''} REMOVE expiresAt`,
                ConditionExpression: '#state = :pending AND expiresAt > :at',
                ExpressionAttributeNames: { '#state': 'state', '#ttl': 'ttl' },
                ExpressionAttributeValues: {
                  ':confirmed': 'confirmed',
                  ':pending': 'pending',
                  ':at': at,
                  ':start': countdownStart.toISOString(),
                  ':eraseAt': ttlOf(eraseAt),
                  ...(due ? { ':duePk': due.duePk, ':dueSk': due.dueSk } : {}),
                },
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: keys.address(subscriber.addressHash, subscriber.campaignId),
                UpdateExpression: 'SET #status = :confirmed, changedAt = :at, version = version + :one, #ttl = :eraseAt REMOVE expiresAt',
                ConditionExpression: 'subscriberId = :id',
                ExpressionAttributeNames: { '#status': 'status', '#ttl': 'ttl' },
                ExpressionAttributeValues: { ':confirmed': 'confirmed', ':at': at, ':id': subscriber.id, ':one': 1, ':eraseAt': ttlOf(eraseAt) },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new DomainError('conflict', 'confirm_raced', 'This sign-up changed meanwhile. Please reload the page.', { cause: error });
      }
      throw error;
    }
  }

  /**
   * Claims the welcome email: true for exactly one caller until it is sent, or until a claim older
   * than `staleAfterMs` (a crashed sender) may be taken over.
   */
  async claimWelcome(subscriberId: string, now: Date, staleAfterMs = 5 * 60_000): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.subscriber(subscriberId),
          UpdateExpression: 'SET welcomeClaimedAt = :now',
          ConditionExpression:
            '#state = :confirmed AND attribute_not_exists(welcomeSentAt) AND (attribute_not_exists(welcomeClaimedAt) OR welcomeClaimedAt < :stale)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':now': now.toISOString(),
            ':stale': new Date(now.getTime() - staleAfterMs).toISOString(),
            ':confirmed': 'confirmed',
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Settles a welcome claim: records the send, or releases the claim after a failed send. */
  async settleWelcome(subscriberId: string, sentAt: Date | undefined): Promise<void> {
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.subscriber(subscriberId),
          UpdateExpression: sentAt ? 'SET welcomeSentAt = :at REMOVE welcomeClaimedAt' : 'REMOVE welcomeClaimedAt',
          ConditionExpression: 'attribute_exists(pk)',
          ...(sentAt ? { ExpressionAttributeValues: { ':at': sentAt.toISOString() } } : {}),
        }),
      )
      .catch((error: unknown) => {
        // Erased between the send and this write: nothing left to record.
        if (!isConditionFailure(error)) throw error;
      });
  }

  /**
   * Marks a platform done (idempotent: the first time is kept) and moves the subscriber's place in
   * the due index in the same write, to `nextDueAt` or out of it when nothing is left.
   */
  async recordObjection(subscriberId: string, platform: PlatformId, now: Date, nextDueAt: Date | undefined): Promise<StoredSubscriber> {
    return this.updateConfirmed(subscriberId, nextDueAt, {
      set: ['objections.#platform = if_not_exists(objections.#platform, :at)'],
      remove: [],
      names: { '#platform': platform },
      values: { ':at': now.toISOString(), ':platform': platform },
      condition: 'contains(platforms, :platform)',
    });
  }

  /** Undoes a platform's "done" and puts the subscriber back in the due index, in one write. */
  async undoObjection(subscriberId: string, platform: PlatformId, nextDueAt: Date | undefined): Promise<StoredSubscriber> {
    return this.updateConfirmed(subscriberId, nextDueAt, {
      set: [],
      remove: ['objections.#platform'],
      names: { '#platform': platform },
      values: {},
    });
  }

  /**
   * Changes what a confirmed subscriber picked (objections for platforms no longer picked are
   * dropped) and re-times their next step, in one write.
   */
  async updatePreferences(
    subscriber: StoredSubscriber,
    preferences: { platforms: PlatformId[]; timeZone: string; locale: Locale; objections: StoredSubscriber['objections'] },
    nextDueAt: Date | undefined,
  ): Promise<StoredSubscriber> {
    return this.updateConfirmed(subscriber.id, nextDueAt, {
      set: ['#platforms = :platforms', '#timeZone = :timeZone', '#locale = :locale', '#objections = :objections'],
      remove: [],
      // Names, not bare words: DynamoDB reserves many plain words (TIMEZONE among them).
      names: { '#platforms': 'platforms', '#timeZone': 'timeZone', '#locale': 'locale', '#objections': 'objections' },
      values: {
        ':platforms': preferences.platforms,
        ':timeZone': preferences.timeZone,
        ':locale': preferences.locale,
        ':objections': preferences.objections,
      },
    });
  }

  private async updateConfirmed(
    subscriberId: string,
    nextDueAt: Date | undefined,
    update: { set: string[]; remove: string[]; names: Record<string, string>; values: Record<string, unknown>; condition?: string },
  ): Promise<StoredSubscriber> {
    const due = nextDueAt ? keys.due(dueShardOf(subscriberId, this.dueShards), nextDueAt, subscriberId) : undefined;
    const set = [...update.set, ...(due ? ['duePk = :duePk', 'dueSk = :dueSk'] : [])];
    const remove = [...update.remove, ...(due ? [] : ['duePk', 'dueSk'])];
    const expression = [set.length ? `SET ${set.join(', ')}` : '', remove.length ? `REMOVE ${remove.join(', ')}` : ''].filter(Boolean).join(' ');
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.subscriber(subscriberId),
          UpdateExpression: expression,
          ConditionExpression: ['#state = :confirmed', update.condition].filter(Boolean).join(' AND '),
          ExpressionAttributeNames: { ...update.names, '#state': 'state' },
          ExpressionAttributeValues: {
            ...update.values,
            ':confirmed': 'confirmed',
            ...(due ? { ':duePk': due.duePk, ':dueSk': due.dueSk } : {}),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return StoredSubscriber.parse(Attributes);
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new DomainError('conflict', 'not_confirmed', 'Confirm your subscription first, from the email we sent you.', { cause: error });
      }
      throw error;
    }
  }

  /**
   * Erases a subscriber's personal data. The address record stays, holding only a keyed hash,
   * the date and why, so that the person is not mailed again without a new sign-up.
   * Idempotent: erasing an erased subscriber does nothing.
   */
  async erase(subscriberId: string, reason: 'unsubscribed' | 'erased', now: Date, attempt = 1): Promise<void> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.subscriber(subscriberId), ConsistentRead: true }),
    );
    if (!Item) return;
    const subscriber = StoredSubscriber.parse(Item);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Delete: { TableName: this.tableName, Key: keys.subscriber(subscriberId) } },
            {
              Update: {
                TableName: this.tableName,
                Key: keys.address(subscriber.addressHash, subscriber.campaignId),
                UpdateExpression:
                  'SET #status = :reason, changedAt = :at, version = version + :one REMOVE subscriberId, confirmMailAt, expiresAt, #ttl',
                ConditionExpression: 'subscriberId = :id',
                ExpressionAttributeNames: { '#status': 'status', '#ttl': 'ttl' },
                ExpressionAttributeValues: { ':reason': reason, ':at': now.toISOString(), ':one': 1, ':id': subscriberId },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Another write got in the way: try again, so the address record never points at nothing.
      const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
      if (reasons.some((reason) => reason.Code === 'TransactionConflict') && attempt < 3) {
        return this.erase(subscriberId, reason, now, attempt + 1);
      }
      // The address record already points elsewhere (a newer sign-up): just drop this subscriber.
      await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.subscriber(subscriberId) }));
    }
  }

  /**
   * Counts one sign-up attempt from a client in the current window; false once over the limit.
   * Shared by every Lambda instance, since it lives in the table.
   */
  async countSignupAttempt(ipHash: string, now: Date, limit: number, windowMinutes: number): Promise<boolean> {
    const windowMs = windowMinutes * 60_000;
    const windowStart = Math.floor(now.getTime() / windowMs) * windowMs;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.signupWindow(ipHash, windowStart),
          UpdateExpression: 'ADD hits :one SET #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':ttl': ttlOf(new Date(windowStart + 2 * windowMs)) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * The confirmed subscribers of a campaign, a page at a time, for a newsletter. A scan: there is
   * no index by campaign, and a newsletter is a rare, operator-started job that reads every
   * subscriber once. Items past their retention are left out even before TTL deletes them.
   */
  async *listConfirmed(campaignId: string, now: Date): AsyncGenerator<StoredSubscriber[]> {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'sk = :profile AND campaignId = :campaign AND #state = :confirmed AND (attribute_not_exists(#ttl) OR #ttl > :now)',
          ExpressionAttributeNames: { '#state': 'state', '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':profile': 'PROFILE', ':campaign': campaignId, ':confirmed': 'confirmed', ':now': ttlOf(now) },
          ExclusiveStartKey,
          ConsistentRead: true,
        }),
      );
      const subscribers = (page.Items ?? []).map((item) => StoredSubscriber.parse(item));
      if (subscribers.length > 0) yield subscribers;
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }
}
