import * as z from 'zod';
import { DomainError } from './errors.js';
import { PlatformId } from './platform.js';
import { Locale } from './locale.js';
import type { Person } from './person.js';

/** An issue's id is its file name without `.mjml`: stable, so a re-run claims the same copies. */
export const IssueId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,79}$/, 'An issue id is lower-case letters, digits and dashes, e.g. 2025-05-deadline-moved.');

const Done = z.enum(['true', 'false', 'yes', 'no']).transform((value) => value === 'true' || value === 'yes');

/**
 * Who an issue goes to, beyond "uses a platform of this campaign". `platform` narrows to those who
 * use it; `done` then means that platform is marked done, or without a platform, every one of the
 * campaign's platforms they use is.
 */
export const Segment = z
  .object({
    platform: PlatformId.optional(),
    done: z.union([z.boolean(), Done]).optional(),
    locale: Locale.optional(),
  })
  .strict();
export type Segment = z.infer<typeof Segment>;

/**
 * `key=value` pairs, as on the command line (`--segment platform=instagram`) and in front matter
 * (`segment: platform=instagram, done=false`). Unknown keys and bad values are refused.
 *
 * @example
 * parseSegment(['platform=instagram', 'done=false']) // { platform: 'instagram', done: false }
 */
export function parseSegment(pairs: readonly string[]): Segment {
  const entries = pairs
    .flatMap((pair) => pair.split(','))
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) throw new DomainError('input', 'segment_invalid', `A segment is key=value pairs (platform, done, locale), not "${pair}".`);
      return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()] as const;
    });
  const parsed = Segment.safeParse(Object.fromEntries(entries));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message));
    throw new DomainError('input', 'segment_invalid', `Invalid segment: ${problems.join('; ')}`, { cause: parsed.error });
  }
  return parsed.data;
}

/** What an issue's front matter says: the subject, the campaign and language, and whom it is for. */
export const IssueMeta = z
  .object({
    subject: z.string().trim().min(3).max(150),
    campaign: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
    locale: Locale,
    segment: Segment,
    /** The preview line mail clients show beside the subject. */
    preview: z.string().trim().max(200).optional(),
  })
  .strict();
export type IssueMeta = z.infer<typeof IssueMeta>;

/** The front matter as written: the segment in the command line's `key=value` form. */
const FrontMatter = IssueMeta.extend({
  segment: z.string().default('').transform((value, ctx) => {
    try {
      return parseSegment([value]);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : 'Invalid segment.' });
      return z.NEVER;
    }
  }),
});

/**
 * Splits an issue's source into its front matter and its MJML body. The front matter is a block
 * of `key: value` lines between two `---` lines at the top of the file.
 *
 * @example
 * parseIssueSource('---\nsubject: Hi\ncampaign: meta-ai-2025\nlocale: en\n---\n<mj-section>…')
 */
