import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';

// How every store reads a refused write: a failed condition is an answer, anything else an error.

/** Waits for a conditional write; false when its condition did not hold, any other error thrown. */
export async function conditionHeld(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * Waits for a transaction; false when it was cancelled (a condition failed, or it raced with
 * another), any other error thrown. With `conflicts: 'throw'` only a failed condition is a
 * refusal, and a conflict is thrown, for callers whose caller retries it (the mailer's records).
 */
export async function transactionHeld(write: Promise<unknown>, options: { conflicts?: 'refuse' | 'throw' } = {}): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    if (options.conflicts !== 'throw') return false;
    if ((error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed')) return false;
    throw error;
  }
}

/**
 * Waits for a transaction; undefined when it held, else the cancellation code of each of its
 * items in order (`ConditionalCheckFailed`, `TransactionConflict`, `None`), for callers whose
 * answer depends on which condition failed. Any other error is thrown.
 */
export async function transactionRefusal(write: Promise<unknown>): Promise<string[] | undefined> {
  try {
    await write;
    return undefined;
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    return (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
  }
}
