import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient, ResourceNotFoundException, ScanCommand } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import * as z from 'zod';
import type { Clock } from '../../functions/clock.js';
import { loadConfig, type Config } from '../../functions/config.js';
import type { Campaign } from '../../functions/domain/campaign.js';
import { createSesClient, type MailTransport, type SendOptions } from '../../functions/mail/send.js';
import { createService, type Service } from '../../functions/app/composition-root.js';
import { createNewsletterSender, type NewsletterSender } from '../../functions/app/newsletter-send.js';
import { createMailTransport } from '../../functions/app/mail-pipeline.js';
import { ensureTable } from '../../functions/store/table.js';
import { createApp, type AppDeps } from '../../functions/web/app.js';
import { freePort, startSes } from '../../scripts/local-stack.js';
import { onDemandMail, type OnDemandMail } from './mail-on-demand.js';
import { forgetTableWrites, recordTableWrites } from './writes.js';
import { mailComposerOf } from '../../functions/app/mail-composer.js';
import type { NewsletterIssue } from '../../functions/domain/newsletter.js';
import { newsletterIssues } from '../../functions/newsletter-issues.js';

export const PUBLIC_URL = 'https://optout.example';

export { manualClock } from './time.js';

/** What a reader sees of a page or an email's HTML: the text without tags, entities read, spaces joined. */
export const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ')
    .trim();

