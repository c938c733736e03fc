import { describe, expect, it } from 'vitest';
import { PLATFORMS_SCOPE } from '../../functions/domain/stats.js';
import { createTestStack } from '../support/stack.js';

const NOW = new Date('2025-05-20T08:00:00Z');

describe('the count on the form', () => {
  it('stays hidden below 10 people', async () => {
    const stack = await createTestStack();
    await stack.service.stats.count(PLATFORMS_SCOPE, { done_facebook: 9, done_instagram: 9, done_linkedin: 3, picked_x: 40 }, NOW);
    for (const path of ['/', '/c/meta-ai-2025']) {
      const page = await stack.app.request(path);
      expect(page.status, path).toBe(200);
      expect(await page.text(), path).not.toContain('have objected through');
    }
  });

  it('says how many people objected on the platform most marked done, on the form and on each campaign page, in English and German', async () => {
    const stack = await createTestStack();
    await stack.service.stats.count(PLATFORMS_SCOPE, { done_facebook: 1200, done_instagram: 300, done_linkedin: 34 }, NOW);
    await stack.service.stats.count(PLATFORMS_SCOPE, { done_facebook: 40, done_linkedin: 2 }, new Date('2025-05-21T08:00:00Z'));
    await stack.service.stats.count(PLATFORMS_SCOPE, { done_facebook: -6 }, new Date('2025-05-22T08:00:00Z'));
    expect(await (await stack.app.request('/')).text()).toContain('1,234 people have objected through optout-countdown');
    expect(await (await stack.app.request('/c/linkedin-ai-2025?lang=de')).text()).toContain('1.234 Menschen haben über optout-countdown widersprochen');
  });
});
