import { createHash } from 'node:crypto';

/** The rate limits kept in the table. */
export type RateLimitName = 'signup' | 'admin-sign-in';

const RATE_LIMIT_PREFIX: Record<RateLimitName, string> = { signup: 'SIGNUP', 'admin-sign-in': 'ADMIN_SIGNIN' };

/** Every key shape of the single table lives here, and nowhere else. */
export const keys = {
  /** A person, keyed by the keyed hash of their address; after they leave, their suppression fingerprint. */
  person: (personId: string) => ({ pk: `PERSON#${personId}`, sk: 'PERSON' }),
  /**
   * When a person's morning emails are due: the last one handled and the next, in the due index.
   * Apart from the person item, so that a countdown run never races the person's own changes.
   */
  mornings: (personId: string) => ({ pk: `PERSON#${personId}`, sk: 'MORNINGS' }),
  /** A platform a person watches for new deadlines. */
  watch: (personId: string, platform: string) => ({ pk: `PERSON#${personId}`, sk: `WATCH#${platform}` }),
  /** Soft bounces counted towards suppression, with the SNS message ids they came in (each counts once). */
  softBounces: (addressHash: string) => ({ pk: `ADDRESS#${addressHash}`, sk: 'SOFT_BOUNCES' }),
  /** How far the announcement of a campaign has got through one shard of a platform's watchers. */
  announcementCursor: (campaignId: string, platform: string, shard: number) => ({ pk: `CAMPAIGN#${campaignId}`, sk: `ANNOUNCE#${platform}#${shard}` }),
  /** Set once every watcher of a campaign's platforms was announced to: later runs skip it in one read. */
  announcementDone: (campaignId: string) => ({ pk: `CAMPAIGN#${campaignId}`, sk: 'ANNOUNCED' }),
  /** Which schedule (deadline, offsets, hour) the due index of a campaign was timed for. */
  campaignSchedule: (campaignId: string) => ({ pk: `CAMPAIGN#${campaignId}`, sk: 'SCHEDULE' }),
  /** One client's allowance in one rate limit: a network's sign-ups (its IP hash), the operator's sign-ins (an IP hash, or `_all`). */
  rateLimit: (name: RateLimitName, scope: string) => ({ pk: `RATE#${RATE_LIMIT_PREFIX[name]}#${scope}`, sk: 'ALLOWANCE' }),
  /**
   * One day's counters of a campaign (or of the service, for bounces and complaints): aggregates
   * that the operator's chart reads without a scan, and that outlive every erasure.
   */
  dailyStats: (scope: string, day: string) => ({ pk: `STATS#${scope}`, sk: `DAY#${day}` }),
  /** The sparse "next email due" index: a person's mornings and their watch's yearly question. */
  due: (shard: number, dueAt: Date, personId: string, kind: DueKind) => ({
    duePk: `DUE#${shard}`,
    dueSk: `${dueAt.toISOString()}#${personId}#${kind}`,
  }),
  /**
   * The sparse audience index: an active person sits under the people, a watch under its platform,
   * sharded, so a newsletter or an announcement reads its own readers and nobody else.
   */
  audience: (list: Audience, shard: number, personId: string) => ({
    audPk: 'watchedPlatform' in list ? `AUDIENCE#WATCH#${list.watchedPlatform}#${shard}` : `AUDIENCE#PEOPLE#${shard}`,
    audSk: personId,
  }),

  // --- Issue 14 (operator): admin sessions, link checks ---
  /** One operator session, by the hash of its id: sign-out deletes it. */
  adminSession: (sessionKey: string) => ({ pk: `ADMIN_SESSION#${sessionKey}`, sk: 'SESSION' }),
  /** The latest check of one campaign link; all in one partition, so /admin reads them with one query. */
  linkCheck: (urlHash: string) => ({ pk: 'LINK_CHECKS', sk: `URL#${urlHash}` }),
  // Mail pipeline (issue 13): the jobs, the operator's list of parked ones, the wake-ups of deferred ones.
  /** One email to send: written by its producer, drained by the mailer through the table's stream. */
  /**
   * A mail job, in its person's partition (every job id names the person second), so that erasing
   * a person erases the record of their emails with everything else.
   */
  mailJob: (jobId: string) => ({ pk: `PERSON#${jobId.split('#')[1] ?? ''}`, sk: `JOB#${jobId}` }),
  /** A small key range listing the jobs parked as failed, for /admin (no index needed). */
  failedMailJob: (jobId: string) => ({ pk: 'JOBS#FAILED', sk: `JOB#${jobId}` }),
  /** When a deferred job (backoff, a held claim) is to be touched again, so the stream brings it back. */
  mailJobWake: (at: Date, jobId: string) => ({ pk: 'JOBS#WAKE', sk: `${at.toISOString()}#${jobId}` }),
  /**
   * A mail job not yet settled (queued or sending), in the `due-at` index: sharded by person, sorted
   * by the instant it was last handed to the mailer. Settling the job removes it, so the sweep of
   * stuck jobs reads only jobs a lost stream record left behind, never the table.
   */
  mailJobDue: (jobId: string, at: Date) => ({
    ...keys.mailJobDueShard(shardOf(jobId.split('#')[1] ?? '', MAIL_DUE_SHARDS)),
    dueSk: `${at.toISOString()}#${jobId}`,
  }),
  /** One shard of the unsettled mail jobs in the `due-at` index. */
  mailJobDueShard: (shard: number) => ({ duePk: `MAILDUE#${shard}` }),
} as const;