/** A unique address per test, so that tests sharing the SES emulator never read each other's mail. */
export function testAddress(label = 'person'): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.org`;
}

/** One message as it left: the raw MIME, and when the (test) clock said it went. */
export interface SentMessage {
  raw: string;
  to: string;
  subject: string;
  at: Date;
}

/** Records every raw MIME message on its way to the real SES emulator (which drops custom headers). */
export class RecordingTransport implements MailTransport {
  readonly sent: string[] = [];
  readonly messages: SentMessage[] = [];
  constructor(
    private readonly inner: MailTransport,
    private readonly clock: Clock = () => new Date(),
  ) {}
  async sendRaw(raw: Buffer, options?: SendOptions) {
    const result = await this.inner.sendRaw(raw, options);
    const text = raw.toString('utf8');
    this.sent.push(text);
    const headers = unfoldHeaders(text);
    this.messages.push({
      raw: text,
      to: /^To: (.*)$/m.exec(headers)?.[1]?.trim() ?? '',
      subject: /^Subject: (.*)$/m.exec(headers)?.[1]?.trim() ?? '',
      at: this.clock(),
    });
    return result;
  }
  acceptedSince(to: string, since: Date) {
    return this.inner.acceptedSince?.(to, since) ?? Promise.resolve(undefined);
  }

  /** The raw messages addressed to `address`. */
  to(address: string): string[] {
    return this.sent.filter((raw) => new RegExp(`^To: ${address.replace(/[.+]/g, '\\$&')}\\r?$`, 'mi').test(raw));
  }
}

/** The header block of a raw message with folded lines joined, as a mail client reads it. */
export function unfoldHeaders(raw: string): string {
  return (raw.split(/\r?\n\r?\n/)[0] ?? '').replace(/\r?\n[ \t]+/g, ' ');
}

/**
 * A private SES emulator for a test that sends thousands of emails or polls the inbox hard, so
 * that the shared one stays small and fast for everyone else.
 */
export async function privateSes(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const ses = await startSes({ port: await freePort() });
  // The emulator keeps its mail in a module-wide list, shared by every instance in this worker.
  await fetch(`${ses.endpoint}/clear-store`, { method: 'POST' });
  return ses;
}

export interface TestStack {
  config: Config;
  service: Service;
  app: ReturnType<typeof createApp>;
  newsletters: NewsletterSender;
  transport: RecordingTransport;
  dynamo: DynamoDBClient;
  /**
   * Lets the production mailer deliver every mail job written so far and what they lead to
   * (retries, wake-ups), and waits until none is left queued or sending (tests/support/mail-on-demand.ts).
   * `inbox` calls it for every stack on its SES endpoint.
   */
  deliverMail(): Promise<void>;
  /**
   * A deploy with other campaign definitions (a moved deadline): a service on the same table, whose
   * campaigns the stack's mailer composes with from now on, as a deployed mailer would.
   */
  redeploy(campaigns: readonly Campaign[]): Service;
  /** The newsletter issues the stack's mailer knows, the build's to begin with: a test adds those it sends. */
  issues: NewsletterIssue[];
}

/** The stacks of this test file, for `inbox` to deliver their mail first; their mailers stop with the file. */
const stacks = new Set<TestStack>();
const mailers: OnDemandMail[] = [];

/** When the current test file began: no mail to its own addresses can be older. */
let fileStartedAt = Date.now();

/** Marks the start of a test file (tests/support/each-file.ts). */
export function startOfFile(): void {
  fileStartedAt = Date.now();
}

/**
 * The tables this file made on the shared DynamoDB Local, dropped with it. DynamoDB Local keeps
 * the stream records of every table in one SQLite table without an index on the stream, and reads
 * through all of them for each request to a table with a stream (its table description asks for
 * the stream's oldest record), on one thread for every caller: with 100 such tables of 300
 * records each, a GetRecords took 20 ms of its CPU instead of 0.8 ms. Dropping a table drops its
 * records; the stacks' tables have no stream unless a test asks for one.
 */
const tablesOfFile = new Set<string>();

/**
 * Creates a test's table (with its indexes, and its stream when a stream poller is to read it) on
 * `dynamo`; one on the shared DynamoDB Local is dropped when the file ends. DynamoDB Local's TTL
 * is off: it would delete items on real time, and the test clocks are simulated.
 */
export async function createFileTable(dynamo: DynamoDBClient, config: Pick<Config, 'TABLE_NAME' | 'DYNAMODB_ENDPOINT'>, options: { stream: boolean }): Promise<void> {
  await ensureTable(dynamo, config.TABLE_NAME, { timeToLive: false, stream: options.stream });
  if (config.DYNAMODB_ENDPOINT === inject('dynamoEndpoint')) dropWithFile(config.TABLE_NAME);
}

/** Drops a table on the shared DynamoDB Local when the file ends: the file's own, or one another process made (`npm run dev`). */
export function dropWithFile(tableName: string): void {
  tablesOfFile.add(tableName);
}

/**
 * Stops the mailers of the file's stacks, drops the file's tables and forgets both. Called after
 * every test file by the setup file (tests/support/each-file.ts): a worker keeps this module
 * across files.
 */
export async function endOfFile(): Promise<void> {
  for (const mail of mailers.splice(0)) mail.stop();
  stacks.clear();
  const tables = [...tablesOfFile];
  tablesOfFile.clear();
  if (!tables.length) return;
  const dynamo = new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    // One at a time: DynamoDB Local answers one request at a time anyway.
    for (const TableName of tables) {
      forgetTableWrites(TableName);
      await dynamo.send(new DeleteTableCommand({ TableName })).catch((error: unknown) => {
        // A test may have dropped its table itself (to provoke failures).
        if (!(error instanceof ResourceNotFoundException)) throw error;
      });
    }
  } finally {
    dynamo.destroy();
  }
}

/**
 * The real service against DynamoDB Local (a fresh table per call) and the SES emulator, started
 * once per run by the global setup.
 */
export async function createTestStack(
  options: {
    clock?: Clock;
    env?: Record<string, string>;
    transport?: (real: MailTransport) => MailTransport;
    campaigns?: readonly Campaign[];
    /** More of the app's parts, e.g. the clock of sessions or the client's address. */
    app?: Partial<AppDeps>;
    /** A stream on the table, for a mailer of its own that reads it (the stack's own mailer needs none). */
    stream?: boolean;
    /** Another process (a command) writes mail jobs to the table: `deliverMail()` looks for them too. */
    otherWriters?: boolean;
  } = {},
): Promise<TestStack> {
  const config = loadConfig({
    TABLE_NAME: `test-${randomUUID()}`,
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    SES_ENDPOINT: inject('sesEndpoint'),
    SIGNING_SECRET: 'test-signing-secret-0123456789abcdef',
    ADMIN_TOKEN: 'test-admin-token-0123456789',
    PUBLIC_URL,
    // SES's sandbox rate (14/s over two mailers) would make a 2,000-person test wait minutes; the
    // tests of pacing ask the quota of a throttling proxy instead.
    MAIL_FALLBACK_SEND_RATE: '500',
    MAILER_INSTANCES: '1',
    ...options.env,
  });
  const dynamo = new DynamoDBClient({
    endpoint: config.DYNAMODB_ENDPOINT,
    region: config.AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await createFileTable(dynamo, config, { stream: options.stream ?? false });
  const sesEndpoint = config.SES_ENDPOINT ?? inject('sesEndpoint');
  // One SES attempt per send, as in production: a failed send is the job's retry, with its backoff.
  const real = createMailTransport({ SES_ENDPOINT: sesEndpoint }, createSesClient({ region: config.AWS_REGION, endpoint: sesEndpoint }));
  const transport = new RecordingTransport(options.transport ? options.transport(real) : real, options.clock);
  const service = createService(config, { ...(options.clock ? { clock: options.clock } : {}), ...(options.campaigns ? { campaigns: options.campaigns } : {}) });
  const newsletters = createNewsletterSender(service, config);
  const app = createApp({ ...service, newsletters, config, clientIp: () => '198.51.100.7', ...options.app });
  const issues = [...newsletterIssues];
  let composer = mailComposerOf(service, issues);
  const redeploy = (campaigns: readonly Campaign[]) => {
    const next = createService(config, { campaigns, ...(options.clock ? { clock: options.clock } : {}) });
    composer = mailComposerOf(next, issues);
    return next;
  };
  // Its mail delivered on demand, from the jobs its service is seen writing (tests/support/mail-on-demand.ts).
  const mail = onDemandMail(config, {
    composer: { compose: (job, now) => composer.compose(job, now) },
    transport,
    writes: recordTableWrites(config.TABLE_NAME),
    otherWriters: options.otherWriters ?? false,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  mailers.push(mail);
  const deliverMail = () => mail.deliver();
  const stack: TestStack = { config, service, app, newsletters, transport, dynamo, deliverMail, redeploy, issues };
  stacks.add(stack);
  return stack;
}

const StoredEmail = z.object({
  messageId: z.string(),
  from: z.string(),
  destination: z.object({ to: z.array(z.string()) }),
  subject: z.string(),
  body: z.object({ text: z.string().optional(), html: z.string().optional() }),
});
export type StoredEmail = z.infer<typeof StoredEmail>;

/** The mail the SES emulator received for `address`, read back from its GET /store. */
export async function inbox(address: string, sesEndpoint: string = inject('sesEndpoint')): Promise<StoredEmail[]> {
  await Promise.all([...stacks].filter((stack) => (stack.config.SES_ENDPOINT ?? inject('sesEndpoint')) === sesEndpoint).map((stack) => stack.deliverMail()));
  // Only the mail since this file began (the emulator counts in whole seconds): the shared store
  // holds the whole run's mail, and reading all of it for every look would cost more than the look.
  const response = await fetch(`${sesEndpoint}/store?since=${Math.floor(fileStartedAt / 1000) - 1}`);
  const { emails } = z.object({ emails: z.array(StoredEmail) }).parse(await response.json());
  return emails.filter((email) => email.destination.to.some((to) => to.includes(address)));
}

/** The path of the first link of a kind in an email's HTML, e.g. "/confirm/…". */
export function linkIn(email: StoredEmail, kind: 'confirm' | 'objected' | 'unsubscribe' | 'preferences' | 'watch', nth = 0): string {
  const pattern = new RegExp(`${PUBLIC_URL.replace(/\./g, '\\.')}(/${kind}/[A-Za-z0-9._~-]+)`, 'g');
  const links = [...(email.body.html ?? '').matchAll(pattern)].map((m) => m[1]).filter((l): l is string => l !== undefined);
  const unique = [...new Set(links)];
  const link = unique[nth];
  if (!link) throw new Error(`no ${kind} link #${nth} in "${email.subject}"`);
  return link;
}

