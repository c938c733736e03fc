import { Hono, type Context } from 'hono';
import { campaignIn } from '../../domain/campaign.js';
import type { LinkTarget, Subscriptions } from '../../subscriptions.js';
import {
  ConfirmedPage,
  ConfirmPage,
  ObjectionPage,
  ObjectionRecordedPage,
  PreferencesPage,
  UnsubscribedPage,
  UnsubscribePage,
} from '../pages/link-pages.js';
import { wordFieldErrors } from '../../locales/index.js';
import { pageLanguage, readBody, wantsJson } from '../respond.js';

/** A subscriber's page: in their language, about the campaign in that language. */
function inTheirLanguage(c: Context, target: LinkTarget) {
  const language = pageLanguage(c, target.subscriber.locale);
  return { ...language, campaign: campaignIn(target.campaign, language.locale) };
}

/**
 * The routes behind the links in emails. A GET only shows a page (mail scanners fetch every
 * link); its button POSTs to the same path, and only the POST changes anything.
 */
export function linkRoutes(subscriptions: Subscriptions): Hono {
  const app = new Hono();
  const path = (kind: string, token: string) => `/${kind}/${token}`;
  const preferencesUrl = (subscriberId: string) => subscriptions.links.to('preferences', subscriberId);

  app.get('/confirm/:token', async (c) => {
    const token = c.req.param('token');
    const target = await subscriptions.open(token, 'confirm');
    const { subscriber } = target;
    // Confirmed but the welcome never went out (a failed send): the button sends it.
    if (subscriber.state === 'confirmed' && subscriber.welcomeSentAt) {
      return c.html(<ConfirmedPage alreadyConfirmed preferencesUrl={preferencesUrl(subscriber.id)} {...inTheirLanguage(c, target)} />);
    }
    return c.html(<ConfirmPage action={path('confirm', token)} {...inTheirLanguage(c, target)} />);
  });
  app.post('/confirm/:token', async (c) => {
    const result = await subscriptions.confirm(c.req.param('token'));
    if (wantsJson(c)) return c.json({ status: result.alreadyConfirmed ? 'already_confirmed' : 'confirmed' });
    return c.html(
      <ConfirmedPage alreadyConfirmed={result.alreadyConfirmed} preferencesUrl={preferencesUrl(result.subscriber.id)} {...inTheirLanguage(c, result)} />,
    );
  });

  app.get('/objected/:token', async (c) => {
    const token = c.req.param('token');
    const target = await subscriptions.openObjection(token);
    return c.html(<ObjectionPage subscriber={target.subscriber} platform={target.platform} action={path('objected', token)} {...inTheirLanguage(c, target)} />);
  });
  app.post('/objected/:token', async (c) => {
    const token = c.req.param('token');
    const undo = (await readBody(c)).undo !== undefined;
    const result = undo ? await subscriptions.undoObjection(token) : await subscriptions.recordObjection(token);
    if (wantsJson(c)) return c.json({ platform: result.platform, done: !undo, left: result.left });
    return c.html(
      <ObjectionRecordedPage
        platform={result.platform}
        left={result.left}
        undone={undo}
        action={path('objected', token)}
        preferencesUrl={preferencesUrl(result.subscriber.id)}
        {...inTheirLanguage(c, result)}
      />,
    );
  });

  app.get('/unsubscribe/:token', async (c) => {
    const token = c.req.param('token');
    // Check the signature only: an already-erased subscriber may still press the button.
    await subscriptions.verify(token, 'unsubscribe');
    return c.html(<UnsubscribePage action={path('unsubscribe', token)} {...pageLanguage(c)} />);
  });
  // RFC 8058: mail clients POST "List-Unsubscribe=One-Click" here without cookies; answer 200, never redirect.
  app.post('/unsubscribe/:token', async (c) => {
    await subscriptions.unsubscribe(c.req.param('token'));
    if (wantsJson(c)) return c.json({ status: 'unsubscribed' });
    return c.html(<UnsubscribedPage {...pageLanguage(c)} />);
  });

  app.get('/preferences/:token', async (c) => {
    const token = c.req.param('token');
    const target = await subscriptions.openConfirmed(token, 'preferences');
    return c.html(<PreferencesPage subscriber={target.subscriber} action={path('preferences', token)} now={subscriptions.clock()} {...inTheirLanguage(c, target)} />);
  });
  app.post('/preferences/:token', async (c) => {
    const token = c.req.param('token');
    const result = await subscriptions.updatePreferences(token, await readBody(c));
    if (wantsJson(c)) {
      if (result.ok) return c.json({ status: 'saved' });
      const { text } = pageLanguage(c, result.target.subscriber.locale);
      return c.json({ code: 'invalid_input', message: 'Some fields need fixing.', fields: wordFieldErrors(result.fields, text) }, 400);
    }
    // After a save the page speaks the language just picked.
    return c.html(
      <PreferencesPage
        subscriber={result.target.subscriber}
        action={path('preferences', token)}
        now={subscriptions.clock()}
        saved={result.ok}
        errors={result.ok ? {} : result.fields}
        {...inTheirLanguage(c, result.target)}
      />,
      result.ok ? 200 : 400,
    );
  });
  app.get('/preferences/:token/data', async (c) => {
    const data = await subscriptions.exportData(c.req.param('token'));
    c.header('Content-Disposition', 'attachment; filename="optout-countdown-data.json"');
    return c.json(data);
  });
  app.post('/preferences/:token/delete', async (c) => {
    // Read the language before the data it is part of is erased.
    const target = await subscriptions.open(c.req.param('token'), 'preferences').catch(() => undefined);
    await subscriptions.erase(c.req.param('token'));
    if (wantsJson(c)) return c.json({ status: 'erased' });
    return c.html(<UnsubscribedPage {...pageLanguage(c, target?.subscriber.locale)} />);
  });

  return app;
}
