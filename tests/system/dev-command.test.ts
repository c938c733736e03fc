/**
 * `npm run dev` as a user runs it: the real command in a child process, with DynamoDB Local (Java),
 * the SES emulator and the API on free ports, and its data in a fresh directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, inject, it } from 'vitest';
import * as z from 'zod';
import { freePort } from '../../scripts/local-stack.js';
import { dropWithFile } from '../support/stack.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const READY = 'Press Ctrl-C to stop.';

/** Variables the command reads, removed from the inherited environment so each test sets its own. */
const OWN_VARIABLES = ['PORT', 'DYNAMODB_PORT', 'SES_PORT', 'DATA_DIR', 'DYNAMODB_ENDPOINT', 'SES_ENDPOINT', 'TABLE_NAME', 'PUBLIC_URL', 'SIGNING_SECRET', 'ADMIN_TOKEN'];

interface Ports {
  PORT: number;
  DYNAMODB_PORT: number;
  SES_PORT: number;
}

interface Dev {
  child: ChildProcess;
  output: { stdout: string; stderr: string };
  /** Resolves with the exit code (null when killed by a signal) once the command has exited. */
  exited: Promise<number | null>;
}

const running = new Set<Dev>();
const tempDirs: string[] = [];

function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `optout-dev-${label}-`));
  tempDirs.push(dir);
  return dir;
}

async function freePorts(): Promise<Ports> {
  const ports = new Set<number>();
  while (ports.size < 3) ports.add(await freePort());
  const [PORT, DYNAMODB_PORT, SES_PORT] = [...ports] as [number, number, number];
  return { PORT, DYNAMODB_PORT, SES_PORT };
}

/**
 * Spawns what `npm run dev` runs (`node --import tsx scripts/dev.ts`, no tsx relay process, whose
 * 30 ms wait for a signal's answer failed under load) in its own process group, so that nothing it
 * starts can outlive the test.
 */
function spawnDev(options: { args?: string[]; env: Record<string, string> }): Dev {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of OWN_VARIABLES) delete env[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev.ts', ...(options.args ?? [])], {
    cwd: ROOT,
    env: { ...env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const output = { stdout: '', stderr: '' };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const dev = { child, output, exited };
  running.add(dev);
  return dev;
}

/** Starts the command and waits until it says it is ready. */
async function startDev(options: { args?: string[]; env: Record<string, string> }): Promise<Dev> {
  const dev = spawnDev(options);
  const ready = new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`npm run dev was not ready within 90 s:\n${outputOf(dev)}`)), 90_000);
    const check = () => {
      if (!dev.output.stdout.includes(READY)) return;
      clearTimeout(timer);
      done();
    };
    dev.child.stdout?.on('data', check);
    dev.child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`npm run dev exited (${code}) before it was ready:\n${outputOf(dev)}`));
    });
    check();
  });
  await ready;
  return dev;
}

function outputOf(dev: Dev): string {
  return `stdout:\n${dev.output.stdout}\nstderr:\n${dev.output.stderr}`;
}

function killGroup(dev: Dev, signal: NodeJS.Signals) {
  try {
    if (dev.child.pid !== undefined) process.kill(-dev.child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Ctrl-C: SIGINT, then SIGKILL to the whole group after 10 s. Resolves with the exit code. */
async function stopDev(dev: Dev): Promise<number | null> {
  if (dev.child.exitCode === null && dev.child.signalCode === null) {
    dev.child.kill('SIGINT');
    // Only for a command that never exits: how long a clean stop takes depends on the machine's load
    // (DynamoDB Local writing its files), so the test waits for the exit itself.
    const timeout = setTimeout(() => killGroup(dev, 'SIGKILL'), 60_000);
    await dev.exited;
    clearTimeout(timeout);
  }
  // Anything the command left behind (it should leave nothing) goes too.
  killGroup(dev, 'SIGKILL');
  running.delete(dev);
  return dev.exited;
}

/** Whether something accepts TCP connections on the port (loopback). */
function isListening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(2_000);
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      done(false);
    });
    socket.once('error', () => done(false));
  });
}

const StoredEmails = z.object({
  emails: z.array(
    z.object({
      destination: z.object({ to: z.array(z.string()) }),
      subject: z.string(),
      body: z.object({ text: z.string().optional(), html: z.string().optional() }),
    }),
  ),
});

/**
 * The mail to `address` once the dev server's mailer has sent some (it drains DynamoDB Local's
 * stream): returns as soon as there is any; the two minutes only bound a server that never sends.
 */
async function mailTo(sesEndpoint: string, address: string) {
  for (const until = Date.now() + 120_000; ; ) {
    const response = await fetch(`${sesEndpoint}/store`);
    const { emails } = StoredEmails.parse(await response.json());
    const theirs = emails.filter((email) => email.destination.to.some((to) => to.includes(address)));
    if (theirs.length > 0 || Date.now() > until) return theirs;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function subscribe(port: number, email: string) {
  return fetch(`http://localhost:${port}/subscribe`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ email, platforms: 'facebook', consent: 'yes' }).toString(),
  });
}

