/**
 * `npm run check-links`: fetches every link in the campaigns' and platforms' data, as the weekly
 * function does, prints each verdict, and keeps the results in the local table (shown on /admin).
 * Needs the local stack of `npm run dev` running (or DYNAMODB_ENDPOINT). Exits 1 when a link is
 * broken (a bot wall or a rate limit is "could not check", not broken).
 */
import { campaigns } from '../functions/campaigns.js';
import { systemClock } from '../functions/clock.js';
import { checkLinks, linksToCheck } from '../functions/link-checks.js';
import { probeLink } from '../functions/link-probe.js';
import { platforms } from '../functions/platforms.js';
import { createDynamoClient } from '../functions/store/client.js';
import { LinkCheckStore } from '../functions/store/link-check-store.js';
import { LocalStackEnv, localConfig } from './local-stack.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main() {
  const config = localConfig(LocalStackEnv.parse(process.env));
  const store = new LinkCheckStore(createDynamoClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT }), config.TABLE_NAME);
  const links = linksToCheck(campaigns, platforms);
  const summary = await checkLinks({ links, probe: (url) => probeLink(url, { timeoutMs: 15_000 }), store, clock: systemClock });
  const labels = { broken: 'BROKEN   ', unchecked: 'unchecked', alive: 'alive    ' } as const;
  for (const check of await store.latest()) console.log(`${labels[check.verdict]}  ${check.detail.padEnd(40)} ${check.url}`);
  console.log(`check-links: ${summary.checked} links, ${summary.broken.length} broken, ${summary.unchecked.length} could not be checked`);
  if (summary.broken.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
