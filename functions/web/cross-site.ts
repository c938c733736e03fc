import type { Context, MiddlewareHandler } from 'hono';
import { DomainError } from '../domain/errors.js';
import { readBody } from './respond.js';

/** Methods that only read: a link opened from a webmail page or another site must still open. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CrossSiteOptions {
  /** The service's public origin (PUBLIC_URL), for clients that send Origin but no Sec-Fetch-Site. */
  ownOrigin: string;
  /** A request that may come from anywhere by design, decided after the site check refused it. */
  mayComeFromAnywhere?: (c: Context) => Promise<boolean>;
}

/**
 * Whether a browser says the request came from one of our own pages. `Sec-Fetch-Site` decides
 * when present: browsers set it and no page can forge it, and it stays right where `Origin` is
 * "null" (Chromium sends that under a no-referrer policy). Without it (curl, scripts, mail
 * servers, browsers from before 2023), an `Origin` must be ours if there is one.
 *
 * @example
 * isOwnSite({ site: undefined, origin: 'https://evil.example' }, ['https://optout.example']) // false
 */
export function isOwnSite(request: { site: string | undefined; origin: string | undefined }, ownOrigins: readonly string[]): boolean {
  if (request.site !== undefined) return request.site === 'same-origin' || request.site === 'none';
  return request.origin === undefined || ownOrigins.includes(request.origin);
}

/**
 * Refuses a state-changing request that a page of another origin made the browser send
 * (cross-site request forgery): 403 with the error page, or JSON for API clients, before any
 * route reads a cookie or changes a thing. One check for every POST: the form, the link pages
 * and /admin.
 *
 * @example
 * app.use(refuseCrossSite({ ownOrigin: new URL(config.PUBLIC_URL).origin }));
 */
export function refuseCrossSite(options: CrossSiteOptions): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    // The address the browser used is ours too, when the app is reached by another name than PUBLIC_URL.
    const own = [options.ownOrigin, new URL(c.req.url).origin];
    if (isOwnSite({ site: c.req.header('sec-fetch-site'), origin: c.req.header('origin') }, own)) return next();
    if (options.mayComeFromAnywhere && (await options.mayComeFromAnywhere(c))) return next();
    throw new DomainError('forbidden', 'cross_site', 'This form was sent from another website, so nothing was changed.');
  };
}

const UNSUBSCRIBE_PATH = /^\/unsubscribe\/[^/]+$/;

/**
 * RFC 8058's one-click unsubscribe: a mail client POSTs `List-Unsubscribe=One-Click` to the link of
 * the email it shows, from its server or from a webmail page, so from another site by design. It
 * carries no cookie, and its token alone decides, which anyone holding it could send from anywhere.
 */
export async function isOneClickUnsubscribe(c: Context): Promise<boolean> {
  if (c.req.method !== 'POST' || !UNSUBSCRIBE_PATH.test(c.req.path)) return false;
  const body = await readBody(c).catch(() => ({}) as Record<string, unknown>);
  return body['List-Unsubscribe'] === 'One-Click';
}
