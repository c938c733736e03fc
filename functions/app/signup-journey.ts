import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Campaign } from '../domain/campaign.js';
import { DomainError } from '../domain/errors.js';
import { decideRate, type RateRule } from '../domain/rate-limit.js';
import { transitionPerson, type Person } from '../domain/person.js';
import { PlatformId } from '../domain/platform.js';
import { personalDataExpiry } from '../domain/retention.js';
import { countdownStartFor, nextStepAfter, stepsFor } from '../domain/schedule.js';
import type { Locale } from '../domain/locale.js';
import {
  fieldErrorsOf,
  formCounts,
  LocaleField,
  parseSignup,
  planSignup,
  PlatformsField,
  TimeZoneField,
  type Counts,
  type FieldErrors,
  type SignupErrorCode,
} from '../domain/signup.js';
import { PEOPLE_SCOPE } from '../domain/stats.js';
import { platformsLeft, recordObjection, scheduleReaderOf, transitionSubscription, undoObjection, type Subscription } from '../domain/subscription.js';
import { hashAddress, hashClientIp, verifyToken, type TokenClaims, type TokenPurpose } from '../domain/token.js';
import { WATCH_RENEWAL_DAYS, watchRetainUntil } from '../domain/watch.js';
import { mailJobId, newMailJob, type MailJob } from '../domain/mail-job.js';
import type { Links } from '../mail/links.js';
import { textFor } from '../locales/index.js';
import type { PersonRecord, PersonStore } from '../store/person-store.js';
import type { RateLimits, RateScope } from '../store/rate-limits.js';
import type { StatsStore } from '../store/stats-store.js';

/** Accepted (with how many campaigns the person picked), or the fields to fix. */
export type SignupOutcome = { ok: true; campaignCount: number } | { ok: false; fields: FieldErrors; values: Record<string, unknown> };

/** One campaign of a person, as their pages show it. */
export interface CampaignOfPerson {
  campaign: Campaign;
  subscription: Subscription;
}

/** A person behind a link, with their campaigns. */
export interface PersonView {
  person: Person;
  campaigns: CampaignOfPerson[];
}

/** The person and the one campaign and platform an "I've objected" link is about. */
export interface ObjectionTarget extends PersonView {
  campaign: Campaign;
  subscription: Subscription;
  platform: PlatformId;
}

/** The preferences form: the same fields as the sign-up's, and the same words for what is wrong. */
export const PreferencesRequest = z.object({
  platforms: PlatformsField,
  timezone: TimeZoneField.pipe(z.string({ error: 'timezone_invalid' })),
  /** None given keeps the person's language. */
  locale: LocaleField.optional(),
});
export type PreferenceErrors = Partial<Record<keyof z.infer<typeof PreferencesRequest>, SignupErrorCode>>;
const PREFERENCE_FALLBACKS = { platforms: 'platforms_unknown', timezone: 'timezone_invalid', locale: 'locale_invalid' } as const;

/** One email to the person as the export lists it: what, about which campaign, when, and what became of it. */
export type ExportedEmail = Pick<MailJob, 'kind' | 'status' | 'createdAt' | 'attempts'> &
  Partial<Pick<MailJob, 'campaignId' | 'stepId' | 'issueId' | 'platforms' | 'sentAt' | 'acceptedAt' | 'sesMessageId' | 'dropped' | 'failedAt' | 'lastError'>>;

/**
 * Everything stored about a person, as "download my data" hands it out: every item their erasure
 * removes, without the table's own bookkeeping (keys, versions, leases).
 */
export interface DataExport {
  exportedAt: string;
  person: Omit<Person, 'id' | 'generation' | 'version' | 'layout'> & { nextWatchQuestionAt?: string };
  campaigns: (Omit<Subscription, 'personId' | 'layout'> & { title: string; nextReminderAt?: string })[];
  watches: { platform: PlatformId; since?: string }[];
  /** The record of every email to the person. */
  emails: ExportedEmail[];
  /** Anything else stored under the person, as stored. */
  other: Record<string, unknown>[];
  note: string;
}

