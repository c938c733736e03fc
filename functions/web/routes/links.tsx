import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { SignupJourney } from '../../app/signup-journey.js';
import { DomainError } from '../../domain/errors.js';
import type { Person } from '../../domain/person.js';
import { pathIn } from '../../domain/locale.js';
import { explicitYes } from '../../domain/signup.js';
import { formatDay, wordFieldErrors } from '../../locales/index.js';
import {
  ConfirmedPage,
  ConfirmPage,
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
const pressed = (body: Record<string, unknown>, name: string, value = 'yes') => [body[name]].flat().includes(value) || body[name] === true;

const pressButton = () => new DomainError('input', 'press_button', 'Nothing was changed: please press one of the buttons on the page.');

/**
 * The routes behind the links in emails. A GET only shows a page (mail scanners fetch every
 * link); its button POSTs to the same path, and only a POST with that button's own name and value
 * (and, for "I've objected", the ticked box) changes anything, so a scanner that submits forms as
 * they stand changes nothing. RFC 8058's one-click POST needs no page and acts at once.
 */
export function linkRoutes(journey: SignupJourney): Hono {
  const app = new Hono();
  const path = (kind: string, token: string) => `/${kind}/${token}`;
  const preferencesUrl = (person: Person) => journey.links.preferences(person);
  const language = (c: Context, person: Pick<Person, 'locale'> | undefined) => pageLanguage(c, person?.locale);

  app.get('/confirm/:token', async (c) => {
    const token = c.req.param('token');
    const target = await journey.openConfirmation(token);
    const watch = target.person.consents.some((consent) => consent.kind === 'watch' && consent.confirmedAt === undefined);
    if (target.waiting.length === 0 && !watch) {
      return c.html(<ConfirmedPage alreadyConfirmed confirmed={[]} preferencesUrl={preferencesUrl(target.person)} {...language(c, target.person)} />);
    }
    return c.html(<ConfirmPage action={path('confirm', token)} waiting={target.waiting.length ? target.waiting : target.campaigns} watch={watch} {...language(c, target.person)} />);
  });
  app.post('/confirm/:token', async (c) => {
    const body = await readBody(c);
    journey.verify(c.req.param('token'), 'confirm');
    if (!pressed(body, 'confirm')) throw pressButton();
    const result = await journey.confirm(c.req.param('token'));
    if (wantsJson(c)) return c.json({ status: result.alreadyConfirmed ? 'already_confirmed' : 'confirmed', campaigns: result.confirmed.map((campaign) => campaign.id) });
    return c.html(
      <ConfirmedPage alreadyConfirmed={result.alreadyConfirmed} confirmed={result.confirmed} preferencesUrl={preferencesUrl(result.person)} {...language(c, result.person)} />,
    );
  });

  app.get('/objected/:token', async (c) => {
    const token = c.req.param('token');
    const target = await journey.openObjection(token);
    return c.html(
      <ObjectionPage campaign={target.campaign} subscription={target.subscription} platform={target.platform} action={path('objected', token)} {...language(c, target.person)} />,
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
    if (wantsJson(c)) return c.json({ platform: result.platform, done: !undo, left: result.left });
    return c.html(
      <ObjectionRecordedPage
        campaign={result.campaign}
        platform={result.platform}
        left={result.left}
        undone={undo}
        action={path('objected', token)}
        preferencesUrl={preferencesUrl(result.person)}
        {...language(c, result.person)}
      />,
    );
  });

  app.get('/unsubscribe/:token', async (c) => {
    const token = c.req.param('token');
    // An already-erased person may still press the button; the page speaks their language while it is known.
    const target = await journey.openUnsubscribe(token);
    return c.html(<UnsubscribePage action={path('unsubscribe', token)} campaign={target.person ? target.campaign : undefined} {...language(c, target.person)} />);
  });
  // RFC 8058: mail clients POST "List-Unsubscribe=One-Click" here without cookies; answer 200, never redirect.
  app.post('/unsubscribe/:token', async (c) => {
    const token = c.req.param('token');
    const body = await readBody(c);
    const target = await journey.openUnsubscribe(token);
    const oneClick = body['List-Unsubscribe'] === 'One-Click';
    if (!oneClick && pressed(body, 'scope', 'campaign')) {
      // Says what happened: stopped, nothing to stop in the current sign-up, or no mail at all.
      const left = await journey.leaveCampaign(token);
      if (wantsJson(c)) return c.json({ status: left.status, ...(left.status === 'unsubscribed' ? {} : { campaign: left.campaign.id }) });
      if (left.status === 'left_campaign') return c.html(<LeftCampaignPage campaign={left.campaign} {...language(c, target.person)} />);
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

  app.get('/preferences/:token', async (c) => {
    const token = c.req.param('token');
    const view = await journey.openPreferences(token);
    return c.html(<PreferencesPage {...view} {...preferencesProps(token, view.person)} {...language(c, view.person)} />);
  });
  const preferencesProps = (token: string, person: Person) => ({
    action: path('preferences', token),
    objectedPath: (campaignId: string, platform: Parameters<SignupJourney['links']['objected']>[2]) => new URL(journey.links.objected(person, campaignId, platform)).pathname,
    now: journey.clock(),
  });
  app.post('/preferences/:token', async (c) => {
    const token = c.req.param('token');
    const body = await readBody(c);
    journey.verify(token, 'preferences');
    if (!pressed(body, 'save')) throw pressButton();
    const result = await journey.updatePreferences(token, body);
    if (wantsJson(c)) {
      if (result.ok) return c.json({ status: 'saved' });
      const { text } = language(c, result.view.person);
      return c.json({ code: 'invalid_input', message: 'Some fields need fixing.', fields: wordFieldErrors(result.fields, text) }, 400);
    }
    // After a save the page speaks the language just picked.
    return c.html(
      <PreferencesPage
        {...result.view}
        {...preferencesProps(token, result.view.person)}
        saved={result.ok}
        errors={result.ok ? {} : result.fields}
        {...language(c, result.view.person)}
      />,
      result.ok ? 200 : 400,
    );
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
