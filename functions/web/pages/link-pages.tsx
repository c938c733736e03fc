import { countdownTo, describeCountdown, describeLastMoment, type Campaign } from '../../domain/campaign.js';
import type { PlatformId } from '../../domain/platform.js';
import { platformsLeft } from '../../domain/subscriber.js';
import type { StoredSubscriber } from '../../store/subscriber-store.js';
import { Layout, MessagePage } from './layout.js';

const platformName = (campaign: Campaign, id: PlatformId) => campaign.platforms.find((p) => p.id === id)?.name ?? id;

/** A form whose only control is one button that POSTs back to the page's own path. */
function PostButton(props: { action: string; label: string; fields?: Record<string, string>; secondary?: boolean }) {
  return (
    <form method="post" action={props.action}>
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={props.secondary ? 'secondary' : undefined}>
        {props.label}
      </button>
    </form>
  );
}

export function ConfirmPage(props: { campaign: Campaign; action: string }) {
  return (
    <MessagePage title="Confirm your sign-up">
      <p>
        One click and we send your guides for <strong>{props.campaign.title}</strong>, then reminders before the deadline.
      </p>
      <PostButton action={props.action} label="Yes, send me the guides" />
    </MessagePage>
  );
}

export function ConfirmedPage(props: { alreadyConfirmed: boolean; preferencesUrl: string }) {
  return (
    <MessagePage title={props.alreadyConfirmed ? 'Already confirmed' : 'You are in'}>
      <p role="status">
        {props.alreadyConfirmed
          ? 'This address was already confirmed. Your guide is in your inbox.'
          : 'Thank you. Your guide is on its way: it has the steps for each platform you picked.'}
      </p>
      <p>
        <a href={props.preferencesUrl}>Change your platforms or time zone</a>
      </p>
    </MessagePage>
  );
}

export function ObjectionPage(props: { campaign: Campaign; subscriber: StoredSubscriber; platform: PlatformId; action: string }) {
  const name = platformName(props.campaign, props.platform);
  const done = props.subscriber.objections[props.platform] !== undefined;
  return (
    <MessagePage title={done ? `${name} is marked as done` : `Mark ${name} as done?`}>
      {done ? (
        <>
          <p>We no longer remind you about {name}.</p>
          <PostButton action={props.action} label={`Undo: ${name} is not done yet`} fields={{ undo: '1' }} secondary />
        </>
      ) : (
        <>
          <p>
            Press the button once you have objected on {name}. We then stop reminding you about it.
          </p>
          <PostButton action={props.action} label={`I've objected on ${name}`} />
        </>
      )}
    </MessagePage>
  );
}

export function ObjectionRecordedPage(props: {
  campaign: Campaign;
  platform: PlatformId;
  left: PlatformId[];
  undone: boolean;
  action: string;
  preferencesUrl: string;
}) {
  const name = platformName(props.campaign, props.platform);
  const title = props.undone ? `${name} is back on your list` : props.left.length === 0 ? 'Well done: all objections made' : `${name} is marked as done`;
  return (
    <MessagePage title={title}>
      <p role="status">
        {props.undone
          ? `We will remind you about ${name} again.`
          : props.left.length === 0
            ? 'You have objected on every platform you picked. The reminders stop here.'
            : `Still to do: ${props.left.map((id) => platformName(props.campaign, id)).join(', ')}. Your next reminder lists only these.`}
      </p>
      {!props.undone && <PostButton action={props.action} label={`Undo: ${name} is not done yet`} fields={{ undo: '1' }} secondary />}
      <p>
        <a href={props.preferencesUrl}>See all your platforms</a>
      </p>
    </MessagePage>
  );
}

export function UnsubscribePage(props: { action: string }) {
  return (
    <MessagePage title="Unsubscribe?">
      <p>You will get no more emails from optout-countdown, and we delete your data.</p>
      <PostButton action={props.action} label="Unsubscribe" />
    </MessagePage>
  );
}

