// The SDK's notice about its future Node 22 requirement is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { defineConfig } from 'vitest/config';
import LongestFirst from './tests/longest-first.js';

/**
 * DynamoDB Local and the SES emulator, started once for every project that lists them, and what
 * each test file on them starts and ends with (tests/support/each-file.ts).
 */
const onEmulators = { globalSetup: ['tests/global-setup.ts'], setupFiles: ['tests/support/each-file.ts'] };

/**
 * Files that import a Lambda entry point under an environment of their own: an entry point
 * composes the service from the environment when it is imported, so each needs its own modules.
 */
const entryPointFiles = [
  'tests/integration/lambda-entry-points.test.ts',
  'tests/integration/mailer-lambda.test.ts',
  'tests/integration/mail-sweep.test.ts',
  'tests/integration/security.test.ts',
  'tests/integration/send-newsletter-entry.test.ts',
];

/**
 * The suite split by what it needs (docs/tests.md): `npm test` runs every project, files of all
 * of them side by side; `npm run test:<project>` runs one.
 */
export default defineConfig({
  test: {
    // Two cores: a file on each (vitest's default leaves one idle); every file has its own table.
    maxWorkers: 2,
    // A larger young generation for the workers: the SDK and the renderers make many short-lived
    // objects, and with V8's default the workers spent a good share of their CPU collecting them
    // (the integration, lambda and unit files: 2m15s of CPU instead of 2m36s, one run each).
    execArgv: ['--max-semi-space-size=32'],
    sequence: { sequencer: LongestFirst },
    // Each project transforms the same TypeScript for its own workers; kept on disk, one project's
    // transforms serve the next (a cache under node_modules, gone with a fresh install).
    experimental: { fsModuleCache: true },
    testTimeout: 180_000,
    hookTimeout: 60_000,
    // A log line per request and an EMF line per count would bury the test report; tests that read
    // them turn them on while they capture (tests/support/stdout.ts).
    env: { POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN', OPTOUT_METRICS_QUIET: process.env.OPTOUT_METRICS_QUIET ?? '1' },
    projects: [
      // Pure code: no emulator, no global setup.
      // A worker keeps the imported modules from one file to the next, except for the one file
      // whose SST links are read once per process, which has a worker of its own.
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.{ts,tsx}'], exclude: ['tests/unit/config-links.test.ts'], isolate: false } },
      { extends: true, test: { name: 'unit-links', include: ['tests/unit/config-links.test.ts'] } },
      // Routes that need no table, on the app in memory (tests/support/memory-app.ts): no emulator.
      { extends: true, test: { name: 'http', include: ['tests/http/**/*.test.{ts,tsx}'] } },
      // The service on the shared DynamoDB Local (a table per stack) and SES emulator.
      // A worker keeps the imported modules from one file to the next: the service is imported once
      // per worker, not once per file (about 3 s each).
      { extends: true, test: { name: 'integration', include: ['tests/integration/**/*.test.{ts,tsx}'], exclude: entryPointFiles, isolate: false, ...onEmulators } },
      // The Lambda entry points, each file with modules of its own.
      { extends: true, test: { name: 'lambda', include: entryPointFiles, ...onEmulators } },
      // Whole systems: thousands of people or requests, faults, the commands in child processes.
      { extends: true, test: { name: 'system', include: ['tests/system/**/*.test.{ts,tsx}'], isolate: false, ...onEmulators, testTimeout: 900_000 } },
      // Debian's Chromium against the app over HTTP.
      { extends: true, test: { name: 'browser', include: ['tests/e2e/**/*.test.{ts,tsx}'], isolate: false, ...onEmulators } },
    ],
  },
});