/** What a due-index entry is about: a person's morning emails, or their watch's yearly question. */
export type DueKind = 'mornings' | 'watch-renewal';

/** A list the audience index holds: every active person, or the watchers of one platform. */
export type Audience = { people: true } | { watchedPlatform: string };

/** Shards of the unsettled mail jobs in the `due-at` index: fixed, so no job is ever in a shard nobody reads. */
export const MAIL_DUE_SHARDS = 8;

export const DUE_INDEX = 'due-at';
export const AUDIENCE_INDEX = 'audience';
export const TTL_ATTRIBUTE = 'ttl';

/** Which shard of an index a person lives on: stable, spread evenly. */
export function shardOf(personId: string, shards: number): number {
  return createHash('sha256').update(personId).digest().readUInt32BE(0) % shards;
}

/** The person and what is due that a due-index sort key names. */
export function parseDueSk(dueSk: string): { personId: string; kind: DueKind } | undefined {
  const [, personId, kind] = dueSk.split('#');
  return personId && (kind === 'mornings' || kind === 'watch-renewal') ? { personId, kind } : undefined;
}

/** The instant a due-index sort key names (`due`), as ISO text; undefined for none. */
export function dueInstantOf(dueSk: string | undefined): string | undefined {
  const instant = dueSk?.split('#')[0];
  return instant && !Number.isNaN(Date.parse(instant)) ? instant : undefined;
}

/** The day a daily-counters sort key names (`dailyStats`), e.g. "2025-05-12". */
export function dayOfStatsKey(sk: string): string | undefined {
  return /^DAY#(\d{4}-\d{2}-\d{2})$/.exec(sk)?.[1];
}

/** What kind of item of a person's partition a sort key names. */
export function personItemKind(sk: string): 'person' | 'mornings' | 'watch' | 'mail-job' | 'other' {
  if (sk === 'PERSON') return 'person';
  if (sk === 'MORNINGS') return 'mornings';
  if (sk.startsWith('WATCH#')) return 'watch';
  if (sk.startsWith('JOB#')) return 'mail-job';
  return 'other';
}

/** The job id a mail job's sort key names (`mailJob`), e.g. from an index entry. */
export function jobIdOfKey(sk: string): string | undefined {
  return sk.startsWith('JOB#') ? sk.slice('JOB#'.length) : undefined;
}

/** DynamoDB TTL wants epoch seconds. */
export function ttlOf(instant: Date): number {
  return Math.floor(instant.getTime() / 1000);
}
