import { describe, expect, it } from 'vitest';
import { createMemoryApp } from '../support/memory-app.js';

describe('a known address asked with another method', () => {
  it('answers 405 with the methods it takes in Allow, and 404 only where nothing lives', async () => {
    const stack = createMemoryApp();
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
    expect(stack.tableRequests).toEqual([]);
  });

  it('answers 405 on an operator route only once signed in, and 401 before', async () => {
    const stack = createMemoryApp();
    expect((await stack.app.request('/admin/stats', { method: 'DELETE' })).status).toBe(401);
    const signedIn = await stack.app.request('/admin/stats', { method: 'DELETE', headers: { Authorization: `Bearer ${stack.config.ADMIN_TOKEN}` } });
    expect(signedIn.status).toBe(405);
    expect(signedIn.headers.get('allow')).toBe('GET, HEAD');
  });
});
