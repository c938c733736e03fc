/**
 * The codes a person can meet on a page: each one has its words in every language
 * (`errors` in functions/locales/), which the type of those files enforces.
 */
export const PERSON_ERROR_CODES = [
  'too_many_signups',
  'subscriber_gone',
  'platform_not_picked',
  'not_confirmed',
  'already_confirmed',
  'illegal_transition',
  'confirm_raced',
  'token_invalid',
  'token_unknown',
  'signup_raced',
  'press_button',
  'objection_not_ticked',
  'campaign_unknown',
  'body_unreadable',
  'unsupported_media_type',
  'cross_site',
] as const;
export type PersonErrorCode = (typeof PERSON_ERROR_CODES)[number];

/** The codes only the operator (the /admin pages, the build, the commands) meets: English is enough. */
export type OperatorErrorCode =
  | 'calendar_invalid'
  | 'campaign_standing'
  | 'campaign_without_deadline'
  | 'failed_mail_id_missing'
  | 'failed_mail_unknown'
  | 'front_matter_invalid'
  | 'front_matter_missing'
  | 'issue_empty'
  | 'issue_unknown'
  | 'mail_job_transition'
  | 'segment_invalid'
  | 'segment_locale';

/** Every stable code a DomainError carries. */
export type ErrorCode = PersonErrorCode | OperatorErrorCode;

/** Whether a code has words for a person, in every language. */
export function isPersonErrorCode(code: ErrorCode): code is PersonErrorCode {
  return (PERSON_ERROR_CODES as readonly string[]).includes(code);
}

/** What went wrong, in terms the API can map to a status without knowing the domain. */
export type DomainErrorKind = 'input' | 'unsupported' | 'not_found' | 'conflict' | 'forbidden' | 'rate_limited' | 'unavailable';

/**
 * The one error type the domain throws.
 *
 * @example
 * throw new DomainError('not_found', 'token_unknown', 'This link is not valid.');
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  /** For `rate_limited`: how long until trying again makes sense, when the rule knows it. */
  readonly retryAfterSeconds: number | undefined;
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}
