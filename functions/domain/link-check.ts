import * as z from 'zod';
import type { Campaign } from './campaign.js';

/** What fetching a link came to, before any judgement: an answer, or why there was none. */
export type LinkOutcome =
  | { kind: 'answered'; status: number; finalUrl: string; redirects: number }
  | { kind: 'failed'; reason: 'timeout' | 'tls' | 'dns' | 'refused' | 'too_many_redirects' | 'network' };

/** `unchecked`: the site answered a robot with a wall (LinkedIn's 999) or a rate limit, so nothing is known. */
export const LinkVerdict = z.enum(['alive', 'broken', 'unchecked']);
export type LinkVerdict = z.infer<typeof LinkVerdict>;

/** The latest check of one link, as stored and shown on /admin. */
export const LinkCheck = z.object({
  url: z.url(),
  /** The campaigns whose data carries the link. */
  campaigns: z.array(z.string()),
  verdict: LinkVerdict,
  /** In words for the operator: "200 after 2 redirects", "404", "timed out". */
  detail: z.string(),
  status: z.number().int().optional(),
  finalUrl: z.string().optional(),
  checkedAt: z.iso.datetime(),
});
export type LinkCheck = z.infer<typeof LinkCheck>;

/**
 * Answers that say nothing about the page, only about the robot asking: LinkedIn's 999 to
 * anything it takes for a bot, and a rate limit. Counting them as broken would fire the weekly
 * alarm every week; they are reported as "could not check" instead.
 */
const BOT_WALLS: Readonly<Record<number, string>> = {
  429: 'rate limited, could not check',
  999: 'bot wall, could not check',
};

/**
 * Whether a link still works. A platform's form behind a sign-in answers with a redirect to its
 * login page (200), or with 401/403: the form is there, so it counts as alive. Gone (404, 410),
 * a server fault (5xx), a bad certificate, no answer in time or a redirect loop count as broken.
 * A bot wall (LinkedIn's 999) or a rate limit (429) is unchecked: neither alive nor broken.
 *
 * @example
 * judgeLink({ kind: 'answered', status: 404, finalUrl, redirects: 0 }) // { verdict: 'broken', detail: '404' }
 * judgeLink({ kind: 'answered', status: 999, finalUrl, redirects: 0 }) // { verdict: 'unchecked', detail: '999 (bot wall, could not check)' }
 */
export function judgeLink(outcome: LinkOutcome): { verdict: LinkVerdict; detail: string } {
  if (outcome.kind === 'failed') {
    const words: Record<typeof outcome.reason, string> = {
      timeout: 'timed out',
      tls: 'TLS error (certificate)',
      dns: 'no such host',
      refused: 'connection refused',
      too_many_redirects: 'too many redirects',
      network: 'network error',
    };
    return { verdict: 'broken', detail: words[outcome.reason] };
  }
  const after = outcome.redirects > 0 ? ` after ${outcome.redirects} redirect${outcome.redirects === 1 ? '' : 's'}` : '';
  const detail = `${outcome.status}${after}`;
  const wall = BOT_WALLS[outcome.status];
  if (wall) return { verdict: 'unchecked', detail: `${detail} (${wall})` };
  const broken = outcome.status === 404 || outcome.status === 410 || outcome.status >= 500;
  return { verdict: broken ? 'broken' : 'alive', detail };
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
 * Every https link in the campaigns' data (form and setting URLs, links in guides and
 * translations), each once with the campaigns that carry it, in a stable order.
 *
 * @example
 * campaignLinks(campaigns)[0] // { url: 'https://www.facebook.com/help/contact/…', campaigns: ['meta-ai-2025'] }
 */
export function campaignLinks(campaigns: readonly Campaign[]): { url: string; campaigns: string[] }[] {
  const byUrl = new Map<string, Set<string>>();
  for (const campaign of campaigns) {
    const found = stringsIn(campaign).flatMap((text) => text.match(HTTPS_LINK) ?? []);
    for (const raw of found) {
      // A sentence's full stop or comma is not part of its link.
      const url = raw.replace(/[.,;:!?]+$/, '');
      if (!byUrl.has(url)) byUrl.set(url, new Set());
      byUrl.get(url)?.add(campaign.id);
    }
  }
  return [...byUrl.entries()].map(([url, ids]) => ({ url, campaigns: [...ids].sort() }));
}
