import { describe, expect, it } from 'vitest';
import { adminSessionCookie, isAdminToken, sessionIdFromCookie, sessionKeyOf } from '../../functions/domain/admin-session.js';
import { DomainError } from '../../functions/domain/errors.js';
import { audienceOf, isInAudience, NewsletterRequest, parseIssueSource, parseSegment, type Audience } from '../../functions/domain/newsletter.js';
import type { PlatformId } from '../../functions/domain/platform.js';
import type { NewsletterProgress } from '../../functions/app/newsletter-send.js';
import type { Person, PersonPlatform } from '../../functions/domain/person.js';
import { formatDuration, formatProgress, progressReporter } from '../../scripts/newsletter-progress.js';

const source = (head: string, body = '<mj-section><mj-column><mj-text>Hi</mj-text></mj-column></mj-section>') => `---\n${head}\n---\n${body}\n`;

describe('issue front matter', () => {
  it('parses subject, campaign, locale, segment and preview, leaving the MJML body', () => {
    const { frontMatter, body } = parseIssueSource(
      source('# a comment\nsubject: "Deadline moved"\ncampaign: meta-ai-2025\nlocale: en\nsegment: platform=instagram, done=no\npreview: Short'),
    );
    expect(frontMatter).toEqual({ subject: 'Deadline moved', campaign: 'meta-ai-2025', locale: 'en', segment: { platform: 'instagram', done: false }, preview: 'Short' });
    expect(body).toContain('<mj-section>');
  });

  it.each([
    ['no front matter', '<mj-section/>', /front matter block/],
    ['a missing subject', source('campaign: meta-ai-2025\nlocale: en'), /subject/],
    ['an unknown key', source('subject: Hello\ncampaign: meta-ai-2025\nlocale: en\nsender: me'), /sender|Unrecognized/i],
    ['an unknown locale', source('subject: Hello\ncampaign: meta-ai-2025\nlocale: tlh'), /locale/],
    ['a bad segment', source('subject: Hello\ncampaign: meta-ai-2025\nlocale: en\nsegment: platform=myspace'), /platform/],
    ['a key given twice', source('subject: Hello\nsubject: Again\ncampaign: meta-ai-2025\nlocale: en'), /twice/],
    ['an empty body', source('subject: Hello\ncampaign: meta-ai-2025\nlocale: en', ''), /no body/],
  ])('refuses %s with an input error that names it', (_name, text, message) => {
    expect(() => parseIssueSource(text, 'x.mjml')).toThrow(message);
    expect(() => parseIssueSource(text, 'x.mjml')).toThrow(DomainError);
  });
});

describe('segments', () => {
  it('parses key=value pairs from several arguments or one comma list', () => {
    expect(parseSegment(['platform=whatsapp', 'done=true'])).toEqual({ platform: 'whatsapp', done: true });
    expect(parseSegment(['platform=threads, locale=en'])).toEqual({ platform: 'threads', locale: 'en' });
    expect(parseSegment([])).toEqual({});
    expect(() => parseSegment(['platform'])).toThrow(/key=value/);
    expect(() => parseSegment(['done=maybe'])).toThrow(/done/);
  });

  it('lets the operator override the issue key by key, but not send it in another language', () => {
    const issue = { frontMatter: { subject: 'S', campaign: 'meta-ai-2025', locale: 'en' as const, segment: { platform: 'facebook' as const, done: false } } };
    expect(audienceOf(issue, { platform: 'instagram' })).toEqual({ campaignId: 'meta-ai-2025', locale: 'en', platform: 'instagram', done: false });
    expect(() => audienceOf(issue, { locale: 'xx' as 'en' })).toThrow(/cannot go to readers/);
  });

  it('takes the admin form and JSON alike', () => {
    expect(NewsletterRequest.parse({ issue: 'a-b', segment: 'platform=facebook', dryRun: 'on' })).toEqual({ issue: 'a-b', segment: { platform: 'facebook' }, dryRun: true });
    expect(NewsletterRequest.parse({ issue: 'a-b', segment: { done: true } })).toEqual({ issue: 'a-b', segment: { done: true }, dryRun: false });
    expect(NewsletterRequest.safeParse({ issue: '../etc', dryRun: true }).success).toBe(false);
    expect(NewsletterRequest.safeParse({ issue: 'a-b', extra: 1 }).success).toBe(false);
  });
});

