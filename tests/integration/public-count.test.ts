import { describe, expect, it } from 'vitest';
import { createTestStack } from '../support/stack.js';

const NOW = new Date('2025-05-20T08:00:00Z');

describe('the count on the form', () => {
  it('stays hidden below 10 people', async () => {
    const stack = await createTestStack();
    await stack.service.stats.countCampaign('meta-ai-2025', { done_facebook: 9, done_instagram: 3 }, NOW);
    for (const path of ['/', '/c/meta-ai-2025']) expect(await (await stack.app.request(path)).text(), path).not.toContain('have objected through');
  });

  it('says how many people objected, on the form and on each campaign page, in English and German', async () => {
    const stack = await createTestStack();
    await stack.service.stats.countCampaign('meta-ai-2025', { done_facebook: 1200, done_instagram: 300 }, NOW);
    await stack.service.stats.countCampaign('linkedin-ai-2025', { done_linkedin: 34 }, NOW);
    expect(await (await stack.app.request('/')).text()).toContain('1,234 people have objected through optout-countdown');
    expect(await (await stack.app.request('/c/linkedin-ai-2025?lang=de')).text()).toContain('1.234 Menschen haben über optout-countdown widersprochen');
  });
});
