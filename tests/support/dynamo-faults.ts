import {
  InternalServerError,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * How a call fails. `internal`: a 500 (InternalServerError). `throttle`: a 400
 * ProvisionedThroughputExceededException. `conflict` (writes): what DynamoDB answers a write that
 * meets another one in flight, a TransactionCanceledException whose first item says
 * TransactionConflict for a transaction, a TransactionConflictException for a single write.
 * `rival` (conditional writes): a conditional-check race for real, not a forged refusal: the same
 * request from another caller (a double click, a second delivery, an overlapping run) runs to its
 * end first, and then the call goes out and meets the condition that the rival's write broke.
 *
 * A ConditionalCheckFailed is never forged: DynamoDB answers it only when the condition is false,
 * with the item as it is where the request asks for it, and the code rightly reads it so.
 */
export type DynamoFault = 'internal' | 'throttle' | 'conflict' | 'rival';

/** One call a client made, as the fault injector saw it. */
export interface DynamoCall {
  /** The request's name without "Command": Query, GetItem, PutItem, UpdateItem, DeleteItem, TransactWriteItems, ... */
  command: string;
  write: boolean;
  /** The request carries a condition (on itself, or on an item of its transaction). */
  conditional: boolean;
  /** The key of a single-item request (none for a query or a transaction). */
  key?: { pk: string; sk: string } | undefined;
  /** The daily counters a single update of a `STATS#` item adds to (StatsStore's write of its own). */
  counters?: string[] | undefined;
}

/**
 * A call's name as the tables of expected calls write it: the request, ` count` for a daily
 * counter's write of its own, and `?` at the end of a conditional write.
 *
 * @example
 * callName({ command: 'TransactWriteItems', conditional: true }) // 'TransactWriteItems?'
 */
export const callName = (call: Pick<DynamoCall, 'command' | 'conditional' | 'counters'>) => `${call.command}${call.counters ? ' count' : ''}${call.conditional ? '?' : ''}`;

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);

/** The planned failure of one call: the `at`-th (from 1) fails with `fault`; a `rival` fault runs `rival` first. */
export interface PlannedFault {
  at: number;
  fault: DynamoFault;
  rival?: () => Promise<unknown>;
}

/** The fault injector of one client: records calls while watching, and fails the planned one. */
export interface DynamoFaults {
  /** Records every call from now on and fails the planned one. */
  watch(fail?: PlannedFault): void;
  /** Stops watching; the calls made meanwhile, the failed one included (a rival's are not). */
  stop(): DynamoCall[];
}

function keyOf(input: Record<string, unknown>): DynamoCall['key'] {
  const key = (input.Key ?? input.Item) as Record<string, unknown> | undefined;
  return typeof key?.pk === 'string' && typeof key.sk === 'string' ? { pk: key.pk, sk: key.sk } : undefined;
}

function isConditional(input: Record<string, unknown>): boolean {
  if (typeof input.ConditionExpression === 'string') return true;
  const items = (input.TransactItems ?? []) as Record<string, { ConditionExpression?: unknown } | undefined>[];
  return items.some((item) => item.ConditionCheck !== undefined || Object.values(item).some((action) => typeof action?.ConditionExpression === 'string'));
}

function faultFor(fault: Exclude<DynamoFault, 'rival'>, call: DynamoCall, input: Record<string, unknown>): Error {
  switch (fault) {
    case 'internal':
      return new InternalServerError({ message: 'Internal server error', $metadata: { httpStatusCode: 500 } });
    case 'throttle':
      return new ProvisionedThroughputExceededException({
        message: 'The level of configured provisioned throughput for the table was exceeded.',
        $metadata: { httpStatusCode: 400 },
      });
    case 'conflict': {
      if (!call.write) throw new Error(`a conflict is a write's, not ${call.command}'s`);
      if (call.command !== 'TransactWriteItems') return new TransactionConflictException({ message: 'Transaction is ongoing for the item', $metadata: { httpStatusCode: 400 } });
      const items = (input.TransactItems as unknown[] | undefined) ?? [];
      const reasons = items.map((_, index) => ({ Code: index === 0 ? 'TransactionConflict' : 'None' }));
      return new TransactionCanceledException({
        message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
        $metadata: { httpStatusCode: 400 },
        CancellationReasons: reasons,
      });
    }
  }
}

/**
 * Counts the DynamoDB calls of `db` while watching and fails the planned one, before it is sent
 * (SDK middleware at the `initialize` step). That step is outside the SDK's own retry (which sits in
 * `finalizeRequest`: three attempts by default, and every client of the service keeps the default),
 * so the use case sees the fault exactly as it sees a call whose every SDK attempt failed: one
 * injected fault stands for the SDK having given up, and nothing reached the table.
 *
 * @example
 * const faults = injectDynamoFaults(stack.service.db);
 * faults.watch({ at: 3, fault: 'throttle' }); await useCase(); const calls = faults.stop();
 */
export function injectDynamoFaults(db: DynamoDBDocumentClient): DynamoFaults {
  let calls: DynamoCall[] | undefined;
  let plan: PlannedFault | undefined;
  let rivalRunning = false;
  db.middlewareStack.add(
    (next, context) => async (args) => {
      if (!calls || rivalRunning) return next(args);
      const input = (args.input ?? {}) as Record<string, unknown>;
      const command = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      const key = keyOf(input);
      const counters = key?.pk.startsWith('STATS#') ? Object.values((input.ExpressionAttributeNames ?? {}) as Record<string, string>) : undefined;
      const call: DynamoCall = { command, write: WRITES.has(command), conditional: isConditional(input), key, counters };
      calls.push(call);
      if (!plan || calls.length !== plan.at) return next(args);
      if (plan.fault !== 'rival') throw faultFor(plan.fault, call, input);
      if (!call.conditional || !plan.rival) throw new Error(`a rival races a conditional write, not ${callName(call)}`);
      // Only the rival's calls go out meanwhile: this one waits, as a slow request would.
      rivalRunning = true;
      try {
        await plan.rival();
      } finally {
        rivalRunning = false;
      }
      return next(args);
    },
    { step: 'initialize', name: 'injectDynamoFaults', priority: 'high' },
  );
  return {
    watch(fail) {
      calls = [];
      plan = fail;
    },
    stop() {
      const seen = calls ?? [];
      calls = undefined;
      plan = undefined;
      return seen;
    },
  };
}