describe('who is in the audience', () => {
  const META: PlatformId[] = ['facebook', 'instagram', 'whatsapp', 'threads'];
  type Reader = Pick<Person, 'status' | 'locale' | 'platforms'>;
  const entry = (id: PlatformId, more: Partial<PersonPlatform> = {}): PersonPlatform => ({ id, state: 'active', askedAt: '2025-05-10T10:00:00Z', addedAt: '2025-05-10T10:05:00Z', ...more });
  const person = (overrides: Partial<Reader> = {}): Reader => ({
    status: 'active',
    locale: 'en',
    platforms: [entry('facebook', { doneAt: '2025-05-12T10:00:00Z' }), entry('instagram'), entry('linkedin', { doneAt: '2025-05-12T10:00:00Z' })],
    ...overrides,
  });
  const audience = (platform?: PlatformId, done?: boolean): Audience => ({ campaignId: 'meta-ai-2025', locale: 'en', platform, done });

  it.each([
    ['everyone active with a platform of the campaign', person(), audience(), true],
    ['not one whose platforms are all another campaign\'s', person({ platforms: [entry('linkedin')] }), audience(), false],
    ['not one whose platform of the campaign still waits for confirmation', person({ platforms: [entry('instagram', { state: 'pending' }), entry('linkedin')] }), audience(), false],
    ['not a person not yet confirmed', person({ status: 'pending' }), audience(), false],
    ['not the suppressed', person({ status: 'suppressed' }), audience(), false],
    ['not the unsubscribed', person({ status: 'unsubscribed' }), audience(), false],
    ['not another language', person({ locale: 'de' }), audience(), false],
    ['who picked the platform', person(), audience('instagram'), true],
    ['not who did not pick it', person(), audience('whatsapp'), false],
    ['not who picked it outside the campaign', person(), audience('linkedin'), false],
    ['done on that platform', person(), audience('facebook', true), true],
    ['not done on that platform', person(), audience('instagram', false), true],
    ['not "not done" when done there', person(), audience('facebook', false), false],
    ['"not done" overall while one of the campaign\'s is left', person(), audience(undefined, false), true],
    ['"done" overall only when all of the campaign\'s are', person(), audience(undefined, true), false],
    ['"done" overall when all of the campaign\'s are, whatever is left elsewhere', person({ platforms: [entry('facebook', { doneAt: 'x' }), entry('instagram', { doneAt: 'y' }), entry('linkedin')] }), audience(undefined, true), true],
  ])('%s', (_name, reader, who, expected) => {
    expect(isInAudience(reader, META, who)).toBe(expected);
  });
});

describe('the progress line', () => {
  const progress = (overrides: Partial<NewsletterProgress>): NewsletterProgress => ({ total: 100, handled: 0, queued: 0, alreadyQueued: 0, failed: 0, toSend: 0, elapsedMs: 0, ...overrides });

  it('shows a bar, counts, the rate jobs are written at and the time left', () => {
    expect(formatProgress(progress({ handled: 40, queued: 35, alreadyQueued: 5, elapsedMs: 2500 }), { bar: true, width: 10 })).toBe(
      '[####------]  40%  40/100 · queued 35 · queued before 5 · failed 0 · 14.0/s · ETA 0:04',
    );
    expect(formatProgress(progress({}), { bar: false })).toBe('  0%  0/100 · queued 0 · queued before 0 · failed 0 · 0.0/s · ETA –');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
    expect(formatProgress(progress({ handled: 100, toSend: 90, alreadyQueued: 10, elapsedMs: 1000 }), { bar: false })).toBe(
      '100%  100/100 · to send 90 · queued 0 · queued before 10 · failed 0 · 0.0/s · ETA 0:00',
    );
  });

  it('redraws one line on a terminal, and prints a plain line per tenth (or every few seconds) elsewhere', () => {
    const lines: string[] = [];
    let clock = 0;
    const plain = progressReporter({ write: (text) => lines.push(text), isTTY: false }, { realClock: () => clock });
    for (let handled = 0; handled <= 100; handled++) {
      clock += 10;
      plain(progress({ handled, queued: handled, elapsedMs: clock }));
    }
    expect(lines).toHaveLength(11);
    expect(lines.every((line) => line.startsWith('newsletter: ') && line.endsWith('\n') && !line.includes('\r'))).toBe(true);
    expect(lines.at(-1)).toContain('100%  100/100');

    const drawn: string[] = [];
    clock = 0;
    const tty = progressReporter({ write: (text) => drawn.push(text), isTTY: true }, { realClock: () => clock });
    for (let handled = 0; handled <= 100; handled++) {
      clock += 50;
      tty(progress({ handled, queued: handled, elapsedMs: clock }));
    }
    expect(drawn.every((frame) => frame.startsWith('\r['))).toBe(true);
    expect(drawn.length).toBeLessThan(60);
    expect(drawn.at(-1)).toMatch(/100%.*\n$/);
  });
});

describe('the admin session', () => {
  const token = 'admin-token-0123456789abcdef';

  it('is a session id with an HMAC keyed by the token, not the token, and only that token reads it back', () => {
    const sessionId = 'q'.repeat(43);
    const value = adminSessionCookie(token, sessionId);
    expect(value).not.toContain(token);
    expect(sessionIdFromCookie(token, value)).toBe(sessionId);
    expect(sessionIdFromCookie('another-token-0123456789ab', value)).toBeUndefined();
    expect(sessionIdFromCookie(token, value.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).toBeUndefined();
    expect(sessionIdFromCookie(token, `r${value.slice(1)}`)).toBeUndefined();
    expect(sessionIdFromCookie(token, undefined)).toBeUndefined();
    // The table keys sessions by a hash: its items are no cookies.
    expect(sessionKeyOf(sessionId)).not.toContain(sessionId);
    expect(isAdminToken(token, token)).toBe(true);
    expect(isAdminToken(token, `${token}x`)).toBe(false);
    expect(isAdminToken(token, '')).toBe(false);
  });
});
