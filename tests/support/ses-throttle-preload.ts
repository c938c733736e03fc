/**
 * Loaded with `node --import tsx --import <this file>` into a mailer child process, so that a
 * fifth of its SES calls are throttled like those of the mailer in the test's own process.
 */
import { SESClient } from '@aws-sdk/client-ses';
import { throttleEvery } from './ses-throttle.js';

throttleEvery(SESClient.prototype, 5);

// Says on stdout each message SES accepted, so that the test can kill this process right after
// one: between SES taking a message and this mailer recording it.
const throttled = SESClient.prototype.send as (...args: unknown[]) => Promise<unknown>;
SESClient.prototype.send = async function (this: SESClient, ...args: unknown[]) {
  const result = await throttled.apply(this, args);
  process.stdout.write('accepted\n');
  return result;
} as typeof SESClient.prototype.send;
