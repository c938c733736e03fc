import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Campaign } from '../domain/campaign.js';
import { checklistOf, morningsOf, summarise, type ChecklistItem, type ChecklistSummary } from '../domain/checklist.js';
import { DomainError } from '../domain/errors.js';
import type { Locale } from '../domain/locale.js';
import { mailJobId, newMailJob, type MailJob } from '../domain/mail-job.js';
import type { Person } from '../domain/person.js';
import { PlatformId, type Platform } from '../domain/platform.js';
import { changeList, markDone, planConfirmation, type ListChange, type ListContext } from '../domain/platform-list.js';
import { decideRate, type RateRule } from '../domain/rate-limit.js';
import { nextAfter } from '../domain/schedule.js';
import {
  fieldErrorsOf,
  formCounts,
  LocaleField,
  parseSignup,
  planSignup,
  PlatformsField,
  TimeZoneField,
  type FieldErrors,
  type SignupErrorCode,
} from '../domain/signup.js';
import { PEOPLE_SCOPE, PLATFORMS_SCOPE } from '../domain/stats.js';
import { hashAddress, hashClientIp, verifyToken, type TokenClaims, type TokenPurpose } from '../domain/token.js';
import { WATCH_RENEWAL_DAYS, watchRetainUntil } from '../domain/watch.js';
import type { Links } from '../mail/links.js';
import { textFor } from '../locales/index.js';
import type { PersonRecord, PersonStore, PersonWrite } from '../store/person-store.js';
import type { RateLimits, RateScope } from '../store/rate-limits.js';

/** Accepted (with the address as it will be written to, for the "check your inbox" page), or the fields to fix. */
export type SignupOutcome = { ok: true; email: string; platforms: PlatformId[] } | { ok: false; fields: FieldErrors; values: Record<string, unknown> };

/** A person behind a link, with their one checklist as it stands now. */
export interface PersonView {
  person: Person;
  checklist: ChecklistItem[];
  summary: ChecklistSummary;
  /** Platforms watched for new deadlines. */
  watches: PlatformId[];
}

/** The person and the one platform an "I've objected" link is about. */
export interface ObjectionTarget extends PersonView {
  item: ChecklistItem;
}

/**
 * What a person sends from their preferences page as one list (JSON, or an older form): the
 * platforms they use, their zone and language; the same fields as the sign-up's, and the same
 * words for what is wrong.
 */
export const PreferencesRequest = z.object({
  platforms: PlatformsField,
  timezone: TimeZoneField.pipe(z.string({ error: 'timezone_invalid' })),
  /** None given keeps the person's language. */
  locale: LocaleField.optional(),
});
export type PreferenceErrors = Partial<Record<keyof z.infer<typeof PreferencesRequest>, SignupErrorCode>>;

/** The zone and language on their own, as the preferences page's settings form sends them. */
export const PreferenceSettings = PreferencesRequest.pick({ timezone: true, locale: true });
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
  /** The person with their list of platforms, marks and consents. */
  person: Omit<Person, 'id' | 'generation' | 'version' | 'layout'> & { nextWatchQuestionAt?: string };
  /** The checklist as the person's pages show it today. */
  checklist: { platform: PlatformId; state: string; addedAt?: string | undefined; doneAt?: string | undefined; todaysAction: string }[];
  /** The last morning email handled and the next one due. */
  mornings: PersonRecord['mornings'];
  watches: { platform: PlatformId; since?: string }[];
  /** The record of every email to the person. */
  emails: ExportedEmail[];
  /** Anything else stored under the person, as stored. */
  other: Record<string, unknown>[];
  note: string;
}

/** What "stop only this campaign" did, for an answer that says so. */
export type LeaveCampaignOutcome =
  /** No more emails about the campaign: its platforms left the list now, or before. */
  | { status: 'left_campaign'; campaign: Campaign }
  /** The link is an earlier sign-up's, and the current one has none of its platforms: nothing changed. */
  | { status: 'not_subscribed'; campaign: Campaign }
  /** Nothing is sent to the address at all (they left, or never confirmed): nothing to stop. */
  | { status: 'unsubscribed' };

/** A mail job without the mailer's bookkeeping (its id, its lease). */
function exportedEmail(job: MailJob): ExportedEmail {
  const { jobId: _jobId, personId: _personId, claimToken: _token, claimedAt: _claimed, leaseUntil: _lease, notBefore: _wait, ...email } = job;
  return email;
}

