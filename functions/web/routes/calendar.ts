import { Hono, type Context } from 'hono';
import type { Clock } from '../../clock.js';
import { calendarFile, type CalendarCampaign } from '../../domain/calendar.js';
import type { Campaign } from '../../domain/campaign.js';
import { pathIn, type Locale } from '../../domain/locale.js';
import { textFor } from '../../locales/index.js';
import { pageLanguage } from '../respond.js';

export interface CalendarDeps {
  campaigns: readonly Campaign[];
  clock: Clock;
  publicUrl: string;
}

/**
 * The UID of a deadline event: the same inputs give the same UID, so a calendar that imports the
 * file again updates its event. `scope` is the campaign for the public feed, or a stable
 * per-(person, campaign) id for a personal file; it must not contain personal data.
 *
 * @example
 * calendarUid('meta-ai-2025', 'https://optout-countdown.org') // 'deadline-meta-ai-2025@optout-countdown.org'
 */
export function calendarUid(scope: string, publicUrl: string): string {
  return `deadline-${scope}@${new URL(publicUrl).hostname}`;
}

/** The SEQUENCE of a campaign's event: its deadline's revision where campaigns carry one, else 0. */
export function calendarSequence(campaign: CalendarCampaign): number {
  const deadline = campaign.deadline;
  return deadline && 'revision' in deadline && typeof deadline.revision === 'number' ? deadline.revision : 0;
}

/**
 * Answers with a campaign's deadline as a text/calendar download. For the per-person route: pass
 * the person's zone, language, a UID from `calendarUid(<stable person-campaign id>, …)` and the
 * campaign's public page (no link with a token: calendars get synced and shared).
 *
 * @example
 * return calendarResponse(c, { campaign, timeZone, locale, uid, sequence: calendarSequence(campaign), link, now: clock() });
 */
export function calendarResponse(
  c: Context,
  request: { campaign: CalendarCampaign; timeZone: string; locale: Locale; uid: string; sequence: number; link: string; now: Date; cache?: 'public' | 'private' },
): Response {
  const text = textFor(request.locale);
  const body = calendarFile({ ...request, words: { ...text.calendar, intlLocale: text.intlLocale } });
  return c.body(body, 200, {
    'Content-Type': 'text/calendar; charset=utf-8',
    'Content-Disposition': `attachment; filename="${request.campaign.id}-deadline.ics"`,
    // The public feed holds nothing personal; a personal file stays out of shared caches.
    'Cache-Control': request.cache === 'public' ? 'public, max-age=3600' : 'private, no-store',
  });
}

/** `GET /c/<campaign>.ics`: the public feed of a campaign's deadline, in the campaign's own zone. */
export function calendarRoutes(deps: CalendarDeps): Hono {
  const app = new Hono();
  app.get('/c/:file{[a-z0-9][a-z0-9-]{1,62}\\.ics}', (c) => {
    const id = c.req.param('file').replace(/\.ics$/, '');
    const campaign = deps.campaigns.find((item) => item.id === id);
    if (!campaign?.deadline) return c.notFound();
    const { locale } = pageLanguage(c);
    return calendarResponse(c, {
      campaign,
      timeZone: campaign.deadline.timeZone,
      locale,
      uid: calendarUid(campaign.id, deps.publicUrl),
      sequence: calendarSequence(campaign),
      link: `${deps.publicUrl}${pathIn(`/c/${campaign.id}`, locale)}`,
      now: deps.clock(),
      cache: 'public',
    });
  });
  return app;
}
