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
    readonly code: string,
    message: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}
