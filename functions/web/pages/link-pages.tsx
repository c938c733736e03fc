import type { PersonView } from '../../app/signup-journey.js';
import { campaignIn, type Campaign } from '../../domain/campaign.js';
import type { ChecklistItem, ChecklistSummary } from '../../domain/checklist.js';
import { Locale, pathIn } from '../../domain/locale.js';
import { groupByCompany, platformIn, type Platform, type PlatformId } from '../../domain/platform.js';
import type { SignupErrorCode } from '../../domain/signup.js';
import { formatDay, textFor, type Text } from '../../locales/index.js';
import { Layout, MessagePage, type PageLanguage } from './layout.js';
import { Guide, todayText } from './signup-page.js';

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

/** The names of some checklist items in the reader's language, joined as a list ("Facebook, X and LinkedIn"). */
function namesOf(items: readonly Pick<ChecklistItem, 'platform'>[], text: Text, locale: Locale): string {
  return text.listOf(items.map((item) => platformIn(item.platform, locale).name));
}

/**
 * The person's whole list in a sentence: what is done and what is left ("Facebook done; X and
 * LinkedIn left."), "all done" only when nothing is left or waiting, and what waits for a
 * confirmation by email.
 */
export function listSentences(summary: ChecklistSummary, text: Text, locale: Locale): string[] {
  const { pages } = text;
  const { done, left, pending } = summary;
  const names = (items: readonly ChecklistItem[]) => namesOf(items, text, locale);
  const sentences: string[] = [];
  if (left.length > 0) sentences.push(done.length > 0 ? pages.doneAndLeft(names(done), names(left)) : pages.noneDoneYet(names(left)));
  else if (done.length > 0) sentences.push(pending.length > 0 ? pages.doneSoFar(names(done)) : pages.allDone(names(done)));
  if (pending.length > 0) sentences.push(pages.pendingToo(names(pending)));
  return sentences;
}

/** Whether nothing on the person's list is left or waiting: the one state in which a page may say "all done". */
export function isAllDone(summary: ChecklistSummary): boolean {
  return summary.left.length === 0 && summary.pending.length === 0 && summary.done.length > 0;
}

/** The page a confirmation link opens: exactly what the button confirms, then the button. */
export function ConfirmPage(props: PageLanguage & { action: string; waiting: readonly ChecklistItem[]; watchAsked: boolean }) {
  const { pages } = props.text;
  const platformsWait = props.waiting.length > 0;
  return (
    <MessagePage title={pages.confirmTitle} text={props.text} locale={props.locale}>
      {platformsWait && (
        <>
          <p>{pages.confirmWhat}</p>
          <ul class="confirming">
            {props.waiting.map((item) => (
              <li>{platformIn(item.platform, props.locale).name}</li>
            ))}
          </ul>
        </>
      )}
      {props.watchAsked && <p class="confirming-watch">{platformsWait ? pages.confirmWatchToo : pages.confirmWatchOnly}</p>}
      <PostButton action={props.action} label={platformsWait ? pages.confirmButton : pages.confirmWatchButton} name="confirm" value="yes" />
    </MessagePage>
  );
}

/** After the confirmation button: what it confirmed, and that the guides come in one email. */
export function ConfirmedPage(
  props: PageLanguage & { alreadyConfirmed: boolean; confirmed: readonly ChecklistItem[]; watchStarted: boolean; summary: ChecklistSummary; preferencesUrl: string },
) {
  const { pages } = props.text;
  return (
    <MessagePage title={props.alreadyConfirmed ? pages.alreadyConfirmedTitle : pages.confirmedTitle} text={props.text} locale={props.locale}>
      {props.alreadyConfirmed ? (
        <p role="status">{pages.alreadyConfirmed}</p>
      ) : (
        <div role="status">
          {props.confirmed.length > 0 && <p>{pages.confirmed(namesOf(props.confirmed, props.text, props.locale))}</p>}
          {props.watchStarted && <p>{props.confirmed.length > 0 ? pages.confirmedWatch : pages.watchStarted}</p>}
        </div>
      )}
      {listSentences(props.summary, props.text, props.locale).map((sentence) => (
        <p>{sentence}</p>
      ))}
      <p>
        <a href={props.preferencesUrl}>{pages.yourList}</a>
      </p>
    </MessagePage>
  );
}

