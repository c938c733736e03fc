import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, inject, it, onTestFinished, vi } from 'vitest';
import { createService } from '../../functions/app/composition-root.js';
import { mailComposerOf } from '../../functions/app/mail-composer.js';
import { loadConfig } from '../../functions/config.js';
import { newsletterIssues } from '../../functions/newsletter-issues.js';
import { ensureTable } from '../../functions/store/table.js';
import { startLocalMailer } from '../../scripts/local-mailer.js';
import { eventually } from '../support/mailer.js';
import { captureLogLines } from '../support/stdout.js';
import { createTestStack, inbox, linkIn, manualClock, post, PUBLIC_URL, signUp, subjectsTo, subscribeAndConfirm, tableSnapshot, testAddress } from '../support/stack.js';

const START = '2025-05-14T08:00:00Z';

describe('secure headers', () => {
  it('come with every page, answer and error: a strict CSP without inline script, no framing, no referrer to other sites, no sniffing', async () => {
    const stack = await createTestStack({ clock: manualClock(START).clock });
    const email = testAddress();
    const welcome = await subscribeAndConfirm(stack, { email, platforms: ['facebook', 'instagram'], consent: 'yes' });
    const [confirmation] = await inbox(email);
    const html = { Accept: 'text/html' };
    const requests: [string, () => Response | Promise<Response>][] = [
      ...['/', '/privacy', '/nope', '/confirm/not-a-token', linkIn(confirmation!, 'confirm'), linkIn(welcome, 'objected'), linkIn(welcome, 'unsubscribe'), linkIn(welcome, 'preferences')].map(
        (path): [string, () => Promise<Response>] => [`GET ${path}`, async () => stack.app.request(path)],
      ),
      ['POST /subscribe (check your inbox)', () => signUp(stack.app, { email: testAddress(), platforms: 'facebook', consent: 'yes' })],
      ['POST /subscribe (check your inbox, did you mean)', () => signUp(stack.app, { email: 'someone@gmial.com', platforms: 'facebook', consent: 'yes' })],
      ['POST /subscribe (the form with its errors)', () => signUp(stack.app, { email: 'nope', platforms: 'facebook' })],
      ['POST /subscribe (413)', () => signUp(stack.app, { email: testAddress(), platforms: 'facebook', consent: 'yes', website: 'x'.repeat(40_000) })],
      ['POST /confirm (already confirmed)', () => post(stack.app, linkIn(confirmation!, 'confirm'), {}, html)],
      ['POST /objected', () => post(stack.app, linkIn(welcome, 'objected'), {}, html)],
      ['POST /objected (marked done)', () => post(stack.app, linkIn(welcome, 'objected'), { sent: 'yes' }, html)],
      ['POST /preferences (add a platform)', () => post(stack.app, linkIn(welcome, 'preferences'), { add: 'claude' }, html)],
      ['POST /preferences (the watch)', () => post(stack.app, linkIn(welcome, 'preferences'), { watch: 'on' }, html)],
      ['POST /preferences (errors)', () => post(stack.app, linkIn(welcome, 'preferences'), { platforms: 'myspace', timezone: 'UTC', save: 'yes' }, html)],
      ['GET /preferences/…/data', () => stack.app.request(`${linkIn(welcome, 'preferences')}/data`)],
      ['GET /health', () => stack.app.request('/health')],
      ['GET /admin/stats without a token', () => stack.app.request('/admin/stats')],
      ['POST /unsubscribe', () => post(stack.app, linkIn(welcome, 'unsubscribe'), { 'List-Unsubscribe': 'One-Click' })],
    ];
    for (const [label, request] of requests) {
      const response = await request();
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, label).toContain("default-src 'none'");
      expect(csp, label).toContain("frame-ancestors 'none'");
      expect(csp, label).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
      expect(csp, label).not.toContain('unsafe-inline');
      expect(response.headers.get('referrer-policy'), label).toBe('same-origin');
      expect(response.headers.get('x-content-type-options'), label).toBe('nosniff');
      expect(response.headers.get('x-frame-options'), label).toBe('DENY');
      expect(response.headers.get('cache-control'), label).toBe('no-store');
    }
  });

  it('come with the page of an unexpected failure too', async () => {
    const stack = await createTestStack({ clock: manualClock(START).clock });
    // A real fault, not a mock: the table is gone, so the store's first request fails.
    await stack.dynamo.send(new DeleteTableCommand({ TableName: stack.config.TABLE_NAME }));
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const response = await signUp(stack.app, { email: testAddress(), platforms: 'facebook', consent: 'yes' });
    spy.mockRestore();
    expect(response.status).toBe(500);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
  });
});

