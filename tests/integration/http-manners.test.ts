import { describe, expect, it } from 'vitest';
import { createTestStack, signUp, testAddress } from '../support/stack.js';

describe('a known address asked with another method', () => {
  it('answers 405 with the methods it takes in Allow, and 404 only where nothing lives', async () => {
    const stack = await createTestStack();
    const cases: [string, string, string][] = [
      ['DELETE', '/subscribe', 'POST'],
      ['GET', '/subscribe', 'POST'],
      ['PUT', '/health', 'GET, HEAD'],
      ['POST', '/c/meta-ai-2025', 'GET, HEAD'],
      ['POST', '/c/meta-ai-2025.ics', 'GET, HEAD'],
      ['PATCH', '/confirm/some-token', 'GET, HEAD, POST'],
      ['DELETE', '/', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const response = await stack.app.request(path, { method, headers: { Accept: 'application/json' } });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.get('allow'), `${method} ${path}`).toBe(allow);
      expect(((await response.json()) as { code: string }).code).toBe('method_not_allowed');
    }
    const page = await stack.app.request('/subscribe', { method: 'GET', headers: { Accept: 'text/html' } });
    expect(page.status).toBe(405);
    expect(await page.text()).toContain('This page exists, but not for this kind of request.');
    expect((await stack.app.request('/no-such-page')).status).toBe(404);
    expect((await stack.app.request('/c/no-such-campaign')).status).toBe(404);
  });

  it('answers 405 on an operator route only once signed in, and 401 before', async () => {
    const stack = await createTestStack();
    expect((await stack.app.request('/admin/stats', { method: 'DELETE' })).status).toBe(401);
    const signedIn = await stack.app.request('/admin/stats', { method: 'DELETE', headers: { Authorization: `Bearer ${stack.config.ADMIN_TOKEN}` } });
    expect(signedIn.status).toBe(405);
    expect(signedIn.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('a refusal for going too fast', () => {
  it('says in Retry-After when to come back', async () => {
    const stack = await createTestStack({ env: { IP_SIGNUP_LIMIT: '1', IP_SIGNUP_WINDOW_MINUTES: '10' } });
    expect((await signUp(stack.app, { email: testAddress('fast'), platforms: 'facebook', consent: 'on' })).status).toBe(200);
    const refused = await signUp(stack.app, { email: testAddress('fast'), platforms: 'facebook', consent: 'on' }, { Accept: 'application/json' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('600');
  });
});
