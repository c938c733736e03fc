import type { Context } from 'hono';
import { DomainError } from '../domain/errors.js';
import { Locale, localeFromAcceptLanguage } from '../domain/locale.js';
import { textFor } from '../locales/index.js';
import type { PageLanguage } from './pages/layout.js';

/** JSON for API clients (Accept: application/json), HTML for browsers. */
export function wantsJson(c: Context): boolean {
  const accept = c.req.header('accept') ?? '';
  if (accept.includes('application/json')) return true;
  if (accept.includes('text/html')) return false;
  return (c.req.header('content-type') ?? '').includes('application/json');
}

/** Reads a form (urlencoded or multipart) or JSON body into plain values; repeated fields become lists. */
export async function readBody(c: Context): Promise<Record<string, unknown>> {
  const type = c.req.header('content-type') ?? '';
  if (type.includes('application/json')) {
    const body: unknown = await c.req.json().catch(() => undefined);
    return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  }
  if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
    // A multipart body without a valid boundary makes the parser throw: the client's fault, not ours.
    const body = await c.req.parseBody({ all: true }).catch((error: unknown) => {
      throw new DomainError('input', 'body_unreadable', 'The form could not be read. Please send it again.', { cause: error });
    });
    return Object.fromEntries(Object.entries(body).filter(([, value]) => typeof value === 'string' || Array.isArray(value)));
  }
  return {};
}

/** The language a page is shown in: its subscriber's, else `?lang=`, else the browser's choice. */
export function pageLanguage(c: Context, subscriberLocale?: Locale): PageLanguage {
  const requested = Locale.safeParse(c.req.query('lang'));
  return languageOf(subscriberLocale ?? (requested.success ? requested.data : localeFromAcceptLanguage(c.req.header('accept-language'))));
}

/** A language by name, for pages that know it from the request body. */
export function languageOf(locale: Locale): PageLanguage {
  return { locale, text: textFor(locale) };
}
