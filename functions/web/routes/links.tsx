import { Hono } from 'hono';
import type { Subscriptions } from '../../subscriptions.js';
import {
  ConfirmedPage,
  ConfirmPage,
  ObjectionPage,
  ObjectionRecordedPage,
  PreferencesPage,
  UnsubscribedPage,
  UnsubscribePage,
} from '../pages/link-pages.js';
import { readBody, wantsJson } from '../respond.js';

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
    const { subscriber, campaign } = await subscriptions.open(token, 'confirm');
    // Confirmed but the welcome never went out (a failed send): the button sends it.
    if (subscriber.state === 'confirmed' && subscriber.welcomeSentAt) {
      return c.html(<ConfirmedPage alreadyConfirmed preferencesUrl={preferencesUrl(subscriber.id)} />);
    }
    return c.html(<ConfirmPage campaign={campaign} action={path('confirm', token)} />);
  });
  app.post('/confirm/:token', async (c) => {
    const result = await subscriptions.confirm(c.req.param('token'));
    if (wantsJson(c)) return c.json({ status: result.alreadyConfirmed ? 'already_confirmed' : 'confirmed' });
    return c.html(<ConfirmedPage alreadyConfirmed={result.alreadyConfirmed} preferencesUrl={preferencesUrl(result.subscriber.id)} />);
  });

  app.get('/objected/:token', async (c) => {
    const token = c.req.param('token');
    const target = await subscriptions.openObjection(token);
    return c.html(<ObjectionPage {...target} action={path('objected', token)} />);
  });
  app.post('/objected/:token', async (c) => {
    const token = c.req.param('token');
    const undo = (await readBody(c)).undo !== undefined;
    const result = undo ? await subscriptions.undoObjection(token) : await subscriptions.recordObjection(token);
    if (wantsJson(c)) return c.json({ platform: result.platform, done: !undo, left: result.left });
    return c.html(
      <ObjectionRecordedPage
        campaign={result.campaign}
        platform={result.platform}
        left={result.left}
        undone={undo}
        action={path('objected', token)}
        preferencesUrl={preferencesUrl(result.subscriber.id)}
      />,
    );
  });

  app.get('/unsubscribe/:token', async (c) => {
    const token = c.req.param('token');
    // Check the signature only: an already-erased subscriber may still press the button.
    await subscriptions.verify(token, 'unsubscribe');
    return c.html(<UnsubscribePage action={path('unsubscribe', token)} />);
  });
  // RFC 8058: mail clients POST "List-Unsubscribe=One-Click" here without cookies; answer 200, never redirect.
  app.post('/unsubscribe/:token', async (c) => {
    await subscriptions.unsubscribe(c.req.param('token'));
    if (wantsJson(c)) return c.json({ status: 'unsubscribed' });
    return c.html(<UnsubscribedPage />);
  });

  app.get('/preferences/:token', async (c) => {
    const token = c.req.param('token');
    const target = await subscriptions.openConfirmed(token, 'preferences');
    return c.html(<PreferencesPage {...target} action={path('preferences', token)} now={subscriptions.clock()} />);
  });
  app.post('/preferences/:token', async (c) => {
    const token = c.req.param('token');
    const result = await subscriptions.updatePreferences(token, await readBody(c));
    if (wantsJson(c)) {
      return result.ok ? c.json({ status: 'saved' }) : c.json({ code: 'invalid_input', message: 'Some fields need fixing.', fields: result.fields }, 400);
    }
    return c.html(
      <PreferencesPage
        {...result.target}
        action={path('preferences', token)}
        now={subscriptions.clock()}
        saved={result.ok}
        errors={result.ok ? {} : result.fields}
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
    await subscriptions.erase(c.req.param('token'));
    if (wantsJson(c)) return c.json({ status: 'erased' });
    return c.html(<UnsubscribedPage />);
  });

  return app;
}
