import { DEFAULT_LOCALE, Locale } from './locale.js';
import { Company, Platform, PlatformId } from './platform.js';

/** Where the platform files live, as the build and its messages name them. */
export const PLATFORMS_DIR = 'templates/platforms';

/** One file of templates/platforms/ as the build read it: its name and its parsed JSON. */
export interface PlatformFile {
  name: string;
  data: unknown;
}

/** One reason the build refuses the platform files, naming the file and the field. */
export interface PlatformProblem {
  file: string;
  field: string;
  message: string;
}

/** Anything that looks like a link in a guide's words, http or https, up to a space or closing mark. */
const LINK = /\bhttps?:\/\/[^\s"'<>()]+/gi;

/** `facebook.json` (facts and English words) or `facebook.de.json` (German words). */
const FILE_NAME = /^([a-z0-9-]+?)(?:\.([a-z]{2}))?\.json$/;

const pathOf = (name: string) => `${PLATFORMS_DIR}/${name}`;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every field of a platform's words a reader sees, with the file it comes from and its path there. */
function wordsOf(platform: Platform): Array<{ file: string; field: string; text: string }> {
  const words: Array<{ file: string; field: string; text: string }> = [];
  const collect = (file: string, text: { name?: string | undefined; today: string; steps: string[]; doneMeans: string; note?: string | undefined }) => {
    if (text.name) words.push({ file, field: 'name', text: text.name });
    words.push({ file, field: 'today', text: text.today });
    text.steps.forEach((step, i) => words.push({ file, field: `steps[${i}]`, text: step }));
    words.push({ file, field: 'doneMeans', text: text.doneMeans });
    if (text.note) words.push({ file, field: 'note', text: text.note });
  };
  collect(pathOf(`${platform.id}.json`), platform);
  for (const [locale, text] of Object.entries(platform.translations)) if (text) collect(pathOf(`${platform.id}.${locale}.json`), text);
  return words;
}

/** The link problems of one parsed platform: its url and every link in its words must be https, on a source's host. */
function linkProblems(platform: Platform): PlatformProblem[] {
  const problems: PlatformProblem[] = [];
  const hosts = new Set(platform.sources.map((s) => new URL(s.url).hostname));
  const check = (file: string, field: string, link: string) => {
    let url: URL;
    try {
      url = new URL(link.replace(/[.,;:!?]+$/, ''));
    } catch {
      problems.push({ file, field, message: `has a link that is not a URL: ${link}` });
      return;
    }
    if (url.protocol !== 'https:') problems.push({ file, field, message: `links to ${url.href}, which is not https` });
    else if (!hosts.has(url.hostname)) problems.push({ file, field, message: `links to ${url.hostname}, which none of its sources is on (${[...hosts].join(', ')})` });
  };
  if (platform.url) check(pathOf(`${platform.id}.json`), 'url', platform.url);
  for (const { file, field, text } of wordsOf(platform)) for (const link of text.match(LINK) ?? []) check(file, field, link);
  const seen = new Set<string>();
  platform.sources.forEach((source, i) => {
    if (seen.has(source.url)) problems.push({ file: pathOf(`${platform.id}.json`), field: `sources[${i}].url`, message: `lists ${source.url} twice` });
    seen.add(source.url);
  });
  return problems;
}

/** zod's refusals of one platform, each told against the file it comes from (a translation's own file). */
function schemaProblems(id: string, issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): PlatformProblem[] {
  return issues.map((issue) => {
    const [first, locale, ...rest] = issue.path;
    const inTranslation = first === 'translations' && typeof locale === 'string';
    const path = inTranslation ? rest : issue.path;
    const field = path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '') || '(file)';
    return { file: pathOf(inTranslation ? `${id}.${locale}.json` : `${id}.json`), field, message: issue.message };
  });
}

