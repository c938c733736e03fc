import { describe, expect, it } from 'vitest';
import { parseDeadlineEvent } from '../support/ical.js';
import { createMemoryApp, PUBLIC_URL } from '../support/memory-app.js';
import { manualClock } from '../support/time.js';

describe('GET /c/<campaign>.ics', () => {
  it('serves the deadline as a calendar file in the campaign zone, with the same UID on every call', async () => {
    const time = manualClock('2025-05-12T08:00:00Z');
    const stack = createMemoryApp({ clock: time.clock });
    const first = await stack.app.request('/c/meta-ai-2025.ics');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(first.headers.get('content-disposition')).toContain('meta-ai-2025-deadline.ics');
    const { event, lines } = parseDeadlineEvent(await first.text());
    expect(lines).toContain('DTSTART;VALUE=DATE:20250526');
    expect(event.alarms).toHaveLength(1);
    expect(event.sequence).toBe(0);
    expect(String(event.description)).toContain(`${PUBLIC_URL}/c/meta-ai-2025`);
    // The stamp is the app's clock, not the machine's.
    expect(lines).toContain('DTSTAMP:20250512T080000Z');

    time.advance(86_400_000);
    const again = parseDeadlineEvent(await (await stack.app.request('/c/meta-ai-2025.ics')).text());
    expect(again.event.uid).toBe(event.uid);
    expect(event.uid).toBe('deadline-meta-ai-2025@optout.example');
    expect(stack.tableRequests).toEqual([]);
  });

  it('speaks German to ?lang=de', async () => {
    const stack = createMemoryApp();
    const { event } = parseDeadlineEvent(await (await stack.app.request('/c/meta-ai-2025.ics?lang=de')).text());
    expect(String(event.summary)).toContain('Letzter Tag');
    expect(String(event.description)).toContain(`${PUBLIC_URL}/c/meta-ai-2025?lang=de`);
  });

  // That the campaign page itself stays at /c/<campaign> is in languages-and-campaigns.test.ts: it reads the count from the table.
  it('answers 404 for an unknown campaign', async () => {
    const stack = createMemoryApp();
    expect((await stack.app.request('/c/no-such-campaign.ics')).status).toBe(404);
    expect(stack.tableRequests).toEqual([]);
  });
});