const address = () => `dev-${randomUUID().slice(0, 8)}@example.org`;

afterEach(async () => {
  await Promise.all([...running].map(stopDev));
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('npm run dev', () => {
  // One test for what a start prints and serves, Ctrl-C and a restart: each start is a DynamoDB Local of its own.
  it('prints the form, inbox and DynamoDB addresses, serves the form, stops all three on Ctrl-C, and keeps subscribers across a restart', { timeout: 240_000 }, async () => {
    const ports = await freePorts();
    const env = { ...stringify(ports), DATA_DIR: tempDir('data') };
    const email = address();

    const first = await startDev({ env });
    expect(first.output.stdout).toContain(`http://localhost:${ports.PORT}`);
    expect(first.output.stdout).toContain(`:${ports.SES_PORT}`);
    expect(first.output.stdout).toContain(`:${ports.DYNAMODB_PORT}`);
    const form = await fetch(`http://localhost:${ports.PORT}/`);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('name="email"');
    const inbox = await fetch(`http://127.0.0.1:${ports.SES_PORT}/`);
    expect(inbox.status).toBe(200);
    expect(await isListening(ports.DYNAMODB_PORT)).toBe(true);

    expect((await subscribe(ports.PORT, email)).status).toBe(200);
    const [confirmation] = await mailTo(`http://127.0.0.1:${ports.SES_PORT}`, email);
    const link = /\/confirm\/[A-Za-z0-9._~-]+/.exec(confirmation?.body.html ?? confirmation?.body.text ?? '')?.[0];
    expect(link, `no confirm link in ${JSON.stringify(confirmation)}`).toBeDefined();
    expect(await stopDev(first)).toBe(0);
    expect(await isListening(ports.DYNAMODB_PORT)).toBe(false);
    expect(await isListening(ports.SES_PORT)).toBe(false);
    expect(await isListening(ports.PORT)).toBe(false);

    await startDev({ env });
    const page = await fetch(`http://localhost:${ports.PORT}${link}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Yes, send me the guides');
    const confirmed = await fetch(`http://localhost:${ports.PORT}${link}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      // The page's button sends its own name and value.
      body: 'confirm=yes',
    });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('You are in');
  });

  // One start for both: a start of its own would be a DynamoDB Local of its own.
  it('uses DYNAMODB_ENDPOINT and SES_ENDPOINT when set and starts neither; starts the clock at --now', { timeout: 180_000 }, async () => {
    const ports = await freePorts();
    const sesEndpoint = inject('sesEndpoint');
    const tableName = `dev-command-${randomUUID()}`;
    // The command makes its table, with a stream, on the shared DynamoDB Local: dropped with this file.
    dropWithFile(tableName);
    const dev = await startDev({
      args: ['--now', '2025-05-20T08:00:00Z'],
      env: {
        ...stringify(ports),
        DATA_DIR: tempDir('data'),
        DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
        SES_ENDPOINT: sesEndpoint,
        TABLE_NAME: tableName,
      },
    });

    expect(dev.output.stdout).toContain('(external)');
    expect(await isListening(ports.DYNAMODB_PORT)).toBe(false);
    expect(await isListening(ports.SES_PORT)).toBe(false);
    const form = await fetch(`http://localhost:${ports.PORT}/`);
    expect(form.status).toBe(200);
    // The deadline is 2025-05-27T00:00 Europe/Berlin, so the last day is 26 May: six days after
    // 20 May, counted in the campaign's zone (as in tests/unit/campaign.test.ts).
    expect(await form.text()).toContain('6 days left');
    const email = address();
    expect((await subscribe(ports.PORT, email)).status).toBe(200);
    expect(await mailTo(sesEndpoint, email)).toHaveLength(1);
  });

  it('says in one line how to install Java when it is missing', { timeout: 30_000 }, async () => {
    const bin = tempDir('bin');
    symlinkSync(process.execPath, join(bin, 'node'));
    const dev = spawnDev({ env: { ...stringify(await freePorts()), DATA_DIR: tempDir('data'), PATH: bin } });

    const code = await Promise.race([dev.exited, new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), 20_000))]);
    expect(code, outputOf(dev)).not.toBe('timeout');
    expect(code, outputOf(dev)).toBeTypeOf('number');
    expect(code).not.toBe(0);
    const lines = `${dev.output.stderr}\n${dev.output.stdout}`.split('\n').filter((line) => line.trim() !== '');
    expect(lines).toEqual([expect.stringMatching(/Java 17.*apt-get install|apt-get install.*Java 17/)]);
  });
});

function stringify(ports: Ports): Record<string, string> {
  return { PORT: String(ports.PORT), DYNAMODB_PORT: String(ports.DYNAMODB_PORT), SES_PORT: String(ports.SES_PORT) };
}
