import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import * as z from 'zod';
import type { Config } from '../../config.js';
import type { Campaign } from '../../domain/campaign.js';
import { ADMIN_COOKIE, ADMIN_SESSION_HOURS, isAdminToken, signAdminSession, verifyAdminSession } from '../../domain/admin-session.js';
import { DomainError } from '../../domain/errors.js';
import { MailJob } from '../../domain/mail-job.js';
import { audienceOf, NewsletterRequest, type NewsletterIssue } from '../../domain/newsletter.js';
import { sendOptionsFrom, type NewsletterSender, type NewsletterSummary } from '../../newsletter.js';
import type { LaunchNewsletter } from '../../newsletter-launch.js';
import type { MailJobs } from '../../store/mail-jobs.js';
import type { StatsStore } from '../../store/stats-store.js';
import { AdminDashboardPage, type AdminStats } from '../pages/admin-dashboard.js';
import { AdminLoginPage } from '../pages/admin-login.js';
import { readBody, wantsJson } from '../respond.js';

export interface AdminDeps {
  config: Pick<Config, 'ADMIN_TOKEN' | 'NEWSLETTER_RATE_PER_SECOND' | 'CLAIM_LEASE_SECONDS'>;
  campaigns: readonly Campaign[];
  stats: StatsStore;
  newsletters: NewsletterSender;
  /** The issues built from templates/newsletters/, by id. */
  issues: readonly NewsletterIssue[];
  /** Where a real send runs when it may outlast the request (the newsletter Lambda); unset, it runs in the request. */
  launchNewsletter?: LaunchNewsletter | undefined;
  /** The mail jobs parked as failed, to list and retry; unset, those routes answer 503. */
  mailJobs?: Pick<MailJobs, 'listFailed' | 'retryFailed'> | undefined;
}

const RetryRequest = z.object({ jobId: MailJob.shape.jobId });

/** Sessions run on real time, not the app's clock (which `npm run dev -- --now` may move). */
const realNow = () => new Date();

/** A bearer token (scripts) or the session cookie (the browser); each compared in constant time. */
function isSignedIn(c: Context, adminToken: string): boolean {
  const header = c.req.header('authorization') ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (bearer !== undefined) return isAdminToken(adminToken, bearer);
  return verifyAdminSession(adminToken, getCookie(c, ADMIN_COOKIE), realNow());
}

/**
 * The operator's routes under /admin: sign-in, the numbers (page and JSON) and newsletters. Every
 * route but the sign-in POST refuses without the token or a session; GET /admin then shows the
 * sign-in form, with 401.
 */
export function adminRoutes(deps: AdminDeps): Hono {
  const app = new Hono();
  const { config } = deps;

  app.post('/admin/login', async (c) => {
    const body = await readBody(c);
    const token = typeof body.token === 'string' ? body.token : '';
    if (!isAdminToken(config.ADMIN_TOKEN, token)) {
      return c.html(<AdminLoginPage error="That is not the admin token." />, 401);
    }
    setCookie(c, ADMIN_COOKIE, signAdminSession(config.ADMIN_TOKEN, realNow()), {
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
      path: '/',
      maxAge: ADMIN_SESSION_HOURS * 3600,
    });
    return c.redirect('/admin', 303);
  });

  const requireAdmin: MiddlewareHandler = async (c, next) => {
    if (isSignedIn(c, config.ADMIN_TOKEN)) return next();
    c.header('WWW-Authenticate', 'Bearer realm="optout-countdown admin"');
    if (c.req.method === 'GET' && c.req.path === '/admin' && !wantsJson(c)) return c.html(<AdminLoginPage />, 401);
    return c.json({ code: 'unauthorized', message: 'Sign in at /admin, or send Authorization: Bearer <ADMIN_TOKEN>.' }, 401);
  };
  app.use('/admin', requireAdmin);
  app.use('/admin/*', requireAdmin);

  const readStats = async (): Promise<AdminStats> => {
    const entries = await Promise.all(deps.campaigns.map(async (campaign) => [campaign.id, await deps.stats.campaignStats(campaign.id)] as const));
    return { campaigns: Object.fromEntries(entries), feedback: await deps.stats.feedbackStats() };
  };

  app.get('/admin', async (c) => c.html(<AdminDashboardPage campaigns={deps.campaigns} stats={await readStats()} issues={deps.issues} />));
  app.get('/admin/stats', async (c) => c.json(await readStats()));

  app.post('/admin/logout', (c) => {
    deleteCookie(c, ADMIN_COOKIE, { path: '/', secure: true });
    return c.redirect('/admin', 303);
  });

  // Mail jobs that failed every attempt: listed, and sent again on the operator's word.
  app.get('/admin/mail-jobs/failed', async (c) => {
    if (!deps.mailJobs) throw new DomainError('unavailable', 'mail_pipeline_unavailable', 'The mail pipeline is not wired here.');
    return c.json({ jobs: await deps.mailJobs.listFailed() });
  });
  app.post('/admin/mail-jobs/retry', async (c) => {
    if (!deps.mailJobs) throw new DomainError('unavailable', 'mail_pipeline_unavailable', 'The mail pipeline is not wired here.');
    const { jobId } = RetryRequest.parse(await readBody(c));
    if (!(await deps.mailJobs.retryFailed(jobId, realNow()))) throw new DomainError('not_found', 'mail_job_not_parked', 'No parked mail job has that id.');
    return c.json({ jobId, status: 'queued' });
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
          result = await deps.newsletters.send(issue, segment, { ...sendOptionsFrom(config), dryRun });
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
    return c.html(
      <AdminDashboardPage campaigns={deps.campaigns} stats={await readStats()} issues={deps.issues} result={result} error={error} />,
      error !== undefined ? 400 : 200,
    );
  });

  return app;
}
