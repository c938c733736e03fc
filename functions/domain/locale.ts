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

/**
 * Picks the supported language for a requested one ("de-AT" → "de"), or English.
 *
 * @example
 * supportedLocale('de-AT') // 'de'
 */
export function supportedLocale(requested: string | undefined): Locale {
  const language = requested?.toLowerCase().split(/[-_]/)[0];
  const parsed = Locale.safeParse(language);
  return parsed.success ? parsed.data : DEFAULT_LOCALE;
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
