import { describe, expect, it } from 'vitest';
import { campaignProblems } from '../../functions/domain/campaign-check.js';
import { campaignSources } from '../../functions/generated/campaigns.js';

type Source = Record<string, unknown> & { platforms: string[]; translations: Record<string, Record<string, unknown>> };
const source = (id: string): Source => structuredClone(campaignSources.find((c) => (c as { id: string }).id === id)) as Source;
const fields = (raw: Record<string, unknown>) => campaignProblems(raw).map((p) => `${p.campaign} ${p.field}`);

describe('campaignProblems', () => {
  it('passes every campaign that ships', () => {
    for (const raw of campaignSources) expect(campaignProblems(raw as Record<string, unknown>)).toEqual([]);
  });

  it('refuses a link that is not https, naming the campaign and the field', () => {
    const meta = source('meta-ai-2025');
    meta.summary = 'Object at http://www.facebook.com/help/contact/712876720715583 today.';
    const problems = campaignProblems(meta);
    expect(problems[0]).toMatchObject({ campaign: 'meta-ai-2025', field: 'summary' });
    expect(problems[0]?.message).toContain('not https');
  });

  it('refuses a link on a host none of the sources is on, in English or in a translation', () => {
    const x = source('x-grok-2026');
    x.summary = 'Open https://x-settings.example/grok now.';
    const [problem] = campaignProblems(x);
    expect(problem).toMatchObject({ campaign: 'x-grok-2026', field: 'summary' });
    expect(problem?.message).toContain('x-settings.example');
    const german = source('google-saved-media-2026');
    german.translations.de!.summary = 'Siehe https://myactivity.google.com.evil.example/.';
    expect(fields(german)).toEqual(['google-saved-media-2026 translations.de.summary']);
  });

  it('refuses an unchecked link in the after-deadline guidance', () => {
    const meta = source('meta-ai-2025');
    meta.afterDeadline = 'Object at https://example.org/form instead.';
    expect(fields(meta)).toEqual(['meta-ai-2025 afterDeadline']);
  });

  it('accepts a link at the end of a sentence on a source host', () => {
    const gemini = source('gemini-keep-activity-2025');
    gemini.summary = `${String(gemini.summary)} See https://myactivity.google.com/product/gemini.`;
    expect(campaignProblems(gemini)).toEqual([]);
  });

  it('refuses a platform the service has no guide for', () => {
    const meta = source('meta-ai-2025');
    meta.platforms = [...meta.platforms, 'myspace'];
    expect(fields(meta)).toEqual(['meta-ai-2025 platforms[4]']);
  });

  it('names the field zod refuses', () => {
    const x = source('x-grok-2026');
    x.checkedAt = 'last week';
    expect(fields(x)).toEqual(['x-grok-2026 checkedAt']);
  });
});