export function parseIssueSource(source: string, file = 'issue'): { frontMatter: IssueMeta; body: string } {
  const match = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(source);
  if (!match) throw new DomainError('input', 'front_matter_missing', `${file}: starts with a front matter block between two "---" lines.`);
  const [, head = '', body = ''] = match;
  const fields: Record<string, string> = {};
  for (const [index, line] of head.split(/\r?\n/).entries()) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const field = /^([A-Za-z]+):\s*(.*)$/.exec(line);
    if (!field) throw new DomainError('input', 'front_matter_invalid', `${file}, front matter line ${index + 2}: expected "key: value".`);
    const [, key = '', value = ''] = field;
    if (key in fields) throw new DomainError('input', 'front_matter_invalid', `${file}: "${key}" is given twice.`);
    fields[key] = value.trim().replace(/^"(.*)"$/, '$1');
  }
  const parsed = FrontMatter.safeParse(fields);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'front matter'}: ${issue.message}`);
    throw new DomainError('input', 'front_matter_invalid', `${file}: ${problems.join('; ')}`, { cause: parsed.error });
  }
  if (body.trim() === '') throw new DomainError('input', 'issue_empty', `${file}: the issue has no body after its front matter.`);
  return { frontMatter: parsed.data, body };
}

/** A compiled issue, as the build writes it and the sender reads it. */
export const NewsletterIssue = z.object({
  id: IssueId,
  frontMatter: IssueMeta,
  subject: z.string().min(1),
  html: z.string().min(1),
  text: z.string().min(1),
});
export type NewsletterIssue = z.infer<typeof NewsletterIssue>;

/** The audience of one send: the campaign, and the segment narrowed to the issue's language. */
export interface Audience {
  campaignId: string;
  locale: Locale;
  platform?: PlatformId | undefined;
  done?: boolean | undefined;
}

/**
 * Combines an issue's own segment with the operator's (which wins key by key). An issue is
 * written in one language, so it only goes to subscribers who read that language.
 */
export function audienceOf(issue: Pick<NewsletterIssue, 'frontMatter'>, override: Segment = {}): Audience {
  const segment = { ...issue.frontMatter.segment, ...override };
  if (segment.locale !== undefined && segment.locale !== issue.frontMatter.locale) {
    throw new DomainError('input', 'segment_locale', `This issue is written in "${issue.frontMatter.locale}"; it cannot go to readers of "${segment.locale}".`);
  }
  return { campaignId: issue.frontMatter.campaign, locale: issue.frontMatter.locale, platform: segment.platform, done: segment.done };
}

/**
 * Whether a person gets the issue: active (not pending, gone, unsubscribed or suppressed), using a
 * platform of the issue's campaign, reading the issue's language, and matching platform and
 * "done" (without a platform: every one of the campaign's platforms they use is done, or not).
 */
export function isInAudience(person: Pick<Person, 'status' | 'locale' | 'platforms'>, campaignPlatforms: readonly PlatformId[], audience: Audience): boolean {
  if (person.status !== 'active' || person.locale !== audience.locale) return false;
  const theirs = person.platforms.filter((p) => p.state === 'active' && campaignPlatforms.includes(p.id));
  if (theirs.length === 0) return false;
  if (audience.platform) {
    const entry = theirs.find((p) => p.id === audience.platform);
    if (!entry) return false;
    return audience.done === undefined || (entry.doneAt !== undefined) === audience.done;
  }
  return audience.done === undefined || theirs.every((p) => p.doneAt !== undefined) === audience.done;
}

/** The audience in words, for the command's output and the admin page (no personal data). */
export function describeAudience(audience: Audience): string {
  const parts = [`campaign ${audience.campaignId}`, `locale ${audience.locale}`];
  if (audience.platform) parts.push(`platform ${audience.platform}`);
  if (audience.done !== undefined) parts.push(audience.done ? 'done' : 'not done');
  return parts.join(', ');
}

/**
 * The operator's request to send an issue, as JSON (`{"issue": "...", "segment": {"platform":
 * "instagram"}, "dryRun": true}`) or from the admin page's form (segment as `key=value` text).
 */
export const NewsletterRequest = z
  .object({
    issue: IssueId,
    segment: z
      .union([Segment, z.string().max(200)])
      .optional()
      .transform((segment, ctx) => {
        if (typeof segment !== 'string') return segment ?? {};
        try {
          return parseSegment([segment]);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : 'Invalid segment.' });
          return z.NEVER;
        }
      }),
    dryRun: z
      .union([z.boolean(), z.enum(['on', 'true', '1', 'false', '0'])])
      .optional()
      .transform((value) => value === true || value === 'on' || value === 'true' || value === '1'),
  })
  .strict();
export type NewsletterRequest = z.infer<typeof NewsletterRequest>;

/** What the newsletter Lambda is invoked with: a request whose issue is known to exist. */
export const NewsletterJob = z.object({ issueId: IssueId, segment: Segment, dryRun: z.boolean() }).strict();
export type NewsletterJob = z.infer<typeof NewsletterJob>;
