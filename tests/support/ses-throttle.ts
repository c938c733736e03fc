import { SESClient } from '@aws-sdk/client-ses';

/** What SES answers over its sending rate: it does not queue the message, the caller must retry. */
export function throttlingError(): Error {
  return Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' });
}

type Send = (this: SESClient, ...args: unknown[]) => Promise<unknown>;

/**
 * Makes every `every`-th call of `target`'s send fail with SES throttling: the one fault the
 * emulator cannot produce. `target` is a client, or SESClient.prototype for a whole process.
 * Returns the number of calls so far.
 */
export function throttleEvery(target: { send: unknown }, every = 5): () => number {
  let calls = 0;
  const send = target.send as Send;
  target.send = function (this: SESClient, ...args: unknown[]) {
    calls += 1;
    if (calls % every === 0) return Promise.reject(throttlingError());
    return send.apply(this, args);
  };
  return () => calls;
}