/**
 * Reads the platform catalog from the files of templates/platforms/ (`<id>.json` with the facts and
 * the English words, `<id>.<locale>.json` with another language's words) and says why it must not
 * ship: a file for an id the service does not know, or in a language it does not have; a platform
 * without its file, or without its words in a language; a field zod refuses; a link (the url, or
 * one in the words) that is not https or not on one of the platform's sources' hosts, so every link
 * a reader is sent to has been looked at when the facts were checked; two platforms of one name;
 * a company that no platform belongs to (a mistyped company leaves its real one empty).
 * The platforms come back in PlatformId order, each with its translations, ready to be written out.
 *
 * @example
 * readPlatformCatalog([{ name: 'facebook.json', data: { ...facebook, url: 'http://facebook.com/' } }, ...]).problems
 * // [{ file: 'templates/platforms/facebook.json', field: 'url', message: 'links to http://facebook.com/, which is not https' }]
 */
export function readPlatformCatalog(files: readonly PlatformFile[]): { platforms: Record<string, unknown>[]; problems: PlatformProblem[] } {
  const problems: PlatformProblem[] = [];
  const english = new Map<PlatformId, Record<string, unknown>>();
  const translations = new Map<PlatformId, Partial<Record<Locale, unknown>>>();
  for (const { name, data } of files) {
    const match = FILE_NAME.exec(name);
    const id = PlatformId.safeParse(match?.[1]);
    const locale = match?.[2];
    if (!match) problems.push({ file: pathOf(name), field: '(file)', message: 'is not named <id>.json or <id>.<locale>.json' });
    else if (!id.success) problems.push({ file: pathOf(name), field: '(file)', message: `names no platform the service knows (${PlatformId.options.join(', ')})` });
    else if (locale === undefined) {
      if (!isRecord(data)) problems.push({ file: pathOf(name), field: '(file)', message: 'is not a JSON object' });
      else if (data.translations !== undefined) problems.push({ file: pathOf(name), field: 'translations', message: `comes from the files ${id.data}.<locale>.json, not from this one` });
      else english.set(id.data, data);
    } else {
      const known = Locale.safeParse(locale);
      if (!known.success || known.data === DEFAULT_LOCALE) problems.push({ file: pathOf(name), field: '(file)', message: `is in a language the guides are not translated into (${Locale.options.filter((l) => l !== DEFAULT_LOCALE).join(', ')})` });
      else translations.set(id.data, { ...translations.get(id.data), [known.data]: data });
    }
  }

  const platforms: Record<string, unknown>[] = [];
  const parsed: Platform[] = [];
  for (const id of PlatformId.options) {
    const data = english.get(id);
    if (!data) {
      if (!problems.some((p) => p.file === pathOf(`${id}.json`))) problems.push({ file: pathOf(`${id}.json`), field: '(file)', message: `is missing: every platform the service offers needs one` });
      continue;
    }
    const words = translations.get(id) ?? {};
    for (const locale of Locale.options) {
      if (locale !== DEFAULT_LOCALE && words[locale] === undefined) problems.push({ file: pathOf(`${id}.${locale}.json`), field: '(file)', message: `is missing: every platform needs its words in ${locale}` });
    }
    if (data.id !== id) problems.push({ file: pathOf(`${id}.json`), field: 'id', message: `says ${JSON.stringify(data.id)}, but the file is named ${id}.json` });
    const source = { ...data, translations: words };
    platforms.push(source);
    const result = Platform.safeParse(source);
    if (result.success) {
      parsed.push(result.data);
      problems.push(...linkProblems(result.data));
    } else problems.push(...schemaProblems(id, result.error.issues));
  }

  // Catalog-wide sense, once every platform parsed: the form lists them by company and by name.
  if (parsed.length === PlatformId.options.length) {
    for (const company of Company.options) {
      if (!parsed.some((p) => p.company === company)) problems.push({ file: PLATFORMS_DIR, field: 'company', message: `no platform belongs to ${company}: check the company of each platform` });
    }
    for (const locale of Locale.options) {
      const byName = new Map<string, PlatformId>();
      for (const platform of parsed) {
        const name = locale === DEFAULT_LOCALE ? platform.name : (platform.translations[locale]?.name ?? platform.name);
        const other = byName.get(name.toLowerCase());
        const file = pathOf(locale === DEFAULT_LOCALE ? `${platform.id}.json` : `${platform.id}.${locale}.json`);
        if (other) problems.push({ file, field: 'name', message: `is ${JSON.stringify(name)}, as ${other}'s is: the form would show two platforms of one name` });
        byName.set(name.toLowerCase(), platform.id);
      }
    }
  }
  return { platforms, problems };
}
