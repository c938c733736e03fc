import { countdownTo, deadlineOf, describeCountdown, describeLastMoment, type Campaign } from '../../domain/campaign.js';
import { CONSENT_TEXT, type FieldErrors } from '../../domain/signup.js';
import { timeZoneScript } from '../assets.js';
import { Layout } from './layout.js';

export interface SignupFormProps {
  campaign: Campaign;
  now: Date;
  values?: Record<string, unknown>;
  errors?: FieldErrors;
}

const FIELD_LABELS: Record<keyof FieldErrors, string> = {
  email: 'Email address',
  platforms: 'Platforms',
  timezone: 'Time zone',
  locale: 'Language',
  campaign: 'Campaign',
  consent: 'Consent',
  website: 'Form',
};

const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]);
const asText = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The sign-up form: works without JavaScript; errors are summarised, linked and announced. */
export function SignupPage({ campaign, now, values = {}, errors = {} }: SignupFormProps) {
  const countdown = countdownTo(campaign, now, campaign.deadline.timeZone);
  const picked = new Set(asList(values.platforms));
  const errorEntries = Object.entries(errors) as [keyof FieldErrors, string][];
  const describedBy = (field: keyof FieldErrors, hint?: string) =>
    [hint, errors[field] ? `${field}-error` : undefined].filter(Boolean).join(' ') || undefined;
  const timezone = asText(values.timezone);
  return (
    <Layout title={errorEntries.length ? `Error: ${campaign.title}` : campaign.title} script={timeZoneScript}>
      <h1>Object in time: {campaign.organisation} wants to train its AI on your data</h1>
      <p>{campaign.summary}</p>
      <div class="countdown">
        <strong data-days-left>{describeCountdown(countdown)}</strong>
        {countdown.passed ? (
          <span>{campaign.afterDeadline}</span>
        ) : (
          <span>
            Deadline:{' '}
            <time datetime={deadlineOf(campaign).toISOString()} data-deadline={deadlineOf(campaign).toISOString()} data-now={now.toISOString()}>
              {describeLastMoment(countdown)}
            </time>
          </span>
        )}
      </div>
      <p>
        Sign up and we email you a short guide for each platform you use, then a reminder before the deadline until you
        tell us you have objected. Nothing else, and no tracking.
      </p>
      {errorEntries.length > 0 && (
        <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
          <h2 id="error-summary-title">Please check the form</h2>
          <ul>
            {errorEntries.map(([field, message]) => (
              <li>
                <a href={`#${field === 'platforms' ? 'platform-' + (campaign.platforms[0]?.id ?? '') : field}`}>
                  {FIELD_LABELS[field]}: {message}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form method="post" action="/subscribe" novalidate>
        <input type="hidden" name="campaign" value={campaign.id} />
        <label for="email">Email address</label>
        {errors.email && <p class="error" id="email-error">{errors.email}</p>}
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
          <legend>Which platforms do you use?</legend>
          {errors.platforms && <p class="error" id="platforms-error">{errors.platforms}</p>}
          {campaign.platforms.map((platform) => (
            <label class="check" for={`platform-${platform.id}`}>
              <input type="checkbox" id={`platform-${platform.id}`} name="platforms" value={platform.id} checked={picked.has(platform.id)} />
              {platform.name}
            </label>
          ))}
        </fieldset>
        <label for="timezone">Your time zone</label>
        <p class="hint" id="timezone-hint">Reminders arrive in the morning, your time. Example: Europe/Berlin.</p>
        {errors.timezone && <p class="error" id="timezone-error">{errors.timezone}</p>}
        <input
          type="text"
          id="timezone"
          name="timezone"
          value={timezone || campaign.deadline.timeZone}
          data-filled={timezone ? 'user' : undefined}
          autocomplete="off"
          aria-invalid={errors.timezone ? 'true' : undefined}
          aria-describedby={describedBy('timezone', 'timezone-hint')}
        />
        <label for="locale">Language of the emails</label>
        <select id="locale" name="locale">
          <option value="en" selected>English</option>
        </select>
        <div class="trap" aria-hidden="true">
          <label for="website">Leave this field empty</label>
          <input type="text" id="website" name="website" tabindex={-1} autocomplete="off" value="" />
        </div>
        {errors.consent && <p class="error" id="consent-error">{errors.consent}</p>}
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
          <span>{CONSENT_TEXT}</span>
        </label>
        {errors.campaign && <p class="error" id="campaign-error">{errors.campaign}</p>}
        <button type="submit">Send me the guides</button>
      </form>
      <p class="hint">
        We store only your email address, your picks, time zone, language and when you agreed. <a href="/privacy">Read the privacy page</a>.
      </p>
    </Layout>
  );
}

/** Shown after every accepted sign-up, whatever happened behind it. */
export function CheckInboxPage() {
  return (
    <Layout title="Check your inbox">
      <h1>Check your inbox</h1>
      <p role="status">
        If the address can receive reminders, an email with a confirmation button is on its way. Press it and your guides
        follow at once.
      </p>
      <p class="hint">Nothing there after a few minutes? Look in the spam folder. The request is deleted after 7 days if it is not confirmed.</p>
    </Layout>
  );
}