describe('logs', () => {
  afterEach(() => vi.restoreAllMocks());

  it('never contain an address, through whole journeys with failures in them', async () => {
    const lines: string[] = [];
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
    }
    // Powertools writes to stdout and stderr itself, as in Lambda.
    const written = await captureLogLines(() => journey(lines));
    lines.push(...written.map((line) => JSON.stringify(line)));
    expect(lines.some((line) => line.includes('"request"') && line.includes('/confirm/:token'))).toBe(true);
    expect(lines.some((line) => line.includes('mail job send failed') && line.includes('MessageRejected'))).toBe(true);
    expect(lines.some((line) => line.includes('"unhandled"'))).toBe(true);
    expect(lines.some((line) => line.includes('EmailsSent'))).toBe(true);
    for (const line of lines) {
      expect(line).not.toContain('journey-log');
      expect(line).not.toContain('198.51.100.7');
      for (const token of tokens) if (token) expect(line).not.toContain(token);
    }
  });

  async function journey(lines: string[]) {
    const time = manualClock('2025-05-10T10:00:00Z');
    let failOnce = true;
    let failConfirmation = true;
    const other = testAddress('journey-log-other');
    const stack = await createTestStack({
      clock: time.clock,
      transport: (real) => ({
        sendRaw: async (raw) => {
          if (failConfirmation && raw.toString().includes(other)) {
            failConfirmation = false;
            // As SES answers a rejected message: a 400, so the mailer retries after a short backoff.
            throw Object.assign(new Error(`rejected: ${raw.toString().slice(0, 300)}`), { name: 'MessageRejected', $metadata: { httpStatusCode: 400 } });
          }
          if (failOnce && raw.toString().includes('14 days left')) {
            failOnce = false;
            throw Object.assign(new Error(`rejected: ${raw.toString().slice(0, 300)}`), { name: 'MessageRejected', $metadata: { httpStatusCode: 400 } });
          }
          return real.sendRaw(raw);
        },
      }),
    });
    const email = testAddress('journey-log');
    const welcome = await subscribeAndConfirm(stack, { email, platforms: ['facebook', 'instagram'], consent: 'yes' });
    await post(stack.app, linkIn(welcome, 'objected'), { sent: 'yes' });
    time.set('2025-05-12T07:30:00Z');
    // The run enqueues; the mailer's first send is rejected, its retry goes out.
    expect((await stack.service.countdown.run()).queued).toBe(1);
    await stack.deliverMail();
    expect(failOnce).toBe(false);
    expect(subjectsTo(stack, email).filter((subject) => subject.startsWith('14 days left'))).toHaveLength(1);
    await post(stack.app, linkIn(welcome, 'preferences'), { platforms: 'threads', timezone: 'Nowhere/Land', save: 'yes' });
    await post(stack.app, linkIn(welcome, 'unsubscribe'), { 'List-Unsubscribe': 'One-Click' });

    // A confirmation whose first send fails (the mailer retries it), then the data download and "delete me".
    expect((await signUp(stack.app, { email: other, platforms: 'threads', consent: 'yes' })).status).toBe(200);
    const otherWelcome = await subscribeAndConfirm(stack, { email: other, platforms: 'threads', consent: 'yes' });
    expect(failConfirmation).toBe(false);
    expect((await stack.app.request(`${linkIn(otherWelcome, 'preferences')}/data`)).status).toBe(200);
    await post(stack.app, `${linkIn(otherWelcome, 'preferences')}/delete`, { delete: 'yes' });

    // An unexpected failure with an address in the request: the table is gone.
    await stack.dynamo.send(new DeleteTableCommand({ TableName: stack.config.TABLE_NAME }));
    expect((await signUp(stack.app, { email, platforms: 'facebook', consent: 'yes' })).status).toBe(500);
    // Tokens in paths are links to a person's data; the lines must not carry them either.
    tokens.push(...[linkIn(welcome, 'preferences'), linkIn(welcome, 'unsubscribe'), linkIn(otherWelcome, 'preferences')].map((path) => path.split('/')[2] ?? ''));
    void lines;
  }
});

/** Every link token the journey met: no log line may carry one. */
const tokens: string[] = [];

