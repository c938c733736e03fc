import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { ZodError } from 'zod';
import type { Config } from '../config.js';
import { campaignsByDeadline, type Campaign } from '../domain/campaign.js';
import { supportedLocale } from '../domain/locale.js';
import { DomainError, type DomainErrorKind } from '../domain/errors.js';
import type { NewsletterIssue } from '../domain/newsletter.js';
import { PENDING_LIFETIME_DAYS } from '../domain/subscriber.js';
import type { NewsletterSender } from '../newsletter.js';
import { newsletterIssues } from '../newsletter-issues.js';
import type { LaunchNewsletter } from '../newsletter-launch.js';
import type { MailJobs } from '../store/mail-jobs.js';
import type { StatsStore } from '../store/stats-store.js';
import type { Subscriptions } from '../subscriptions.js';
import { siteCss, timeZoneScriptHash } from './assets.js';
import { wordFieldErrors } from '../locales/index.js';
import { ErrorPage } from './pages/link-pages.js';
import { PrivacyPage } from './pages/privacy-page.js';
import { CheckInboxPage, SignupPage } from './pages/signup-page.js';
import { languageOf, pageLanguage, readBody, wantsJson } from './respond.js';
import { linkRoutes } from './routes/links.js';
import { adminRoutes } from './routes/admin.js';

export interface AppDeps {
  subscriptions: Subscriptions;
  campaigns: readonly Campaign[];
  config: Pick<
    Config,
    'ADMIN_TOKEN' | 'MAX_BODY_BYTES' | 'PUBLIC_URL' | 'SIGNUP_MIN_RESPONSE_MS' | 'NEWSLETTER_RATE_PER_SECOND' | 'CLAIM_LEASE_SECONDS' | 'PRIVACY_GRACE_DAYS'
  >;
  stats: StatsStore;
  newsletters: NewsletterSender;
  /** Newsletter issues by id; the ones built from templates/newsletters/ unless given. */
  issues?: readonly NewsletterIssue[];
  launchNewsletter?: LaunchNewsletter;
  /** The mail jobs parked as failed, for /admin/mail-jobs (the mail pipeline, issue 13). */
  mailJobs?: Pick<MailJobs, 'listFailed' | 'retryFailed'>;
  /** The client's address as the platform saw it (never a header a client can forge). */
  clientIp: (c: Context) => string;
}

