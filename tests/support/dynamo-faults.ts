import {
  InternalServerError,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * What a failed DynamoDB call answers: `internal` a 500 (InternalServerError); `throttle` a 400
 * ProvisionedThroughputExceededException; `race` the conflict DynamoDB answers a write that meets
 * another in flight: a TransactionCanceledException whose first item says TransactionConflict for a
 * transaction, a TransactionConflictException for a single write.
 */
export type DynamoFault = 'internal' | 'throttle' | 'race';

/** One call a client made, as the fault injector saw it. */
export interface DynamoCall {
  /** The request's name without "Command": Query, GetItem, PutItem, UpdateItem, DeleteItem, TransactWriteItems, ... */
  command: string;
  write: boolean;
  /** The key of a single-item request (none for a query or a transaction). */
  key?: { pk: string; sk: string } | undefined;
  /** The daily counters a single update of a `STATS#` item adds to (StatsStore's write of its own). */
  counters?: string[] | undefined;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);

/** The fault injector of one client: records calls while watching, and fails the planned one. */
export interface DynamoFaults {
  /** Records every call from now on; with `fail`, the `at`-th of them (from 1) fails with `fault` instead of being sent. */
  watch(fail?: { at: number; fault: DynamoFault }): void;
  /** Stops watching; the calls made meanwhile, the failed one included. */
  stop(): DynamoCall[];
}

function keyOf(input: Record<string, unknown>): DynamoCall['key'] {
  const key = (input.Key ?? input.Item) as Record<string, unknown> | undefined;
  return typeof key?.pk === 'string' && typeof key.sk === 'string' ? { pk: key.pk, sk: key.sk } : undefined;
}

function faultFor(fault: DynamoFault, call: DynamoCall, input: Record<string, unknown>): Error {
  switch (fault) {
    case 'internal':
      return new InternalServerError({ message: 'Internal server error', $metadata: { httpStatusCode: 500 } });
    case 'throttle':
      return new ProvisionedThroughputExceededException({
        message: 'The level of configured provisioned throughput for the table was exceeded.',
        $metadata: { httpStatusCode: 400 },
      });
    case 'race': {
      if (call.command === 'TransactWriteItems') {
        const items = (input.TransactItems as unknown[] | undefined) ?? [];
        const reasons = items.map((_, index) => ({ Code: index === 0 ? 'TransactionConflict' : 'None' }));
        return new TransactionCanceledException({
          message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
          $metadata: { httpStatusCode: 400 },
          CancellationReasons: reasons,
        });
      }
      if (!call.write) throw new Error(`a race applies to writes only, not to ${call.command}`);
      return new TransactionConflictException({ message: 'Transaction is ongoing for the item', $metadata: { httpStatusCode: 400 } });
    }
  }
}

/**
 * Counts the DynamoDB calls of `db` while watching and fails the planned one, before it is sent
 * (SDK middleware at the `initialize` step). That step is outside the SDK's own retry (which sits in
 * `finalizeRequest`, three attempts by default for every client of the service), so the use case sees
 * the fault exactly as it sees a call whose every SDK attempt failed: one injected fault stands for
 * the SDK having given up, and nothing reached the table.
 *
 * @example
 * const faults = injectDynamoFaults(stack.service.db);
 * faults.watch({ at: 3, fault: 'throttle' }); await useCase(); const calls = faults.stop();
 */
export function injectDynamoFaults(db: DynamoDBDocumentClient): DynamoFaults {
  let calls: DynamoCall[] | undefined;
  let plan: { at: number; fault: DynamoFault } | undefined;
  db.middlewareStack.add(
    (next, context) => async (args) => {
      if (calls) {
        const input = (args.input ?? {}) as Record<string, unknown>;
        const command = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        const key = keyOf(input);
        const counters = key?.pk.startsWith('STATS#') ? Object.values((input.ExpressionAttributeNames ?? {}) as Record<string, string>) : undefined;
        const call: DynamoCall = { command, write: WRITES.has(command), key, counters };
        calls.push(call);
        if (plan && calls.length === plan.at) throw faultFor(plan.fault, call, input);
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
