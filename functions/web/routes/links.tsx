import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { PreferenceSettings, type PersonView, type PreferenceErrors, type SignupJourney } from '../../app/signup-journey.js';
import type { Campaign } from '../../domain/campaign.js';
import { DomainError } from '../../domain/errors.js';
import type { Person } from '../../domain/person.js';
import { pathIn } from '../../domain/locale.js';
import { platformIn, PlatformId, type Platform } from '../../domain/platform.js';
import { explicitYes, fieldErrorsOf } from '../../domain/signup.js';
import type { PersonRef } from '../../mail/links.js';
import { formatDay, wordFieldErrors } from '../../locales/index.js';
import {
  ConfirmedPage,
  ConfirmPage,
  isAllDone,
  KeepWatchingPage,
  KeptWatchingPage,
  LeftCampaignPage,
  NotSubscribedPage,
  ObjectionPage,
  ObjectionRecordedPage,
  PreferencesPage,
  UnsubscribedPage,
  UnsubscribePage,
} from '../pages/link-pages.js';
import { pageLanguage, readBody, wantsJson } from '../respond.js';
import { calendarResponse, calendarSequence, calendarUid } from './calendar.js';

/** Whether a POST carries the named button's own value: a person pressed it. */
const pressed = (body: Record<string, unknown>, name: string, value = 'yes') => [body[name]].flat().includes(value) || (value === 'yes' && body[name] === true);

const lastOf = (value: unknown) => (Array.isArray(value) ? value.at(-1) : value);

/** The platform a button such as "Add Claude" names as its value, if one was pressed. */
const pressedPlatform = (body: Record<string, unknown>, name: string): PlatformId | undefined => PlatformId.safeParse(lastOf(body[name])).data;

const pressButton = () => new DomainError('input', 'press_button', 'Nothing was changed: please press one of the buttons on the page.');

/**
 * The routes behind the links in emails. A GET only shows a page (mail scanners fetch every
 * link); its button POSTs to the same path, and only a POST with that button's own name and value
 * (and, for "I've objected", the ticked box) changes anything, so a scanner that submits forms as
 * they stand changes nothing. RFC 8058's one-click POST needs no page and acts at once.
 */
