import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { TimeZone, type Campaign } from './domain/campaign.js';
import { DomainError } from './domain/errors.js';
import { PlatformId } from './domain/platform.js';
import {
  CONSENT_TEXT_VERSION,
  fieldErrorsOf,
  parseSignup,
  supportedLocale,
  type CampaignPick,
  type FieldErrors,
  type Signup,
  type SignupErrorCode,
} from './domain/signup.js';
import { isExpired, PENDING_LIFETIME_DAYS, platformsLeft, recordObjection, transition, undoObjection, type Subscriber } from './domain/subscriber.js';
import { hashAddress, hashClientIp, verifyToken, type TokenPurpose } from './domain/token.js';
import type { Links } from './mail/emails.js';
import type { Outbox } from './mail/outbox.js';
import { personalDataExpiry } from './domain/retention.js';
import type { StatsStore } from './store/stats-store.js';
import { countdownStartFor, nextStepAfter, stepsFor } from './domain/schedule.js';
import type { StoredSubscriber, SubscriberStore } from './store/subscriber-store.js';

/** Accepted (with how many campaigns the person picked), or the fields to fix. */
export type SignupOutcome = { ok: true; campaignCount: number } | { ok: false; fields: FieldErrors; values: Record<string, unknown> };

/** What a link's page needs to know about the person behind it. */
export interface LinkTarget {
  subscriber: StoredSubscriber;
  campaign: Campaign;
}

export const PreferencesRequest = z.object({
  platforms: z
    .preprocess((v) => (v === undefined || Array.isArray(v) ? v : [v]), z.array(z.enum(PlatformId.options, { error: 'platforms_unknown' }), { error: 'platforms_missing' }))
    .pipe(z.array(PlatformId).min(1, 'platforms_missing'))
    .transform((platforms) => [...new Set(platforms)]),
  timezone: TimeZone,
  locale: z.string({ error: 'locale_invalid' }).max(35, 'locale_invalid').optional(),
});
export type PreferenceErrors = Partial<Record<keyof z.infer<typeof PreferencesRequest>, SignupErrorCode>>;
const PREFERENCE_FALLBACKS = { platforms: 'platforms_unknown', timezone: 'timezone_invalid', locale: 'locale_invalid' } as const;

/** A person's data, as handed out by "download my data". */
export interface DataExport {
  campaign: { id: string; title: string };
  email: string;
  state: Subscriber['state'];
  platforms: Subscriber['platforms'];
  objections: Subscriber['objections'];
  timeZone: string;
  locale: string;
  consent: Subscriber['consent'];
  createdAt: string;
  confirmedAt?: string | undefined;
  welcomeSentAt?: string | undefined;
}

const newSubscriberId = () => randomBytes(16).toString('base64url');

/**
 * The subscriber journey: sign up, confirm, receive the guide, mark platforms done, change
 * preferences, leave. Coordinates the store (which guards every race) and the outbox.
 */
export class Subscriptions {
  constructor(
    private readonly store: SubscriberStore,
    private readonly outbox: Outbox,
    private readonly campaigns: readonly Campaign[],
    private readonly config: Pick<
      Config,
      'SIGNING_SECRET' | 'CONFIRM_COOLDOWN_MINUTES' | 'IP_SIGNUP_LIMIT' | 'IP_SIGNUP_WINDOW_MINUTES' | 'PRIVACY_GRACE_DAYS'
    >,
    readonly clock: Clock,
    private readonly stats: StatsStore,
  ) {}

  /**
   * Takes a sign-up from the form. Answers the same whether the address is new, pending,
   * confirmed or suppressed, so the answer reveals nothing; sends at most one confirmation
   * mail per address and campaign per cooldown.
   */
  async signUp(input: unknown, clientIp: string): Promise<SignupOutcome> {
    const now = this.clock();
    const parsed = parseSignup(input, this.campaigns, now);
    if (!parsed.ok) return parsed;
    const { signup } = parsed;
    // The same answer whatever happens next: it must not tell a stranger anything about the address.
    const accepted = { ok: true, campaignCount: signup.picks.length } as const;
    if (signup.isBot) return accepted;
    const ipHash = hashClientIp(this.config.SIGNING_SECRET, clientIp);
    if (!(await this.store.countSignupAttempt(ipHash, now, this.config.IP_SIGNUP_LIMIT, this.config.IP_SIGNUP_WINDOW_MINUTES))) {
      throw new DomainError('rate_limited', 'too_many_signups', 'Too many sign-ups from your network. Please try again in a few minutes.');
    }
    const addressHash = hashAddress(this.config.SIGNING_SECRET, signup.email);
    if (await this.store.isSuppressed(addressHash)) return accepted;
    // Each campaign is its own subscription, with its own confirmation and countdown.
    for (const pick of signup.picks) await this.signUpFor(signup, pick, addressHash, now);
    return accepted;
  }