/** What "stop only this campaign" did, for an answer that says so. */
export type LeaveCampaignOutcome =
  /** No more emails about the campaign: stopped now, or before. */
  | { status: 'left_campaign'; campaign: Campaign }
  /** The link is an earlier sign-up's, and the current one has no such campaign: nothing changed. */
  | { status: 'not_subscribed'; campaign: Campaign }
  /** Nothing is sent to the address at all (they left, or never confirmed): nothing to stop. */
  | { status: 'unsubscribed' };

/** A mail job without the mailer's bookkeeping (its id, its lease). */
function exportedEmail(job: MailJob): ExportedEmail {
  const { jobId: _jobId, personId: _personId, claimToken: _token, claimedAt: _claimed, leaseUntil: _lease, notBefore: _wait, ...email } = job;
  return email;
}

/** Many races lost in a row: tell the person to try again rather than pretend it worked. */
const SIGNUP_ATTEMPTS = 8;

/** A short random wait after a lost race, so that the racers do not meet again at once. */
const backOff = (round: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** Math.min(round, 5)));

const newGeneration = () => randomBytes(6).toString('base64url');

const gone = () => new DomainError('not_found', 'subscriber_gone', 'This link no longer works: the sign-up expired or was deleted.');

/**
 * The person's journey: sign up, confirm once for every campaign of the sign-up, receive each
 * campaign's guide, mark platforms done, change preferences, export, leave. Coordinates the store
 * (which guards every race with a condition); every email it causes is a mail job in the same write.
 */
export class SignupJourney {
  constructor(
    private readonly deps: {
      people: PersonStore;
      /** The network's sign-up limit: read with the person, its claim written in the sign-up's transaction. */
      limits: Pick<RateLimits, 'read' | 'claimUpdate'>;
      links: Links;
      stats: StatsStore;
      campaigns: readonly Campaign[];
      config: Pick<Config, 'SIGNING_SECRET' | 'CONFIRM_COOLDOWN_MINUTES' | 'IP_SIGNUP_LIMIT' | 'IP_SIGNUP_WINDOW_MINUTES' | 'PRIVACY_GRACE_DAYS'>;
      clock: Clock;
    },
  ) {}

  get clock(): Clock {
    return this.deps.clock;
  }

  /** Builds the signed links of a person's pages. */
  get links(): Links {
    return this.deps.links;
  }

  private campaign(id: string): Campaign | undefined {
    return this.deps.campaigns.find((c) => c.id === id);
  }

  /**
   * Takes a sign-up from the form. Does the same work whether the address is new, pending,
   * confirmed or suppressed (one query and the network's limit read at once, one transaction that
   * also takes the network's place in its limit, the day's counts), and gives the same answer, so neither tells a stranger anything; sends at most one
   * confirmation email for all the campaigns of the sign-up, under the resend rule. A form that
   * names no language takes `request.locale`, the browser's.
   */
  async signUp(input: unknown, request: { clientIp: string; locale: Locale }): Promise<SignupOutcome> {
    const { config, people } = this.deps;
    const { clientIp } = request;
    const now = this.clock();
    const parsed = parseSignup(input, this.deps.campaigns, now, { locale: request.locale });
    if (!parsed.ok) return parsed;
    const { signup } = parsed;
    // The same answer whatever happens next: it must not tell a stranger anything about the address.
    const accepted = { ok: true, campaignCount: signup.picks.length } as const;
    if (signup.isBot) return accepted;
    // The network's limit: IP_SIGNUP_LIMIT at once, then that many per window on average.
    const network: RateScope = { name: 'signup', scope: hashClientIp(config.SIGNING_SECRET, clientIp) };
    const rule: RateRule = { limit: config.IP_SIGNUP_LIMIT, windowMs: config.IP_SIGNUP_WINDOW_MINUTES * 60_000 };
    const personId = hashAddress(config.SIGNING_SECRET, signup.email);
    for (let round = 0, limitMoves = 0; round < SIGNUP_ATTEMPTS; ) {
      // Both reads at once: the person, and what the network's limit allows.
      const [stored, allowance] = await Promise.all([people.load(personId, now), this.deps.limits.read(network)]);
      const limit = decideRate(rule, allowance, now);
      if (!limit.allowed) {
        const wait = limit.retryAfterSeconds;
        throw new DomainError('rate_limited', 'too_many_signups', `Too many sign-ups from your network. Please try again in ${wait} seconds.`, { retryAfterSeconds: wait });
      }
      const attempt = this.deps.limits.claimUpdate(network, limit.claim, limit.keepUntil);
      const plan = planSignup({ stored, signup, personId, generation: newGeneration(), now, cooldownMinutes: config.CONFIRM_COOLDOWN_MINUTES });
      // The confirmation email is a mail job in the sign-up's own transaction: the mailer sends it,
      // so no answer waits on SES, and a spike above its rate queues instead of losing mail.
      const person = plan.change?.person;
      const confirmationMail =
        person && plan.sendConfirmation
          ? newMailJob({ jobId: mailJobId.confirm(person.id, person.generation, person.version), kind: 'confirm', personId: person.id, now })
          : undefined;
      const result = await people.saveSignup(
        { personId, attempt, expectedVersion: stored.version, change: plan.change, personDue: stored.personDue, confirmationMail, counts: formCounts(signup.picks, plan) },
        now,
      );
      if (result === 'saved') return accepted;
      // Another sign-up from the same network took its place first: that one went through, so
      // read the limit again at once rather than wait as after a race on the person.
      if (result === 'limit_moved' && ++limitMoves <= SIGNUP_ATTEMPTS) continue;
      await backOff(round++);
    }
    throw new DomainError('unavailable', 'signup_raced', 'Too many changes to this sign-up at once. Please send the form again.');
  }