/** Many races lost in a row: tell the person to try again rather than pretend it worked. */
const ATTEMPTS = 8;

/** A short random wait after a lost race, so that the racers do not meet again at once. */
const backOff = (round: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** Math.min(round, 5)));

const newGeneration = () => randomBytes(6).toString('base64url');

const gone = () => new DomainError('not_found', 'subscriber_gone', 'This link no longer works: the sign-up expired or was deleted.');

const raced = () => new DomainError('conflict', 'confirm_raced', 'This sign-up changed meanwhile. Please reload the page.');

/**
 * The person's journey: sign up, confirm once for every platform asked for, receive the guides,
 * mark platforms done, change the list and preferences, export, leave. Coordinates the store (which
 * guards every race with a condition on the person's version); every email it causes is a mail job
 * in the same write, and every change moves the person's next morning with it.
 */
export class SignupJourney {
  constructor(
    private readonly deps: {
      people: PersonStore;
      /** The network's sign-up limit: read with the person, its claim written in the sign-up's transaction. */
      limits: Pick<RateLimits, 'read' | 'claimUpdate'>;
      links: Links;
      campaigns: readonly Campaign[];
      platforms: readonly Platform[];
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

  private context(now: Date): ListContext {
    return { catalog: this.deps.platforms, campaigns: this.deps.campaigns, graceDays: this.deps.config.PRIVACY_GRACE_DAYS, now };
  }

  private viewOf(person: Person, record: Pick<PersonRecord, 'watches'>, now: Date): PersonView {
    const checklist = checklistOf(person, this.deps.platforms, this.deps.campaigns, now);
    return { person, checklist, summary: summarise(checklist), watches: record.watches };
  }

  /**
   * Takes a sign-up from the form. Does the same work whether the address is new, pending,
   * confirmed or suppressed (one query and the network's limit read at once, one transaction that
   * also takes the network's place in its limit, the day's counts), and gives the same answer, so
   * neither tells a stranger anything; sends at most one confirmation email for everything
   * waiting, under the resend rule. A form that names no language takes `request.locale`, the
   * browser's.
   */
  async signUp(input: unknown, request: { clientIp: string; locale: Locale }): Promise<SignupOutcome> {
    const { config, people } = this.deps;
    const now = this.clock();
    const parsed = parseSignup(input, this.deps.campaigns, { locale: request.locale });
    if (!parsed.ok) return parsed;
    const { signup } = parsed;
    // The same answer whatever happens next: it must not tell a stranger anything about the address.
    const accepted = { ok: true, email: signup.email, platforms: signup.platforms } as const;
    if (signup.isBot) return accepted;
    // The network's limit: IP_SIGNUP_LIMIT at once, then that many per window on average.
    const network: RateScope = { name: 'signup', scope: hashClientIp(config.SIGNING_SECRET, request.clientIp) };
    const rule: RateRule = { limit: config.IP_SIGNUP_LIMIT, windowMs: config.IP_SIGNUP_WINDOW_MINUTES * 60_000 };
    const personId = hashAddress(config.SIGNING_SECRET, signup.email);
    for (let round = 0, limitMoves = 0; round < ATTEMPTS; ) {
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
        { personId, attempt, expectedVersion: stored.version, change: plan.change, personDue: stored.personDue, confirmationMail, counts: formCounts(signup.platforms, plan) },
        now,
      );
      if (result === 'saved') return accepted;
      // Another sign-up from the same network took its place first: that one went through, so
      // read the limit again at once rather than wait as after a race on the person.
      if (result === 'limit_moved' && ++limitMoves <= ATTEMPTS) continue;
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

  /** A link's person, who must have confirmed. */
  private async openConfirmed(token: string, purpose: TokenPurpose): Promise<{ claims: TokenClaims; record: PersonRecord; person: Person }> {
    const opened = await this.openRecord(token, purpose);
    if (opened.person.status !== 'active') throw new DomainError('conflict', 'not_confirmed', 'Confirm your subscription first, from the email we sent you.');
    return opened;
  }

  /**
   * Writes a change of the person's list: the person, their next morning on the new list, the
   * guides of platforms that joined it, and the watches following the list. False when the person
   * changed meanwhile.
   */
  private async saveChange(record: PersonRecord, before: Person, change: ListChange, now: Date, extra: Partial<PersonWrite> = {}): Promise<boolean> {
    const { person } = change;
    const handledUntil = new Date(record.mornings.handledUntil ?? now.toISOString());
    const next = nextAfter(morningsOf(person, this.deps.platforms, this.deps.campaigns, now), handledUntil)?.dueAt;
    const mails: MailJob[] = change.activated.length
      ? [newMailJob({ jobId: mailJobId.welcome(person.id, person.generation, person.version), kind: 'welcome', personId: person.id, platforms: change.activated, now })]
      : [];
    // The welcome is counted with the change that writes its job, as the confirmation is with its sign-up.
    const counts = mails.length ? { ...change.counts, [PEOPLE_SCOPE]: { ...change.counts[PEOPLE_SCOPE], sent_welcome: 1 } } : change.counts;
    // A watcher watches the platforms they use: the watches follow the list.
    const watched = new Set(person.watch && person.status === 'active' ? person.platforms.filter((p) => p.state === 'active').map((p) => p.id) : []);
    const watches = {
      add: [...watched].filter((platform) => !record.watches.includes(platform)),
      remove: record.watches.filter((platform) => !watched.has(platform)),
      keep: record.watches.filter((platform) => watched.has(platform)),
      since: now,
    };
    return this.deps.people.savePerson(
      {
        person,
        expectedVersion: before.version,
        personExpiresAt: new Date(person.retainUntil ?? now.toISOString()),
        personDue: record.personDue,
        mornings: { next, handledUntil: now },
        watches,
        mails,
        counts,
        ...extra,
      },
      now,
    );
  }

  /** What a confirmation link would confirm: the platforms (and the watch) waiting for it. */
  async openConfirmation(token: string): Promise<PersonView & { waiting: ChecklistItem[]; watchAsked: boolean }> {
    const { record, person } = await this.openRecord(token, 'confirm');
    const view = this.viewOf(person, record, this.clock());
    const watchAsked = person.consents.some((c) => c.kind === 'watch' && c.confirmedAt === undefined);
    return { ...view, waiting: view.summary.pending, watchAsked };
  }

  /**
   * Confirms everything waiting for the person's confirmation, in one transaction with the guides
   * of the platforms it adds (one welcome email). Confirming twice is harmless: the second time
   * reports it and sends nothing.
   */
  async confirm(token: string): Promise<PersonView & { confirmed: ChecklistItem[]; watchStarted: boolean; alreadyConfirmed: boolean }> {
    const now = this.clock();
    for (let round = 0; round < ATTEMPTS; round++) {
      const { record, person } = await this.openRecord(token, 'confirm');
      const change = planConfirmation(person, this.context(now));
      if (!change) return { ...this.viewOf(person, record, now), confirmed: [], watchStarted: false, alreadyConfirmed: true };
      const { person: confirmed } = change;
      // A new watch asks its yearly question a year from now.
      const startsWatch = confirmed.watch && !person.watch;
      const personDue =
        startsWatch && confirmed.watchKeptAt
          ? this.deps.people.watchRenewalDue(person.id, new Date(Date.parse(confirmed.watchKeptAt) + WATCH_RENEWAL_DAYS * 86_400_000))
          : record.personDue;
      if (!(await this.saveChange(record, person, change, now, { personDue }))) {
        await backOff(round);
        continue;
      }
      const view = this.viewOf(confirmed, record, now);
      return { ...view, confirmed: view.checklist.filter((item) => change.activated.includes(item.platform.id)), watchStarted: startsWatch, alreadyConfirmed: false };
    }
    throw raced();
  }

  /** The person and platform of an "I've objected" link; the platform must be on their list. */
  async openObjection(token: string): Promise<ObjectionTarget> {
    return (await this.objectionOf(token)).target;
  }

  private async objectionOf(token: string): Promise<{ record: PersonRecord; target: ObjectionTarget }> {
    const { claims, record, person } = await this.openRecord(token, 'objected');
    const view = this.viewOf(person, record, this.clock());
    const item = view.checklist.find((i) => i.platform.id === claims.platform);
    if (!item) throw new DomainError('not_found', 'platform_not_picked', 'This platform is no longer on your list.');
    if (item.state !== 'active' || person.status !== 'active') throw new DomainError('conflict', 'not_confirmed', 'Confirm your subscription first, from the email we sent you.');
    return { record, target: { ...view, item } };
  }

  /** Marks one platform done; returns the whole list after it, so the page can say what is left. */
  async recordObjection(token: string): Promise<ObjectionTarget> {
    return this.setDone(token, true);
  }

  /** Puts a platform back on the list of what is left; its reminders resume. */
  async undoObjection(token: string): Promise<ObjectionTarget> {
    return this.setDone(token, false);
  }

  private async setDone(token: string, done: boolean): Promise<ObjectionTarget> {
    const now = this.clock();
    for (let round = 0; round < ATTEMPTS; round++) {
      const { record, target } = await this.objectionOf(token);
      const marked = markDone(target.person, target.item.platform.id, done, { campaigns: this.deps.campaigns, now });
      // A repeat, or the other request of a race, changes nothing.
      if (!marked.changed) return target;
      const change: ListChange = { person: marked.person, activated: [], counts: {} };
      // The counter moves in the same transaction as the mark, so it never drifts from the marks it counts.
      const countsWithChange = { [PLATFORMS_SCOPE]: { [`done_${target.item.platform.id}`]: done ? 1 : -1 } };
      if (await this.saveChange(record, target.person, change, now, { countsWithChange, counts: {} })) {
        const view = this.viewOf(marked.person, record, now);
        return { ...view, item: view.checklist.find((i) => i.platform.id === target.item.platform.id) ?? target.item };
      }
      await backOff(round);
    }
    throw raced();
  }

  /** A person's preferences page: every platform of theirs with its status. */
  async openPreferences(token: string): Promise<PersonView> {
    const { record, person } = await this.openConfirmed(token, 'preferences');
    return this.viewOf(person, record, this.clock());
  }

  /**
   * Changes the platforms the person uses (added ones join at once, with their guide by email;
   * dropped ones leave with their marks), their time zone and language; returns field errors for
   * bad input.
   */
  async updatePreferences(token: string, input: unknown): Promise<{ ok: true; view: PersonView; added: PlatformId[] } | { ok: false; view: PersonView; fields: PreferenceErrors }> {
    const now = this.clock();
    for (let round = 0; round < ATTEMPTS; round++) {
      const { record, person } = await this.openConfirmed(token, 'preferences');
      const view = this.viewOf(person, record, now);
      const parsed = PreferencesRequest.safeParse(input);
      if (!parsed.success) {
        const fields: PreferenceErrors = fieldErrorsOf(parsed.error.issues, PREFERENCE_FALLBACKS);
        return { ok: false, view, fields: Object.keys(fields).length ? fields : { platforms: 'platforms_missing' } };
      }
      const wanted = new Set(parsed.data.platforms);
      const listed = person.platforms.map((p) => p.id);
      const change = changeList(
        person,
        {
          add: parsed.data.platforms,
          drop: listed.filter((id) => !wanted.has(id)),
          timeZone: parsed.data.timezone,
          locale: parsed.data.locale ?? person.locale,
          watch: person.watch,
        },
        this.context(now),
      );
      if (await this.saveChange(record, person, change, now)) return { ok: true, view: this.viewOf(change.person, record, now), added: change.activated };
      await backOff(round);
    }
    throw raced();
  }

  /**
   * One press of a button on the preferences page: platforms added (they join at once, with their
   * guide by email, since the person's own link is the proof) or dropped (with their marks), or a
   * new zone and language. Platforms it does not name keep their state, so one still waiting for a
   * confirmation by email keeps waiting; a repeat (a double click) changes nothing and sends nothing.
   */
  async changePreferences(
    token: string,
    wanted: { add?: readonly PlatformId[]; drop?: readonly PlatformId[]; timeZone?: string; locale?: Person['locale'] },
  ): Promise<PersonView & { added: PlatformId[] }> {
    const now = this.clock();
    for (let round = 0; round < ATTEMPTS; round++) {
      const { record, person } = await this.openConfirmed(token, 'preferences');
      const state = new Map(person.platforms.map((p) => [p.id, p.state]));
      const add = (wanted.add ?? []).filter((id) => state.get(id) !== 'active');
      const drop = (wanted.drop ?? []).filter((id) => state.has(id));
      const timeZone = wanted.timeZone ?? person.timeZone;
      const locale = wanted.locale ?? person.locale;
      if (add.length === 0 && drop.length === 0 && timeZone === person.timeZone && locale === person.locale) return { ...this.viewOf(person, record, now), added: [] };
      const change = changeList(person, { add, drop, timeZone, locale, watch: person.watch }, this.context(now));
      if (await this.saveChange(record, person, change, now)) return { ...this.viewOf(change.person, record, now), added: change.activated };
      await backOff(round);
    }
    throw raced();
  }

  /**
   * Starts or stops the watch on its own, from the preferences page: stopping ends the yearly
   * question too; starting is a consent given on the person's own page.
   */
  async setWatch(token: string, watch: boolean): Promise<PersonView> {
    const now = this.clock();
    for (let round = 0; round < ATTEMPTS; round++) {
      const { record, person } = await this.openConfirmed(token, 'preferences');
      if (person.watch === watch) return this.viewOf(person, record, now);
      const change = changeList(person, { add: [], drop: [], timeZone: person.timeZone, locale: person.locale, watch }, this.context(now));
      const personDue =
        watch && change.person.watchKeptAt
          ? this.deps.people.watchRenewalDue(person.id, new Date(Date.parse(change.person.watchKeptAt) + WATCH_RENEWAL_DAYS * 86_400_000))
          : {};
      if (await this.saveChange(record, person, change, now, { personDue })) return this.viewOf(change.person, record, now);
      await backOff(round);
    }
    throw raced();
  }

  /** Everything stored about the person, every platform, consent and email, for "download my data". */
  async exportData(token: string): Promise<DataExport> {
    const { record, person } = await this.openRecord(token, 'preferences');
    const now = this.clock();
    const { id: _id, generation: _generation, version: _version, layout: _layout, ...stored } = person;
    const { watchQuestion } = record.nextDue;
    return {
      exportedAt: now.toISOString(),
      person: { ...stored, ...(watchQuestion ? { nextWatchQuestionAt: watchQuestion } : {}) },
      checklist: this.viewOf(person, record, now).checklist.map((item) => ({
        platform: item.platform.id,
        state: item.state,
        addedAt: item.addedAt?.toISOString(),
        doneAt: item.doneAt?.toISOString(),
        todaysAction: item.action.kind === 'deadline' ? `deadline ${item.action.deadline.toISOString()} (${item.action.campaign.id})` : item.action.kind,
      })),
      mornings: record.mornings,
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
   * the campaign of the email while that sign-up still uses one of its platforms. From any email of
   * the address, also of an earlier sign-up: the link proves the mailbox.
   */
  async openUnsubscribe(token: string): Promise<{ person?: Person; campaign?: Campaign }> {
    const claims = this.verify(token, 'unsubscribe');
    const record = await this.deps.people.load(claims.personId, this.clock());
    const person = record.person;
    const campaign = claims.campaignId ? this.deps.campaigns.find((c) => c.id === claims.campaignId) : undefined;
    const receives = campaign && person?.platforms.some((p) => campaign.platforms.includes(p.id));
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
   * "Stop only this campaign", from an old email about one campaign: its platforms leave the
   * person's list (with their marks); the rest goes on. From an earlier sign-up's email it stops
   * them if the current list has them; if not, nothing changes, and the answer says so.
   */
  async leaveCampaign(token: string): Promise<LeaveCampaignOutcome> {
    const claims = this.verify(token, 'unsubscribe');
    const campaign = claims.campaignId ? this.deps.campaigns.find((c) => c.id === claims.campaignId) : undefined;
    if (!campaign) throw new DomainError('input', 'campaign_unknown', 'This link is not about one campaign.');
    const now = this.clock();
    for (let round = 0; round < ATTEMPTS; round++) {
      const record = await this.deps.people.load(claims.personId, now);
      const person = record.person;
      if (!person || person.status !== 'active') return { status: 'unsubscribed' };
      const drop = person.platforms.filter((p) => campaign.platforms.includes(p.id)).map((p) => p.id);
      if (drop.length === 0) return person.generation === claims.generation ? { status: 'left_campaign', campaign } : { status: 'not_subscribed', campaign };
      const change = changeList(person, { add: [], drop, timeZone: person.timeZone, locale: person.locale, watch: person.watch }, this.context(now));
      if (await this.saveChange(record, person, change, now)) return { status: 'left_campaign', campaign };
      await backOff(round);
    }
    throw raced();
  }

  /** A calendar link's person and campaign: the deadline for their zone and language. */
  async openCalendar(token: string): Promise<{ person: Person; campaign: Campaign }> {
    const { claims, person } = await this.openRecord(token, 'calendar');
    const campaign = claims.campaignId ? this.deps.campaigns.find((c) => c.id === claims.campaignId) : undefined;
    if (!campaign || person.status !== 'active' || !person.platforms.some((p) => p.state === 'active' && campaign.platforms.includes(p.id))) throw gone();
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
