import {
  DeleteCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { Person, PersonFingerprint, TABLE_LAYOUT_VERSION, type PersonStatus } from '../domain/person.js';
import { PlatformId as PlatformIdSchema, type PlatformId } from '../domain/platform.js';
import { isPastTtl } from '../domain/retention.js';
import type { Counts, SignupChange } from '../domain/signup.js';
import { PEOPLE_SCOPE } from '../domain/stats.js';
import { AUDIENCE_INDEX, dueInstantOf, keys, personItemKind, shardOf, ttlOf, type Audience } from './keys.js';
import { conditionHeld, transactionHeld, transactionRefusal } from './conditions.js';
import type { RateClaimUpdate } from './rate-limits.js';
import type { StatsStore } from './stats-store.js';
import { queryPartition } from './partition.js';
import { keysNamingJob, mailJobPut } from './mail-jobs.js';
import { MailJob } from '../domain/mail-job.js';

/** When a person's mornings were last handled, and the next one the due index holds. */
export interface MorningsState {
  /** Mornings due at or before this instant are over (sent or passed over). */
  handledUntil?: string | undefined;
  /** The next morning in the due index, if any. */
  nextAt?: string | undefined;
}

/** Everything stored under one person: read in one query. */
export interface PersonRecord {
  /** The person, while they are pending or active. */
  person?: Person;
  /** What stays after they left or were suppressed. */
  fingerprint?: PersonFingerprint;
  /** The version a write must find, or undefined when nothing is stored for the address. */
  version: number | undefined;
  mornings: MorningsState;
  /** Platforms watched for new deadlines. */
  watches: PlatformId[];
  /** Since when each platform is watched. */
  watchedSince: Partial<Record<PlatformId, string>>;
  /** Where the person item sits in the due index (the watch's yearly question), carried over by every rewrite of it. */
  personDue: { duePk?: string; dueSk?: string };
  /** When the watch's yearly question is next due, from the due index (the next morning is in `mornings`). */
  nextDue: { watchQuestion?: string };
  /** The record of every email to the person (mail jobs, in their partition). */
  mailJobs: MailJob[];
  /** Items of a kind this code does not know (a later layout's), without their keys: nothing stored goes unseen. */
  otherItems: Record<string, unknown>[];
  /** Every key of the partition, for erasure. */
  itemKeys: { pk: string; sk: string }[];
}

/** One accepted form, as the store writes it. */
export interface SignupWrite {
  personId: string;
  /** The sign-up's place in its network's rate limit, taken in the same transaction. */
  attempt: RateClaimUpdate;
  /** The person item's version as read: the write is refused if it moved (a race, a suppression meanwhile). */
  expectedVersion: number | undefined;
  /** What the sign-up changes; none for a suppressed or unchanged address, whose item is only checked. */
  change?: SignupChange | undefined;
  personDue?: PersonRecord['personDue'];
  confirmationMail?: MailJob | undefined;
  /** The day's counts, added once the write holds. */
  counts: Counts;
}

/**
 * Written; another sign-up from the network took a place in its limit meanwhile (read the limit
 * again); or lost a race with another write of the person (read again).
 */
export type SignupWriteResult = 'saved' | 'limit_moved' | 'raced';

/**
 * A change of a person decided by a journey (a confirmation, their preferences, a done mark, a
 * watch's announcement): the person as it is to be, guarded by the version read, with what moves
 * with it in the same transaction.
 */
export interface PersonWrite {
  person: Person;
  expectedVersion: number;
  /** When every item of the person expires (DynamoDB TTL): the end of their retention. */
  personExpiresAt: Date;
  /** The person item's place in the due index: its watch's yearly question, if they watch. */
  personDue?: { duePk?: string; dueSk?: string } | undefined;
  /** The next morning email, recomputed for the new list; undefined: none. Left out: unchanged. */
  mornings?: { next: Date | undefined; handledUntil: Date } | undefined;
  /** A watcher's watches follow the platforms they use: these start, those end. */
  watches?: { add: PlatformId[]; remove: PlatformId[]; keep: PlatformId[]; since: Date } | undefined;
  /** The emails the change causes, as jobs for the mailer: written with it, or not at all. */
  mails?: readonly MailJob[];
  /** Counters that must never drift from what they count (done marks): in the transaction. */
  countsWithChange?: Counts;
  /** The day's counts, added once the write holds. */
  counts?: Counts;
}

const DueFields = z.object({ duePk: z.string().optional(), dueSk: z.string().optional() });

/** The mornings item as the store keeps it: the due index's sort key holds the next instant first. */
const MorningsItem = z
  .object({ handledUntil: z.string().optional(), dueSk: z.string().optional() })
  .transform(({ handledUntil, dueSk }): MorningsState => ({ handledUntil, nextAt: dueSk?.split('#')[0] }));
const WatchItem = z.object({ platform: PlatformIdSchema, since: z.iso.datetime().optional() });

/**
 * The only code that reads and writes people, their subscriptions and watches in DynamoDB. A
 * person and their subscriptions share one partition (one query reads them whole); every change
 * is one conditional write or one transaction, guarded by the person's version, so concurrent
 * Lambdas cannot both pass a rule.
 */
export class PersonStore {
  constructor(
    private readonly options: { db: DynamoDBDocumentClient; tableName: string; shards: number; stats: StatsStore },
  ) {}

  private get db() {
    return this.options.db;
  }

  private get tableName() {
    return this.options.tableName;
  }

  /**
   * A person with their mornings and watches. Items past their retention, and a pending person past
   * their expiry, read as missing even before TTL removes them; so does a person item of an older
   * layout, which this code cannot read (none was ever deployed).
   */
  async load(personId: string, now: Date): Promise<PersonRecord> {
    const record: PersonRecord = {
      version: undefined,
      mornings: {},
      watches: [],
      watchedSince: {},
      personDue: {},
      nextDue: {},
      mailJobs: [],
      otherItems: [],
      itemKeys: [],
    };
    for (const item of await queryPartition(this.db, this.tableName, keys.person(personId).pk, { consistent: true })) this.addItem(record, item, now);
    return record;
  }

  private addItem(record: PersonRecord, item: Record<string, unknown>, now: Date): void {
    const sk = z.string().parse(item.sk);
    record.itemKeys.push({ pk: z.string().parse(item.pk), sk });
    const expired = isPastTtl(item.ttl, now);
    switch (personItemKind(sk)) {
      case 'person': {
        record.version = z.number().int().parse(item.version);
        record.personDue = DueFields.parse(item);
        const watchQuestion = dueInstantOf(record.personDue.dueSk);
        if (watchQuestion) record.nextDue.watchQuestion = watchQuestion;
        if (item.email === undefined) {
          record.fingerprint = PersonFingerprint.parse(item);
        } else if (!expired && item.layout === TABLE_LAYOUT_VERSION) {
          const person = Person.parse(item);
          if (!(person.status === 'pending' && person.expiresAt && Date.parse(person.expiresAt) <= now.getTime())) record.person = person;
        }
        return;
      }
      case 'mornings':
        if (!expired) record.mornings = MorningsItem.parse(item);
        return;
      case 'watch': {
        if (expired) return;
        const watch = WatchItem.parse(item);
        record.watches.push(watch.platform);
        if (watch.since) record.watchedSince[watch.platform] = watch.since;
        return;
      }
      case 'mail-job': {
        if (expired) return;
        // A job of a shape this code does not read is still shown, as an item of another kind.
        const job = MailJob.safeParse(item);
        if (job.success) {
          record.mailJobs.push(job.data);
          return;
        }
        const { pk: _pk, sk: _sk, ...rest } = item;
        record.otherItems.push(rest);
        return;
      }
      default: {
        const { pk: _pk, sk: _sk, ...rest } = item;
        if (!expired) record.otherItems.push(rest);
        return;
      }
    }
  }

  private counterActions(counts: Counts, now: Date) {
    return Object.entries(counts)
      .map(([scope, increments]) => this.options.stats.counterUpdate(scope, increments, now))
      .filter((update) => update !== undefined)
      .map((Update) => ({ Update }));
  }

  private personCondition(expectedVersion: number | undefined) {
    return expectedVersion === undefined
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': expectedVersion } };
  }

  /**
   * Writes a sign-up in one transaction, whatever the address holds, so that a known address
   * costs what a new one does: the network's place in its rate limit (store/rate-limits.ts), under
   * the condition that it is still free; the person as read (their version, a suppression's too),
   * either rewritten by the change or only checked; the pending subscriptions; the confirmation
   * email's job. Once it holds, the day's counts. The limit's item is shared by every Lambda
   * instance; sign-ups from one network at the same moment can conflict on it, and are then tried
   * again like any other race.
   */
  async saveSignup(write: SignupWrite, now: Date): Promise<SignupWriteResult> {
    const { attempt, change, confirmationMail, expectedVersion } = write;
    const actions = [
      { Update: attempt },
      change ? this.signupPuts(change, write.personDue ?? {}) : [{ ConditionCheck: { TableName: this.tableName, Key: keys.person(write.personId), ...this.personCondition(expectedVersion) } }],
      // The confirmation email, as a job for the mailer: written with its cause, or not at all.
      confirmationMail && change ? [mailJobPut(this.tableName, confirmationMail, { expires: change.personExpiresAt })] : [],
    ].flat();
    const refusal = await transactionRefusal(this.db.send(new TransactWriteCommand({ TransactItems: actions })));
    if (refusal) return refusal[0] === 'ConditionalCheckFailed' ? 'limit_moved' : 'raced';
    await this.countAfter(write.counts, now);
    return 'saved';
  }

  /** The item a sign-up's change writes: the person, guarded by the version read. */
  private signupPuts(change: SignupChange, personDue: PersonRecord['personDue']) {
    return [{ Put: { TableName: this.tableName, Item: this.personItem(change.person, personDue, change.personExpiresAt), ...this.personCondition(change.expectedVersion) } }];
  }

  /** The person item as stored: in the people's audience while active, in the due index for its watch's question. */
  private personItem(person: Person, personDue: PersonRecord['personDue'] | undefined, expiresAt: Date) {
    const audience = person.status === 'active' ? keys.audience({ people: true }, shardOf(person.id, this.options.shards), person.id) : {};
    return { ...keys.person(person.id), ...person, ...personDue, ...audience, ttl: ttlOf(expiresAt) };
  }

  /**
   * Counts a sign-up or confirmation once its conditional write won: only the winner of a race
   * counts. Apart from the transaction, since every sign-up of a day adds to the same counter item,
   * and in it they would all conflict with each other.
   */
  private async countAfter(counts: Counts, now: Date): Promise<void> {
    await Promise.all(Object.entries(counts).map(([scope, increments]) => this.options.stats.count(scope, increments, now)));
  }

  /**
   * Writes a change of a person in one transaction guarded by the version read: the person, their
   * next morning in the due index, their watches, the emails the change causes, and the counters
   * that must not drift from it; the day's other counts once it held. Returns false when the
   * person changed since it was read (read again and decide again).
   */
  async savePerson(write: PersonWrite, now: Date): Promise<boolean> {
    const { person, watches, mornings } = write;
    const expires = write.personExpiresAt;
    const actions = [
      { Put: { TableName: this.tableName, Item: this.personItem(person, write.personDue, expires), ...this.personCondition(write.expectedVersion) } },
      ...(mornings ? [{ Update: this.morningsUpdate(person.id, mornings, expires) }] : []),
      ...(watches ? watches.add.map((platform) => ({ Put: this.watchPut(person, platform, watches.since, expires) })) : []),
      ...(watches ? watches.remove.map((platform) => ({ Delete: { TableName: this.tableName, Key: keys.watch(person.id, platform) } })) : []),
      ...(watches ? this.watchTtlUpdates(person.id, watches.keep, expires) : []),
      ...(write.mails ?? []).map((mail) => mailJobPut(this.tableName, mail, { expires })),
      ...this.counterActions(write.countsWithChange ?? {}, now),
    ];
    const saved = await transactionHeld(this.db.send(new TransactWriteCommand({ TransactItems: actions })));
    if (saved && write.counts) await this.countAfter(write.counts, now);
    return saved;
  }

  /**
   * Puts the person's next morning in the due index (or takes them out), keeping when the last one
   * was handled: a countdown run moves that on, never a journey.
   */
  private morningsUpdate(personId: string, mornings: NonNullable<PersonWrite['mornings']>, expires: Date) {
    const due = mornings.next ? keys.due(shardOf(personId, this.options.shards), mornings.next, personId, 'mornings') : undefined;
    return {
      TableName: this.tableName,
      Key: keys.mornings(personId),
      UpdateExpression: `SET handledUntil = if_not_exists(handledUntil, :handled), #ttl = :ttl${due ? ', duePk = :duePk, dueSk = :dueSk' : ''}${due ? '' : ' REMOVE duePk, dueSk'}`,
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: {
        ':handled': mornings.handledUntil.toISOString(),
        ':ttl': ttlOf(expires),
        ...(due ? { ':duePk': due.duePk, ':dueSk': due.dueSk } : {}),
      },
    };
  }

  /** A watch item: in the platform's watch audience, and kept as long as the person. */
  private watchPut(person: Pick<Person, 'id'>, platform: PlatformId, since: Date, expires?: Date) {
    return {
      TableName: this.tableName,
      Item: {
        ...keys.watch(person.id, platform),
        platform,
        since: since.toISOString(),
        ...keys.audience({ watchedPlatform: platform }, shardOf(person.id, this.options.shards), person.id),
        ...(expires ? { ttl: ttlOf(expires) } : {}),
      },
    };
  }

  /** Moves the expiry of a person's watch items with the person's, so that none outlives or predeceases them. */
  private watchTtlUpdates(personId: string, watches: readonly PlatformId[], until: Date) {
    return watches.map((platform) => ({
      Update: {
        TableName: this.tableName,
        Key: keys.watch(personId, platform),
        UpdateExpression: 'SET #ttl = :ttl',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':ttl': ttlOf(until) },
      },
    }));
  }

  /** The due-index keys of a watch's yearly question at `at`. */
  watchRenewalDue(personId: string, at: Date): { duePk: string; dueSk: string } {
    return keys.due(shardOf(personId, this.options.shards), at, personId, 'watch-renewal');
  }

  /**
   * Moves a watcher's yearly question in the due index and records what happened to it: asked
   * (`askedAt`), kept (`keptAt`: the question is answered and the data kept a year longer), or
   * only looked at later. Nothing for a person who no longer watches.
   */
  async setWatchRenewal(options: {
    personId: string;
    next: Date;
    askedAt?: Date;
    keptAt?: Date;
    retainUntil?: Date;
    watches?: readonly PlatformId[];
    /** The question's email, written with the change that asks it. */
    question?: MailJob;
  }): Promise<boolean> {
    const { personId, next, askedAt, keptAt, retainUntil, watches = [], question } = options;
    const due = this.watchRenewalDue(personId, next);
    const set = ['duePk = :duePk', 'dueSk = :dueSk'];
    const values: Record<string, unknown> = { ':duePk': due.duePk, ':dueSk': due.dueSk, ':active': 'active', ':yes': true };
    if (askedAt) {
      set.push('watchAskedAt = :asked');
      values[':asked'] = askedAt.toISOString();
    }
    if (keptAt) {
      set.push('watchKeptAt = :kept');
      values[':kept'] = keptAt.toISOString();
    }
    if (retainUntil) {
      set.push('retainUntil = :until', '#ttl = :ttl');
      Object.assign(values, { ':until': retainUntil.toISOString(), ':ttl': ttlOf(retainUntil) });
    }
    const update = {
      TableName: this.tableName,
      Key: keys.person(personId),
      UpdateExpression: `SET ${set.join(', ')}${keptAt ? ' REMOVE watchAskedAt' : ''}`,
      ConditionExpression: '#status = :active AND watch = :yes',
      ExpressionAttributeNames: { '#status': 'status', ...(retainUntil ? { '#ttl': 'ttl' } : {}) },
      ExpressionAttributeValues: values,
    };
    const watchTtls = retainUntil ? this.watchTtlUpdates(personId, watches, retainUntil) : [];
    if (watchTtls.length === 0 && !question) return conditionHeld(this.db.send(new UpdateCommand(update)));
    // The watches are kept exactly as long as the person, and the question goes with the change that
    // asks it: one transaction. A question written before (another run) makes it fail: asked once.
    const mail = question ? [mailJobPut(this.tableName, question, retainUntil ? { expires: retainUntil } : {})] : [];
    return transactionHeld(this.db.send(new TransactWriteCommand({ TransactItems: [{ Update: update }, ...watchTtls, ...mail] })));
  }

  /** Takes a person who no longer watches out of the due index. */
  async clearWatchRenewal(personId: string): Promise<void> {
    await conditionHeld(
      this.db.send(
        new UpdateCommand({ TableName: this.tableName, Key: keys.person(personId), UpdateExpression: 'REMOVE duePk, dueSk', ConditionExpression: 'attribute_exists(pk)' }),
      ),
    );
  }

  /**
   * Erases a person: the person item becomes their suppression fingerprint (no address, no
   * choices: the id, the status, when), in one conditional write that stops every email at once,
   * since every sender reads the person first; then every other item of theirs is deleted.
   * Idempotent: a person already erased stays as they are (a suppression stays a suppression).
   * `countsWithStatus` (SES feedback's bounce or complaint) are counted in the write that gives the
   * address its new status, and never by a repeat. Returns what was stored before, for the counters.
   */
  async erase(
    personId: string,
    status: Exclude<PersonStatus, 'pending' | 'active'>,
    now: Date,
    reason: string = status,
    options: { countsWithStatus?: Counts } = {},
  ): Promise<PersonRecord> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = await this.load(personId, now);
      const current = before.person?.status ?? before.fingerprint?.status;
      // Suppressed is final; unsubscribing an erased person changes nothing.
      const nextStatus = current === 'suppressed' ? 'suppressed' : before.fingerprint && status !== 'suppressed' ? before.fingerprint.status : status;
      // The first reason and date of a status are kept, as the minimal record of why.
      const unchanged = before.fingerprint?.status === nextStatus ? before.fingerprint : undefined;
      // Erased before, and nothing else of theirs left: a repeat writes nothing.
      if (unchanged && before.itemKeys.length === 1) return before;
      const fingerprint: PersonFingerprint = {
        id: personId,
        status: nextStatus,
        reason: unchanged?.reason ?? reason,
        changedAt: unchanged?.changedAt ?? now.toISOString(),
        version: (before.version ?? 0) + 1,
      };
      const counts: Counts = {};
      if (before.person?.status === 'active') counts[PEOPLE_SCOPE] = { [status === 'erased' ? 'erasures' : status === 'suppressed' ? 'suppressions' : 'unsubscribes']: 1 };
      // Only the write that changes the status counts its cause: a redelivery that finishes an erasure begun before must not count it again.
      if (nextStatus !== current) for (const [scope, increments] of Object.entries(options.countsWithStatus ?? {})) counts[scope] = { ...counts[scope], ...increments };
      const written = await transactionHeld(
        this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: this.tableName, Item: { ...keys.person(personId), ...fingerprint }, ...this.personCondition(before.version) } },
              ...this.counterActions(counts, now),
            ],
          }),
        ),
      );
      if (!written) continue;
      await this.deleteRest(before);
      return before;
    }
    throw new Error('The person kept changing while being erased; the next attempt erases them.');
  }

  /**
   * Deletes every item of a person but the fingerprint, and with each mail job the items outside
   * the partition that name it (its entry on the operator's list of parked jobs, its wake-ups), read
   * from the job as it was deleted, so none is missed however the job changed since it was read.
   */
  private async deleteRest(record: PersonRecord): Promise<void> {
    const person = keys.person('');
    await Promise.all(
      record.itemKeys
        .filter((key) => key.sk !== person.sk)
        .map(async (Key) => {
          if (personItemKind(Key.sk) !== 'mail-job') return this.db.send(new DeleteCommand({ TableName: this.tableName, Key }));
          const { Attributes } = await this.db.send(new DeleteCommand({ TableName: this.tableName, Key, ReturnValues: 'ALL_OLD' }));
          await Promise.all(keysNamingJob(Attributes ?? {}).map((named) => this.db.send(new DeleteCommand({ TableName: this.tableName, Key: named }))));
        }),
    );
  }

  /**
   * The active people, or the watchers of one platform, a page at a time, through the sparse
   * audience index: a newsletter or an announcement reads its own readers, never the table.
   */
  async *audience(list: Audience): AsyncGenerator<string[]> {
    for (let shard = 0; shard < this.options.shards; shard++) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await this.audiencePage(list, shard, startKey);
        if (page.personIds.length > 0) yield page.personIds;
        startKey = page.nextKey;
      } while (startKey);
    }
  }

  /** One page of one shard of an audience, from where an earlier page stopped: resumable by its key. */
  async audiencePage(
    list: Audience,
    shard: number,
    startKey: Record<string, unknown> | undefined,
    pageSize = 100,
  ): Promise<{ personIds: string[]; nextKey: Record<string, unknown> | undefined }> {
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: AUDIENCE_INDEX,
        KeyConditionExpression: 'audPk = :pk',
        ExpressionAttributeValues: { ':pk': keys.audience(list, shard, '').audPk },
        ExclusiveStartKey: startKey,
        Limit: pageSize,
      }),
    );
    return { personIds: (page.Items ?? []).map((item) => z.object({ audSk: z.string() }).parse(item).audSk), nextKey: page.LastEvaluatedKey };
  }

  /** How many shards the audience and due indexes have. */
  get shards(): number {
    return this.options.shards;
  }
}