const STATUS: Record<DomainErrorKind, 400 | 403 | 404 | 409 | 429 | 503> = {
  input: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

/** Real time, not the app's clock: this is about how long a person's request takes. */
async function waitUntilElapsed(startedAt: number, minimumMs: number): Promise<void> {
  const left = startedAt + minimumMs - Date.now();
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
}

/**
 * The HTTP app: sign-up form, email links, health and operator endpoints.
 *
 * @example
 * const app = createApp(deps); const res = await app.request('/health');
 */
export function createApp(deps: AppDeps): Hono {
  const { subscriptions, campaigns, config } = deps;
  const app = new Hono();

  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: [timeZoneScriptHash],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
      xFrameOptions: 'DENY',
    }),
  );
  // Link pages carry tokens in their path: never cache them anywhere.
  app.use(async (c, next) => {
    await next();
    if (!c.res.headers.has('cache-control')) c.header('Cache-Control', 'no-store');
  });
  app.use(
    '*',
    bodyLimit({
      maxSize: config.MAX_BODY_BYTES,
      onError: (c) => {
        if (wantsJson(c)) return c.json({ code: 'body_too_large', message: 'The request is too large.' }, 413);
        const language = pageLanguage(c);
        return c.html(<ErrorPage title={language.text.pages.tooLargeTitle} message={language.text.pages.tooLarge} {...language} />, 413);
      },
    }),
  );

  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/assets/site.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(siteCss, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });
  // Browsers ask for it on every page; answering 204 keeps their consoles and our logs quiet.
  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.get('/privacy', (c) =>
    c.html(<PrivacyPage pendingDays={PENDING_LIFETIME_DAYS} graceDays={config.PRIVACY_GRACE_DAYS} campaigns={campaigns} {...pageLanguage(c)} />),
  );

  // Every campaign, open ones first; `?campaign=` is the older way to ask for one.
  app.get('/', (c) => {
    const now = subscriptions.clock();
    const requested = campaigns.find((item) => item.id === c.req.query('campaign'));
    return c.html(<SignupPage campaigns={requested ? [requested] : campaignsByDeadline(campaigns, now)} now={now} path="/" {...pageLanguage(c)} />);
  });
  app.get('/c/:campaign', (c) => {
    const campaign = campaigns.find((item) => item.id === c.req.param('campaign'));
    if (!campaign) return c.notFound();
    return c.html(<SignupPage campaigns={[campaign]} now={subscriptions.clock()} path={`/c/${campaign.id}`} {...pageLanguage(c)} />);
  });

  app.post('/subscribe', async (c) => {
    const values = await readBody(c);
    const startedAt = Date.now();
    const outcome = await subscriptions.signUp(values, deps.clientIp(c)).finally(() => waitUntilElapsed(startedAt, config.SIGNUP_MIN_RESPONSE_MS));
    // The answer speaks the language picked on the form, else the browser's.
    const language = typeof values.locale === 'string' ? languageOf(supportedLocale(values.locale)) : pageLanguage(c);
    if (outcome.ok) {
      return wantsJson(c)
        ? c.json({ status: 'check_inbox', message: language.text.signup.checkInboxJson })
        : c.html(<CheckInboxPage pendingDays={PENDING_LIFETIME_DAYS} campaignCount={outcome.campaignCount} {...language} />);
    }
    if (wantsJson(c)) {
      return c.json({ code: 'invalid_input', message: 'Some fields need fixing.', fields: wordFieldErrors(outcome.fields, language.text) }, 400);
    }
    const now = subscriptions.clock();
    const shown = [outcome.values.campaign].flat().map((id) => campaigns.find((item) => item.id === id)).filter((item) => item !== undefined);
    const path = shown.length === 1 && shown[0] ? `/c/${shown[0].id}` : '/';
    return c.html(
      <SignupPage campaigns={shown.length ? shown : campaignsByDeadline(campaigns, now)} now={now} values={outcome.values} errors={outcome.fields} path={path} {...language} />,
      400,
    );
  });

  app.route('/', linkRoutes(subscriptions));

  app.route('/', adminRoutes({ ...deps, issues: deps.issues ?? newsletterIssues }));

  app.notFound((c) => {
    if (wantsJson(c)) return c.json({ code: 'not_found', message: 'There is nothing here.' }, 404);
    const language = pageLanguage(c);
    return c.html(<ErrorPage title={language.text.pages.notFoundTitle} message={language.text.pages.notFound} {...language} />, 404);
  });

  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    if (error instanceof DomainError) {
      const status = STATUS[error.kind];
      if (wantsJson(c)) return c.json({ code: error.code, message: error.message }, status);
      const language = pageLanguage(c);
      const { pages, errors } = language.text;
      const message = (errors as Partial<Record<string, string>>)[error.code] ?? error.message;
      return c.html(<ErrorPage title={status === 503 ? pages.retryTitle : pages.errorTitle} message={message} {...language} />, status);
    }
    if (error instanceof ZodError) {
      return c.json({ code: 'invalid_input', message: error.issues.map((issue) => issue.message).join('; ') }, 400);
    }
    // Name and stack only: a message from a library could quote personal data.
    console.error(JSON.stringify({ level: 'error', msg: 'unhandled', error: error.name, stack: error.stack?.split('\n').slice(1, 6) }));
    if (wantsJson(c)) return c.json({ code: 'internal', message: 'Something went wrong on our side. Please try again.' }, 500);
    const language = pageLanguage(c);
    return c.html(<ErrorPage title={language.text.pages.internalTitle} message={language.text.pages.internal} {...language} />, 500);
  });

  return app;
}
