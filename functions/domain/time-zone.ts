import { IANAZone } from 'luxon';

/**
 * The canonical name of an IANA time zone, as the runtime's time zone data (ICU) spells it,
 * whatever case it was typed in; undefined for a zone that does not exist. Browsers report the
 * same names (`Intl.DateTimeFormat().resolvedOptions().timeZone`), so a zone reads the same
 * whether the form's script filled it in or a person typed it.
 *
 * @example
 * canonicalTimeZone('america/NEW_york') // 'America/New_York'
 * canonicalTimeZone('US/Eastern') // 'America/New_York'
 * canonicalTimeZone('Nowhere/Land') // undefined
 */
export function canonicalTimeZone(zone: string): string | undefined {
  if (!IANAZone.isValidZone(zone)) return undefined;
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
}
