import { actionToday, type TodaysAction } from '../../domain/action.js';
import { campaignIn, countdownTo, deadlineOf, DEFAULT_CAMPAIGN_TIME_ZONE, isOpen, isStanding, timeZoneOf, type Campaign } from '../../domain/campaign.js';
import { Locale, localeOf, pathIn } from '../../domain/locale.js';
import { groupByCompany, platformIn, type Platform, type PlatformId, type Source } from '../../domain/platform.js';
import type { FieldErrors, SignupErrorCode } from '../../domain/signup.js';
import { formatDay, formatLastMoment, textFor, type Text } from '../../locales/index.js';
import { timeZoneScript } from '../assets.js';
import { Layout, type PageLanguage } from './layout.js';
import { PublicCount } from './public-count.js';

const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]);
const asText = (value: unknown): string => (typeof value === 'string' ? value : '');
const isTicked = (value: unknown) => value !== undefined && value !== false && value !== '';

/** Where the facts come from, and when they were checked. */
function Provenance(props: { checkedAt: string; sources: readonly Source[]; timeZone: string } & Pick<PageLanguage, 'text'>) {
  const words = props.text.campaignForm;
  return (
    <p class="hint">
      {words.checkedOn(formatDay(props.checkedAt, props.timeZone, props.text))} {words.sources}{' '}
      {props.sources.map((source, i) => (
        <>
          {i > 0 && ' · '}
          <a href={source.url} rel="noreferrer">
            {source.title}
          </a>
        </>
      ))}
    </p>
  );
}

/**
 * A deadline counted down: the days left and the last moment, which the page's script recounts
 * and rewrites in the reader's own zone (with the words its data attributes give).
 */
export function Countdown(props: { campaign: Campaign; now: Date; id?: string; class?: string } & Pick<PageLanguage, 'text'>) {
  const { campaign, now, text } = props;
  const countdown = countdownTo(campaign, now, timeZoneOf(campaign));
  const deadline = deadlineOf(campaign)?.toISOString();
  return (
    <p
      class={`countdown ${props.class ?? ''}`.trim()}
      id={props.id}
      data-intl={text.intlLocale}
      data-one={text.countdownWords.one}
      data-many={text.countdownWords.many}
      data-last={text.countdownWords.last}
    >
      <strong data-days-left>{text.countdown(countdown)}</strong> ·{' '}
      <span>
        {text.signup.deadlineLabel}{' '}
        <time datetime={deadline} data-deadline={deadline} data-now={now.toISOString()}>
          {formatLastMoment(countdown, text)}
        </time>
      </span>
    </p>
  );
}

/** Today's action of a platform in one line: an open deadline's countdown, else the platform's own line. */
function TodayLine(props: { action: TodaysAction; platform: Platform; now: Date; id: string; locale: Locale } & Pick<PageLanguage, 'text'>) {
  const { action, text } = props;
  if (action.kind === 'deadline') return <Countdown campaign={campaignIn(action.campaign, props.locale)} now={props.now} id={props.id} class="today" text={text} />;
  return (
    <p class="today" id={props.id}>
      {props.platform.today}
    </p>
  );
}

/** A platform's guide, folded away: the steps, its form or setting, when it counts as done, caveats, sources. */
export function Guide(props: { platform: Platform } & Pick<PageLanguage, 'text'>) {
  const { platform, text } = props;
  const words = text.campaignForm;
  return (
    <details>
      <summary>
        {words.howTo}
        <span class="visually-hidden">: {platform.name}</span>
      </summary>
      <ol>
        {platform.steps.map((step) => (
          <li>{step}</li>
        ))}
      </ol>
      {platform.url && (
        <p>
          <a href={platform.url} rel="noreferrer">
            {platform.action === 'form' ? words.formLink : words.settingLink}
            <span class="visually-hidden">: {platform.name}</span>
          </a>
        </p>
      )}
      <p>
        <strong>{words.doneLabel}</strong> {platform.doneMeans}
      </p>
      {platform.note && <p class="hint">{platform.note}</p>}
      <Provenance checkedAt={platform.checkedAt} sources={platform.sources} timeZone={DEFAULT_CAMPAIGN_TIME_ZONE} text={text} />
    </details>
  );
}