  /** Checks a link's signature and purpose without reading the person. */
  verify(token: string, purpose: TokenPurpose): TokenClaims {
    return verifyToken(this.deps.config.SIGNING_SECRET, token, purpose);
  }

  /** Resolves a link to its person, in the generation the link was made for; a bad or dead link is a 4xx. */
  private async openRecord(token: string, purpose: TokenPurpose): Promise<{ claims: TokenClaims; record: PersonRecord; person: Person }> {
    const claims = this.verify(token, purpose);
    const record = await this.deps.people.load(claims.personId, this.clock());
    const person = record.person;
    if (!person || person.generation !== claims.generation) throw gone();
    return { claims, record, person };
  }

  private viewOf(person: Person, record: PersonRecord): PersonView {
    const campaigns = record.subscriptions
      .map((subscription) => ({ subscription, campaign: this.campaign(subscription.campaignId) }))
      .filter((item): item is CampaignOfPerson => item.campaign !== undefined);
    return { person, campaigns };
  }

  /** What a confirmation link would confirm: the campaigns (and platforms) of the sign-up waiting for it. */
  async openConfirmation(token: string): Promise<PersonView & { waiting: CampaignOfPerson[] }> {
    const { record, person } = await this.openRecord(token, 'confirm');
    const view = this.viewOf(person, record);
    return { ...view, waiting: view.campaigns.filter(({ subscription }) => subscription.state === 'pending' || subscription.pendingPlatforms?.length) };
  }

  /**
   * Confirms everything the person's sign-up asked for, in one transaction, then sends each newly
   * confirmed campaign its own welcome guide. Confirming twice is harmless: the second time
   * reports it, and sends a welcome only where an earlier attempt failed to.
   */
  async confirm(token: string): Promise<PersonView & { confirmed: Campaign[]; alreadyConfirmed: boolean }> {
    const now = this.clock();
    for (let round = 0; round < SIGNUP_ATTEMPTS; round++) {
      const { record, person } = await this.openRecord(token, 'confirm');
      const change = this.planConfirmation(person, record, now);
      if (!change) return { ...this.viewOf(person, record), confirmed: [], alreadyConfirmed: true };
      // Each campaign's welcome, and the guide of platforms added to a confirmed one, are mail jobs
      // in the confirmation's own transaction: the mailer sends them, the answer waits on no SES.
      const mails = this.welcomeMails(person, change, now);
      if (!(await this.deps.people.confirm(change, now, mails))) {
        await backOff(round);
        continue;
      }
      for (const { campaignId } of mails) if (campaignId) await this.deps.stats.countCampaign(campaignId, { sent_welcome: 1 }, now);
      const view = this.viewOf(change.person, { ...record, subscriptions: change.subscriptions.map((s) => s.subscription) });
      const confirmedIds = new Set(change.subscriptions.filter((s) => s.newlyConfirmed).map((s) => s.subscription.campaignId));
      return { ...view, confirmed: view.campaigns.filter(({ campaign }) => confirmedIds.has(campaign.id)).map((c) => c.campaign), alreadyConfirmed: false };
    }
    throw new DomainError('conflict', 'confirm_raced', 'This sign-up changed meanwhile. Please reload the page.');
  }

