import { describe, expect, it } from 'vitest';
import { campaigns } from '../../functions/campaigns.js';
import { Campaign } from '../../functions/domain/campaign.js';
import { parseDeadlineEvent } from '../support/ical.js';
import { createTestStack, inbox, manualClock, post, signUp, testAddress, linkIn, type StoredEmail } from '../support/stack.js';

const calendarLink = (mail: StoredEmail) => {
  const match = /https:\/\/optout\.example(\/calendar\/[A-Za-z0-9._~-]+)/.exec(mail.body.html ?? '');
  if (!match) throw new Error(`no calendar link in "${mail.subject}"`);
  return match[1]!;
};

describe('the deadline in the reader\'s calendar', () => {
  it('links it from the welcome email: one all-day event on the last day in the reader\'s zone, an alarm, a UID that stays when the deadline moves', async () => {
    const time = manualClock('2025-05-10T10:00:00Z');
    const stack = await createTestStack({ clock: time.clock });
    const email = testAddress('calendar');
    await signUp(stack.app, { email, platforms: 'instagram', campaign: 'meta-ai-2025', consent: 'on', timezone: 'Asia/Tokyo' });
    await post(stack.app, linkIn((await inbox(email))[0]!, 'confirm'), { confirm: 'yes' });
    const welcome = (await inbox(email)).find((m) => m.subject.startsWith('Your guide'))!;
    expect(welcome.body.text).toContain("Add Meta's deadline to my calendar");
    const response = await stack.app.request(calendarLink(welcome));
    expect(response.headers.get('content-type')).toContain('text/calendar');
    const text = await response.text();
    const { event, lines } = parseDeadlineEvent(text);
    // 27 May 00:00 in Berlin is 07:00 in Tokyo: the last day there is 27 May.
    expect(lines).toContain('DTSTART;VALUE=DATE:20250527');
    expect(text).toContain('BEGIN:VALARM');
    expect(String(event.summary)).toContain('Meta AI training objection 2025');
    expect(lines.find((l) => l.startsWith('UID:'))).not.toContain(email);

    // The operator moves the deadline (and bumps its revision): same UID, higher SEQUENCE.
    const moved = Campaign.parse({ ...campaigns.find((c) => c.id === 'meta-ai-2025')!, deadline: { local: '2025-06-03T00:00', timeZone: 'Europe/Berlin', revision: 1 } });
    const later = await createTestStack({ clock: time.clock, campaigns: campaigns.map((c) => (c.id === moved.id ? moved : c)) });
    const again = await later.app.request(calendarLink(welcome).replace(/^/, ''), { headers: {} });
    // A fresh table knows nobody: the link of the other stack is refused, it changes nothing there.
    expect(again.status).toBe(404);
    const sameTable = await createTestStack({ clock: time.clock, env: { TABLE_NAME: stack.config.TABLE_NAME }, campaigns: campaigns.map((c) => (c.id === moved.id ? moved : c)) });
    const movedText = await (await sameTable.app.request(calendarLink(welcome))).text();
    const movedEvent = parseDeadlineEvent(movedText);
    expect(movedEvent.lines).toContain('DTSTART;VALUE=DATE:20250603');
    expect(movedEvent.lines.find((l) => l.startsWith('UID:'))).toBe(lines.find((l) => l.startsWith('UID:')));
    expect(movedEvent.lines).toContain('SEQUENCE:1');
    expect(lines).toContain('SEQUENCE:0');
  });

  it('links the campaign\'s public page, in the reader\'s language, and no token: calendars get synced and shared', async () => {
    const stack = await createTestStack({ clock: manualClock('2025-05-10T10:00:00Z').clock });
    for (const [locale, page] of [['en', '/c/meta-ai-2025'], ['de', '/c/meta-ai-2025?lang=de']] as const) {
      const email = testAddress(`calendar-${locale}`);
      await signUp(stack.app, { email, platforms: 'instagram', campaign: 'meta-ai-2025', consent: 'on', locale });
      await post(stack.app, linkIn((await inbox(email))[0]!, 'confirm'), { confirm: 'yes' });
      const welcome = (await inbox(email)).find((m) => m.body.html?.includes('/calendar/'))!;
      const text = await (await stack.app.request(calendarLink(welcome))).text();
      const { event, lines } = parseDeadlineEvent(text);
      expect(String(event.url), locale).toBe(`https://optout.example${page}`);
      expect(lines.find((l) => l.startsWith('DESCRIPTION:')), locale).toContain(`https://optout.example${page}`);
      // Not the preferences page (its token exports and erases everything), nor any other link with a token.
      const unfolded = lines.join('\n');
      for (const kind of ['preferences', 'unsubscribe', 'objected', 'confirm', 'watch', 'calendar']) expect(unfolded, `${locale} ${kind}`).not.toContain(`/${kind}/`);
    }
  });
});
