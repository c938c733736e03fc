import { describe, expect, it } from 'vitest';
import { campaignProblems } from '../../functions/domain/campaign-check.js';
import { campaignSources } from '../../functions/generated/campaigns.js';

type Source = Record<string, unknown> & { platforms: Array<Record<string, unknown>>; translations: Record<string, { platforms: Record<string, unknown> }> };
const source = (id: string): Source => structuredClone(campaignSources.find((c) => (c as { id: string }).id === id)) as Source;
const fields = (raw: Record<string, unknown>) => campaignProblems(raw).map((p) => `${p.campaign} ${p.field}`);

describe('campaignProblems', () => {
  it('passes every campaign that ships', () => {
    for (const raw of campaignSources) expect(campaignProblems(raw as Record<string, unknown>)).toEqual([]);
  });

  it('refuses a form link that is not https, naming the campaign and the field', () => {
    const meta = source('meta-ai-2025');
    meta.platforms[0]!.formUrl = 'http://www.facebook.com/help/contact/712876720715583';
    const problems = campaignProblems(meta);
    expect(problems[0]).toMatchObject({ campaign: 'meta-ai-2025', field: 'platforms[0].formUrl' });
    expect(problems[0]?.message).toContain('not https');
  });

  it('refuses a form link on a host none of the sources is on', () => {
    const x = source('x-grok-2026');
    x.platforms[0]!.formUrl = 'https://x-settings.example/grok';
    const [problem] = campaignProblems(x);
    expect(problem).toMatchObject({ campaign: 'x-grok-2026', field: 'platforms[0].formUrl' });
    expect(problem?.message).toContain('x-settings.example');
  });

  it('refuses a link written into a step, in English or in a translation', () => {
    const google = source('google-saved-media-2026');
    (google.platforms[0]!.steps as string[])[0] = 'Open https://myactivity.google.com.evil.example/ now.';
    expect(fields(google)).toEqual(['google-saved-media-2026 platforms[0].steps[0]']);
    const german = source('google-saved-media-2026');
    (german.translations.de!.platforms.google as { steps: string[] }).steps[1] = 'Siehe http://myactivity.google.com/.';
    expect(fields(german)).toEqual(['google-saved-media-2026 translations.de.platforms.google.steps[1]']);
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

  it('refuses a translation that misses a platform, and names the platform', () => {
    const meta = source('meta-ai-2025');
    delete meta.translations.de!.platforms.threads;
    const problems = campaignProblems(meta);
    expect(problems).toEqual([{ campaign: 'meta-ai-2025', field: 'translations.de.platforms', message: 'misses the guide of threads' }]);
  });

  it('names the field zod refuses', () => {
    const x = source('x-grok-2026');
    x.checkedAt = 'last week';
    expect(fields(x)).toEqual(['x-grok-2026 checkedAt']);
  });
});
