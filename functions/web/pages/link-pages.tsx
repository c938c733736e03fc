import { countdownTo, type Campaign } from '../../domain/campaign.js';
import { Locale, pathIn } from '../../domain/locale.js';
import type { PlatformId } from '../../domain/platform.js';
import type { SignupErrorCode } from '../../domain/signup.js';
import { platformsLeft } from '../../domain/subscriber.js';
import { formatLastMoment, textFor } from '../../locales/index.js';
import type { StoredSubscriber } from '../../store/subscriber-store.js';
import { Layout, MessagePage, type PageLanguage } from './layout.js';

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

/** Pages behind a subscriber's link speak the subscriber's language, about the campaign in it. */
type LinkPageProps = PageLanguage & { campaign: Campaign };

export function ConfirmPage(props: LinkPageProps & { action: string }) {
  const { pages } = props.text;
  return (
    <MessagePage title={pages.confirmTitle} text={props.text} locale={props.locale}>
      <p>{pages.confirmIntro(props.campaign.title)}</p>
      <PostButton action={props.action} label={pages.confirmButton} />
    </MessagePage>
  );
}

export function ConfirmedPage(props: PageLanguage & { alreadyConfirmed: boolean; preferencesUrl: string }) {
  const { pages } = props.text;
  return (
    <MessagePage title={props.alreadyConfirmed ? pages.alreadyConfirmedTitle : pages.confirmedTitle} text={props.text} locale={props.locale}>
      <p role="status">{props.alreadyConfirmed ? pages.alreadyConfirmed : pages.confirmed}</p>
      <p>
        <a href={props.preferencesUrl}>{pages.changePreferences}</a>
      </p>
    </MessagePage>
  );
}

export function ObjectionPage(props: LinkPageProps & { subscriber: StoredSubscriber; platform: PlatformId; action: string }) {
  const { pages } = props.text;
  const name = platformName(props.campaign, props.platform);
  const done = props.subscriber.objections[props.platform] !== undefined;
  return (
    <MessagePage title={done ? pages.objectionDoneTitle(name) : pages.objectionAskTitle(name)} text={props.text} locale={props.locale}>
      {done ? (
        <>
          <p>{pages.objectionNoMoreReminders(name)}</p>
          <PostButton action={props.action} label={pages.undoButton(name)} fields={{ undo: '1' }} secondary />
        </>
      ) : (
        <>
          <p>{pages.objectionAsk(name)}</p>
          <PostButton action={props.action} label={pages.objectionButton(name)} />
        </>
      )}
    </MessagePage>
  );
}

export function ObjectionRecordedPage(
  props: LinkPageProps & { platform: PlatformId; left: PlatformId[]; undone: boolean; action: string; preferencesUrl: string },
) {
  const { pages } = props.text;
  const name = platformName(props.campaign, props.platform);
  const title = props.undone ? pages.backOnListTitle(name) : props.left.length === 0 ? pages.allDoneTitle : pages.objectionDoneTitle(name);
  return (
    <MessagePage title={title} text={props.text} locale={props.locale}>
      <p role="status">
        {props.undone
          ? pages.backOnList(name)
          : props.left.length === 0
            ? pages.allDone
            : pages.stillToDo(props.left.map((id) => platformName(props.campaign, id)).join(', '))}
      </p>
      {!props.undone && <PostButton action={props.action} label={pages.undoButton(name)} fields={{ undo: '1' }} secondary />}
      <p>
        <a href={props.preferencesUrl}>{pages.seeAllPlatforms}</a>
      </p>
    </MessagePage>
  );
}

export function UnsubscribePage(props: PageLanguage & { action: string }) {
  const { pages } = props.text;
  return (
    <MessagePage title={pages.unsubscribeTitle} text={props.text} locale={props.locale}>
      <p>{pages.unsubscribe}</p>
      <PostButton action={props.action} label={pages.unsubscribeButton} />
    </MessagePage>
  );
}

export function UnsubscribedPage(props: PageLanguage) {
  const { pages } = props.text;
  return (
    <MessagePage title={pages.unsubscribedTitle} text={props.text} locale={props.locale}>
      <p role="status">{pages.unsubscribed}</p>
    </MessagePage>
  );
}

export function PreferencesPage(
  props: LinkPageProps & {
    subscriber: StoredSubscriber;
    action: string;
    now: Date;
    errors?: Partial<Record<string, SignupErrorCode>>;
    saved?: boolean;
  },
) {
  const { campaign, subscriber, errors = {}, text } = props;
  const { pages } = text;
  const countdown = countdownTo(campaign, props.now, subscriber.timeZone);
  const left = new Set(platformsLeft(subscriber));
  const messages = Object.values(errors).filter((code): code is SignupErrorCode => code !== undefined);
  return (
    <Layout title={pages.preferencesTitle} text={text} locale={props.locale}>
      <h1>{pages.preferencesTitle}</h1>
      {props.saved && <p role="status">{pages.saved}</p>}
      {messages.length > 0 && (
        <div class="error-summary" role="alert">
          {messages.map((code) => (
            <p class="error">{text.fieldErrors[code]}</p>
          ))}
        </div>
      )}
      <p>
        {campaign.title}: <strong>{text.countdown(countdown)}</strong>
        {countdown.passed ? '' : ` (${pages.until(formatLastMoment(countdown, text))})`}
      </p>
      <form method="post" action={props.action}>
        <fieldset>
          <legend>{pages.platformsToRemind}</legend>
          {campaign.platforms.map((platform) => {
            const picked = subscriber.platforms.includes(platform.id);
            return (
              <label class="check" for={`platform-${platform.id}`}>
                <input type="checkbox" id={`platform-${platform.id}`} name="platforms" value={platform.id} checked={picked} />
                <span>
                  {platform.name} <span class="status-done">{picked ? (left.has(platform.id) ? pages.toDo : pages.done) : ''}</span>
                </span>
              </label>
            );
          })}
        </fieldset>
        <label for="timezone">{text.signup.timezone}</label>
        <input type="text" id="timezone" name="timezone" value={subscriber.timeZone} autocomplete="off" />
        <label for="locale">{text.signup.locale}</label>
        <select id="locale" name="locale">
          {Locale.options.map((option) => (
            <option value={option} lang={option} selected={subscriber.locale === option}>
              {textFor(option).languageName}
            </option>
          ))}
        </select>
        <button type="submit">{pages.save}</button>
      </form>
      <h2>{pages.yourData}</h2>
      <p>
        <a href={`${props.action}/data`} download="optout-countdown-data.json">
          {pages.download}
        </a>
      </p>
      <form method="post" action={`${props.action}/delete`}>
        <p>{pages.deleteIntro}</p>
        <button type="submit" class="secondary">
          {pages.deleteButton}
        </button>
      </form>
    </Layout>
  );
}

export function ErrorPage(props: PageLanguage & { title: string; message: string }) {
  return (
    <MessagePage title={props.title} text={props.text} locale={props.locale}>
      <p>{props.message}</p>
      <p>
        <a href={pathIn('/', props.locale)}>{props.text.pages.toForm}</a>
      </p>
    </MessagePage>
  );
}
