import { randomBytes } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Clock } from '../../clock.js';
import * as z from 'zod';
import type { Config } from '../../config.js';
import type { Campaign } from '../../domain/campaign.js';
import {
  ADMIN_COOKIE,
  ADMIN_SESSION_HOURS,
  adminSessionCookie,
  isAdminToken,
  sessionIdFromCookie,
  sessionKeyOf,
  SIGN_IN_RULES,
} from '../../domain/admin-session.js';
import { DomainError } from '../../domain/errors.js';
import type { RateRule } from '../../domain/rate-limit.js';
import { audienceOf, NewsletterRequest, type NewsletterIssue } from '../../domain/newsletter.js';
import type { Platform } from '../../domain/platform.js';
import { hashClientIp } from '../../domain/token.js';
import type { FailedMailSource } from '../../failed-mail.js';
import type { NewsletterSender, NewsletterSummary } from '../../app/newsletter-send.js';
import type { LaunchNewsletter } from '../../newsletter-launch.js';
import type { AdminStore } from '../../store/admin-store.js';
import type { RateLimits, RateScope } from '../../store/rate-limits.js';
import type { LinkCheckStore } from '../../store/link-check-store.js';
import type { StatsStore } from '../../store/stats-store.js';
import { AdminDashboardPage, type AdminStats } from '../pages/admin-dashboard.js';
import { AdminLoginPage } from '../pages/admin-login.js';
import { readBody, wantsJson } from '../respond.js';

/** The scope of the sign-in limit shared by every client. */
const EVERYONE = '_all';

/** The operator's word to send a parked mail job again. */
const RetryRequest = z.object({ id: z.string().min(1).max(400) });

export interface AdminDeps {
  config: Pick<Config, 'ADMIN_TOKEN' | 'SIGNING_SECRET' | 'PRIVACY_GRACE_DAYS'>;
  campaigns: readonly Campaign[];
  stats: StatsStore;
  /** The platform catalog, for the numbers per platform. */
  platforms: readonly Platform[];
  adminStore: AdminStore;
  /** The rate limits, for failed sign-ins. */
  limits: Pick<RateLimits, 'take' | 'giveBack'>;
  newsletters: NewsletterSender;
  /** The issues built from templates/newsletters/, by id. */
  issues: readonly NewsletterIssue[];
  /** Where a real send runs when it may outlast the request (the newsletter Lambda); unset, it runs in the request. */
  launchNewsletter?: LaunchNewsletter | undefined;
  failedMail: FailedMailSource;
  /** The latest check of each campaign link. */
  linkChecks: Pick<LinkCheckStore, 'latest'>;
  clientIp: (c: Context) => string;
  /** The app's clock: "today" on the charts, `npm run dev -- --now` included. */
  clock: Clock;
  /** Real time for sessions and sign-in windows, which `--now` must not move. */
  securityClock: Clock;
  /** The mail jobs parked as failed, to list and retry; unset, those routes answer 503. */
}

/**
 * The operator's routes under /admin: sign-in, the numbers (page and JSON), failed emails and
 * newsletters. Every route but the sign-in POST refuses without the token or a live session;
 * GET /admin then shows the sign-in form, with 401. Failed guesses, by form or by Bearer header,
 * are limited per client and overall; a correct Bearer token is never held up. A POST from another
 * site never gets here: the app's one cross-site check (web/cross-site.ts) refuses it first.
 */
