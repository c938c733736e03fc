import { campaignIn, countdownTo, deadlineOf, type Campaign } from '../../domain/campaign.js';
import { Locale, pathIn } from '../../domain/locale.js';
import type { FieldErrors, SignupErrorCode } from '../../domain/signup.js';
import { formatLastMoment, textFor } from '../../locales/index.js';
import { timeZoneScript } from '../assets.js';
import { Layout, type PageLanguage } from './layout.js';
import { PublicCount } from './public-count.js';

export interface SignupFormProps {
  /** The campaigns a person can pick from on this form, in the order shown. */
  campaigns: readonly Campaign[];
  now: Date;
  values?: Record<string, unknown>;
  errors?: FieldErrors;
  /** Where the form lives: "/" or "/c/<campaign>". */
  path: string;
  /** People who objected through the service, when there are enough to show. */
  objectorCount?: number | undefined;
}

const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]);
const asText = (value: unknown): string => (typeof value === 'string' ? value : '');

/** One campaign on the form: what it is about, its countdown, and its platforms to tick. */
function CampaignChoice(props: { campaign: Campaign; now: Date; picked: Set<string> } & Pick<PageLanguage, 'text'>) {
  const { campaign, text } = props;
  const countdown = countdownTo(campaign, props.now, campaign.deadline.timeZone);
  const deadline = deadlineOf(campaign).toISOString();
  const titleId = `campaign-${campaign.id}`;
  return (
    <div class="campaign" role="group" aria-labelledby={titleId}>
      <h2 id={titleId}>{campaign.title}</h2>
      <p class="hint">{campaign.summary}</p>
      <div
        class="countdown"
        data-intl={text.intlLocale}
        data-one={text.countdownWords.one}
        data-many={text.countdownWords.many}
        data-last={text.countdownWords.last}
      >
        <strong data-days-left>{text.countdown(countdown)}</strong>
        {countdown.passed ? (
          <span>{campaign.afterDeadline}</span>
        ) : (
          <span>
            {text.signup.deadlineLabel}{' '}
            <time datetime={deadline} data-deadline={deadline} data-now={props.now.toISOString()}>
              {formatLastMoment(countdown, text)}
            </time>
          </span>
        )}
      </div>
      {campaign.platforms.map((platform) => (
        <label class="check" for={`platform-${platform.id}`}>
          <input type="checkbox" id={`platform-${platform.id}`} name="platforms" value={platform.id} checked={props.picked.has(platform.id)} />
          {platform.name}
        </label>
      ))}
    </div>
  );
}

/**
 * The sign-up form: works without JavaScript; errors are summarised, linked and announced. Each
 * campaign on offer has its own block; ticking a platform of it signs up for it.
 */
export function SignupPage({ campaigns: sources, now, values = {}, errors = {}, path, objectorCount, text, locale }: SignupFormProps & PageLanguage) {
  const campaigns = sources.map((campaign) => campaignIn(campaign, locale));
  const [first] = campaigns;
  const picked = new Set(asList(values.platforms));
  const errorEntries = Object.entries(errors) as [keyof FieldErrors, SignupErrorCode][];
  const describedBy = (field: keyof FieldErrors, hint?: string) =>
    [hint, errors[field] ? `${field}-error` : undefined].filter(Boolean).join(' ') || undefined;
  const message = (field: keyof FieldErrors) => {
    const code = errors[field];
    return code ? text.fieldErrors[code] : undefined;
  };
  const timezone = asText(values.timezone);
  const title = campaigns.length === 1 && first ? first.title : text.signup.headingSeveral;
  const chosenLocale = Locale.safeParse(asText(values.locale)).data ?? locale;
  const firstPlatform = first?.platforms[0]?.id ?? '';
  return (
    <Layout title={errorEntries.length ? text.signup.errorTitle(title) : title} script={timeZoneScript} text={text} locale={locale} switchPath={path}>
      <h1>{campaigns.length === 1 && first ? text.signup.heading(first.organisation) : text.signup.headingSeveral}</h1>
      <p>{text.signup.intro}</p>
      <PublicCount count={objectorCount} text={text} />
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
        {campaigns.map((campaign) => (
          <input type="hidden" name="campaign" value={campaign.id} />
        ))}
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
        <fieldset aria-describedby={describedBy('platforms')}>
          <legend>{text.signup.platformsLegend}</legend>
          {errors.platforms && <p class="error" id="platforms-error">{message('platforms')}</p>}
          {campaigns.map((campaign) => (
            <CampaignChoice campaign={campaign} now={now} picked={picked} text={text} />
          ))}
        </fieldset>
        <label for="timezone">{text.signup.timezone}</label>
        <p class="hint" id="timezone-hint">{text.signup.timezoneHint}</p>
        {errors.timezone && <p class="error" id="timezone-error">{message('timezone')}</p>}
        <input
          type="text"
          id="timezone"
          name="timezone"
          value={timezone || first?.deadline.timeZone}
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
            checked={values.consent !== undefined && values.consent !== false}
            aria-invalid={errors.consent ? 'true' : undefined}
            aria-describedby={describedBy('consent')}
          />
          <span>{text.signup.consent}</span>
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
