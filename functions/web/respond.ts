import type { Context } from 'hono';
import { DomainError } from '../domain/errors.js';
import { Locale, localeFromAcceptLanguage } from '../domain/locale.js';
import { textFor } from '../locales/index.js';
import type { PageLanguage } from './pages/layout.js';

/** The media type of the request body, lower-cased without parameters (media types are case-insensitive). */
function mediaTypeOf(c: Context): string {
  return (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** JSON for API clients (Accept: application/json), HTML for browsers. */
export function wantsJson(c: Context): boolean {
  const accept = (c.req.header('accept') ?? '').toLowerCase();
  if (accept.includes('application/json')) return true;
  if (accept.includes('text/html')) return false;
  return mediaTypeOf(c) === 'application/json';
}

/**
 * Reads a form (urlencoded or multipart) or JSON body into plain values; repeated fields become
 * lists. A body that cannot be read (malformed JSON, a broken multipart) is a 400, a body of another
 * type a 415: never silently read as empty. No body at all reads as no fields.
 */
export async function readBody(c: Context): Promise<Record<string, unknown>> {
  const type = mediaTypeOf(c);
  const unreadable = (cause?: unknown) => new DomainError('input', 'body_unreadable', 'The form could not be read. Please send it again.', { cause });
  if (type === 'application/json') {
    const text = await c.req.text();
    if (text.trim() === '') return {};
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw unreadable(error);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw unreadable();
    return body as Record<string, unknown>;
  }
  if (type === '') {
    if ((await c.req.text()).trim() === '') return {};
    throw new DomainError('unsupported', 'unsupported_media_type', 'This kind of request body cannot be read. Send a form or JSON.');
  }
  if (type === 'application/x-www-form-urlencoded') {
    // Read here rather than by Hono's parser, which matches the media type case-sensitively.
    const params = new URLSearchParams(await c.req.text());
    return Object.fromEntries([...new Set(params.keys())].map((name) => {
      const values = params.getAll(name);
      return [name, values.length === 1 ? values[0] : values];
    }));
  }
  if (type === 'multipart/form-data') {
    // A multipart body without a valid boundary makes the parser throw: the client's fault, not ours.
    const body = await c.req.parseBody({ all: true }).catch((error: unknown) => {
      throw unreadable(error);
    });
    return Object.fromEntries(Object.entries(body).filter(([, value]) => typeof value === 'string' || Array.isArray(value)));
  }
  throw new DomainError('unsupported', 'unsupported_media_type', 'This kind of request body cannot be read. Send a form or JSON.');
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
