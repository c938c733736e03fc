import { GetCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { decideRate, intervalOf, type Allowance, type RateClaim, type RateRule } from '../domain/rate-limit.js';
import { conditionHeld, transactionHeld } from './conditions.js';
import { keys, ttlOf, type RateLimitName } from './keys.js';

/** One client of one limit: which limit, and whom it counts (an IP hash, or everyone). */
export interface RateScope {
  name: RateLimitName;
  scope: string;
}

/** The conditional write that takes one place in a limit, for a caller's own transaction. */
export interface RateClaimUpdate {
  TableName: string;
  Key: { pk: string; sk: string };
  UpdateExpression: string;
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, number>;
}

/** Refused, with the wait until one more is accepted; or taken. */
export type RateOutcome = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const StoredAllowance = z.object({ spentUntil: z.number() });

/** Lost races in a row before a claim gives up and answers "wait a second": it fails closed. */
const CLAIM_ROUNDS = 5;

/**
 * The state of every rate limit, in the table so that every Lambda instance shares it: one item
 * per client, holding the instant its allowance is spent until (domain/rate-limit.ts decides).
 * A place is taken by a conditional write on what was read, so concurrent requests cannot all
 * take the last one; a busy client's claim adds to the stored instant, so a burst of them does
 * not conflict until the limit.
 */
export class RateLimits {
  constructor(private readonly options: { db: DynamoDBDocumentClient; tableName: string }) {}

  /** What is kept for a client, read consistently; undefined when nothing is. */
  async read(client: RateScope): Promise<Allowance | undefined> {
    const { Item } = await this.options.db.send(new GetCommand({ TableName: this.options.tableName, Key: keys.rateLimit(client.name, client.scope), ConsistentRead: true }));
    const stored = StoredAllowance.safeParse(Item);
    return stored.success ? stored.data : undefined;
  }

  /** The write of an accepted claim, with the condition that the place is still free when it lands. */
  claimUpdate(client: RateScope, claim: RateClaim, keepUntil: Date): RateClaimUpdate {
    const common = {
      TableName: this.options.tableName,
      Key: keys.rateLimit(client.name, client.scope),
      ExpressionAttributeNames: { '#spent': 'spentUntil', '#ttl': 'ttl' },
    };
    if (claim.kind === 'restart') {
      return {
        ...common,
        UpdateExpression: 'SET #spent = :spent, #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(#spent) OR #spent <= :idle OR #spent > :later',
        ExpressionAttributeValues: { ':spent': claim.spentUntil, ':idle': claim.idleAtOrBefore, ':later': claim.orAfter, ':ttl': ttlOf(keepUntil) + 1 },
      };
    }
    return {
      ...common,
      UpdateExpression: 'SET #spent = #spent + :by, #ttl = :ttl',
      ConditionExpression: '#spent > :busy AND #spent <= :most',
      ExpressionAttributeValues: { ':by': claim.by, ':busy': claim.busyAfter, ':most': claim.atMost, ':ttl': ttlOf(keepUntil) + 1 },
    };
  }

  /**
   * Takes one place in each limit at once (a client's and everyone's), or none: refused with the
   * longest wait when any is spent. A race lost to another request reads again.
   */
  async take(claims: readonly { client: RateScope; rule: RateRule }[], now: Date): Promise<RateOutcome> {
    for (let round = 0; round < CLAIM_ROUNDS; round++) {
      const allowances = await Promise.all(claims.map(({ client }) => this.read(client)));
      const decisions = claims.map(({ rule }, i) => decideRate(rule, allowances[i], now));
      const waits = decisions.flatMap((decision) => (decision.allowed ? [] : [decision.retryAfterSeconds]));
      if (waits.length > 0) return { allowed: false, retryAfterSeconds: Math.max(...waits) };
      const updates = decisions.flatMap((decision, i) => (decision.allowed ? [this.claimUpdate(claims[i]!.client, decision.claim, decision.keepUntil)] : []));
      const held =
        updates.length === 1
          ? await conditionHeld(this.options.db.send(new UpdateCommand(updates[0]!)))
          : await transactionHeld(this.options.db.send(new TransactWriteCommand({ TransactItems: updates.map((Update) => ({ Update })) })));
      if (held) return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: 1 };
  }

  /** Gives a taken place back (a correct sign-in is not a failure): the allowance moves back one interval. */
  async giveBack(client: RateScope, rule: RateRule): Promise<void> {
    await conditionHeld(
      this.options.db.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: keys.rateLimit(client.name, client.scope),
          UpdateExpression: 'SET #spent = #spent - :by',
          ConditionExpression: 'attribute_exists(#spent)',
          ExpressionAttributeNames: { '#spent': 'spentUntil' },
          ExpressionAttributeValues: { ':by': intervalOf(rule) },
        }),
      ),
    );
  }
}