export function adminRoutes(deps: AdminDeps): Hono {
  const app = new Hono();
  const { config, adminStore } = deps;

  /** The sign-in limits a client's guess counts against: its own, and everyone's together. */
  const guessLimits = (c: Context): { client: RateScope; rule: RateRule }[] => [
    { client: { name: 'admin-sign-in', scope: hashClientIp(config.SIGNING_SECRET, deps.clientIp(c)) }, rule: SIGN_IN_RULES.perClient },
    { client: { name: 'admin-sign-in', scope: EVERYONE }, rule: SIGN_IN_RULES.overall },
  ];

  /** Takes one guess from the limits; a refusal answers 429 with the wait. */
  const limitGuess = async (c: Context): Promise<Response | undefined> => {
    const outcome = await deps.limits.take(guessLimits(c), deps.securityClock());
    if (outcome.allowed) return undefined;
    const wait = outcome.retryAfterSeconds;
    c.header('Retry-After', String(wait));
    if (wantsJson(c) || c.req.path !== '/admin/login') return c.json({ code: 'too_many_sign_ins', message: `Too many failed sign-ins. Try again in ${wait} seconds.` }, 429);
    return c.html(<AdminLoginPage retryAfterSeconds={wait} />, 429);
  };

  app.post('/admin/login', async (c) => {
    const limited = await limitGuess(c);
    if (limited) return limited;
    const body = await readBody(c);
    const token = typeof body.token === 'string' ? body.token : '';
    if (!isAdminToken(config.ADMIN_TOKEN, token)) {
      return c.html(<AdminLoginPage error="That is not the admin token." />, 401);
    }
    const now = deps.securityClock();
    // A right token is not a failure: its attempt goes back.
    await Promise.all(guessLimits(c).map(({ client, rule }) => deps.limits.giveBack(client, rule)));
    const sessionId = randomBytes(32).toString('base64url');
    await adminStore.createSession(sessionKeyOf(sessionId), new Date(now.getTime() + ADMIN_SESSION_HOURS * 3_600_000));
    setCookie(c, ADMIN_COOKIE, adminSessionCookie(config.ADMIN_TOKEN, sessionId), {
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
      path: '/',
      maxAge: ADMIN_SESSION_HOURS * 3600,
    });
    return c.redirect('/admin', 303);
  });

  const requireAdmin: MiddlewareHandler = async (c, next) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (bearer !== undefined) {
      if (isAdminToken(config.ADMIN_TOKEN, bearer)) return next();
      // A wrong Bearer token is a guess like a wrong form entry.
      const limited = await limitGuess(c);
      if (limited) return limited;
    } else {
      const sessionId = sessionIdFromCookie(config.ADMIN_TOKEN, getCookie(c, ADMIN_COOKIE));
      if (sessionId !== undefined && (await adminStore.isSessionAlive(sessionKeyOf(sessionId), deps.securityClock()))) return next();
    }
    c.header('WWW-Authenticate', 'Bearer realm="optout-countdown admin"');
    if (c.req.method === 'GET' && c.req.path === '/admin' && !wantsJson(c)) return c.html(<AdminLoginPage />, 401);
    return c.json({ code: 'unauthorized', message: 'Sign in at /admin, or send Authorization: Bearer <ADMIN_TOKEN>.' }, 401);
  };
  app.use('/admin', requireAdmin);
  app.use('/admin/*', requireAdmin);

  const readStats = async (): Promise<AdminStats> => {
    const [people, platforms, feedback] = await Promise.all([deps.stats.peopleStats(), deps.stats.platformStats(), deps.stats.feedbackStats()]);
    return { people, platforms, feedback };
  };

  const dashboard = async (extra: { result?: NewsletterSummary | { started: string }; error?: string } = {}) => (
    <AdminDashboardPage
      campaigns={deps.campaigns}
      platforms={deps.platforms}
      stats={await readStats()}
      issues={deps.issues}
      today={deps.clock()}
      failedMail={await deps.failedMail.list()}
      linkChecks={await deps.linkChecks.latest()}
      {...extra}
    />
  );

  app.get('/admin', async (c) => c.html(await dashboard()));
  app.get('/admin/stats', async (c) => c.json(await readStats()));
  app.get('/admin/links', async (c) => c.json({ links: await deps.linkChecks.latest() }));

  app.post('/admin/logout', async (c) => {
    const sessionId = sessionIdFromCookie(config.ADMIN_TOKEN, getCookie(c, ADMIN_COOKIE));
    if (sessionId !== undefined) await adminStore.deleteSession(sessionKeyOf(sessionId));
    deleteCookie(c, ADMIN_COOKIE, { path: '/', secure: true });
    return c.redirect('/admin', 303);
  });

  // Emails that failed every attempt: listed, and sent again on the operator's word. The id goes
  // in the body: it names a person's job, and URLs end up in access logs.
  app.get('/admin/failed-mail', async (c) => c.json({ failed: await deps.failedMail.list() }));
  app.post('/admin/failed-mail/retry', async (c) => {
    const parsed = RetryRequest.safeParse(await readBody(c));
    if (!parsed.success) throw new DomainError('input', 'failed_mail_id_missing', 'Say which email to send again: the field "id".');
    await deps.failedMail.retry(parsed.data.id);
    return wantsJson(c) ? c.json({ id: parsed.data.id, status: 'queued' }, 202) : c.redirect('/admin', 303);
  });

  app.get('/admin/newsletters', (c) =>
    c.json({
      issues: deps.issues.map((issue) => ({ id: issue.id, ...issue.frontMatter })),
    }),
  );

  app.post('/admin/newsletters', async (c) => {
    const json = wantsJson(c);
    const parsed = NewsletterRequest.safeParse(await readBody(c));
    const issue = parsed.success ? deps.issues.find((item) => item.id === parsed.data.issue) : undefined;
    let result: NewsletterSummary | { started: string } | undefined;
    let error: string | undefined;
    if (!parsed.success) error = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
    else if (!issue) error = `There is no issue "${parsed.data.issue}". Built issues: ${deps.issues.map((item) => item.id).join(', ') || 'none'}.`;
    else {
      const { segment, dryRun } = parsed.data;
      try {
        if (!dryRun && deps.launchNewsletter) {
          // A segment the issue cannot take fails here, before anything is launched.
          audienceOf(issue, segment);
          await deps.launchNewsletter({ issueId: issue.id, segment, dryRun });
          result = { started: issue.id };
        } else {
          result = await deps.newsletters.send(issue, segment, { dryRun });
        }
      } catch (caught) {
        if (!(caught instanceof DomainError && caught.kind === 'input')) throw caught;
        error = caught.message;
      }
    }
    if (json) {
      if (error !== undefined) return c.json({ code: 'invalid_input', message: error }, 400);
      return c.json(result && 'started' in result ? { status: 'started', issueId: result.started } : { status: 'done', summary: result }, result && 'started' in result ? 202 : 200);
    }
    return c.html(await dashboard({ ...(result ? { result } : {}), ...(error !== undefined ? { error } : {}) }), error !== undefined ? 400 : 200);
  });

  return app;
}