export function UnsubscribedPage() {
  return (
    <MessagePage title="You are unsubscribed">
      <p role="status">No more emails will come. We deleted your address and choices, keeping only a scrambled fingerprint so that we never write to you again unless you sign up anew.</p>
    </MessagePage>
  );
}

export function PreferencesPage(props: {
  campaign: Campaign;
  subscriber: StoredSubscriber;
  action: string;
  now: Date;
  errors?: Record<string, string>;
  saved?: boolean;
}) {
  const { campaign, subscriber, errors = {} } = props;
  const countdown = countdownTo(campaign, props.now, subscriber.timeZone);
  const left = new Set(platformsLeft(subscriber));
  return (
    <Layout title="Your preferences">
      <h1>Your preferences</h1>
      {props.saved && <p role="status">Saved.</p>}
      {Object.keys(errors).length > 0 && (
        <div class="error-summary" role="alert">
          {Object.values(errors).map((message) => (
            <p class="error">{message}</p>
          ))}
        </div>
      )}
      <p>
        {campaign.title}: <strong>{describeCountdown(countdown)}</strong>
        {countdown.passed ? '' : ` (until ${describeLastMoment(countdown)})`}
      </p>
      <form method="post" action={props.action}>
        <fieldset>
          <legend>Platforms to remind you about</legend>
          {campaign.platforms.map((platform) => {
            const picked = subscriber.platforms.includes(platform.id);
            return (
              <label class="check" for={`platform-${platform.id}`}>
                <input type="checkbox" id={`platform-${platform.id}`} name="platforms" value={platform.id} checked={picked} />
                <span>
                  {platform.name}{' '}
                  <span class="status-done">{picked ? (left.has(platform.id) ? '(to do)' : '(done)') : ''}</span>
                </span>
              </label>
            );
          })}
        </fieldset>
        <label for="timezone">Your time zone</label>
        <input type="text" id="timezone" name="timezone" value={subscriber.timeZone} autocomplete="off" />
        <label for="locale">Language of the emails</label>
        <select id="locale" name="locale">
          <option value="en" selected={subscriber.locale === 'en'}>
            English
          </option>
        </select>
        <button type="submit">Save</button>
      </form>
      <h2>Your data</h2>
      <p>
        <a href={`${props.action}/data`} download="optout-countdown-data.json">
          Download everything we store about you (JSON)
        </a>
      </p>
      <form method="post" action={`${props.action}/delete`}>
        <p>Delete me: stops every email and erases your data now.</p>
        <button type="submit" class="secondary">
          Delete my data
        </button>
      </form>
    </Layout>
  );
}

export function ErrorPage(props: { title: string; message: string }) {
  return (
    <MessagePage title={props.title}>
      <p>{props.message}</p>
      <p>
        <a href="/">Go to the sign-up form</a>
      </p>
    </MessagePage>
  );
}

export function PrivacyPage(props: { pendingDays: number }) {
  return (
    <MessagePage title="Privacy">
      <p>optout-countdown exists to help you keep your data out of AI training, so it keeps as little of yours as it can.</p>
      <h2>What we store, and why</h2>
      <ul>
        <li>Your email address: to send the guide and the reminders.</li>
        <li>The platforms you picked and which ones you marked as done: so each reminder lists only what is left.</li>
        <li>Your time zone and language: so reminders arrive in your morning, in your language.</li>
        <li>When you agreed and to which version of the consent text: the law asks us to be able to prove consent.</li>
      </ul>
      <h2>For how long</h2>
      <ul>
        <li>An unconfirmed sign-up is deleted after {props.pendingDays} days.</li>
        <li>When you unsubscribe or press "Delete my data", your data is erased at once. We keep only a keyed fingerprint (hash) of your address, the date and the reason, so that we never email you again unless you sign up anew.</li>
      </ul>
      <h2>What we never do</h2>
      <p>No tracking pixels, no rewritten links, no advertising, no sharing. Your IP address is used, scrambled, only to slow down abuse and is not kept.</p>
      <h2>Your rights</h2>
      <p>Every email has a link to your preferences page: download everything we store as a file, change it, or delete it.</p>
    </MessagePage>
  );
}
