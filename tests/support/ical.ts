import ical, { type VEvent } from 'node-ical';

/** The single VEVENT of a calendar file, parsed back by node-ical, with the raw text's lines unfolded. */
export function parseDeadlineEvent(text: string): { event: VEvent; lines: string[] } {
  const parsed = ical.sync.parseICS(text);
  const events = Object.values(parsed).filter((item): item is VEvent => item?.type === 'VEVENT');
  if (events.length !== 1 || !events[0]) throw new Error(`expected one VEVENT, got ${events.length}`);
  // RFC 5545 folds long lines at 75 octets: a continuation starts with a space.
  const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n');
  return { event: events[0], lines };
}
