import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { ZodError } from 'zod';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { systemClock, type Clock } from '../clock.js';
import type { Config } from '../config.js';
import { suggestAddress } from '../domain/address-typo.js';
import type { Campaign } from '../domain/campaign.js';
import { localeOf, pathIn } from '../domain/locale.js';
import type { Platform } from '../domain/platform.js';
import { DomainError, isPersonErrorCode, type DomainErrorKind } from '../domain/errors.js';
import { objectorCount, publicCount } from '../domain/public-count.js';
import type { NewsletterIssue } from '../domain/newsletter.js';
import { PENDING_LIFETIME_DAYS } from '../domain/person.js';
import { noFailedMail, type FailedMailSource } from '../failed-mail.js';
import { errorFields, flushMetrics, logger } from '../observability.js';
import type { NewsletterSender } from '../app/newsletter-send.js';
import { newsletterIssues } from '../newsletter-issues.js';
import type { LaunchNewsletter } from '../newsletter-launch.js';
import { AdminStore } from '../store/admin-store.js';
import { LinkCheckStore } from '../store/link-check-store.js';
import { RateLimits } from '../store/rate-limits.js';
import type { StatsStore } from '../store/stats-store.js';
import type { SignupJourney } from '../app/signup-journey.js';
import { siteCss, timeZoneScriptHash } from './assets.js';
import { wordFieldErrors } from '../locales/index.js';
import { ErrorPage } from './pages/link-pages.js';
import { PrivacyPage } from './pages/privacy-page.js';
import { CheckInboxPage, SignupPage } from './pages/signup-page.js';
import { languageOf, pageLanguage, readBody, wantsJson } from './respond.js';
import { linkRoutes } from './routes/links.js';
import { allowedMethodsOf } from './allowed-methods.js';
import { isOneClickUnsubscribe, refuseCrossSite } from './cross-site.js';
import { adminRoutes } from './routes/admin.js';
import { calendarRoutes } from './routes/calendar.js';

export interface AppDeps {
  journey: SignupJourney;
  campaigns: readonly Campaign[];
  /** Every platform the service has a guide for: the form offers them all. */
  platforms: readonly Platform[];
  config: Pick<
    Config,
    | 'ADMIN_TOKEN'
    | 'MAX_BODY_BYTES'
    | 'PUBLIC_URL'
    | 'PRIVACY_GRACE_DAYS'
    | 'SIGNING_SECRET'
    | 'TABLE_NAME'
    | 'IP_SIGNUP_WINDOW_MINUTES'
  >;
  stats: StatsStore;
  newsletters: NewsletterSender;
  /** Newsletter issues by id; the ones built from templates/newsletters/ unless given. */
  issues?: readonly NewsletterIssue[];
  launchNewsletter?: LaunchNewsletter;
  /** The client's address as the platform saw it (never a header a client can forge). */
  clientIp: (c: Context) => string;
  /** The app's clock: "today" everywhere, `npm run dev -- --now` included. */
  clock: Clock;
  /** The table, for the operator's sessions and sign-in limits. */
  db: DynamoDBDocumentClient;
  /** Real time for sessions and sign-in windows; tests move it. */
  securityClock?: Clock;
  /** Emails that failed for good, from the mail pipeline; none until one is wired. */
  failedMail?: FailedMailSource;
}