  /** The welcome of each newly confirmed campaign, and of platforms added to one confirmed before. */
  private welcomeMails(person: Person, change: NonNullable<ReturnType<SignupJourney['planConfirmation']>>, now: Date): MailJob[] {
    const mails: MailJob[] = [];
    for (const { subscription, newlyConfirmed, added } of change.subscriptions) {
      const { campaignId } = subscription;
      if (newlyConfirmed) {
        mails.push(newMailJob({ jobId: mailJobId.welcome(person.id, person.generation, campaignId), kind: 'welcome', personId: person.id, campaignId, now }));
      } else if (added.length > 0) {
        const jobId = mailJobId.guide(person.id, person.generation, campaignId, change.person.version);
        mails.push(newMailJob({ jobId, kind: 'welcome', personId: person.id, campaignId, platforms: added, now }));
      }
    }
    return mails;
  }

  /** What confirming changes: undefined when there is nothing left to confirm. */
  private planConfirmation(person: Person, record: PersonRecord, now: Date) {
    const at = now.toISOString();
    const grace = this.deps.config.PRIVACY_GRACE_DAYS;
    const start = countdownStartFor(now);
    const subscriptions: { subscription: Subscription; firstStepAt: Date | undefined; expiresAt: Date; newlyConfirmed: boolean; added: PlatformId[] }[] = [];
    const counts: Counts = {};
    for (const current of record.subscriptions) {
      const campaign = this.campaign(current.campaignId);
      if (!campaign) continue;
      if (current.state === 'pending') {
        const subscription: Subscription = { ...current, state: transitionSubscription(current.state, 'confirm'), confirmedAt: at, handledUntil: start.toISOString() };
        const firstStepAt = nextStepAfter(stepsFor(campaign, { timeZone: person.timeZone, confirmedAt: now }), start)?.dueAt;
        subscriptions.push({ subscription, firstStepAt, expiresAt: personalDataExpiry(campaign, grace, now), newlyConfirmed: true, added: [] });
        counts[campaign.id] = { confirmations: 1, ...Object.fromEntries(subscription.platforms.map((p) => [`picked_${p}`, 1])) };
      } else if (current.state === 'confirmed' && current.pendingPlatforms?.length) {
        const added = current.pendingPlatforms.filter((p) => !current.platforms.includes(p));
        const subscription: Subscription = { ...current, platforms: [...current.platforms, ...added] };
        const handledUntil = new Date(current.handledUntil ?? current.confirmedAt ?? at);
        const firstStepAt = nextStepAfter(stepsFor(campaign, scheduleReaderOf(person, current)), handledUntil)?.dueAt;
        subscriptions.push({ subscription, firstStepAt, expiresAt: personalDataExpiry(campaign, grace, new Date(current.confirmedAt ?? at)), newlyConfirmed: false, added });
        counts[campaign.id] = Object.fromEntries(added.map((p) => [`picked_${p}`, 1]));
      }
    }
    const waitingConsents = person.consents.filter((c) => c.confirmedAt === undefined);
    if (subscriptions.length === 0 && waitingConsents.length === 0 && person.status === 'active') return undefined;
    if (person.status === 'pending') counts[PEOPLE_SCOPE] = { confirmations: 1 };
    const watch = person.watch || waitingConsents.some((c) => c.kind === 'watch');
    const platforms = [...new Set([...person.platforms, ...subscriptions.flatMap((s) => s.subscription.platforms)])];
    // A new watch starts its year now; the data stays at least as long as the watch is wanted.
    const watchKeptAt = watch ? (person.watchKeptAt ?? at) : undefined;
    const watchUntil = watchKeptAt ? watchRetainUntil(new Date(watchKeptAt)).getTime() : 0;
    const retainUntil = Math.max(Date.parse(person.retainUntil ?? at), watchUntil, ...subscriptions.map((s) => s.expiresAt.getTime()));
    const { confirmationMails: _sent, expiresAt: _pendingUntil, ...rest } = person;
    const confirmed: Person = {
      ...rest,
      status: transitionPerson(person.status, 'confirm'),
      confirmedAt: person.confirmedAt ?? at,
      consents: person.consents.map((c) => (c.confirmedAt ? c : { ...c, confirmedAt: at })),
      platforms,
      watch,
      ...(watchKeptAt ? { watchKeptAt } : {}),
      retainUntil: new Date(retainUntil).toISOString(),
      version: person.version + 1,
    };
    const watches = watch ? platforms.filter((p) => !record.watches.includes(p)) : [];
    const personDue =
      watchKeptAt && !person.watchKeptAt
        ? this.deps.people.watchRenewalDue(person.id, new Date(Date.parse(watchKeptAt) + WATCH_RENEWAL_DAYS * 86_400_000))
        : record.personDue;
    return { person: confirmed, personDue, personExpiresAt: new Date(retainUntil), expectedVersion: person.version, subscriptions, watches, counts };
  }

