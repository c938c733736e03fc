import { describe, expect, it } from 'vitest';
import { campaigns } from '../../functions/campaigns.js';
import { campaignLinks, judgeLink } from '../../functions/domain/link-check.js';
import { linksToCheck } from '../../functions/link-checks.js';
import { platforms } from '../../functions/platforms.js';

const answered = (status: number, redirects = 0) => ({ kind: 'answered' as const, status, finalUrl: 'https://example.org/', redirects });

describe('judgeLink', () => {
  it('counts a page, a login page behind redirects and a sign-in wall as alive', () => {
    expect(judgeLink(answered(200))).toEqual({ verdict: 'alive', detail: '200' });
    expect(judgeLink(answered(200, 2))).toEqual({ verdict: 'alive', detail: '200 after 2 redirects' });
    expect(judgeLink(answered(401)).verdict).toBe('alive');
    expect(judgeLink(answered(403)).verdict).toBe('alive');
  });

  it('counts gone, server faults, TLS errors, timeouts and redirect loops as broken', () => {
    for (const status of [404, 410, 500, 502, 503]) expect(judgeLink(answered(status)).verdict, String(status)).toBe('broken');
    for (const reason of ['timeout', 'tls', 'dns', 'refused', 'too_many_redirects', 'network'] as const) {
      expect(judgeLink({ kind: 'failed', reason }).verdict, reason).toBe('broken');
    }
    expect(judgeLink({ kind: 'failed', reason: 'timeout' }).detail).toBe('timed out');
  });

  it('answers a bot wall (LinkedIn\'s 999) and a rate limit as "could not check", never as broken', () => {
    expect(judgeLink(answered(999))).toEqual({ verdict: 'unchecked', detail: '999 (bot wall, could not check)' });
    expect(judgeLink(answered(999, 1))).toEqual({ verdict: 'unchecked', detail: '999 after 1 redirect (bot wall, could not check)' });
    expect(judgeLink(answered(429))).toEqual({ verdict: 'unchecked', detail: '429 (rate limited, could not check)' });
  });
});

describe('linksToCheck', () => {
  it('lists every form and setting URL of the platforms once, with what carries it', () => {
    const links = linksToCheck(campaigns, platforms);
    const urls = links.map((link) => link.url);
    for (const platform of platforms) if (platform.url) expect(urls).toContain(platform.url);
    expect(new Set(urls).size).toBe(urls.length);
    expect(urls.every((url) => url.startsWith('https://'))).toBe(true);
    expect(links.find((link) => link.url === 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement')?.campaigns).toContain('platform:linkedin');
  });

  it('finds https links written in the words of a campaign, without the full stop after them', () => {
    const meta = campaigns.find((campaign) => campaign.id === 'meta-ai-2025')!;
    const withLink = { ...meta, summary: `${meta.summary} Read more at https://example.org/guide.` };
    expect(campaignLinks([withLink]).map((link) => link.url)).toContain('https://example.org/guide');
  });
});
