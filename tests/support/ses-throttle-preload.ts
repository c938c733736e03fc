/**
 * Loaded with `node --import tsx --import <this file>` into a send-due child process, so that a
 * fifth of its SES calls are throttled like those of the runs in the test's own process.
 */
import { SESClient } from '@aws-sdk/client-ses';
import { throttleEvery } from './ses-throttle.js';

throttleEvery(SESClient.prototype, 5);