  /** The person, campaign and platform of an "I've objected" link; the campaign must be confirmed. */
  async openObjection(token: string): Promise<ObjectionTarget> {
    const { claims, record, person } = await this.openRecord(token, 'objected');
    const view = this.viewOf(person, record);
    const target = view.campaigns.find(({ campaign }) => campaign.id === claims.campaignId);
    const platform = claims.platform;
    if (!target || !platform || target.subscription.state === 'ended' || !target.subscription.platforms.includes(platform)) {
      throw new DomainError('not_found', 'platform_not_picked', 'This platform is no longer on your list.');
    }
    if (target.subscription.state !== 'confirmed' || person.status !== 'active') {
      throw new DomainError('conflict', 'not_confirmed', 'Confirm your subscription first, from the email we sent you.');
    }
    return { ...view, ...target, platform };
  }

  /** Marks one platform done; returns what is left. When nothing is, the countdown stops. */
  async recordObjection(token: string): Promise<ObjectionTarget & { left: PlatformId[] }> {
    return this.setObjection(token, true);
  }

  /** Puts a platform back on the list; the countdown resumes from the next step. */
  async undoObjection(token: string): Promise<ObjectionTarget & { left: PlatformId[] }> {
    return this.setObjection(token, false);
  }

  private async setObjection(token: string, done: boolean): Promise<ObjectionTarget & { left: PlatformId[] }> {
    const target = await this.openObjection(token);
    const now = this.clock();
    const after = done ? recordObjection(target.subscription, target.platform, now) : undoObjection(target.subscription, target.platform);
    // A repeat, or the other request of a race, changes nothing: the condition on the mark decides.
    await this.deps.people.setObjection({
      personId: target.person.id,
      campaignId: target.campaign.id,
      platform: target.platform,
      doneAt: done ? new Date(after.objections[target.platform] ?? now.toISOString()) : undefined,
      nextDueAt: this.nextDueAt(target.campaign, target.person, after),
      now,
    });
    const subscription = { ...target.subscription, objections: after.objections };
    return { ...target, subscription, left: platformsLeft(subscription) };
  }

  /** When a subscription in this state is next due, or undefined when nothing is left to send. */
  private nextDueAt(campaign: Campaign, person: Person, subscription: Subscription): Date | undefined {
    if (subscription.state !== 'confirmed' || platformsLeft(subscription).length === 0) return undefined;
    const handledUntil = new Date(subscription.handledUntil ?? subscription.confirmedAt ?? this.clock());
    return nextStepAfter(stepsFor(campaign, scheduleReaderOf(person, subscription)), handledUntil)?.dueAt;
  }

  /** A person's preferences page: every campaign of theirs. */
  async openPreferences(token: string): Promise<PersonView> {
    const { record, person } = await this.openConfirmed(token);
    return this.viewOf(person, record);
  }

  /** A preferences link's person, who must have confirmed. */
  private async openConfirmed(token: string): Promise<{ record: PersonRecord; person: Person }> {
    const { record, person } = await this.openRecord(token, 'preferences');
    if (person.status !== 'active') throw new DomainError('conflict', 'not_confirmed', 'Confirm your subscription first, from the email we sent you.');
    return { record, person };
  }

