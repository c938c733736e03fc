/**
 * Loaded with `node --import tsx --import <this file>` into a mailer child process, so that a
 * fifth of its SES sends are throttled like those of the mailer in the test's own process. Says on
 * stdout what SES did with each send (`accepted <job tag>`, `throttled <job tag>`); with
 * MAILER_CHILD_KILL_AFTER=n the process SIGKILLs itself the instant SES has accepted its n-th
 * message, before the mailer can record it sent: the case a take-over must settle by asking the
 * mail server.
 */
import { SESClient } from '@aws-sdk/client-ses';
import { MAIL_JOB_TAG } from '../../functions/domain/mail-job.js';
import { throttleEvery } from './ses-throttle.js';

throttleEvery(SESClient.prototype, 5);

const killAfter = Number(process.env.MAILER_CHILD_KILL_AFTER ?? 0);
let accepted = 0;
const tagOf = (command: unknown) =>
  (command as { input?: { Tags?: Array<{ Name?: string; Value?: string }> } }).input?.Tags?.find((tag) => tag.Name === MAIL_JOB_TAG)?.Value;

const throttled = SESClient.prototype.send as (...args: unknown[]) => Promise<unknown>;
SESClient.prototype.send = async function (this: SESClient, ...args: unknown[]) {
  const tag = tagOf(args[0]);
  let result: unknown;
  try {
    result = await throttled.apply(this, args);
  } catch (error) {
    if (tag && error instanceof Error && error.name === 'Throttling') process.stdout.write(`throttled ${tag}\n`);
    throw error;
  }
  if (tag === undefined) return result;
  accepted += 1;
  // Writes to a pipe are synchronous on Linux: the line is the parent's before the signal.
  process.stdout.write(`accepted ${tag}\n`);
  if (accepted === killAfter) process.kill(process.pid, 'SIGKILL');
  return result;
} as typeof SESClient.prototype.send;
