import {
  applicableOf,
  campaignIn,
  countdownTo,
  deadlineOf,
  DEFAULT_CAMPAIGN_TIME_ZONE,
  isListed,
  timeZoneOf,
  whatAppliesNow,
  type Applicable,
  type Campaign,
  type PlatformGuide,
} from '../../domain/campaign.js';
import { Locale, localeOf, pathIn } from '../../domain/locale.js';
import { groupPlatforms } from '../../domain/platform.js';
import type { FieldErrors, SignupErrorCode } from '../../domain/signup.js';
import { formatDay, formatLastMoment, textFor } from '../../locales/index.js';
import { timeZoneScript } from '../assets.js';
import { Layout, type PageLanguage } from './layout.js';
import { PublicCount } from './public-count.js';

const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]);
const asText = (value: unknown): string => (typeof value === 'string' ? value : '');
const isTicked = (value: unknown) => value !== undefined && value !== false && value !== '';

/** One platform on the form, with what applies to it now (already in the page's language). */
interface Offer {
  platform: PlatformGuide;
  applies: Applicable;
}

/**
 * What the form offers: for `/` every platform a listed campaign covers, each with what applies to
 * it now; for a form of named campaigns (`/c/<id>`, or a re-render of one), exactly their
 * platforms, each with what its own campaign offers, listed or not.
 */
function offersOf(campaigns: readonly Campaign[], named: boolean, now: Date, locale: Locale): Offer[] {
  const platformIds = new Set((named ? campaigns : campaigns.filter((c) => isListed(c, now))).flatMap((c) => c.platforms.map((p) => p.id)));
  const offers: Offer[] = [];
  for (const id of platformIds) {
    const applies = named ? campaigns.map((c) => applicableOf(c, now)).find((a) => a.campaign.platforms.some((p) => p.id === id)) : whatAppliesNow(campaigns, id, now);
    if (!applies) continue;
    const campaign = campaignIn(applies.campaign, locale);
    const platform = campaign.platforms.find((p) => p.id === id);
    if (platform) offers.push({ platform, applies: { ...applies, campaign } });
  }
  return offers;
}

