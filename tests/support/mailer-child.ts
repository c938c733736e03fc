/**
 * A local mailer in a process of its own, so that a test can SIGKILL it mid-batch; configuration
 * from the environment. Prints "ready" once it reads the stream. With MAILER_CHILD_NOW it composes
 * the service's real emails as at that instant (the test's simulated hour); without, the test composer.
 * MAILER_CHILD_CONCURRENCY caps the sends in flight (1: one at a time).
 */
import { createService } from '../../functions/app/composition-root.js';
import { mailComposerOf } from '../../functions/app/mail-composer.js';
import { loadConfig } from '../../functions/config.js';
import { newsletterIssues } from '../../functions/newsletter-issues.js';
import { startLocalMailer } from '../../scripts/local-mailer.js';
import { testComposer } from './test-composer.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const config = loadConfig(process.env);
const at = process.env.MAILER_CHILD_NOW ? new Date(process.env.MAILER_CHILD_NOW) : undefined;
const composer = at ? mailComposerOf(createService(config, { clock: () => at }), newsletterIssues) : testComposer;
const concurrency = process.env.MAILER_CHILD_CONCURRENCY ? Number(process.env.MAILER_CHILD_CONCURRENCY) : undefined;
const mailer = await startLocalMailer(config, { composer, pollMs: 50, ...(at ? { clock: () => at } : {}), ...(concurrency ? { concurrency } : {}) });
console.log('ready');
process.on('SIGTERM', () => void mailer.stop().then(() => process.exit(0)));
