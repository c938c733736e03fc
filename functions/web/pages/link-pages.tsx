import { campaignIn, countdownTo, isStanding, type Campaign } from '../../domain/campaign.js';
import { Locale, pathIn } from '../../domain/locale.js';
import type { Person } from '../../domain/person.js';
import type { PlatformId } from '../../domain/platform.js';
import type { SignupErrorCode } from '../../domain/signup.js';
import { platformsLeft, type Subscription } from '../../domain/subscription.js';
import { formatDay, formatLastMoment, textFor } from '../../locales/index.js';
import { Layout, MessagePage, type PageLanguage } from './layout.js';

const platformName = (campaign: Campaign, id: PlatformId) => campaign.platforms.find((p) => p.id === id)?.name ?? id;

/**
 * A form that POSTs back to the page's own path. Its button carries a name and value of its own,
 * which a browser sends only when a person presses it: a mail scanner that submits forms as they
 * stand sends neither, and changes nothing.
 */
export function PostButton(props: { action: string; label: string; name: string; value: string; secondary?: boolean; tick?: string; id?: string }) {
  const tickId = `tick-${props.id ?? props.name}`;
  return (
    <form method="post" action={props.action}>
      {props.tick && (
        <label class="check" for={tickId}>
          <input type="checkbox" id={tickId} name="sent" value="yes" required />
          <span>{props.tick}</span>
        </label>
      )}
      <button type="submit" name={props.name} value={props.value} class={props.secondary ? 'secondary' : undefined}>
        {props.label}
      </button>
    </form>
  );
}

/** One campaign of the person, in the page's language. */
export interface CampaignEntry {
  campaign: Campaign;
  subscription: Subscription;
}

const inLanguage = (entries: readonly CampaignEntry[], locale: Locale) => entries.map((e) => ({ ...e, campaign: campaignIn(e.campaign, locale) }));

export function ConfirmPage(props: PageLanguage & { action: string; waiting: CampaignEntry[]; watch: boolean }) {
  const { pages } = props.text;
  const waiting = inLanguage(props.waiting, props.locale);
  return (
    <MessagePage title={pages.confirmTitle} text={props.text} locale={props.locale}>
      <p>{pages.confirmWhat}</p>
      <ul>
        {waiting.map(({ campaign, subscription }) => (
          <li>
            <strong>{campaign.title}</strong>: {props.text.listOf([...subscription.platforms, ...(subscription.pendingPlatforms ?? [])].map((id) => platformName(campaign, id)))}
          </li>
        ))}
        {props.watch && <li>{pages.confirmWatch}</li>}
      </ul>
      <PostButton action={props.action} label={pages.confirmButton} name="confirm" value="yes" />
    </MessagePage>
  );
}

export function ConfirmedPage(props: PageLanguage & { alreadyConfirmed: boolean; confirmed: Campaign[]; preferencesUrl: string }) {
  const { pages } = props.text;
  const titles = props.confirmed.map((c) => campaignIn(c, props.locale).title);
  return (
    <MessagePage title={props.alreadyConfirmed ? pages.alreadyConfirmedTitle : pages.confirmedTitle} text={props.text} locale={props.locale}>
      <p role="status">{props.alreadyConfirmed ? pages.alreadyConfirmed : titles.length > 1 ? pages.confirmedSeveral(props.text.listOf(titles)) : pages.confirmed}</p>
      <p>
        <a href={props.preferencesUrl}>{pages.changePreferences}</a>
      </p>
    </MessagePage>
  );
}

export function ObjectionPage(props: PageLanguage & { campaign: Campaign; subscription: Subscription; platform: PlatformId; action: string }) {
  const { pages } = props.text;
  const name = platformName(campaignIn(props.campaign, props.locale), props.platform);
  const done = props.subscription.objections[props.platform] !== undefined;
  return (
    <MessagePage title={done ? pages.objectionDoneTitle(name) : pages.objectionAskTitle(name)} text={props.text} locale={props.locale}>
      {done ? (
        <>
          <p>{pages.objectionNoMoreReminders(name)}</p>
          <PostButton action={props.action} label={pages.undoButton(name)} name="undo" value="yes" secondary />
        </>
      ) : (
        <>
          <p>{pages.objectionAsk(name)}</p>
          <PostButton action={props.action} label={pages.objectionButton(name)} name="done" value="yes" tick={pages.objectionTick(name)} />
        </>
      )}
    </MessagePage>
  );
}

