import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { transactionHeld } from '../../functions/store/conditions.js';

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

describe('whether a transaction held', () => {
  it('says false for a cancelled one, and with conflicts thrown, only for a failed condition', async () => {
    expect(await transactionHeld(Promise.resolve({}))).toBe(true);
    expect(await transactionHeld(Promise.reject(cancelled('None', 'ConditionalCheckFailed')))).toBe(false);
    expect(await transactionHeld(Promise.reject(cancelled('TransactionConflict')))).toBe(false);
    expect(await transactionHeld(Promise.reject(cancelled('None', 'ConditionalCheckFailed')), { conflicts: 'throw' })).toBe(false);
    // A conflict is not a refusal there: thrown, so that the stream record is retried.
    await expect(transactionHeld(Promise.reject(cancelled('TransactionConflict', 'None')), { conflicts: 'throw' })).rejects.toBeInstanceOf(TransactionCanceledException);
    await expect(transactionHeld(Promise.reject(new Error('network')))).rejects.toThrow('network');
  });
});
