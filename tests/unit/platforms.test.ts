import { describe, expect, it } from 'vitest';
import { campaigns } from '../../functions/campaigns.js';
import { Locale } from '../../functions/domain/locale.js';
import { groupByCompany, platformIn, PlatformId } from '../../functions/domain/platform.js';
import { linksToCheck } from '../../functions/link-checks.js';
import { platforms } from '../../functions/platforms.js';

const byId = (id: PlatformId) => platforms.find((p) => p.id === id)!;

describe('the platform catalog', () => {
  it('has exactly one platform per PlatformId, in PlatformId order', () => {
    expect(platforms.map((p) => p.id)).toEqual(PlatformId.options);
  });

  it('gives every platform its words in every language, checked on a day against sources', () => {
    for (const platform of platforms) {
      for (const locale of Locale.options) {
        const words = platformIn(platform, locale);
        expect(words.today.length, `${platform.id} ${locale}`).toBeGreaterThan(20);
        expect(words.steps.length, `${platform.id} ${locale}`).toBeGreaterThan(0);
        if (locale !== 'en') expect(platform.translations[locale], `${platform.id} ${locale}`).toBeDefined();
      }
      expect(platform.sources.length).toBeGreaterThan(0);
      expect(platform.checkedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('offers one link per platform action: a form or setting link, and none where there is nothing to send', () => {
    expect(byId('facebook').url).toBe('https://www.facebook.com/help/contact/712876720715583');
    expect(byId('instagram').url).toBe('https://help.instagram.com/contact/767264225370182');
    expect(byId('threads').url).toBe(byId('instagram').url);
    expect(byId('meta-ai').url).toBe('https://www.facebook.com/help/contact/1994830130782319');
    expect(byId('whatsapp').action).toBe('limit');
    expect(byId('whatsapp').url).toBeUndefined();
    for (const id of ['linkedin', 'copilot', 'x', 'google', 'gemini', 'chatgpt', 'claude'] as const) expect(byId(id).action, id).toBe('setting');
  });

  it('tells no one to act before a deadline: none is open, and the words stay true after one', () => {
    for (const platform of platforms) {
      for (const locale of Locale.options) {
        const words = platformIn(platform, locale);
        const text = [words.today, ...words.steps, words.doneMeans, words.note ?? ''].join(' ');
        expect(text, `${platform.id} ${locale}`).not.toMatch(/before the deadline|vor Ablauf der Frist|deadline has passed/i);
      }
    }
  });

  it('groups every platform under its company, in form order', () => {
    expect(groupByCompany(PlatformId.options, platforms)).toEqual([
      ['meta', ['facebook', 'instagram', 'whatsapp', 'threads', 'meta-ai']],
      ['google', ['google', 'gemini']],
      ['microsoft', ['linkedin', 'copilot']],
      ['openai', ['chatgpt']],
      ['anthropic', ['claude']],
      ['x', ['x']],
    ]);
  });

  it('has the weekly link check fetch every platform link, once, with the campaigns that carry it too', () => {
    const links = linksToCheck(campaigns, platforms);
    const urls = links.map((link) => link.url);
    expect(new Set(urls).size).toBe(urls.length);
    for (const platform of platforms) if (platform.url) expect(urls, platform.id).toContain(platform.url);
    expect(links.find((link) => link.url === 'https://www.facebook.com/help/contact/712876720715583')?.campaigns).toEqual(['meta-ai-2025', 'platform:facebook']);
    expect(links.find((link) => link.url === 'https://help.openai.com/en/articles/7730893-data-controls-faq')?.campaigns).toEqual(['platform:chatgpt']);
  });
});

describe('platformIn', () => {
  it('gives the German words and keeps the links, the action and the sources', () => {
    const facebook = byId('facebook');
    const german = platformIn(facebook, 'de');
    expect(german.steps[0]).toMatch(/^Öffnen Sie den Link zum Widerspruchsformular/);
    expect(german.today).toContain('Widersprechen');
    expect(german.note).toContain('Vereinigten Königreich');
    expect(german).toMatchObject({ url: facebook.url, action: 'form', sources: facebook.sources, name: 'Facebook' });
  });

  it('takes a German name where the language spells it differently', () => {
    expect(platformIn(byId('google'), 'de').name).toBe('Google-Suche');
    expect(platformIn(byId('google'), 'en').name).toBe('Google Search');
  });

  it('answers English with the platform itself', () => {
    expect(platformIn(byId('claude'), 'en')).toBe(byId('claude'));
  });
});
