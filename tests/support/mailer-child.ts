/**
 * A local mailer in a process of its own, so that a test can SIGKILL it mid-batch: the test
 * composer, configuration from the environment. Prints "ready" once it reads the stream.
 */
import { loadConfig } from '../../functions/config.js';
import { startLocalMailer } from '../../scripts/local-mailer.js';
import { testComposer } from './test-composer.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const mailer = await startLocalMailer(loadConfig(process.env), { composer: testComposer, pollMs: 50 });
console.log('ready');
process.on('SIGTERM', () => void mailer.stop().then(() => process.exit(0)));