export function ObjectionRecordedPage(
  props: PageLanguage & { campaign: Campaign; platform: PlatformId; left: PlatformId[]; undone: boolean; action: string; preferencesUrl: string },
) {
  const { pages } = props.text;
  const campaign = campaignIn(props.campaign, props.locale);
  const name = platformName(campaign, props.platform);
  const title = props.undone ? pages.backOnListTitle(name) : props.left.length === 0 ? pages.allDoneTitle : pages.objectionDoneTitle(name);
  return (
    <MessagePage title={title} text={props.text} locale={props.locale}>
      <p role="status">
        {props.undone ? pages.backOnList(name) : props.left.length === 0 ? pages.allDone : pages.stillToDo(props.left.map((id) => platformName(campaign, id)).join(', '))}
      </p>
      {!props.undone && <PostButton action={props.action} label={pages.undoButton(name)} name="undo" value="yes" secondary />}
      <p>
        <a href={props.preferencesUrl}>{pages.seeAllPlatforms}</a>
      </p>
    </MessagePage>
  );
}

/** Unsubscribe from everything, or, as a second explicit button, stop only the campaign of the email. */
export function UnsubscribePage(props: PageLanguage & { action: string; campaign?: Campaign | undefined }) {
  const { pages } = props.text;
  const campaign = props.campaign ? campaignIn(props.campaign, props.locale) : undefined;
  return (
    <MessagePage title={pages.unsubscribeTitle} text={props.text} locale={props.locale}>
      <p>{pages.unsubscribe}</p>
      <PostButton action={props.action} label={pages.unsubscribeButton} name="scope" value="all" />
      {campaign && (
        <>
          <p>{pages.leaveCampaignIntro(campaign.title)}</p>
          <PostButton action={props.action} label={pages.leaveCampaignButton(campaign.title)} name="scope" value="campaign" secondary />
        </>
      )}
    </MessagePage>
  );
}

export function UnsubscribedPage(props: PageLanguage & { erased?: boolean }) {
  const { pages } = props.text;
  return (
    <MessagePage title={props.erased ? pages.erasedTitle : pages.unsubscribedTitle} text={props.text} locale={props.locale}>
      <p role="status">{props.erased ? pages.erased : pages.unsubscribed}</p>
    </MessagePage>
  );
}

export function LeftCampaignPage(props: PageLanguage & { campaign: Campaign }) {
  const { pages } = props.text;
  return (
    <MessagePage title={pages.leftCampaignTitle(campaignIn(props.campaign, props.locale).title)} text={props.text} locale={props.locale}>
      <p role="status">{pages.leftCampaign}</p>
    </MessagePage>
  );
}

/**
 * "Stop only this campaign" from an earlier sign-up's email, whose campaign the current sign-up
 * does not have: nothing changed, says why, and offers what the link can still do.
 */
export function NotSubscribedPage(props: PageLanguage & { campaign: Campaign; action: string }) {
  const { pages } = props.text;
  const title = campaignIn(props.campaign, props.locale).title;
  return (
    <MessagePage title={pages.notSubscribedTitle(title)} text={props.text} locale={props.locale}>
      <p role="status">{pages.notSubscribed(title)}</p>
      <PostButton action={props.action} label={pages.unsubscribeButton} name="scope" value="all" secondary />
    </MessagePage>
  );
}

export function KeepWatchingPage(props: PageLanguage & { action: string }) {
  const { pages } = props.text;
  return (
    <MessagePage title={pages.keepWatchingTitle} text={props.text} locale={props.locale}>
      <p>{pages.keepWatching}</p>
      <PostButton action={props.action} label={pages.keepWatchingButton} name="keep" value="yes" />
    </MessagePage>
  );
}