const STATUS: Record<DomainErrorKind, 400 | 403 | 404 | 409 | 415 | 429 | 503> = {
  input: 400,
  unsupported: 415,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

/** The public count is read at most this often per instance: the form is the busiest page. */
const PUBLIC_COUNT_CACHE_MS = 5 * 60_000;

/**
 * The count of people who objected, for the form, from the aggregate counters, cached for a few
 * minutes on real time. A failed read shows no count rather than failing the form.
 */
function cachedObjectorCount(stats: StatsStore): () => Promise<number | undefined> {
  let cached: { at: number; count: Promise<number | undefined> } | undefined;
  return () => {
    if (cached && Date.now() - cached.at < PUBLIC_COUNT_CACHE_MS) return cached.count;
    const count = stats
      .platformStats()
      .then((platforms) => publicCount(objectorCount(platforms.totals)))
      .catch((error: unknown) => {
        logger.warn('public count not read', errorFields(error));
        cached = undefined;
        return undefined;
      });
    cached = { at: Date.now(), count };
    return count;
  };
}

/** The correlation id of each request in flight, for the error line of the one onError. */
const correlationIds = new WeakMap<Request, string>();

/** API Gateway's request id where there is one (it is in its access log too), else a fresh one. */
function correlationIdOf(c: Context): string {
  const event = (c.env as { event?: { requestContext?: { requestId?: unknown } } } | undefined)?.event;
  const requestId = event?.requestContext?.requestId;
  return typeof requestId === 'string' && /^[\w=-]{1,100}$/.test(requestId) ? requestId : randomUUID();
}

/** Link paths carry a token after their first segment; any other long opaque segment may be one too. */
const TOKEN_ROUTES = /^\/(confirm|objected|unsubscribe|preferences)\/[^/]+/;

/**
 * A request path as it may be logged: tokens replaced by `:token`.
 *
 * @example
 * loggablePath('/preferences/eyJ…/data') // '/preferences/:token/data'
 */
export function loggablePath(path: string): string {
  return path
    .replace(TOKEN_ROUTES, '/$1/:token')
    .split('/')
    .map((segment) => (segment.length > 24 || segment.includes('@') ? ':token' : segment))
    .join('/')
    .slice(0, 200);
}

/**
 * The HTTP app: sign-up form, email links, health and operator endpoints.
 *
 * @example
 * const app = createApp(deps); const res = await app.request('/health');
 */
export function createApp(deps: AppDeps): Hono {
  const { journey, campaigns, platforms, config } = deps;
  const app = new Hono();

  // One line per request: method, the path with its token replaced, status, time. Never the query
  // (it may carry an address), a header or the client's address.
  app.use(async (c, next) => {
    const startedAt = performance.now();
    const correlationId = correlationIdOf(c);
    correlationIds.set(c.req.raw, correlationId);
    try {
      await next();
    } finally {
      logger.info('request', { correlationId, method: c.req.method, path: loggablePath(c.req.path), status: c.res.status, durationMs: Math.round(performance.now() - startedAt) });
      flushMetrics();
    }
  });

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
      // Our own origin only: a form posted from our pages then carries its Origin (under no-referrer,
      // Chromium sends "null"), and the tokens in our paths never reach another site.
      referrerPolicy: 'same-origin',
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

  // After the body limit: the one-click exception reads the body.
  app.use(refuseCrossSite({ ownOrigin: new URL(config.PUBLIC_URL).origin, mayComeFromAnywhere: isOneClickUnsubscribe }));

  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/assets/site.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(siteCss, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });
  // Browsers ask for it on every page; answering 204 keeps their consoles and our logs quiet.
  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.get('/privacy', (c) =>
    c.html(<PrivacyPage pendingDays={PENDING_LIFETIME_DAYS} graceDays={config.PRIVACY_GRACE_DAYS} {...pageLanguage(c)} />),
  );

  const countObjectors = cachedObjectorCount(deps.stats);

  // Every platform, each with today's action; `?campaign=` (old links) narrows it to one campaign's.
  app.get('/', async (c) => {
    const requested = campaigns.find((item) => item.id === c.req.query('campaign'));
    return c.html(
      <SignupPage
        catalog={platforms}
        campaigns={campaigns}
        scope={requested ? [requested] : undefined}
        now={journey.clock()}
        path="/"
        objectorCount={await countObjectors()}
        {...pageLanguage(c)}
      />,
    );
  });
  // Before /c/:campaign, which would take the .ics name for a campaign id.
  app.route('/', calendarRoutes({ campaigns, clock: deps.clock, publicUrl: config.PUBLIC_URL }));
  // One campaign's form: its summary and its platforms only. Opens after its deadline too, with its sentence of history.
  app.get('/c/:campaign', async (c) => {
    const campaign = campaigns.find((item) => item.id === c.req.param('campaign'));
    if (!campaign) return c.notFound();
    return c.html(
      <SignupPage
        catalog={platforms}
        campaigns={campaigns}
        scope={[campaign]}
        now={journey.clock()}
        path={`/c/${campaign.id}`}
        objectorCount={await countObjectors()}
        {...pageLanguage(c)}
      />,
    );
  });

  app.post('/subscribe', async (c) => {
    const values = await readBody(c);
    const browser = pageLanguage(c);
    const outcome = await journey.signUp(values, { clientIp: deps.clientIp(c), locale: browser.locale });
    // The answer speaks the language picked on the form, else the browser's.
    const picked = typeof values.locale === 'string' ? localeOf(values.locale) : undefined;
    const language = picked ? languageOf(picked) : browser;
    // The form it came from: one campaign's, or the whole one.
    const shown = [values.campaign].flat().map((id) => campaigns.find((item) => item.id === id)).filter((item) => item !== undefined);
    const path = shown.length === 1 && shown[0] ? `/c/${shown[0].id}` : '/';
    if (outcome.ok) {
      const suggestion = suggestAddress(outcome.email);
      return wantsJson(c)
        ? c.json({ status: 'check_inbox', message: language.text.signup.checkInboxJson, ...(suggestion ? { didYouMean: suggestion } : {}) })
        : c.html(<CheckInboxPage pendingDays={PENDING_LIFETIME_DAYS} email={outcome.email} suggestion={suggestion} formPath={pathIn(path, language.locale)} {...language} />);
    }
    if (wantsJson(c)) {
      return c.json({ code: 'invalid_input', message: 'Some fields need fixing.', fields: wordFieldErrors(outcome.fields, language.text) }, 400);
    }
    return c.html(
      <SignupPage
        catalog={platforms}
        campaigns={campaigns}
        scope={shown.length ? shown : undefined}
        now={journey.clock()}
        values={outcome.values}
        errors={outcome.fields}
        path={path}
        {...language}
      />,
      400,
    );
  });

  app.route('/', linkRoutes({ journey, platforms }));

  app.route(
    '/',
    adminRoutes({
      ...deps,
      issues: deps.issues ?? newsletterIssues,
      adminStore: new AdminStore(deps.db, config.TABLE_NAME),
      limits: new RateLimits({ db: deps.db, tableName: config.TABLE_NAME }),
      linkChecks: new LinkCheckStore(deps.db, config.TABLE_NAME),
      failedMail: deps.failedMail ?? noFailedMail,
      securityClock: deps.securityClock ?? systemClock,
    }),
  );

  const allowedMethods = allowedMethodsOf(app);
  app.notFound((c) => {
    // A known path asked with another method: 405 and what it takes, not "no such page".
    const allowed = allowedMethods(c.req.path);
    if (allowed.length > 0 && !allowed.includes(c.req.method)) {
      c.header('Allow', allowed.join(', '));
      if (wantsJson(c)) return c.json({ code: 'method_not_allowed', message: `This address takes ${allowed.join(', ')}.` }, 405);
      const language = pageLanguage(c);
      return c.html(<ErrorPage title={language.text.methodNotAllowed.title} message={language.text.methodNotAllowed.message} {...language} />, 405);
    }
    if (wantsJson(c)) return c.json({ code: 'not_found', message: 'There is nothing here.' }, 404);
    const language = pageLanguage(c);
    return c.html(<ErrorPage title={language.text.pages.notFoundTitle} message={language.text.pages.notFound} {...language} />, 404);
  });

  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    if (error instanceof DomainError) {
      const status = STATUS[error.kind];
      // Every 429 says when to come back, on the page too; a rule that does not know waits one sign-up window.
      const wait = status === 429 ? (error.retryAfterSeconds ?? config.IP_SIGNUP_WINDOW_MINUTES * 60) : undefined;
      if (wait !== undefined) c.header('Retry-After', String(wait));
      if (wantsJson(c)) return c.json({ code: error.code, message: error.message }, status);
      const language = pageLanguage(c);
      const { pages, errors } = language.text;
      const said = isPersonErrorCode(error.code) ? errors[error.code] : error.message;
      const message = wait !== undefined && isPersonErrorCode(error.code) ? `${said} ${pages.tryAgainIn(wait)}` : said;
      return c.html(<ErrorPage title={status === 503 ? pages.retryTitle : pages.errorTitle} message={message} {...language} />, status);
    }
    if (error instanceof ZodError) {
      return c.json({ code: 'invalid_input', message: error.issues.map((issue) => issue.message).join('; ') }, 400);
    }
    // Name, code and stack frames only: a message from a library could quote personal data.
    logger.error('unhandled', { correlationId: correlationIds.get(c.req.raw), ...errorFields(error), stack: error.stack?.split('\n').slice(1, 6).map((line) => line.trim()) });
    if (wantsJson(c)) return c.json({ code: 'internal', message: 'Something went wrong on our side. Please try again.' }, 500);
    const language = pageLanguage(c);
    return c.html(<ErrorPage title={language.text.pages.internalTitle} message={language.text.pages.internal} {...language} />, 500);
  });

  return app;
}