/** One platform on the form: its box, today's action, the deadline that passed last, the guide. */
function Offer(props: { platform: Platform; action: TodaysAction; now: Date; checked: boolean; historyShown: boolean; locale: Locale } & Pick<PageLanguage, 'text'>) {
  const { action, locale, text } = props;
  const platform = platformIn(props.platform, locale);
  const todayId = `today-${platform.id}`;
  const history = action.history && props.historyShown ? campaignIn(action.history, locale).afterDeadline : undefined;
  return (
    <div class="offer">
      <label class="check" for={`platform-${platform.id}`}>
        <input type="checkbox" id={`platform-${platform.id}`} name="platforms" value={platform.id} checked={props.checked} aria-describedby={todayId} />
        <span class="name">{platform.name}</span>
      </label>
      <TodayLine action={action} platform={platform} now={props.now} id={todayId} locale={locale} text={text} />
      {action.kind === 'deadline' && <p class="hint">{campaignIn(action.campaign, locale).title}</p>}
      {history && <p class="hint">{history}</p>}
      <Guide platform={platform} text={text} />
    </div>
  );
}

/** A campaign's summary at the top of its own form: its deadline counted down while open, else its one sentence of history. */
function CampaignSummary(props: { campaign: Campaign; now: Date } & Pick<PageLanguage, 'text'>) {
  const { campaign, now, text } = props;
  const words = text.campaignForm;
  const titleId = `campaign-${campaign.id}`;
  return (
    <section class="campaign" aria-labelledby={titleId}>
      <h2 id={titleId}>{campaign.title}</h2>
      {isOpen(campaign, now) ? (
        <Countdown campaign={campaign} now={now} text={text} />
      ) : isStanding(campaign) ? (
        <p class="countdown">
          <strong>{words.standing}</strong> <span>{words.standingHint}</span>
        </p>
      ) : (
        <p class="countdown">
          <strong>{text.countdown(countdownTo(campaign, now, timeZoneOf(campaign)))}</strong> <span>{campaign.afterDeadline}</span>
        </p>
      )}
      <p>{campaign.summary}</p>
      <Provenance checkedAt={campaign.checkedAt} sources={campaign.sources} timeZone={timeZoneOf(campaign)} text={text} />
    </section>
  );
}

export interface SignupFormProps {
  /** Every platform the service has a guide for. */
  catalog: readonly Platform[];
  /** Every campaign: they decide each platform's action today. */
  campaigns: readonly Campaign[];
  /**
   * The campaigns this form is for (`/c/<id>`, or a re-render of one): it offers only their
   * platforms and sends their ids as `campaign` fields. Without it, the form offers every platform.
   */
  scope?: readonly Campaign[] | undefined;
  now: Date;
  values?: Record<string, unknown>;
  errors?: FieldErrors;
  /** Where the form lives: "/" or "/c/<campaign>". */
  path: string;
  /** People who objected through the service, when there are enough to show. */
  objectorCount?: number | undefined;
}

/**
 * The sign-up form: works without JavaScript; errors are summarised, linked and announced. It asks
 * which platforms a person uses, grouped by company, each with today's action in one line (an open
 * deadline's countdown, else the platform's standing action) and its guide a click away. Ticking
 * platforms is the whole choice.
 */
