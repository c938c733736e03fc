/**
 * Loaded with `node --import tsx --import <this file>` into a mailer child process, so that a
 * fifth of its SES calls are throttled like those of the mailer in the test's own process.
 */
import { SESClient } from '@aws-sdk/client-ses';
import { throttleEvery } from './ses-throttle.js';

throttleEvery(SESClient.prototype, 5);
