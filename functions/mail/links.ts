import { DEFAULT_LOCALE, pathIn, type Locale } from '../domain/locale.js';
import type { Person } from '../domain/person.js';
import type { PlatformId } from '../domain/platform.js';
import { signToken, type TokenClaims } from '../domain/token.js';

// Apart from the emails, so that the API, which signs links but renders no email, bundles no template.

/** Who a link acts for: a person in one generation (links from before they left stay dead). */
export type PersonRef = Pick<Person, 'id' | 'generation'>;

/** Builds the signed links of one person's emails and pages. */
export class Links {
  constructor(
    /** Where people reach the site, without a trailing slash. */
    readonly publicUrl: string,
    private readonly secret: string,
  ) {}

  private link(claims: TokenClaims): string {
    return `${this.publicUrl}/${claims.purpose}/${signToken(this.secret, claims)}`;
  }

  /** The one button of a sign-up's confirmation email: it confirms everything the sign-ups asked for. */
  confirm(person: PersonRef): string {
    return this.link({ purpose: 'confirm', personId: person.id, generation: person.generation });
  }

  /** The deadline as a calendar file for this person: one event that updates when the deadline moves. */
  calendar(person: PersonRef, campaignId: string): string {
    return this.link({ purpose: 'calendar', personId: person.id, generation: person.generation, campaignId });
  }

  /** The yearly "keep watching?" button. */
  keepWatching(person: PersonRef): string {
    return this.link({ purpose: 'watch', personId: person.id, generation: person.generation });
  }

  /** One page for everything about the person. */
  preferences(person: PersonRef): string {
    return this.link({ purpose: 'preferences', personId: person.id, generation: person.generation });
  }

  /** One-click unsubscribe from everything; the campaign lets the page offer "stop only this campaign". */
  unsubscribe(person: PersonRef, campaignId?: string): string {
    return this.link({ purpose: 'unsubscribe', personId: person.id, generation: person.generation, ...(campaignId ? { campaignId } : {}) });
  }

  /** "I've objected" for one platform of the person's list. */
  objected(person: PersonRef, platform: PlatformId): string {
    return this.link({ purpose: 'objected', personId: person.id, generation: person.generation, platform });
  }

  /** The privacy page, in the reader's language. */
  privacy(locale: Locale = DEFAULT_LOCALE): string {
    return `${this.publicUrl}${pathIn('/privacy', locale)}`;
  }
}
