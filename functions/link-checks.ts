import type { Clock } from './clock.js';
import type { Campaign } from './domain/campaign.js';
import { campaignLinks, judgeLink, type LinkCheck, type LinkOutcome } from './domain/link-check.js';
import type { Platform } from './domain/platform.js';
import { countLinkChecks, logger } from './observability.js';
import type { LinkCheckStore } from './store/link-check-store.js';

export interface LinkCheckSummary {
  checked: number;
  broken: { url: string; detail: string; campaigns: string[] }[];
  /** Links a bot wall or a rate limit kept from being checked: not broken, and not counted as such. */
  unchecked: { url: string; detail: string; campaigns: string[] }[];
}

const HTTPS_LINK = /https:\/\/[^\s"'<>()]+/g;

/** Every string inside a value, however deep. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsIn);
  return [];
}

/**
 * Every https link the weekly check fetches, each once with what carries it: the campaigns' links
 * (campaignLinks), then each platform's (its url, its sources, links in its words in every
 * language), a platform named `platform:<id>`.
 *
 * @example
 * linksToCheck(campaigns, platforms).find((l) => l.url.endsWith('712876720715583'))?.campaigns // ['meta-ai-2025', 'platform:facebook']
 */
export function linksToCheck(campaigns: readonly Campaign[], platforms: readonly Platform[]): { url: string; campaigns: string[] }[] {
  const byUrl = new Map(campaignLinks(campaigns).map((link) => [link.url, new Set(link.campaigns)]));
  for (const platform of platforms) {
    // A sentence's full stop or comma is not part of its link.
    for (const url of stringsIn(platform).flatMap((text) => text.match(HTTPS_LINK) ?? []).map((raw) => raw.replace(/[.,;:!?]+$/, ''))) {
      if (!byUrl.has(url)) byUrl.set(url, new Set());
      byUrl.get(url)?.add(`platform:${platform.id}`);
    }
  }
  return [...byUrl.entries()].map(([url, carriers]) => ({ url, campaigns: [...carriers].sort() }));
}

/**
 * Fetches every link, judges it, keeps each result as the link's latest and counts the broken
 * ones for the alarm. A few at a time: platforms may slow down a burst from one address.
 *
 * @example
 * await checkLinks({ links: linksToCheck(campaigns, platforms), probe: (url) => probeLink(url, { timeoutMs: 15_000 }), store, clock });
 */
export async function checkLinks(deps: {
  links: readonly { url: string; campaigns: string[] }[];
  probe: (url: string) => Promise<LinkOutcome>;
  store: LinkCheckStore;
  clock: Clock;
  concurrency?: number;
}): Promise<LinkCheckSummary> {
  const results: LinkCheck[] = [];
  const queue = [...deps.links];
  const worker = async () => {
    for (let link = queue.shift(); link; link = queue.shift()) {
      const outcome = await deps.probe(link.url);
      const { verdict, detail } = judgeLink(outcome);
      const check: LinkCheck = {
        url: link.url,
        campaigns: link.campaigns,
        verdict,
        detail,
        ...(outcome.kind === 'answered' ? { status: outcome.status, finalUrl: outcome.finalUrl } : {}),
        checkedAt: deps.clock().toISOString(),
      };
      await deps.store.save(check);
      results.push(check);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, deps.concurrency ?? 4) }, worker));
  const withVerdict = (verdict: LinkCheck['verdict']) =>
    results.filter((check) => check.verdict === verdict).map(({ url, detail, campaigns }) => ({ url, detail, campaigns }));
  const broken = withVerdict('broken');
  const unchecked = withVerdict('unchecked');
  countLinkChecks(results.length, broken.length);
  // Campaign and platform links are public addresses of platforms, not personal data: they may be logged.
  for (const link of broken) logger.warn('campaign link broken', link);
  for (const link of unchecked) logger.info('campaign link not checked', link);
  return { checked: results.length, broken, unchecked };
}