  private async signUpFor(signup: Signup, pick: CampaignPick, addressHash: string, now: Date): Promise<void> {
    // A lost race means another request changed the record: read it again and decide anew.
    for (let attempt = 0; attempt < 3; attempt++) {
      const address = await this.store.findAddress(addressHash, pick.campaign.id, now);
      if (address?.status === 'confirmed') return;
      if (address?.status === 'pending' && !isExpired({ state: address.status, expiresAt: address.expiresAt }, now)) {
        await this.resendConfirmation(addressHash, pick.campaign, address.subscriberId, now);
        return;
      }
      const subscriber: StoredSubscriber = {
        id: newSubscriberId(),
        campaignId: pick.campaign.id,
        email: signup.email,
        addressHash,
        state: 'pending',
        platforms: pick.platforms,
        objections: {},
        timeZone: signup.timeZone,
        locale: signup.locale,
        consent: { at: now.toISOString(), textVersion: CONSENT_TEXT_VERSION, method: 'web-form' },
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + PENDING_LIFETIME_DAYS * 86_400_000).toISOString(),
      };
      if (await this.store.createPending(subscriber, address, now)) {
        await this.stats.countCampaign(pick.campaign.id, { signups: 1 }, now);
        await this.sendConfirmation(addressHash, pick.campaign, subscriber, now);
        return;
      }
    }
  }

  private async resendConfirmation(addressHash: string, campaign: Campaign, subscriberId: string | undefined, now: Date): Promise<void> {
    if (!subscriberId) return;
    if (!(await this.store.claimConfirmMail(addressHash, campaign.id, now, this.config.CONFIRM_COOLDOWN_MINUTES))) return;
    const subscriber = await this.store.getSubscriber(subscriberId, now);
    if (subscriber) await this.sendConfirmation(addressHash, campaign, subscriber, now);
  }

  /**
   * Sends the confirmation mail. A failure is logged and its claim released, so that the next
   * sign-up sends it at once, but never answered differently: an error here would tell a stranger
   * that the address is new.
   */
  private async sendConfirmation(addressHash: string, campaign: Campaign, subscriber: StoredSubscriber, now: Date): Promise<void> {
    try {
      await this.outbox.sendConfirm(campaign, subscriber, now);
      await this.stats.countCampaign(campaign.id, { sent_confirm: 1 }, now);
    } catch (error) {
      await this.store.releaseConfirmMail(addressHash, campaign.id, now);
      console.error(JSON.stringify({ level: 'error', msg: 'confirmation mail failed', error: error instanceof Error ? error.name : 'unknown' }));
    }
  }

  /** Builds the signed links of a subscriber's pages. */
  get links(): Links {
    return this.outbox.links;
  }

  /** Checks a link's signature and purpose without reading the subscriber. */
  verify(token: string, purpose: TokenPurpose): void {
    verifyToken(this.config.SIGNING_SECRET, token, purpose);
  }

  /** Resolves a link to its subscriber and campaign; a bad, erased or expired link is a 4xx. */
  async open(token: string, purpose: TokenPurpose): Promise<LinkTarget & { platform?: PlatformId }> {
    const claims = verifyToken(this.config.SIGNING_SECRET, token, purpose);
    const subscriber = await this.store.getSubscriber(claims.subscriberId, this.clock());
    const campaign = this.campaigns.find((c) => c.id === subscriber?.campaignId);
    if (!subscriber || !campaign) {
      throw new DomainError('not_found', 'subscriber_gone', 'This link no longer works: the sign-up expired or was deleted.');
    }
    return { subscriber, campaign, ...(claims.platform ? { platform: claims.platform } : {}) };
  }

  /**
   * Confirms a sign-up and sends the welcome guide. Confirming twice is harmless: the second time
   * reports it, and sends the welcome only if the first attempt failed to.
   */
  async confirm(token: string): Promise<LinkTarget & { alreadyConfirmed: boolean }> {
    const target = await this.open(token, 'confirm');
    const now = this.clock();
    const alreadyConfirmed = target.subscriber.state === 'confirmed';
    let subscriber = target.subscriber;
    if (!alreadyConfirmed) {
      const state = transition(subscriber.state, 'confirm');
      const start = countdownStartFor(now);
      const firstStep = nextStepAfter(stepsFor(target.campaign, { timeZone: subscriber.timeZone, confirmedAt: now }), start);
      try {
        await this.store.confirm(subscriber, now, start, firstStep?.dueAt, personalDataExpiry(target.campaign, this.config.PRIVACY_GRACE_DAYS, now));
        await this.stats.countCampaign(
          target.campaign.id,
          { confirmations: 1, ...Object.fromEntries(subscriber.platforms.map((platform) => [`picked_${platform}`, 1])) },
          now,
        );
        subscriber = { ...subscriber, state, confirmedAt: now.toISOString(), handledUntil: start.toISOString() };
      } catch (error) {
        // A double click: the other request confirmed first. Carry on as already confirmed.
        const current = await this.store.getSubscriber(subscriber.id, now);
        if (!(error instanceof DomainError && error.code === 'confirm_raced' && current?.state === 'confirmed')) throw error;
        return { subscriber: current, campaign: target.campaign, alreadyConfirmed: true };
      }
    }
    await this.ensureWelcome(target.campaign, subscriber, now);
    return { subscriber, campaign: target.campaign, alreadyConfirmed };
  }

  private async ensureWelcome(campaign: Campaign, subscriber: StoredSubscriber, now: Date): Promise<void> {
    if (subscriber.welcomeSentAt || !(await this.store.claimWelcome(subscriber.id, now))) return;
    try {
      await this.outbox.sendWelcome(campaign, subscriber, now);
    } catch (error) {
      await this.store.settleWelcome(subscriber.id, undefined);
      throw new DomainError('unavailable', 'mail_failed', 'You are confirmed, but the email with your guide could not be sent just now. Press the button again in a minute.', {
        cause: error,
      });
    }
    await this.store.settleWelcome(subscriber.id, now);
    await this.stats.countCampaign(campaign.id, { sent_welcome: 1 }, now);
  }

  /** Marks one platform done; returns what is left. When nothing is, the countdown stops. */
  async recordObjection(token: string): Promise<LinkTarget & { platform: PlatformId; left: PlatformId[] }> {
    const target = await this.openObjection(token);
    const now = this.clock();
    const next = this.nextDueAt(target.campaign, recordObjection(target.subscriber, target.platform, now));
    const subscriber = await this.store.recordObjection(target.subscriber.id, target.platform, now, next);
    if (!target.subscriber.objections[target.platform]) await this.stats.countCampaign(target.campaign.id, { [`done_${target.platform}`]: 1 }, now);
    return { ...target, subscriber, left: platformsLeft(subscriber) };
  }

  /** Puts a platform back on the list; the countdown resumes from the next step. */
  async undoObjection(token: string): Promise<LinkTarget & { platform: PlatformId; left: PlatformId[] }> {
    const target = await this.openObjection(token);
    const next = this.nextDueAt(target.campaign, undoObjection(target.subscriber, target.platform));
    const subscriber = await this.store.undoObjection(target.subscriber.id, target.platform, next);
    if (target.subscriber.objections[target.platform]) await this.stats.countCampaign(target.campaign.id, { [`done_${target.platform}`]: -1 }, this.clock());
    return { ...target, subscriber, left: platformsLeft(subscriber) };
  }

  /** When a subscriber in this state is next due, or undefined when nothing is left to send. */
  private nextDueAt(campaign: Campaign, subscriber: StoredSubscriber): Date | undefined {
    if (platformsLeft(subscriber).length === 0) return undefined;
    const handledUntil = new Date(subscriber.handledUntil ?? subscriber.confirmedAt ?? this.clock());
    return nextStepAfter(stepsFor(campaign, { timeZone: subscriber.timeZone, confirmedAt: subscriber.confirmedAt ? new Date(subscriber.confirmedAt) : undefined }), handledUntil)?.dueAt;
  }

  async openObjection(token: string): Promise<LinkTarget & { platform: PlatformId }> {
    const { platform, ...target } = await this.open(token, 'objected');
    if (!platform || !target.subscriber.platforms.includes(platform)) {
      throw new DomainError('not_found', 'platform_not_picked', 'This platform is no longer on your list.');
    }
    if (target.subscriber.state !== 'confirmed') {
      throw new DomainError('conflict', 'not_confirmed', 'Confirm your subscription first, from the email we sent you.');
    }
    return { ...target, platform };
  }

  /** Changes platforms, time zone and language; returns field errors for bad input. */
  async updatePreferences(
    token: string,
    input: unknown,
  ): Promise<{ ok: true; target: LinkTarget } | { ok: false; target: LinkTarget; fields: PreferenceErrors }> {
    const target = await this.openConfirmed(token, 'preferences');
    const parsed = PreferencesRequest.safeParse(input);
    if (!parsed.success) {
      const fields: PreferenceErrors = fieldErrorsOf(parsed.error.issues, PREFERENCE_FALLBACKS);
      return { ok: false, target, fields: Object.keys(fields).length ? fields : { platforms: 'platforms_missing' } };
    }
    const offered = new Set(target.campaign.platforms.map((p) => p.id));
    if (!parsed.data.platforms.every((p) => offered.has(p))) return { ok: false, target, fields: { platforms: 'platforms_unknown' } };
    const platforms = target.campaign.platforms.map((p) => p.id).filter((id) => parsed.data.platforms.includes(id));
    const preferences = {
      platforms,
      timeZone: parsed.data.timezone,
      locale: supportedLocale(parsed.data.locale),
      objections: Object.fromEntries(Object.entries(target.subscriber.objections).filter(([platform]) => platforms.includes(platform as PlatformId))),
    };
    const next = this.nextDueAt(target.campaign, { ...target.subscriber, ...preferences });
    const subscriber = await this.store.updatePreferences(target.subscriber, preferences, next);
    return { ok: true, target: { ...target, subscriber } };
  }

  async openConfirmed(token: string, purpose: TokenPurpose): Promise<LinkTarget> {
    const target = await this.open(token, purpose);
    if (target.subscriber.state !== 'confirmed') {
      throw new DomainError('conflict', 'not_confirmed', 'Confirm your subscription first, from the email we sent you.');
    }
    return target;
  }

  /** Everything stored about the person, for "download my data". */
  async exportData(token: string): Promise<DataExport> {
    const { subscriber, campaign } = await this.open(token, 'preferences');
    return {
      campaign: { id: campaign.id, title: campaign.title },
      email: subscriber.email,
      state: subscriber.state,
      platforms: subscriber.platforms,
      objections: subscriber.objections,
      timeZone: subscriber.timeZone,
      locale: subscriber.locale,
      consent: subscriber.consent,
      createdAt: subscriber.createdAt,
      confirmedAt: subscriber.confirmedAt,
      welcomeSentAt: subscriber.welcomeSentAt,
    };
  }

  /**
   * One-click unsubscribe: stops every email at once and erases the personal data. A validly
   * signed link whose subscriber is already gone still succeeds, so repeating it is harmless.
   */
  async unsubscribe(token: string): Promise<void> {
    const claims = verifyToken(this.config.SIGNING_SECRET, token, 'unsubscribe');
    await this.eraseAndCount(claims.subscriberId, 'unsubscribed');
  }

  /** "Delete me" from the preferences page. */
  async erase(token: string): Promise<void> {
    const claims = verifyToken(this.config.SIGNING_SECRET, token, 'preferences');
    await this.eraseAndCount(claims.subscriberId, 'erased');
  }

  /** Erases, and counts the leaving in the campaign's daily numbers, which keep no personal data. */
  private async eraseAndCount(subscriberId: string, reason: 'unsubscribed' | 'erased'): Promise<void> {
    const now = this.clock();
    const subscriber = await this.store.getSubscriber(subscriberId, now);
    await this.store.erase(subscriberId, reason, now);
    if (subscriber) await this.stats.countCampaign(subscriber.campaignId, reason === 'unsubscribed' ? { unsubscribes: 1 } : { erasures: 1 }, now);
  }
}