/** Submits the sign-up form the way a browser does. */
export function signUp(app: TestStack['app'], fields: Record<string, string | string[]>, headers: Record<string, string> = {}) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
  return app.request('/subscribe', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: body.toString(),
  });
}

/** POSTs a form (the buttons on the link pages). */
export function post(app: TestStack['app'], path: string, fields: Record<string, string> = {}, headers: Record<string, string> = {}) {
  return app.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/** Signs up and confirms through the app, as a person would; returns the welcome email. */
export async function subscribeAndConfirm(stack: TestStack, fields: Record<string, string | string[]>): Promise<StoredEmail> {
  const email = String(fields.email);
  const response = await signUp(stack.app, fields);
  if (response.status !== 200) throw new Error(`sign-up answered ${response.status}`);
  const [confirmation] = await inbox(email, stack.config.SES_ENDPOINT);
  if (!confirmation) throw new Error('no confirmation mail');
  const confirmed = await post(stack.app, linkIn(confirmation, 'confirm'), { confirm: 'yes' });
  if (confirmed.status !== 200) throw new Error(`confirm answered ${confirmed.status}`);
  // The guides: the first email with an "I've objected" button.
  const welcome = (await inbox(email, stack.config.SES_ENDPOINT)).find((mail) => (mail.body.html ?? '').includes('/objected/'));
  if (!welcome) throw new Error('no welcome mail');
  return welcome;
}

/** The subjects of every message sent to `email`, in order. */
export function subjectsTo(stack: TestStack, email: string): string[] {
  return stack.transport.messages.filter((message) => message.to === email).map((message) => message.subject);
}

/** JSON with object keys sorted, so that equal data always reads the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Every item of the stack's table as sorted text: the same text before and after means nothing was written. */
export async function tableSnapshot(stack: Pick<TestStack, 'dynamo' | 'config'>): Promise<string> {
  const items: string[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await stack.dynamo.send(
      new ScanCommand({ TableName: stack.config.TABLE_NAME, ConsistentRead: true, ExclusiveStartKey: ExclusiveStartKey as never }),
    );
    for (const item of page.Items ?? []) items.push(canonical(item));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items.sort().join('\n');
}
