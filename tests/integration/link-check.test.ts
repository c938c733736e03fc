import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLinks } from '../../functions/link-checks.js';
import { probeLink } from '../../functions/link-probe.js';
import { flushMetrics } from '../../functions/observability.js';
import { createDynamoClient } from '../../functions/store/client.js';
import { LinkCheckStore } from '../../functions/store/link-check-store.js';
import { createTestStack, manualClock } from '../support/stack.js';
import { captureLogLines } from '../support/stdout.js';

/** A platform as the checker meets it, on loopback: forms, a login wall, gone pages, a fault and a hang. */
let server: Server;
let base = '';
let notTls: ReturnType<typeof createTcpServer>;
let tlsBase = '';
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '/';
    if (path === '/form') return response.writeHead(200, { 'Content-Type': 'text/html' }).end('<form>object</form>');
    if (path === '/private-form') return response.writeHead(302, { Location: '/login?next=/private-form' }).end();
    if (path.startsWith('/login')) return response.writeHead(200, { 'Content-Type': 'text/html' }).end('<form>sign in</form>');
    if (path === '/moved') return response.writeHead(404).end('not found');
    if (path === '/gone') return response.writeHead(410).end('gone');
    if (path === '/fault') return response.writeHead(500).end('oops');
    if (path === '/loop') return response.writeHead(302, { Location: '/loop' }).end();
    // LinkedIn's answer to anything it takes for a robot.
    if (path === '/bot-wall') return response.writeHead(999).end('Request denied');
    // /hang: never answers.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Speaks plain text where TLS is expected: the handshake fails like a broken certificate does.
  notTls = createTcpServer((socket) => {
    sockets.add(socket);
    socket.end('HTTP/1.1 200 OK\r\n\r\n');
  });
  await new Promise<void>((resolve) => notTls.listen(0, '127.0.0.1', resolve));
  tlsBase = `https://127.0.0.1:${(notTls.address() as AddressInfo).port}`;
});

afterAll(async () => {
  // The hanging request still holds its connection: cut it, or close() waits for ever.
  server.closeAllConnections();
  for (const socket of sockets) socket.destroy();
  await Promise.all([new Promise((resolve) => server.close(resolve)), new Promise((resolve) => notTls.close(resolve))]);
});

describe('probeLink', () => {
  it('follows redirects, counts them, and says why there was no answer', async () => {
    const probe = (path: string) => probeLink(`${base}${path}`, { timeoutMs: 300 });
    expect(await probe('/form')).toEqual({ kind: 'answered', status: 200, finalUrl: `${base}/form`, redirects: 0 });
    expect(await probe('/private-form')).toEqual({ kind: 'answered', status: 200, finalUrl: `${base}/login?next=/private-form`, redirects: 1 });
    expect(await probe('/moved')).toMatchObject({ status: 404 });
    expect(await probe('/hang')).toEqual({ kind: 'failed', reason: 'timeout' });
    expect(await probe('/loop')).toEqual({ kind: 'failed', reason: 'too_many_redirects' });
    expect(await probeLink(`${tlsBase}/form`, { timeoutMs: 1000 })).toEqual({ kind: 'failed', reason: 'tls' });
  });
});

describe('the link check', () => {
  it('stores each link latest verdict, shows them on /admin and counts the broken ones for the alarm, and a bot wall as could not check', async () => {
    const time = manualClock('2026-12-07T03:00:00Z');
    const stack = await createTestStack({ clock: time.clock });
    const store = new LinkCheckStore(createDynamoClient({ region: stack.config.AWS_REGION, endpoint: stack.config.DYNAMODB_ENDPOINT }), stack.config.TABLE_NAME);
    const links = ['/form', '/private-form', '/moved', '/gone', '/fault', '/hang', '/bot-wall'].map((path) => ({ url: `${base}${path}`, campaigns: ['meta-ai-2025'] }));
    let summary: Awaited<ReturnType<typeof checkLinks>> | undefined;
    const lines = await captureLogLines(async () => {
      summary = await checkLinks({ links, probe: (url) => probeLink(url, { timeoutMs: 300 }), store, clock: time.clock });
      flushMetrics();
    });
    expect(summary?.checked).toBe(7);
    expect(summary?.broken.map((link) => link.url.slice(base.length)).sort()).toEqual(['/fault', '/gone', '/hang', '/moved']);
    expect(summary?.unchecked.map((link) => [link.url.slice(base.length), link.detail])).toEqual([['/bot-wall', '999 (bot wall, could not check)']]);

    const metric = lines.find((line) => '_aws' in line && 'BrokenLinks' in line);
    expect(metric).toMatchObject({ BrokenLinks: 4, LinksChecked: 7 });
    expect(JSON.stringify(metric)).toContain('"Namespace":"optout-countdown"');

    const latest = await store.latest();
    expect(latest.map((check) => [check.url.slice(base.length), check.verdict, check.detail])).toEqual([
      ['/fault', 'broken', '500'],
      ['/gone', 'broken', '410'],
      ['/hang', 'broken', 'timed out'],
      ['/moved', 'broken', '404'],
      ['/bot-wall', 'unchecked', '999 (bot wall, could not check)'],
      ['/form', 'alive', '200'],
      ['/private-form', 'alive', '200 after 1 redirect'],
    ]);

    // A later run replaces the verdict instead of adding one.
    time.advance(7 * 86_400_000);
    await checkLinks({ links: links.slice(0, 1), probe: (url) => probeLink(url, { timeoutMs: 300 }), store, clock: time.clock });
    const again = await store.latest();
    expect(again).toHaveLength(7);
    expect(again.find((check) => check.url.endsWith('/form'))?.checkedAt).toBe('2026-12-14T03:00:00.000Z');

    const page = await (await stack.app.request('/admin', { headers: { Authorization: `Bearer ${stack.config.ADMIN_TOKEN}` } })).text();
    expect(page).toContain('4 of 7 links are broken');
    expect(page).toContain(`${base}/moved`);
    const json = (await (await stack.app.request('/admin/links', { headers: { Authorization: `Bearer ${stack.config.ADMIN_TOKEN}` } })).json()) as { links: unknown[] };
    expect(json.links).toHaveLength(7);
  });
});
