import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createService } from '../../functions/app/composition-root.js';
import { mailComposerOf } from '../../functions/app/mail-composer.js';
import { loadConfig } from '../../functions/config.js';
import { newsletterIssues } from '../../functions/newsletter-issues.js';
import { startLocalMailer, type LocalMailer } from '../../scripts/local-mailer.js';
import { eventually } from '../support/mailer.js';
import { ensureTable } from '../../functions/store/table.js';
import { inbox, testAddress } from '../support/stack.js';
import { captureLogLines } from '../support/stdout.js';

const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));

// The handlers read their configuration from the environment at cold start, as in Lambda.
const env = {
  TABLE_NAME: `lambda-${randomUUID()}`,
  DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
  SES_ENDPOINT: inject('sesEndpoint'),
  SIGNING_SECRET: 'lambda-test-secret-0123456789abcdef0123',
  ADMIN_TOKEN: 'lambda-admin-token-0123456789',
  PUBLIC_URL: 'https://optout.example',
};

type LambdaResult = { statusCode: number; headers: Record<string, string>; body: string; isBase64Encoded?: boolean };

/** The mail of `email` once the mailer has sent it (the api only writes the job). */
async function delivered(email: string) {
  expect(await eventually(async () => (await inbox(email)).length > 0, 30_000)).toBe(true);
  return inbox(email);
}

describe('Lambda entry points', () => {
  let mailer: LocalMailer | undefined;
  beforeAll(async () => {
    Object.assign(process.env, env);
    const dynamo = new DynamoDBClient({ endpoint: env.DYNAMODB_ENDPOINT, region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    await ensureTable(dynamo, env.TABLE_NAME);
    // The mailer on the table's stream, as the Mailer function is in AWS.
    const config = loadConfig(env);
    mailer = await startLocalMailer(config, { composer: mailComposerOf(createService(config), newsletterIssues), pollMs: 50 });
  });
  afterAll(() => mailer?.stop());

  it('api answers a function-URL sign-up event, and the mailer sends its confirmation', async () => {
    const { handler } = await import('../../functions/api.js');
    const email = testAddress('lambda');
    const event = fixture('function-url-subscribe.json');
    event.body = Buffer.from(`email=${encodeURIComponent(email)}&platforms=facebook&consent=yes`).toString('base64');
    const result = (await handler(event as never, {} as never)) as LambdaResult;
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ status: 'check_inbox' });
    expect(result.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(await delivered(email)).toHaveLength(1);
  });

  it('the built api bundle takes a German sign-up, whose confirmation goes out with a text and an HTML part', async () => {
    // Built into its own folder, as SST bundles it for a deploy (scripts/lambda-bundle.ts).
    const outdir = mkdtempSync(join(tmpdir(), 'optout-bundle-'));
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { env: { ...process.env, BUILD_ONLY: 'api', BUILD_OUTDIR: outdir }, stdio: 'pipe' });
    const { handler } = (await import(pathToFileURL(join(outdir, 'api.mjs')).href)) as { handler: (event: unknown, context: unknown) => Promise<LambdaResult> };
    const email = testAddress('bundle');
    const event = fixture('function-url-subscribe.json');
    event.body = Buffer.from(`email=${encodeURIComponent(email)}&platforms=instagram&locale=de&consent=yes`).toString('base64');
    expect((await handler(event, {})).statusCode).toBe(200);
    const [mail] = await delivered(email);
    expect(mail?.subject).toBe('Bitte bestätigen: Anleitung für Instagram');
    expect(mail?.body.text).toContain('Bitte bestätigen Sie Ihre Adresse');
    expect(mail?.body.html).toContain('<html lang="de"');
  }, 60_000);

  it('api serves the form to a function-URL GET', async () => {
    const { handler } = await import('../../functions/api.js');
    const base = fixture('function-url-subscribe.json') as { requestContext: { http: Record<string, string> }; headers: Record<string, string> };
    const event = {
      ...base,
      rawPath: '/',
      body: undefined,
      isBase64Encoded: false,
      headers: { ...base.headers, accept: 'text/html' },
      requestContext: { ...base.requestContext, http: { ...base.requestContext.http, method: 'GET', path: '/' } },
    };
    const result = (await handler(event as never, {} as never)) as LambdaResult;
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('name="email"');
  });

  it('ses-feedback suppresses a hard-bounced address: its next sign-up sends nothing', async () => {
    const { handler: feedback } = await import('../../functions/ses-feedback.js');
    const { handler: api } = await import('../../functions/api.js');
    const email = testAddress('bounced');
    const event = JSON.parse(JSON.stringify(fixture('ses-bounce-permanent.json')).replaceAll('recipient@example.org', email));
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await feedback(event)).toMatchObject({ records: 1, suppressed: 1, dropped: 0 });
    vi.restoreAllMocks();
    const signup = fixture('function-url-subscribe.json');
    signup.body = Buffer.from(`email=${encodeURIComponent(email)}&platforms=facebook&consent=yes`).toString('base64');
    const result = (await api(signup as never, {} as never)) as LambdaResult;
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ status: 'check_inbox' });
    expect(await inbox(email)).toHaveLength(0);
  });

  it('send-due runs once per scheduled event and logs its summary as one JSON line with a correlation id', async () => {
    const { handler } = await import('../../functions/send-due.js');
    let summary: unknown;
    const lines = await captureLogLines(async () => (summary = await handler(fixture('scheduled-event.json'))));
    expect(summary).toMatchObject({ due: 0, queued: 0, failed: 0, stoppedEarly: false });
    const line = lines.find((entry) => entry.message === 'send-due');
    expect(line).toMatchObject({ level: 'INFO', message: 'send-due', due: 0, scheduleEventId: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa' });
    expect(line?.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    // Its duration as an EMF metric in the app's namespace.
    expect(lines.find((entry) => '_aws' in entry && 'RunDuration' in entry)).toMatchObject({ run: 'send-due' });
  });
});