/** What a platform's action asks of the person today, with the link to its form or setting. */
function ActionToday(props: { item: ChecklistItem; now: Date; timeZone: string } & PageLanguage) {
  const { text, locale } = props;
  const platform = platformIn(props.item.platform, locale);
  const words = text.campaignForm;
  return (
    <>
      <p class="today">{todayText(props.item, { now: props.now, timeZone: props.timeZone, locale, text })}</p>
      {platform.url && (
        <p>
          <a href={platform.url} rel="noreferrer">
            {platform.action === 'form' ? words.formLink : words.settingLink}: {platform.name}
          </a>
        </p>
      )}
      <p>
        <strong>{words.doneLabel}</strong> {platform.doneMeans}
      </p>
    </>
  );
}

/** "I've objected" for a platform that has an opt-out; "Done" where there is only a way to limit it. */
function doneWords(platform: Platform, text: Text): { button: string; tick: string } {
  const { pages } = text;
  return platform.action === 'limit'
    ? { button: pages.limitButton(platform.name), tick: pages.limitTick(platform.name) }
    : { button: pages.objectionButton(platform.name), tick: pages.objectionTick(platform.name) };
}

/** The page of an "I've objected" link: asks first (a GET changes nothing), or says it is done, with an undo. */
export function ObjectionPage(props: PageLanguage & { item: ChecklistItem; summary: ChecklistSummary; action: string; now: Date; timeZone: string; preferencesUrl: string }) {
  const { pages } = props.text;
  const { item } = props;
  const platform = platformIn(item.platform, props.locale);
  if (item.doneAt) {
    return (
      <MessagePage title={pages.objectionDoneTitle(platform.name)} text={props.text} locale={props.locale}>
        <p>{pages.objectionDoneOn(platform.name, formatDay(item.doneAt.toISOString(), props.timeZone, props.text))}</p>
        {listSentences(props.summary, props.text, props.locale).map((sentence) => (
          <p>{sentence}</p>
        ))}
        <PostButton action={props.action} label={pages.undoButton(platform.name)} name="undo" value="yes" secondary />
        <p>
          <a href={props.preferencesUrl}>{pages.yourList}</a>
        </p>
      </MessagePage>
    );
  }
  const words = doneWords(platform, props.text);
  return (
    <MessagePage title={pages.objectionAskTitle(platform.name)} text={props.text} locale={props.locale}>
      {item.markOutdated && <p class="notice">{pages.objectionOutdated(platform.name)}</p>}
      <ActionToday item={item} now={props.now} timeZone={props.timeZone} text={props.text} locale={props.locale} />
      <p>{pages.objectionAsk(platform.name)}</p>
      <PostButton action={props.action} label={words.button} name="done" value="yes" tick={words.tick} />
      <p>
        <a href={props.preferencesUrl}>{pages.yourList}</a>
      </p>
    </MessagePage>
  );
}

/** After "I've objected" (or its undo): what is done and what is left of the whole list. */
export function ObjectionRecordedPage(props: PageLanguage & { item: ChecklistItem; summary: ChecklistSummary; undone: boolean; watching: boolean; action: string; preferencesUrl: string }) {
  const { pages } = props.text;
  const name = platformIn(props.item.platform, props.locale).name;
  const allDone = !props.undone && isAllDone(props.summary);
  const title = props.undone ? pages.backOnListTitle(name) : allDone ? pages.allDoneTitle : pages.objectionDoneTitle(name);
  return (
    <MessagePage title={title} text={props.text} locale={props.locale}>
      <div role="status">
        {props.undone && <p>{pages.backOnList(name)}</p>}
        {listSentences(props.summary, props.text, props.locale).map((sentence) => (
          <p>{sentence}</p>
        ))}
        {allDone && props.watching && <p>{pages.watchingToo}</p>}
      </div>
      {!props.undone && <PostButton action={props.action} label={pages.undoButton(name)} name="undo" value="yes" secondary />}
      <p>
        <a href={props.preferencesUrl}>{pages.yourList}</a>
      </p>
    </MessagePage>
  );
}

