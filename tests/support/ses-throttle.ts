import { SESClient } from '@aws-sdk/client-ses';
import { MAIL_JOB_TAG } from '../../functions/domain/mail-job.js';

/** What SES answers over its sending rate: it does not queue the message, the caller must retry. */
export function throttlingError(): Error {
  // SES answers it with a 400: the SDK's error carries the status, so the mailer knows SES did not send.
  return Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
}

type Send = (this: SESClient, ...args: unknown[]) => Promise<unknown>;

/** The message a call sends (its job tag, else its bytes), or undefined for a call that sends none. */
function messageOf(command: unknown): string | undefined {
  const input = (command as { input?: { RawMessage?: { Data?: Uint8Array }; Tags?: Array<{ Name?: string; Value?: string }> } } | undefined)?.input;
  if (!input?.RawMessage) return undefined;
  return input.Tags?.find((tag) => tag.Name === MAIL_JOB_TAG)?.Value ?? Buffer.from(input.RawMessage.Data ?? []).toString('base64');
}

/**
 * Makes every `every`-th send of `target` fail with SES throttling: the one fault the emulator
 * cannot produce. `target` is a client, or SESClient.prototype for a whole process. A message
 * throttled once passes when it comes round again on an `every`-th send: its job's retry is what
 * is tested, and a job that landed on the `every`-th send MAIL_MAX_ATTEMPTS times running would be
 * parked by the luck of the order. Calls that send nothing (GetSendQuota) pass and are not counted.
 */
export function throttleEvery(target: { send: unknown }, every = 5): { sends(): number; throttled(): number } {
  let sends = 0;
  const refused = new Set<string>();
  const send = target.send as Send;
  target.send = function (this: SESClient, ...args: unknown[]) {
    const message = messageOf(args[0]);
    if (message === undefined) return send.apply(this, args);
    sends += 1;
    if (sends % every === 0 && !refused.has(message)) {
      refused.add(message);
      return Promise.reject(throttlingError());
    }
    return send.apply(this, args);
  };
  return { sends: () => sends, throttled: () => refused.size };
}

/** A proxy in front of the SES emulator that answers like SES over its sending rate. */
export interface SesThrottleProxy {
  endpoint: string;
  /** SendRawEmail calls answered with Throttling so far. */
  throttled(): number;
  /** SendRawEmail calls passed on to the emulator so far. */
  passed(): number;
  /** The sending rate from now on (0: every send is throttled). */
  setRate(perSecond: number): void;
  stop(): Promise<void>;
}

const SES_XMLNS = 'http://ses.amazonaws.com/doc/2010-12-01/';

/**
 * Starts an HTTP proxy to `target` (the SES emulator) that lets SendRawEmail through at most
 * `ratePerSecond` a second (a token bucket of one second's burst, as SES's rate behaves) and
 * answers the rest with SES's own error: 400, `Throttling`, "Maximum sending rate exceeded.".
 * It answers GetSendQuota itself (the emulator has none) with that rate, so the mailer's pacer
 * reads the quota as in AWS. Everything else (GET /store, the inbox) passes through.
 */
export async function startSesThrottleProxy(options: {
  target: string;
  ratePerSecond: number;
  /** What GetSendQuota reports as MaxSendRate, when it should differ from the rate enforced. */
  quotaRate?: number;
  max24HourSend?: number;
  sentLast24Hours?: number;
}): Promise<SesThrottleProxy> {
  const { createServer } = await import('node:http');
  let rate = options.ratePerSecond;
  let tokens = rate;
  let refilledAt = Date.now();
  let throttled = 0;
  let passed = 0;
  const take = () => {
    const now = Date.now();
    tokens = Math.min(Math.max(rate, 1), tokens + ((now - refilledAt) / 1000) * rate);
    refilledAt = now;
    if (rate <= 0 || tokens < 1) return false;
    tokens -= 1;
    return true;
  };
  const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>${body}`;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const action = new URLSearchParams(body.toString('utf8')).get('Action');
      if (action === 'GetSendQuota') {
        response.writeHead(200, { 'Content-Type': 'text/xml' });
        response.end(
          xml(
            `<GetSendQuotaResponse xmlns="${SES_XMLNS}"><GetSendQuotaResult><SentLast24Hours>${options.sentLast24Hours ?? 0}</SentLast24Hours>` +
              `<Max24HourSend>${options.max24HourSend ?? 50000}</Max24HourSend><MaxSendRate>${options.quotaRate ?? rate}</MaxSendRate></GetSendQuotaResult>` +
              `<ResponseMetadata><RequestId>quota-${Date.now()}</RequestId></ResponseMetadata></GetSendQuotaResponse>`,
          ),
        );
        return;
      }
      if (action === 'SendRawEmail' && !take()) {
        throttled += 1;
        response.writeHead(400, { 'Content-Type': 'text/xml' });
        response.end(
          xml(
            `<ErrorResponse xmlns="${SES_XMLNS}"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Maximum sending rate exceeded.</Message></Error>` +
              `<RequestId>throttled-${throttled}</RequestId></ErrorResponse>`,
          ),
        );
        return;
      }
      if (action === 'SendRawEmail') passed += 1;
      const upstream = new URL(request.url ?? '/', options.target);
      fetch(upstream, {
        method: request.method ?? 'GET',
        // The emulator reads the signature's headers; hop-by-hop ones are fetch's own.
        headers: Object.fromEntries(
          Object.entries(request.headers).flatMap(([name, value]) =>
            ['host', 'connection', 'content-length', 'transfer-encoding'].includes(name) || value === undefined ? [] : [[name, String(value)]],
          ),
        ),
        ...(request.method === 'GET' || request.method === 'HEAD' ? {} : { body }),
      })
        .then(async (answer) => {
          response.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'text/plain' });
          response.end(Buffer.from(await answer.arrayBuffer()));
        })
        .catch(() => {
          response.writeHead(502);
          response.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    throttled: () => throttled,
    passed: () => passed,
    setRate: (perSecond) => {
      rate = perSecond;
      tokens = Math.min(tokens, perSecond);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