describe('logs of the Lambda entry points', () => {
  afterEach(() => vi.restoreAllMocks());

  it('never contain an address, a token or an IP: api, send-due, ses-feedback, send-newsletter', async () => {
    Object.assign(process.env, {
      TABLE_NAME: `entry-logs-${randomUUID()}`,
      DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      SES_ENDPOINT: inject('sesEndpoint'),
      SIGNING_SECRET: 'entry-logs-secret-0123456789abcdef0123',
      ADMIN_TOKEN: 'entry-logs-admin-token-0123456789',
      PUBLIC_URL: 'https://optout.example',
    });
    const dynamo = new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    await ensureTable(dynamo, process.env.TABLE_NAME ?? '');
    const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));
    const email = testAddress('entry-secret');
    const consoleLines: string[] = [];
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void consoleLines.push(args.map(String).join(' ')));
    }
    // The mailer on the table's stream, as the Mailer function is in AWS: its lines are checked too.
    const config = loadConfig(process.env);
    const mailer = await startLocalMailer(config, { composer: mailComposerOf(createService(config), newsletterIssues), pollMs: 50 });
    onTestFinished(() => mailer.stop());
    const lines = await captureLogLines(async () => {
      const { handler: api } = await import('../../functions/api.js');
      const signup = fixture('function-url-subscribe.json');
      signup.body = Buffer.from(`email=${encodeURIComponent(email)}&platforms=facebook&consent=yes`).toString('base64');
      // An address in the query too: the request line leaves the query out.
      signup.rawQueryString = `email=${encodeURIComponent(email)}`;
      expect(((await api(signup as never, {} as never)) as { statusCode: number }).statusCode).toBe(200);
      await eventually(async () => (await inbox(email)).length > 0, 30_000);
      const [confirmation] = await inbox(email);
      const confirmPath = /https:\/\/optout\.example(\/confirm\/[\w.~-]+)/.exec(confirmation?.body.html ?? '')?.[1] ?? '';
      tokens.push(confirmPath.split('/')[2] ?? '');
      // The confirm page's button sends its own name and value.
      const confirm = { ...signup, rawPath: confirmPath, rawQueryString: '', body: Buffer.from('confirm=yes').toString('base64'), isBase64Encoded: true };
      await api(confirm as never, {} as never);

      const { handler: sendDue } = await import('../../functions/send-due.js');
      await sendDue(fixture('scheduled-event.json'));

      const { handler: feedback } = await import('../../functions/ses-feedback.js');
      await feedback(JSON.parse(JSON.stringify(fixture('ses-bounce-permanent.json')).replaceAll('recipient@example.org', email)));

      const { handler: newsletter } = await import('../../functions/send-newsletter.js');
      await newsletter({ issueId: '2025-05-meta-last-week', segment: {}, dryRun: true });
    });
    expect(lines.filter((line) => line.message === 'request')).toHaveLength(2);
    expect(lines.some((line) => line.message === 'send-due')).toBe(true);
    expect(lines.some((line) => line.message === 'ses-feedback batch')).toBe(true);
    expect(lines.some((line) => line.message === 'newsletter')).toBe(true);
    const everything = [...consoleLines, ...lines.map((line) => JSON.stringify(line))];
    expect(lines.find((line) => line.message === 'request' && line.path === '/confirm/:token')).toMatchObject({ status: 200 });
    expect(tokens.filter((token) => token.length > 20).length).toBeGreaterThan(0);
    for (const line of everything) {
      expect(line).not.toContain(email.split('@')[0]);
      expect(line).not.toContain('203.0.113.9');
      for (const token of tokens) if (token) expect(line).not.toContain(token);
    }
  });
});