/**
 * Unsubscribe from everything; for an old link that names a campaign, a second explicit button
 * stops only that campaign's platforms (named, where the person has any on their list).
 */
export function UnsubscribePage(props: PageLanguage & { action: string; campaign?: Campaign | undefined; dropping: readonly Platform[] }) {
  const { pages } = props.text;
  const campaign = props.campaign ? campaignIn(props.campaign, props.locale) : undefined;
  const names = props.text.listOf(props.dropping.map((platform) => platformIn(platform, props.locale).name));
  return (
    <MessagePage title={pages.unsubscribeTitle} text={props.text} locale={props.locale}>
      <p>{pages.unsubscribe}</p>
      <PostButton action={props.action} label={pages.unsubscribeButton} name="scope" value="all" />
      {campaign && props.dropping.length > 0 && (
        <>
          <p>{pages.leaveCampaignIntro(campaign.title, names)}</p>
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

/** After "stop only this campaign": which platforms left the list; the rest goes on. */
export function LeftCampaignPage(props: PageLanguage & { campaign: Campaign; dropped: readonly Platform[] }) {
  const { pages } = props.text;
  const names = props.text.listOf(props.dropped.map((platform) => platformIn(platform, props.locale).name));
  return (
    <MessagePage title={pages.leftCampaignTitle(campaignIn(props.campaign, props.locale).title)} text={props.text} locale={props.locale}>
      <p role="status">{pages.leftCampaign(names)}</p>
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
        <a href={props.preferencesUrl}>{pages.yourList}</a>
      </p>
    </MessagePage>
  );
}

/** One platform's row on the preferences page: where the person stands, and what they can do about it. */
function PlatformRow(props: { platform: Platform; item: ChecklistItem | undefined; action: string; objectedPath: string; now: Date; timeZone: string; heading: 'h3' | 'h4' } & PageLanguage) {
  const { text, locale, item } = props;
  const { pages } = text;
  const platform = platformIn(props.platform, locale);
  const id = platform.id;
  const drop = <PostButton action={props.action} label={pages.dropButton(platform.name)} name="drop" value={id} secondary />;
  let status: string;
  let buttons;
  if (!item) {
    status = pages.statusNotListed;
    buttons = <PostButton action={props.action} label={pages.addButton(platform.name)} name="add" value={id} secondary />;
  } else if (item.state === 'pending') {
    status = pages.statusPending;
    buttons = (
      <>
        <PostButton action={props.action} label={pages.addNowButton(platform.name)} name="add" value={id} secondary />
        {drop}
      </>
    );
  } else if (item.doneAt) {
    status = pages.statusDone(formatDay(item.doneAt.toISOString(), props.timeZone, text));
    buttons = (
      <>
        <PostButton action={props.objectedPath} label={pages.undoButton(platform.name)} name="undo" value="yes" secondary />
        {drop}
      </>
    );
  } else {
    const words = doneWords(platform, text);
    status = `${pages.statusLeft}: ${todayText(item, { now: props.now, timeZone: props.timeZone, locale, text })}`;
    buttons = (
      <>
        <PostButton action={props.objectedPath} label={words.button} name="done" value="yes" tick={words.tick} id={id} secondary />
        {drop}
      </>
    );
  }
  return (
    <li class={`platform-row ${item ? (item.state === 'pending' ? 'pending' : item.doneAt ? 'done' : 'left') : 'not-listed'}`}>
      {props.heading === 'h3' ? <h3>{platform.name}</h3> : <h4>{platform.name}</h4>}
      <p class="status">{status}</p>
      {item?.markOutdated && <p class="notice">{pages.objectionOutdated(platform.name)}</p>}
      <div class="buttons">{buttons}</div>
      <Guide platform={platform} text={text} />
    </li>
  );
}

/**
 * One page for everything about a person: their list (each platform done with its date, left with
 * today's action, or waiting for their email) with its buttons, then every other platform the
 * service covers with a button to add it; the watch with its own button; zone and language; their
 * data.
 */
export function PreferencesPage(
  props: PageLanguage & {
    view: PersonView;
    catalog: readonly Platform[];
    action: string;
    /** The "I've objected" link of each platform, for its do and undo buttons. */
    objectedPath: (platform: PlatformId) => string;
    now: Date;
    /** What the last press did, in a sentence. */
    notice?: string | undefined;
    errors?: Partial<Record<string, SignupErrorCode>>;
  },
) {
  const { view, errors = {}, text, locale } = props;
  const { person } = view;
  const { pages } = text;
  const messages = Object.values(errors).filter((code): code is SignupErrorCode => code !== undefined);
  const listed = new Set(view.checklist.map((item) => item.platform.id));
  const byId = new Map(props.catalog.map((platform) => [platform.id, platform]));
  return (
    <Layout title={pages.preferencesTitle} text={text} locale={locale}>
      <h1>{pages.preferencesTitle}</h1>
      {props.notice && (
        <p role="status" class="notice">
          {props.notice}
        </p>
      )}
      {messages.length > 0 && (
        <div class="error-summary" role="alert">
          {messages.map((code) => (
            <p class="error">{text.fieldErrors[code]}</p>
          ))}
        </div>
      )}
      {listSentences(view.summary, text, locale).map((sentence) => (
        <p>{sentence}</p>
      ))}
      {view.checklist.length > 0 && (
        <>
          <h2>{pages.yourPlatforms}</h2>
          <ul class="platform-list">
            {view.checklist.map((item) => (
              <PlatformRow
                platform={item.platform}
                item={item}
                action={props.action}
                objectedPath={props.objectedPath(item.platform.id)}
                now={props.now}
                timeZone={person.timeZone}
                heading="h3"
                text={text}
                locale={locale}
              />
            ))}
          </ul>
        </>
      )}
      <h2>{pages.otherPlatforms}</h2>
      <p class="hint">{pages.otherPlatformsHint}</p>
      {groupByCompany(
        props.catalog.map((platform) => platform.id).filter((id) => !listed.has(id)),
        props.catalog,
      ).map(([company, ids]) => (
        <section aria-labelledby={`company-${company}`}>
          <h3 id={`company-${company}`}>{text.campaignForm.groups[company]}</h3>
          <ul class="platform-list">
            {ids.map((id) => (
              <PlatformRow
                platform={byId.get(id)!}
                item={undefined}
                action={props.action}
                objectedPath={props.objectedPath(id)}
                now={props.now}
                timeZone={person.timeZone}
                heading="h4"
                text={text}
                locale={locale}
              />
            ))}
          </ul>
        </section>
      ))}
      <h2>{pages.watchHeading}</h2>
      {person.watch ? (
        <>
          <p>{pages.watching}</p>
          <PostButton action={props.action} label={pages.watchStop} name="watch" value="off" secondary />
        </>
      ) : (
        <>
          <p>{pages.notWatching}</p>
          <p class="hint">{text.campaignForm.watchHint}</p>
          <PostButton action={props.action} label={pages.watchStart} name="watch" value="on" secondary />
        </>
      )}
      <h2>{pages.zoneAndLanguage}</h2>
      <form method="post" action={props.action}>
        <label for="timezone">{text.signup.timezone}</label>
        {errors.timezone && (
          <p class="error" id="timezone-error">
            {text.fieldErrors[errors.timezone]}
          </p>
        )}
        <input
          type="text"
          id="timezone"
          name="timezone"
          value={person.timeZone}
          autocomplete="off"
          aria-invalid={errors.timezone ? 'true' : undefined}
          aria-describedby={errors.timezone ? 'timezone-error' : undefined}
        />
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
