import * as z from 'zod';

/** The languages the form, the pages, the emails and the guides are written in. */
export const Locale = z.enum(['en', 'de']);
export type Locale = z.infer<typeof Locale>;

export const DEFAULT_LOCALE: Locale = 'en';

/**
 * A page's path for a reader of `locale`: English is the default and needs no `?lang=`.
 *
 * @example
 * pathIn('/privacy', 'de') // '/privacy?lang=de'
 */
export function pathIn(path: string, locale: Locale): string {
  return locale === DEFAULT_LOCALE ? path : `${path}?lang=${locale}`;
}

/** A language tag as forms and clients send it: BCP 47 ("de-AT"), or POSIX's underscore ("de_AT"). */
const LANGUAGE_TAG = /^[a-z]{2,3}(?:[-_][a-z0-9]{1,8})*$/i;

/**
 * The language a requested tag names, when the service speaks it ("de-AT" → "de"); undefined
 * for a language it does not speak yet and for anything that is not a language tag, for the
 * caller to refuse rather than answer in another language. Whitespace around the tag is ignored.
 *
 * @example
 * localeOf('de-AT') // 'de'
 * localeOf('xx-YY') // undefined
 */
export function localeOf(requested: string): Locale | undefined {
  const tag = requested.trim();
  if (!LANGUAGE_TAG.test(tag)) return undefined;
  return Locale.safeParse(tag.split(/[-_]/)[0]?.toLowerCase()).data;
}

/**
 * The best supported language of an Accept-Language header, by its q-values (RFC 9110);
 * English when nothing fits.
 *
 * @example
 * localeFromAcceptLanguage('fr-CH, fr;q=0.9, de;q=0.8, en;q=0.5') // 'de'
 */
export function localeFromAcceptLanguage(header: string | undefined): Locale {
  if (!header) return DEFAULT_LOCALE;
  const ranked = header
    .slice(0, 500)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { language: tag.trim().toLowerCase().split('-')[0] ?? '', q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0 && Number.isFinite(entry.q))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { language } of ranked) {
    const parsed = Locale.safeParse(language);
    if (parsed.success) return parsed.data;
  }
  return DEFAULT_LOCALE;
}
