import { SendRawEmailCommand, SESClient } from '@aws-sdk/client-ses';
import * as z from 'zod';
import { countEmailsThrottled } from '../observability.js';

/** What SES carries beside the message: tags come back in its events (the mailer's job id). */
export interface SendOptions {
  tags?: ReadonlyArray<{ name: string; value: string }>;
}

/** Sends one raw MIME message; the one seam tests replace to inject an SES fault. */
export interface MailTransport {
  sendRaw(raw: Buffer, options?: SendOptions): Promise<{ messageId: string }>;
  /**
   * Whether the mail server accepted a message to `to` since `since`: settles a crashed run's
   * open question "did my send go out?". Undefined when the server cannot tell.
   */
  acceptedSince?(to: string, since: Date): Promise<boolean | undefined>;
}

const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'LimitExceededException']);

/**
 * True for errors worth another try: SES over its sending rate (it does not queue the message)
 * and its own 5xx faults.
 */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
  return THROTTLING.has(error.name) || /maximum sending rate exceeded/i.test(error.message) || status >= 500 || isConnectionDropped(error);
}

/**
 * A dropped connection (ECONNRESET, EPIPE), most often a keep-alive socket the server had already
 * closed: transient, as the SDK's own retry treats it (which this transport turns off for its own).
 */
function isConnectionDropped(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}

/** SES over its sending rate, as opposed to a fault of its own. */
function isThrottling(error: unknown): boolean {
  return error instanceof Error && (THROTTLING.has(error.name) || /maximum sending rate exceeded/i.test(error.message));
}

export interface BackoffOptions {
  attempts: number;
  baseDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

const defaultBackoff: BackoffOptions = {
  attempts: 6,
  baseDelayMs: 200,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * SES SendRawEmail, retrying throttling and SES faults with exponential backoff and full jitter.
 */
export class SesTransport implements MailTransport {
  private readonly backoff: BackoffOptions;

  constructor(
    private readonly client: SESClient,
    backoff: Partial<BackoffOptions> = {},
  ) {
    this.backoff = { ...defaultBackoff, ...backoff };
  }

  async sendRaw(raw: Buffer, options: SendOptions = {}): Promise<{ messageId: string }> {
    const tags = options.tags?.map((tag) => ({ Name: tag.name, Value: tag.value }));
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.client.send(new SendRawEmailCommand({ RawMessage: { Data: raw }, ...(tags?.length ? { Tags: tags } : {}) }));
        return { messageId: result.MessageId ?? '' };
      } catch (error) {
        if (isThrottling(error)) countEmailsThrottled();
        if (!isRetryable(error) || attempt >= this.backoff.attempts) throw error;
        const ceiling = this.backoff.baseDelayMs * 2 ** (attempt - 1);
        await this.backoff.sleep(Math.random() * ceiling);
      }
    }
  }
}

/**
 * SES on the local emulator, which can also say what it received (its GET /store), so that a
 * step whose run was killed mid-send is neither lost nor sent twice.
 */
export class LocalSesTransport extends SesTransport {
  constructor(
    client: SESClient,
    private readonly endpoint: string,
    backoff: Partial<BackoffOptions> = {},
  ) {
    super(client, backoff);
  }

  async acceptedSince(to: string, since: Date): Promise<boolean> {
    const response = await fetch(`${this.endpoint}/store?since=${Math.floor(since.getTime() / 1000)}`);
    if (!response.ok) throw new Error(`SES emulator store answered ${response.status}`);
    const { emails } = StoreListing.parse(await response.json());
    const wanted = to.toLowerCase();
    // "Name <a@b>" or a bare address: compare the address itself, exactly.
    const addressOf = (entry: string) => (/<([^>]+)>/.exec(entry)?.[1] ?? entry).trim().toLowerCase();
    return emails.some((email) => email.destination.to.some((entry) => addressOf(entry) === wanted));
  }
}

const StoreListing = z.object({ emails: z.array(z.object({ destination: z.object({ to: z.array(z.string()) }) })) });

/** An SES client for AWS, or for the local SES emulator when an endpoint is given. */
export function createSesClient(options: { region: string; endpoint?: string | undefined }): SESClient {
  return new SESClient({
    region: options.region,
    // SesTransport retries itself; the SDK's retries on top would multiply the attempts.
    maxAttempts: 1,
    ...(options.endpoint
      ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
}
