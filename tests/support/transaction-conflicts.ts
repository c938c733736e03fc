import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Makes every `every`-th TransactWriteItems of `db` fail as DynamoDB answers a transaction that
 * raced another: the one fault DynamoDB Local never produces. `reasons` are the cancellation
 * codes, one per item of the transaction. Returns the number of transactions so far.
 *
 * @example
 * const transactions = injectTransactionConflicts(stack.service.db, 3, ['None', 'TransactionConflict']);
 */
export function injectTransactionConflicts(db: DynamoDBDocumentClient, every: number, reasons: readonly string[]): () => number {
  let transactions = 0;
  db.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'TransactWriteItemsCommand' && ++transactions % every === 0) {
        throw new TransactionCanceledException({
          message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.join(', ')}]`,
          $metadata: { httpStatusCode: 400 },
          CancellationReasons: reasons.map((Code) => ({ Code })),
        });
      }
      return next(args);
    },
    { step: 'initialize', name: 'injectTransactionConflict' },
  );
  return () => transactions;
}