export function SignupPage({ catalog, campaigns, scope, now, values = {}, errors = {}, path, objectorCount, text, locale }: SignupFormProps & PageLanguage) {
  const scoped = scope?.map((campaign) => campaignIn(campaign, locale));
  const offered = new Set<PlatformId>(scoped ? scoped.flatMap((campaign) => campaign.platforms) : catalog.map((platform) => platform.id));
  const groups = groupByCompany(offered, catalog);
  const byId = new Map(catalog.map((platform) => [platform.id, platform]));
  const actions = new Map(catalog.filter((platform) => offered.has(platform.id)).map((platform) => [platform.id, actionToday(platform, campaigns, now)]));
  const single = scoped?.length === 1 ? scoped[0] : undefined;
  const picked = new Set(asList(values.platforms));
  const errorEntries = Object.entries(errors) as [keyof FieldErrors, SignupErrorCode][];
  const describedBy = (field: keyof FieldErrors, hint?: string) => [hint, errors[field] ? `${field}-error` : undefined].filter(Boolean).join(' ') || undefined;
  const message = (field: keyof FieldErrors) => {
    const code = errors[field];
    return code ? text.fieldErrors[code] : undefined;
  };
  const timezone = asText(values.timezone);
  const title = single ? single.title : text.signup.headingSeveral;
  const chosenLocale = localeOf(asText(values.locale)) ?? locale;
  const firstPlatform = groups[0]?.[1][0] ?? '';
  const noDeadlineOpen = !scoped && ![...actions.values()].some((action) => action.kind === 'deadline');
  const words = text.campaignForm;
  // A campaign summarised at the top need not be told again under each of its platforms.
  const historyShown = (action: TodaysAction) => !scoped?.some((campaign) => campaign.id === action.history?.id);
  return (
    <Layout title={errorEntries.length ? text.signup.errorTitle(title) : title} script={timeZoneScript} text={text} locale={locale} switchPath={path}>
      <h1>{single ? text.signup.heading(single.organisation) : text.signup.headingSeveral}</h1>
      <p>{words.intro}</p>
      <PublicCount count={objectorCount} text={text} />
      {scoped?.map((campaign) => <CampaignSummary campaign={campaign} now={now} text={text} />)}
      {noDeadlineOpen && <p class="notice">{words.noDeadlineOpen}</p>}
      {errorEntries.length > 0 && (
        <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
          <h2 id="error-summary-title">{text.signup.errorSummary}</h2>
          <ul>
            {errorEntries.map(([field, code]) => (
              <li>
                <a href={`#${field === 'platforms' ? `platform-${firstPlatform}` : field === 'campaign' || field === 'website' || field === 'watch' ? 'email' : field}`}>
                  {text.signup.fieldLabels[field]}: {text.fieldErrors[code]}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form method="post" action="/subscribe" novalidate>
        {scoped?.map((campaign) => <input type="hidden" name="campaign" value={campaign.id} />)}
        <fieldset class="platforms" aria-describedby={describedBy('platforms')}>
          <legend>{text.signup.platformsLegend}</legend>
          {errors.platforms && (
            <p class="error" id="platforms-error">
              {message('platforms')}
            </p>
          )}
          {groups.map(([company, ids]) => (
            <fieldset class="group">
              <legend>{words.groups[company]}</legend>
              {ids.map((id) => (
                <Offer
                  platform={byId.get(id)!}
                  action={actions.get(id)!}
                  now={now}
                  checked={picked.has(id)}
                  historyShown={historyShown(actions.get(id)!)}
                  locale={locale}
                  text={text}
                />
              ))}
            </fieldset>
          ))}
        </fieldset>
        <label for="email">{text.signup.email}</label>
        {errors.email && (
          <p class="error" id="email-error">
            {message('email')}
          </p>
        )}
        <input
          type="email"
          id="email"
          name="email"
          autocomplete="email"
          required
          value={asText(values.email)}
          aria-invalid={errors.email ? 'true' : undefined}
          aria-describedby={describedBy('email')}
        />
        <label for="timezone">{text.signup.timezone}</label>
        <p class="hint" id="timezone-hint">
          {text.signup.timezoneHint}
        </p>
        {errors.timezone && (
          <p class="error" id="timezone-error">
            {message('timezone')}
          </p>
        )}
        <input
          type="text"
          id="timezone"
          name="timezone"
          value={timezone || (single ? timeZoneOf(single) : DEFAULT_CAMPAIGN_TIME_ZONE)}
          data-filled={timezone ? 'user' : undefined}
          autocomplete="off"
          aria-invalid={errors.timezone ? 'true' : undefined}
          aria-describedby={describedBy('timezone', 'timezone-hint')}
        />
        <label for="locale">{text.signup.locale}</label>
        <select id="locale" name="locale">
          {Locale.options.map((option) => (
            <option value={option} lang={option} selected={option === chosenLocale}>
              {textFor(option).languageName}
            </option>
          ))}
        </select>
        <div class="trap" aria-hidden="true">
          <label for="website">{text.signup.honeypot}</label>
          <input type="text" id="website" name="website" tabindex={-1} autocomplete="off" value="" />
        </div>
        {errors.consent && (
          <p class="error" id="consent-error">
            {message('consent')}
          </p>
        )}
        <label class="check" for="consent">
          <input
            type="checkbox"
            id="consent"
            name="consent"
            value="yes"
            checked={isTicked(values.consent)}
            aria-invalid={errors.consent ? 'true' : undefined}
            aria-describedby={describedBy('consent')}
          />
          <span>{text.signup.consent}</span>
        </label>
        <label class="check" for="watch">
          <input type="checkbox" id="watch" name="watch" value="on" checked={isTicked(values.watch)} aria-describedby="watch-hint" />
          <span>
            {words.watch}{' '}
            <span class="hint" id="watch-hint">
              {words.watchHint}
            </span>
          </span>
        </label>
        {errors.campaign && (
          <p class="error" id="campaign-error">
            {message('campaign')}
          </p>
        )}
        <button type="submit">{text.signup.submit}</button>
      </form>
      <p class="hint">
        {text.signup.storedHint} <a href={pathIn('/privacy', locale)}>{text.signup.privacyLink}</a>.
      </p>
    </Layout>
  );
}

/**
 * Shown after every accepted sign-up, whatever happened behind it: the address the email goes
 * to (it is the one typed, so it tells a stranger nothing), a "did you mean …?" where the domain
 * looks like a slip, and the way back to the form.
 */
export function CheckInboxPage(props: PageLanguage & { pendingDays: number; email: string; suggestion: string | undefined; formPath: string }) {
  const { text } = props;
  const words = text.signup;
  return (
    <Layout title={words.checkInboxTitle} text={text} locale={props.locale}>
      <h1>{words.checkInboxTitle}</h1>
      <p role="status">{words.checkInbox}</p>
      <p>
        {words.checkInboxTo} <strong class="address">{props.email}</strong>
      </p>
      {props.suggestion ? (
        <p class="notice">
          <strong>{words.didYouMean(props.suggestion)}</strong> <a href={props.formPath}>{words.backToForm}</a>
        </p>
      ) : (
        <p>
          {words.wrongAddress} <a href={props.formPath}>{words.backToForm}</a>
        </p>
      )}
      <p class="hint">{words.checkInboxHint(props.pendingDays)}</p>
    </Layout>
  );
}

/**
 * One platform's action today in a line of plain text, counted in the reader's zone: for the pages
 * that list a person's platforms.
 */
export function todayText(item: { action: TodaysAction; platform: Platform }, options: { now: Date; timeZone: string; locale: Locale; text: Text }): string {
  const { action } = item;
  const { text } = options;
  if (action.kind !== 'deadline') return platformIn(item.platform, options.locale).today;
  const countdown = countdownTo(action.campaign, options.now, options.timeZone);
  return `${text.countdown(countdown)} · ${text.signup.deadlineLabel} ${formatLastMoment(countdown, text)}`;
}