describe('cross-site form posts', () => {
  /** A browser's own page (Chromium, whatever the referrer policy), curl, and an older browser that sends only Origin. */
  const ours: Record<string, string>[] = [
    {},
    { Origin: PUBLIC_URL },
    { 'Sec-Fetch-Site': 'same-origin', Origin: 'null' },
    { 'Sec-Fetch-Site': 'same-origin', Origin: PUBLIC_URL },
    // The app behind another address than PUBLIC_URL: the browser still says the form was its own.
    { 'Sec-Fetch-Site': 'same-origin', Origin: 'http://127.0.0.1:3000' },
  ];
  /** Another site, another origin of the same site, a sandboxed frame, and a forged pairing. */
  const strangers: Record<string, string>[] = [
    { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' },
    { 'Sec-Fetch-Site': 'same-site', Origin: 'https://shop.optout.example' },
    { 'Sec-Fetch-Site': 'cross-site', Origin: 'null' },
    { Origin: 'https://evil.example' },
    { Origin: 'null' },
    { Origin: PUBLIC_URL, 'Sec-Fetch-Site': 'cross-site' },
  ];

  it('are refused on every POST that changes something, with a page (JSON when asked for), and change nothing', async () => {
    const stack = await createTestStack({ clock: manualClock(START).clock });
    const email = testAddress('csrf');
    const welcome = await subscribeAndConfirm(stack, { email, platforms: ['facebook', 'instagram'], consent: 'yes' });
    const pending = testAddress('csrf-pending');
    await signUp(stack.app, { email: pending, platforms: 'facebook', consent: 'yes' });
    const posts: [string, Record<string, string>][] = [
      ['/subscribe', { email: testAddress('csrf-new'), platforms: 'facebook', consent: 'yes' }],
      [linkIn((await inbox(pending))[0]!, 'confirm'), { confirm: 'yes' }],
      [linkIn(welcome, 'objected'), { sent: 'yes', done: 'yes' }],
      [linkIn(welcome, 'unsubscribe'), { scope: 'all' }],
      [linkIn(welcome, 'preferences'), { platforms: 'facebook', timezone: 'UTC', locale: 'de', save: 'yes' }],
      [`${linkIn(welcome, 'preferences')}/delete`, { delete: 'yes' }],
      ['/admin/login', { token: stack.config.ADMIN_TOKEN }],
    ];
    const before = await tableSnapshot(stack);
    const sent = stack.transport.messages.length;
    for (const [path, fields] of posts) {
      for (const headers of strangers) {
        const label = `${path.split('/')[1]} ${JSON.stringify(headers)}`;
        const page = await post(stack.app, path, fields, { Accept: 'text/html', ...headers });
        expect(page.status, label).toBe(403);
        expect(page.headers.get('content-type'), label).toContain('text/html');
        expect(await page.text(), label).toContain('another website');
        const json = await post(stack.app, path, fields, { Accept: 'application/json', ...headers });
        expect(json.status, label).toBe(403);
        expect(await json.json(), label).toMatchObject({ code: 'cross_site' });
        expect(page.headers.get('set-cookie'), label).toBeNull();
      }
    }
    expect(await tableSnapshot(stack)).toBe(before);
    await stack.deliverMail();
    expect(stack.transport.messages).toHaveLength(sent);
  });

  it('pass from our own pages, from curl and from older browsers that send only Origin; a GET from anywhere opens', async () => {
    const stack = await createTestStack({ clock: manualClock(START).clock });
    for (const headers of ours) {
      const label = JSON.stringify(headers);
      const welcome = await subscribeAndConfirm(stack, { email: testAddress('own'), platforms: ['facebook'], consent: 'yes' });
      expect((await post(stack.app, '/subscribe', { email: testAddress('own-form'), platforms: 'facebook', consent: 'yes' }, headers)).status, label).toBe(200);
      expect((await post(stack.app, linkIn(welcome, 'objected'), { sent: 'yes', done: 'yes' }, headers)).status, label).toBe(200);
      expect((await post(stack.app, linkIn(welcome, 'preferences'), { platforms: 'facebook', timezone: 'UTC', locale: 'de', save: 'yes' }, headers)).status, label).toBe(200);
      expect((await post(stack.app, '/admin/login', { token: stack.config.ADMIN_TOKEN }, headers)).status, label).toBe(303);
      expect((await post(stack.app, `${linkIn(welcome, 'preferences')}/delete`, { delete: 'yes' }, headers)).status, label).toBe(200);
    }
    // A link in an email, opened from a webmail page: another site, but a GET only shows.
    const welcome = await subscribeAndConfirm(stack, { email: testAddress('webmail'), platforms: ['facebook'], consent: 'yes' });
    expect((await stack.app.request(linkIn(welcome, 'preferences'), { headers: { 'Sec-Fetch-Site': 'cross-site' } })).status).toBe(200);
  });

  it('let RFC 8058 one-click unsubscribes through: from a mail server without Origin, and from webmail in a browser', async () => {
    const stack = await createTestStack({ clock: manualClock(START).clock });
    for (const headers of [{}, { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://mail.example.org' }] as Record<string, string>[]) {
      const email = testAddress('one-click');
      const welcome = await subscribeAndConfirm(stack, { email, platforms: ['facebook'], consent: 'yes' });
      const response = await post(stack.app, linkIn(welcome, 'unsubscribe'), { 'List-Unsubscribe': 'One-Click' }, headers);
      expect(response.status, JSON.stringify(headers)).toBe(200);
      expect((await stack.app.request(linkIn(welcome, 'preferences'))).status).toBe(404);
    }
  });
});