export function KeptWatchingPage(props: PageLanguage & { nextQuestion: string; preferencesUrl: string }) {
  const { pages } = props.text;
  return (
    <MessagePage title={pages.keptWatchingTitle} text={props.text} locale={props.locale}>
      <p role="status">{pages.keptWatching(props.nextQuestion)}</p>
      <p>
        <a href={props.preferencesUrl}>{pages.changePreferences}</a>
      </p>
    </MessagePage>
  );
}

/** One page for everything about a person: every campaign, the platforms they use, zone, language, their data. */
export function PreferencesPage(
  props: PageLanguage & {
    person: Person;
    campaigns: CampaignEntry[];
    action: string;
    /** The "I've objected" link of each (campaign, platform), for its do and undo buttons. */
    objectedPath: (campaignId: string, platform: PlatformId) => string;
    now: Date;
    errors?: Partial<Record<string, SignupErrorCode>>;
    saved?: boolean;
  },
) {
  const { person, errors = {}, text } = props;
  const { pages } = text;
  const campaigns = inLanguage(props.campaigns, props.locale);
  const offered = [...new Map(campaigns.flatMap(({ campaign }) => campaign.platforms.map((p) => [p.id, p.name] as const))).entries()];
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
      <h2>{pages.yourCampaigns}</h2>
      {campaigns.map(({ campaign, subscription }) => {
        // A standing campaign has no deadline to count down to.
        const countdown = isStanding(campaign) ? undefined : countdownTo(campaign, props.now, person.timeZone);
        const left = new Set(platformsLeft(subscription));
        return (
          <section aria-labelledby={`campaign-${campaign.id}`}>
            <h3 id={`campaign-${campaign.id}`}>{campaign.title}</h3>
            {subscription.state === 'ended' ? (
              <p>{pages.campaignEnded}</p>
            ) : subscription.state === 'pending' ? (
              <p>{pages.campaignPending}</p>
            ) : (
              <>
                <p>
                  <strong>{countdown ? text.countdown(countdown) : text.campaignForm.standing}</strong>
                  {countdown ? (countdown.passed ? '' : ` (${pages.until(formatLastMoment(countdown, text))})`) : ` (${text.campaignForm.standingHint})`}
                </p>
                <ul class="platform-status">
                  {subscription.platforms.map((id) => {
                    const name = platformName(campaign, id);
                    return (
                      <li>
                        {name} <span class="status-done">{left.has(id) ? pages.toDo : pages.done}</span>
                        {left.has(id) ? (
                          <PostButton action={props.objectedPath(campaign.id, id)} label={pages.markDone(name)} name="done" value="yes" tick={pages.objectionTick(name)} id={`${campaign.id}-${id}`} secondary />
                        ) : (
                          <PostButton action={props.objectedPath(campaign.id, id)} label={pages.undoButton(name)} name="undo" value="yes" secondary />
                        )}
                      </li>
                    );
                  })}
                </ul>
              </>
            )}
          </section>
        );
      })}
      <form method="post" action={props.action}>
        <fieldset>
          <legend>{pages.platformsYouUse}</legend>
          {offered.map(([id, name]) => (
            <label class="check" for={`platform-${id}`}>
              <input type="checkbox" id={`platform-${id}`} name="platforms" value={id} checked={person.platforms.includes(id)} />
              <span>{name}</span>
            </label>
          ))}
        </fieldset>
        {person.watch && <p>{pages.watching}</p>}
        <label for="timezone">{text.signup.timezone}</label>
        <input type="text" id="timezone" name="timezone" value={person.timeZone} autocomplete="off" />
        <label for="locale">{text.signup.locale}</label>
        <select id="locale" name="locale">
          {Locale.options.map((option) => (
            <option value={option} lang={option} selected={person.locale === option}>
              {textFor(option).languageName}
            </option>
          ))}
        </select>
        <button type="submit" name="save" value="yes">
          {pages.save}
        </button>
      </form>
      <h2>{pages.yourData}</h2>
      {person.retainUntil && <p>{pages.erasedOn(formatDay(person.retainUntil, person.timeZone, text))}</p>}
      <p>
        <a href={`${props.action}/data`} download="optout-countdown-data.json">
          {pages.download}
        </a>
      </p>
      <p>{pages.deleteIntro}</p>
      <PostButton action={`${props.action}/delete`} label={pages.deleteButton} name="delete" value="yes" secondary />
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
