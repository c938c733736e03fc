import type { LinkOutcome } from './domain/link-check.js';

export interface ProbeOptions {
  /** For the whole chain of redirects. */
  timeoutMs: number;
  maxRedirects?: number;
  /** Sent as User-Agent: some sites refuse a request without one. */
  userAgent?: string;
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|ERR_TLS/i;

/** The node error code under fetch's "fetch failed", if any. */
function causeCode(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : '';
}

function failure(error: unknown): LinkOutcome {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return { kind: 'failed', reason: 'timeout' };
  const code = causeCode(error);
  if (TLS_CODES.test(code)) return { kind: 'failed', reason: 'tls' };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'failed', reason: 'dns' };
  if (code === 'ECONNREFUSED') return { kind: 'failed', reason: 'refused' };
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') return { kind: 'failed', reason: 'timeout' };
  return { kind: 'failed', reason: 'network' };
}

/**
 * Fetches a link as a browser would follow it (GET, redirects followed one by one so that they
 * are counted), within one timeout for the whole chain, and says what came of it. Reads no body.
 *
 * @example
 * await probeLink('https://www.facebook.com/help/contact/…', { timeoutMs: 10_000 }) // { kind: 'answered', status: 200, … }
 */
export async function probeLink(url: string, options: ProbeOptions): Promise<LinkOutcome> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const maxRedirects = options.maxRedirects ?? 10;
  let current = url;
  try {
    for (let redirects = 0; ; redirects++) {
      const response = await fetch(current, {
        method: 'GET',
        redirect: 'manual',
        signal,
        headers: { 'User-Agent': options.userAgent ?? 'optout-countdown-link-check/1', Accept: 'text/html,*/*;q=0.8' },
      });
      // Only the status counts: let the connection go without reading the page.
      await response.body?.cancel().catch(() => undefined);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        if (redirects >= maxRedirects) return { kind: 'failed', reason: 'too_many_redirects' };
        current = new URL(location, current).toString();
        continue;
      }
      return { kind: 'answered', status: response.status, finalUrl: current, redirects };
    }
  } catch (error) {
    return failure(error);
  }
}
