// The SDK's notice about its future Node 22 requirement is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['tests/global-setup.ts'],
    include: ['tests/**/*.test.{ts,tsx}'],
    // Generous: DynamoDB Local is shared by every file running at once on two cores.
    testTimeout: 180_000,
    hookTimeout: 60_000,
    // A log line per request and an EMF line per count would bury the test report; tests that read
    // them turn them on while they capture (tests/support/stdout.ts).
    env: { POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN', OPTOUT_METRICS_QUIET: process.env.OPTOUT_METRICS_QUIET ?? '1' },
  },
});