  /**
   * Changes the platforms the person uses (every campaign follows: platforms no longer used drop
   * out, with their marks), their time zone and language; returns field errors for bad input.
   */
  async updatePreferences(token: string, input: unknown): Promise<{ ok: true; view: PersonView } | { ok: false; view: PersonView; fields: PreferenceErrors }> {
    for (let round = 0; round < SIGNUP_ATTEMPTS; round++) {
      const { record, person: stored } = await this.openConfirmed(token);
      const view = this.viewOf(stored, record);
      const parsed = PreferencesRequest.safeParse(input);
      if (!parsed.success) {
        const fields: PreferenceErrors = fieldErrorsOf(parsed.error.issues, PREFERENCE_FALLBACKS);
        return { ok: false, view, fields: Object.keys(fields).length ? fields : { platforms: 'platforms_missing' } };
      }
      const offered = new Set(view.campaigns.flatMap(({ campaign }) => campaign.platforms.map((p) => p.id)));
      if (!parsed.data.platforms.every((p) => offered.has(p))) return { ok: false, view, fields: { platforms: 'platforms_unknown' } };
      const person: Person = {
        ...view.person,
        platforms: parsed.data.platforms,
        timeZone: parsed.data.timezone,
        locale: parsed.data.locale ?? view.person.locale,
        version: view.person.version + 1,
      };
      const used = new Set(parsed.data.platforms);
      const subscriptions = view.campaigns
        .filter(({ subscription }) => subscription.state === 'confirmed')
        .map(({ campaign, subscription }) => {
          const platforms = campaign.platforms.map((p) => p.id).filter((id) => used.has(id));
          const objections = Object.fromEntries(Object.entries(subscription.objections).filter(([platform]) => used.has(platform as PlatformId)));
          const changed = { ...subscription, platforms, objections };
          return { subscription: changed, campaign, nextDueAt: this.nextDueAt(campaign, person, changed) };
        });
      // A watcher watches the platforms they use: the watches follow the new list.
      const watched = new Set(person.watch ? person.platforms : []);
      const watches = {
        add: [...watched].filter((platform) => !record.watches.includes(platform)),
        remove: record.watches.filter((platform) => !watched.has(platform)),
        since: this.clock(),
      };
      if (await this.deps.people.savePreferences({ person, expectedVersion: view.person.version, subscriptions, watches })) {
        const byId = new Map(subscriptions.map((s) => [s.campaign.id, s.subscription]));
        return { ok: true, view: { person, campaigns: view.campaigns.map((c) => ({ ...c, subscription: byId.get(c.campaign.id) ?? c.subscription })) } };
      }
    }
    throw new DomainError('conflict', 'confirm_raced', 'This sign-up changed meanwhile. Please reload the page.');
  }

  /** Everything stored about the person, every campaign, every consent, every email, for "download my data". */
  async exportData(token: string): Promise<DataExport> {
    const { record, person } = await this.openRecord(token, 'preferences');
    const { id: _id, generation: _generation, version: _version, layout: _layout, ...stored } = person;
    const { watchQuestion, campaigns: nextReminders } = record.nextDue;
    return {
      exportedAt: this.clock().toISOString(),
      person: { ...stored, ...(watchQuestion ? { nextWatchQuestionAt: watchQuestion } : {}) },
      campaigns: record.subscriptions.map(({ personId: _personId, layout: _l, ...subscription }) => {
        const nextReminderAt = nextReminders[subscription.campaignId];
        return { ...subscription, title: this.campaign(subscription.campaignId)?.title ?? subscription.campaignId, ...(nextReminderAt ? { nextReminderAt } : {}) };
      }),
      watches: record.watches.map((platform) => {
        const since = record.watchedSince[platform];
        return { platform, ...(since ? { since } : {}) };
      }),
      emails: record.mailJobs.map(exportedEmail),
      other: record.otherItems,
      note: textFor(person.locale).pages.exportNote,
    };
  }

  /**
   * What an unsubscribe link's page needs: the address's current sign-up (for its language), and
   * the campaign of the email while that sign-up still gets it. From any email of the address, also
   * of an earlier sign-up: the link proves the mailbox.
   */
  async openUnsubscribe(token: string): Promise<{ person?: Person; campaign?: Campaign }> {
    const claims = this.verify(token, 'unsubscribe');
    const record = await this.deps.people.load(claims.personId, this.clock());
    const person = record.person;
    const campaign = claims.campaignId ? this.campaign(claims.campaignId) : undefined;
    const receives = campaign && record.subscriptions.some((s) => s.campaignId === campaign.id && s.state !== 'ended');
    return { ...(person ? { person } : {}), ...(person && receives ? { campaign } : {}) };
  }

