import * as z from 'zod';
import { DEFAULT_LOCALE, Locale } from './locale.js';

/**
 * Every platform the service has a guide for. A person picks from these on the form, on every day
 * of the year; each has one file in templates/platforms/ (its standing action and guide).
 */
export const PlatformId = z.enum(['facebook', 'instagram', 'whatsapp', 'threads', 'meta-ai', 'linkedin', 'copilot', 'x', 'google', 'gemini', 'chatgpt', 'claude']);
export type PlatformId = z.infer<typeof PlatformId>;

/** The company behind a platform: the form asks about a company's platforms together. */
export const Company = z.enum(['meta', 'google', 'microsoft', 'openai', 'anthropic', 'x']);
export type Company = z.infer<typeof Company>;

/**
 * What a person can do about a platform when no deadline is open: send a form (an objection),
 * switch a setting off, or, where there is no opt-out, limit what the platform gets.
 */
export const ActionKind = z.enum(['form', 'setting', 'limit']);
export type ActionKind = z.infer<typeof ActionKind>;

/** Where the facts of a guide come from; the build checks every link of the guide against these hosts. */
export const Source = z
  .object({
    url: z.url({ protocol: /^https$/ }),
    title: z.string().min(1).max(200),
  })
  .strict();
export type Source = z.infer<typeof Source>;

/** The words of a platform's guide, in one language. */
const PlatformWords = z
  .object({
    /** The platform's own name where a language spells it differently. */
    name: z.string().min(1).max(40).optional(),
    /** Today's action in one line, as the form shows it under the platform's name. */
    today: z.string().min(1).max(160),
    steps: z.array(z.string().min(1).max(240)).min(1).max(12),
    /** When the person should press "I've objected" (or "Done" where there is nothing to object to). */
    doneMeans: z.string().min(1).max(300),
    /** A caveat: what is unconfirmed, which regions, what it does not cover. */
    note: z.string().min(1).max(600).optional(),
  })
  .strict();

/**
 * A platform as the service knows it, from templates/platforms/<id>.json: its standing action
 * (what protects what comes next, on any day) with its guide, and where the facts come from.
 * A campaign (a dated event such as a deadline) changes the headline for a while, not the guide.
 */
export const Platform = PlatformWords.extend({
  id: PlatformId,
  name: z.string().min(1).max(40),
  company: Company,
  action: ActionKind,
  /** The form or settings page; a form needs one, a limit has none. */
  url: z.url({ protocol: /^https$/ }).optional(),
  /** A standing action's reminders: this many days after the person added the platform. */
  reminderDaysAfterAdded: z.array(z.number().int().min(1).max(90)).min(1).max(5).default([3, 10]),
  sources: z.array(Source).min(1),
  /** The day the guide's facts were last checked against the sources. */
  checkedAt: z.iso.date(),
  /** The same words in the other languages; the fields above are English. */
  translations: z.partialRecord(Locale, PlatformWords).default({}),
})
  .strict()
  .refine((p) => (p.action === 'form' ? p.url !== undefined : p.action === 'setting' || p.url === undefined), {
    message: 'A platform of action "form" needs a url; a "limit" has none.',
    path: ['url'],
  });
export type Platform = z.infer<typeof Platform>;

const localized = new WeakMap<Platform, Map<Locale, Platform>>();

/**
 * The platform with its words in `locale` (English where a translation is missing); links, action
 * and sources stay. Cached per platform object, since every page and email asks for it.
 *
 * @example
 * platformIn(facebook, 'de').steps[0] // "Öffne, bei Facebook angemeldet, …"
 */
export function platformIn(platform: Platform, locale: Locale): Platform {
  const words = platform.translations[locale];
  if (locale === DEFAULT_LOCALE || !words) return platform;
  let byLocale = localized.get(platform);
  if (!byLocale) localized.set(platform, (byLocale = new Map()));
  const cached = byLocale.get(locale);
  if (cached) return cached;
  const { note: _englishNote, ...facts } = platform;
  const result: Platform = { ...facts, ...words, name: words.name ?? platform.name };
  byLocale.set(locale, result);
  return result;
}

/**
 * The given platforms in form order, grouped by company; companies left empty are dropped.
 *
 * @example
 * groupByCompany(['gemini', 'x', 'google']) // [['google', ['google', 'gemini']], ['x', ['x']]]
 */
export function groupByCompany(platforms: Iterable<PlatformId>, catalog: readonly Pick<Platform, 'id' | 'company'>[]): Array<[Company, PlatformId[]]> {
  const wanted = new Set(platforms);
  const companyOf = new Map(catalog.map((p) => [p.id, p.company]));
  return Company.options
    .map((company): [Company, PlatformId[]] => [company, PlatformId.options.filter((id) => wanted.has(id) && companyOf.get(id) === company)])
    .filter(([, ids]) => ids.length > 0);
}

/** The platforms in the order the form lists them: by company, then as PlatformId lists them. */
export function inFormOrder(platforms: Iterable<PlatformId>, catalog: readonly Pick<Platform, 'id' | 'company'>[]): PlatformId[] {
  return groupByCompany(platforms, catalog).flatMap(([, ids]) => ids);
}