/** Where the facts come from, and when they were checked. */
function Provenance(props: { campaign: Campaign } & Pick<PageLanguage, 'text'>) {
  const { campaign, text } = props;
  const words = text.campaignForm;
  return (
    <p class="hint provenance">
      {words.checkedOn(formatDay(campaign.checkedAt, timeZoneOf(campaign), text))} {words.sources}{' '}
      {campaign.sources.map((source, i) => (
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

/** One campaign's card: what it is, its countdown or "switch it off now", the guides, the sources. */
function CampaignCard(props: { applies: Applicable; platforms: readonly PlatformGuide[]; now: Date } & Pick<PageLanguage, 'text'>) {
  const { applies, text, now } = props;
  const { campaign } = applies;
  const words = text.campaignForm;
  const titleId = `campaign-${campaign.id}`;
  const countdown = applies.kind === 'standing' ? undefined : countdownTo(campaign, now, timeZoneOf(campaign));
  const deadline = deadlineOf(campaign)?.toISOString();
  return (
    <section class="campaign" aria-labelledby={titleId}>
      <h2 id={titleId}>{campaign.title}</h2>
      <p class="hint">{words.forPlatforms(props.platforms.map((p) => p.name).join(', '))}</p>
      {applies.kind === 'standing' && (
        <div class="countdown standing">
          <strong>{words.standing}</strong>
          <span>{words.standingHint}</span>
        </div>
      )}
      {applies.kind === 'countdown' && countdown && (
        <div
          class="countdown"
          data-intl={text.intlLocale}
          data-one={text.countdownWords.one}
          data-many={text.countdownWords.many}
          data-last={text.countdownWords.last}
        >
          <strong data-days-left>{text.countdown(countdown)}</strong>
          <span>
            {text.signup.deadlineLabel}{' '}
            <time datetime={deadline} data-deadline={deadline} data-now={now.toISOString()}>
              {formatLastMoment(countdown, text)}
            </time>
          </span>
        </div>
      )}
      {applies.kind === 'after-deadline' && countdown && (
        <div class="countdown">
          <strong>{text.countdown(countdown)}</strong>
          <span>{campaign.afterDeadline}</span>
        </div>
      )}
      <p>{campaign.summary}</p>
      <details>
        <summary>{words.howTo}</summary>
        {props.platforms.map((platform) => (
          <>
            <h3>{platform.name}</h3>
            <ol>
              {platform.steps.map((step) => (
                <li>{step}</li>
              ))}
            </ol>
            {platform.formUrl && (
              <p>
                <a href={platform.formUrl} rel="noreferrer">
                  {platform.action === 'form' ? words.formLink : words.settingLink}: {platform.name}
                </a>
              </p>
            )}
            {platform.note && <p class="hint">{platform.note}</p>}
          </>
        ))}
      </details>
      <Provenance campaign={campaign} text={text} />
    </section>
  );
}

export interface SignupFormProps {
  /** For `/`, every campaign (the form picks what is listed and applies now); else the named ones. */
  campaigns: readonly Campaign[];
  /** The form is for these campaigns only (`/c/<id>`): it sends their ids as `campaign` fields. */
  named?: boolean;
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
 * which platforms a person uses, grouped by company, and under each group shows what applies to
 * them now: an open countdown first, else the standing setting, else what still helps after a
 * deadline. Without `campaign` fields each ticked platform joins what applies to it now.
 */
export function SignupPage({ campaigns, named = false, now, values = {}, errors = {}, path, objectorCount, text, locale }: SignupFormProps & PageLanguage) {
  const offers = offersOf(campaigns, named, now, locale);
  const single = named && campaigns.length === 1 ? campaignIn(campaigns[0]!, locale) : undefined;
  const picked = new Set(asList(values.platforms));
  const errorEntries = Object.entries(errors) as [keyof FieldErrors, SignupErrorCode][];
  const describedBy = (field: keyof FieldErrors, hint?: string) =>
    [hint, errors[field] ? `${field}-error` : undefined].filter(Boolean).join(' ') || undefined;
  const message = (field: keyof FieldErrors) => {
    const code = errors[field];
    return code ? text.fieldErrors[code] : undefined;
  };
  const timezone = asText(values.timezone);
  const title = single ? single.title : text.signup.headingSeveral;
  const chosenLocale = localeOf(asText(values.locale)) ?? locale;
  const firstPlatform = offers[0]?.platform.id ?? '';
  const firstCampaign = offers[0]?.applies.campaign;
  const noDeadlineOpen = offers.length > 0 && !offers.some((offer) => offer.applies.kind === 'countdown');
  const words = text.campaignForm;
  return (
    <Layout title={errorEntries.length ? text.signup.errorTitle(title) : title} script={timeZoneScript} text={text} locale={locale} switchPath={path}>
      <h1>{single ? text.signup.heading(single.organisation) : text.signup.headingSeveral}</h1>
      <p>{words.intro}</p>
      <PublicCount count={objectorCount} text={text} />
      {noDeadlineOpen && (
        <p class="notice">{offers.some((offer) => offer.applies.kind === 'standing') ? words.noDeadlineOpen : words.noDeadlineOpenPastOnly}</p>
      )}
      {errorEntries.length > 0 && (
        <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
          <h2 id="error-summary-title">{text.signup.errorSummary}</h2>
          <ul>
            {errorEntries.map(([field, code]) => (
              <li>
                <a href={`#${field === 'platforms' ? `platform-${firstPlatform}` : field === 'campaign' || field === 'website' ? 'email' : field}`}>
                  {text.signup.fieldLabels[field]}: {text.fieldErrors[code]}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form method="post" action="/subscribe" novalidate>
        {named &&
          campaigns.map((campaign) => (
            <input type="hidden" name="campaign" value={campaign.id} />
          ))}
        <fieldset class="platforms" aria-describedby={describedBy('platforms')}>
          <legend>{text.signup.platformsLegend}</legend>
          {errors.platforms && <p class="error" id="platforms-error">{message('platforms')}</p>}
          {groupPlatforms(offers.map((offer) => offer.platform.id)).map(([group, ids]) => {
            const inGroup = ids.map((id) => offers.find((offer) => offer.platform.id === id)!);
            const cards = [...new Set(inGroup.map((offer) => offer.applies.campaign))];
            return (
              <fieldset class="group">
                <legend>{words.groups[group]}</legend>
                {inGroup.map(({ platform }) => (
                  <label class="check" for={`platform-${platform.id}`}>
                    <input type="checkbox" id={`platform-${platform.id}`} name="platforms" value={platform.id} checked={picked.has(platform.id)} />
                    {platform.name}
                  </label>
                ))}
                {cards.map((campaign) => (
                  <CampaignCard
                    applies={inGroup.find((offer) => offer.applies.campaign === campaign)!.applies}
                    platforms={inGroup.filter((offer) => offer.applies.campaign === campaign).map((offer) => offer.platform)}
                    now={now}
                    text={text}
                  />
                ))}
              </fieldset>
            );
          })}
        </fieldset>
        <label for="email">{text.signup.email}</label>
        {errors.email && <p class="error" id="email-error">{message('email')}</p>}
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
        <p class="hint" id="timezone-hint">{text.signup.timezoneHint}</p>
        {errors.timezone && <p class="error" id="timezone-error">{message('timezone')}</p>}
        <input
          type="text"
          id="timezone"
          name="timezone"
          value={timezone || (firstCampaign ? timeZoneOf(firstCampaign) : DEFAULT_CAMPAIGN_TIME_ZONE)}
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
        {errors.consent && <p class="error" id="consent-error">{message('consent')}</p>}
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
            {words.watch} <span class="hint" id="watch-hint">{words.watchHint}</span>
          </span>
        </label>
        {errors.campaign && <p class="error" id="campaign-error">{message('campaign')}</p>}
        <button type="submit">{text.signup.submit}</button>
      </form>
      <p class="hint">
        {text.signup.storedHint} <a href={pathIn('/privacy', locale)}>{text.signup.privacyLink}</a>.
      </p>
    </Layout>
  );
}

/** Shown after every accepted sign-up, whatever happened behind it. */
export function CheckInboxPage(props: PageLanguage & { pendingDays: number; campaignCount: number }) {
  const { text } = props;
  return (
    <Layout title={text.signup.checkInboxTitle} text={text} locale={props.locale}>
      <h1>{text.signup.checkInboxTitle}</h1>
      <p role="status">{text.signup.checkInbox}</p>
      {props.campaignCount > 1 && <p>{text.signup.checkInboxSeveral}</p>}
      <p class="hint">{text.signup.checkInboxHint(props.pendingDays)}</p>
    </Layout>
  );
}