export function linkRoutes({ journey, platforms }: { journey: SignupJourney; platforms: readonly Platform[] }): Hono {
  const app = new Hono();
  const path = (kind: string, token: string) => `/${kind}/${token}`;
  const preferencesUrl = (person: PersonRef) => journey.links.preferences(person);
  const language = (c: Context, person: Pick<Person, 'locale'> | undefined) => pageLanguage(c, person?.locale);

  app.get('/confirm/:token', async (c) => {
    const token = c.req.param('token');
    const target = await journey.openConfirmation(token);
    const lang = language(c, target.person);
    if (target.waiting.length === 0 && !target.watchAsked) {
      return c.html(<ConfirmedPage alreadyConfirmed confirmed={[]} watchStarted={false} summary={target.summary} preferencesUrl={preferencesUrl(target.person)} {...lang} />);
    }
    return c.html(<ConfirmPage action={path('confirm', token)} waiting={target.waiting} watchAsked={target.watchAsked} {...lang} />);
  });
  app.post('/confirm/:token', async (c) => {
    const body = await readBody(c);
    journey.verify(c.req.param('token'), 'confirm');
    if (!pressed(body, 'confirm')) throw pressButton();
    const result = await journey.confirm(c.req.param('token'));
    if (wantsJson(c)) {
      return c.json({ status: result.alreadyConfirmed ? 'already_confirmed' : 'confirmed', platforms: result.confirmed.map((item) => item.platform.id), watch: result.watchStarted });
    }
    return c.html(
      <ConfirmedPage
        alreadyConfirmed={result.alreadyConfirmed}
        confirmed={result.confirmed}
        watchStarted={result.watchStarted}
        summary={result.summary}
        preferencesUrl={preferencesUrl(result.person)}
        {...language(c, result.person)}
      />,
    );
  });

  app.get('/objected/:token', async (c) => {
    const token = c.req.param('token');
    const target = await journey.openObjection(token);
    return c.html(
      <ObjectionPage
        item={target.item}
        summary={target.summary}
        action={path('objected', token)}
        now={journey.clock()}
        timeZone={target.person.timeZone}
        preferencesUrl={preferencesUrl(target.person)}
        {...language(c, target.person)}
      />,
    );
  });
  app.post('/objected/:token', async (c) => {
    const token = c.req.param('token');
    const body = await readBody(c);
    // Only an explicit undo undoes; marking done needs the ticked box "I have sent the form".
    const undo = explicitYes.parse(body.undo);
    if (!undo && !explicitYes.parse(body.sent)) {
      throw new DomainError('input', 'objection_not_ticked', 'Nothing was changed: tick the box to say that you have objected, then press the button.');
    }
    const result = undo ? await journey.undoObjection(token) : await journey.recordObjection(token);
    if (wantsJson(c)) {
      return c.json({
        platform: result.item.platform.id,
        done: result.item.doneAt !== undefined,
        left: result.summary.left.map((item) => item.platform.id),
        allDone: isAllDone(result.summary),
      });
    }
    return c.html(
      <ObjectionRecordedPage
        item={result.item}
        summary={result.summary}
        undone={undo}
        watching={result.person.watch}
        action={path('objected', token)}
        preferencesUrl={preferencesUrl(result.person)}
        {...language(c, result.person)}
      />,
    );
  });

  /** The platforms of the person's list that "stop only this campaign" would drop. */
  const campaignPlatforms = (person: Person | undefined, campaign: Campaign | undefined): Platform[] =>
    person && campaign
      ? platforms.filter((platform) => campaign.platforms.includes(platform.id) && person.platforms.some((p) => p.id === platform.id))
      : [];

  app.get('/unsubscribe/:token', async (c) => {
    const token = c.req.param('token');
    // An already-erased person may still press the button; the page speaks their language while it is known.
    const target = await journey.openUnsubscribe(token);
    return c.html(
      <UnsubscribePage action={path('unsubscribe', token)} campaign={target.campaign} dropping={campaignPlatforms(target.person, target.campaign)} {...language(c, target.person)} />,
    );
  });
  // RFC 8058: mail clients POST "List-Unsubscribe=One-Click" here without cookies; answer 200, never redirect.
  app.post('/unsubscribe/:token', async (c) => {
    const token = c.req.param('token');
    const body = await readBody(c);
    const target = await journey.openUnsubscribe(token);
    const oneClick = body['List-Unsubscribe'] === 'One-Click';
    if (!oneClick && pressed(body, 'scope', 'campaign')) {
      // Says what happened: stopped (naming the platforms that left the list), nothing to stop in the
      // current sign-up, or no mail at all.
      const dropped = campaignPlatforms(target.person, target.campaign);
      const left = await journey.leaveCampaign(token);
      if (wantsJson(c)) {
        return c.json({ status: left.status, ...(left.status === 'unsubscribed' ? {} : { campaign: left.campaign.id }), ...(left.status === 'left_campaign' ? { platforms: dropped.map((platform) => platform.id) } : {}) });
      }
      if (left.status === 'left_campaign') return c.html(<LeftCampaignPage campaign={left.campaign} dropped={dropped} {...language(c, target.person)} />);
      if (left.status === 'not_subscribed') return c.html(<NotSubscribedPage campaign={left.campaign} action={path('unsubscribe', token)} {...language(c, target.person)} />);
      return c.html(<UnsubscribedPage {...language(c, target.person)} />);
    }
    if (!oneClick && !pressed(body, 'scope', 'all')) throw pressButton();
    await journey.unsubscribe(token);
    if (wantsJson(c)) return c.json({ status: 'unsubscribed' });
    return c.html(<UnsubscribedPage {...language(c, target.person)} />);
  });

  // The deadline in the reader's calendar: a GET that only reads. The UID stays the same per
  // (person, campaign) and the SEQUENCE follows the deadline's revision, so a moved deadline updates the event.
  app.get('/calendar/:token', async (c) => {
    const { person, campaign } = await journey.openCalendar(c.req.param('token'));
    if (!campaign.deadline) return c.notFound();
    return calendarResponse(c, {
      campaign,
      timeZone: person.timeZone,
      locale: person.locale,
      // A hash of the pair: the calendar keeps the UID for good, and it need not name the person.
      uid: calendarUid(createHash('sha256').update(`${person.id}.${campaign.id}`).digest('base64url').slice(0, 22), journey.links.publicUrl),
      sequence: calendarSequence(campaign),
      // The campaign's public page: calendars get synced and shared, and a preferences link there
      // would hand out the export and the erasure of everything.
      link: `${journey.links.publicUrl}${pathIn(`/c/${campaign.id}`, person.locale)}`,
      now: journey.clock(),
    });
  });

  app.get('/watch/:token', async (c) => {
    const token = c.req.param('token');
    const person = await journey.openKeepWatching(token);
    return c.html(<KeepWatchingPage action={path('watch', token)} {...language(c, person)} />);
  });
  app.post('/watch/:token', async (c) => {
    const token = c.req.param('token');
    const body = await readBody(c);
    journey.verify(token, 'watch');
    if (!pressed(body, 'keep')) throw pressButton();
    const { person, nextQuestion } = await journey.keepWatching(token);
    if (wantsJson(c)) return c.json({ status: 'kept', nextQuestion: nextQuestion.toISOString() });
    const lang = language(c, person);
    return c.html(<KeptWatchingPage nextQuestion={formatDay(nextQuestion.toISOString(), person.timeZone, lang.text)} preferencesUrl={preferencesUrl(person)} {...lang} />);
  });

  const preferencesPage = (c: Context, token: string, view: PersonView, extra: { notice?: string | undefined; errors?: PreferenceErrors } = {}) => (
    <PreferencesPage
      view={view}
      catalog={platforms}
      action={path('preferences', token)}
      objectedPath={(platform) => new URL(journey.links.objected(view.person, platform)).pathname}
      now={journey.clock()}
      {...extra}
      {...language(c, view.person)}
    />
  );
  const nameOf = (platform: PlatformId, locale: Person['locale']) => {
    const found = platforms.find((p) => p.id === platform);
    return found ? platformIn(found, locale).name : platform;
  };

  app.get('/preferences/:token', async (c) => {
    const token = c.req.param('token');
    return c.html(preferencesPage(c, token, await journey.openPreferences(token)));
  });
  // Each button of the page says what it does by its own name and value: add or drop one platform,
  // start or stop the watch, save the zone and language. A list of `platforms` with `save` (JSON
  // clients, older pages) sets the whole list at once.
  app.post('/preferences/:token', async (c) => {
    const token = c.req.param('token');
    const body = await readBody(c);
    journey.verify(token, 'preferences');
    const add = pressedPlatform(body, 'add');
    const drop = pressedPlatform(body, 'drop');
    const watch = pressed(body, 'watch', 'on') ? true : pressed(body, 'watch', 'off') ? false : undefined;
    if (add || drop) {
      const view = await journey.changePreferences(token, add ? { add: [add] } : { drop: drop ? [drop] : [] });
      if (wantsJson(c)) return c.json({ status: 'saved', added: view.added, dropped: drop ? [drop] : [] });
      const { text } = language(c, view.person);
      const notice = add ? (view.added.length ? text.pages.added(nameOf(add, view.person.locale)) : undefined) : drop ? text.pages.dropped(nameOf(drop, view.person.locale)) : undefined;
      return c.html(preferencesPage(c, token, view, { notice }));
    }
    if (watch !== undefined) {
      const view = await journey.setWatch(token, watch);
      if (wantsJson(c)) return c.json({ status: 'saved', watch: view.person.watch });
      const { pages } = language(c, view.person).text;
      return c.html(preferencesPage(c, token, view, { notice: watch ? pages.watchStarted : pages.watchStopped }));
    }
    if (!pressed(body, 'save')) throw pressButton();
    if (body.platforms !== undefined || wantsJson(c)) {
      const result = await journey.updatePreferences(token, body);
      if (wantsJson(c)) {
        if (result.ok) return c.json({ status: 'saved', added: result.added });
        const { text } = language(c, result.view.person);
        return c.json({ code: 'invalid_input', message: 'Some fields need fixing.', fields: wordFieldErrors(result.fields, text) }, 400);
      }
      // After a save the page speaks the language just picked.
      const notice = result.ok ? language(c, result.view.person).text.pages.saved : undefined;
      return c.html(preferencesPage(c, token, result.view, result.ok ? { notice } : { errors: result.fields }), result.ok ? 200 : 400);
    }
    // The zone and language on their own: checked as the sign-up's fields are.
    const settings = PreferenceSettings.safeParse(body);
    if (!settings.success) {
      const errors = fieldErrorsOf(settings.error.issues, { timezone: 'timezone_invalid', locale: 'locale_invalid' } as const);
      return c.html(preferencesPage(c, token, await journey.openPreferences(token), { errors }), 400);
    }
    const view = await journey.changePreferences(token, { timeZone: settings.data.timezone, ...(settings.data.locale ? { locale: settings.data.locale } : {}) });
    return c.html(preferencesPage(c, token, view, { notice: language(c, view.person).text.pages.saved }));
  });
  app.get('/preferences/:token/data', async (c) => {
    const data = await journey.exportData(c.req.param('token'));
    c.header('Content-Disposition', 'attachment; filename="optout-countdown-data.json"');
    return c.json(data);
  });
  app.post('/preferences/:token/delete', async (c) => {
    const token = c.req.param('token');
    if (!pressed(await readBody(c), 'delete')) throw pressButton();
    // The person as they were before the erasure: their language answers.
    const person = await journey.erase(token);
    if (wantsJson(c)) return c.json({ status: 'erased' });
    return c.html(<UnsubscribedPage erased {...language(c, person)} />);
  });

  return app;
}
