import { campaigns } from './campaigns.js';
import { systemClock } from './clock.js';
import { configFromLinks, loadConfig } from './config.js';
import { checkLinks, linksToCheck } from './link-checks.js';
import { probeLink } from './link-probe.js';
import { flushMetrics, logger, recordRunDuration } from './observability.js';
import { platforms } from './platforms.js';
import { createDynamoClient } from './store/client.js';
import { LinkCheckStore } from './store/link-check-store.js';

const config = loadConfig({ ...configFromLinks(), ...process.env });
const store = new LinkCheckStore(createDynamoClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT }), config.TABLE_NAME);

/** The Lambda entry point of the weekly link check: every campaign and platform link fetched, judged, stored, counted. */
export async function handler(event?: { id?: string }): Promise<unknown> {
  const startedAt = Date.now();
  logger.appendKeys({ correlationId: typeof event?.id === 'string' ? event.id : `check-links-${startedAt}` });
  try {
    const summary = await checkLinks({ links: linksToCheck(campaigns, platforms), probe: (url) => probeLink(url, { timeoutMs: 15_000, userAgent: `optout-countdown-link-check/1 (+${config.PUBLIC_URL})` }), store, clock: systemClock });
    logger.info('check-links', { checked: summary.checked, broken: summary.broken.length, unchecked: summary.unchecked.length, durationMs: Date.now() - startedAt });
    return summary;
  } finally {
    recordRunDuration('check-links', Date.now() - startedAt);
    flushMetrics();
    logger.resetKeys();
  }
}
