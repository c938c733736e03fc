/**
 * `npm run newsletter` as the operator runs it: the real command in a child process, against
 * DynamoDB Local and the SES emulator; the stack's mailer sends what it writes (its stacks have
 * `otherWriters`: the jobs the command writes are not recorded in this process).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { TestStack } from '../support/stack.js';
import { seedConfirmed } from '../support/seed.js';
import { createTestStack, inbox, manualClock, privateSes, testAddress } from '../support/stack.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const ISSUE = 'templates/newsletters/2025-05-meta-last-week.mjml';
const SUBJECT = "One week left: what Meta's objection form asks of you";

interface Run {
  child: ChildProcess;
  output: { stdout: string; stderr: string };
  exited: Promise<number | null>;
}

/** Starts the command with the stack's configuration; the process is killed when the test ends. */
function runCommand(stack: TestStack, args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [TSX, 'scripts/newsletter.ts', ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      TABLE_NAME: stack.config.TABLE_NAME,
      DYNAMODB_ENDPOINT: stack.config.DYNAMODB_ENDPOINT ?? '',
      SES_ENDPOINT: stack.config.SES_ENDPOINT ?? '',
      SIGNING_SECRET: stack.config.SIGNING_SECRET,
      ADMIN_TOKEN: stack.config.ADMIN_TOKEN,
      PUBLIC_URL: stack.config.PUBLIC_URL,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, output, exited };
}

async function seed(stack: TestStack, count: number, label: string): Promise<string[]> {
  const emails: string[] = [];
  for (let i = 0; i < count; i++) {
    const email = testAddress(`${label}${i}`);
    await seedConfirmed(stack, { email, timeZone: 'Europe/Berlin', platforms: ['facebook', 'instagram'], confirmedAt: new Date('2025-05-10T10:00:00Z') });
    emails.push(email);
  }
  return emails;
}

const NOW = ['--now', '2025-05-20T08:00:00Z'];

describe('npm run newsletter', () => {
  it('preview writes the HTML and the text part to a temp folder and prints their paths', async () => {
    const stack = await createTestStack({ otherWriters: true });
    const run = runCommand(stack, ['preview', ISSUE, ...NOW]);
    expect(await run.exited).toBe(0);
    const html = /^HTML: (.+)$/m.exec(run.output.stdout)?.[1] ?? '';
    const text = /^Text: (.+)$/m.exec(run.output.stdout)?.[1] ?? '';
    expect(existsSync(html) && existsSync(text)).toBe(true);
    expect(readFileSync(html, 'utf8')).toContain('<title>One week left');
    const body = readFileSync(text, 'utf8');
    expect(body).toContain(`Subject: ${SUBJECT}`);
    expect(body).toContain('6 days left');
    expect(body).toMatch(/Unsubscribe \[https:\/\/optout\.example\/unsubscribe\//);
  });

  it('send --dry-run prints plain progress lines (no terminal) and a summary, with no address, and sends nothing', async () => {
    const stack = await createTestStack({ otherWriters: true });
    const emails = await seed(stack, 4, 'dry');
    const run = runCommand(stack, ['send', ISSUE, '--dry-run', '--segment', 'platform=facebook', ...NOW]);
    expect(await run.exited).toBe(0);
    expect(run.output.stderr).toMatch(/^newsletter: +0% {2}0\/4 · queued 0 /m);
    expect(run.output.stderr).toMatch(/^newsletter: 100% {2}4\/4 · to send 4 · queued 0 · queued before 0 · failed 0 · 0\.0\/s · ETA 0:00$/m);
    expect(run.output.stderr).not.toContain('\r');
    expect(run.output.stdout).toContain('Dry run of 2025-05-meta-last-week (campaign meta-ai-2025, locale en, platform facebook, not done): 4 in the audience, 4 to send');
    expect(`${run.output.stdout}${run.output.stderr}`).not.toContain('@');
    for (const email of emails) expect(await inbox(email)).toHaveLength(0);
  });

  it('refuses a bad segment and a missing --to, naming the problem', async () => {
    const stack = await createTestStack({ otherWriters: true });
    const bad = runCommand(stack, ['send', ISSUE, '--segment', 'colour=blue']);
    expect(await bad.exited).toBe(1);
    expect(bad.output.stderr).toMatch(/colour/);
    const noTo = runCommand(stack, ['test', ISSUE]);
    expect(await noTo.exited).toBe(1);
    expect(noTo.output.stderr).toContain('--to wants an email address');
  });

  it('test sends one copy, marked [Test] in the subject', async () => {
    const stack = await createTestStack({ otherWriters: true });
    const to = testAddress('operator');
    const run = runCommand(stack, ['test', ISSUE, '--to', to, ...NOW]);
    expect(await run.exited).toBe(0);
    const [mail, ...more] = await inbox(to);
    expect(more).toHaveLength(0);
    expect(mail?.subject).toBe(`[Test] ${SUBJECT}`);
  });

  it('writes every copy for the mailer, which sends each once; run again, it writes none', async () => {
    const ses = await privateSes();
    onTestFinished(() => ses.stop());
    const stack = await createTestStack({ clock: manualClock('2025-05-20T08:00:00Z').clock, env: { SES_ENDPOINT: ses.endpoint }, otherWriters: true });
    const emails = await seed(stack, 24, 'twice');

    const first = runCommand(stack, ['send', ISSUE, ...NOW]);
    expect(await first.exited).toBe(0);
    expect(first.output.stdout).toContain('24 in the audience, 24 queued for the mailer, 0 sent or queued before, 0 failed');
    // The command sends nothing itself: the mailer (of `npm run dev`, here the stack's) does.
    for (const email of emails) expect((await inbox(email, ses.endpoint)).filter((mail) => mail.subject === SUBJECT), email).toHaveLength(1);

    const second = runCommand(stack, ['send', ISSUE, ...NOW]);
    expect(await second.exited).toBe(0);
    expect(second.output.stdout).toContain('24 in the audience, 0 queued for the mailer, 24 sent or queued before');
    await stack.deliverMail();
    for (const email of emails) expect((await inbox(email, ses.endpoint)).filter((mail) => mail.subject === SUBJECT), email).toHaveLength(1);
  });
});