  /**
   * One-click unsubscribe: stops every email of the service to the address at once and erases its
   * data. Honoured from an email of any of the address's sign-ups, also one before they left and
   * came back: the link proves the mailbox, and stopping mail is always safe. Repeating it is harmless.
   */
  async unsubscribe(token: string): Promise<void> {
    const claims = this.verify(token, 'unsubscribe');
    await this.eraseAddress(claims.personId, 'unsubscribed');
  }

  /**
   * "Stop only this campaign", the unsubscribe page's second button: the other campaigns go on.
   * From an earlier sign-up's email it stops the campaign if the current sign-up has it; if not,
   * nothing changes, and the answer says so rather than pretend.
   */
  async leaveCampaign(token: string): Promise<LeaveCampaignOutcome> {
    const claims = this.verify(token, 'unsubscribe');
    const campaign = claims.campaignId ? this.campaign(claims.campaignId) : undefined;
    if (!campaign) throw new DomainError('input', 'campaign_unknown', 'This link is not about one campaign.');
    const now = this.clock();
    const record = await this.deps.people.load(claims.personId, now);
    if (!record.person) return { status: 'unsubscribed' };
    const subscription = record.subscriptions.find((s) => s.campaignId === campaign.id);
    if (!subscription) return record.person.generation === claims.generation ? { status: 'left_campaign', campaign } : { status: 'not_subscribed', campaign };
    if (subscription.state !== 'ended') await this.deps.people.endSubscription(claims.personId, campaign.id, now);
    return { status: 'left_campaign', campaign };
  }

  /** A calendar link's person and campaign: the deadline for their zone and language. */
  async openCalendar(token: string): Promise<{ person: Person; campaign: Campaign }> {
    const { claims, record, person } = await this.openRecord(token, 'calendar');
    const campaign = claims.campaignId ? this.campaign(claims.campaignId) : undefined;
    if (!campaign || !record.subscriptions.some((s) => s.campaignId === campaign.id && s.state === 'confirmed')) throw gone();
    return { person, campaign };
  }

  /** The yearly "keep watching?" link: the person behind it, who must still watch. */
  async openKeepWatching(token: string): Promise<Person> {
    const { person } = await this.openRecord(token, 'watch');
    if (person.status !== 'active' || !person.watch) throw gone();
    return person;
  }

  /** "Yes, keep watching": the watch and the data are kept another year, and the question comes again then. */
  async keepWatching(token: string): Promise<{ person: Person; nextQuestion: Date }> {
    const { person, record } = await this.openRecord(token, 'watch');
    if (person.status !== 'active' || !person.watch) throw gone();
    const now = this.clock();
    const nextQuestion = new Date(now.getTime() + WATCH_RENEWAL_DAYS * 86_400_000);
    const retainUntil = new Date(Math.max(Date.parse(person.retainUntil ?? now.toISOString()), watchRetainUntil(now).getTime()));
    const kept = await this.deps.people.setWatchRenewal({ personId: person.id, next: nextQuestion, keptAt: now, retainUntil, watches: record.watches });
    if (!kept) throw gone();
    return { person, nextQuestion };
  }

  /**
   * "Delete me" from the preferences page: erases everything about the address, from the
   * preferences link of any of its sign-ups' emails (as unsubscribing does). Returns the person as
   * they were, for the language of the answer.
   */
  async erase(token: string): Promise<Person | undefined> {
    const claims = this.verify(token, 'preferences');
    return this.eraseAddress(claims.personId, 'erased');
  }

  /** Erases what the address holds now; nothing to do when nothing but its fingerprint is stored. */
  private async eraseAddress(personId: string, status: 'unsubscribed' | 'erased'): Promise<Person | undefined> {
    const now = this.clock();
    const record = await this.deps.people.load(personId, now);
    if (record.itemKeys.length === 0) return undefined;
    await this.deps.people.erase(personId, status, now);
    return record.person;
  }
}
